"""The CSV report: one row per finding, from the same view model as the HTML report.

Columns: document, clause, heading, start, end, severity, concepts, rules, quote, explanation.
``concepts`` and ``rules`` are ids joined by "; ". ``quote`` is the sentence as a reader sees it (for markdown,
without its inline markup; ``start``/``end`` still index the file). Several documents share one header. A cell that a
spreadsheet would run as a formula (it starts with = + - @, a tab or a carriage return) gets a
leading apostrophe: agreement text is hostile.
"""

from __future__ import annotations

import csv
import io

from tosscan.render.view import ReportView

COLUMNS = ("document", "clause", "heading", "start", "end", "severity", "concepts", "rules", "quote",
           "explanation")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA) else value


def rows(view: ReportView) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for doc in view.documents:
        for f in doc.findings:
            out.append({
                "document": doc.path,
                "clause": f.clause or "",
                "heading": f.heading or "",
                "start": str(f.start),
                "end": str(f.end),
                "severity": f.severity,
                "concepts": "; ".join(c.id for c in f.concepts),
                "rules": "; ".join(f.rules),
                "quote": f.quote,
                "explanation": f.explanation,
            })
    return out


def render_csv(view: ReportView) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\r\n")
    w.writeheader()
    for row in rows(view):
        w.writerow({k: safe_cell(v) for k, v in row.items()})
    return buf.getvalue()
