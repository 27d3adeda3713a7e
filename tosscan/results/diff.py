"""The result models of ``tosscan diff`` and ``tosscan history``: pydantic, ``extra="forbid"``.

Built by ``tosscan.diff`` (which re-exports them as ``tosscan.diff.models``) and read by the renderers
in ``tosscan.render``; they live below both so that neither imports upwards, not even for type checking.

They serialise to the JSON contract in README ("Comparing versions"). Offsets (``start``/``end``) are
code-point offsets into the version they name (``old`` or ``new``), exactly as in a scan result.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from tosscan.score import Grade

Status = Literal["unchanged", "modified", "moved", "added", "removed"]
Cosmetic = Literal["whitespace", "width", "markdown", "renumbering", "date"]
RightChangeKind = Literal["added", "removed", "changed", "moved"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Span(_Model):
    """A sentence of one version: offsets into that version's text, its clause and its words."""

    start: int
    end: int
    clause: str | None
    quote: str


class DocumentRef(_Model):
    path: str
    sha256: str
    language: str
    chars: int
    date: str | None = None  # of the version, when known (file name, --dates, git)
    grade: str  # the grade letter (A–E, N/A)


class ClauseRef(_Model):
    """One clause unit of a version: its number (as cited), heading, and the span of its own text
    (its body up to its first sub-clause)."""

    number: str | None
    heading: str | None
    start: int
    end: int


class InlineOp(_Model):
    """A piece of an inline diff: text kept (``equal``), cut from the old (``delete``) or new (``insert``)."""

    op: Literal["equal", "delete", "insert"]
    text: str


class ClausePair(_Model):
    old_clause: ClauseRef | None
    new_clause: ClauseRef | None
    status: Status
    cosmetic: bool  # it differs, but only cosmetically (``kinds`` say how); a "moved" pair that is cosmetic
    # was renumbered in place, one that is not was relocated
    kinds: list[Cosmetic] = Field(default_factory=list)
    similarity: float  # 0–100, of the texts after cosmetic normalisation
    inline: list[InlineOp] | None = None  # for every pair whose text changed for real; None otherwise


class AnswerChange(_Model):
    question: str
    old: Literal["yes", "no", "not_stated"]
    new: Literal["yes", "no", "not_stated"]
    old_evidence: list[Span] = Field(default_factory=list)  # the quote that answered, best first
    new_evidence: list[Span] = Field(default_factory=list)


class RightChange(_Model):
    concept: str
    change: RightChangeKind
    severity: str  # the most severe rule that stated it, in either version
    polarity: Literal["good", "bad"]  # is the concept in the user's favour
    old: list[Span] = Field(default_factory=list)
    new: list[Span] = Field(default_factory=list)
    inline: list[InlineOp] | None = None  # "changed": the first old quote → the first new quote


class GradeChange(_Model):
    old: Grade
    new: Grade


class DiffSummary(_Model):
    unchanged: int
    modified: int
    moved: int
    added: int
    removed: int
    cosmetic: int  # pairs (of any status) that differ only cosmetically
    cosmetic_kinds: list[Cosmetic] = Field(default_factory=list)


class DiffResult(_Model):
    """What changed between two versions of an agreement: in rights first, then clause by clause."""

    old: DocumentRef
    new: DocumentRef
    grade: GradeChange
    answers: list[AnswerChange]  # only the answers that changed, in the order of questions.yaml
    rights: list[RightChange]  # only real changes, by severity
    clauses: list[ClausePair]  # in the order of the new version (removed ones where they stood)
    summary: DiffSummary

    @property
    def cosmetic_only(self) -> bool:
        """No clause changed for real (the versions differ in white space, punctuation width, markup
        or numbering at most) and no right changed."""
        s = self.summary
        return not self.rights and not self.answers and s.modified == s.added == s.removed == 0 and all(
            p.status != "moved" or p.cosmetic for p in self.clauses)


# --------------------------------------------------------------------------- history


class Version(_Model):
    date: str | None
    path: str
    commit: str | None = None
    sha256: str
    grade: str
    folded: list[str] = Field(default_factory=list)  # later versions that changed only cosmetically


class Event(_Model):
    """A concept that appeared in (``added``) or disappeared from (``removed``) a version."""

    date: str | None
    path: str
    concept: str
    change: Literal["added", "removed"]
    severity: str
    polarity: Literal["good", "bad"]
    clause: str | None
    quote: str


class AnswerEvent(_Model):
    date: str | None
    path: str
    question: str
    old: Literal["yes", "no", "not_stated"]
    new: Literal["yes", "no", "not_stated"]
    clause: str | None
    quote: str


class Track(_Model):
    """One row of the timeline: an answer's value or a concept's presence, version by version."""

    id: str
    kind: Literal["answer", "concept"]
    values: list[str]  # per version: yes / no / not_stated, or present / absent


class HistoryResult(_Model):
    versions: list[Version]  # the versions kept, oldest first; cosmetic-only ones are folded
    events: list[Event]
    answer_events: list[AnswerEvent]
    tracks: list[Track]
    grades: list[str]  # the grade of each kept version
    language: str = "en"  # of the latest version
