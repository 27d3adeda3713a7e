"""Agreements arrive in UTF-8, UTF-8 with BOM, GB18030/GBK and Big5; anything else is refused cleanly."""

from __future__ import annotations

import codecs

import pytest

from tosscan.errors import InputError
from tosscan.ingest import read

ZH = "第一条 您同意授予平台免费的、不可撤销的许可。\n第二条 本协议适用中华人民共和国法律。\n" * 3
TW = "第一條 您同意授予平台免費的、不可撤銷的許可。\n第二條 本協議適用中華民國法律。\n" * 3


@pytest.mark.parametrize("data, encoding, text", [
    (ZH.encode("utf-8"), "utf-8", ZH),
    (b"\xef\xbb\xbf" + ZH.encode("utf-8"), "utf-8-sig", "\ufeff" + ZH),
    (ZH.encode("gb18030"), "gb18030", ZH),
    (ZH.encode("gbk"), "gb18030", ZH),
    (TW.encode("big5"), "big5", TW),
])
def test_encodings(tmp_path, data, encoding, text):
    p = tmp_path / "a.txt"
    p.write_bytes(data)
    src = read(p)
    assert src.text == text
    assert codecs.lookup(src.encoding).name == codecs.lookup(encoding).name
    assert p.read_bytes() == data  # input never modified


@pytest.mark.parametrize("name, data, words", [
    ("a.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
    ("a.txt", b"%PDF-1.7\n%\xe2\xe3", "cannot read the PDF"),  # told by its bytes, whatever its name
    ("a.txt", b"", "empty"),
    ("a.txt", b"  \n\t\n", "empty"),
    ("a.pdf", b"hello", "not a PDF"),
    ("a.docx", b"hello", "not a .docx"),
    ("a.doc", b"\xd0\xcf\x11\xe0", "save it as .docx"),
    ("a.exe", b"hello", "unsupported file type"),
])
def test_bad_input(tmp_path, name, data, words):
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(InputError, match=words):
        read(p)


def test_missing_and_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="is a directory"):
        read(tmp_path)
