"""The report's view model: everything the HTML, Markdown and CSV renderers show, computed in Python.

The renderers are dumb, as in coverage.py's HTML report: analysis (``tosscan.pipeline``) produces
``ScanResult``; this module turns it into plain dataclasses; the templates only loop and escape.

* **Segments.** The original text is cut into segments at line breaks and at the edges of findings
  and of their evidence spans. Every code point belongs to exactly one segment, in order. Segments
  are grouped into runs (consecutive segments covered by the same findings) and runs into blocks
  (one per line: title, heading or paragraph; the line break itself is the block's ``tail``).
* **Verdicts.** ``tosscan/data/questions.yaml`` maps each artist's question to concepts and to the
  answer a finding implies ("授权能否撤回？" is answered *No* when ``license.irrevocable`` is found).
  No finding: *Not stated*.
* **Grade.** A–E, computed the way ToS;DR grades services (``tosdr/edit.tosdr.org``,
  ``Service#service_rating_get``), from counts of good, bad and blocker points::

      balance = good − bad − 3 × blocker
      E  if balance < −10
      D  else if blocker > 0
      C  else if balance < −4
      B  else if bad > 0
      A  otherwise          (N/A when the scan found nothing at all)

  A *point* is one concept found in the document, counted once however many sentences state it
  (ToS;DR counts cases, not sentences), and classed by the most severe rule that found it:

  - **blocker**: a concept of ``BLOCKER_CONCEPTS`` (the platform keeps, takes or trains on your work
    for good: AI training, copyright transfer, irrevocable, exclusive, survives deletion, moral-rights
    waiver) found by a ``high`` rule;
  - **bad**: any other concept found by a ``medium`` or ``high`` rule (a blocker concept found only by
    a ``medium`` rule counts as bad), except ``NEUTRAL_CONCEPTS`` (a plain licence to show your
    content, the governing law), which every agreement has;
  - concepts found only by ``low`` or ``info`` rules do not count;
  - **good**: ``GOOD_CONCEPTS``; the catalog has no rules for user-friendly terms yet, so good = 0.

Public interface: ``render(results, fmt, ui_lang=None)`` with fmt "html", "md" or "csv";
``build_report`` returns the view model itself.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from itertools import pairwise
from pathlib import PurePath
from typing import TYPE_CHECKING, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from tosscan.rules import SEVERITIES, load_concepts

if TYPE_CHECKING:
    from tosscan.assess import Finding
    from tosscan.models import Clause
    from tosscan.pipeline import ScanResult

UiLang = Literal["zh", "en"]
Answer = Literal["yes", "no", "not_stated"]
FORMATS = ("html", "md", "csv")

# --------------------------------------------------------------------------- the grade

BLOCKER_CONCEPTS: frozenset[str] = frozenset({
    "ai.training", "ip.ownership_transfer", "license.irrevocable", "license.exclusive",
    "license.survives_termination", "moral_rights.waiver",
})
NEUTRAL_CONCEPTS: frozenset[str] = frozenset({"license.grant", "dispute.choice_of_law"})
GOOD_CONCEPTS: frozenset[str] = frozenset()
COUNTED_SEVERITIES: tuple[str, ...] = ("medium", "high")
BLOCKER_SEVERITY = "high"
GRADES = ("A", "B", "C", "D", "E")  # best to worst


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


# --------------------------------------------------------------------------- interface strings

STRINGS: dict[str, dict[str, str]] = {
    "zh": {
        "report": "tosscan 报告",
        "answers": "你的作品：关键问答",
        "answers_note": "回答依据协议中被 tosscan 标出的条款，点击条款编号可跳到原文。"
                        "“未说明”表示没有找到相关条款，请以原文为准。",
        "grade": "总评",
        "full_text": "协议全文",
        "toc": "目录",
        "findings": "全部发现",
        "about": "扫描信息",
        "method": "评级方法",
        "yes": "是",
        "no": "否",
        "not_stated": "未说明",
        "not_stated_note": "协议中没有找到相关条款。",
        "evidence": "依据",
        "also": "另见",
        "concerns": "需要注意",
        "outside": "条款外",
        "sev.high": "高",
        "sev.medium": "中",
        "sev.low": "低",
        "sev.info": "提示",
        "filter": "筛选",
        "severity": "严重程度",
        "concept": "概念",
        "all_concepts": "全部概念",
        "shown": "显示",
        "of": "/",
        "findings_unit": "处发现",
        "show_in_text": "在原文中查看",
        "show_details": "查看说明",
        "concepts": "概念",
        "rules": "规则",
        "panel_title": "条款说明",
        "panel_hint": "点击原文中高亮的句子，查看它为何被标出。",
        "close": "关闭",
        "legend": "高亮颜色",
        "path": "文件",
        "sha256": "文件 SHA-256",
        "scanned_at": "扫描时间（UTC）",
        "tool": "tosscan 版本",
        "catalog": "规则库",
        "catalog_rules": "条规则",
        "language": "语言",
        "encoding": "编码",
        "chars": "字符数",
        "count": "发现数",
        "lang.zh": "中文",
        "lang.en": "英文",
        "no_findings": "tosscan 没有在这份文件中发现需要注意的条款。",
        "points": "计分",
        "point.blocker": "严重",
        "point.bad": "不利",
        "point.good": "有利",
        "grade_of": "等级",
        "balance": "平衡分",
        "disclaimer": "由 tosscan 自动生成。这是机器分析，不构成法律意见；引用前请核对原文。",
        "skip": "跳到协议全文",
        "all_meta": "完整扫描信息",
        "documents": "份文件",
        "nojs": "",
    },
    "en": {
        "report": "tosscan report",
        "answers": "Your work: the answers",
        "answers_note": "Each answer rests on the clauses tosscan flagged; click a clause number to jump to it. "
                        "“Not stated” means no clause on it was found: check the text.",
        "grade": "Grade",
        "full_text": "The full agreement",
        "toc": "Contents",
        "findings": "All findings",
        "about": "About this scan",
        "method": "How the grade is computed",
        "yes": "Yes",
        "no": "No",
        "not_stated": "Not stated",
        "not_stated_note": "No clause on this was found.",
        "evidence": "Evidence",
        "also": "Also",
        "concerns": "Watch out for",
        "outside": "outside clauses",
        "sev.high": "high",
        "sev.medium": "medium",
        "sev.low": "low",
        "sev.info": "info",
        "filter": "Filter",
        "severity": "Severity",
        "concept": "Concept",
        "all_concepts": "All concepts",
        "shown": "Showing",
        "of": "of",
        "findings_unit": "findings",
        "show_in_text": "Show in text",
        "show_details": "Details",
        "concepts": "Concepts",
        "rules": "Rules",
        "panel_title": "Why this was flagged",
        "panel_hint": "Click a highlighted sentence to see why it was flagged.",
        "close": "Close",
        "legend": "Highlights",
        "path": "File",
        "sha256": "File SHA-256",
        "scanned_at": "Scanned (UTC)",
        "tool": "tosscan version",
        "catalog": "Rule catalog",
        "catalog_rules": "rules",
        "language": "Language",
        "encoding": "Encoding",
        "chars": "Characters",
        "count": "Findings",
        "lang.zh": "Chinese",
        "lang.en": "English",
        "no_findings": "tosscan found no clauses to flag in this document.",
        "points": "Points",
        "point.blocker": "blocker",
        "point.bad": "bad",
        "point.good": "good",
        "grade_of": "Grade",
        "balance": "balance",
        "disclaimer": "Generated by tosscan. Automated analysis, not legal advice: check the text before you quote it.",
        "skip": "Skip to the agreement",
        "all_meta": "Full scan details",
        "documents": "documents",
        "nojs": "",
    },
}

GRADE_TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "A": "未发现对你不利的条款。",
        "B": "有一些不利条款，但没有严重问题。",
        "C": "不利条款较多，发布作品前请仔细阅读。",
        "D": "至少有一项严重条款涉及你的作品或权利。",
        "E": "问题严重：平台对你的作品和账号取得了广泛的权利。",
        "N/A": "无法评级：tosscan 没有发现任何条款（规则库可能尚未覆盖这种语言）。",
    },
    "en": {
        "A": "No unfavourable terms found.",
        "B": "Some unfavourable terms, nothing severe.",
        "C": "Many unfavourable terms: read them before you post.",
        "D": "At least one severe term over your work or your rights.",
        "E": "Very serious concerns: the platform takes far-reaching rights over your work and account.",
        "N/A": "Not graded: tosscan found nothing (the catalog may not cover this language yet).",
    },
}


def method_text(lang: str) -> list[str]:
    """The grade formula in words, paragraph by paragraph (report footer, Markdown, README)."""
    concepts = load_concepts()

    def names(ids: Iterable[str]) -> str:
        sep = "、" if lang == "zh" else ", "
        return sep.join(f"{concepts.get(c, {}).get(lang, c)} ({c})" for c in sorted(ids))

    if lang == "zh":
        return [
            "等级沿用 ToS;DR 的评级公式：平衡分 = 有利 − 不利 − 3 × 严重；平衡分 < −10 为 E；"
            "否则有严重项为 D；平衡分 < −4 为 C；有不利项为 B；否则为 A。未发现任何条款时不评级。",
            "每个概念只计一次（无论多少句话提到它），按发现它的最严重规则分类："
            f"严重 = 由「高」级规则发现的以下概念：{names(BLOCKER_CONCEPTS)}；"
            "不利 = 由「中」或「高」级规则发现的其他概念"
            f"（{names(NEUTRAL_CONCEPTS)} 除外，几乎每份协议都有）；"
            "只由「低」或「提示」级规则发现的概念不计分。规则库目前没有识别有利条款的规则，因此有利 = 0。",
        ]
    return [
        "The grade follows ToS;DR's formula: balance = good − bad − 3 × blocker; E if balance < −10; "
        "otherwise D if there is any blocker; C if balance < −4; B if there is any bad point; otherwise A. "
        "A scan that found nothing is not graded.",
        "Each concept counts once, however many sentences state it, classed by the most severe rule that "
        f"found it. Blocker: one of {names(BLOCKER_CONCEPTS)}, found by a high-severity rule. "
        "Bad: any other concept found by a medium- or high-severity rule "
        f"(except {names(NEUTRAL_CONCEPTS)}, which nearly every agreement has). "
        "Concepts found only by low or info rules do not count. The catalog has no rules for "
        "user-friendly terms yet, so good = 0.",
    ]


# --------------------------------------------------------------------------- questions


class Text2(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    zh: str
    en: str


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    zh: str
    en: str
    concepts: list[str] = Field(min_length=1)
    if_found: Literal["yes", "no"]
    found: Text2
    concern: Text2
    cues: list[str] = Field(default_factory=list)


@cache
def load_questions() -> tuple[Question, ...]:
    """The questions of ``tosscan/data/questions.yaml``, validated (unknown concept ids are an error)."""
    p = resources.files("tosscan") / "data" / "questions.yaml"
    data = yaml.safe_load(p.read_text(encoding="utf-8"))
    qs = tuple(Question.model_validate(q) for q in data["questions"])
    known = set(load_concepts())
    for q in qs:
        unknown = [c for c in q.concepts if c not in known]
        if unknown:
            raise ValueError(f"questions.yaml: question {q.id}: unknown concept(s) {', '.join(unknown)}")
    return qs


# --------------------------------------------------------------------------- the view model


@dataclass(frozen=True)
class Segment:
    """A piece of the original text: ``text == document[start:end]``."""

    start: int
    end: int
    text: str
    evidence: bool = False  # one of the words that made a rule fire
    markup: bool = False  # a Markdown heading marker ("## ") at the start of a line, shown muted


@dataclass
class Run:
    """Consecutive segments of one line covered by the same findings (none: plain text)."""

    findings: list[str]  # finding ids
    severity: str | None
    anchors: list[str]  # ids of findings that start here (link targets in the text)
    title: str  # hover text
    segments: list[Segment]

    @property
    def flagged(self) -> bool:
        return bool(self.findings)


@dataclass
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
    excerpt: list[Segment]  # the part of the quote a card shows; the question's cue is ``evidence``
    cut_before: bool = False  # the excerpt starts inside the quote ("…")
    cut_after: bool = False


@dataclass
class Verdict:
    question_id: str
    question: str
    answer: Answer
    answer_label: str
    tone: Literal["bad", "good", "unknown"]
    meaning: str
    concepts: list[ConceptRef]
    evidence: list[EvidenceRef]

    @property
    def primary(self) -> EvidenceRef | None:
        return self.evidence[0] if self.evidence else None


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
    blocks: list[Block]
    findings: list[FindingView]
    severity_counts: list[FilterOption]
    concept_options: list[FilterOption]
    method: list[str]
    text_length: int = 0

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
def _default_catalog_texts() -> dict[str, tuple[dict[str, str], dict[str, str]]]:
    try:
        from tosscan.rules import load_catalog

        cat = load_catalog()
    except Exception:  # a broken catalog must not break a report; fall back to the scan's texts
        return {}
    return {r.id: (r.title.model_dump(), r.explanation.model_dump()) for r in cat}


def _rule_text(rule: str, title: str, explanation: str, ui_lang: str) -> tuple[str, str]:
    """The rule's title and explanation in ``ui_lang``.

    The scan filled them in in one language (the document's, by default). When the shipped catalog has
    the same rule (its title in either language equals the scan's), its ``ui_lang`` text is used.
    """
    texts = _default_catalog_texts().get(rule)
    if texts is None or title not in texts[0].values():
        return title, explanation
    return texts[0].get(ui_lang, title), texts[1].get(ui_lang, explanation)


def _rank(sev: str | None) -> int:
    return SEVERITIES.index(sev) if sev in SEVERITIES else -1


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


def _cut_points(n: int, findings: Sequence[Finding], lines: list[tuple[int, int, int]], markup: dict[int, int]
                ) -> tuple[list[int], list[tuple[int, int, int]], list[tuple[int, int]]]:
    cuts = {0, n, *markup.values()}
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


def _atoms(text: str, findings: Sequence[Finding], lines: list[tuple[int, int, int]], markup: dict[int, int]
           ) -> list[tuple[int, int, tuple[int, ...], bool]]:
    """Atomic pieces (start, end, covering finding indexes, evidence) by a sweep over the cut points."""
    cuts, cover, ev = _cut_points(len(text), findings, lines, markup)
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
    out: list[tuple[int, int, tuple[int, ...], bool]] = []
    for a, b in pairwise(cuts):
        active.difference_update(ends.get(a, ()))
        active.update(starts.get(a, ()))
        ev_depth += ev_delta.get(a, 0)
        if a < b:
            out.append((a, b, tuple(sorted(active)), ev_depth > 0))
    return out


def _is_heading_line(line: str, clause: Clause) -> bool:
    s = line.strip().lstrip("#").strip()
    return bool(clause.heading) and 0 < len(s) <= 60 and clause.heading in s and not s.endswith(_END_PUNCT)


_TITLE_WORD = re.compile(r"(协议|条款|规则|规范|公约|政策|守则|须知|声明|原则|办法|"
                         r"Terms|Terms of (Service|Use)|Agreement|Policy|Guidelines|Rules)》?$", re.IGNORECASE)
_BOOK_TITLE = re.compile(r"《([^《》\n]{2,40})》\s*[（(]以下简称")


def _title_of(text: str, lines: list[tuple[int, int, int]], clauses: Sequence[Clause], path: str) -> tuple[str, int]:
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
        bare = text[a:c].replace("\ufeff", "").strip().lstrip("#").strip()
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


def build_document(result: ScanResult, doc_id: str, ui_lang: str | None = None) -> DocumentView:
    """The view model of one scanned document."""
    d = result.document
    lang = d.language
    ui = _ui(ui_lang or lang)
    L = STRINGS[ui]
    text = result.text
    concepts_meta = load_concepts()
    structure = result.structure
    clauses = list(structure.clauses) if structure is not None else []

    def cref(cid: str) -> ConceptRef:
        return ConceptRef(cid, concepts_meta.get(cid, {}).get(ui, cid))

    def sev_label(s: str) -> str:
        return L.get(f"sev.{s}", s)

    # findings, in document order
    order = sorted(range(len(result.findings)), key=lambda i: (result.findings[i].start, result.findings[i].end))
    findings = [result.findings[i] for i in order]
    fviews: list[FindingView] = []
    for n, f in enumerate(findings, 1):
        title, expl = _rule_text(f.rule, f.title, f.explanation, ui)
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
            dt, de = _rule_text(det.rule, det.title, det.explanation, ui)
            details.append(DetailView(det.rule, det.severity, sev_label(det.severity), dt, de,
                                      [cref(c) for c in det.concepts]))
        fviews.append(FindingView(
            id=f"{doc_id}-f{n}", text_anchor=f"{doc_id}-t{n}", number=n, start=f.start, end=f.end,
            clause=f.clause, clause_label=clause_label(f.clause, ui), heading=f.heading,
            severity=f.severity, severity_label=sev_label(f.severity), title=title, explanation=expl,
            concepts=[cref(c) for c in f.concepts], rules=list(f.rules), quote=f.quote,
            quote_segments=qsegs, details=details))

    # the text: lines → runs → segments
    lines = _lines(text)
    markup = _markup_ends(text, lines)
    atoms = _atoms(text, findings, lines, markup)
    title, title_line = _title_of(text, lines, clauses, d.path)
    clause_line: dict[int, list[int]] = {}
    line_starts = [a for a, _c, _t in lines]
    for ci, c in enumerate(clauses):
        li = bisect.bisect_right(line_starts, c.start) - 1
        if li >= 0:
            clause_line.setdefault(li, []).append(ci)
    blocks: list[Block] = []
    toc: list[TocEntry] = []
    started: set[int] = set()
    k = 0
    for li, (a, c, t) in enumerate(lines):
        runs: list[Run] = []
        while k < len(atoms) and atoms[k][1] <= c:
            s, e, cov, evd = atoms[k]
            k += 1
            seg = Segment(s, e, text[s:e], evd, markup=s < markup.get(a, a))
            ids = [fviews[i].id for i in cov]
            if runs and runs[-1].findings == ids and not (set(cov) - started):
                runs[-1].segments.append(seg)
                continue
            anchors = [fviews[i].text_anchor for i in cov if i not in started]
            started.update(cov)
            sev = max((findings[i].severity for i in cov), key=_rank) if cov else None
            hover = " · ".join(f"{fviews[i].title} ({fviews[i].severity_label})" for i in cov)
            runs.append(Run(ids, sev, anchors, hover, [seg]))
        tail = None
        if k < len(atoms) and atoms[k][0] == c and c < t:
            s, e, _cov, _ev = atoms[k]
            k += 1
            tail = Segment(s, e, text[s:e])
        line = text[a:c]
        cls = clause_line.get(li, [])
        anchors = [f"{doc_id}-c{ci}" for ci in cls]
        kind: Literal["title", "heading", "para", "blank"] = "para"
        level = 0
        if not line.strip():
            kind = "blank"
        elif li == title_line:
            kind = "title"
        elif cls and not text[a:clauses[cls[0]].start].strip(" \t\u3000#>*\ufeff") and \
                _is_heading_line(line, clauses[cls[0]]):
            kind = "heading"
            level = clauses[cls[0]].level
        if kind in ("heading", "title") and cls:
            c0 = clauses[cls[0]]
            inside = [fv for fv in fviews if c0.start <= fv.start < c0.end]
            label = line.strip().lstrip("#").strip()
            if kind == "heading":
                toc.append(TocEntry(anchors[0], label, level, len(inside),
                                    max((fv.severity for fv in inside), key=_rank) if inside else None))
        blocks.append(Block(kind, level, anchors, runs, tail))
    assert k == len(atoms), "segments must cover the text"

    if not toc:  # no heading lines: list the top-level numbered clauses
        numbered = [(ci, c) for ci, c in enumerate(clauses) if c.number]
        if numbered:
            top = min(c.level for _ci, c in numbered)
            for ci, c in numbered:
                if c.level != top:
                    continue
                inside = [fv for fv in fviews if c.start <= fv.start < c.end]
                body = text[c.start:c.end].split("\n", 1)[0].strip()
                label = body if len(body) <= 28 else body[:27] + "…"
                toc.append(TocEntry(f"{doc_id}-c{ci}", label, 0, len(inside),
                                    max((fv.severity for fv in inside), key=_rank) if inside else None))
    if toc:  # normalise levels to 0, 1, 2 by rank
        ranks = {lv: i for i, lv in enumerate(sorted({e.level for e in toc}))}
        for e in toc:
            e.level = min(ranks[e.level], 2)

    verdicts = _verdicts(findings, fviews, ui, cref)
    grade = _grade(findings, ui, cref)
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
        blocks=blocks, findings=fviews,
        severity_counts=sev_counts, concept_options=concept_options, method=method_text(ui),
        text_length=len(text))


def _verdicts(findings: Sequence[Finding], fviews: Sequence[FindingView], ui: UiLang,
              cref: Callable[[str], ConceptRef]) -> list[Verdict]:
    L = STRINGS[ui]
    out: list[Verdict] = []
    for q in load_questions():
        wanted = set(q.concepts)
        hits: list[tuple[int, int]] = []  # (-severity for the question's concepts, index)
        for i, f in enumerate(findings):
            if not wanted & set(f.concepts):
                continue
            sev = max((_rank(det.severity) for det in f.details if wanted & set(det.concepts)),
                      default=_rank(f.severity))
            hits.append((-sev, i))
        hits.sort()
        evidence: list[EvidenceRef] = []
        seen: set[str] = set()
        for _s, i in hits:  # the strongest first; then one link per clause
            fv = fviews[i]
            if fv.clause_label in seen and evidence:
                continue
            seen.add(fv.clause_label)
            excerpt, before, after = excerpt_of(fv.quote, fv.start, q.cues, wide=_is_latin(fv.quote))
            evidence.append(EvidenceRef(fv.id, fv.text_anchor, fv.clause_label, fv.quote, excerpt, before, after))
        if evidence:
            answer: Answer = q.if_found
            tone: Literal["bad", "good", "unknown"] = "bad"
            meaning = getattr(q.found, ui)
        else:
            answer, tone, meaning = "not_stated", "unknown", L["not_stated_note"]
        out.append(Verdict(q.id, getattr(q, ui), answer, L[answer], tone, meaning,
                           [cref(c) for c in q.concepts], evidence))
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


def concept_points(findings: Sequence[Finding]) -> dict[str, str]:
    """Each concept found, with the most severe severity of the rules that found it."""
    best: dict[str, str] = {}
    for f in findings:
        for det in f.details or []:
            for cid in det.concepts:
                if _rank(det.severity) > _rank(best.get(cid)):
                    best[cid] = det.severity
        for cid in f.concepts:  # concepts without a detail (should not happen): the finding's severity
            best.setdefault(cid, f.severity)
    return best


def _grade(findings: Sequence[Finding], ui: UiLang, cref: Callable[[str], ConceptRef]) -> Grade:
    points: list[Point] = []
    for cid, sev in concept_points(findings).items():
        if cid in GOOD_CONCEPTS:
            points.append(Point(cref(cid), "good", sev))
        elif cid in NEUTRAL_CONCEPTS or sev not in COUNTED_SEVERITIES:
            continue
        elif cid in BLOCKER_CONCEPTS and sev == BLOCKER_SEVERITY:
            points.append(Point(cref(cid), "blocker", sev))
        else:
            points.append(Point(cref(cid), "bad", sev))
    kind_order = {"blocker": 0, "bad": 1, "good": 2}
    points.sort(key=lambda p: (kind_order[p.kind], -_rank(p.severity), p.concept.id))
    good = sum(p.kind == "good" for p in points)
    bad = sum(p.kind == "bad" for p in points)
    blocker = sum(p.kind == "blocker" for p in points)
    letter = grade_letter(good, bad, blocker) if findings else "N/A"
    return Grade(letter, good, bad, blocker, good - bad - 3 * blocker, points, GRADE_TEXT[ui][letter])


def _summary(grade: Grade, verdicts: Sequence[Verdict], ui: UiLang) -> tuple[str, str]:
    qs = {q.id: q for q in load_questions()}
    concerns = [getattr(qs[v.question_id].concern, ui) for v in verdicts if v.tone == "bad"]
    if ui == "zh":
        head = "未评级。" if grade.letter == "N/A" else \
            f"等级 {grade.letter}：{grade.blocker} 项严重、{grade.bad} 项不利。"
        tail = f"你的作品：{'、'.join(concerns)}。" if concerns else "未发现平台对你作品的额外权利主张。"
    else:
        def n(k: int, word: str) -> str:
            return f"{k} {word}{'' if k == 1 else 's'}"

        head = "Not graded." if grade.letter == "N/A" else \
            f"Grade {grade.letter}: {n(grade.blocker, 'blocker')}, {n(grade.bad, 'bad point')}."
        tail = f"Over your work: {', '.join(concerns)}." if concerns else \
            "No far-reaching claims over your work found."
    return head, tail


def build_report(results: Sequence[ScanResult], ui_lang: str | None = None) -> ReportView:
    """The view model of a report over one or more scanned documents."""
    if ui_lang not in (None, "zh", "en"):
        raise ValueError(f"ui_lang must be 'zh', 'en' or None, not {ui_lang!r}")
    docs = [build_document(r, f"d{i}", ui_lang) for i, r in enumerate(results, 1)]
    page_ui = _ui(ui_lang or (results[0].document.language if results else "zh"))
    L = STRINGS[page_ui]
    title = docs[0].title if len(docs) == 1 else f"{L['report']} · {len(docs)} {L['documents']}"
    return ReportView(page_ui, L, docs, title)


def render(results: list[ScanResult], fmt: str, ui_lang: str | None = None) -> str:
    """Render scan results as "html" (one self-contained page), "md" or "csv".

    ``ui_lang`` ("zh" or "en") is the language of the interface; None uses each document's language.
    With several results the HTML has one section per document; Markdown and CSV concatenate.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r} (expected one of {', '.join(FORMATS)})")
    view = build_report(results, ui_lang)
    if fmt == "html":
        from tosscan.render_html import render_html

        return render_html(view)
    if fmt == "md":
        from tosscan.render_md import render_md

        return render_md(view)
    from tosscan.render_csv import render_csv

    return render_csv(view)
