"""The report's view model: everything the HTML, Markdown and CSV renderers show, computed in Python.

The renderers are dumb, as in coverage.py's HTML report: analysis (``tosscan.pipeline`` and
``tosscan.score``) produces ``ScanResult`` with its findings, answers and grade; this module turns it
into plain dataclasses in one interface language; the templates only loop and escape.

* **Segments.** The original text is cut into segments at line breaks and at the edges of findings
  and of their evidence spans. Every code point belongs to exactly one segment, in order. Segments
  are grouped into runs (consecutive segments covered by the same findings) and runs into blocks
  (one per line: title, heading or paragraph; the line break itself is the block's ``tail``).
* **Verdicts** are the result's answers, with the question, the meaning of the answer and the note in
  the interface language (``questions.yaml``, ``strings.yaml``) and an excerpt of each quote.
* **Texts** of rules are looked up in the catalog that produced the result (``result.rules``), so a
  custom ``--rules`` catalog shows its own titles in either interface language.

Public interface: ``build_report(results, ui_lang, limit)`` returns the view model (``limit``: the HTML
report's ``MAX_CARDS``; its text blocks are made as they are read).
"""

from __future__ import annotations

import bisect
import gc
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from itertools import pairwise
from pathlib import PurePath
from typing import TYPE_CHECKING, Literal

import yaml

from tosscan.catalog import SEVERITIES, good_concepts, load_concepts, load_questions
from tosscan.markdown import Display
from tosscan.score import BLOCKER_CONCEPTS, NEUTRAL_CONCEPTS

if TYPE_CHECKING:
    from tosscan.assess import Finding
    from tosscan.catalog import Catalog
    from tosscan.models import Clause
    from tosscan.pipeline import ScanResult
    from tosscan.score import Answer, Evidence
    from tosscan.score import Grade as GradeResult

UiLang = Literal["zh", "en"]
AnswerValue = Literal["yes", "no", "not_stated"]


@cache
def _strings() -> dict:
    p = resources.files("tosscan.render") / "strings.yaml"
    return yaml.safe_load(p.read_text(encoding="utf-8"))


def labels(ui: str) -> dict[str, str]:
    """The interface words of one language."""
    return _strings()["labels"][ui]


def grade_text(ui: str, letter: str) -> str:
    return _strings()["grade_text"][ui][letter]


def method_text(lang: str) -> list[str]:
    """The grade formula in words, paragraph by paragraph (report footer, Markdown, README)."""
    concepts = load_concepts()

    def names(ids: Iterable[str]) -> str:
        sep = "、" if lang == "zh" else ", "
        return sep.join(f"{concepts.get(c, {}).get(lang, c)} ({c})" for c in sorted(ids))

    return [p.format(good=names(good_concepts()), blocker=names(BLOCKER_CONCEPTS), neutral=names(NEUTRAL_CONCEPTS))
            for p in _strings()["method"][lang]]


# --------------------------------------------------------------------------- the view model

#: The HTML report lists at most this many findings as cards: the first, in the text's order. Every finding is
#: still highlighted in the text (with its anchor); the others' highlights link nowhere, and a line under the
#: findings' heading says "showing the first N of M". The JSON, Markdown and CSV have every finding. The
#: densest agreement of the corpus has 85 findings; a 10 MB agreement about 12,000.
MAX_CARDS = 1000
#: … and an answer's card links at most this many quotes besides its best quote and the best of the other side
#: (the corpus has at most 3 per answer; an agreement with a licence in every clause, one per clause).
MAX_QUOTES = 100


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of the original text: ``text == document[start:end]``; ``display`` is what a reader sees."""

    start: int
    end: int
    text: str
    evidence: bool = False  # one of the words that made a rule fire
    markup: bool = False  # a Markdown heading marker ("## ") at the start of a line, shown muted
    shown: str | None = None  # markdown inline markup: shown as this ("" for "**", "." for "\\.")

    @property
    def display(self) -> str:
        return self.text if self.shown is None else self.shown


def display_of(result: ScanResult) -> Display:
    """The display layer of a result's text: its markdown markup (none for plain text)."""
    structure = result.structure
    return Display(result.text, list(structure.markup) if structure is not None else [])


