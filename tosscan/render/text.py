"""The terminal summary: per document, the grade, the answers to the artist questions (with the clause
that answers each), then the findings grouped by concept with clause numbers and quotes."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from rich.console import Console
from rich.markup import escape
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from tosscan.catalog import SEVERITIES, load_concepts, load_questions
from tosscan.render.view import clause_label, display_of, labels

if TYPE_CHECKING:
    from tosscan.pipeline import ScanResult


class _Points(Protocol):
    letter: str
    blocker: int
    bad: int
    good: int
    findings: int


class BatchRow(Protocol):
    """What the batch summary reads of one document's outcome (``tosscan.batch.Outcome`` has it); the
    renderer names the shape, not the batch module above it."""

    index: int
    path: str
    ok: bool
    summary: _Points | None
    error: str | None
    extra: dict

STYLE = {"high": "bold red", "medium": "yellow", "low": "cyan", "info": "dim"}
TONE = {"bad": ("✗", "bold red"), "good": ("✓", "bold green"), "unknown": ("·", "dim")}
QUOTE_MAX = 140


# terminal control sequences (CSI, OSC, other ESC sequences) and every other C0/C1 control character:
# agreement text and file names must not move the cursor, retitle the window or recolour the terminal
_CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]{0,512}(?:\x07|\x1b\\)?|\x1b[@-_]?|"
                      r"\x9b[0-?]*[ -/]*[@-~]|[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(s: str) -> str:
    """Text from an agreement or a file name, safe for a terminal."""
    return _CONTROL.sub("", s)


def clean_name(s: str) -> str:
    """A file name on one line: control characters dropped, a line break or tab shown escaped."""
    return clean(s.replace("\n", "\\n").replace("\t", "\\t"))


def _short(s: str, n: int = QUOTE_MAX) -> str:
    s = " ".join(clean(s).split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _answers(console: Console, result: ScanResult, ui: str) -> None:
    L = labels(ui)
    questions = {q.id: q for q in load_questions()}
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold", max_width=60)
    grid.add_column(no_wrap=True)
    grid.add_column(style="dim", no_wrap=True)
    for a in sorted(result.answers, key=lambda a: a.answer == "not_stated"):
        q = questions.get(a.question)
        if q is None:
            continue
        side = q.yes if a.answer == "yes" else q.no if a.answer == "no" else None
        mark, style = TONE[side.tone if side is not None else "unknown"]
        where = clean(clause_label(a.evidence[0].clause, ui)) if a.evidence else ""
        grid.add_row(Text(mark, style=style), Text(getattr(q, ui)), Text(L[a.answer], style=style), Text(where))
        if a.note:
            grid.add_row("", Text(L.get("note." + a.note, a.note), style="dim"), "", "")
    console.print(Padding(grid, (0, 0, 0, 2), expand=False))


def render_text(results: Sequence[ScanResult], ui_lang: str | None = None, *, color: bool = False,
                width: int | None = None) -> str:
    buf = io.StringIO()
    console = Console(file=buf, highlight=False, soft_wrap=False, width=width or 120,
                      force_terminal=color, no_color=not color, color_system="standard" if color else None)
    concepts = load_concepts()
    for r in results:
        d = r.document
        lang = d.language
        ui = ui_lang or ("en" if lang == "en" else "zh")
        g = r.grade
        console.print(Text(clean_name(d.path), style="bold"))
        via = "" if d.extractor == "text" else f" · {d.extractor}"
        console.print(Text(f"{d.language} · {d.chars:,} chars{via} · {len(r.findings)} findings · "
                           f"sha256 {d.sha256[:12]}", style="dim"))
        if d.url:
            console.print(Text(f"{clean(d.url)} · fetched {d.fetched_at}", style="dim"))
        if not r.findings:
            console.print("  no findings\n")
            continue
        console.print(Text(f"  grade {g.letter} · {g.blocker} blocker · {g.bad} bad · {g.good} good "
                           f"· balance {g.balance}", style="bold"))
        _answers(console, r, ui)
        console.print()
        for cid, meta in concepts.items():
            group = [f for f in r.findings if cid in f.concepts]
            if not group:
                continue
            worst = max((f.severity for f in group), key=SEVERITIES.index)
            label = meta.get(lang, meta.get("en", cid))
            other = meta.get("en") if lang == "zh" else meta.get("zh")
            console.print(f"  [{STYLE[worst]}]■[/] [bold]{escape(label)}[/] [dim]{escape(other or '')} · {cid}"
                          f" · {len(group)}[/]")
            shown = display_of(r)
            grid = Table.grid(padding=(0, 2))
            grid.add_column(justify="right", style="dim", min_width=10, no_wrap=True)
            grid.add_column(overflow="fold")
            for f in group:
                quote = shown.display(f.start, f.end)
                grid.add_row(Text(clean(f"§{f.clause}") if f.clause else "—"), Text(_short(quote)))
            console.print(Padding(grid, (0, 0, 0, 2), expand=False))
        console.print()
    return buf.getvalue()


GRADE_STYLE = {"A": "bold green", "B": "green", "C": "yellow", "D": "bold yellow", "E": "bold red"}


def render_batch_summary(outcomes: Sequence[BatchRow], *, seconds: float, jobs: int, color: bool = False,
                         width: int | None = None) -> str:
    """The table at the end of a batch scan: one line per document (grade, points, findings, where its
    report went, or why it failed), then the totals. ``outcomes`` are ``tosscan.batch.Outcome``s."""
    buf = io.StringIO()
    console = Console(file=buf, highlight=False, soft_wrap=False, width=width or 120,
                      force_terminal=color, no_color=not color, color_system="standard" if color else None)
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("#", justify="right", style="dim")
    table.add_column("document", overflow="fold", ratio=3)
    table.add_column("grade", justify="center")
    table.add_column("blocker", justify="right")
    table.add_column("bad", justify="right")
    table.add_column("good", justify="right")
    table.add_column("findings", justify="right")
    table.add_column("report / error", overflow="fold", ratio=2)
    failed = 0
    for o in outcomes:
        s = o.summary
        if o.ok and s is not None:
            where = clean(str(o.extra.get("written", "")))
            grade = Text(s.letter, style=GRADE_STYLE.get(s.letter, ""))
            table.add_row(str(o.index + 1), Text(clean_name(o.path)), grade,
                          str(s.blocker), str(s.bad), str(s.good), str(s.findings), Text(where, style="dim"))
        else:
            failed += 1
            table.add_row(str(o.index + 1), Text(clean_name(o.path)), Text("×", style="bold red"), "", "", "", "",
                          Text(clean(o.error or "failed"), style="red"))
    console.print(table)
    n = len(outcomes)
    line = f"{n} document{'s' if n != 1 else ''}: {n - failed} scanned, {failed} failed · {seconds:.1f} s · " \
           f"{jobs} worker{'s' if jobs != 1 else ''}"
    console.print(Text(line, style="bold red" if failed else "bold"))
    return buf.getvalue()
