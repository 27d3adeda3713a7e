"""The diff and history reports in Markdown, for pasting into an article. Every piece of agreement text
is escaped (``md_escape``); deletions are ~~struck~~ and insertions **bold**."""

from __future__ import annotations

from tosscan.render.diff_view import AnswerRow, DiffView, HistoryView, Op, Quote, RightRow
from tosscan.render.md import md_escape


def _ops(ops: list[Op]) -> str:
    out: list[str] = []
    for o in ops:
        t = md_escape(o.text)
        core = t.strip()
        if o.op == "equal" or not core:
            out.append(t if o.op != "delete" or core else "")
            continue
        lead, trail = t[: len(t) - len(t.lstrip())], t[len(t.rstrip()):]
        out.append(f"{lead}{'~~' if o.op == 'delete' else '**'}{core}{'~~' if o.op == 'delete' else '**'}{trail}")
    return "".join(out)


def _q(q: Quote | None, zh: bool) -> str:
    if q is None:
        return ""
    a, b = ("「", "」") if zh else ("“", "”")
    return f"{md_escape(q.clause_label)} {a}{md_escape(q.text)}{b}"


def _item(r: AnswerRow | RightRow, zh: bool) -> str:
    if isinstance(r, AnswerRow):
        line = f"- **{md_escape(r.question)}** {md_escape(r.old_label)} → **{md_escape(r.new_label)}**"
        if r.old_quote:
            line += f"\n  - {md_escape(r.old_quote.clause_label)} (old): {_q(r.old_quote, zh)}"
        if r.new_quote:
            line += f"\n  - {md_escape(r.new_quote.clause_label)} (new): {_q(r.new_quote, zh)}"
        return line
    line = f"- **{md_escape(r.label)}** ({md_escape(r.change_label)}, {md_escape(r.severity_label)}) `{r.concept}`"
    if r.ops and r.new_quote:
        line += f"\n  - {md_escape(r.new_quote.clause_label)}: {_ops(r.ops)}"
    else:
        q = r.old_quote if r.change == "removed" else r.new_quote
        if q:
            line += f"\n  - {_q(q, zh)}"
    return line


def render_diff_md(v: DiffView) -> str:
    zh = v.ui_lang == "zh"
    L = v.L
    out = [f"# {md_escape(v.title)}", "",
           f"{L['old']}: `{v.old.path}` {v.old.date} ({L['grade']} **{v.old.grade}**) → "
           f"{L['new']}: `{v.new.path}` {v.new.date} ({L['grade']} **{v.new.grade}**)", "",
           f"**{md_escape(v.summary)}**", "", f"## {md_escape(L['rights'])}", ""]
    if not v.answers and not v.rights:
        out += [md_escape(L["cosmetic_only"] if v.cosmetic_only else L["no_rights_change"]), ""]
    for title, rows in ((L["worse"], v.lost), (L["better"], v.gained),
                        (L["neutral"], [r for r in v.rights if r.direction == "neutral"])):
        if rows:
            out += [f"### {md_escape(title)} ({len(rows)})", "", *(_item(r, zh) for r in rows), ""]
    out += [f"## {md_escape(L['clauses'])}", "", md_escape(v.folded_note), ""]
    for c in v.clauses:
        where = c.old_label if c.old_label == c.new_label else " → ".join(x for x in (c.old_label, c.new_label) if x)
        out.append(f"- *{md_escape(c.status_label)}* {md_escape(where)} {md_escape(c.heading)}"
                   + (f" ({md_escape(c.note)})" if c.note else "") + (f": {_ops(c.ops)}" if c.ops else ""))
    out += ["", f"*{md_escape(L['disclaimer'])}*", ""]
    return "\n".join(out)


def render_history_md(v: HistoryView) -> str:
    L = v.L
    head = "| | " + " | ".join(md_escape(x.date or x.path) for x in v.versions) + " |"
    out = [f"# {md_escape(v.title)}", "", head, "|---" * (len(v.versions) + 1) + "|",
           f"| {md_escape(L['grade'])} | " + " | ".join(x.grade for x in v.versions) + " |"]
    for r in v.rows:
        cells = [f"**{md_escape(c.label)}**" if c.changed else md_escape(c.label) for c in r.cells]
        out.append(f"| {md_escape(r.label)} | " + " | ".join(cells) + " |")
    out += ["", f"## {md_escape(L['events'])}", ""]
    if not v.events:
        out.append(md_escape(L["no_events"]))
    for e in v.events:
        out.append(f"- `{e.date}` **{md_escape(e.label)}** {md_escape(e.change)}: {_q(e.quote, v.ui_lang == 'zh')}")
    out += ["", f"*{md_escape(L['disclaimer'])}*", ""]
    return "\n".join(out)
