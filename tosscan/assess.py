"""Stage 6 — assess: turn rule hits into findings, one per sentence.

Several rules often fire on one sentence (a licence clause is at once a grant, royalty-free and
worldwide). They are merged into one sentence-sized finding that carries every concept, led by the
most severe rule; each rule's own concepts and severity stay in ``details``. Findings carry rule ids
only: titles and explanations are looked up in the catalog at render time, in the interface language.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from tosscan.catalog import SEVERITIES
from tosscan.match import Hit
from tosscan.models import Structure


class Detail(BaseModel):
    model_config = ConfigDict(frozen=True)

    rule: str
    concepts: list[str]
    severity: str


class Finding(BaseModel):
    model_config = ConfigDict(frozen=True)

    rule: str
    rules: list[str]
    concepts: list[str]
    severity: str
    start: int
    end: int
    quote: str
    clause: str | None
    heading: str | None
    evidence: list[tuple[int, int]]
    details: list[Detail]


_SPACE = " \t\r\n\u3000\ufeff\u200b"
_FINDING_FIELDS: set[str] = set(Finding.model_fields)  # every field is always given: one set for all findings


def _rank(severity: str) -> int:
    return SEVERITIES.index(severity)


def assess(text: str, structure: Structure, hits: Sequence[Hit], concept_order: Sequence[str]) -> list[Finding]:
    """Merge the hits of each sentence into one finding (a rule narrowed to a scoring unit of the sentence
    makes a finding of that unit); findings in document order."""
    order = {c: i for i, c in enumerate(concept_order)}
    by_piece: dict[tuple[int, tuple[int, int] | None], list[Hit]] = {}
    for h in hits:
        by_piece.setdefault((h.sentence, h.unit), []).append(h)
    findings: list[Finding] = []
    # one Detail per rule, shared by every finding it is part of (they are frozen and equal anyway): a
    # document where one rule fires on thousands of sentences holds one Detail for it, not thousands; so are
    # equal lists of rules, concepts and details (``shared``) and the fields set every finding has
    details: dict[str, Detail] = {}
    lists: dict[tuple[str, ...], list] = {}

    def shared(key: tuple[str, ...], items: list) -> list:
        return lists.get(key) or lists.setdefault(key, items)

    for i, unit in sorted(by_piece, key=lambda k: (k[0], k[1] or (-1, -1))):
        group = sorted(by_piece[(i, unit)], key=lambda h: (-_rank(h.rule.severity), h.rule.id))
        seen: set[str] = set()
        group = [h for h in group if not (h.rule.id in seen or seen.add(h.rule.id))]
        lead = group[0].rule
        sent = structure.sentences[i]
        start, end = unit if unit is not None else (sent.start, sent.end)
        while start < end and text[start] in _SPACE:  # a unit is stripped like a sentence
            start += 1
        while end > start and text[end - 1] in _SPACE:
            end -= 1
        clause = structure.clauses[sent.clause] if sent.clause is not None else None
        concepts = sorted({c for h in group for c in h.rule.concepts}, key=lambda c: (order.get(c, 999), c))
        evidence = sorted({span for h in group for span in h.evidence if span[0] < span[1]})
        ids = [h.rule.id for h in group]
        findings.append(Finding.model_construct(  # built from checked data: no validation (speed)
            _FINDING_FIELDS,
            rule=lead.id,
            rules=shared(("rules", *ids), ids),
            concepts=shared(("concepts", *concepts), concepts),
            severity=lead.severity,
            start=start,
            end=end,
            quote=text[start:end],
            clause=clause.number if clause else None,
            heading=(clause.heading or None) if clause else None,
            evidence=evidence,
            details=shared(("details", *ids), [details.get(h.rule.id) or details.setdefault(
                h.rule.id, Detail.model_construct(rule=h.rule.id, concepts=list(h.rule.concepts),
                                                  severity=h.rule.severity)) for h in group]),
        ))
    findings.sort(key=lambda f: (f.start, f.end))
    return findings