def _displayed(segs: list[Segment], shown: Display) -> list[Segment]:
    """Segments cut at markdown's inline markup, which shows as its display (``tosscan.markdown``)."""
    if not shown:
        return segs
    return [Segment(a, b, shown.text[a:b], s.evidence, s.markup, None if piece == shown.text[a:b] else piece)
            for s in segs for a, b, piece in shown.pieces(s.start, s.end)]


@dataclass(slots=True)
class Run:
    """Consecutive segments of one line covered by the same findings (none: plain text)."""

    findings: list[str]  # ids of the listed findings covering it (their cards; see ``MAX_CARDS``)
    severity: str | None  # the worst of every finding covering it (None: plain text)
    anchors: list[str]  # ids of findings that start here (link targets in the text)
    title: str  # hover text
    segments: list[Segment]

    @property
    def flagged(self) -> bool:
        return self.severity is not None


@dataclass(slots=True)
class Block:
    """One line of the agreement. ``tail`` is its line break (not rendered: blocks are paragraphs)."""

    kind: Literal["title", "heading", "para", "blank"]
    level: int
    anchors: list[str]  # clause anchors starting on this line
    runs: list[Run]
    tail: Segment | None = None

    @property
    def segments(self) -> list[Segment]:
        return [s for r in self.runs for s in r.segments]


@dataclass(frozen=True)
class ConceptRef:
    id: str
    label: str


@dataclass(frozen=True)
class DetailView:
    rule: str
    severity: str
    severity_label: str
    title: str
    explanation: str
    concepts: list[ConceptRef]


@dataclass
class FindingView:
    id: str  # anchor of its entry in the findings list
    text_anchor: str  # anchor of its highlight in the text
    number: int
    start: int
    end: int
    clause: str | None
    clause_label: str  # "§4.2.2", "第十二条", "—"
    heading: str | None
    severity: str
    severity_label: str
    title: str
    explanation: str
    concepts: list[ConceptRef]
    rules: list[str]
    quote: str
    quote_segments: list[Segment]
    details: list[DetailView]

    @property
    def concept_ids(self) -> str:
        return " ".join(c.id for c in self.concepts)


@dataclass(frozen=True)
class EvidenceRef:
    finding: str
    text_anchor: str
    clause_label: str
    quote: str
    side: str  # "yes" or "no": the answer this quote supports
    excerpt: list[Segment]  # the part of the quote a card shows; the question's cue is ``evidence``
    cut_before: bool = False  # the excerpt starts inside the quote ("…")
    cut_after: bool = False
    tone: str = "unknown"  # the tone of its side ("good"/"bad"): a counter-quote is coloured as its side, not the card


@dataclass
class Verdict:
    question_id: str
    question: str
    answer: AnswerValue
    answer_label: str
    tone: Literal["bad", "good", "unknown"]
    meaning: str
    concepts: list[ConceptRef]
    evidence: list[EvidenceRef]
    note: str = ""  # why the answer is qualified ("both sides stated", "feedback only"…)
    short: str = ""  # a few words for the one-line summary
    unlisted: int = 0  # quotes of the answer not linked (beyond ``MAX_QUOTES``; the JSON has them)

    @property
    def primary(self) -> EvidenceRef | None:
        return self.evidence[0] if self.evidence else None

    @property
    def counter(self) -> EvidenceRef | None:
        """The best quote of the other side, when the agreement states both."""
        primary = self.primary  # once, not once per quote
        if primary is None:
            return None
        return next((e for e in self.evidence[1:] if e.side != primary.side), None)

    @property
    def more(self) -> list[EvidenceRef]:
        """The other quotes, as links."""
        counter = self.counter  # once, not once per quote: linear in the quotes, not quadratic
        return [e for e in self.evidence[1:] if e is not counter]


@dataclass(frozen=True)
class Point:
    concept: ConceptRef
    kind: Literal["blocker", "bad", "good"]
    severity: str


@dataclass
class Grade:
    letter: str  # A–E or "N/A"
    good: int
    bad: int
    blocker: int
    balance: int
    points: list[Point]
    description: str


@dataclass
class TocEntry:
    anchor: str
    label: str
    level: int
    count: int
    worst: str | None


@dataclass(frozen=True)
class MetaItem:
    key: str
    label: str
    value: str
    mono: bool = False


@dataclass(frozen=True)
class FilterOption:
    id: str
    label: str
    count: int


