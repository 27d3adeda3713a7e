"""The data every pipeline stage hands to the next, offsets into the ORIGINAL text.

``Clause`` and ``Sentence`` are frozen dataclasses with slots, not pydantic models: a 10 MB agreement has
about 120,000 of them, and a pydantic model's ``__dict__`` and fields set made each 580 (sentence) to 1,180
(clause) bytes, against 160 and 200 now (about 100 MB at 10 MB). They are built only from checked data by
``tosscan.structure``; ``Structure`` stays a pydantic model that holds them.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A scoring unit: ends at a line break or at 。！？；!?; (or ". " in English).

    ``start``/``end`` are code-point offsets into the original text, white space stripped.
    ``clause`` is the index into ``Structure.clauses`` of the innermost clause holding it (or None).
    """

    start: int
    end: int
    clause: int | None = None


@dataclass(frozen=True, slots=True)
class Clause:
    """A numbered or headed part of the agreement (第四条, 4.2, （一）, a markdown heading …).

    ``number`` is the full number path as a reader cites it ("4.2", "第十二条", "一.（三）");
    ``label`` is the numbering as written ("4.2", "第十二条", "（三）"); ``heading`` is the
    heading text of the clause or, when it has none, of its nearest headed ancestor.
    ``start``/``end`` span the clause including its body, up to the next clause of the same
    or a higher level. ``parent`` is the index of the enclosing clause.
    """

    start: int
    end: int
    level: int
    label: str
    number: str
    heading: str = ""
    parent: int | None = None


class Structure(Frozen):
    """Clauses and sentences; for markdown, ``markup`` is the display layer (``tosscan.markdown``): the inline
    markup a reader does not see, as disjoint ``(start, end, shown)`` edits of the original text."""

    clauses: list[Clause] = Field(default_factory=list)
    sentences: list[Sentence] = Field(default_factory=list)
    markup: list[tuple[int, int, str]] = Field(default_factory=list)
