"""Stage 1 — ingest: read a .txt/.md file and decode it, detecting the encoding.

The decoded string is the ORIGINAL text: every offset tosscan reports is a code-point offset into it.
A UTF-8 byte-order mark is kept as the first character so that offsets agree with a plain
``bytes.decode("utf-8")`` of the file. Nothing is ever written back to the input.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from tosscan.errors import InputError

SUFFIXES = {".txt", ".md", ".markdown", ".text", ""}
# Encodings agreements are published in; charset-normalizer chooses among them.
CANDIDATES = ["utf_8", "gb18030", "big5", "utf_16"]
MAX_BYTES = 20_000_000


class Source(BaseModel):
    model_config = ConfigDict(frozen=True)

    path: str
    text: str
    encoding: str
    sha256: str


def _looks_binary(data: bytes) -> bool:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with BOM is text
        return False
    head = data[:8192]
    return b"\x00" in head or any(head.startswith(m) for m in (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"GIF8"))


def decode(data: bytes, name: str = "<bytes>") -> tuple[str, str]:
    """Return (text, encoding) or raise InputError with a one-line reason."""
    if _looks_binary(data):
        raise InputError(f"{name}: not a text file (binary data); give a .txt or .md agreement")
    try:
        return data.decode("utf-8"), "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
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


def read(path: str | Path) -> Source:
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file")
    if p.is_dir():
        raise InputError(f"{p}: is a directory; give agreement files")
    if p.suffix.lower() not in SUFFIXES:
        raise InputError(f"{p}: unsupported file type {p.suffix!r}; tosscan reads .txt and .md")
    try:
        data = p.read_bytes()
    except OSError as e:
        raise InputError(f"{p}: cannot read ({e.strerror})") from None
    if len(data) > MAX_BYTES:
        raise InputError(f"{p}: too large ({len(data):,} bytes; limit {MAX_BYTES:,})")
    text, encoding = decode(data, str(p))
    if not text.strip("\ufeff \t\r\n\u3000"):
        raise InputError(f"{p}: empty document")
    return Source(path=str(p), text=text, encoding=encoding, sha256=hashlib.sha256(data).hexdigest())