@dataclass
class DocumentView:
    id: str
    title: str
    lang: str
    ui_lang: UiLang
    labels: dict[str, str]
    path: str
    sha256: str
    meta: list[MetaItem]
    meta_short: list[MetaItem]  # what the page's head shows of ``meta``, for a quick citation
    grade: Grade
    summary_head: str  # "等级 E：2 项严重、16 项不利。"
    summary_tail: str  # "你的作品：授权不可撤销、永久……。"
    verdicts: list[Verdict]
    toc: list[TocEntry]
    blocks: Iterable[Block]  # made afresh each time they are read (``_Blocks``)
    findings: list[FindingView]  # the listed ones: all, or the first ``MAX_CARDS`` in an HTML report
    severity_counts: list[FilterOption]
    concept_options: list[FilterOption]
    method: list[str]
    text_length: int = 0
    finding_count: int = 0  # every finding of the document, listed or not

    @property
    def text_lang(self) -> str:
        """The HTML language tag of the agreement's own text (quotes keep it in an English UI)."""
        return "zh-CN" if self.lang == "zh" else "en"

    @property
    def summary_sep(self) -> str:
        return "" if self.ui_lang == "zh" else " "

    @property
    def summary(self) -> str:
        """The one-line summary."""
        return f"{self.summary_head}{self.summary_sep}{self.summary_tail}"

    @property
    def segments(self) -> list[Segment]:
        """Every segment of the text, in order; they cover the text exactly once."""
        out: list[Segment] = []
        for b in self.blocks:
            out.extend(b.segments)
            if b.tail is not None:
                out.append(b.tail)
        return out


@dataclass
class ReportView:
    ui_lang: UiLang
    labels: dict[str, str]
    documents: list[DocumentView] = field(default_factory=list)
    title: str = ""


# --------------------------------------------------------------------------- building


def _ui(lang: str | None) -> UiLang:
    return "en" if lang == "en" else "zh"


def clause_label(number: str | None, ui_lang: str) -> str:
    if not number:
        return "—"
    return number if number.startswith("第") else f"§{number}"


@cache
def _shipped_catalog() -> Catalog | None:
    from tosscan.catalog import load_catalog
    from tosscan.errors import CatalogError

    try:
        return load_catalog()
    except CatalogError:  # a broken shipped catalog must not break a report: rule ids stand in
        return None


def rule_text(result: ScanResult, rule: str, ui_lang: str) -> tuple[str, str]:
    """The rule's title and explanation in ``ui_lang``, from the catalog that produced ``result``."""
    catalog = result.rules if result.rules is not None else _shipped_catalog()
    r = catalog.by_id.get(rule) if catalog is not None else None
    if r is None:
        return rule, ""
    return getattr(r.title, ui_lang), getattr(r.explanation, ui_lang)


def _rank(sev: str | None) -> int:
    return SEVERITIES.index(sev) if sev in SEVERITIES else -1


class _RangeCounts:
    """How many findings start in [a, b), and the worst severity among them, in O(log n) per query (the
    table of contents asks once per heading: a scan over every finding would make the report quadratic)."""

    def __init__(self, findings: Sequence[Finding]):
        self.starts = [f.start for f in findings]  # findings are in document order
        self.prefix: dict[str, list[int]] = {}
        for sev in SEVERITIES:
            acc = [0]
            for f in findings:
                acc.append(acc[-1] + (f.severity == sev))
            self.prefix[sev] = acc

    def within(self, a: int, b: int) -> tuple[int, str | None]:
        i, j = bisect.bisect_left(self.starts, a), bisect.bisect_left(self.starts, b)
        worst = next((sev for sev in reversed(SEVERITIES) if self.prefix[sev][j] - self.prefix[sev][i]), None)
        return j - i, worst


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_END_PUNCT = tuple("。；;.!?！？，,：:")


def _lines(text: str) -> list[tuple[int, int, int]]:
    """(start, end of content, end including the line break) of every line."""
    out: list[tuple[int, int, int]] = []
    pos, n = 0, len(text)
    while pos < n:
        m = _LINE.match(text, pos)
        assert m is not None
        content = m.group(0).rstrip("\r\n")
        out.append((pos, pos + len(content), m.end()))
        if m.end() == pos:  # pragma: no cover - the pattern always advances before the end
            break
        pos = m.end()
    return out


_MD_HEADING = re.compile(r"[ \t]{0,3}#{1,6}[ \t]+")


