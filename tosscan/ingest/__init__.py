"""Stage 1 — ingest: read an agreement as people get it and return the text to scan.

Inputs: a .txt/.md file (encoding detected), a saved web page (.html/.htm/.xhtml, .mht/.mhtml), a PDF with
a text layer, a .docx, an http(s) URL, or ``-`` for standard input. The kind is told by the bytes first
(``%PDF``, a zip holding ``word/document.xml``, a page that opens like HTML), then by the file's suffix
or the server's Content-Type, so a page renamed .txt or a PDF piped to ``-`` is read as what it is.

Only regular files are read (a FIFO would block and /dev/zero never ends), up to a size limit
(``TOSSCAN_MAX_BYTES``, 20 MB by default) enforced while reading, before any parsing.

For .txt/.md the decoded string is the ORIGINAL text: every offset tosscan reports is a code-point offset
into it, and a UTF-8 byte-order mark is kept as the first character so that offsets agree with
``bytes.decode("utf-8")``. For the other formats offsets index the extracted text, which the result
carries (``document.text``). Nothing is ever written back to the input.
"""

from __future__ import annotations

import email
import email.policy
import os
import stat
import sys
import warnings
from pathlib import Path

from tosscan.errors import InputError, shown
from tosscan.ingest.source import (
    MAX_BYTES,
    Source,
    check_visible,
    forced_encoding,
    max_bytes,
    read_bounded,
    sha256,
    too_large,
)
from tosscan.ingest.text import DoubtfulEncoding, decode, detect, looks_like_html
from tosscan.ingest.url import fetch, is_url

