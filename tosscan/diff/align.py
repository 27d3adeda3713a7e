"""Clause alignment: pair the clauses of two versions, so a renumbered or moved clause is "moved",
not "removed + added".

**Units.** A version is cut at every clause start of its structure (``tosscan.structure``) into units:
each clause's own text (its body up to its first sub-clause) and the text before the first clause.
A long unit of several paragraphs (a heading-only section of an English agreement) is cut further into
its paragraphs, which keep the clause's number and heading.

**Cosmetic normalisation.** Each unit's text is compared through stages, each of which forgives one
kind of cosmetic change: white space, full/half-width punctuation (NFKC, curly quotes, 。、), markdown
re-extraction (emphasis, heading and list markers, links, escapes), numbering (the clause's own
label and cross-references such as "Section 18" or "第十二条") and dates (a version stamp). Two units
whose last stage agrees differ only cosmetically, and ``kinds`` names the stages that were needed.

**Pairing**, in passes over what is still unpaired: (1) the same normalised text; (2) near-identical text
(similarity ≥ 85, the best for both); (3) the same clause number (and heading) with similarity ≥ 25;
(4) the most similar remaining pairs, similarity ≥ 55 (rapidfuzz ``cdist``). Pairs that keep their
relative order (the longest increasing subsequence) stay in place; the others are ``moved``, and a pair
whose number changed is ``moved`` too (``renumbering``, cosmetic when that is all).
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from tosscan.diff.inline import inline_diff
from tosscan.results.diff import ClausePair, ClauseRef, Cosmetic

if TYPE_CHECKING:
    from tosscan.models import Structure

SPLIT_OVER = 1200  # a unit longer than this, with several paragraphs, is cut into its paragraphs
STAGES: tuple[Cosmetic, ...] = ("whitespace", "width", "markdown", "renumbering", "date")


@dataclass
class Unit:
    start: int
    end: int
    number: str | None
    heading: str | None
    label: str
    text: str
    key: str  # the text with every cosmetic difference forgiven (``normal``)

    def ref(self) -> ClauseRef:
        return ClauseRef(number=self.number, heading=self.heading, start=self.start, end=self.end)


# --------------------------------------------------------------------------- normalisation

_WS = re.compile(r"\s+")
_WIDTH = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "「": '"', "」": '"', "『": '"', "』": '"',
                        "‘": "'", "’": "'", "‚": "'", "`": "'", "。": ".", "、": ",", "｡": ".", "【": "[",
                        "】": "]", "—": "-", "–": "-", "‐": "-", "‑": "-", "…": "...", "·": "."})
_MD_LINE = re.compile(r"^[ \t]*(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|[=\-]{3,}[ \t]*$)", re.MULTILINE)
_MD_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
_MD_MARK = re.compile(r"\\(?=[^\w\s])|[*_`]+|</?[a-zA-Z][^<>\n]{0,80}>")
_REF_EN = re.compile(r"(?i)(sections?|clauses?|articles?|paragraphs?|§)\s*\(?\d+(?:\.\d+)*\)?(?:\([a-z0-9]+\))*")
_REF_ZH = re.compile(r"第[一二三四五六七八九十百零〇两\d]+(条|章|款|节|项)")
_LINE_MARKUP = re.compile(r"[ \t\u3000>#*_\-+]*")
_MONTHS = ("jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
           "oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
_DATES = re.compile(r"(?i)\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{4}年\d{1,2}月\d{1,2}日|"
                    rf"\b(?:{_MONTHS})\.?\d{{1,2}}(?:st|nd|rd|th)?,?\d{{4}}|\d{{1,2}}(?:{_MONTHS})\.?,?\d{{4}}")
_LEAD_NUM = re.compile(r"^(?:\(?[0-9]+(?:\.[0-9]+)*[.)、]?|\(?[a-zA-Z ivx]{1,5}\)|[（(][一二三四五六七八九十]+[）)]|"
                       r"[一二三四五六七八九十]+、)")


def _width(t: str) -> str:
    return unicodedata.normalize("NFKC", t).translate(_WIDTH)


def _strip_label(t: str, label: str) -> str:
    if label:
        lab = _WS.sub("", _width(label))
        if lab and t.startswith(lab):
            return t[len(lab):]
    m = _LEAD_NUM.match(t)
    return t[m.end():] if m and m.end() < len(t) else t


def normal(text: str, label: str = "", skip: frozenset[str] = frozenset()) -> str:
    """The text with every cosmetic difference forgiven (but those named in ``skip``).

    In order: markdown markup, white space, punctuation width, numbering (the clause's own ``label``
    and cross-references), dates (a version stamp: "Last modified: Aug 12, 2026", "更新日期：2025年6月10日";
    white space is gone by then, so "Aug 12, 2026" is matched as "Aug12,2026").
    """
    t = text.strip()
    if "markdown" not in skip:
        t = _MD_MARK.sub("", _MD_LINK.sub(r"\1", _MD_LINE.sub("", t)))
    if "whitespace" not in skip:
        t = _WS.sub("", t)
    if "width" not in skip:
        t = _width(t)
    if "renumbering" not in skip:
        t = _REF_ZH.sub(r"第#\1", _REF_EN.sub(r"\1 #", _strip_label(t, label)))
    if "date" not in skip:
        t = _DATES.sub("#date", t)
    return t


def cosmetic_kinds(a: Unit, b: Unit) -> list[Cosmetic]:
    """The cosmetic kinds that separate two units whose normal forms agree: each kind whose forgiveness
    is needed for them to agree, and renumbering when their clause numbers differ."""
    kinds: list[Cosmetic] = []
    if a.text.strip() == b.text.strip():
        return ["renumbering"] if a.number and b.number and a.number != b.number else []
    for name in STAGES:
        skip = frozenset({name})
        if normal(a.text, a.label, skip) != normal(b.text, b.label, skip):
            kinds.append(name)
    if a.number and b.number and a.number != b.number and "renumbering" not in kinds:
        kinds.append("renumbering")
    return kinds


# --------------------------------------------------------------------------- units


def units_of(text: str, structure: Structure | None) -> list[Unit]:
    """The version cut into clause units (see the module's doc), in text order."""
    clauses = list(structure.clauses) if structure is not None else []
    starts: dict[int, int] = {}  # offset → the innermost clause starting there
    for i, c in enumerate(clauses):
        if c.start not in starts or c.level >= clauses[starts[c.start]].level:
            starts[c.start] = i
    for off in list(starts):  # a clause starts at its line's start when only markup precedes it ("## 10、")
        line_start = text.rfind("\n", 0, off) + 1
        if line_start < off and _LINE_MARKUP.fullmatch(text, line_start, off) and line_start not in starts:
            starts[line_start] = starts.pop(off)
    cuts = sorted({0, len(text), *starts})
    out: list[Unit] = []
    for a, b in itertools.pairwise(cuts):
        ci = starts.get(a)
        c = clauses[ci] if ci is not None else None
        number = c.number or None if c is not None else None
        heading = c.heading or None if c is not None else None
        label = c.label if c is not None else ""
        pieces = [(a, b)]
        if b - a > SPLIT_OVER and text.count("\n", a, b) > 1:
            pieces = [(m.start() + a, m.end() + a) for m in re.finditer(r"[^\n]+", text[a:b])]
        for k, (s, e) in enumerate(pieces):
            piece = text[s:e]
            if not piece.strip():
                continue
            lead = len(piece) - len(piece.lstrip())
            s, e = s + lead, s + len(piece.rstrip())
            out.append(Unit(s, e, number, heading, label if k == 0 else "", text[s:e],
                            normal(text[s:e], label if k == 0 else "")))
    return out


# --------------------------------------------------------------------------- pairing


def _ratio(a: Unit, b: Unit) -> float:
    return fuzz.ratio(a.key, b.key)


def _lis(seq: list[int]) -> set[int]:
    """Indexes (into ``seq``) of one longest strictly increasing subsequence."""
    tails: list[int] = []
    tails_at: list[int] = []
    prev = [-1] * len(seq)
    for i, x in enumerate(seq):
        k = bisect.bisect_left(tails, x)
        if k == len(tails):
            tails.append(x)
            tails_at.append(i)
        else:
            tails[k] = x
            tails_at[k] = i
        prev[i] = tails_at[k - 1] if k else -1
    out: set[int] = set()
    i = tails_at[-1] if tails_at else -1
    while i >= 0:
        out.add(i)
        i = prev[i]
    return out


def pair_units(old: list[Unit], new: list[Unit]) -> dict[int, tuple[int, float]]:
    """old index → (new index, similarity)."""
    pairs: dict[int, tuple[int, float]] = {}
    used: set[int] = set()
    # 1. the same normalised text
    by_key: dict[str, list[int]] = {}
    for j, u in enumerate(new):
        if u.key:
            by_key.setdefault(u.key, []).append(j)
    for i, u in enumerate(old):
        js = by_key.get(u.key)
        if js:
            j = js.pop(0)
            pairs[i] = (j, 100.0)
            used.add(j)
    rest_old = [i for i in range(len(old)) if i not in pairs]
    rest_new = [j for j in range(len(new)) if j not in used]
    if not rest_old or not rest_new:
        return pairs
    scores = process.cdist([old[i].key for i in rest_old], [new[j].key for j in rest_new], scorer=fuzz.ratio,
                           dtype="float32", workers=1)

    def take(pass_pairs: list[tuple[float, int, int]]) -> None:
        for s, a, b in sorted(pass_pairs, key=lambda t: (-t[0], t[1], t[2])):
            i, j = rest_old[a], rest_new[b]
            if i not in pairs and j not in used:
                pairs[i] = (j, float(s))
                used.add(j)

    # 2. near-identical: the best for both
    best_row = scores.argmax(axis=1)
    best_col = scores.argmax(axis=0)
    take([(float(scores[a, b]), a, b) for a, b in enumerate(best_row)
          if best_col[b] == a and scores[a, b] >= 85])
    # 3. the same number (and heading, when both have one)
    cand = []
    for a, i in enumerate(rest_old):
        u = old[i]
        if not u.number:
            continue
        for b, j in enumerate(rest_new):
            v = new[j]
            if v.number == u.number and (not u.heading or not v.heading or u.heading == v.heading) \
                    and scores[a, b] >= 25 and bool(u.label) == bool(v.label):
                cand.append((float(scores[a, b]), a, b))
    take(cand)
    # 4. the most similar of the rest
    take([(float(scores[a, b]), a, b) for a in range(len(rest_old)) for b in range(len(rest_new))
          if scores[a, b] >= 55])
    return pairs


def align(old_text: str, old_structure: Structure | None, new_text: str, new_structure: Structure | None
          ) -> tuple[list[ClausePair], list[Unit], list[Unit]]:
    """The clause pairs of two versions, in the order of the new one (a removed clause where it stood)."""
    old, new = units_of(old_text, old_structure), units_of(new_text, new_structure)
    return align_units(old, new), old, new


def align_units(old: Sequence[Unit], new: Sequence[Unit]) -> list[ClausePair]:
    """The clause pairs of two versions already cut into units (``units_of``), in the order of the new one.
    A version compared twice (the middle versions of a history) is cut once."""
    old, new = list(old), list(new)
    pairs = pair_units(old, new)
    ordered = sorted(pairs.items())
    in_order = {ordered[k][0] for k in _lis([j for _i, (j, _s) in ordered])}
    rows: list[tuple[tuple[float, int, int], ClausePair]] = []
    new_of_old = {i: j for i, (j, _s) in pairs.items()}
    for i, (j, sim) in ordered:
        a, b = old[i], new[j]
        same = a.key == b.key
        kinds = cosmetic_kinds(a, b) if same else []
        renumbered = bool(a.number and b.number and a.number != b.number)
        status = "moved" if i not in in_order or renumbered else "unchanged" if same else "modified"
        cosmetic = same and bool(kinds) and (i in in_order)
        inline = None if same else inline_diff(a.text, b.text)
        rows.append(((j, 0, i), ClausePair(old_clause=a.ref(), new_clause=b.ref(), status=status,
                                           cosmetic=cosmetic, kinds=kinds, similarity=round(sim, 1),
                                           inline=inline)))
    for j, b in enumerate(new):
        if j not in set(new_of_old.values()):
            rows.append(((j, 0, -1), ClausePair(old_clause=None, new_clause=b.ref(), status="added", cosmetic=False,
                                                similarity=0.0, inline=inline_diff("", b.text))))
    for i, a in enumerate(old):
        if i in pairs:
            continue
        before = [new_of_old[k] for k in range(i - 1, -1, -1) if k in new_of_old]
        anchor = before[0] if before else -1
        rows.append(((anchor, 1, i), ClausePair(old_clause=a.ref(), new_clause=None, status="removed",
                                                cosmetic=False, similarity=0.0, inline=inline_diff(a.text, ""))))
    rows.sort(key=lambda r: r[0])
    return [p for _k, p in rows]