def _markup_ends(text: str, lines: list[tuple[int, int, int]]) -> dict[int, int]:
    """Line start → end of its Markdown heading marker, for lines that have one."""
    out: dict[int, int] = {}
    for a, c, _t in lines:
        m = _MD_HEADING.match(text, a, c)
        if m and m.end() < c:
            out[a] = m.end()
    return out


def _cut_points(n: int, findings: Sequence[Finding], lines: list[tuple[int, int, int]], markup: dict[int, int],
                shown: Display) -> tuple[list[int], list[tuple[int, int, int]], list[tuple[int, int]]]:
    cuts = {0, n, *markup.values(), *(x for a, b, _s in shown.edits for x in (a, b) if b <= n)}
    cover: list[tuple[int, int, int]] = []  # (start, end, finding index)
    ev: list[tuple[int, int]] = []
    for i, f in enumerate(findings):
        s, e = max(0, min(f.start, n)), max(0, min(f.end, n))
        if s >= e:
            continue
        cuts.update((s, e))
        cover.append((s, e, i))
        for a, b in f.evidence:
            a, b = max(a, s), min(b, e)
            if a < b:
                cuts.update((a, b))
                ev.append((a, b))
    for a, c, t in lines:
        cuts.update((a, c, t))
    return sorted(cuts), cover, ev


def _atoms(text: str, findings: Sequence[Finding], lines: list[tuple[int, int, int]], markup: dict[int, int],
           shown: Display) -> Iterator[tuple[int, int, tuple[int, ...], bool]]:
    """Atomic pieces (start, end, covering finding indexes, evidence) by a sweep over the cut points, in order."""
    cuts, cover, ev = _cut_points(len(text), findings, lines, markup, shown)
    starts: dict[int, list[int]] = {}
    ends: dict[int, list[int]] = {}
    for s, e, i in cover:
        starts.setdefault(s, []).append(i)
        ends.setdefault(e, []).append(i)
    ev_delta: dict[int, int] = {}
    for a, b in ev:
        ev_delta[a] = ev_delta.get(a, 0) + 1
        ev_delta[b] = ev_delta.get(b, 0) - 1
    active: set[int] = set()
    ev_depth = 0
    for a, b in pairwise(cuts):
        active.difference_update(ends.get(a, ()))
        active.update(starts.get(a, ()))
        ev_depth += ev_delta.get(a, 0)
        if a < b:
            yield a, b, tuple(sorted(active)), ev_depth > 0


def _is_heading_line(line: str, clause: Clause) -> bool:
    s = line.strip().lstrip("#").strip()
    return bool(clause.heading) and 0 < len(s) <= 60 and clause.heading in s and not s.endswith(_END_PUNCT)


_TITLE_WORD = re.compile(r"(协议|条款|规则|规范|公约|政策|守则|须知|声明|原则|办法|"
                         r"Terms|Terms of (Service|Use)|Agreement|Policy|Guidelines|Rules)》?$", re.IGNORECASE)
_BOOK_TITLE = re.compile(r"《([^《》\n]{2,40})》\s*[（(]以下简称")


def _title_of(text: str, lines: list[tuple[int, int, int]], clauses: Sequence[Clause], path: str,
              shown: Display | None = None) -> tuple[str, int]:
    """The document's title and the index of its line (-1 when the title is not a line of its own).

    In order: one of the first three lines (before the first numbered clause) that is short and ends
    in a word like 协议/条款/规则/Terms/Policy; a 《book title》 of the opening that the text names
    itself by ("《…协议》（以下简称“本协议”）"); the first line when it is short and no sentence; else
    the file name.
    """
    first_clause = min((c.start for c in clauses if c.number), default=len(text))
    candidates: list[tuple[int, str]] = []
    for i, (a, c, _t) in enumerate(lines):
        if a >= first_clause or len(candidates) == 3:
            break
        bare = (shown.display(a, c) if shown else text[a:c]).replace("\ufeff", "").strip().lstrip("#").strip()
        if bare:
            candidates.append((i, bare))
    for i, bare in candidates:
        if len(bare) <= 60 and _TITLE_WORD.search(bare) and not bare.startswith("【"):
            return bare, i
    for m in _BOOK_TITLE.finditer(text[:600]):
        if _TITLE_WORD.search(m.group(1)):
            return m.group(1), -1
    if candidates:
        i, bare = candidates[0]
        if lines[i][0] < first_clause and len(bare) <= 40 and not bare.endswith(_END_PUNCT):
            return bare, i
    return PurePath(path).stem or path, -1


