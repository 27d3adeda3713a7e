"""Render stage: a scan result in the format a reader wants, in the interface language they read.

``view`` builds the view model (one language, segments, verdict cards); ``html``, ``md`` and ``csv``
render it; ``json`` and ``text`` are siblings that read the result directly. ``strings.yaml`` holds the
interface words as data. Use :func:`render`; nothing here changes the result.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tosscan.pipeline import ScanResult
    from tosscan.results.diff import DiffResult, HistoryResult
    from tosscan.results.matrix import Matrix

FORMATS = ("text", "json", "html", "md", "csv")


def render(results: Sequence[ScanResult], fmt: str, ui_lang: str | None = None, *, color: bool = False,
           width: int | None = None) -> str:
    """Render scan results as "text", "json", "html" (one self-contained page), "md" or "csv".

    ``ui_lang`` ("zh" or "en") is the interface language; None follows each document's language. With
    several results the HTML has one section per document, JSON is an array, the others concatenate.
    CSV starts with a BOM so that spreadsheet programs read the Chinese right. ``color`` and ``width``
    apply to the terminal summary ("text").
    """
    return "".join(render_pieces(results, fmt, ui_lang, color=color, width=width))


def render_pieces(results: Sequence[ScanResult], fmt: str, ui_lang: str | None = None, *, color: bool = False,
                  width: int | None = None) -> Iterator[str]:
    """``render`` piece by piece: JSON and HTML are made as they are written (``tosscan.output.write_report``
    or standard output), so a huge report never exists whole in memory. The pieces join to ``render``'s text."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")
    if ui_lang not in (None, "zh", "en"):
        raise ValueError(f"ui_lang must be 'zh', 'en' or None, not {ui_lang!r}")
    results = list(results)
    if fmt == "json":
        from tosscan.render.json import json_pieces

        return _chunked(json_pieces(results, ui_lang))
    if fmt == "text":
        from tosscan.render.text import render_text

        return iter([render_text(results, ui_lang, color=color, width=width)])
    from tosscan.render.view import MAX_CARDS, build_report

    view = build_report(results, ui_lang, MAX_CARDS if fmt == "html" else None)
    if fmt == "html":
        from tosscan.render.html import html_pieces

        return _chunked(html_pieces(view))
    if fmt == "md":
        from tosscan.render.md import render_md

        return iter([render_md(view)])
    from tosscan.render.csv import render_csv

    return iter(["\ufeff" + render_csv(view)])


def _chunked(pieces: Iterable[str], size: int = 1 << 16) -> Iterator[str]:
    """Small pieces joined into chunks of about ``size`` characters (fewer, larger writes)."""
    buf: list[str] = []
    n = 0
    for p in pieces:
        buf.append(p)
        n += len(p)
        if n >= size:
            yield "".join(buf)
            buf.clear()
            n = 0
    if buf:
        yield "".join(buf)


DIFF_FORMATS = ("text", "json", "html", "md")
HISTORY_FORMATS = ("text", "json", "html", "md", "csv")


def render_diff(result: DiffResult, fmt: str, ui_lang: str | None = None) -> str:
    """Render a ``tosscan.diff`` comparison as "text", "json", "html" (one self-contained page) or "md"."""
    if fmt not in DIFF_FORMATS:
        raise ValueError(f"unknown format {fmt!r} (expected one of {', '.join(DIFF_FORMATS)})")
    if fmt == "json":
        from tosscan.render.diff_json import render_diff_json

        return render_diff_json(result)
    from tosscan.render.diff_view import build_diff

    view = build_diff(result, ui_lang)
    if fmt == "html":
        from tosscan.render.diff_html import render_diff_html

        return render_diff_html(view)
    if fmt == "md":
        from tosscan.render.diff_md import render_diff_md

        return render_diff_md(view)
    from tosscan.render.diff_text import render_diff_text

    return render_diff_text(view)


def render_history(result: HistoryResult, fmt: str, ui_lang: str | None = None, lang: str = "en") -> str:
    """Render a version history as "text", "json", "html" (a timeline page), "md" or "csv" (one row per
    event). ``lang`` is the agreement's language (the interface follows it unless ``ui_lang`` is given)."""
    if fmt not in HISTORY_FORMATS:
        raise ValueError(f"unknown format {fmt!r} (expected one of {', '.join(HISTORY_FORMATS)})")
    if fmt in ("json", "csv"):
        from tosscan.render.diff_json import render_history_csv, render_history_json

        return render_history_json(result) if fmt == "json" else render_history_csv(result)
    from tosscan.render.diff_view import build_history

    view = build_history(result, ui_lang, lang)
    if fmt == "html":
        from tosscan.render.diff_html import render_history_html

        return render_history_html(view)
    if fmt == "md":
        from tosscan.render.diff_md import render_history_md

        return render_history_md(view)
    from tosscan.render.diff_text import render_history_text

    return render_history_text(view)


COMPARE_FORMATS = ("html", "md", "csv", "json")


def render_compare(matrix: Matrix, fmt: str, ui_lang: str | None = None) -> str:
    """Render a comparison matrix (``tosscan.compare.build_matrix``) as "html", "md", "csv" or "json".

    ``ui_lang`` None follows the first document's language. CSV starts with a BOM, like the report's.
    """
    if fmt not in COMPARE_FORMATS:
        raise ValueError(f"unknown format {fmt!r} (expected one of {', '.join(COMPARE_FORMATS)})")
    if fmt == "json":
        from tosscan.render.compare_json import render_compare_json

        return render_compare_json(matrix)
    from tosscan.render.compare_view import build_compare

    view = build_compare(matrix, ui_lang)
    if fmt == "html":
        from tosscan.render.html import render_compare_html

        return render_compare_html(view)
    if fmt == "md":
        from tosscan.render.compare_md import render_compare_md

        return render_compare_md(view)
    from tosscan.render.compare_csv import render_compare_csv

    return "\ufeff" + render_compare_csv(view)
