"""`tosscan serve` in a real browser: the real server (uvicorn on a free 127.0.0.1 port, in a thread) driven
by Debian's chromium through playwright. Paste → answers, upload .txt and .docx → report, a bad upload is a
message, a hostile agreement runs nothing, a 390-px phone is usable, diff works, and the comparison matrix
(two texts → the matrix with the right cells, hostile text and names inert, usable on a phone). Screenshots go
to ``artifacts/`` (``TOSSCAN_DOCS_SHOTS=1`` also writes the small ones README shows, ``docs/serve-*.png``).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from tosscan.compare import build_matrix

from .browser import ARTIFACTS, DESKTOP, PHONE, Watch, require
from .conftest import ROOT, SAMPLES
from .test_browser import HOSTILE
from .test_input_docx import ZH_DOC, build

require()

DOCS = ROOT / "docs"
HUAJIAN = SAMPLES / "huajian-user-agreement.txt"
YUNMO = SAMPLES / "yunmo-user-agreement.txt"
HUIYU = SAMPLES / "versions" / "huiyu"


@pytest.fixture(scope="module")
def base(scanner) -> Iterator[str]:
    import uvicorn

    from tosscan.serve import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(scanner), host="127.0.0.1", port=port, log_level="warning"))
    t = threading.Thread(target=server.run, daemon=True)
    t.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert t.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    t.join(10)



@pytest.fixture
def open_page(browser, base):
    contexts = []

    def go(lang: str = "zh", viewport: dict[str, int] = DESKTOP):
        ctx = browser.new_context(viewport=viewport, accept_downloads=True)
        contexts.append(ctx)
        page = ctx.new_page()
        watch = Watch(page)
        page.goto(f"{base}/?lang={lang}")
        page.wait_for_load_state("load")
        return page, watch

    yield go
    for c in contexts:
        c.close()


def submit_and_wait(page, form: str = "#scan-form") -> None:
    page.click(f"{form} button[type=submit]")
    page.wait_for_function("() => document.getElementById('status').textContent.length > 0 && "
                           "!document.querySelector('button[type=submit]:disabled')", timeout=60000)


def report_frame(page):
    page.wait_for_selector("#result:not([hidden])")
    page.wait_for_function("() => document.getElementById('report').contentWindow && "
                           "document.getElementById('report').src.startsWith('blob:')")
    frame = page.frame_locator("#report")
    frame.locator("section.answers").wait_for()
    return frame


def only_local(requests: list[str], base: str) -> bool:
    return all(u.startswith((base, "blob:" + base, "data:", "about:")) for u in requests)


def test_paste_shows_the_answers(open_page, base):
    page, watch = open_page("zh")
    page.fill("textarea[name=text]", HUAJIAN.read_text(encoding="utf-8"))
    submit_and_wait(page)
    frame = report_frame(page)
    assert page.locator("#status").inner_text() == "完成。"
    cards = frame.locator("section.answers .card, section.answers li, section.answers article")
    assert cards.count() >= 5
    assert "AI" in frame.locator("section.answers").inner_text()
    assert frame.locator("html.js").count() == 1  # the report's own script runs in its sandbox
    for id_ in ("dl-html", "dl-md", "dl-json"):
        href = page.get_attribute(f"#{id_}", "href")
        assert href.startswith("blob:") and page.get_attribute(f"#{id_}", "download").startswith("pasted")
    with page.expect_download() as dl:
        page.click("#dl-json")
    assert dl.value.suggested_filename.endswith(".json")
    assert watch.errors == [] and watch.dialogs == [] and only_local(watch.requests, base), watch.errors
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "serve-desktop.png"))
    if os.environ.get("TOSSCAN_DOCS_SHOTS"):
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(DOCS / "serve-desktop.png"), type="png", scale="css")


def test_upload_txt_and_docx(open_page, base, tmp_path):
    page, watch = open_page("en")
    page.check("#scan-form input[name=source][value=file]")
    page.set_input_files("#scan-form input[name=file]", str(HUAJIAN))
    submit_and_wait(page)
    frame = report_frame(page)
    assert "huajian-user-agreement.txt" in frame.locator("body").inner_text()
    docx = tmp_path / "画笺.docx"
    docx.write_bytes(build(ZH_DOC))
    page.set_input_files("#scan-form input[name=file]", str(docx))
    submit_and_wait(page)
    page.wait_for_function("() => document.getElementById('dl-html').download.indexOf('画笺') === 0 && "
                           "document.getElementById('dl-html').download.length > 0")
    frame = report_frame(page)
    text = frame.locator("body").inner_text()
    assert "画笺.docx" in text and "docx" in text
    assert watch.errors == [] and only_local(watch.requests, base), watch.errors


def test_a_bad_upload_is_a_readable_message(open_page, tmp_path):
    page, watch = open_page("en")
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7 this is not a pdf")
    page.check("#scan-form input[name=source][value=file]")
    page.set_input_files("#scan-form input[name=file]", str(bad))
    submit_and_wait(page)
    msg = page.locator("#status").inner_text()
    assert msg.startswith("Could not read it: broken.pdf") and "Traceback" not in msg and str(tmp_path) not in msg
    assert page.locator("#result").is_hidden()
    page.check("#scan-form input[name=source][value=text]")
    submit_and_wait(page)  # nothing pasted: said on the page, nothing sent
    assert page.locator("#status").inner_text() == "Paste the agreement's text first."
    assert watch.dialogs == [] and not [e for e in watch.errors if "pageerror" in e]


def test_a_hostile_document_runs_no_script(open_page, base):
    page, watch = open_page("zh")
    page.fill("textarea[name=text]", HOSTILE)
    submit_and_wait(page)
    frame = report_frame(page)
    frame.locator("a.hl").first.click()
    time.sleep(0.3)
    evil = frame.locator("#evil")
    assert evil.count() == 0
    assert "<script>" in frame.locator("body").inner_text()
    report = next(f for f in page.frames if f.url.startswith("blob:"))
    assert report.evaluate("window.__pwned") is None and page.evaluate("window.__pwned") is None
    assert report.evaluate("document.querySelectorAll('script').length") == 1  # only the report's own
    assert report.evaluate("(() => { try { return parent.document.title; } catch (e) { return 'blocked'; } })()"
                           ) == "blocked"  # no same-origin rights over the page
    assert report.url.startswith("blob:")  # a fragment link stays inside the report
    assert watch.dialogs == [] and watch.errors == [] and only_local(watch.requests, base), watch.errors


def test_phone_width_is_usable(open_page, base):
    page, watch = open_page("zh", PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    box = page.locator("#scan-form button[type=submit]").bounding_box()
    assert box and box["width"] > 300 and box["height"] >= 44
    page.fill("textarea[name=text]", HUAJIAN.read_text(encoding="utf-8"))
    submit_and_wait(page)
    frame = report_frame(page)
    assert frame.locator("section.answers").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    frame_box = page.locator("#report").bounding_box()
    assert frame_box and frame_box["width"] <= PHONE["width"] and frame_box["height"] > 400
    page.screenshot(path=str(ARTIFACTS / "serve-phone.png"))
    if os.environ.get("TOSSCAN_DOCS_SHOTS"):
        page.screenshot(path=str(DOCS / "serve-phone.png"), type="png")
    assert watch.errors == [] and only_local(watch.requests, base), watch.errors


def test_diff_view(open_page, base):
    page, watch = open_page("en")
    page.click("#tab-diff")
    assert page.locator("#scan-form").is_hidden() and page.locator("#diff-form").is_visible()
    old, new = sorted(HUIYU.glob("*.txt"))[:2]
    for side, path in (("old_", old), ("new_", new)):
        page.check(f"#diff-form input[name={side}source][value=file]")
        page.set_input_files(f"#diff-form input[name={side}file]", str(path))
    submit_and_wait(page, "#diff-form")
    page.wait_for_selector("#result:not([hidden])")
    frame = page.frame_locator("#report")
    frame.locator("body").wait_for()
    text = frame.locator("body").inner_text()
    assert old.name in text and new.name in text
    assert page.get_attribute("#dl-html", "download").startswith("diff-")
    assert watch.errors == [] and only_local(watch.requests, base), watch.errors


# --------------------------------------------------------------------------- compare


def compare_frame(page):
    page.wait_for_selector("#result:not([hidden])")
    page.wait_for_function("() => document.getElementById('report').src.startsWith('blob:')")
    frame = page.frame_locator("#report")
    frame.locator("table.cmp").wait_for()
    return frame


def fill_compare(page, texts: list[str], names: list[str] = ()) -> None:
    page.click("#tab-compare")
    rows = page.locator("#compare-form fieldset.doc")
    for i, text in enumerate(texts):
        if i >= rows.count():
            page.click("#compare-form button.add")
        row = rows.nth(i)
        row.locator("textarea").fill(text)
        if i < len(names):
            row.locator("input[name=name]").fill(names[i])


def test_compare_view_shows_the_matrix(open_page, base, scanner):
    page, watch = open_page("zh")
    page.click("#tab-compare")
    assert page.locator("#compare-form").is_visible() and page.locator("#scan-form").is_hidden()
    rows = page.locator("#compare-form fieldset.doc")
    assert rows.count() == 2 and page.locator("#compare-form button.remove:visible").count() == 0
    page.click("#compare-form button.add")  # a third agreement, then removed again
    assert rows.count() == 3 and rows.nth(2).locator("legend").inner_text() == "协议 3"
    rows.nth(2).locator("button.remove").click()
    assert rows.count() == 2
    texts = [HUAJIAN.read_text(encoding="utf-8"), YUNMO.read_text(encoding="utf-8")]
    fill_compare(page, texts, ["画笺", ""])
    submit_and_wait(page, "#compare-form")
    frame = compare_frame(page)
    assert page.locator("#status").inner_text() == "完成。"
    m = build_matrix([scanner.scan_text(t, path=f"pasted text {i}") for i, t in enumerate(texts, 1)], ["画笺"])
    grades = frame.locator("thead th[data-grade]")
    assert [grades.nth(i).get_attribute("data-grade") for i in range(grades.count())] == \
        [c.grade.letter for c in m.columns]
    assert frame.locator("thead .colname").all_inner_texts() == [c.name for c in m.columns]
    assert [e.get_attribute("data-row") for e in frame.locator("tbody tr[data-row]").all()] == [r.id for r in m.rows]
    for r in m.rows:  # every cell, as `tosscan compare` computes it
        cells = frame.locator(f'tr[data-row="{r.id}"] td')
        assert [cells.nth(i).get_attribute("data-value") for i in range(cells.count())] == \
            [c.value for c in r.cells], r.id
    assert m.rows[0].differs  # rows where the platforms differ come first
    # the evidence on click, the filter by question
    row = next(r for r in m.rows if any(c.evidence for c in r.cells))
    i, cell = next((i, c) for i, c in enumerate(row.cells) if c.evidence)
    td = frame.locator(f'tr[data-row="{row.id}"] td').nth(i)
    td.locator("summary").click()
    assert " ".join(cell.evidence[0].quote.split())[:20] in td.locator("blockquote.ev").first.inner_text()
    frame.locator("form.cmp-filter select").select_option("ai_training")
    visible = frame.locator("tbody tr[data-row]:not([hidden])")
    assert visible.count() == 1 and visible.first.get_attribute("data-row") == "ai_training"
    frame.locator("form.cmp-filter select").select_option("")
    # four downloads, named after the columns
    for id_, ext in (("dl-html", ".html"), ("dl-md", ".md"), ("dl-csv", ".csv"), ("dl-json", ".json")):
        assert page.locator(f"#{id_}").is_visible()
        assert page.get_attribute(f"#{id_}", "download") == f"compare-画笺-云墨社区用户协议{ext}"
    with page.expect_download() as dl:
        page.click("#dl-csv")
    assert dl.value.suggested_filename.endswith(".csv")
    assert watch.errors == [] and watch.dialogs == [] and only_local(watch.requests, base), watch.errors
    ARTIFACTS.mkdir(exist_ok=True)
    td.locator("summary").click()  # closed again: the matrix as it opens
    page.evaluate("window.scrollTo(0, document.getElementById('result').offsetTop - 50)")
    page.screenshot(path=str(ARTIFACTS / "serve-compare-desktop.png"))
    if os.environ.get("TOSSCAN_DOCS_SHOTS"):
        page.screenshot(path=str(DOCS / "serve-compare-desktop.png"), type="png", scale="css")
    # back to a single scan: the CSV link is for comparisons only
    page.click("#tab-scan")
    page.fill("#scan-form textarea[name=text]", texts[1])
    submit_and_wait(page)
    report_frame(page)
    assert page.locator("#dl-csv").is_hidden() and page.locator("#dl-json").is_visible()


def test_compare_a_hostile_document_runs_no_script(open_page, base):
    page, watch = open_page("en")
    fill_compare(page, [HOSTILE, HUAJIAN.read_text(encoding="utf-8")], ["<script>window.__pwned=9</script>"])
    submit_and_wait(page, "#compare-form")
    frame = compare_frame(page)
    for summary in frame.locator("td summary").all():  # open every cell
        summary.click()
    time.sleep(0.3)
    assert "<script>window.__pwned=9</script>" in frame.locator("thead").inner_text()
    assert "<script>window.__pwned = 2</script>" in frame.locator("table.cmp").inner_text()
    matrix = next(f for f in page.frames if f.url.startswith("blob:"))
    assert matrix.evaluate("window.__pwned") is None and page.evaluate("window.__pwned") is None
    assert matrix.evaluate("document.querySelectorAll('script').length") == 1  # only the matrix's own
    assert matrix.evaluate("document.querySelectorAll('main img, main svg, main iframe').length") == 0
    assert matrix.evaluate("(() => { try { return parent.document.title; } catch (e) { return 'blocked'; } })()"
                           ) == "blocked"
    assert watch.dialogs == [] and watch.errors == [] and only_local(watch.requests, base), watch.errors


def test_compare_on_a_phone(open_page, base):
    page, watch = open_page("zh", PHONE)
    page.click("#tab-compare")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for sel in ("#compare-form button[type=submit]", "#compare-form button.add"):
        box = page.locator(sel).bounding_box()
        assert box and box["width"] > 300 and box["height"] >= 44, sel
    fill_compare(page, [HUAJIAN.read_text(encoding="utf-8"), YUNMO.read_text(encoding="utf-8")], ["画笺", "云墨"])
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(ARTIFACTS / "serve-compare-phone-form.png"), full_page=True)
    submit_and_wait(page, "#compare-form")
    frame = compare_frame(page)
    assert frame.locator("table.cmp").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    frame_box = page.locator("#report").bounding_box()
    assert frame_box and frame_box["width"] <= PHONE["width"] and frame_box["height"] > 400
    matrix = next(f for f in page.frames if f.url.startswith("blob:"))
    assert matrix.evaluate("document.documentElement.scrollWidth") <= frame_box["width"]  # only the table scrolls
    matrix.eval_on_selector(".cmp-wrap", "e => e.scrollLeft = 300")
    assert matrix.eval_on_selector(".cmp-wrap", "e => e.scrollLeft") > 0
    assert matrix.eval_on_selector("tbody th[scope=row]", "e => e.getBoundingClientRect().left") <= 20  # sticky
    matrix.eval_on_selector(".cmp-wrap", "e => e.scrollLeft = 0")
    page.screenshot(path=str(ARTIFACTS / "serve-compare-phone.png"))
    if os.environ.get("TOSSCAN_DOCS_SHOTS"):
        page.screenshot(path=str(DOCS / "serve-compare-phone.png"), type="png")
    assert watch.errors == [] and only_local(watch.requests, base), watch.errors
