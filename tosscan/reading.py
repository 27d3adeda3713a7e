"""Reading a sentence in its context: decided once per sentence, used by the engine and by scoring.

Who grants what to whom is often not in the sentence itself:

- an item of a list inherits its lead-in's direction: under "您不得从事下列行为：" or "You agree not to:",
  "(b) train AI systems using platform data" restricts the user; under "我们承诺不会：" it is a promise;
- a definition ("“训练数据”是指…", "“Content” means…"), a heading and a disclaimer ("AI生成内容可能不准确",
  "provided as is") state no right of the platform;
- a clause may be about the user's posted content, about feedback the user sends the platform (also a
  term the agreement defines for feedback: "… ideas or feedback (“Submissions”)"), or about AI output.

``Reader(text, structure).read(i)`` gives the ``Reading`` of sentence ``i``: its ``role`` (operative,
definition, heading, disclaimer, negated_list) and ``scope`` (content, feedback, output, other).
``admits`` is the engine's gate: a rule about what the user gives the platform (``DIRECTED``) fires only
on an operative sentence; a rule about a term in the user's favour only outside definitions and headings.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Literal

from tosscan.markdown import Display
from tosscan.models import Structure

Role = Literal["operative", "definition", "heading", "disclaimer", "negated_list"]
Scope = Literal["content", "feedback", "output", "other"]

#: Concepts about what the USER gives the PLATFORM over the user's content (GOLD.md, "Direction first").
DIRECTED_PREFIXES = ("license.", "ai.training", "ip.ownership_transfer", "moral_rights.", "enforcement.")
#: Terms in the user's favour: a promise under a negated lead-in is still a promise.
FAVOURABLE = frozenset({"ip.user_retains_ownership", "license.revocable", "license.limited_purpose",
                        "ai.no_training", "ai.opt_out"})


@lru_cache(maxsize=4096)
def _gate(concepts: tuple[str, ...]) -> frozenset[str]:
    """The roles on which a rule about ``concepts`` may not fire."""
    if any(c in FAVOURABLE for c in concepts):
        return frozenset({"definition", "heading"})
    if any(c.startswith(DIRECTED_PREFIXES) for c in concepts):
        return frozenset({"definition", "heading", "disclaimer", "negated_list"})
    return frozenset()


def unit_sized(concepts: Sequence[str]) -> bool:
    """Is a rule about ``concepts`` stated unit by unit (a term of the grant, a good point), so that the
    engine narrows it to the scoring units it fires on?"""
    return bool(_gate(tuple(concepts)))


# "“训练数据”是指…", "本协议所称“内容”，指…", '"Content" means…', "**Output** refers to…" (a quoted or bold term
# defined near the start; "This means that…" explains, it does not define)
_DEFINITION = re.compile(
    r"^.{0,40}?(?:[”\"’'*]\s*[,，]?\s*(?:是指|指|系指|意指|means|shall mean|refers to|includes)\b|是指|系指)",
    re.IGNORECASE)
_DEFINITION_HEADING = re.compile(r"定义|释义|术语|definitions?\b|interpretation", re.IGNORECASE)
# statements about the quality of the service or of AI output, not about rights
_DISCLAIMER = re.compile(
    r"不保证|不作(?:任何)?(?:保证|承诺)|可能(?:存在|出现)?(?:不准确|错误|偏差)|仅供参考|不代表(?:本平台|我们|平台)|"
    r"(?<!far\s)\bas is\b(?!\s+(?:necessary|needed|required|reasonabl[ey]|appropriate|permitted|practicable|possible|"
    r"the\s+case))|\bas available\b|without warrant|\bno warrant|(?:may|might|can) (?:be|contain|produce) "
    r"(?:inaccurate|incorrect|errors)|not (?:be )?(?:accurate|reliable)", re.IGNORECASE)
# A lead-in that restricts the user ("您不得从事下列行为：", "You agree not to:") or in which the platform
# promises not to do something ("我们承诺不会：", "We will never:"); its items inherit that direction.
# A negation about something else ("Content will not be deleted … in the following situations:") is
# neither: its items are read on their own.
_NEGATED_LEAD = re.compile(
    r"不得|禁止|严禁|请勿|不应|不允许|(?:我们|本平台|平台|本公司|公司|本站)[^，。：:]{0,12}(?:不会|承诺不|绝不|不)|"
    r"\b(?:you|users?|members?|creators?)\b[^:.]{0,40}?\b(?:may not|must not|shall not|will not|won't|cannot|can't|"
    r"do not|don't|agree not to|are not (?:permitted|allowed) to|are prohibited from)\b|"
    r"\bagrees? not to\b|\bprohibited\b|\bnot (?:permitted|allowed) to\b|^\W*(?:do not|don't|never)\b|"
    r"\bwe\b[^:.]{0,40}?\b(?:will not|won't|do not|don't|never|shall not|promise not to)\b",
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
_DEFINED = re.compile(r"[(（]\s*(?:collectively,?\s*|hereinafter(?: referred to as)?,?\s*|以下简称|以下统称|统称|下称)?"
                      r"[“\"「『]([^”\"」』\n]{2,30})[”\"」』]")
# clauses named by number: "Sections 3.2 to 3.4, 4.2, 6 and 12", "section 4.2", "Parts C and D";
# "第三条第（三）项至第（六）项、第四条第（三）项", "第4.2条"
_EN_REF = re.compile(r"\b(?:sections?|clauses?|paragraphs?|parts?|articles?|§§?)\s*"
                     r"((?:[A-Z]?\d+(?:\.\d+)*(?:\([a-z]\))?|[A-Z]\b)"
                     r"(?:\s*(?:,\s*(?:and|or)?|and|or|to|through|-|–)\s*(?:sections?\s+|parts?\s+|paragraphs?\s+|articles?\s+)?"
                     r"(?:[A-Z]?\d+(?:\.\d+)*(?:\([a-z]\))?|[A-Z]\b))*)", re.IGNORECASE)
_EN_ITEM = re.compile(r"[A-Z]?\d+(?:\.\d+)*(?:\([a-z]\))?|\b[A-Z]\b|\b(?:to|through)\b|[-–]")
_ZH_REF = re.compile(r"第\s*([一二三四五六七八九十百零〇\d.]+)\s*(?:条|章|部分|节|款)"
                     r"((?:\s*第?\s*[（(][一二三四五六七八九十\d]+[)）]\s*项?"
                     r"(?:\s*(?:至|到|、|和|及|-|–)\s*(?=第?\s*[（(]))?)*)")
_ZH_ITEM = re.compile(r"[（(]([一二三四五六七八九十\d]+)[)）]|至|到")
_ZH_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}


def _zh_int(t: str) -> int | None:
    if t.isdigit():
        return int(t)
    if not t or any(c not in _ZH_DIGITS and c not in "十百" for c in t):
        return None
    n, cur = 0, 0
    for c in t:
        if c == "十":
            n += (cur or 1) * 10
            cur = 0
        elif c == "百":
            n += (cur or 1) * 100
            cur = 0
        else:
            cur = _ZH_DIGITS[c]
    return n + cur


def _zh_num(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n - 10] if n > 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    return str(n)


def _expand(items: list[str], step) -> list[str]:
    """["3.2", "to", "3.4", "6"] → ["3.2", "3.3", "3.4", "6"] (a range on the last number)."""
    out: list[str] = []
    i = 0
    while i < len(items):
        t = items[i]
        if t.lower() in ("to", "through", "-", "–", "至", "到") and out and i + 1 < len(items):
            out.extend(step(out[-1], items[i + 1])[1:])
            i += 2
            continue
        out.append(t)
        i += 1
    return out


def _en_range(a: str, b: str) -> list[str]:
    pa, pb = a.split("."), b.split(".")
    if len(pa) == len(pb) and pa[:-1] == pb[:-1] and pa[-1].isdigit() and pb[-1].isdigit() \
            and 0 <= int(pb[-1]) - int(pa[-1]) <= 50:
        return [".".join([*pa[:-1], str(k)]) for k in range(int(pa[-1]), int(pb[-1]) + 1)]
    return [a, b]


def _zh_range(a: str, b: str) -> list[str]:
    x, y = _zh_int(a), _zh_int(b)
    if x is None or y is None or not 0 <= y - x <= 50:
        return [a, b]
    return [_zh_num(k) for k in range(x, y + 1)]


def references(sentence: str, lang: str) -> list[list[str]]:
    """The clause numbers a sentence names, each as the ways a clause number may be written:
    "Sections 3.2 to 3.4 and 6" → [["3.2"], ["3.3"], ["3.4"], ["6"]];
    "第三条第（三）项" → [["第三条.（三）", "三.（三）", …]]."""
    out: list[list[str]] = []
    if lang == "zh":
        for m in _ZH_REF.finditer(sentence):
            art = m.group(1)
            n = _zh_int(art)
            arts = [f"第{art}条", art] + ([str(n), _zh_num(n), f"第{_zh_num(n)}条"] if n is not None else [])
            arts = list(dict.fromkeys(arts))
            items = _expand([x.group(1) or x.group(0) for x in _ZH_ITEM.finditer(m.group(2))], _zh_range)
            if not items:
                out.append(arts)
            for it in items:
                out.append([f"{a}.（{it}）" for a in arts] + [f"{a}（{it}）" for a in arts])
        return out
    for m in _EN_REF.finditer(sentence):
        part = m.group(0).lower().startswith("part")
        items = _expand(_EN_ITEM.findall(m.group(1)), _en_range)
        out.extend([it, f"Part {it}"] if part else [it] for it in items)
    return out


_LEAD_END = tuple("：:")
# a heading on its own line: a few words, no sentence punctuation ("Things you may not do", "禁止行为")
_HEADING_LINE = re.compile(r"[^\W\d_](?:[^.!?。！？;；:：\n]){0,60}")
_COLON = re.compile("[：:]")
_MAX_LIST = 40  # sentences looked back for a list's lead-in
_MAX_WALK = 400  # sentences walked back to the parent clause's own text


@dataclass(frozen=True)
class Reading:
    role: Role
    scope: Scope

    @property
    def operative(self) -> bool:
        return self.role == "operative"


class Reader:
    """The sentences of one document, each read once with what surrounds it (cached per sentence)."""

    def __init__(self, text: str, structure: Structure):
        self.text = text
        self.structure = structure
        self.starts = [s.start for s in structure.sentences]
        self._item: dict[int, bool] = {}
        self._role: dict[int, Role] = {}
        self._lead: dict[int, tuple[int, int] | None] = {}
        self._referred: dict[int, list[int]] = {}
        self._shown = Display(text, list(structure.markup))  # markdown's inline markup, none for plain text

    @cached_property
    def feedback_terms(self) -> re.Pattern[str] | None:
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
        """Does sentence ``i`` start a list item, or sit on an item's line ("(3) 使用…", "- train…", "b) …")?"""
        if i not in self._item:
            s = self.structure.sentences[i]
            own = self.text[s.start:s.end]
            line = self.text[self._line_start(i):s.start]
            self._item[i] = bool(_ITEM.match(own)) or bool(_ITEM.match(line))
        return self._item[i]

    def _text(self, j: int) -> str:
        """Sentence ``j`` as a reader sees it: in markdown "YOU AGREE NOT TO:**" ends with its colon."""
        s = self.structure.sentences[j]
        return self._shown.display(s.start, s.end).rstrip()

    def _span(self, j: int) -> tuple[int, int]:
        """Sentence ``j`` without trailing space or markdown emphasis ("… YOU AGREE NOT TO:**")."""
        s = self.structure.sentences[j]
        return s.start, s.start + len(self.text[s.start:s.end].rstrip().rstrip("*_").rstrip())

    def _structural_lead_in(self, i: int) -> tuple[int, int] | None:
        """The lead-in by the clause tree: the last sentence of the parent clause's own text before the
        clause of sentence ``i``, when it ends with a colon ("您不得从事下列行为：" above "（3）…"). Only
        the item's first line counts: a paragraph after it ("【授权使用】…" after "（七）…") ends the list."""
        sents, clauses = self.structure.sentences, self.structure.clauses
        ci = sents[i].clause
        if ci is None or clauses[ci].parent is None:
            return None
        c = clauses[ci]
        p = c.parent
        j = bisect.bisect_left(self.starts, c.start) - 1
        for _ in range(_MAX_WALK):
            if j < 0 or sents[j].start < clauses[p].start:
                return None
            if sents[j].clause == p:
                return self._span(j) if self._text(j).endswith(_LEAD_END) else None
            j -= 1
        return None

    def lead_in(self, i: int) -> str | None:
        """The lead-in of the list that sentence ``i`` is an item of ("您不得从事下列行为：")."""
        span = self.lead_span(i)
        return None if span is None else self.text[span[0]:span[1]]

    def lead_span(self, i: int) -> tuple[int, int] | None:
        """Where the lead-in of sentence ``i``'s list is (original offsets), or None (cached)."""
        if i not in self._lead:
            self._lead[i] = self._lead_span(i)
        return self._lead[i]

    def _lead_span(self, i: int) -> tuple[int, int] | None:
        sents = self.structure.sentences
        ci = sents[i].clause
        if ci is not None and self.structure.clauses[ci].parent is not None and \
                self.text.rfind("\n", 0, self.structure.clauses[ci].start) == self.text.rfind("\n", 0, sents[i].start):
            return self._structural_lead_in(i)  # the clause tree holds this item
        if not self.is_item(i):
            return None
        clauses = self.structure.clauses
        up = clauses[ci].parent if ci is not None else None
        for j in range(i - 1, max(-1, i - _MAX_LIST), -1):  # items the clause tree does not hold ("- …")
            cj = sents[j].clause
            if cj not in (ci, up) and (cj is None or clauses[cj].parent != up):
                return None  # another part of the agreement: no lead-in crosses it
            t = self._text(j)
            if t.endswith(_LEAD_END):  # "您不得从事下列行为：", "You agree not to:"
                return self._span(j)
            if not self.is_item(j):  # the lead-in and the first item on one line: "您不得：(1) …；"
                m = _COLON.search(t)
                if m:
                    return sents[j].start, sents[j].start + m.start()
                # a short heading line right above the items is their lead-in ("**Things you may not do**")
                return self._span(j) if _HEADING_LINE.fullmatch(t.strip("*_# ")) else None
        return None

    @cached_property
    def _by_number(self) -> dict[str, int]:
        out: dict[str, int] = {}
        clauses = self.structure.clauses
        for k, c in enumerate(clauses):
            if c.number:
                out.setdefault(c.number, k)
                out.setdefault(c.number.casefold(), k)
        # "Sections 4 and 6 survive" where clause 6 is cited as "Part II(6)": its own label names it too (the
        # outermost clause so labelled, not an item "6." of some list)
        by_label: dict[str, int] = {}
        for k, c in enumerate(clauses):
            label = c.label.strip().rstrip(".．")
            if label and label not in out and (label not in by_label or c.level < clauses[by_label[label]].level):
                by_label[label] = k
        for label, k in by_label.items():
            out.setdefault(label, k)
            out.setdefault(label.casefold(), k)
        return out

    def referred(self, i: int, lang: str) -> list[int]:
        """The sentences of the clauses sentence ``i`` names by number ("Sections 3.1 and 10 survive
        termination"), not counting a clause that holds sentence ``i`` itself (cached per sentence)."""
        if i not in self._referred:
            self._referred[i] = self._referred_of(i, lang)
        return self._referred[i]

    def _referred_of(self, i: int, lang: str) -> list[int]:
        s = self.structure.sentences[i]
        out: list[int] = []
        for ways in references(self.text[s.start:s.end], lang):
            k = next((self._by_number.get(w, self._by_number.get(w.casefold())) for w in ways
                      if w in self._by_number or w.casefold() in self._by_number), None)
            if k is None:
                continue
            c = self.structure.clauses[k]
            if c.start <= s.start < c.end:  # its own clause or one holding it ("第八条…继续有效" inside 第八条)
                continue
            lo = bisect.bisect_left(self.starts, c.start)
            hi = bisect.bisect_left(self.starts, c.end)
            out.extend(j for j in range(lo, hi) if j != i)
        return out

    def read_at(self, offset: int) -> Reading:
        """The reading of the sentence holding ``offset``."""
        i = self.sentence_at(offset)
        return Reading("operative", "other") if i is None else self.read(i)

    def read(self, i: int) -> Reading:
        """How sentence ``i`` may be read: its role and what it is about."""
        s = self.structure.sentences[i]
        t = self.text[s.start:s.end]
        if self.feedback_terms is not None:
            t = self.feedback_terms.sub(" feedback ", t)
        return Reading(self.role(i), _scope(t))

    def admits(self, i: int, concepts: Sequence[str]) -> bool:
        """May a rule about ``concepts`` fire on sentence ``i``? (the engine's direction gate; the role is
        read only for rules the gate concerns, once per sentence)"""
        gate = _gate(tuple(concepts))
        return not gate or self.role(i) not in gate

    def role(self, i: int) -> Role:
        """The role of sentence ``i``: operative, definition, heading, disclaimer or negated_list."""
        if i not in self._role:
            self._role[i] = self._role_of(i)
        return self._role[i]

    def _role_of(self, i: int) -> Role:
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
            role = "negated_list" if lead is not None and _NEGATED_LEAD.search(lead) else "operative"
        return role

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