def document_title(result: ScanResult) -> str:
    """The document's title as the report shows it (its title line, a 《book title》, or the file name)."""
    text = result.text
    clauses = list(result.structure.clauses) if result.structure is not None else []
    return _title_of(text, _lines(text), clauses, result.document.path, display_of(result))[0]


class _Blocks:
    """A document's blocks, made afresh each time they are read: a huge agreement's text never exists as
    blocks, runs and segments all at once (the HTML template reads them once, line by line)."""

    __slots__ = ("_make",)

    def __init__(self, make: Callable[[], Iterator[Block]]) -> None:
        self._make = make

    def __iter__(self) -> Iterator[Block]:
        return self._make()


def build_document(result: ScanResult, doc_id: str, ui_lang: str | None = None, limit: int | None = None
                   ) -> DocumentView:
    """The view model of one scanned document. ``limit``: list only the first ``limit`` findings (their cards;
    every finding is still highlighted in the text) and link at most ``MAX_QUOTES`` quotes per answer."""
    d = result.document
    lang = d.language
    ui = _ui(ui_lang or lang)
    L = labels(ui)
    text = result.text
    concepts_meta = load_concepts()
    structure = result.structure
    clauses = list(structure.clauses) if structure is not None else []
    shown = display_of(result)

    def cref(cid: str) -> ConceptRef:
        return ConceptRef(cid, concepts_meta.get(cid, {}).get(ui, cid))

    def sev_label(s: str) -> str:
        return L.get(f"sev.{s}", s)

    texts: dict[str, tuple[str, str]] = {}

    def text_of(rule: str) -> tuple[str, str]:
        if rule not in texts:
            texts[rule] = rule_text(result, rule, ui)
        return texts[rule]

    # findings, in document order; the first ``listed`` have a card
    order = sorted(range(len(result.findings)), key=lambda i: (result.findings[i].start, result.findings[i].end))
    findings = [result.findings[i] for i in order]
    listed = len(findings) if limit is None else min(limit, len(findings))
    fviews: list[FindingView] = []
    for n, f in enumerate(findings[:listed], 1):
        title, expl = text_of(f.rule)
        qsegs: list[Segment] = []
        pos = f.start
        for a, b in sorted(f.evidence):
            a, b = max(a, pos), min(b, f.end)
            if a >= b:
                continue
            if pos < a:
                qsegs.append(Segment(pos, a, text[pos:a]))
            qsegs.append(Segment(a, b, text[a:b], evidence=True))
            pos = b
        if pos < f.end:
            qsegs.append(Segment(pos, f.end, text[pos:f.end]))
        details = []
        for det in f.details:
            dt, de = text_of(det.rule)
            details.append(DetailView(det.rule, det.severity, sev_label(det.severity), dt, de,
                                      [cref(c) for c in det.concepts]))
        fviews.append(FindingView(
            id=f"{doc_id}-f{n}", text_anchor=f"{doc_id}-t{n}", number=n, start=f.start, end=f.end,
            clause=f.clause, clause_label=clause_label(f.clause, ui), heading=f.heading,
            severity=f.severity, severity_label=sev_label(f.severity), title=title, explanation=expl,
            concepts=[cref(c) for c in f.concepts], rules=list(f.rules), quote=shown.display(f.start, f.end),
            quote_segments=_displayed(qsegs, shown), details=details))

    counts = _RangeCounts(findings)
    # the text: lines → runs → segments
    lines = _lines(text)
    markup = _markup_ends(text, lines)
    title, title_line = _title_of(text, lines, clauses, d.path, shown)
    clause_line: dict[int, list[int]] = {}
    line_starts = [a for a, _c, _t in lines]
    for ci, c in enumerate(clauses):
        li = bisect.bisect_right(line_starts, c.start) - 1
        if li >= 0:
            clause_line.setdefault(li, []).append(ci)

    def kind_of(li: int) -> tuple[Literal["title", "heading", "para", "blank"], int, str]:
        """The kind of line ``li``, its heading level and its text as shown."""
        a, c, _t = lines[li]
        line = shown.display(a, c)
        cls = clause_line.get(li, [])
        if not line.strip():
            return "blank", 0, line
        if li == title_line:
            return "title", 0, line
        if cls and not text[a:clauses[cls[0]].start].strip(" \t\u3000#>*\ufeff") and \
                _is_heading_line(line, clauses[cls[0]]):
            return "heading", clauses[cls[0]].level, line
        return "para", 0, line

    toc: list[TocEntry] = []
    for li in sorted(clause_line):  # only a line where a clause starts can be a heading
        kind, level, line = kind_of(li)
        if kind == "heading":
            c0 = clauses[clause_line[li][0]]
            toc.append(TocEntry(f"{doc_id}-c{clause_line[li][0]}", line.strip().lstrip("#").strip(), level,
                                *counts.within(c0.start, c0.end)))

    def blocks() -> Iterator[Block]:
        atoms = _atoms(text, findings, lines, markup, shown)
        atom = next(atoms, None)
        started: set[int] = set()
        for li, (a, c, t) in enumerate(lines):
            runs: list[Run] = []
            last: tuple[int, ...] = ()
            while atom is not None and atom[1] <= c:
                s, e, cov, evd = atom
                atom = next(atoms, None)
                seg = Segment(s, e, text[s:e], evd, markup=s < markup.get(a, a), shown=shown.at(s))
                if runs and cov == last and not (set(cov) - started):
                    runs[-1].segments.append(seg)
                    continue
                last = cov
                anchors = [f"{doc_id}-t{i + 1}" for i in cov if i not in started]
                started.update(cov)
                sev = max((findings[i].severity for i in cov), key=_rank) if cov else None
                hover = " · ".join(f"{text_of(findings[i].rule)[0]} ({sev_label(findings[i].severity)})" for i in cov)
                runs.append(Run([f"{doc_id}-f{i + 1}" for i in cov if i < listed], sev, anchors, hover, [seg]))
            tail = None
            if atom is not None and atom[0] == c and c < t:
                s, e, _cov, _ev = atom
                atom = next(atoms, None)
                tail = Segment(s, e, text[s:e])
            kind, level, _line = kind_of(li)
            yield Block(kind, level, [f"{doc_id}-c{ci}" for ci in clause_line.get(li, [])], runs, tail)
        assert atom is None, "segments must cover the text"

    if not toc:  # no heading lines: list the top-level numbered clauses
        numbered = [(ci, c) for ci, c in enumerate(clauses) if c.number]
        if numbered:
            top = min(c.level for _ci, c in numbered)
            for ci, c in numbered:
                if c.level != top:
                    continue
                body = text[c.start:c.end].split("\n", 1)[0].strip()
                label = body if len(body) <= 28 else body[:27] + "…"
                toc.append(TocEntry(f"{doc_id}-c{ci}", label, 0, *counts.within(c.start, c.end)))
    if toc:  # normalise levels to 0, 1, 2 by rank
        ranks = {lv: i for i, lv in enumerate(sorted({e.level for e in toc}))}
        for e in toc:
            e.level = min(ranks[e.level], 2)

    verdicts = _verdicts(result.answers, findings, doc_id, ui, cref, shown, limit is not None)
    grade = _grade(result.grade, ui, cref)
    summary_head, summary_tail = _summary(grade, verdicts, ui)

    sev_counts = [FilterOption(s, sev_label(s), sum(1 for f in findings if f.severity == s))
                  for s in reversed(SEVERITIES)]
    concept_counts: dict[str, int] = {}
    for f in findings:
        for cid in f.concepts:
            concept_counts[cid] = concept_counts.get(cid, 0) + 1
    corder = {cid: i for i, cid in enumerate(concepts_meta)}
    concept_options = [FilterOption(cid, cref(cid).label, n)
                       for cid, n in sorted(concept_counts.items(), key=lambda kv: (corder.get(kv[0], 999), kv[0]))]

    cat = result.catalog
    meta = [
        MetaItem("path", L["path"], d.path, mono=True),
        MetaItem("sha256", L["sha256"], d.sha256, mono=True),
        MetaItem("scanned_at", L["scanned_at"], d.scanned_at, mono=True),
        MetaItem("tool", L["tool"], f"{result.tosscan.name} {result.tosscan.version}", mono=True),
        MetaItem("catalog", L["catalog"], f"{cat.rules} {L['catalog_rules']} · sha256 {cat.sha256}", mono=True),
        MetaItem("language", L["language"], f"{L.get('lang.' + lang, lang)} ({lang})"),
        MetaItem("encoding", L["encoding"], d.encoding, mono=True),
        MetaItem("chars", L["chars"], f"{d.chars:,}"),
        MetaItem("count", L["count"], str(len(findings))),
    ]
    if d.extractor != "text":  # the text shown (and cited by offset) is what this reader extracted
        meta.insert(2, MetaItem("extractor", L["extractor"], d.extractor, mono=True))
    for key in ("url", "fetched_at", "snapshot"):
        if getattr(d, key):
            meta.insert(2, MetaItem(key, L[key], str(getattr(d, key)), mono=True))
    meta_short = [
        MetaItem("sha256", L["sha256"], d.sha256[:16] + "…", mono=True),
        MetaItem("scanned_at", L["scanned_at"], d.scanned_at.replace("T", " ")[:16], mono=True),
        MetaItem("catalog", L["catalog"], f"{cat.rules} {L['catalog_rules']} · {cat.sha256[:10]}…", mono=True),
        MetaItem("tool", L["tool"], result.tosscan.version, mono=True),
    ]
    return DocumentView(
        id=doc_id, title=title, lang=lang, ui_lang=ui, labels=L, path=d.path, sha256=d.sha256, meta=meta,
        meta_short=meta_short,
        grade=grade, summary_head=summary_head, summary_tail=summary_tail, verdicts=verdicts, toc=toc,
        blocks=_Blocks(blocks), findings=fviews,
        severity_counts=sev_counts, concept_options=concept_options, method=method_text(ui),
        text_length=len(text), finding_count=len(findings))


