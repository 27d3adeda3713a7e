"""Compare versions of an agreement: what changed in the user's rights, then clause by clause.

    from tosscan.diff import diff_files, history
    d = diff_files("old.txt", "new.txt")
    d.answers      # answers that changed: perpetual yes → not_stated …
    d.rights       # concepts added / removed / changed / moved, by severity, with quotes
    d.clauses      # aligned clause pairs with inline diffs
    h = history(["versions/"])   # a timeline over dated files, a folder, or a file's git history

``align`` pairs clauses, ``inline`` diffs inside a clause, ``compare`` computes the rights delta of two
scan results, ``history`` reads versions (files, folders, git) and folds cosmetic-only ones. Scanning goes
through ``tosscan.api``; rendering is ``tosscan.render.render_diff`` / ``render_history``.
"""

from __future__ import annotations

from pathlib import Path

from tosscan.diff.compare import compare
from tosscan.diff.history import date_of, history, load_versions
from tosscan.results.diff import DiffResult, HistoryResult

__all__ = ["DiffResult", "HistoryResult", "compare", "date_of", "diff_files", "history", "load_versions"]


def diff_files(old: str | Path, new: str | Path, lang: str = "auto", rules: str | Path | None = None
               ) -> DiffResult:
    """Scan two versions and compare them (dates are read from the file names when they carry one)."""
    from tosscan.api import scan_file

    return compare(scan_file(old, lang, rules), scan_file(new, lang, rules), date_of(str(old)), date_of(str(new)))
