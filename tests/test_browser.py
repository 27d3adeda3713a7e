"""The HTML report in a real browser (Debian's chromium driven by playwright).

Install what this needs with ``bash scripts/install-browser.sh``; the module is skipped when
/usr/bin/chromium or playwright is missing. Screenshots go to ``artifacts/``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tosscan.catalog import load_questions
from tosscan.render import render
from tosscan.render.view import build_report

from .browser import ARTIFACTS, DESKTOP, PHONE, open_page, require
from .conftest import ROOT, SAMPLES

require()

HUAJIAN = SAMPLES / "huajian-user-agreement.txt"
YUNMO = SAMPLES / "yunmo-user-agreement.txt"

HOSTILE = (
    "<script>window.__pwned = 1; alert(1)</script>用户协议\n\n"
    "一、授权\n"
    "1.1 您同意授予平台免费的、不可撤销的许可<script>window.__pwned = 2</script>，以使用您上传的作品。\n"
    "1.2 <img src=x onerror=\"window.__pwned = 3; alert(3)\"> 点击[x](javascript:alert(1))查看。\n"
    "1.3 \"><svg onload=\"window.__pwned = 4\"></svg><iframe src=\"javascript:alert(4)\"></iframe>\n"
    "1.4 <a href=\"javascript:window.__pwned = 5\" id=\"evil\">点我</a> <style>body{display:none}</style>\n"
)



@pytest.fixture(scope="module")
def results(scanner) -> dict[str, object]:
    with pytest.MonkeyPatch.context() as mp:  # scan by relative path, as a user would: the report shows it
        mp.chdir(ROOT)
        return {"huajian": scanner.scan_file(HUAJIAN.relative_to(ROOT)),
                "yunmo": scanner.scan_file(YUNMO.relative_to(ROOT)),
                "hostile": scanner.scan_text(HOSTILE, lang="zh", path="hostile.txt")}


@pytest.fixture(scope="module")
def huajian_doc(results):
    return build_report([results["huajian"]]).documents[0]


@pytest.fixture(scope="module")
def pages(results, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("report")
    paths: dict[str, Path] = {}
    for name, r in results.items():
        paths[name] = out / f"{name}.html"
        paths[name].write_text(render([r], "html"), encoding="utf-8")
    paths["huajian-en"] = out / "huajian-en.html"
    paths["huajian-en"].write_text(render([results["huajian"]], "html", ui_lang="en"), encoding="utf-8")
    return paths




def in_viewport(page, selector: str) -> bool:
    return page.eval_on_selector(selector, """e => { const r = e.getBoundingClientRect();
        return r.bottom > 0 && r.top < window.innerHeight && r.height > 0; }""")


def test_page_loads_clean_and_offline(browser, pages):
    ctx, page, watch = open_page(browser, pages["huajian"])
    try:
        assert page.title().startswith("画笺用户服务协议")
        assert watch.errors == []
        assert watch.outside() == []
        assert page.eval_on_selector("html", "e => e.classList.contains('js')")
        assert page.is_visible("form.toolbar") and page.is_visible("aside.panel")
    finally:
        ctx.close()


def test_verdict_cards_show_the_answers(browser, pages, scanner, huajian_doc):
    ctx, page, watch = open_page(browser, pages["huajian"])
    try:
        doc = huajian_doc
        shown = {q: page.inner_text(f'li.card[data-question="{q}"] .answer').strip()
                 for q in (v.question_id for v in doc.verdicts)}
        assert shown == {v.question_id: v.answer_label for v in doc.verdicts}
        expected = {"revocable": "否", "perpetual": "是", "worldwide": "是", "royalty_free": "是",
                    "commercial_use": "是", "survives_deletion": "是", "ai_training": "是"}
        qs = {q.id: q for q in load_questions()}
        for q, answer in expected.items():
            if any(c in r.concepts for r in scanner.catalog.for_lang("zh") for c in qs[q].concepts):
                assert shown[q] == answer, q
        assert page.is_visible('li.card[data-question="revocable"] blockquote.ev')
        assert "4.2.2" in page.inner_text('li.card[data-question="revocable"] a.cl')
        assert watch.errors == []
    finally:
        ctx.close()


def test_english_interface(browser, pages):
    ctx, page, watch = open_page(browser, pages["huajian-en"])
    try:
        assert page.inner_text('li.card[data-question="revocable"] h3') == "Can I revoke the licence?"
        assert page.inner_text('li.card[data-question="revocable"] .answer').strip() == "No"
        assert watch.errors == []
    finally:
        ctx.close()


def test_clicking_a_finding_scrolls_to_its_highlight(browser, pages, huajian_doc):
    ctx, page, watch = open_page(browser, pages["huajian"])
    try:
        doc = huajian_doc
        f = doc.findings[len(doc.findings) // 2]
        page.click(f"#{f.id} a.back")
        page.wait_for_function("id => { const e = document.getElementById(id); const r = e.getBoundingClientRect();"
                               " return r.top >= 0 && r.bottom <= window.innerHeight; }", arg=f.text_anchor)
        assert in_viewport(page, f"#{f.text_anchor}")
        assert page.evaluate("location.hash") == f"#{f.text_anchor}"
        # the panel explains the finding next to the text
        assert f.title in page.inner_text("aside.panel .panel-body")
        # a verdict card's clause number jumps to the evidence too
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        ev = next(v.primary for v in doc.verdicts if v.primary is not None)
        page.click(f'li.card[data-question] a.cl[href="#{ev.text_anchor}"] >> nth=0')
        page.wait_for_function("id => { const r = document.getElementById(id).getBoundingClientRect();"
                               " return r.top >= 0 && r.bottom <= window.innerHeight; }", arg=ev.text_anchor)
        assert watch.errors == []
    finally:
        ctx.close()


def test_clicking_a_highlight_explains_it(browser, pages, huajian_doc):
    ctx, page, watch = open_page(browser, pages["huajian"])
    try:
        doc = huajian_doc
        f = next(x for x in doc.findings if x.clause == "4.2.2") if any(
            x.clause == "4.2.2" for x in doc.findings) else doc.findings[0]
        page.click(f"#{f.text_anchor}")
        body = page.inner_text("aside.panel .panel-body")
        assert f.title in body and f.explanation in body
        assert page.evaluate("location.hash") in ("", "#"), "a click on a highlight explains, it does not jump"
        assert page.eval_on_selector(f"#{f.text_anchor}", "e => e.classList.contains('active')")
        assert watch.errors == []
    finally:
        ctx.close()


def test_filters(browser, pages, huajian_doc):
    ctx, page, watch = open_page(browser, pages["huajian"])
    try:
        doc = huajian_doc
        n_high = sum(f.severity == "high" for f in doc.findings)
        assert n_high
        page.uncheck('form.toolbar input[value="high"]')
        hidden = page.eval_on_selector_all("li.finding", "els => els.filter(e => e.hidden).length")
        assert hidden == n_high
        assert page.eval_on_selector_all("a.hl.sev-high:not(.off)", "els => els.length") == 0
        page.check('form.toolbar input[value="high"]')
        concept = doc.concept_options[0]
        page.select_option("form.toolbar select", concept.id)
        visible = page.eval_on_selector_all("li.finding", "els => els.filter(e => !e.hidden).length")
        assert visible == concept.count
        assert f" {concept.count} " in page.inner_text("form.toolbar output")
        assert watch.errors == []
    finally:
        ctx.close()


def test_hostile_document_runs_no_script(browser, pages):
    ctx, page, watch = open_page(browser, pages["hostile"])
    try:
        page.wait_for_timeout(300)
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert watch.dialogs == []
        assert page.query_selector("#evil") is None and page.query_selector("iframe") is None
        assert page.query_selector("article img") is None and page.query_selector("article svg") is None
        text = page.inner_text("#d1-text")
        assert "<script>window.__pwned = 2</script>" in text
        assert "<img src=x onerror=" in text
        assert page.is_visible("body")
        for a in page.query_selector_all("a.hl"):  # clicking every highlight runs nothing either
            a.click()
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert watch.dialogs == []
        assert watch.errors == []
        assert watch.outside() == []
    finally:
        ctx.close()


def test_reads_without_javascript(browser, pages):
    ctx, page, _watch = open_page(browser, pages["huajian"], js=False)
    try:
        assert not page.is_visible("form.toolbar") and not page.is_visible("aside.panel")
        assert page.is_visible("li.card") and page.is_visible("#d1-text") and page.is_visible("a.hl")
        assert page.is_visible("details.toc nav")
        # without JS a highlight is a plain link to its explanation in the list of findings
        first = page.get_attribute("a.hl", "href")
        assert first is not None and first.startswith("#d1-f")
    finally:
        ctx.close()


@pytest.mark.parametrize("name", ["huajian", "yunmo"])
def test_screenshots(browser, pages, name):
    ARTIFACTS.mkdir(exist_ok=True)
    for label, viewport, scale in (("desktop", DESKTOP, 1), ("phone", PHONE, 2)):
        ctx, page, watch = open_page(browser, pages[name], viewport, scale=scale)
        try:
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport["width"], f"{label}: page is {width}px wide, wider than the screen"
            page.screenshot(path=str(ARTIFACTS / f"{name}-{label}.png"))
            page.screenshot(path=str(ARTIFACTS / f"{name}-{label}-full.png"), full_page=True)
            # the reader: jump from the first answered card to its clause, with the explanation open
            link = page.query_selector("li.card blockquote.ev a.cl")
            if link is not None:
                link.click()
                page.wait_for_timeout(2000)  # after the flash
                page.screenshot(path=str(ARTIFACTS / f"{name}-{label}-reader.png"))
            assert watch.errors == []
        finally:
            ctx.close()
    ctx, page, _ = open_page(browser, pages[name], DESKTOP)
    try:
        page.emulate_media(media="print")
        page.pdf(path=str(ARTIFACTS / f"{name}.pdf"), format="A4", print_background=True)
    finally:
        ctx.close()
    shutil.copyfile(pages[name], ARTIFACTS / f"{name}.html")


def test_a_report_over_the_card_limit_works_in_the_browser(browser, scanner, tmp_path):
    """Past ``MAX_CARDS`` a finding is highlighted without a card: clicking its highlight or an answer's link to
    it scrolls without an error, the filter counts the listed cards, and every link resolves."""
    from tosscan.render.view import MAX_CARDS

    text = "".join(f"第{i}条 用户授予平台永久的、不可撤销的许可，平台可以使用用户内容训练人工智能模型。\n"
                   for i in range(1, MAX_CARDS + 41))
    r = scanner.scan_text(text, lang="zh", path="dense.txt")
    path = tmp_path / "dense.html"
    path.write_text(render([r], "html"), encoding="utf-8")
    ctx, page, watch = open_page(browser, path)
    try:
        assert page.locator("li.finding").count() == MAX_CARDS
        assert page.is_visible("#d1-more")
        assert f"{MAX_CARDS}" in page.inner_text("form.toolbar output")
        unresolved = page.evaluate("""() => [...document.querySelectorAll("a[href^='#']")]
            .map(a => a.getAttribute('href').slice(1)).filter(id => !document.getElementById(id))""")
        assert unresolved == []
        last = len(r.findings)
        page.click(f"#d1-t{last} + span.hl")  # a highlight without a card: nothing happens, nothing breaks
        assert in_viewport(page, f"#d1-t{last} + span.hl")
        page.click(".answers p.also a >> nth=-1")  # an answer's last linked quote scrolls to its highlight
        assert in_viewport(page, page.eval_on_selector(".answers p.also a >> nth=-1", "a => a.getAttribute('href')"))
        page.click(f"a.hl[href='#d1-f{MAX_CARDS}']")  # a listed one still opens its card in the panel
        assert page.is_visible("aside.panel.open li.finding")
        assert watch.errors == []
    finally:
        ctx.close()