def _shown_quotes(evidence: Sequence[Evidence]) -> list[Evidence]:
    """The quotes an answer card links when they are limited: the best, the best of the other side, and the
    next ``MAX_QUOTES`` (in their order)."""
    if not evidence:
        return []
    counter = next((i for i, e in enumerate(evidence) if i and e.side != evidence[0].side), None)
    keep = {0, *[i for i in range(1, len(evidence)) if i != counter][:MAX_QUOTES]}
    if counter is not None:
        keep.add(counter)
    return [e for i, e in enumerate(evidence) if i in keep]


def _verdicts(answers: Sequence[Answer], findings: Sequence[Finding], doc_id: str, ui: UiLang,
              cref: Callable[[str], ConceptRef], shown: Display, limited: bool = False) -> list[Verdict]:
    L = labels(ui)
    quoted = [_shown_quotes(a.evidence) if limited else list(a.evidence) for a in answers]
    wanted = {(e.start, e.end) for quotes in quoted for e in quotes}
    by_span = {(f.start, f.end): i for i, f in enumerate(findings) if (f.start, f.end) in wanted}
    questions = {q.id: q for q in load_questions()}
    out: list[Verdict] = []
    for a, quotes in zip(answers, quoted, strict=True):
        q = questions.get(a.question)
        if q is None:  # an answer to a question this tosscan does not know (a newer result)
            continue
        evidence: list[EvidenceRef] = []
        for e in quotes:
            i = by_span.get((e.start, e.end))
            if i is None:
                continue
            f = findings[i]
            raw = shown.text[f.start:f.end]
            excerpt, before, after = excerpt_of(raw, f.start, q.cues, wide=_is_latin(raw))
            own = q.yes if e.side == "yes" else q.no
            evidence.append(EvidenceRef(f"{doc_id}-f{i + 1}", f"{doc_id}-t{i + 1}", clause_label(f.clause, ui),
                                        shown.display(f.start, f.end), e.side, _displayed(excerpt, shown), before,
                                        after, own.tone if own is not None else "unknown"))
        side = q.yes if a.answer == "yes" else q.no if a.answer == "no" else None
        if side is not None:
            tone: Literal["bad", "good", "unknown"] = side.tone
            meaning = getattr(side.means, ui)
            short = getattr(side.short, ui) if side.short is not None else ""
        else:
            tone, meaning, short = "unknown", L["not_stated_note"], ""
        note = L.get(f"note.{a.note}", "") if a.note else ""
        out.append(Verdict(q.id, getattr(q, ui), a.answer, L[a.answer], tone, meaning,
                           [cref(c) for c in q.concepts], evidence, note, short, len(a.evidence) - len(quotes)))
    out.sort(key=lambda v: v.answer == "not_stated")  # answered first, each group in the file's order
    return out


