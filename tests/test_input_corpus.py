"""The same agreement as .txt, as a web page, as a PDF, as a DOCX and as markdown: the same findings, clause by clause.

Reads a corpus agreement from ../shared/corpus (skipped when absent; never copied into the project) and
renders it in each format inside the test.
"""

from __future__ import annotations

import html
import io
import json
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


CLAUSE = re.compile(r"^(\d+\.\d+)\s*(.*)$")


def as_markdown() -> bytes:
    """As a converter writes it (Open Terms Archive, a saved page): a setext title and setext sections, bold
    clause numbers ("**1.1** …"), the site's name linked in clause 1.1, a <br> after list items ending in "；"."""
    out: list[str] = []
    linked = False
    for i, line in enumerate(lines()):
        if not line.strip():
            continue
        if i == 0:
            out += [line, "=" * 12, ""]
        elif HEADING.match(line):
            out += [line, "-" * 12, ""]
        elif m := CLAUSE.match(line):
            body = m.group(2)
            if not linked and "豆瓣网" in body:
                body = body.replace("豆瓣网", "[豆瓣网](https://www.douban.com/)", 1)
                linked = True
            out += [f"**{m.group(1)}** {body}", ""]
        elif re.match(r"\d+）", line):
            out += [line.replace("；", "；<br>", 1) if line.endswith("；") else line, ""]
        else:
            out += [line, ""]
    return "\n".join(out).encode("utf-8")


def signature(result) -> set[tuple[str | None, str]]:
    return {(f.clause or None, c) for f in result.findings for c in f.concepts}  # "": under an unnumbered title


@needs_corpus()
@pytest.mark.parametrize("suffix, build, extractor", [
    (".html", as_html, "html"), (".pdf", as_pdf, "pdf:pypdf"), (".docx", as_docx, "docx"),
    (".md", as_markdown, "text"),
])
def test_every_rendering_finds_what_the_text_finds(scanner, tmp_path, suffix, build, extractor):
    from tosscan.ingest import read

    base = scanner.scan_source(read(DOC))
    p = tmp_path / f"douban{suffix}"
    p.write_bytes(build())
    r = scanner.scan_source(read(p))
    assert r.document.extractor == extractor
    assert {c for f in r.findings for c in f.concepts} == {c for f in base.findings for c in f.concepts}
    assert {f.clause or None for f in r.findings} == {f.clause or None for f in base.findings}
    assert signature(r) == signature(base)
    assert r.grade.letter == base.grade.letter
    assert [a.answer for a in r.answers] == [a.answer for a in base.answers]


@needs_corpus()
def test_markdown_rendering_reads_as_text(scanner, tmp_path):
    from tosscan.ingest import read
    from tosscan.render import render

    p = tmp_path / "douban.md"
    p.write_bytes(as_markdown())
    r = scanner.scan_source(read(p))
    assert r.structure is not None and r.structure.markup  # read as markdown
    data = json.loads(render([r], "json"))
    assert all(r.text[f["start"]:f["end"]] == f["quote"] for f in data["findings"])
    shown = [f["display"] for f in data["findings"]]
    assert not any("**" in q or "](" in q or "<br>" in q or "\\" in q for q in shown)
    assert any("[豆瓣网](https://www.douban.com/)" in f["quote"] for f in data["findings"])
    assert any(q.startswith("豆瓣网的运营者") for q in shown)
