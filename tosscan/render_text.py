"""The terminal summary: per document, findings grouped by concept, with clause numbers and quotes."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from tosscan.rules import SEVERITIES, load_concepts

if TYPE_CHECKING:
    from tosscan.pipeline import ScanResult

STYLE = {"high": "bold red", "medium": "yellow", "low": "cyan", "info": "dim"}
QUOTE_MAX = 140


def _short(s: str, n: int = QUOTE_MAX) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def render_text(results: list[ScanResult], file: IO[str] | None = None) -> None:
    console = Console(file=file, highlight=False, soft_wrap=False, width=None if file is None else 120)
    concepts = load_concepts()
    for r in results:
        d = r.document
        lang = d.language
        console.print(Text(d.path, style="bold"))
        console.print(Text(f"{d.language} · {d.chars:,} chars · {len(r.findings)} findings · "
                           f"sha256 {d.sha256[:12]}", style="dim"))
        if not r.findings:
            console.print("  no findings\n")
            continue
        for cid, meta in concepts.items():
            group = [f for f in r.findings if cid in f.concepts]
            if not group:
                continue
            worst = max((f.severity for f in group), key=SEVERITIES.index)
            label = meta.get(lang, meta.get("en", cid))
            other = meta.get("en") if lang == "zh" else meta.get("zh")
            console.print(f"  [{STYLE[worst]}]■[/] [bold]{escape(label)}[/] [dim]{escape(other or '')} · {cid}"
                          f" · {len(group)}[/]")
            grid = Table.grid(padding=(0, 2))
            grid.add_column(justify="right", style="dim", min_width=10, no_wrap=True)
            grid.add_column(overflow="fold")
            for f in group:
                grid.add_row(f"§{f.clause}" if f.clause else "—", Text(_short(f.quote)))
            console.print(Padding(grid, (0, 0, 0, 2)))
        console.print()
