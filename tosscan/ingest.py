"""Stage 1 — ingest: read a .txt/.md file (or standard input) and decode it, detecting the encoding.

Only regular files are read (a FIFO would block and /dev/zero never ends), up to a size limit
(``TOSSCAN_MAX_BYTES``, 20 MB by default) that is enforced while reading, not after.

The decoded string is the ORIGINAL text: every offset tosscan reports is a code-point offset into it.
A UTF-8 byte-order mark is kept as the first character so that offsets agree with a plain
``bytes.decode("utf-8")`` of the file. Nothing is ever written back to the input.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import sys
from pathlib import Path
from typing import BinaryIO

from pydantic import BaseModel, ConfigDict

from tosscan.errors import InputError, shown

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


_VISIBLE = re.compile(r"[^\s\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufeff]")


def max_bytes() -> int:
    """The size limit of an agreement: ``TOSSCAN_MAX_BYTES`` or 20 MB."""
    try:
        return max(1, int(os.environ.get("TOSSCAN_MAX_BYTES", MAX_BYTES)))
    except ValueError:
        return MAX_BYTES


def _read_bounded(fh: BinaryIO, limit: int, name: str) -> bytes:
    data = fh.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"{name}: too large (over {limit:,} bytes; set TOSSCAN_MAX_BYTES to raise the limit)")
    return data


def read(path: str | Path) -> Source:
    """Read an agreement: a regular .txt/.md file, or ``-`` for standard input."""
    limit = max_bytes()
    if str(path) == "-":
        data = _read_bounded(sys.stdin.buffer, limit, "<stdin>")
        return _source("<stdin>", data)
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
    if p.suffix.lower() not in SUFFIXES:
        raise InputError(f"{name}: unsupported file type {shown(p.suffix)!r}; tosscan reads .txt and .md")
    if st.st_size > limit:
        raise InputError(f"{name}: too large ({st.st_size:,} bytes; limit {limit:,}; "
                         "set TOSSCAN_MAX_BYTES to raise it)")
    try:
        with open(p, "rb") as fh:
            data = _read_bounded(fh, limit, name)
    except OSError as e:
        raise InputError(f"{name}: cannot read ({e.strerror})") from None
    return _source(str(p), data)


def _source(path: str, data: bytes) -> Source:
    name = shown(path)
    text, encoding = decode(data, name)
    if not _VISIBLE.search(text):
        raise InputError(f"{name}: empty document (no visible text)")
    return Source(path=path, text=text, encoding=encoding, sha256=hashlib.sha256(data).hexdigest())
