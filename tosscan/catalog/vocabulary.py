"""The vocabulary: the concepts a finding can be about (``concepts.yaml``) and the questions an artist
asks, answered from those concepts (``questions.yaml``).

Both files are data shipped in ``tosscan/data``. Concept ids are a public contract; a concept with
``polarity: good`` is a term in the user's favour (a good point of the grade).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator


def concepts_path() -> Path:
    return Path(str(resources.files("tosscan") / "data" / "concepts.yaml"))


@cache
def _shipped_concepts() -> dict[str, dict]:
    data = yaml.safe_load(concepts_path().read_text(encoding="utf-8"))
    return dict(data["concepts"])


def load_concepts(path: str | Path | None = None) -> dict[str, dict]:
    """The concept vocabulary: id → {zh, en, means, polarity …}, in the file's order."""
    if path is None:
        return dict(_shipped_concepts())
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return dict(data["concepts"])


def good_concepts() -> frozenset[str]:
    """The concepts in the user's favour (``polarity: good``)."""
    return frozenset(c for c, meta in _shipped_concepts().items() if meta.get("polarity") == "good")


# --------------------------------------------------------------------------- questions


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text2(_Strict):
    zh: str
    en: str


class Side(_Strict):
    """One answer a question can get from findings: "yes" or "no"."""

    concepts: list[str] = Field(min_length=1)
    tone: Literal["good", "bad"]  # for the person who posts
    means: Text2  # what this answer means, shown under it
    short: Text2 | None = None  # a few words for the report's one-line summary


class Question(_Strict):
    id: str
    zh: str
    en: str
    yes: Side | None = None
    no: Side | None = None
    cues: list[str] = Field(default_factory=list)  # words a card's excerpt is centred on, in order

    @model_validator(mode="after")
    def _one_side(self) -> Question:
        if self.yes is None and self.no is None:
            raise ValueError(f"question {self.id}: needs a 'yes' or a 'no' side")
        return self

    def sides(self) -> list[tuple[Literal["yes", "no"], Side]]:
        out: list[tuple[Literal["yes", "no"], Side]] = []
        if self.yes is not None:
            out.append(("yes", self.yes))
        if self.no is not None:
            out.append(("no", self.no))
        return out

    @property
    def concepts(self) -> list[str]:
        return [c for _a, s in self.sides() for c in s.concepts]


@cache
def load_questions() -> tuple[Question, ...]:
    """The questions of ``tosscan/data/questions.yaml``, validated (unknown concept ids are an error)."""
    p = resources.files("tosscan") / "data" / "questions.yaml"
    data = yaml.safe_load(p.read_text(encoding="utf-8"))
    qs = tuple(Question.model_validate(q) for q in data["questions"])
    known = set(_shipped_concepts())
    for q in qs:
        unknown = [c for c in q.concepts if c not in known]
        if unknown:
            raise ValueError(f"questions.yaml: question {q.id}: unknown concept(s) {', '.join(unknown)}")
    return qs
