"""Stage 7 — score: the answers to the artist questions and the grade, computed from the findings.

Both are analysis, not view: they are part of the scan result and of its JSON, and every renderer
shows the same ones. The interface language is applied later, at render time; here are only ids.

**Roles.** Before a finding may answer a question, the sentence it sits in is read in its context:

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

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict

from tosscan.assess import Finding
from tosscan.catalog import SEVERITIES, Question, good_concepts, load_questions
from tosscan.models import Structure

AnswerValue = Literal["yes", "no", "not_stated"]
Role = Literal["operative", "definition", "heading", "disclaimer", "negated_list"]
Scope = Literal["content", "feedback", "output", "other"]
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


# --------------------------------------------------------------------------- reading a sentence in context

_DEFINITION = re.compile(
    r"^.{0,40}?(?:[”\"’']\s*(?:是指|指|系指|意指|means|shall mean|refers to|includes)|是指|系指|"
    r"\bmeans\b|\bshall mean\b|\brefers to\b)", re.IGNORECASE)
_DEFINITION_HEADING = re.compile(r"定义|释义|术语|definitions?\b|interpretation", re.IGNORECASE)
_DISCLAIMER = re.compile(
    r"不保证|不作(?:任何)?(?:保证|承诺)|可能(?:存在|出现)?(?:不准确|错误|偏差)|仅供参考|不代表(?:本平台|我们|平台)|"
    r"\bas is\b|\bas available\b|without warrant|no warrant|(?:may|might|can) (?:be|contain|produce) "
    r"(?:inaccurate|incorrect|errors)|not (?:be )?(?:accurate|reliable)|disclaim", re.IGNORECASE)
_NEGATION = re.compile(
    r"不得|禁止|严禁|不应|不可以|不能|不会|请勿|不允许|不要|不将|不得以|"
    r"\b(?:agree|promise|undertake)s?\s+not\s+to\b|\bnot\s+to\b|\bmay\s+not\b|\bmust\s+not\b|\bshall\s+not\b|"
    r"\bwill\s+not\b|\bwon't\b|\bcannot\b|\bcan't\b|\bdo\s+not\b|\bdon't\b|\bprohibit|\bnot\s+(?:permitted|allowed)\b",
    re.IGNORECASE)
_ITEM = re.compile(
    r"\s*(?:[-*+•·●▪◦]\s|[（(]\s*(?:\d{1,3}|[a-zA-Z]|[ivxIVX]{1,5}|[一二三四五六七八九十]{1,3})\s*[)）]|"
    r"(?:\d{1,3}|[a-zA-Z]|[ivx]{1,5})[.)、．](?!\d)|[一二三四五六七八九十]{1,3}、|[\u2460-\u2473\u2776-\u277f])")
_FEEDBACK = re.compile(r"反馈|建议|意见|feedback|suggestions?|\bideas?\b", re.IGNORECASE)
_OUTPUT = re.compile(
    r"(?:AI|人工智能|模型|智能)?生成(?:的)?(?:内容|结果|作品|图片|图像|文本|文字|素材)|输出(?:内容|结果)?|"
    r"\boutputs?\b|(?:ai[- ])?generated (?:content|images?|text|works?)", re.IGNORECASE)
_CONTENT = re.compile(
    r"作品|内容|上传|发布|图片|照片|视频|音频|文字|文章|帖子|笔记|素材|用户数据|"
    r"\bcontent\b|\bposts?\b|\bupload|\bcontributions?\b|\bworks?\b|\bphotos?\b|\bimages?\b|\bvideos?\b",
    re.IGNORECASE)
_CONSENT = re.compile(
    r"(?:经|征得|取得|获得)(?:您|用户|你)?的?(?:单独|明确|另行|事先)?(?:同意|授权)|单独同意|您选择(?:加入|开启)|"
    r"\bopt(?:s|ed)?[- ]in\b|with your (?:separate |express |explicit |prior )?(?:consent|permission)|"
    r"if you (?:choose|agree|elect) to|you may choose to (?:allow|share|let)", re.IGNORECASE)
# A term the agreement defines for itself: (“Submissions”), (collectively, "Feedback"), （以下简称“反馈”）
_DEFINED = re.compile(r"[(（]\s*(?:collectively,?\s*|hereinafter(?: referred to as)?,?\s*|以下简称|以下统称|统称|下称)?"
                      r"[“\"「『]([^”\"」』\n]{2,30})[”\"」』]")
_LEAD_END = tuple("：:")
_COLON = re.compile("[：:]")
_MAX_LIST = 40  # sentences looked back for a list's lead-in


@dataclass(frozen=True)
class Reading:
    role: Role
    scope: Scope

    @property
    def operative(self) -> bool:
        return self.role == "operative"


class Context:
    """The sentences of one document, for reading a finding's sentence with what surrounds it."""

    def __init__(self, text: str, structure: Structure):
        self.text = text
        self.structure = structure
        self.starts = [s.start for s in structure.sentences]
        self._item: dict[int, bool] = {}
        self.feedback_terms = self._feedback_terms()

    def _feedback_terms(self) -> re.Pattern[str] | None:
        """Terms the agreement defines for feedback ("… ideas or feedback (“Submissions”)"), so that a later
        "We shall own … these Submissions" is read as a feedback clause."""
        terms: set[str] = set()
        for m in _DEFINED.finditer(self.text):
            term = m.group(1).strip()
            before = self.text[max(0, m.start() - 300):m.start()]
            cut = max(before.rfind("。"), before.rfind(". "), before.rfind("\n"))
            if _scope(before[cut + 1:]) == "feedback" and not _FEEDBACK.search(term):
                terms.add(term)
        if not terms:
            return None
        return re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE)

    def sentence_at(self, offset: int) -> int | None:
        i = bisect.bisect_right(self.starts, offset) - 1
        return i if i >= 0 and self.structure.sentences[i].end > offset else None

    def _line_start(self, i: int) -> int:
        s = self.structure.sentences[i]
        return self.text.rfind("\n", 0, s.start) + 1

    def is_item(self, i: int) -> bool:
        """Is sentence ``i`` a list item, or part of one ("(3) 使用…", "- train…", "b) …")?"""
        if i not in self._item:
            s = self.structure.sentences[i]
            own = self.text[s.start:s.end]
            line = self.text[self._line_start(i):s.start]
            self._item[i] = bool(_ITEM.match(own)) or bool(_ITEM.match(line)) or self._label_item(i)
        return self._item[i]

    def _label_item(self, i: int) -> bool:
        s = self.structure.sentences[i]
        if s.clause is None:
            return False
        c = self.structure.clauses[s.clause]
        return bool(c.label) and bool(_ITEM.match(c.label + " ")) and "." not in c.label.strip(".")

    def lead_in(self, i: int) -> str | None:
        """The lead-in of the list that sentence ``i`` is an item of ("您不得从事下列行为：")."""
        if not self.is_item(i):
            return None
        sents = self.structure.sentences
        for j in range(i - 1, max(-1, i - _MAX_LIST), -1):
            t = self.text[sents[j].start:sents[j].end].rstrip()
            if t.endswith(_LEAD_END):  # "您不得从事下列行为：", "You agree not to:"
                return t
            if not self.is_item(j):  # the lead-in and the first item on one line: "您不得：(1) …；"
                m = _COLON.search(t)
                return t[:m.start()] if m else None
        return None

    def read(self, start: int) -> Reading:
        """How the sentence starting at ``start`` may be read: its role and what it is about."""
        i = self.sentence_at(start)
        if i is None:
            return Reading("operative", "other")
        s = self.structure.sentences[i]
        t = self.text[s.start:s.end]
        clause = self.structure.clauses[s.clause] if s.clause is not None else None
        heading = clause.heading if clause else ""
        if _DEFINITION.search(t) or (_DEFINITION_HEADING.search(heading) and not _grant_like(t)):
            role: Role = "definition"
        elif self._is_heading(i, t, heading):
            role = "heading"
        elif _DISCLAIMER.search(t):
            role = "disclaimer"
        else:
            lead = self.lead_in(i)
            role = "negated_list" if lead is not None and _NEGATION.search(lead) else "operative"
        if self.feedback_terms is not None:
            t = self.feedback_terms.sub(" feedback ", t)
        return Reading(role, _scope(t))

    def _is_heading(self, i: int, t: str, heading: str) -> bool:
        bare = t.strip().strip("#*_ ").rstrip()
        if not bare or len(bare) > 40 or bare.endswith(tuple("。；;.!?！？，,：:")):
            return False
        return bool(heading) and (bare == heading or heading in bare) and len(bare.split()) <= 8


