"""The comparison page's view model: the matrix (``tosscan.compare``) in one interface language.

Like ``view.py`` for the report: everything shown is computed here, and the HTML, Markdown and CSV
renderers only loop and escape. Question texts come from ``questions.yaml``, concept names from
``concepts.yaml``, the page's words from ``strings.yaml`` (``compare``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tosscan.catalog import load_concepts, load_questions
from tosscan.render.view import _strings, clause_label, grade_text, labels

if TYPE_CHECKING:
    from tosscan.results.matrix import Matrix

QUOTE_MAX = 400  # characters of a quote a cell shows (the JSON keeps it whole)


def compare_labels(ui: str) -> dict[str, str]:
    return _strings()["compare"][ui]


@dataclass(frozen=True)
class EvidenceView:
    clause_label: str
    quote: str
    side_label: str  # the answer this quote supports ("是"/"否"), shown when a cell has both sides


@dataclass(frozen=True)
class CellView:
    value: str  # yes | no | not_stated
    label: str  # 是 / 否 / 未说明, or 有 / 未发现 for a concept
    tone: str  # good | bad | neutral | unknown
    tone_label: str
    clause_label: str  # the first quote's clause ("" without evidence)
    note: str
    evidence: list[EvidenceView]
    text_lang: str = "zh-CN"  # the HTML language tag of the quotes (the document's language)


@dataclass(frozen=True)
class RowView:
    id: str  # question or concept id
    anchor: str  # "row-ai_training"
    kind: str  # question | concept
    label: str
    differs: bool
    cells: list[CellView]


@dataclass(frozen=True)
class GroupView:
    id: str  # questions | concepts
    label: str
    rows: list[RowView]


@dataclass(frozen=True)
class ColumnView:
    id: str
    name: str
    title: str
    path: str
    sha256: str
    scanned_at: str
    language: str
    findings: int
    letter: str
    grade_class: str  # "A" … "E", "NA"
    grade_desc: str
    balance: str  # "−1 good · 2 bad · …" in words


@dataclass
class CompareView:
    ui_lang: str
    labels: dict[str, str]  # the comparison page's words
    report_labels: dict[str, str]  # the report's words (yes/no, severities, notes)
    title: str
    columns: list[ColumnView]
    groups: list[GroupView]
    version: str

    @property
    def rows(self) -> list[RowView]:
        return [r for g in self.groups for r in g.rows]


def _short(s: str, n: int = QUOTE_MAX) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def build_compare(matrix: Matrix, ui_lang: str | None = None) -> CompareView:
    """The view model of a comparison; ``ui_lang`` None follows the first document's language."""
    if ui_lang not in (None, "zh", "en"):
        raise ValueError(f"ui_lang must be 'zh', 'en' or None, not {ui_lang!r}")
    ui = ui_lang or ("en" if matrix.columns and matrix.columns[0].language == "en" else "zh")
    C, L = compare_labels(ui), labels(ui)
    questions = {q.id: q for q in load_questions()}
    concepts = load_concepts()
    columns = []
    for c in matrix.columns:
        g = c.grade
        balance = (f"{L['point.good']} {g.good} − {L['point.bad']} {g.bad} − 3 × {L['point.blocker']} {g.blocker}"
                   f" = {g.balance}")
        columns.append(ColumnView(c.id, c.name, c.title, c.path, c.sha256, c.scanned_at, c.language, c.findings,
                                  g.letter, g.letter.replace("/", ""), grade_text(ui, g.letter), balance))
    groups: dict[str, list[RowView]] = {"question": [], "concept": []}
    for r in matrix.rows:
        if r.kind == "question":
            q = questions.get(r.id)
            label = getattr(q, ui) if q is not None else r.id
        else:
            label = concepts.get(r.id, {}).get(ui, r.id)
        cells = []
        for cell, col in zip(r.cells, matrix.columns, strict=True):
            if r.kind == "concept":
                value_label = C["found"] if cell.value == "yes" else C["not_found"]
            else:
                value_label = L[cell.value]
            both = len({e.side for e in cell.evidence}) > 1
            ev = [EvidenceView(clause_label(e.clause, ui), _short(e.quote), L[e.side] if both else "")
                  for e in cell.evidence]
            note = L.get(f"note.{cell.note}", "") if cell.note else ""
            cells.append(CellView(cell.value, value_label, cell.tone, C[f"tone.{cell.tone}"],
                                  ev[0].clause_label if ev else "", note, ev,
                                  "zh-CN" if col.language == "zh" else "en"))
        groups[r.kind].append(RowView(r.id, f"row-{r.id}", r.kind, label, r.differs, cells))
    group_views = [GroupView("questions", C["questions"], groups["question"])]
    if groups["concept"]:
        group_views.append(GroupView("concepts", C["concepts"], groups["concept"]))
    title = f"{C['title']} · " + (" / ".join(c.name for c in matrix.columns) if len(matrix.columns) <= 4
                                   else f"{len(matrix.columns)} {C['documents']}")
    return CompareView(ui, C, L, title, columns, group_views, matrix.tosscan.version)
