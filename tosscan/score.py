"""Stage 7 — score: the answers to the artist questions and the grade, computed from the findings.

Both are analysis, not view: they are part of the scan result and of its JSON, and every renderer
shows the same ones. The interface language is applied later, at render time; here are only ids.

**Roles** (``tosscan.reading``). Before a finding may answer a question, the sentence it sits in is
read in its context:

- a *definition* ("“训练数据”是指…", "“Content” means…"), a *heading*, a *disclaimer* ("AI生成内容可能
  不准确", "provided as is") and an *item of a negated list* ("您不得从事下列行为：… (3) 使用本平台内容训练
  模型", "You agree not to: … (b) train AI") state no right of the platform: they are *not operative* and
  answer nothing (a list item inherits its lead-in's direction);
- an operative sentence is about the user's *posted content*, about *feedback* the user sends the
  platform, about *AI output*, or about something else. The artist questions are about posted work: a
  feedback-only or output-only clause decides an answer only when nothing else does, and says so.

**Answers.** Each question of ``questions.yaml`` has a "yes" side and/or a "no" side, each named by
concepts (ownership: yes = ``ip.user_retains_ownership``, no = ``ip.ownership_transfer``). A side is
stated when an operative finding carries one of its concepts. One side stated: that answer. Both: the
side stated of posted content governs; when both are, the unfavourable side governs, except that AI
training stated only with the user's consent or opt-in leaves the promise not to train in force. Either
way the answer carries ``note`` and the quotes of both sides — never a silent pick. Evidence is ordered
best first: the governing side, operative grants over feedback, the sentence that states most of the
question's concepts, a numbered clause before unnumbered text (a summary above the clauses), then the
text's order.

**Grade.** ToS;DR's formula over points (one per concept found, however many sentences state it)::

    balance = good − bad − 3 × blocker
    E if balance < −10; D if any blocker; C if balance < −4; B if any bad; otherwise A (N/A: nothing found)

good = concepts with ``polarity: good``; blocker = a concept of ``BLOCKER_CONCEPTS`` found by a ``high``
rule in an operative sentence about posted content (feedback- or output-only, or overruled in its
answer: bad); bad = any other concept found by a ``medium`` or ``high`` rule, except
``NEUTRAL_CONCEPTS``. Findings that are not operative count for nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict

from tosscan.assess import Finding
from tosscan.catalog import SEVERITIES, Question, good_concepts, load_questions
from tosscan.models import Structure
from tosscan.reading import Reader, Reading, Scope

AnswerValue = Literal["yes", "no", "not_stated"]
Note = Literal["both_sides", "feedback_only", "output_only", "opt_in_only", "opt_out"]

BLOCKER_CONCEPTS: frozenset[str] = frozenset({
    "ai.training", "ip.ownership_transfer", "license.irrevocable", "license.exclusive",
    "license.survives_termination", "moral_rights.waiver",
})
NEUTRAL_CONCEPTS: frozenset[str] = frozenset({"license.grant", "dispute.choice_of_law"})
COUNTED_SEVERITIES: tuple[str, ...] = ("medium", "high")
BLOCKER_SEVERITY = "high"
GRADES = ("A", "B", "C", "D", "E")  # best to worst


# --------------------------------------------------------------------------- the result models


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Evidence(_Model):
    start: int
    end: int
    clause: str | None
    quote: str
    concepts: list[str]  # the question's concepts this sentence states
    side: Literal["yes", "no"]  # the answer those concepts imply
    scope: Scope


class Answer(_Model):
    question: str
    answer: AnswerValue
    evidence: list[Evidence]
    note: Note | None = None


class Point(_Model):
    concept: str
    kind: Literal["blocker", "bad", "good"]
    severity: str


class Grade(_Model):
    letter: str  # A–E, or "N/A" when nothing was found
    good: int
    bad: int
    blocker: int
    balance: int
    points: list[Point]


def grade_letter(good: int, bad: int, blocker: int) -> str:
    """ToS;DR's rule: balance = good − bad − 3·blocker; E < −10; D any blocker; C < −4; B any bad; A."""
    balance = good - bad - 3 * blocker
    if balance < -10:
        return "E"
    if blocker > 0:
        return "D"
    if balance < -4:
        return "C"
    if bad > 0:
        return "B"
    return "A"


