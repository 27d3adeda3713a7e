"""The library API: scan a text or a file, get the result model, render it in any format.

    from tosscan.api import render, render_pieces, scan_file
    result = scan_file("agreement.txt")
    result.grade.letter, result.answer("ai_training").answer
    html = render([result], "html", ui_lang="en")
    with open("report.json", "w", encoding="utf-8") as fh:   # a huge report, written as it is made
        fh.writelines(render_pieces([result], "json"))

``diff``, ``compare`` and a web server call this, not the CLI. A ``Scanner`` compiles its catalog once;
the functions here keep one per rules directory.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from tosscan.pipeline import Scanner, ScanResult
from tosscan.render import FORMATS, render, render_pieces

__all__ = ["FORMATS", "ScanResult", "Scanner", "render", "render_pieces", "scan_file", "scan_text", "scanner"]


@cache
def _scanner(rules: str | None) -> Scanner:
    return Scanner(rules)


def scanner(rules: str | Path | None = None) -> Scanner:
    """The scanner of the shipped catalog, or of the catalog in ``rules`` (compiled once per process)."""
    return _scanner(str(Path(rules).resolve()) if rules is not None else None)


def scan_text(text: str, lang: str = "auto", path: str = "<text>", rules: str | Path | None = None) -> ScanResult:
    """Scan an agreement given as text (``lang``: "auto", "zh" or "en")."""
    return scanner(rules).scan_text(text, lang, path)


def scan_file(path: str | Path, lang: str = "auto", rules: str | Path | None = None, *, selector: str | None = None,
              user_agent: str | None = None) -> ScanResult:
    """Scan an agreement: a .txt/.md (encoding detected), .html/.mhtml, .pdf or .docx file, ``-`` or an
    http(s) URL. ``selector`` is a CSS selector for the agreement in a web page. Raises ``InputError``
    on bad input (one line, for the user)."""
    return scanner(rules).scan_file(path, lang, selector=selector, user_agent=user_agent)
