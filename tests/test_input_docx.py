"""DOCX agreements: paragraphs, headings, tables and Word's automatic numbering (numbering.xml).

The documents are built here with python-docx and numbering XML, never committed.
"""

from __future__ import annotations

import io
import zipfile

import pytest

from tosscan.api import scan_file
from tosscan.errors import InputError
from tosscan.ingest import read

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# abstractNum 10: a Chinese agreement: 第一条 / 1.1 (isLgl: the article number in decimal) / （一）
# abstractNum 11: an English one: 1. / 1.1 / (a) / (i); abstractNum 12: upper letters; 13: bullets
NUMBERING = f"""<w:numbering xmlns:w="{W_NS}">
<w:abstractNum w:abstractNumId="10">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="第%1条"/>
    <w:suff w:val="space"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:isLgl/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%3）"/>
    <w:suff w:val="nothing"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="11">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%3)"/></w:lvl>
  <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="(%4)"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="12">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%1."/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="13">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0b7"/></w:lvl>
</w:abstractNum>
<w:num w:numId="101"><w:abstractNumId w:val="10"/></w:num>
<w:num w:numId="102"><w:abstractNumId w:val="11"/></w:num>
<w:num w:numId="103"><w:abstractNumId w:val="12"/>
  <w:lvlOverride w:ilvl="0"><w:startOverride w:val="3"/></w:lvlOverride></w:num>
<w:num w:numId="104"><w:abstractNumId w:val="13"/></w:num>
</w:numbering>"""


def build(paragraphs: list[tuple[str, int | None, int, str | None]], table: list[list[str]] | None = None) -> bytes:
    """paragraphs: (text, numId or None, ilvl, style)."""
    import docx
    from docx.oxml import parse_xml

    doc = docx.Document()
    numbering = doc.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    for child in parse_xml(NUMBERING):
        numbering.append(child)
    for text, num_id, ilvl, style in paragraphs:
        p = doc.add_paragraph(text, style=style)
        if num_id is not None:
            ppr = p._p.get_or_add_pPr()
            ppr.append(parse_xml(f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/>'
                                 "</w:numPr>"))
    if table:
        t = doc.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                t.cell(r, c).text = cell
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


ZH_DOC = [
    ("画笺用户协议", None, 0, "Title"),
    ("用户内容", 101, 0, "Heading 1"),
    ("您上传的作品的著作权仍归您所有。", 101, 1, None),
    ("您同意授予画笺一项免费的、不可撤销的、永久的许可，以使用、复制、修改您上传的作品。", 101, 1, None),
    ("画笺可以将用户内容用于：", 101, 1, None),
    ("训练人工智能模型；", 101, 2, None),
    ("推广画笺的服务。", 101, 2, None),
    ("法律适用", 101, 0, "Heading 1"),
    ("本协议适用中华人民共和国法律。", 101, 1, None),
]


def test_word_numbering_is_written_out(tmp_path):
    p = tmp_path / "huajian.docx"
    p.write_bytes(build(ZH_DOC, table=[["版本", "日期"], ["2.0", "2025年5月1日"]]))
    src = read(p)
    assert src.extractor == "docx"
    assert src.text.splitlines() == [
        "画笺用户协议",
        "第一条 用户内容",
        "1.1 您上传的作品的著作权仍归您所有。",
        "1.2 您同意授予画笺一项免费的、不可撤销的、永久的许可，以使用、复制、修改您上传的作品。",
        "1.3 画笺可以将用户内容用于：",
        "（一）训练人工智能模型；",
        "（二）推广画笺的服务。",
        "第二条 法律适用",
        "2.1 本协议适用中华人民共和国法律。",
        "版本\t日期",
        "2.0\t2025年5月1日",
    ]
    r = scan_file(p)
    assert r.document.extractor == "docx" and r.document.text == r.text
    by_concept = {c: f.clause for f in r.findings for c in f.concepts}
    assert by_concept["license.irrevocable"].endswith("1.2")
    assert by_concept["dispute.choice_of_law"].endswith("2.1")
    for f in r.findings:
        assert r.text[f.start:f.end] == f.quote


def test_english_levels_letters_roman_and_overrides(tmp_path):
    p = tmp_path / "terms.docx"
    p.write_bytes(build([
        ("Your Content", 102, 0, None),
        ("You grant us a licence.", 102, 1, None),
        ("The licence covers:", 102, 1, None),
        ("copies;", 102, 2, None),
        ("adaptations, including", 102, 2, None),
        ("translations;", 102, 3, None),
        ("Termination", 102, 0, None),
        ("We may end your account.", 102, 1, None),
        ("Third schedule", 103, 0, None),
        ("a bullet", 104, 0, None),
        ("", 102, 1, None),       # an empty numbered paragraph takes its number and shows nothing
        ("After the empty one.", 102, 1, None),
    ]))
    assert read(p).text.splitlines() == [
        "1. Your Content", "1.1 You grant us a licence.", "1.2 The licence covers:", "(a) copies;",
        "(b) adaptations, including", "(i) translations;", "2. Termination", "2.1 We may end your account.",
        "C. Third schedule", "• a bullet", "2.3 After the empty one.",
    ]


def test_numbering_from_the_paragraph_style(tmp_path):
    """Headings numbered by their style (Heading 1 → numId 102), as Word's outline numbering does."""
    import docx
    from docx.oxml import parse_xml

    doc = docx.Document(io.BytesIO(build([])))
    style = doc.styles["Heading 1"]
    style.element.get_or_add_pPr().append(parse_xml(
        f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="0"/><w:numId w:val="102"/></w:numPr>'))
    doc.add_paragraph("Definitions", style="Heading 1")
    doc.add_paragraph("Plain text.")
    doc.add_paragraph("Your Content", style="Heading 1")
    buf = io.BytesIO()
    doc.save(buf)
    p = tmp_path / "styled.docx"
    p.write_bytes(buf.getvalue())
    assert read(p).text.splitlines() == ["1. Definitions", "Plain text.", "2. Your Content"]


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_a_zip_bomb_is_refused_unread(tmp_path, monkeypatch):
    monkeypatch.setenv("TOSSCAN_MAX_BYTES", "100000")
    p = tmp_path / "bomb.docx"
    p.write_bytes(_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<" + b"a" * 2_000_000 + b">"}))
    assert p.stat().st_size < 100000
    with pytest.raises(InputError, match="zip bomb"):
        read(p)


@pytest.mark.parametrize("entries, words", [
    ({"hello.txt": b"hi"}, "not a Word document"),
    ({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<not xml"}, "cannot read the .docx"),
])
def test_a_bad_docx_is_one_line(tmp_path, entries, words):
    p = tmp_path / "bad.docx"
    p.write_bytes(_zip(entries))
    with pytest.raises(InputError, match=words) as e:
        read(p)
    assert "\n" not in str(e.value)


def test_entities_in_docx_xml_are_not_resolved(tmp_path):
    data = build([("1. 本协议适用中华人民共和国法律。", None, 0, None)])
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        entries = {n: z.read(n) for n in z.namelist()}
    doc = entries["word/document.xml"].decode("utf-8")
    doc = doc.replace("?>", '?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', 1)
    entries["word/document.xml"] = doc.replace("1. 本协议", "&xxe;1. 本协议").encode("utf-8")
    p = tmp_path / "xxe.docx"
    p.write_bytes(_zip(entries))
    try:
        text = read(p).text
    except InputError:
        return  # refused outright is fine too
    assert "root:" not in text
