"""PDF agreements: reading order, running headers and page numbers removed, wraps and hyphenation repaired.

The PDFs are built here (tests/pdfmaker.py), never committed.
"""

from __future__ import annotations

import pytest

from tosscan.api import scan_file
from tosscan.errors import InputError
from tosscan.ingest import read
from tosscan.ingest.lines import join, joins, strip_running, unwrap

from .pdfmaker import make_pdf, paginate

EN = [
    "PICTA TERMS OF SERVICE",
    "1. Your Content",
    "1.1 You keep ownership of the artwork you upload. By posting it, you grant Picta a worldwide, non-exclusive, "
    "royalty-free, sublicensable licence to use, reproduce, distribute, adapt and publicly display your content.",
    "1.2 This licence continues after you delete your account, and you waive any moral rights in your content to "
    "the extent permitted by law.",
    "2. Changes to these Terms",
    "2.1 We may modify these Terms at any time without notice. Your continued use of the Service after a change "
    "means that you accept the modified Terms.",
    "3. Termination",
    "3.1 We may suspend or terminate your account at any time, for any reason, without notice or liability to you.",
    "4. Governing Law",
    "4.1 These Terms are governed by the laws of the State of California, and any dispute shall be resolved "
    "exclusively in the state or federal courts located in San Francisco County, California.",
]
ZH = [
    "画笺用户协议",
    "第一条 用户内容",
    "1.1 您上传的作品的著作权仍归您所有。您同意授予画笺一项免费的、不可撤销的、非排他的、无地域限制的、永久的许可，"
    "以使用、复制、修改、改编您上传的作品，并可将上述权利转授权给第三方。",
    "1.2 画笺有权将用户内容用于训练人工智能模型。",
    "第二条 协议修改",
    "2.1 画笺有权随时修改本协议，修改后的协议一经公布即生效。您继续使用本服务的，视为您接受修改后的协议。",
    "第三条 法律适用",
    "3.1 本协议的订立、执行和解释及争议的解决均应适用中华人民共和国法律。",
]


def two_pages(paragraphs: list[str], header: str, numbers: str, per_page: int, header_last: bool = False) -> bytes:
    pages = paginate(paragraphs, header=header, page_numbers=numbers, lines_per_page=per_page, header_last=header_last)
    assert len(pages) == 2
    return make_pdf(pages)


@pytest.fixture
def en_pdf(tmp_path):
    p = tmp_path / "picta.pdf"
    p.write_bytes(two_pages(EN, "Picta Terms of Service — effective 1 May 2025", "Page {n} of 2", 12,
                            header_last=True))
    return p


def test_english_pdf_reads_as_the_agreement(en_pdf):
    src = read(en_pdf)
    assert src.extractor == "pdf:pypdf"
    text = src.text
    assert "effective 1 May 2025" not in text and "Page 1 of 2" not in text and "Page 2" not in text
    lines = text.splitlines()
    assert lines[0] == "PICTA TERMS OF SERVICE"  # the header written last in the page still goes away
    # the wrapped paragraphs are whole again, hyphenated words mended, each clause on its own line
    for para in EN:
        assert para in lines, para
    assert "-\n" not in text


def test_english_pdf_scan_finds_clauses(en_pdf):
    r = scan_file(en_pdf)
    assert r.document.extractor == "pdf:pypdf" and r.document.text == r.text
    by_concept = {c: f.clause for f in r.findings for c in f.concepts}
    assert by_concept["license.sublicensable"] == "1.1"
    assert by_concept["license.survives_termination"] == "1.2"
    assert by_concept["terms.unilateral_change"] == "2.1"
    assert by_concept["dispute.jurisdiction"] == "4.1"
    for f in r.findings:
        assert r.text[f.start:f.end] == f.quote


def test_chinese_pdf_joins_lines_without_spaces(tmp_path):
    p = tmp_path / "huajian.pdf"
    p.write_bytes(two_pages(ZH, "画笺用户协议（2025年版）", "第 {n} 页", 6))
    text = read(p).text
    assert "第 1 页" not in text and "2025年版" not in text
    lines = text.splitlines()
    for para in ZH:
        assert para in lines, para
    r = scan_file(p)
    by_concept = {c: f.clause for f in r.findings for c in f.concepts}
    assert by_concept["license.irrevocable"] == "第一条.1.1" or by_concept["license.irrevocable"].endswith("1.1")
    assert by_concept["ai.training"].endswith("1.2")


def test_a_scanned_pdf_is_a_clear_error(tmp_path):
    p = tmp_path / "scan.pdf"
    p.write_bytes(make_pdf([], blank_pages=2))
    with pytest.raises(InputError, match="no text layer"):
        read(p)


@pytest.mark.parametrize("data, words", [
    (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "cannot read the PDF"),
    (b"%PDF-1.4\n" + b"\x00" * 100, "cannot read the PDF"),
])
def test_a_broken_pdf_is_one_line(tmp_path, data, words):
    p = tmp_path / "broken.pdf"
    p.write_bytes(data)
    with pytest.raises(InputError, match=words) as e:
        read(p)
    assert "\n" not in str(e.value)


def test_a_pdf_on_standard_input(en_pdf, monkeypatch):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", type("S", (), {"buffer": io.BytesIO(en_pdf.read_bytes())})())
    assert read("-").extractor == "pdf:pypdf"


# --------------------------------------------------------------------------- the line rules


def test_wrap_rules():
    assert join("用户内容的许可", "是永久的。") == "用户内容的许可是永久的。"
    assert join("you grant us a", "licence") == "you grant us a licence"
    assert join("repro-", "duce") == "reproduce"
    assert not joins("第一条 用户内容", "1.1 您上传的作品")       # a clause label starts a line
    assert not joins("本协议自公布之日起生效。", "您继续使用")       # a sentence end
    assert not joins("you accept the terms.", "we may change")
    assert not joins("the licence includes:", "(a) the right")
    assert not joins("governed by the laws of", "Section 5 applies")  # "Section 5" is a label
    assert joins("you grant", "Picta a licence")                       # a name goes on the sentence
    assert not joins("LIMITATION OF LIABILITY", "In no event")
    text = unwrap(["第一条 定义", "本协议中的用户内容是指您在本服务上发布的任何内容，包括文字、图片、音频",
                   "、视频等。", "第二条 授权"])
    assert text.splitlines() == ["第一条 定义",
                                 "本协议中的用户内容是指您在本服务上发布的任何内容，包括文字、图片、音频、视频等。",
                                 "第二条 授权"]


def test_running_headers_and_page_numbers():
    pages = [["ACME Terms", "1. Intro", "text one", "- 1 -"], ["ACME Terms", "text two", "2. More", "- 2 -"],
             ["ACME Terms", "text three", "3"]]
    assert strip_running(pages) == [["1. Intro", "text one"], ["text two", "2. More"], ["text three"]]