def _is_latin(s: str) -> bool:
    return len(re.findall(r"[A-Za-z]", s)) > len(s) // 3


def excerpt_of(quote: str, offset: int, cues: Sequence[str], wide: bool = False
               ) -> tuple[list[Segment], bool, bool]:
    """The part of ``quote`` (which starts at ``offset`` in the text) around the first cue found.

    Cues are tried in order; the first that occurs (case-insensitively) is marked as evidence and the
    excerpt keeps ``BEFORE`` characters before it and ``AFTER`` after it (more for Latin script, cut at
    spaces). Returns (segments, cut_before, cut_after); without a cue, the start of the quote.
    """
    before, after = (70, 150) if wide else (18, 46)
    low = quote.lower()
    hit: tuple[int, int] | None = None
    for cue in cues:
        i = low.find(cue.lower())
        if i >= 0:
            hit = (i, i + len(cue))
            break
    if hit is None:
        a, b = 0, min(len(quote), before + after)
    else:
        a, b = max(0, hit[0] - before), min(len(quote), hit[1] + after)
    if wide:  # whole words
        if a > 0:
            sp = quote.find(" ", a)
            a = sp + 1 if 0 <= sp < (hit[0] if hit else b) else a
        if b < len(quote):
            sp = quote.rfind(" ", (hit[1] if hit else a), b)
            b = sp if sp > 0 else b
    if len(quote) - (b - a) <= 6:  # nearly all of it: show all of it
        a, b = 0, len(quote)
    segs: list[Segment] = []
    pieces = [(a, hit[0], False), (hit[0], hit[1], True), (hit[1], b, False)] if hit else [(a, b, False)]
    for s, e, ev in pieces:
        s, e = max(s, a), min(e, b)
        if s < e:
            segs.append(Segment(offset + s, offset + e, quote[s:e], ev))
    return segs, a > 0, b < len(quote)


