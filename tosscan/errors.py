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
