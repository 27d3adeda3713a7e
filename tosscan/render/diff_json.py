"""The machine formats of ``tosscan diff`` and ``tosscan history``: JSON (the result models, as
documented in README) and, for history, CSV (one row per event, with a BOM for spreadsheets)."""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any

from tosscan import __version__

if TYPE_CHECKING:
    from tosscan.results.diff import DiffResult, HistoryResult


def diff_dict(d: DiffResult) -> dict[str, Any]:
    data = d.model_dump(mode="json")
    return {"tosscan": {"name": "tosscan", "version": __version__}, **data, "cosmetic_only": d.cosmetic_only}


def render_diff_json(d: DiffResult) -> str:
    return json.dumps(diff_dict(d), ensure_ascii=False, indent=2) + "\n"


def render_history_json(h: HistoryResult) -> str:
    data = {"tosscan": {"name": "tosscan", "version": __version__}, **h.model_dump(mode="json")}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render_history_csv(h: HistoryResult) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["date", "path", "kind", "id", "change", "old", "new", "severity", "clause", "quote"])
    rows: list[tuple] = []
    for e in h.events:
        rows.append((e.date or "", e.path, "concept", e.concept, e.change, "", "", e.severity, e.clause or "",
                     " ".join(e.quote.split())))
    for a in h.answer_events:
        rows.append((a.date or "", a.path, "answer", a.question, "changed", a.old, a.new, "", a.clause or "",
                     " ".join(a.quote.split())))
    rows.sort(key=lambda r: (r[0], r[2] != "answer"))
    for r in rows:
        w.writerow([_cell(x) for x in r])
    return "\ufeff" + buf.getvalue()


def _cell(x: object) -> str:
    """Defuse spreadsheet formulas in agreement text (=, +, -, @ at the start of a cell)."""
    s = str(x)
    return "'" + s if s[:1] in ("=", "+", "-", "@", "\t", "\r") else s