def _grade(g: GradeResult, ui: UiLang, cref: Callable[[str], ConceptRef]) -> Grade:
    points = [Point(cref(p.concept), p.kind, p.severity) for p in g.points]
    return Grade(g.letter, g.good, g.bad, g.blocker, g.balance, points, grade_text(ui, g.letter))


def _summary(grade: Grade, verdicts: Sequence[Verdict], ui: UiLang) -> tuple[str, str]:
    concerns = [v.short for v in verdicts if v.tone == "bad" and v.short]
    strengths = [v.short for v in verdicts if v.tone == "good" and v.short]
    if ui == "zh":
        head = "未评级。" if grade.letter == "N/A" else \
            f"等级 {grade.letter}：{grade.blocker} 项严重、{grade.bad} 项不利、{grade.good} 项有利。"
        tail = f"你的作品：{'、'.join(concerns)}。" if concerns else "未发现平台对你作品的额外权利主张。"
        if strengths:
            tail += f"对你有利：{'、'.join(strengths)}。"
    else:
        def n(k: int, word: str) -> str:
            return f"{k} {word}{'' if k == 1 else 's'}"

        head = "Not graded." if grade.letter == "N/A" else \
            f"Grade {grade.letter}: {n(grade.blocker, 'blocker')}, {n(grade.bad, 'bad point')}, " \
            f"{n(grade.good, 'good point')}."
        tail = f"Over your work: {', '.join(concerns)}." if concerns else \
            "No far-reaching claims over your work found."
        if strengths:
            tail += f" In your favour: {', '.join(strengths)}."
    return head, tail


def build_report(results: Sequence[ScanResult], ui_lang: str | None = None, limit: int | None = None
                 ) -> ReportView:
    """The view model of a report over one or more scanned documents (``limit``: see ``build_document``)."""
    if ui_lang not in (None, "zh", "en"):
        raise ValueError(f"ui_lang must be 'zh', 'en' or None, not {ui_lang!r}")
    # The view model is tens of thousands of small acyclic objects for a large agreement: the cyclic garbage
    # collector would only walk them (and the result's) again and again, more than half of the build's time.
    paused = gc.isenabled()
    gc.disable()
    try:
        docs = [build_document(r, f"d{i}", ui_lang, limit) for i, r in enumerate(results, 1)]
    finally:
        if paused:
            gc.enable()
    page_ui = _ui(ui_lang or (results[0].document.language if results else "zh"))
    L = labels(page_ui)
    title = docs[0].title if len(docs) == 1 else f"{L['report']} · {len(docs)} {L['documents']}"
    return ReportView(page_ui, L, docs, title)
