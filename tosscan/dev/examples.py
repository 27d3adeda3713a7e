"""Every rule and every frame carries examples: texts it must flag and texts it must pass. Run them.

A frame's examples run through the whole pipeline as a probe: a rule ``<lang>.frame.<id>`` that names
only the frame, about the frame's ``concepts`` (so the direction gate reads the text as it would for a
rule about them), evaluated on its own engine."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tosscan.catalog import Rule
from tosscan.catalog.schema import Bilingual, Frame, FrameRef

if TYPE_CHECKING:
    from tosscan.pipeline import Scanner


@dataclass(frozen=True)
class Case:
    rule: Rule
    kind: str  # "flag" or "pass"
    index: int
    text: str

    @property
    def name(self) -> str:
        return f"{self.rule.id}:{self.kind}{self.index}"


@dataclass(frozen=True)
class Outcome:
    case: Case
    fired: bool

    @property
    def ok(self) -> bool:
        return self.fired == (self.case.kind == "flag")


def probe(frame: Frame) -> Rule:
    """A rule that fires wherever ``frame`` is stated: how a frame's examples are run."""
    return Rule(id=f"{frame.lang}.frame.{frame.id}", lang=frame.lang, concepts=frame.concepts, severity="info",
                match=FrameRef(frame=frame.id), title=Bilingual(zh=frame.id, en=frame.id),
                explanation=Bilingual(zh=frame.description, en=frame.description), examples=frame.examples,
                source=frame.source)


def cases(rules: Sequence[Rule], frames: Sequence[Frame] = ()) -> list[Case]:
    return [Case(r, kind, i, text)
            for r in [*(probe(f) for f in frames), *rules]
            for kind, texts in (("flag", r.examples.flag), ("pass", r.examples.pass_))
            for i, text in enumerate(texts)]


def run_case(scanner: Scanner, case: Case) -> Outcome:
    engine = None
    if case.rule.id not in scanner.catalog.by_id:  # a frame's probe runs on an engine of its own
        from tosscan.match import Engine

        engine = Engine([case.rule], case.rule.lang, scanner.catalog.frames)
    result = scanner.scan_text(case.text, lang=case.rule.lang, engine=engine)
    return Outcome(case, any(case.rule.id in f.rules for f in result.findings))
