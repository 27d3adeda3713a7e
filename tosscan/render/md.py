"""The Markdown report, for pasting into an article: grade, verdicts, findings with clause numbers and quotes.

Reads the same view model as the HTML report. Agreement text is hostile and Markdown is live markup:
every piece of it is escaped (``md_escape``) so that ``[x](javascript:…)``, ``<script>`` or ``**`` in
an agreement stay text in whatever renders the Markdown.
"""

from __future__ import annotations

import re

from tosscan.render.view import DocumentView, ReportView, Segment

_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
_LEADING = re.compile(r"^(\s*\d*)([#+=.)-])")


def md_escape(text: str) -> str:
    """Make agreement text inert in Markdown: fold line breaks into spaces (a quote stays one line),
    backslash-escape the characters that start inline syntax (emphasis, links, images, code, raw HTML,
    entities, table cells), and a leading marker of a heading, list or setext line."""
    text = _INLINE.sub(r"\\\1", " ".join(text.split()))
    m = _LEADING.match(text)
    if m and (m.group(1).strip() == "") == (m.group(2) in "#+=-"):  # "# …", "- …" or "12. …", "3) …"
        text = f"{m.group(1)}\\{text[m.end(1):]}"
    return text


def _excerpt(segments: list[Segment]) -> str:
    """The excerpt with its cue in bold (cues are words, so the ** always delimit emphasis)."""
    out: list[str] = []
    for s in segments:
        shown = s.display
        t = md_escape(shown)
        t = f"**{t}**" if s.evidence and t.strip() else t
        # md_escape folds white space: keep a space where the piece had one at its edge ("custom **learning** models")
        lead = " " if shown[:1].isspace() and out and not out[-1].endswith(" ") else ""
        out.append(lead + t + (" " if shown[-1:].isspace() and t else ""))
    return "".join(out).strip()


def render_document(doc: DocumentView) -> str:
    L = doc.labels
    zh = doc.ui_lang == "zh"
    q1, q2 = ("「", "」") if zh else ("“", "”")
    out: list[str] = []
    out.append(f"# {md_escape(doc.title)}")
    out.append("")
    out.append(f"**{md_escape(doc.summary_head)}**{doc.summary_sep}{md_escape(doc.summary_tail)}")
    out.append("")
    out.append(f"{L['grade']}: **{doc.grade.letter}**. {md_escape(doc.grade.description)}")
    out.append("")
    out.append(f"## {md_escape(L['answers'])}")
    out.append("")
    head = ("问题", "回答", "依据") if zh else ("Question", "Answer", "Evidence")
    out.append(f"| {head[0]} | {head[1]} | {head[2]} |")
    out.append("|---|---|---|")
    for v in doc.verdicts:
        if v.primary is not None:
            e = v.primary
            ev = (f"{md_escape(e.clause_label)} {q1}{'…' if e.cut_before else ''}{_excerpt(e.excerpt)}"
                  f"{'…' if e.cut_after else ''}{q2}")
            if v.counter is not None:
                c = v.counter
                ev += (f" / {md_escape(c.clause_label)} {q1}{'…' if c.cut_before else ''}{_excerpt(c.excerpt)}"
                       f"{'…' if c.cut_after else ''}{q2}")
            more = [md_escape(x.clause_label) for x in v.more]
            if more:
                ev += f" ({md_escape(L['also'])}: {', '.join(more)})"
        else:
            ev = "—"
        if v.note:
            ev += f" — {md_escape(v.note)}"
        out.append(f"| {md_escape(v.question)} | **{md_escape(v.answer_label)}** | {ev} |")
    out.append("")
    out.append(f"## {md_escape(L['findings'])} ({len(doc.findings)})")
    out.append("")
    if not doc.findings:
        out.append(md_escape(L["no_findings"]))
        out.append("")
    for f in doc.findings:
        where = md_escape(f.clause_label) + (f" {md_escape(f.heading)}" if f.heading else "")
        out.append(f"### {where} · {md_escape(f.title)} ({md_escape(f.severity_label)})")
        out.append("")
        out.append(f"> {md_escape(f.quote)}")
        out.append("")
        out.append(md_escape(f.explanation))
        out.append("")
        concepts = ", ".join(md_escape(c.label) for c in f.concepts)
        rules = ", ".join(f"`{r}`" for r in f.rules)
        out.append(f"{md_escape(L['concepts'])}: {concepts} · {md_escape(L['rules'])}: {rules} · "
                   f"{f.start}–{f.end}")
        out.append("")
    out.append(f"## {md_escape(L['about'])}")
    out.append("")
    for m in doc.meta:
        value = f"`{m.value}`" if m.mono and "`" not in m.value else md_escape(m.value)
        out.append(f"- {md_escape(m.label)}: {value}")
    out.append("")
    out.append(f"### {md_escape(L['method'])}")
    out.append("")
    for p in doc.method:
        out.append(md_escape(p))
        out.append("")
    g = doc.grade
    out.append(f"{L['point.good']} {g.good} − {L['point.bad']} {g.bad} − 3 × {L['point.blocker']} {g.blocker}"
               f" = {L['balance']} {g.balance} → **{g.letter}**")
    out.append("")
    out.append(f"*{md_escape(L['disclaimer'])}*")
    return "\n".join(out) + "\n"


def render_md(view: ReportView) -> str:
    return "\n---\n\n".join(render_document(d) for d in view.documents)