_CONSENT = re.compile(
    r"(?:经|征得|取得|获得)(?:您|用户|你)?的?(?:单独|明确|另行|事先)?(?:同意|授权)|单独同意|您选择(?:加入|开启)|"
    r"\bopt(?:s|ed)?[- ]in\b|with your (?:separate |express |explicit |prior )?(?:consent|permission)|"
    r"if you (?:choose|agree|elect) to|you may choose to (?:allow|share|let)", re.IGNORECASE)
# A term the agreement defines for itself: (“Submissions”), (collectively, "Feedback"), （以下简称“反馈”）


# --------------------------------------------------------------------------- answers

_SCOPE_RANK = {"content": 0, "other": 1, "output": 2, "feedback": 3}


@dataclass(frozen=True)
class _Candidate:
    finding: Finding
    reading: Reading
    side: Literal["yes", "no"]
    concepts: tuple[str, ...]
    severity: int

    def key(self) -> tuple:
        f = self.finding
        return (_SCOPE_RANK[self.reading.scope], -len(self.concepts), "license.grant" not in f.concepts,
                -self.severity, f.clause is None, f.start)


def _severity_for(f: Finding, concepts: Iterable[str]) -> int:
    wanted = set(concepts)
    return max((SEVERITIES.index(d.severity) for d in f.details if wanted & set(d.concepts)),
               default=SEVERITIES.index(f.severity))


#: every field is always given: one fields set for every ``Evidence`` (pydantic makes one per object otherwise)
_EVIDENCE_FIELDS: set[str] = set(Evidence.model_fields)


def _evidence(c: _Candidate, lists: dict[tuple[str, ...], list[str]]) -> Evidence:
    """The quote of one candidate, built from checked data; equal concept lists are one list (``lists``): an
    agreement with a licence in each of 60,000 clauses has 60,000 quotes per question, not 60,000 lists."""
    f = c.finding
    concepts = lists.get(c.concepts) or lists.setdefault(c.concepts, list(c.concepts))
    return Evidence.model_construct(_EVIDENCE_FIELDS, start=f.start, end=f.end, clause=f.clause, quote=f.quote,
                                    concepts=concepts, side=c.side, scope=c.reading.scope)


def answer_question(q: Question, findings: Sequence[Finding], readings: Sequence[Reading],
                    opt_out: bool = False) -> Answer:
    """The answer to one question, from the operative findings that state one of its sides."""
    by_side: dict[str, list[_Candidate]] = {"yes": [], "no": []}
    for f, r in zip(findings, readings, strict=True):
        if not r.operative:
            continue
        for side, s in q.sides():
            hit = tuple(c for c in f.concepts if c in s.concepts)
            if hit:
                by_side[side].append(_Candidate(f, r, side, hit, _severity_for(f, hit)))
    for cands in by_side.values():
        cands.sort(key=_Candidate.key)
    stated = [side for side in ("yes", "no") if by_side[side]]
    note: Note | None = None
    if not stated:
        return Answer(question=q.id, answer="not_stated", evidence=[],
                      note="opt_out" if opt_out and q.id == "ai_training" else None)
    if len(stated) == 1:
        answer = stated[0]
        scopes = {c.reading.scope for c in by_side[answer]}
        if scopes == {"feedback"}:
            note = "feedback_only"
        elif scopes == {"output"}:
            note = "output_only"
    else:
        answer = _govern(q, by_side)
        note = "opt_in_only" if note is None and _opt_in(q, by_side, answer) else "both_sides"
    if opt_out and q.id == "ai_training" and note is None and answer == "yes":
        note = "opt_out"
    other = "no" if answer == "yes" else "yes"
    ordered = by_side[answer] + by_side[other]
    evidence: list[Evidence] = []
    seen: set[tuple[str | None, str]] = set()
    lists: dict[tuple[str, ...], list[str]] = {}
    for c in ordered:  # one quote per clause and side, the best first
        k = (c.finding.clause, c.side)
        if k in seen and c.finding.clause is not None:
            continue
        seen.add(k)
        evidence.append(_evidence(c, lists))
    return Answer(question=q.id, answer=answer, evidence=evidence, note=note)