__all__ = ["MAX_BYTES", "SUFFIXES", "Source", "decode", "extract", "from_bytes", "is_url", "max_bytes", "read"]

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml", ".xht"}
MHTML_SUFFIXES = {".mht", ".mhtml"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | MHTML_SUFFIXES | {".pdf", ".docx"}
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def read(path: str | Path, *, selector: str | None = None, user_agent: str | None = None) -> Source:
    """Read an agreement: a regular file, ``-`` for standard input, or an http(s) URL."""
    limit = max_bytes()
    if str(path) == "-":
        data = read_bounded(sys.stdin.buffer, limit, "<stdin>")
        return _source("<stdin>", data, "", selector=selector)
    if isinstance(path, str) and is_url(path):
        got = fetch(path, limit, user_agent)
        suffix = Path(got.url.split("?", 1)[0].split("#", 1)[0]).suffix.lower()
        return _source(path, got.data, suffix if suffix in SUFFIXES else "", media_type=got.media_type,
                       charset=got.charset, selector=selector,
                       extra={"url": got.url, "fetched_at": got.fetched_at, "media_type": got.media_type or None})
    p = Path(path)
    name = shown(p)
    try:
        st = os.stat(p)
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except OSError as e:
        raise InputError(f"{name}: cannot read ({e.strerror})") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{name}: is a directory; give agreement files")
    if not stat.S_ISREG(st.st_mode):  # a FIFO would block, /dev/zero never ends
        raise InputError(f"{name}: not a regular file (a FIFO, socket or device); give an agreement file or -")
    suffix = p.suffix.lower()
    if suffix == ".doc":
        raise InputError(f"{name}: old Word .doc files are not read; save it as .docx or PDF")
    if suffix not in SUFFIXES:
        raise InputError(f"{name}: unsupported file type {shown(p.suffix)!r}; tosscan reads .txt, .md, .html, "
                         ".mhtml, .pdf and .docx files, http(s) URLs and -")
    if st.st_size > limit:
        raise too_large(name, limit, st.st_size)
    try:
        with open(p, "rb") as fh:
            data = read_bounded(fh, limit, name)
    except OSError as e:
        raise InputError(f"{name}: cannot read ({e.strerror})") from None
    return _source(str(p), data, suffix, selector=selector)


def from_bytes(data: bytes, name: str) -> Source:
    """Read an agreement given as bytes with the file name it came under (an upload): the same suffix
    checks, size limit and extractors as :func:`read`, with nothing touching the disk."""
    shown_name = shown(name)
    suffix = Path(name).suffix.lower()
    if suffix == ".doc":
        raise InputError(f"{shown_name}: old Word .doc files are not read; save it as .docx or PDF")
    if suffix not in SUFFIXES:
        raise InputError(f"{shown_name}: unsupported file type {shown(suffix)!r}; tosscan reads .txt, .md, .html, "
                         ".mhtml, .pdf and .docx files")
    limit = max_bytes()
    if len(data) > limit:
        raise too_large(shown_name, limit, len(data))
    return _source(name, data, suffix)


def kind_of(data: bytes, suffix: str = "", media_type: str | None = None) -> str:
    """"pdf", "docx", "mhtml", "html" or "text": the bytes first, then the suffix / Content-Type."""
    media = (media_type or "").lower()
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if suffix in MHTML_SUFFIXES or media in ("multipart/related", "message/rfc822", "application/x-mimearchive"):
        return "mhtml"
    if suffix in HTML_SUFFIXES or media in ("text/html", "application/xhtml+xml"):
        return "html"
    if suffix == ".pdf" or media == "application/pdf":
        return "pdf"
    if suffix == ".docx" or media == DOCX_TYPE:
        return "docx"
    if suffix not in (".md", ".markdown") and looks_like_html(data):
        return "html"  # a saved page renamed .txt, a page piped to standard input or served as text/plain
    return "text"


def extract(data: bytes, name: str, suffix: str = "", *, media_type: str | None = None, charset: str | None = None,
            selector: str | None = None) -> tuple[str, str, str, tuple[float, str | None]]:
    """Return (text, encoding, extractor, (encoding confidence, doubt)) of an agreement given as bytes."""
    kind = kind_of(data, suffix, media_type)
    shown_name = shown(name)
    if selector and kind not in ("html", "mhtml"):
        raise InputError(f"{shown_name}: --selector applies to web pages, and this is {kind}")
    if kind == "pdf":
        if not data.startswith(b"%PDF-") and b"%PDF-" not in data[:1024]:
            raise InputError(f"{shown_name}: not a PDF file (no %PDF header)")
        from tosscan.ingest.pdf import EXTRACTOR, extract_pdf

        return extract_pdf(data, name), "binary", EXTRACTOR, (1.0, None)
    if kind == "docx":
        if not data.startswith(b"PK\x03\x04"):
            raise InputError(f"{shown_name}: not a .docx file (not a zip archive)")
        from tosscan.ingest.docx import EXTRACTOR, extract_docx

        return extract_docx(data, name, max_bytes()), "utf-8", EXTRACTOR, (1.0, None)
    if kind == "mhtml":
        data, charset = _mhtml_page(data, shown_name)
        kind = "html"
    if kind == "html":
        from tosscan.ingest.html import extract_html

        text, encoding = extract_html(data, name, selector, forced_encoding() or charset)
        return text, encoding, "html", (1.0, None)
    d = detect(data, shown_name, charset, forced_encoding())
    return d.text, d.encoding, "text", (d.confidence, d.doubt)


def _mhtml_page(data: bytes, name: str) -> tuple[bytes, str | None]:
    """The HTML part of a single-file saved page (.mht/.mhtml, "Webpage, Single File")."""
    msg = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in msg.walk():
        if part.get_content_type() in ("text/html", "application/xhtml+xml"):
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                return payload, part.get_content_charset()
    raise InputError(f"{name}: no HTML page inside this .mhtml archive")


def _source(path: str, data: bytes, suffix: str, *, media_type: str | None = None, charset: str | None = None,
            selector: str | None = None, extra: dict | None = None) -> Source:
    name = shown(path)
    text, encoding, extractor, (confidence, doubt) = extract(data, path, suffix, media_type=media_type,
                                                             charset=charset, selector=selector)
    check_visible(text, name, "no visible text" if extractor == "text" else f"no text found by the {extractor} reader")
    if doubt:
        warnings.warn(f"{name}: {doubt}", DoubtfulEncoding, stacklevel=3)
    return Source(path=path, text=text, encoding=encoding, sha256=sha256(data), extractor=extractor, data=data,
                  encoding_confidence=confidence, encoding_doubt=doubt, **(extra or {}))
