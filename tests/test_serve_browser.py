"""`tosscan serve` in a real browser: the real server (uvicorn on a free 127.0.0.1 port, in a thread) driven
by Debian's chromium through playwright. Paste → answers, upload .txt and .docx → report, a bad upload is a
message, a hostile agreement runs nothing, a 390-px phone is usable, diff works. Screenshots go to
``artifacts/`` (``TOSSCAN_DOCS_SHOTS=1`` also writes the small ones README shows, ``docs/serve-*.png``).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from .browser import ARTIFACTS, DESKTOP, PHONE, Watch, require
from .conftest import ROOT, SAMPLES
from .test_browser import HOSTILE
from .test_input_docx import ZH_DOC, build

require()

DOCS = ROOT / "docs"
HUAJIAN = SAMPLES / "huajian-user-agreement.txt"
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
