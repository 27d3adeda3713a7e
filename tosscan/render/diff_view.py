"""The view model of the diff and history reports: everything their HTML, Markdown and text renderers
show, computed here in one interface language; the templates only loop and escape.

It reads ``tosscan.diff``'s result models (``DiffResult``, ``HistoryResult``) by attribute, as the scan
report's view reads ``ScanResult``: analysis above, presentation here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from tosscan.catalog import load_concepts, load_questions
from tosscan.render.view import _strings, clause_label, labels

if TYPE_CHECKING:
    from tosscan.results.diff import DiffResult, HistoryResult

Tone = Literal["bad", "good", "unknown"]
Direction = Literal["worse", "better", "neutral"]
SEV_RANK = {"info": 0, "low": 1, "medium": 2, "high": 3}


def diff_labels(ui: str) -> dict[str, str]:
    return _strings()["diff"][ui]


@cache
def _questions() -> dict[str, Any]:
    return {q.id: q for q in load_questions()}


def answer_tone(question: str, answer: str) -> Tone:
    q = _questions().get(question)
    side = None if q is None else q.yes if answer == "yes" else q.no if answer == "no" else None
    return side.tone if side is not None else "unknown"


def _direction(old: Tone, new: Tone) -> Direction:
    score = {"bad": -1, "unknown": 0, "good": 1}
    d = score[new] - score[old]
    return "worse" if d < 0 else "better" if d > 0 else "neutral"


@dataclass(frozen=True)
class Op:
    op: str  # equal / delete / insert
    text: str


@dataclass(frozen=True)
class Quote:
    clause_label: str
    text: str


@dataclass(frozen=True)
class AnswerRow:
    id: str
    question: str
    old: str
    new: str
    old_label: str
    new_label: str
    old_tone: Tone
    new_tone: Tone
    direction: Direction
    old_quote: Quote | None
    new_quote: Quote | None


@dataclass(frozen=True)
class RightRow:
    concept: str
    label: str
    change: str
    change_label: str
    severity: str
    severity_label: str
    polarity: str
    direction: Direction
    old_quote: Quote | None
    new_quote: Quote | None
    ops: list[Op] | None


@dataclass(frozen=True)
class ClauseRow:
    status: str
    status_label: str
    old_label: str
    new_label: str
    heading: str
    ops: list[Op]
    note: str  # the cosmetic kinds of a moved/renumbered clause, or ""


@dataclass(frozen=True)
class DocRef:
    path: str
    date: str
    grade: str
    sha256: str


@dataclass
class DiffView:
    ui_lang: str
    L: dict[str, str]
    labels: dict[str, str]
    title: str
    text_lang: str
    old: DocRef
    new: DocRef
    summary: str
    answers: list[AnswerRow]
    rights: list[RightRow]
    clauses: list[ClauseRow]
    folded_note: str
    cosmetic_only: bool

    @property
    def lost(self) -> list[AnswerRow | RightRow]:
        return [r for r in [*self.answers, *self.rights] if r.direction == "worse"]

    @property
    def gained(self) -> list[AnswerRow | RightRow]:
        return [r for r in [*self.answers, *self.rights] if r.direction == "better"]


def _ui(ui_lang: str | None, lang: str) -> str:
    return ui_lang if ui_lang in ("zh", "en") else ("en" if lang == "en" else "zh")


def _concept_label(cid: str, ui: str) -> str:
    return load_concepts().get(cid, {}).get(ui, cid)


def _kinds(kinds: list[str], L: dict[str, str], ui: str) -> str:
    return ("、" if ui == "zh" else ", ").join(L.get(f"kind.{k}", k) for k in kinds)


def _quote(spans: list[Any], ui: str) -> Quote | None:
    if not spans:
        return None
    s = spans[0]
    return Quote(clause_label(s.clause, ui), " ".join(s.quote.split()))


def build_diff(d: DiffResult, ui_lang: str | None = None) -> DiffView:
    ui = _ui(ui_lang, d.new.language)
    L, R = diff_labels(ui), labels(ui)
    answers: list[AnswerRow] = []
    for a in d.answers:
        q = _questions().get(a.question)
        ot, nt = answer_tone(a.question, a.old), answer_tone(a.question, a.new)
        answers.append(AnswerRow(a.question, getattr(q, ui) if q else a.question, a.old, a.new, R[a.old], R[a.new],
                                 ot, nt, _direction(ot, nt), _quote(a.old_evidence, ui), _quote(a.new_evidence, ui)))
    rights: list[RightRow] = []
    for r in d.rights:
        if r.change == "added":
            direction: Direction = "better" if r.polarity == "good" else "worse"
        elif r.change == "removed":
            direction = "worse" if r.polarity == "good" else "better"
        else:
            direction = "neutral"
        rights.append(RightRow(r.concept, _concept_label(r.concept, ui), r.change, L[f"change.{r.change}"],
                               r.severity, R.get(f"sev.{r.severity}", r.severity), r.polarity, direction,
                               _quote(r.old, ui), _quote(r.new, ui),
                               [Op(o.op, o.text) for o in r.inline] if r.inline else None))
    clauses: list[ClauseRow] = []
    folded_kinds: list[str] = []
    folded = 0
    for p in d.clauses:
        if p.status == "unchanged" or p.cosmetic or (p.status == "moved" and p.inline is None
                                                      and set(p.kinds) <= {"renumbering", "whitespace"}
                                                      and p.kinds):
            if p.kinds:
                folded += 1
                folded_kinds.extend(k for k in p.kinds if k not in folded_kinds)
            continue
        o, n = p.old_clause, p.new_clause
        clauses.append(ClauseRow(
            p.status, L[f"status.{p.status}"], clause_label(o.number, ui) if o else "", clause_label(n.number, ui)
            if n else "", (n.heading if n else o.heading if o else None) or "",
            [Op(x.op, x.text) for x in (p.inline or [])], _kinds(list(p.kinds), L, ui)))
    s = d.summary
    lost = sum(r.direction == "worse" for r in [*answers, *rights])
    gained = sum(r.direction == "better" for r in [*answers, *rights])
    changed = sum(r.direction == "neutral" for r in rights)
    moved = sum(p.status == "moved" and not p.cosmetic for p in d.clauses)  # renumbered in place is cosmetic
    summary = L["summary"].format(lost=lost, gained=gained, changed=changed, modified=s.modified, added=s.added,
                                  removed=s.removed, moved=moved)
    folded_note = L["cosmetic_folded"].format(n=folded, kinds=_kinds(folded_kinds, L, ui) or "—", u=s.unchanged)
    return DiffView(ui, L, R, L["diff_title"], "zh-CN" if d.new.language == "zh" else "en",
                    DocRef(d.old.path, d.old.date or "", d.old.grade, d.old.sha256),
                    DocRef(d.new.path, d.new.date or "", d.new.grade, d.new.sha256),
                    summary, answers, rights, clauses, folded_note, d.cosmetic_only)


# --------------------------------------------------------------------------- history


@dataclass(frozen=True)
class Cell:
    value: str
    label: str
    tone: Tone
    changed: bool  # differs from the previous version


@dataclass(frozen=True)
class Row:
    id: str
    kind: str
    label: str
    cells: list[Cell]


@dataclass(frozen=True)
class VersionCol:
    date: str
    path: str
    grade: str
    folded: str


@dataclass(frozen=True)
class EventRow:
    date: str
    kind: str  # concept / answer
    label: str
    change: str  # added / removed / "old → new"
    direction: Direction
    quote: Quote


@dataclass
class HistoryView:
    ui_lang: str
    L: dict[str, str]
    title: str
    text_lang: str
    versions: list[VersionCol]
    rows: list[Row]
    events: list[EventRow] = field(default_factory=list)


def build_history(h: HistoryResult, ui_lang: str | None = None, lang: str = "en") -> HistoryView:
    ui = _ui(ui_lang, lang)
    L, R = diff_labels(ui), labels(ui)
    versions = [VersionCol(v.date or "", v.path, v.grade, ", ".join(v.folded)) for v in h.versions]
    good = {c for c, m in load_concepts().items() if m.get("polarity") == "good"}
    rows: list[Row] = []
    for t in h.tracks:
        cells: list[Cell] = []
        for i, val in enumerate(t.values):
            changed = i > 0 and val != t.values[i - 1]
            if t.kind == "answer":
                cells.append(Cell(val, R[val], answer_tone(t.id, val), changed))
            else:
                on = val == "present"
                tone: Tone = ("good" if t.id in good else "bad") if on else "unknown"
                cells.append(Cell(val, L["present"] if on else L["absent"], tone, changed))
        q = _questions().get(t.id)
        label = (getattr(q, ui) if q else t.id) if t.kind == "answer" else _concept_label(t.id, ui)
        rows.append(Row(t.id, t.kind, label, cells))
    events: list[EventRow] = []
    for e in h.events:
        good_c = e.polarity == "good"
        direction: Direction = "better" if (e.change == "added") == good_c else "worse"
        events.append(EventRow(e.date or "", "concept", _concept_label(e.concept, ui), L[f"change.{e.change}"],
                               direction, Quote(clause_label(e.clause, ui), " ".join(e.quote.split()))))
    for a in h.answer_events:
        q = _questions().get(a.question)
        events.append(EventRow(a.date or "", "answer", getattr(q, ui) if q else a.question,
                               f"{R[a.old]} → {R[a.new]}",
                               _direction(answer_tone(a.question, a.old), answer_tone(a.question, a.new)),
                               Quote(clause_label(a.clause, ui), " ".join(a.quote.split()))))
    events.sort(key=lambda e: (e.date, e.kind != "answer"))
    return HistoryView(ui, L, L["history_title"], "zh-CN" if lang == "zh" else "en", versions, rows, events)