def _grant_like(t: str) -> bool:
    return bool(re.search(r"授予|授权|许可|同意|grant|licen[cs]e|permission", t, re.IGNORECASE))


def _scope(t: str) -> Scope:
    rest = _OUTPUT.sub(" ", t)
    content = bool(_CONTENT.search(_FEEDBACK.sub(" ", rest)))
    if _FEEDBACK.search(t) and not content:
        return "feedback"
    if _OUTPUT.search(t) and not content:
        return "output"
    return "content" if content else "other"


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


def _evidence(c: _Candidate) -> Evidence:
    f = c.finding
    return Evidence(start=f.start, end=f.end, clause=f.clause, quote=f.quote, concepts=list(c.concepts),
                    side=c.side, scope=c.reading.scope)


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
    for c in ordered:  # one quote per clause and side, the best first
        k = (c.finding.clause, c.side)
        if k in seen and c.finding.clause is not None:
            continue
        seen.add(k)
        evidence.append(_evidence(c))
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


def score(text: str, structure: Structure, findings: Sequence[Finding]) -> tuple[Grade, list[Answer]]:
    """The grade and the answers of one document."""
    ctx = Context(text, structure)
    readings = [ctx.read(f.start) for f in findings]
    answered = answers(findings, readings)
    return grade(findings, readings, answered), answered


def reaches(findings: Iterable[Finding], severity: str) -> bool:
    """Is any finding at least this severe? (``scan --fail-on``)"""
    bar = SEVERITIES.index(severity)
    return any(SEVERITIES.index(f.severity) >= bar for f in findings)
