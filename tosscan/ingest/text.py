"""Plain text: detect the encoding (UTF-8 with or without BOM, GB18030/GBK, Big5, UTF-16)."""

from __future__ import annotations

import codecs
import re

from tosscan.errors import InputError

# Encodings agreements are published in; charset-normalizer chooses among them.
CANDIDATES = ["utf_8", "gb18030", "big5", "utf_16"]


def looks_binary(data: bytes) -> bool:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with BOM is text
        return False
    head = data[:8192]
    return b"\x00" in head or any(head.startswith(m) for m in (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"GIF8"))


def decode(data: bytes, name: str = "<bytes>", hint: str | None = None) -> tuple[str, str]:
    """Return (text, encoding) or raise InputError with a one-line reason.

    ``hint`` is a declared charset (an HTTP header, an HTML ``<meta charset>``): used when the bytes
    decode in it, else ignored.
    """
    if looks_binary(data):
        raise InputError(f"{name}: not a text file (binary data); give a .txt, .md, .html, .pdf or .docx agreement")
    try:
        return data.decode("utf-8"), "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    except UnicodeDecodeError:
        pass
    if hint:
        codec = charset_codec(hint)
        if codec:
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                pass
    from charset_normalizer import from_bytes  # lazy: only non-UTF-8 files pay for it

    best = from_bytes(data, cp_isolation=CANDIDATES).best()
    if best is None:
        best = from_bytes(data).best()
    if best is None:
        raise InputError(f"{name}: cannot detect the text encoding (tried UTF-8, GB18030, Big5)")
    text = str(best)
    if text.count("\ufffd") > max(3, len(text) // 100):
        raise InputError(f"{name}: does not decode as text in {best.encoding}")
    return text, best.encoding


def charset_codec(label: str) -> str | None:
    """A declared charset as a Python codec; GB2312 and GBK are read as their superset GB18030."""
    label = label.strip().strip("\"'").lower()
    if label in ("gb2312", "gbk", "x-gbk", "gb_2312-80", "cp936"):
        return "gb18030"
    if label in ("big5", "big5-hkscs", "x-x-big5"):
        return "big5hkscs"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


_HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>]"
                         rb"|\?xml[^>]*>\s*(?:<!doctype\s+html|<html))", re.IGNORECASE | re.DOTALL)
_HTML_TAG = re.compile(r"</?(?:p|div|br|li|ol|ul|h[1-6]|span|table|tr|td|a|section|article|strong|b|em)\b[^>]*>",
                       re.IGNORECASE)


def looks_like_html(data: bytes) -> bool:
    """Is this "text" really a web page (a saved page renamed .txt, HTML piped to standard input)?

    Yes when it opens like a document (``<!DOCTYPE html>``, ``<html>``…), or when it starts with a tag
    and HTML tags are frequent (at least one per 400 characters, and at least five). Prose that merely
    mentions ``<p>`` is not HTML.
    """
    head = data[:65536]
    if _HTML_START.match(head):
        return True
    text = head.decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    if not text.startswith("<"):
        return False
    tags = len(_HTML_TAG.findall(text))
    return tags >= 5 and tags * 400 >= len(text)
