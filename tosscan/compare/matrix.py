"""The comparison matrix: rows = the artist questions, then the other concepts; columns = documents.

Built from scan results only, so every format (HTML, Markdown, CSV, JSON) shows the same cells:

- a **question row** has one cell per document with that document's answer (``yes``, ``no``,
  ``not_stated``), its tone for the person who posts (``questions.yaml``), the answer's note and the
  evidence the scoring stage ordered best first;
- a **concept row** (a concept of ``concepts.yaml`` that no question asks about, found in at least one
  document) has ``yes`` when a finding of the document carries the concept, else ``not_stated``; its
  tone is the kind of grade point the concept made (blocker or bad → bad, good → good, no point →
  neutral);
- rows where the documents differ come first within each group, otherwise the file's order.

Each column is one document (several versions of one platform are several columns), named by
``--name`` or by the document's title; equal names get the file name to tell them apart.
The model classes live in ``tosscan.results.matrix`` (below the renderers) and are re-exported here.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING

from tosscan.catalog import SEVERITIES, load_concepts, load_questions
from tosscan.render.view import document_title
from tosscan.results.matrix import (
    MAX_EVIDENCE,
    Cell,
    CellEvidence,
    CellValue,
    Column,
    GradeSummary,
    Matrix,
    Row,
    Tone,
    ToolInfo,
)

if TYPE_CHECKING:
    from tosscan.pipeline import ScanResult

__all__ = ["MAX_EVIDENCE", "Cell", "CellEvidence", "CellValue", "Column", "GradeSummary", "Matrix", "Row", "Tone",
           "ToolInfo", "build_matrix", "column_names"]


def column_names(results: Sequence[ScanResult], names: Sequence[str] = ()) -> list[str]:
    """``names`` first (one per document, in order), then each document's title; equal names are told
    apart by the file name."""
    if len(names) > len(results):
        raise ValueError(f"{len(names)} names for {len(results)} documents")
    given = [n.strip() for n in names] + [""] * (len(results) - len(names))
    out = [g or document_title(r) for g, r in zip(given, results, strict=True)]
    first = list(out)  # counted before any is renamed, so that every one of them gets its file name
    for i, r in enumerate(results):  # titles shared by several documents (versions): add the file name
        if not given[i] and first.count(first[i]) > 1:
            out[i] = f"{document_title(r)} ({PurePath(r.document.path).stem or r.document.path})"
    seen: dict[str, int] = {}
    for i, n in enumerate(out):  # still equal (one file twice): number them
        seen[n] = seen.get(n, 0) + 1
        if seen[n] > 1:
            out[i] = f"{n} #{seen[n]}"
    return out


def _question_cell(result: ScanResult, qid: str, tones: dict[str, str]) -> Cell:
    a = result.answer(qid)
    ev = [CellEvidence(clause=e.clause, quote=e.quote, start=e.start, end=e.end, side=e.side)
          for e in a.evidence[:MAX_EVIDENCE]]
    tone: Tone = tones.get(a.answer, "unknown") if a.answer != "not_stated" else "unknown"  # type: ignore[assignment]
    return Cell(value=a.answer, tone=tone, note=a.note, evidence=ev)


def _concept_cell(result: ScanResult, cid: str) -> Cell:
    found = [f for f in result.findings if cid in f.concepts]
    if not found:
        return Cell(value="not_stated", tone="unknown")
    kind = next((p.kind for p in result.grade.points if p.concept == cid), None)
    tone: Tone = "neutral" if kind is None else ("good" if kind == "good" else "bad")

    def sev(f) -> int:
        return max((SEVERITIES.index(d.severity) for d in f.details if cid in d.concepts),
                   default=SEVERITIES.index(f.severity))

    found.sort(key=lambda f: (-sev(f), f.clause is None, f.start))
    ev: list[CellEvidence] = []
    clauses: set[str | None] = set()
    for f in found:
        if f.clause is not None and f.clause in clauses:
            continue
        clauses.add(f.clause)
        ev.append(CellEvidence(clause=f.clause, quote=f.quote, start=f.start, end=f.end, side="yes"))
        if len(ev) == MAX_EVIDENCE:
            break
    return Cell(value="yes", tone=tone, evidence=ev)


def _differs(cells: Sequence[Cell]) -> bool:
    return len({c.value for c in cells}) > 1


def build_matrix(results: Sequence[ScanResult], names: Sequence[str] = ()) -> Matrix:
    """The matrix of ``results`` (one column each, in order); ``names`` name the first columns."""
    results = list(results)
    if not results:
        raise ValueError("nothing to compare: no documents")
    col_names = column_names(results, names)
    columns = [Column(id=f"c{i}", name=n, title=document_title(r), path=r.document.path,
                      sha256=r.document.sha256, language=r.document.language, scanned_at=r.document.scanned_at,
                      findings=len(r.findings),
                      grade=GradeSummary(letter=r.grade.letter, good=r.grade.good, bad=r.grade.bad,
                                         blocker=r.grade.blocker, balance=r.grade.balance))
               for i, (n, r) in enumerate(zip(col_names, results, strict=True), 1)]
    questions: list[Row] = []
    asked: set[str] = set()
    for q in load_questions():
        asked.update(q.concepts)
        tones = {side: s.tone for side, s in q.sides()}
        cells = [_question_cell(r, q.id, tones) for r in results]
        questions.append(Row(kind="question", id=q.id, concepts=list(q.concepts), differs=_differs(cells),
                             cells=cells))
    concepts: list[Row] = []
    for cid in load_concepts():
        if cid in asked:
            continue
        cells = [_concept_cell(r, cid) for r in results]
        if all(c.value == "not_stated" for c in cells):
            continue
        concepts.append(Row(kind="concept", id=cid, concepts=[cid], differs=_differs(cells), cells=cells))
    rows = sorted(questions, key=lambda r: not r.differs) + sorted(concepts, key=lambda r: not r.differs)
    return Matrix(columns=columns, rows=rows)
