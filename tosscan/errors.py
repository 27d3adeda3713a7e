"""Errors the CLI turns into one-line messages and distinct exit codes (never a traceback)."""

from __future__ import annotations


class TosscanError(Exception):
    """Base: a message for the user and the exit code the CLI returns."""

    exit_code = 2


class InputError(TosscanError):
    """The document cannot be read as text (missing, binary, undecodable, empty)."""

    exit_code = 2


class CatalogError(TosscanError):
    """A rule file is invalid; the message names the file and line."""

    exit_code = 3


def shown(name: object) -> str:
    """A file name as it may be printed on one line: control characters and undecodable bytes escaped."""
    s = str(name)
    out = []
    for ch in s:
        if ch in "\n\r\t" or ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 or 0xDC80 <= ord(ch) <= 0xDCFF:
            out.append(repr(ch)[1:-1] if ord(ch) < 0xDC80 else f"\\x{ord(ch) - 0xDC00:02x}")
        else:
            out.append(ch)
    return "".join(out)