def _tone(q: Question, side: str) -> str:
    s = q.yes if side == "yes" else q.no
    return s.tone if s is not None else "bad"


def _govern(q: Question, by_side: dict[str, list[_Candidate]]) -> Literal["yes", "no"]:
    best = {side: _SCOPE_RANK[cands[0].reading.scope] for side, cands in by_side.items()}
    if best["yes"] != best["no"]:
        return "yes" if best["yes"] < best["no"] else "no"
    bad = "yes" if _tone(q, "yes") == "bad" else "no"
    if _opt_in(q, by_side, "no" if bad == "yes" else "yes"):
        return "no" if bad == "yes" else "yes"
    return bad


def _opt_in(q: Question, by_side: dict[str, list[_Candidate]], answer: str) -> bool:
    """Is the unfavourable side stated only with the user's consent, so that the favourable one governs?"""
    bad = "yes" if _tone(q, "yes") == "bad" else "no"
    if answer == bad or not by_side[bad]:
        return False
    f_text = [c.finding.quote for c in by_side[bad] if c.reading.scope in ("content", "other")]
    return bool(f_text) and all(_CONSENT.search(t) for t in f_text)


def answers(findings: Sequence[Finding], readings: Sequence[Reading]) -> list[Answer]:
    """Every question, every time, in the order of ``questions.yaml``."""
    opt_out = any(r.operative and "ai.opt_out" in f.concepts for f, r in zip(findings, readings, strict=True))
    return [answer_question(q, findings, readings, opt_out) for q in load_questions()]


# --------------------------------------------------------------------------- the grade


def grade(findings: Sequence[Finding], readings: Sequence[Reading], answered: Sequence[Answer]) -> Grade:
    good_ids = good_concepts()
    overruled: set[str] = set()  # concepts of a side that lost its question
    questions = {q.id: q for q in load_questions()}
    for a in answered:
        q = questions[a.question]
        if a.note in ("both_sides", "opt_in_only") and a.answer in ("yes", "no"):
            lost = q.no if a.answer == "yes" else q.yes
            if lost is not None and lost.tone == "bad":
                overruled.update(lost.concepts)
    best: dict[str, int] = {}
    posted: set[str] = set()
    for f, r in zip(findings, readings, strict=True):
        if not r.operative:
            continue
        for d in f.details:
            for cid in d.concepts:
                best[cid] = max(best.get(cid, -1), SEVERITIES.index(d.severity))
                if r.scope in ("content", "other"):
                    posted.add(cid)
    points: list[Point] = []
    for cid, rank in best.items():
        sev = SEVERITIES[rank]
        if cid in good_ids:
            points.append(Point(concept=cid, kind="good", severity=sev))
        elif cid in NEUTRAL_CONCEPTS or sev not in COUNTED_SEVERITIES:
            continue
        elif cid in BLOCKER_CONCEPTS and sev == BLOCKER_SEVERITY and cid in posted and cid not in overruled:
            points.append(Point(concept=cid, kind="blocker", severity=sev))
        else:
            points.append(Point(concept=cid, kind="bad", severity=sev))
    order = {"blocker": 0, "bad": 1, "good": 2}
    points.sort(key=lambda p: (order[p.kind], -SEVERITIES.index(p.severity), p.concept))
    good = sum(p.kind == "good" for p in points)
    bad = sum(p.kind == "bad" for p in points)
    blocker = sum(p.kind == "blocker" for p in points)
    letter = grade_letter(good, bad, blocker) if findings else "N/A"
    return Grade(letter=letter, good=good, bad=bad, blocker=blocker, balance=good - bad - 3 * blocker,
                 points=points)


def score(text: str, structure: Structure, findings: Sequence[Finding], reader: Reader | None = None
          ) -> tuple[Grade, list[Answer]]:
    """The grade and the answers of one document (``reader``: the one the engine used, if any)."""
    reader = reader or Reader(text, structure)
    readings = [reader.read_at(f.start) for f in findings]
    answered = answers(findings, readings)
    return grade(findings, readings, answered), answered
