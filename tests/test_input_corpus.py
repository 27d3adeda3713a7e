"""The same agreement as .txt, as a web page, as a PDF and as a DOCX: the same findings, clause by clause.

Reads a corpus agreement from ../shared/corpus (skipped when absent; never copied into the project) and
renders it in each format inside the test.
"""

from __future__ import annotations

import html
import io
import re

import pytest

from .conftest import CORPUS_ZH, needs_corpus
from .pdfmaker import make_pdf, paginate

DOC = CORPUS_ZH / "zh-douban-user-agreement-2017-11-20.txt"
HEADING = re.compile(r"^\d+、\S")


def lines() -> list[str]:
    return DOC.read_text(encoding="utf-8").splitlines()


def as_html() -> bytes:
    body = []
    for line in lines():
        if not line.strip():
            continue
        tag = "h2" if HEADING.match(line) else "p"
        body.append(f"<{tag}>{html.escape(line)}</{tag}>")
    page = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>豆瓣使用协议</title>"
            "<script>window.dataLayer=[];</script><style>p{margin:0}</style></head><body>"
            "<div class='nav'><a href='/'>豆瓣</a> <a href='/login'>登录</a> <a href='/register'>注册</a></div>"
            "<div id='content'><div class='article'>" + "\n".join(body) + "</div>"
            "<div class='aside'><a href='/help'>帮助</a></div></div>"
            "<div id='footer'>© 2005－2017 douban.com, all rights reserved 北京豆网科技有限公司</div></body></html>")
    return page.encode("utf-8")


def as_pdf() -> bytes:
    pages = paginate(lines(), header="豆瓣使用协议", page_numbers="第 {n} 页", width_em=36, lines_per_page=40)
    return make_pdf(pages)


def as_docx() -> bytes:
    import docx

    doc = docx.Document()
    for line in lines():
        if line.strip():
            doc.add_paragraph(line, style="Heading 1" if HEADING.match(line) else None)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def signature(result) -> set[tuple[str | None, str]]:
    return {(f.clause, c) for f in result.findings for c in f.concepts}


@needs_corpus()
@pytest.mark.parametrize("suffix, build, extractor", [
    (".html", as_html, "html"), (".pdf", as_pdf, "pdf:pypdf"), (".docx", as_docx, "docx"),
])
def test_every_rendering_finds_what_the_text_finds(scanner, tmp_path, suffix, build, extractor):
    from tosscan.ingest import read

    base = scanner.scan_source(read(DOC))
    p = tmp_path / f"douban{suffix}"
    p.write_bytes(build())
    r = scanner.scan_source(read(p))
    assert r.document.extractor == extractor
    assert {c for f in r.findings for c in f.concepts} == {c for f in base.findings for c in f.concepts}
    assert {f.clause for f in r.findings} == {f.clause for f in base.findings}
    assert signature(r) == signature(base)
    assert r.grade.letter == base.grade.letter
    assert [a.answer for a in r.answers] == [a.answer for a in base.answers]
