"""The rights delta of two scanned versions: which answers changed, which concepts appeared,
disappeared or changed wording, and the grade before and after.

Both versions are scanned by the same pipeline, and their findings are read in context
(``tosscan.reading``: definitions, headings, disclaimers and items of a "you may not" list state no
right, as in the scoring stage). Only *operative* findings count.

**Real changes only.** Scanning is contextual, so a cosmetically changed copy could in principle be read
a little differently. A change in rights is reported only when the text that carries it changed: at
least one of its quotes lies in a clause the alignment found added, removed or modified (or moved with
its text changed). A concept stated in both versions is ``changed`` when a sentence stating it was added
or removed (a sentence merely reworded, that still states it, is not a change of that concept); one whose
sentences are the same but sit in a clause that moved elsewhere (not just renumbered) is ``moved``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from tosscan.catalog import SEVERITIES, good_concepts, load_concepts, load_questions
from tosscan.diff.align import Unit, align_units, normal, units_of
from tosscan.diff.inline import inline_diff
from tosscan.reading import Reader
from tosscan.results.diff import (
    AnswerChange,
    ClausePair,
    DiffResult,
    DiffSummary,
    DocumentRef,
    GradeChange,
    RightChange,
    Span,
)

if TYPE_CHECKING:
    from tosscan.assess import Finding
    from tosscan.pipeline import ScanResult

_CHANGE_ORDER = {"added": 0, "removed": 1, "changed": 2, "moved": 3}


class _Regions:
    """The parts of one version that changed for real (sorted, non-overlapping enough to scan)."""

    def __init__(self, spans: Sequence[tuple[int, int]]):
        self.spans = sorted(spans)

    def touches(self, start: int, end: int) -> bool:
        return any(a < end and start < b for a, b in self.spans)


def _regions(pairs: Sequence[ClausePair]) -> tuple[_Regions, _Regions, _Regions, _Regions]:
    """(old changed, new changed, old moved, new moved) regions."""
    oc: list[tuple[int, int]] = []
    nc: list[tuple[int, int]] = []
    om: list[tuple[int, int]] = []
    nm: list[tuple[int, int]] = []
    for p in pairs:
        real = p.status in ("added", "removed", "modified") or (p.status == "moved" and p.inline is not None)
        moved = p.status == "moved" and not p.cosmetic  # relocated, not just renumbered in place
        for ref, changed, mv in ((p.old_clause, oc, om), (p.new_clause, nc, nm)):
            if ref is None:
                continue
            if real:
                changed.append((ref.start, ref.end))
            elif moved:
                mv.append((ref.start, ref.end))
    return _Regions(oc), _Regions(nc), _Regions(om), _Regions(nm)


def operative_findings(result: ScanResult) -> list[Finding]:
    """The findings that state a right (not a definition, heading, disclaimer or a "you may not" item)."""
    if result.structure is None:
        return list(result.findings)
    reader = Reader(result.text, result.structure)
    return [f for f in result.findings if reader.read_at(f.start).operative]


@dataclass(frozen=True)
class ReadVersion:
    """A scanned version read for comparing, once: its clause units (``align.units_of``) and the findings
    that state a right. ``history`` compares each middle version twice (as the new one, then as the old
    one) and reads it once."""

    result: ScanResult
    units: list[Unit]
    operative: list[Finding]


def read_version(result: ScanResult) -> ReadVersion:
    return ReadVersion(result, units_of(result.text, result.structure), operative_findings(result))


def _span(f: Finding) -> Span:
    return Span(start=f.start, end=f.end, clause=f.clause, quote=f.quote)


def _severity(findings: Sequence[Finding], concept: str) -> int:
    return max((SEVERITIES.index(d.severity) for f in findings for d in f.details if concept in d.concepts),
               default=max((SEVERITIES.index(f.severity) for f in findings), default=0))


def _key(quote: str) -> str:
    return normal(quote)


REWORDED = 60  # two sentences at least this similar (rapidfuzz ratio) are one sentence reworded


def _unmatched(old: list[Finding], new: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """The sentences left after pairing each old sentence with its rewording in the new version."""
    left = list(new)
    rest: list[Finding] = []
    for f in old:
        k = _key(f.quote)
        best = max(left, key=lambda g: fuzz.ratio(k, _key(g.quote)), default=None)
        if best is not None and fuzz.ratio(k, _key(best.quote)) >= REWORDED:
            left.remove(best)
        else:
            rest.append(f)
    return rest, left


def rights_delta(old: ScanResult | ReadVersion, new: ScanResult | ReadVersion, pairs: Sequence[ClausePair]
                 ) -> list[RightChange]:
    old_changed, new_changed, old_moved, new_moved = _regions(pairs)
    good = good_concepts()
    by_concept: dict[str, tuple[list[Finding], list[Finding]]] = {}
    for side, version in ((0, old), (1, new)):
        ops = version.operative if isinstance(version, ReadVersion) else operative_findings(version)
        for f in ops:
            for c in f.concepts:
                by_concept.setdefault(c, ([], []))[side].append(f)
    out: list[tuple[tuple, RightChange]] = []
    order = {c: i for i, c in enumerate(load_concepts())}
    for concept, (of, nf) in by_concept.items():
        o_keys = {_key(f.quote) for f in of}
        n_keys = {_key(f.quote) for f in nf}
        o_touched = [f for f in of if _key(f.quote) not in n_keys and old_changed.touches(f.start, f.end)]
        n_touched = [f for f in nf if _key(f.quote) not in o_keys and new_changed.touches(f.start, f.end)]
        if of and nf:  # a sentence reworded that still states the concept is no change of that concept
            o_touched, n_touched = _unmatched(o_touched, n_touched)
        change: str | None = None
        if not of:
            change = "added" if n_touched else None
        elif not nf:
            change = "removed" if o_touched else None
        elif o_touched or n_touched:
            change = "changed"
        elif o_keys == n_keys and (any(old_moved.touches(f.start, f.end) for f in of)
                                   or any(new_moved.touches(f.start, f.end) for f in nf)):
            change = "moved"
        if change is None:
            continue
        if change == "changed":  # the sentences that differ first, then the others
            old_spans = o_touched + [f for f in of if f not in o_touched]
            new_spans = n_touched + [f for f in nf if f not in n_touched]
        else:
            old_spans, new_spans = of, nf
        sev = max(_severity(of, concept), _severity(nf, concept))
        rank = len(SEVERITIES) - 1 if concept in good else sev  # a right of the user counts as much as a blocker
        rc = RightChange(concept=concept, change=change, severity=SEVERITIES[sev],  # type: ignore[arg-type]
                         polarity="good" if concept in good else "bad",
                         old=[_span(f) for f in old_spans], new=[_span(f) for f in new_spans],
                         inline=inline_diff(old_spans[0].quote, new_spans[0].quote) if change == "changed" else None)
        out.append(((_CHANGE_ORDER[change] > 1, -rank, _CHANGE_ORDER[change], order.get(concept, 999), concept), rc))
    out.sort(key=lambda t: t[0])
    return [rc for _k, rc in out]


def answer_delta(old: ScanResult, new: ScanResult, pairs: Sequence[ClausePair]) -> list[AnswerChange]:
    old_changed, new_changed, _om, _nm = _regions(pairs)
    out: list[AnswerChange] = []
    for q in load_questions():
        try:
            a, b = old.answer(q.id), new.answer(q.id)
        except StopIteration:
            continue
        if a.answer == b.answer:
            continue
        real = any(old_changed.touches(e.start, e.end) for e in a.evidence) or \
            any(new_changed.touches(e.start, e.end) for e in b.evidence)
        if not real:
            continue
        out.append(AnswerChange(
            question=q.id, old=a.answer, new=b.answer,
            old_evidence=[Span(start=e.start, end=e.end, clause=e.clause, quote=e.quote) for e in a.evidence],
            new_evidence=[Span(start=e.start, end=e.end, clause=e.clause, quote=e.quote) for e in b.evidence]))
    return out


def document_ref(result: ScanResult, date: str | None = None) -> DocumentRef:
    d = result.document
    return DocumentRef(path=d.path, sha256=d.sha256, language=d.language, chars=d.chars, date=date,
                       grade=result.grade.letter)


def summarize(pairs: Sequence[ClausePair]) -> DiffSummary:
    def n(status: str) -> int:
        return sum(p.status == status for p in pairs)

    kinds: list = []
    for p in pairs:
        for k in p.kinds:
            if k not in kinds:
                kinds.append(k)
    return DiffSummary(unchanged=n("unchanged"), modified=n("modified"), moved=n("moved"), added=n("added"),
                       removed=n("removed"), cosmetic=sum(p.cosmetic for p in pairs), cosmetic_kinds=kinds)


def compare(old: ScanResult | ReadVersion, new: ScanResult | ReadVersion, old_date: str | None = None,
            new_date: str | None = None) -> DiffResult:
    """What changed between two scanned versions of one agreement (scan results, or versions already read
    with ``read_version``)."""
    a = old if isinstance(old, ReadVersion) else read_version(old)
    b = new if isinstance(new, ReadVersion) else read_version(new)
    pairs = align_units(a.units, b.units)
    o, n = a.result, b.result
    return DiffResult(old=document_ref(o, old_date), new=document_ref(n, new_date),
                      grade=GradeChange(old=o.grade, new=n.grade), answers=answer_delta(o, n, pairs),
                      rights=rights_delta(a, b, pairs), clauses=pairs, summary=summarize(pairs))
