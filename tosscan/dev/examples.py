"""Every rule carries examples: texts it must flag and texts it must pass. Run them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tosscan.catalog import Rule

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


def cases(rules: list[Rule]) -> list[Case]:
    return [Case(r, kind, i, text)
            for r in rules
            for kind, texts in (("flag", r.examples.flag), ("pass", r.examples.pass_))
            for i, text in enumerate(texts)]


def run_case(scanner: Scanner, case: Case) -> Outcome:
    result = scanner.scan_text(case.text, lang=case.rule.lang)
    return Outcome(case, any(case.rule.id in f.rules for f in result.findings))
