"""The comparison as CSV, for a spreadsheet: one line per row of the matrix, three columns per
document (answer, clause, quote). The first data line holds the grades. Cells a spreadsheet would run
as a formula get a leading apostrophe (``safe_cell``), as in the report's CSV."""

from __future__ import annotations

import csv
import io

from tosscan.render.compare_view import CompareView
from tosscan.render.csv import safe_cell


def render_compare_csv(view: CompareView) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    header = ["kind", "id", "label", "differs"]
    for c in view.columns:
        header += [c.name, f"{c.name} · clause", f"{c.name} · quote"]
    w.writerow([safe_cell(h) for h in header])
    grade = ["grade", "grade", view.labels["grade"], ""]
    for c in view.columns:
        grade += [c.letter, "", c.balance]
    w.writerow([safe_cell(x) for x in grade])
    for r in view.rows:
        line = [r.kind, r.id, r.label, "yes" if r.differs else "no"]
        for cell in r.cells:
            e = cell.evidence[0] if cell.evidence else None
            line += [cell.value, e.clause_label if e else "", e.quote if e else ""]
        w.writerow([safe_cell(x) for x in line])
    return buf.getvalue()
