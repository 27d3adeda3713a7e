"""The comparison matrix model: rows = the artist questions, then the other concepts; columns = documents.

Pydantic, ``extra="forbid"``; it serialises to the JSON of ``tosscan compare --format json``. Built by
``tosscan.compare.build_matrix`` (which re-exports these classes) from scan results, and read by the
renderers in ``tosscan.render``; it lives below both so that neither imports upwards, not even for type
checking. What the cells mean is described in ``tosscan/compare/matrix.py``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from tosscan import __version__

CellValue = Literal["yes", "no", "not_stated"]
Tone = Literal["good", "bad", "neutral", "unknown"]
MAX_EVIDENCE = 3  # quotes kept per cell, best first


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CellEvidence(_Model):
    clause: str | None
    quote: str
    start: int
    end: int
    side: Literal["yes", "no"]  # the answer this quote supports


class Cell(_Model):
    value: CellValue
    tone: Tone
    note: str | None = None  # the answer's note (score.Note), for question rows
    evidence: list[CellEvidence] = []


class Row(_Model):
    kind: Literal["question", "concept"]
    id: str  # question id or concept id
    concepts: list[str]  # the concepts that answer it
    differs: bool  # not every document has the same value
    cells: list[Cell]  # one per column, in column order


class GradeSummary(_Model):
    letter: str
    good: int
    bad: int
    blocker: int
    balance: int


class Column(_Model):
    id: str  # "c1", "c2" … (anchors)
    name: str
    title: str  # the document's own title
    path: str
    sha256: str
    language: str
    scanned_at: str
    findings: int
    grade: GradeSummary


class ToolInfo(_Model):
    name: str = "tosscan"
    version: str = __version__


class Matrix(_Model):
    tosscan: ToolInfo = ToolInfo()
    columns: list[Column]
    rows: list[Row]

    def row(self, row_id: str) -> Row:
        return next(r for r in self.rows if r.id == row_id)
