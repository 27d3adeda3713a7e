"""The diff and history pages in a real browser (Debian's chromium via playwright): they load offline
with no error, show the rights lost on top with inline highlights, and a hostile agreement runs nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tosscan.api import scan_text
from tosscan.diff import compare, diff_files, history
from tosscan.render import render_diff, render_history

from .browser import ARTIFACTS, DESKTOP, PHONE, open_page, require
from .conftest import SAMPLES

require()

HUIYU = SAMPLES / "versions" / "huiyu"
HOSTILE_OLD = "用户协议\n1.1 您同意授予平台免费的许可，以使用您上传的作品。\n1.2 其他条款。\n"
HOSTILE_NEW = ("<script>window.__pwned = 1</script>用户协议\n"
               "1.1 您同意授予平台免费的、永久的许可<img src=x onerror=\"window.__pwned = 2\">，以使用您上传的作品。\n"
               "1.2 <a href=\"javascript:window.__pwned = 3\" id=\"evil\">点我</a><style>body{display:none}</style>\n")



@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("diff")
    d = diff_files(HUIYU / "huiyu-user-agreement-2023-05-01.txt", HUIYU / "huiyu-user-agreement-2024-03-15.txt")
    hostile = compare(scan_text(HOSTILE_OLD, "zh", "old.txt"), scan_text(HOSTILE_NEW, "zh", "new.txt"))
    docs = {"diff": render_diff(d, "html"), "diff-en": render_diff(d, "html", ui_lang="en"),
            "hostile": render_diff(hostile, "html"), "history": render_history(history([HUIYU]), "html", lang="zh")}
    paths = {}
    for name, html in docs.items():
        paths[name] = out / f"{name}.html"
        paths[name].write_text(html, encoding="utf-8")
    return paths


def _open(browser, path: Path, viewport=DESKTOP):
    return open_page(browser, path, viewport)


def test_diff_page_shows_rights_lost_first(browser, pages):
    ctx, page, watch = _open(browser, pages["diff"])
    try:
        assert watch.errors == [] and watch.dialogs == []
        assert watch.outside() == []
        assert page.inner_text("#grade-old") == "B" and page.inner_text("#grade-new") == "E"
        lost = page.inner_text("#lost")
        assert "是否永久？" in lost and "用于训练人工智能" in lost
        rights_top = page.eval_on_selector("#rights", "e => e.getBoundingClientRect().top")
        clauses_top = page.eval_on_selector("#clauses", "e => e.getBoundingClientRect().top")
        assert rights_top < clauses_top
        assert "永久的、不可撤销的" in page.inner_text("#clauses ins")  or \
            any("永久" in t for t in page.eval_on_selector_all("#clauses ins", "es => es.map(e => e.textContent)"))
        assert page.eval_on_selector("ins", "e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "diff-desktop.png"), full_page=False)
    finally:
        ctx.close()


def test_diff_page_in_english_and_on_a_phone(browser, pages):
    ctx, page, watch = _open(browser, pages["diff-en"], PHONE)
    try:
        assert "What changed in your rights" in page.inner_text("#rights-h")
        assert page.eval_on_selector("body", "e => e.scrollWidth <= window.innerWidth + 1")
        assert watch.errors == []
    finally:
        ctx.close()


def test_hostile_diff_runs_nothing(browser, pages):
    ctx, page, watch = _open(browser, pages["hostile"])
    try:
        assert page.evaluate("window.__pwned === undefined")
        assert watch.dialogs == [] and page.query_selector("#evil") is None
        assert page.query_selector("img") is None
        assert "<script>" in page.inner_text("body") or "<img" in page.inner_text("body")
        assert page.is_visible("#rights")  # the document's <style> did not hide the page
        assert watch.outside() == []
    finally:
        ctx.close()


def test_history_timeline_page(browser, pages):
    ctx, page, watch = _open(browser, pages["history"])
    try:
        assert watch.errors == []
        heads = page.eval_on_selector_all("table.tl thead th[scope=col]", "es => es.map(e => e.textContent)")
        assert heads[0].startswith("2023-05-01") and "2024-11-20" in heads[1]  # the folded version
        row = page.eval_on_selector_all('tr[data-id="ai.training"] td', "es => es.map(e => e.className)")
        assert row == ["tone-unknown", "tone-bad chg", "tone-bad"]
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "history-desktop.png"), full_page=True)
    finally:
        ctx.close()
