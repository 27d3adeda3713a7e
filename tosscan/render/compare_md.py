"""The comparison as Markdown, for an article: the matrix as a table, then the quotes of the rows
where the agreements differ. Agreement text and names are escaped (``md_escape``)."""

from __future__ import annotations

from tosscan.render.compare_view import CompareView
from tosscan.render.md import md_escape


def render_compare_md(view: CompareView) -> str:
    C = view.labels
    zh = view.ui_lang == "zh"
    q1, q2 = ("「", "」") if zh else ("“", "”")
    out = [f"# {md_escape(view.title)}", "", md_escape(C["intro"]), ""]
    head = [md_escape(C["question"])] + [md_escape(c.name) for c in view.columns]
    out.append("| " + " | ".join(head) + " |")
    out.append("|" + "---|" * len(head))
    out.append("| **" + md_escape(C["grade"]) + "** | " +
               " | ".join(f"**{md_escape(c.letter)}**" for c in view.columns) + " |")
    for g in view.groups:
        out.append(f"| *{md_escape(g.label)}* |" + " |" * len(view.columns))
        for r in g.rows:
            label = md_escape(r.label) + (f" ({md_escape(C['differs'])})" if r.differs else "")
            cells = []
            for cell in r.cells:
                s = f"**{md_escape(cell.label)}**" if cell.value != "not_stated" else md_escape(cell.label)
                if cell.clause_label:
                    s += f" {md_escape(cell.clause_label)}"
                cells.append(s)
            out.append(f"| {label} | " + " | ".join(cells) + " |")
    out.append("")
    differing = [r for r in view.rows if r.differs]
    if differing:
        out.append(f"## {md_escape(C['where_differ'])}")
        out.append("")
        for r in differing:
            out.append(f"### {md_escape(r.label)}")
            out.append("")
            for c, cell in zip(view.columns, r.cells, strict=True):
                line = f"- **{md_escape(c.name)}**: {md_escape(cell.label)}"
                if cell.evidence:
                    e = cell.evidence[0]
                    line += f" — {md_escape(e.clause_label)} {q1}{md_escape(e.quote)}{q2}"
                if cell.note:
                    line += f" ({md_escape(cell.note)})"
                out.append(line)
            out.append("")
    out.append(f"## {md_escape(C['sources'])}")
    out.append("")
    for c in view.columns:
        path = f"`{c.path}`" if "`" not in c.path and "\n" not in c.path else md_escape(c.path)
        out.append(f"- **{md_escape(c.name)}**: {md_escape(c.title)} · {md_escape(C['grade'])} {md_escape(c.letter)} "
                   f"({md_escape(c.balance)}) · {path} · sha256 `{c.sha256}`")
    out.append("")
    out.append(f"*{md_escape(C['disclaimer'])}*")
    return "\n".join(out) + "\n"
