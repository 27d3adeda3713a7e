"""The comparison page in a real browser (Debian's chromium driven by playwright): layout at desktop and
phone width, hostile document text runs no script, the filter, the evidence on click. Skipped when
/usr/bin/chromium or playwright is missing; screenshots go to ``artifacts/``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tosscan.compare import build_matrix
from tosscan.render import render_compare

from .browser import ARTIFACTS, DESKTOP, PHONE, open_page, require
from .conftest import CORPUS_ZH, SAMPLES

require()

FIVE = ["zh-xiaohongshu-user-registration-agreement-2017-11-14.txt", "zh-bilibili-user-agreement-2020-09-01.txt",
        "zh-douban-user-agreement-2017-11-20.txt", "zh-microsoft-terms-of-use-zh-2017-11-14.txt",
        "zh-wechat-ecommerce-service-agreement-2017-11-14.txt"]
HOSTILE = (
    "<script>window.__pwned = 1; alert(1)</script>用户协议\n\n"
    "一、授权\n"
    "1.1 您同意授予平台免费的、不可撤销的、永久的许可<script>window.__pwned = 2</script>，以使用您上传的作品。\n"
    "1.2 <img src=x onerror=\"window.__pwned = 3; alert(3)\"> 平台有权删除您发布的内容。\n"
    "1.3 \"><svg onload=\"window.__pwned = 4\"></svg><iframe src=\"javascript:alert(4)\"></iframe>本协议可随时修改。\n"
)



@pytest.fixture(scope="module")
def pages(scanner, tmp_path_factory) -> dict[str, tuple[Path, object]]:
    out = tmp_path_factory.mktemp("compare")
    samples = [scanner.scan_file(SAMPLES / n) for n in
               ("huajian-user-agreement.txt", "huajian-user-agreement-2024.txt", "yunmo-user-agreement.txt")]
    matrices = {"samples": build_matrix(samples)}
    hostile = scanner.scan_text(HOSTILE, lang="zh", path="<img src=x onerror=alert(9)>.txt")
    matrices["hostile"] = build_matrix([hostile, samples[0]], names=["<script>window.__pwned=9</script>"])
    if CORPUS_ZH.is_dir():
        matrices["five"] = build_matrix([scanner.scan_file(CORPUS_ZH / d) for d in FIVE])
    paths = {}
    for name, m in matrices.items():
        p = out / f"compare-{name}.html"
        p.write_text(render_compare(m, "html"), encoding="utf-8")
        paths[name] = (p, m)
    return paths




def _name(pages) -> str:
    return "five" if "five" in pages else "samples"


def test_matrix_shows_every_cell_and_grade(browser, pages):
    path, m = pages[_name(pages)]
    ctx, page, watch = open_page(browser, path)
    try:
        assert page.eval_on_selector_all("thead th[data-grade]", "els => els.map(e => e.dataset.grade)") == \
            [c.grade.letter for c in m.columns]
        rows = page.eval_on_selector_all("tbody tr[data-row]", "els => els.map(e => e.dataset.row)")
        assert rows == [r.id for r in m.rows]
        for r in m.rows:
            values = page.eval_on_selector_all(f'tr[data-row="{r.id}"] td', "els => els.map(e => e.dataset.value)")
            assert values == [c.value for c in r.cells], r.id
        assert watch.errors == []
        assert watch.outside() == []
    finally:
        ctx.close()


def test_clicking_a_cell_shows_the_quote_and_clause(browser, pages):
    path, m = pages[_name(pages)]
    row = next(r for r in m.rows if any(c.evidence for c in r.cells))
    i, cell = next((i, c) for i, c in enumerate(row.cells) if c.evidence)
    ctx, page, watch = open_page(browser, path)
    try:
        td = f'tr[data-row="{row.id}"] td:nth-of-type({i + 1})'
        assert not page.is_visible(f"{td} blockquote.ev")
        page.click(f"{td} summary")
        assert page.is_visible(f"{td} blockquote.ev")
        shown = page.inner_text(f"{td} blockquote.ev >> nth=0")
        assert " ".join(cell.evidence[0].quote.split())[:30] in shown
        if cell.evidence[0].clause:
            assert cell.evidence[0].clause in page.inner_text(f"{td} summary")
        assert watch.errors == []
    finally:
        ctx.close()


def test_filter_by_question_and_by_difference(browser, pages):
    path, m = pages[_name(pages)]
    ctx, page, watch = open_page(browser, path)
    try:
        assert page.is_visible("form.cmp-filter")
        visible = "els => els.filter(e => !e.hidden).map(e => e.dataset.row)"
        page.select_option("form.cmp-filter select", "ai_training")
        assert page.eval_on_selector_all("tbody tr[data-row]", visible) == ["ai_training"]
        assert page.eval_on_selector_all("tr.group", "els => els.filter(e => !e.hidden).length") == 1
        assert " 1 " in page.inner_text("form.cmp-filter output")
        page.select_option("form.cmp-filter select", "")
        page.check("form.cmp-filter input[name=differs]")
        assert page.eval_on_selector_all("tbody tr[data-row]", visible) == [r.id for r in m.rows if r.differs]
        page.uncheck("form.cmp-filter input[name=differs]")
        assert len(page.eval_on_selector_all("tbody tr[data-row]", visible)) == len(m.rows)
        assert watch.errors == []
    finally:
        ctx.close()


def test_hostile_text_runs_no_script(browser, pages):
    path, _m = pages["hostile"]
    ctx, page, watch = open_page(browser, path)
    try:
        for s in page.query_selector_all("summary"):  # open every cell
            s.click()
        page.wait_for_timeout(300)
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert watch.dialogs == []
        assert page.query_selector("main img") is None and page.query_selector("main svg") is None
        assert page.query_selector("iframe") is None
        assert "<script>window.__pwned=9</script>" in page.inner_text("thead")
        assert "<script>window.__pwned = 2</script>" in page.inner_text("table.cmp")
        assert watch.errors == []
        assert watch.outside() == []
    finally:
        ctx.close()


def test_reads_without_javascript(browser, pages):
    path, _m = pages[_name(pages)]
    ctx, page, _watch = open_page(browser, path, js=False)
    try:
        assert not page.is_visible("form.cmp-filter")
        page.click("td details summary >> nth=0")  # native <details>: the evidence opens without JS
        assert page.is_visible("td details[open] blockquote.ev")
    finally:
        ctx.close()


@pytest.mark.parametrize("label, viewport, scale", [("desktop", DESKTOP, 1), ("phone", PHONE, 2)])
def test_layout_and_screenshots(browser, pages, label, viewport, scale):
    ARTIFACTS.mkdir(exist_ok=True)
    name = _name(pages)
    path, _m = pages[name]
    ctx, page, watch = open_page(browser, path, viewport, scale=scale)
    try:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"{label}: page is {width}px wide, wider than the screen"
        # the question column stays in view while the table scrolls sideways
        box = page.eval_on_selector("tbody th[scope=row]", "e => e.getBoundingClientRect().width")
        assert 80 <= box <= 270
        cell = page.eval_on_selector("tbody td.cell", "e => e.getBoundingClientRect().width")
        assert cell >= 120, f"{label}: cells are {cell}px wide"
        page.click("td details summary >> nth=0")
        page.screenshot(path=str(ARTIFACTS / f"compare-{name}-{label}.png"))
        page.screenshot(path=str(ARTIFACTS / f"compare-{name}-{label}-full.png"), full_page=True)
        if label == "phone":
            page.eval_on_selector(".cmp-wrap", "e => e.scrollLeft = 400")
            assert page.eval_on_selector(".cmp-wrap", "e => e.scrollLeft") > 0, "the table scrolls sideways"
            left = page.eval_on_selector("tbody th[scope=row]", "e => e.getBoundingClientRect().left")
            assert left <= 20, "the question column is sticky"
        assert watch.errors == []
    finally:
        ctx.close()
