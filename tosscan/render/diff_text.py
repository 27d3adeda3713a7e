"""The terminal summaries of ``tosscan diff`` and ``tosscan history`` (plain text: deletions as [-…-],
insertions as {+…+}, as ``git diff --word-diff`` writes them)."""

from __future__ import annotations

from tosscan.render.diff_view import DiffView, HistoryView, Op, Quote

MARK = {"worse": "✗", "better": "✓", "neutral": "~"}
QUOTE_MAX = 160


def _short(s: str, n: int = QUOTE_MAX) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _ops(ops: list[Op], limit: int = 400) -> str:
    out: list[str] = []
    for o in ops:
        t = " ".join(o.text.split()) if o.op != "equal" else o.text.replace("\n", " ")
        if o.op == "equal" and len(t) > 60:
            t = t[:25] + " … " + t[-25:]
        out.append(t if o.op == "equal" else f"[-{t}-]" if o.op == "delete" else f"{{+{t}+}}")
    s = "".join(out)
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _q(q: Quote | None) -> str:
    return f"{q.clause_label}  {_short(q.text)}" if q else ""


def render_diff_text(v: DiffView) -> str:
    L = v.L
    out = [f"{v.old.path} → {v.new.path}",
           f"  {L['grade']} {v.old.grade} → {v.new.grade} · {v.summary}"]
    if not v.answers and not v.rights:
        out.append("  " + (L["cosmetic_only"] if v.cosmetic_only else L["no_rights_change"]))
    if v.answers:
        out += ["", L["answers"]]
        for a in v.answers:
            out.append(f"  {MARK[a.direction]} {a.question}  {a.old_label} → {a.new_label}  "
                       f"{(a.new_quote or a.old_quote).clause_label if (a.new_quote or a.old_quote) else ''}")
    if v.rights:
        out += ["", L["rights"]]
        for r in v.rights:
            out.append(f"  {MARK[r.direction]} {r.change_label:<8} {r.label} · {r.concept} · {r.severity_label}")
            if r.ops and r.new_quote:
                out.append(f"        {r.new_quote.clause_label}  {_ops(r.ops, 240)}")
            else:
                out.append(f"        {_q(r.old_quote if r.change == 'removed' else r.new_quote)}")
    out += ["", f"{L['clauses']} · {v.folded_note}"]
    for c in v.clauses:
        where = c.old_label if c.old_label == c.new_label else " → ".join(x for x in (c.old_label, c.new_label) if x)
        out.append(f"  {c.status_label:<9} {where:<12} {_ops(c.ops, 200)}" + (f"  ({c.note})" if c.note else ""))
    return "\n".join(out) + "\n"


def render_history_text(v: HistoryView) -> str:
    L = v.L
    out = [f"{L['versions']}:"]
    for x in v.versions:
        out.append(f"  {x.date:<10}  {L['grade']} {x.grade:<3}  {x.path}" + (f"  ({L['folded']}: {x.folded})"
                                                                          if x.folded else ""))
    out += ["", f"{L['events']}:"]
    if not v.events:
        out.append("  " + L["no_events"])
    for e in v.events:
        out.append(f"  {e.date:<10}  {MARK[e.direction]} {e.label} · {e.change}")
        out.append(f"              {_q(e.quote)}")
    return "\n".join(out) + "\n"
