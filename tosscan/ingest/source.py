"""What every reader returns (``Source``) and the limits every reader enforces."""

from __future__ import annotations

import hashlib
import os
import re
from typing import BinaryIO

from pydantic import BaseModel, ConfigDict, Field

from tosscan.errors import InputError, shown

MAX_BYTES = 20_000_000


class Source(BaseModel):
    """An agreement as read: ``text`` is the text scanned, and every offset tosscan reports indexes it.

    For .txt/.md files ``text`` is the decoded file (``extractor`` "text"). For HTML, PDF and DOCX it is
    the text tosscan extracted (``extractor`` "html", "pdf:pypdf", "docx"), which the JSON result carries.
    ``sha256`` is always that of the exact bytes read (the file, standard input or the HTTP body).
    """

    model_config = ConfigDict(frozen=True)

    path: str
    text: str
    encoding: str
    sha256: str
    encoding_confidence: float = 1.0  # below 0.5 the encoding is a guess: see encoding_doubt
    encoding_doubt: str | None = None  # why (one line), for a warning; None when sure
    extractor: str = "text"
    url: str | None = None          # the URL fetched (after redirects)
    fetched_at: str | None = None   # when, in UTC (ISO 8601)
    media_type: str | None = None   # the server's Content-Type, for URLs
    snapshot: str | None = None     # where --save-snapshot kept the bytes
    data: bytes = Field(b"", exclude=True, repr=False)  # the exact bytes read, for --save-snapshot


_VISIBLE = re.compile(r"[^\s\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufeff]")


def forced_encoding() -> str | None:
    """The encoding to read text in instead of detecting it: ``--encoding`` / ``TOSSCAN_ENCODING``."""
    return os.environ.get("TOSSCAN_ENCODING") or None


def max_bytes() -> int:
    """The size limit of an agreement: ``TOSSCAN_MAX_BYTES`` or 20 MB."""
    try:
        return max(1, int(os.environ.get("TOSSCAN_MAX_BYTES", MAX_BYTES)))
    except ValueError:
        return MAX_BYTES


def too_large(name: str, limit: int, size: int | None = None) -> InputError:
    said = f"{size:,} bytes; limit {limit:,}" if size is not None else f"over {limit:,} bytes"
    return InputError(f"{name}: too large ({said}; set TOSSCAN_MAX_BYTES to raise the limit)")


def read_bounded(fh: BinaryIO, limit: int, name: str) -> bytes:
    data = fh.read(limit + 1)
    if len(data) > limit:
        raise too_large(name, limit)
    return data


def check_visible(text: str, name: str, what: str = "no visible text") -> None:
    if not _VISIBLE.search(text):
        raise InputError(f"{shown(name)}: empty document ({what})")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
