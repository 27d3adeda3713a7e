"""Plain text: detect the encoding (UTF-8 with or without BOM, GB18030/GBK, Big5, UTF-16), and say when
the guess is doubtful.

UTF-8 is certain when the bytes decode as UTF-8. Anything else is a guess, and a short legacy-encoded
snippet can read as other text in another encoding (a few Shift-JIS bytes are also valid GB18030). So a
guess is checked against the usual rivals (GB18030, Big5, Shift-JIS, EUC-KR, cp1252): when one of them
also decodes the bytes into text that reads as well (charset-normalizer's mess ratio), when the text reads
poorly, or when there are too few non-ASCII bytes to tell, the result says so (``Decoded.doubt``, a
confidence below 0.5) and ``--encoding`` (``TOSSCAN_ENCODING``) forces an encoding.
"""

from __future__ import annotations

import codecs
import re
from typing import NamedTuple

from tosscan.errors import InputError

# Encodings agreements are published in; charset-normalizer chooses among them.
CANDIDATES = ["utf_8", "gb18030", "big5", "utf_16"]
# Encodings a short legacy snippet may really be in: a guess that one of them reads as well is doubtful.
RIVALS = ["gb18030", "big5hkscs", "cp932", "euc_kr", "cp1252"]
SAMPLE = 65_536  # bytes compared between rivals (the guess itself is made on the whole file)
MIN_NON_ASCII = 8  # fewer non-ASCII bytes than this: too little to tell one encoding from another
MARGIN = 0.1  # a rival whose mess ratio is within this of the guess's reads as well


class Decoded(NamedTuple):
    text: str
    encoding: str
    confidence: float = 1.0  # 1.0 for UTF-8, a BOM, pure ASCII or a forced encoding
    doubt: str | None = None  # why the encoding is a guess (one line), or None


class DoubtfulEncoding(UserWarning):
    """A document's encoding was guessed with low confidence (the CLI prints it as one line)."""


def encoding_codec(name: str) -> str:
    """The Python codec of an encoding name given by a user (``--encoding``), or ValueError."""
    codec = charset_codec(name)
    if codec is None or not getattr(codecs.lookup(codec), "_is_text_encoding", True):
        raise ValueError(f"unknown text encoding {name!r} (try utf-8, gb18030, big5, shift_jis, euc_kr, cp1252)")
    return codec


def looks_binary(data: bytes) -> bool:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with BOM is text
        return False
    head = data[:8192]
    return b"\x00" in head or any(head.startswith(m) for m in (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"GIF8"))


def decode(data: bytes, name: str = "<bytes>", hint: str | None = None) -> tuple[str, str]:
    """Return (text, encoding) or raise InputError with a one-line reason (see :func:`detect`)."""
    from tosscan.ingest.source import forced_encoding

    return detect(data, name, hint, forced_encoding())[:2]


def detect(data: bytes, name: str = "<bytes>", hint: str | None = None, forced: str | None = None) -> Decoded:
    """The text, its encoding and how sure that is, or InputError with a one-line reason.

    ``forced`` (``--encoding``) is used alone: bytes that do not decode in it are an error. ``hint`` is a
    declared charset (an HTTP header, an HTML ``<meta charset>``): used when the bytes decode in it.
    """
    if forced:
        codec = encoding_codec(forced)
        try:
            return Decoded(data.decode(codec), codec)
        except UnicodeDecodeError as e:
            raise InputError(f"{name}: does not decode as {codec} (byte 0x{data[e.start]:02x} at offset "
                             f"{e.start:,}); check --encoding") from None
    if looks_binary(data):
        raise InputError(f"{name}: not a text file (binary data); give a .txt, .md, .html, .pdf or .docx agreement")
    try:
        return Decoded(data.decode("utf-8"), "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8")
    except UnicodeDecodeError:
        pass
    if hint:
        codec = charset_codec(hint)
        if codec:
            try:
                return Decoded(data.decode(codec), codec)
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
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Decoded(text, best.encoding)
    return Decoded(text, best.encoding, *_doubt(data, best.encoding))


def _sample(data: bytes, codec: str) -> str | None:
    """The first ``SAMPLE`` bytes decoded in ``codec`` (a character cut at the end is dropped), or None."""
    try:
        return codecs.getincrementaldecoder(codec)().decode(data[:SAMPLE], final=len(data) <= SAMPLE)
    except (UnicodeDecodeError, LookupError):
        return None


def _doubt(data: bytes, encoding: str) -> tuple[float, str | None]:
    """(confidence, why it is doubtful or None) of a guessed encoding."""
    from charset_normalizer.md import mess_ratio

    guess = _sample(data, encoding)
    if guess is None:
        return 0.0, f"the encoding is a guess ({encoding}); give --encoding if the text looks wrong"
    mess = min(1.0, mess_ratio(guess))
    confidence = round(1.0 - mess, 2)
    non_ascii = sum(b >= 0x80 for b in data[:SAMPLE])
    rivals = []
    for codec in RIVALS:
        if codecs.lookup(codec).name == codecs.lookup(encoding).name:
            continue
        other = _sample(data, codec)
        if other is not None and other != guess and mess_ratio(other) <= mess + MARGIN:
            rivals.append(codec)
    if rivals:
        why = f"it reads as well in {', '.join(rivals)}"
    elif mess > MARGIN:
        why = "some characters look wrong"
    elif non_ascii < MIN_NON_ASCII:
        why = f"only {non_ascii} non-ASCII byte{'s' if non_ascii != 1 else ''} to tell by"
    else:
        return confidence, None
    return min(confidence, 0.4), f"the encoding is a guess ({encoding}; {why}); give --encoding if the text looks wrong"


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
