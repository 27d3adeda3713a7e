"""Structure stage: the clauses (numbering, headings) and the sentences (scoring units) of an agreement.

``parse(text)`` is a pure function; every offset it returns is a code-point offset into ``text`` itself
(full-width digits, traditional characters, ``\\r\\n`` and markdown are read as they are, never rewritten).

Clauses
    A clause starts at a label at the start of a line, after optional white space, a markdown bullet
    (``- * + ·``), ``_`` emphasis, ``#`` heading marks, or a markdown ordered-list number (``  1. 1.1.…``) that
    is followed by another label. Labels: ``第X章/节/条/编/篇/部分/款`` (Chinese or Arabic numerals), ``一、``
    ``一.``, ``（一）`` ``(1)`` ``(a)`` ``(i)``, ``1)`` ``a)``, ``1、``, dotted numbers ``1.`` ``4.2`` ``4.2.3``
    ``１.２`` (also ``2.1、`` and ``8.3由于…``), a bare number before a short heading (``2 协议范围``), a number
    alone on its line (``4.5`` / ``第五条`` with the text below; ``2`` only when the next line opens with
    ``、``), circled numbers ``①``, ``a.`` ``iv.``, ``Section 7`` / ``Article 7``; unnumbered headings: markdown
    ``#`` headings, ``【…】`` alone on its line and (when ``lang`` is not ``"zh"``) ALL-CAPS lines. Dates, years
    and quantities at a line start (``2017.11.14``, ``2020年``, ``1.5 元``, ``1、2、3项``) are not labels.

    Markdown as converters write it (Open Terms Archive, saved pages): a label may sit in bold, after empty anchor
    links (``**8.2 Your content.** …``, ``**8.2** …``, ``__3.__``, ``[](#1-intro)**1\\. Intro**``; the bold and
    anchors are markers only when a label follows, so ``**2024** update`` and ``**Welcome!**`` stay text);
    escaped numbers ``1\\.`` ``2\\)`` are numbers. A text written in markdown (``tosscan.markdown``) is parsed by
    markdown-it: its headings and their levels (ATX and setext), setext underlines, thematic breaks and fenced code
    blocks (no labels inside) come from markdown-it's block tokens, headings read as its display layer shows them, and
    ``Structure.markup`` carries that display layer for the renderers. In other text a line underlined with
    ``===`` (level 1) or ``---`` (level 2) is a setext heading when it is a paragraph of one line (blank line or
    heading above, no list item or quote); after a blank line the dashes are a horizontal rule. A line whose body
    is only links (``1.  [Intro](url)``, a menu, a table of contents of links) makes no clause, and ``(c) 2026 …``
    is a copyright line, not item (c); ``Section 2 below…`` cites a section and is no label.

    Nesting follows the order in which styles appear, as legal drafting does: the first style seen is the outer
    one, and a style seen for the first time opens inside the clause before it. A label whose style is open
    closes the clauses inside that one and becomes its sibling ("（二）" after "（一）" and its "1、" items); a
    style that has already held the open one as its child closes it too (seen "（一）" > "1、", a later "（一）"
    closes an open "1、"). Dotted numbers nest by depth ("4" < "4.2" < "4.2.3") and go under the dotted number
    they continue ("4.2.3" under "4.2", past list items). Markdown headings (``#`` or setext, numbered or not)
    outrank all numbering (``#`` < ``##`` …): a heading closes every open clause up to the innermost heading of a
    higher rank, except a dotted number it continues ("### 1.2" in "1."), and a dotted number that follows it is
    its sibling ("### 3." after the heading "## 2."), so a "### A." sits in "17\\. DMCA"
    underlined with dashes and closes the "(1)" items before it. A "1." that restarts inside a numbered markdown
    heading ("7\\. PROHIBITED" + "1.  copy…") is a list of that section ("7(1)"); a "1." after "9.7" whose next
    clause is "10.1" is clause 10 renumbered by a converter (number "10", label "1." as written); "6)" right after
    "(5)" is item "(6)". A headed label ("4.1 店铺管理", "（一）注册") is no list item: it closes the ``【…】``
    headings and headless list items open above it, unless their line ends with a colon. A ``【…】``/ALL-CAPS
    heading nests in the innermost open clause with a heading of its own and holds the headless items after it.
    A "1." that restarts inside "2.5" is a list, and "1、" restarting inside an open "3、" is a nested list. Lines
    that repeat the entries of a table of contents (three or more short lines in a row) are headings. ``level`` is
    the depth in the resulting tree (0 = top); a clause runs up to the start of the next clause of the same or a
    higher level (the end of the text for the last).

    ``heading``: the rest of the label line when it is short and reads as a heading ("4.2 知识产权" →
    "知识产权", "一、【规则的范围】" → "规则的范围"), the bold or italic phrase that opens it in markdown
    ("**8.2 Your content.** We…" → "Your content", "5.1 _Trademarks_: …" → "Trademarks"), the next line's text for
    a label alone on its line, a markdown/【…】/table-of-contents heading's text; otherwise the nearest ancestor's
    heading. Headings are read as a reader sees them: links as their text, no emphasis marks, no escapes.

    ``number``: dotted numbers of two or more parts, ``第X条/章/编/篇/部分`` and ``Section N`` cite themselves
    ("4.2.3", "第十二条"); other labels are joined to the parent's number ("第四条（二）", "一.1", "4.2(a)",
    "2.5(1)", "7(26)(a)"); an unnumbered heading takes its parent's number ("" at the top).

Sentences
    The units of the reference splitter (:data:`SENTENCE_BOUNDARY`: a unit ends right after each match), stripped
    of white space, of a leading clause label and of markdown markers (bullets, ``#``, the bold or anchors before
    a label); a unit that holds only a label or marker (``1\\.``, a ``===`` underline, a rule, in markdown the
    ``**`` left after "Welcome!**") is dropped.
    Nothing is merged, so a sentence never crosses a reference boundary.
"""

from __future__ import annotations

import bisect
import itertools
import re
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tosscan.markdown import Markdown, looks_like_markdown
from tosscan.markdown import read as read_markdown
from tosscan.models import Clause, Sentence, Structure

__all__ = ["SENTENCE_BOUNDARY", "inline_enumerations", "parse"]

#: The reference splitter of the accuracy scorer: a unit ends right after each match.
SENTENCE_BOUNDARY = re.compile(r"\n|[。！？；!?;]|\.(?=\s)")

# A reference unit stripped of white space: from its first non-blank character to its end (see above).
_UNIT_CORE = re.compile(r"[。！？；!?;]|\.(?=\s)|[^\s](?:[^\n。！？；!?;.]++|\.(?!\s))*+(?:[。！？；!?;]|\.(?=\s))?")

# White space within a line: everything str.isspace() knows except "\n", plus BOM and zero-width space.
_HWS = (
    "\t\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff\u200b"
)
_STRIP = _HWS + "\n"
_W = "[" + re.escape(_HWS) + "]"

_CN_NUM = "零〇○一二两兩三四五六七八九十百千壹贰貳叁參肆伍陆陸柒捌玖拾佰"
_FW_DIGITS = str.maketrans("０１２３４５６７８９．", "0123456789.")
_CIRCLED_CHARS = "\u2460-\u24ff\u2776-\u2793\u3251-\u325f\u32b1-\u32bf"

_SHORT_LINE = re.compile(r"^" + _W + r"*(\S[^\n]{1,39})$", re.MULTILINE)
_LEAD_WS = re.compile(_W + "*")
_WS_RUN = re.compile(_W + "+")
_RULE_LINE = re.compile(r"[-*_=]{3,}" + _W + "*$")


_ZHANG_UNITS = "部分|章|节|節|条|條|编|編|篇|款"
_Shown = Callable[[int, int], str]  # text[a:b] as a reader sees it


def _label_pattern(named: bool) -> str:
    """Every label style, one alternative each (named groups, or plain ones for a lookahead)."""

    def g(name: str, body: str) -> str:
        return f"(?P<{name}>{body})" if named else f"(?:{body})"

    cn, d, w = _CN_NUM, "0-9０-９", _W
    return "|".join(
        (
            g("Z", "第" + w + "*" + g("zn", f"[{cn}{d}]{{1,7}}") + w + "*" + g("zu", _ZHANG_UNITS)),
            g("C", g("cn", f"[{cn}]{{1,5}}") + w + "*" + "(?:" + g("cns", "、") + f"|[.．](?![{d}]))"),
            g("P", "[（(]" + w + "*" + g("pi", f"[{cn}]{{1,5}}|[{d}]{{1,3}}|[a-zA-Z]{{1,6}}") + w + "*[）)]"),
            g("O", f"[{_CIRCLED_CHARS}]"),
            g(
                "N",
                g("n1", f"[{d}]{{1,3}}")
                + f"(?![{d}])"
                # a clause inserted between two others: "6A.", "18B.", "4A.1" (only before a dot or bracket)
                + g("nl", "[A-Z](?=[.．)）])") + "?"
                + g("nr", f"(?:[.．][{d}]{{1,3}}(?![{d}])){{0,5}}")
                + "(?:"
                + w
                + "*"
                + r"\\?"  # markdown escapes a list-like number: "1\\." "2\\)"
                + g("nsep", "[、)）]")
                + "|"
                + r"\\?"
                + g("ndot", "[.．]")
                + f"(?![{d}]))?",
            ),
            g(
                "S",
                "(?i:"
                + g("sw", "section|article|chapter|part|clause")
                + r")[ \t\xa0]+"
                + g("sn", r"[0-9]{1,3}(?:\.[0-9]{1,3}){0,4}|[ivxlcIVXLC]{1,6}")
                + r"(?![\w])\.?",
            ),
            g(
                "L",
                g("lt", "[a-zA-Z]|[ivxlcIVXLC]{2,6}")
                + "(?:"
                + g("ldot", "[.．]")
                + r"(?=\s|\*\*|__)|"  # "a. ", "**A.** Intro"
                + w
                + "*"
                + g("lsep", "[、)）]")
                + ")",
            ),
        )
    )


_BULLET = r"(?:[-*+•·▪●◦■□>](?=" + _W + r")|_+(?=[^_\s]))" + _W + "*"
# Markdown that a converted page puts before a clause number: empty anchor links ("[](#8-your-content)") and a
# bold opener ("**8.2 …**"); read as markers only when a label follows
_MD_PRE = r"(?:\[\]\([^()\s]{0,300}\))*(?:\*\*|__)?"
# A line's head: white space, markdown bullets and heading marks, anchors and bold before a label, a markdown
# list number that precedes a real label ("  1. 1.1.…"), the label, a bold closer right after it ("**8.2**"),
# white space. Everything is optional; the match ends where the body starts.
_HEAD_BODY = (
    "(?P<bul>(?:" + _BULLET + "){1,3})?"
    r"(?:(?P<md>#{1,6})(?=" + _W + "|$)" + _W + "*(?:" + _BULLET + ")?)?"
    "(?:(?P<pre>" + _MD_PRE + ")(?=" + _label_pattern(False) + "))?"
    "(?:(?P<ol>[0-9]{1,3}[.．]" + _W + "+)(?=" + _label_pattern(False) + "))?"
    "(?:(?:" + _label_pattern(True) + r")(?P<emc>\*\*|__)?)?" + _W + "*"
)
# at every line that starts (after white space) with a character a marker or a label can start with
_HEAD = re.compile(
    "^(?=" + _W + "*[-*+•·▪●◦■□>_#=第【（(\\[0-9０-９A-Za-z" + _CN_NUM + _CIRCLED_CHARS + "])" + _W + "*" + _HEAD_BODY,
    re.MULTILINE,
)
_HEAD_AT = re.compile(_HEAD_BODY)  # the same from a given position
_LABEL = re.compile(_label_pattern(True) + _W + "*")  # a label alone, and the white space after it
_ROMAN_RE = re.compile(r"(?i)m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})")
_UNITS = (
    r"(?:%|％|‰|元|块|角|万|亿|倍|折|岁|个|次|件|天|日|周|月|年|小时|分钟|秒|公里|千米|米|厘米|毫米|公斤|千克|克|吨|升"
    r"|km|kg|GB|MB|KB|TB|[gGmM]\b)"
)
# "1.5 元", "2.5倍", "3.5 小时内": a quantity, not a label ("2.1 日常维护" is a label)
_UNIT_AFTER_DECIMAL = re.compile(_W + "*" + _UNITS + r"(?=$|[^\u3400-\u9fff]|[内以后前的])")
_UNIT_FIRST = frozenset("%％‰元块角万亿倍折岁个次件天日周月年小分秒公千米厘毫克吨升kgGMKTm")
# "3 天内", "10 个工作日": a quantity after a bare number
_UNIT_AFTER_NUMBER = re.compile(_W + "*" + _UNITS)
_YEAR_AFTER = re.compile(_W + r"*(?:19|20)[0-9]{2}\b")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CAPS_LINE = re.compile(r"[A-Z][A-Z0-9 ,.;:&'’()/\-]{2,79}")
_SENT_END_PUNCT = frozenset("。；;！？!?")
_BANG_ONLY = re.compile(r"[^。；;！？?]*")  # in English "!" is in names ("Yahoo! JAPAN Wallet")
_NOT_HEADING_END = frozenset("，,：:、")
_LABEL_CHARS = frozenset("第（(0123456789０１２３４５６７８９" + _CN_NUM + string.ascii_letters) | {
    chr(c) for c in (*range(0x2460, 0x2500), *range(0x2776, 0x2794), *range(0x3251, 0x3260), *range(0x32B1, 0x32C0))
}
_DOT_FAMILY = ("dot",)
_DOT_TOP = ("dot", "1")
_DOT_STYLES = tuple(("dot", str(d)) for d in range(1, 8))
_LABEL_KINDS = frozenset("ZCPONSL")
_MAX_DEPTH = 12
_SELF_CITED_UNITS = frozenset(("章", "条", "编", "篇", "部分"))


@dataclass(slots=True)
class _Label:
    start: int  # first character of the label
    end: int  # just after the label (and its separator)
    style: tuple[str, ...]
    text: str  # the label as written, white space removed
    piece: str  # this level's part of the citation number ("" for an unnumbered heading)
    self_cited: bool = False  # the piece is already the full path ("4.2", "第十二条")
    value: int | None = None
    heading: str = ""
    letter: str = ""  # "i", "v", "x" …: a letter or a roman numeral, decided in context
    alone: bool = False  # a bare number alone on its line
    intro: bool = False  # its line ends with a colon: it announces a list
    floating: bool = False  # 【…】 / ALL-CAPS heading
    rank: int = 0  # a markdown heading's level (# … ######, setext = and -), 0 for other lines


@dataclass(slots=True)
class _Line:
    start: int
    end: int  # before the "\n" (a trailing "\r" counts as white space)
    body: int  # the first character after white space, markers and labels
    labels: list[_Label]


@dataclass(slots=True)
class _Entry:
    clause: int
    style: tuple[str, ...]
    value: int | None
    floating: bool
    path: str  # the label's number piece ("4.2" for dotted numbers)
    intro: bool  # its line ends with a colon: it introduces a list
    rank: int = 0  # a markdown heading's level, 0 for other clauses


@dataclass(slots=True)
class _Draft:
    start: int
    label: str
    number: str
    heading: str
    own_heading: bool
    parent: int | None
    level: int
    label_end: int
    end: int = -1


def _clean(s: str) -> str:
    """A label as written, inner white space removed."""
    return _WS_RUN.sub("", s) if len(s) > 1 else s


def _roman_value(s: str) -> int | None:
    if not s or not _ROMAN_RE.fullmatch(s):
        return None
    vals = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
    low = s.lower()
    total = 0
    for i, ch in enumerate(low):
        v = vals[ch]
        total += -v if i + 1 < len(low) and vals[low[i + 1]] > v else v
    return total


def _heading_of(body: str) -> str:
    """The heading text if ``body`` (the rest of a label line) reads as a heading, else "" ("ARTICLE 5 — LICENCES",
    "Article 6: Training": the dash or colon after the label is no part of it)."""
    s = body.strip(_STRIP).lstrip(":：—–-").strip(_STRIP)
    if not s:
        return ""
    if s[0] == "【":
        close = s.find("】", 1, 42)
        if close > 1:
            return s[1:close].strip(_STRIP)
    cjk = _CJK.search(s, 0, 81) is not None
    if len(s) > (30 if cjk else 80) or s[-1] in _NOT_HEADING_END:
        return ""
    if not _SENT_END_PUNCT.isdisjoint(s[:-1] if s[-1] in "？?" else s) and (cjk or not _BANG_ONLY.fullmatch(s)):
        return ""  # a sentence (a question alone still reads as a heading)
    if cjk and "，" in s and (len(s) > 24 or "，如" in s or "，例如" in s):
        return ""  # "涉及未成年人色情低俗的，如展示…": a list item
    if s[-1] == "的" and len(s) >= 8:
        return ""  # "违反宪法所确定的基本原则的": a list item
    if s[0] == "《" and s[-1] == "》" and s.count("《") == 1:
        return ""  # a title listed ("4.1.5 《网络信息内容生态治理规定》"), not a heading
    if not cjk and (s[-1] == "." or len(s.split()) > 8 or not (s[0].isupper() or s[0].isdigit() or s[0] in "\"“'‘(")):
        return ""  # an English heading is short, starts with a capital and has no full stop ("Your Content")
    return s


def _match_label(text: str, pos: int, end: int) -> _Label | None:
    """The numbering label that starts exactly at ``pos`` (its line ends at ``end``), or None."""
    m = _LABEL.match(text, pos, end)
    return None if m is None else _label_from(m, text, end)


def _kind(m: re.Match[str]) -> str | None:
    """Which label alternative of ``m`` matched ("Z", "N" …), or None."""
    kind = m.lastgroup  # the group that closed last: the label's, unless a bold closer follows it
    if kind in _LABEL_KINDS or kind is None:
        return kind
    for kind in "ZCPONSL":
        if m.start(kind) >= 0:
            return kind
    return None


def _label_from(m: re.Match[str], text: str, end: int) -> _Label | None:
    """The label that the named alternative of ``m`` matched (``_LABEL`` or ``_HEAD``), validated, or None."""
    kind = _kind(m)
    if kind == "N":
        return _number_label(text, *m.span("N"), end, m.group("n1"), (m.group("nl") or "") + (m.group("nr") or ""),
                             m.group("nsep"))
    if kind == "Z":
        pos = m.start("Z")
        unit = m.group("zu")
        unit = {"節": "节", "條": "条", "編": "编"}.get(unit, unit)
        written = _clean(m.group("Z"))
        piece = written.translate(_FW_DIGITS)
        return _Label(pos, m.end("Z"), ("第", unit), written, piece, self_cited=unit in _SELF_CITED_UNITS)
    if kind == "C":
        written = _clean(m.group("C"))
        return _Label(m.start("C"), m.end("C"), ("cn", "、" if m.group("cns") else "."), written, m.group("cn"))
    if kind == "P":
        pos, after = m.start("P"), m.end("P")
        if after < end and text[after] in ")）":
            return None  # "(2)) 的规定": a wrapped line of prose
        inner = m.group("pi")
        written = _clean(m.group("P"))
        if inner[0] in _CN_NUM:
            return _Label(pos, after, ("p", "cn"), written, written)
        if inner[0].isdigit():
            value = int(inner.translate(_FW_DIGITS))
            if value > 200:
                return None
            return _Label(pos, after, ("p", "num"), written, written.translate(_FW_DIGITS), value=value)
        if inner in "cC" and _YEAR_AFTER.match(text, after, end):
            return None  # "(c) 2026 Example Inc.": a copyright line, not item (c)
        return _letter_label(pos, after, "p", inner, written)
    if kind == "L":
        family = "." if m.group("ldot") or m.group("lsep") == "、" else ")"
        return _letter_label(m.start("L"), m.end("L"), family, m.group("lt"), _clean(m.group("L")))
    if kind == "O":
        pos = m.start("O")
        ch = text[pos]
        o = ord(ch)
        if 0x2776 <= o <= 0x2793:
            block = "dingbat"
        elif 0x2474 <= o <= 0x2487:
            block = "paren"
        elif 0x2488 <= o <= 0x249B:
            block = "dot"
        elif 0x249C <= o <= 0x24E9:
            block = "letter"
        else:
            block = "circle"
        return _Label(pos, pos + 1, ("circ", block), ch, ch)
    if kind == "S":
        after = m.end("S") + (2 if text.startswith(("**", "__"), m.end("S")) else 0)
        after = _LEAD_WS.match(text, after, end).end()
        if after < end and text[after].islower() and text[m.end("S") - 1] != ".":
            return None  # "Section 2 below explains…": a sentence that cites a section
        written = " ".join(m.group("S").split()).rstrip(".")
        return _Label(m.start("S"), m.end("S"), ("sec", m.group("sw").lower()), written, written, self_cited=True)
    return None


def _letter_label(start: int, end: int, family: str, inner: str, written: str) -> _Label | None:
    case = "U" if inner.isupper() else "l"
    piece = inner if family in ".)" else written
    if len(inner) > 1:
        value = _roman_value(inner)
        if value is None:
            return None
        return _Label(start, end, (family, "roman", case), written, piece, value=value)
    label = _Label(start, end, (family, "alpha", case), written, piece, value=ord(inner.lower()) - 96)
    if inner.lower() in "ivxlcdm":
        label.letter = inner.lower()
    return label


def _number_label(text: str, pos: int, after: int, end: int, first: str, rest: str, sep: str | None) -> _Label | None:
    """A label of digits: "4.2", "4.2.3.", "1、", "2.1、", "1)", a bare "2" before a short heading or alone."""
    path = first + rest
    if not path.isascii():
        path = path.translate(_FW_DIGITS)
    value = int(path[: len(first)])
    if value > 200:
        return None
    style = _DOT_STYLES[path.count(".")]
    # "**8.2** text", "__3.__": the bold closes right after the number
    after_md = after + 2 if text.startswith(("**", "__"), after) else after
    nxt = text[after_md] if after_md < end else ""
    written = text[pos:after].replace("\\", "")  # "1\\." is markdown for "1."
    if sep is not None:
        written = _clean(written)  # white space can only precede the separator
        if sep != "、":  # "1)" "1）"
            return None if rest else _Label(pos, after, ("rnum",), written, path, value=value)
        if nxt.isdigit():
            return None  # "1、2、3项": numbers listed in prose
        if not rest:
            return _Label(pos, after, ("num、",), written, path, value=value)
        return _Label(pos, after, style, written, path, self_cited=True, value=value)
    if written[-1] in ".．":
        return _Label(pos, after, style, written, path, self_cited=bool(rest), value=value)
    # no separator: "4.2 text", "8.3由于…", "2 协议范围", or a number alone on its line
    if nxt and (nxt.isdigit() or nxt in "%％‰:：/-—~～,，.．"):
        return None
    if rest:
        if (nxt in _UNIT_FIRST or nxt in _HWS) and _UNIT_AFTER_DECIMAL.match(text, after, end):
            return None
        return _Label(pos, after, style, written, path, self_cited=True, value=value)
    if _UNIT_AFTER_NUMBER.match(text, after, end):
        return None
    body = text[after_md:end].strip(_HWS)
    if not body:
        return _Label(pos, after, style, written, path, value=value, alone=True)
    if nxt in _HWS and (_heading_of(body) or (after_md > after and body[0].isupper())):
        return _Label(pos, after, style, written, path, value=value)  # "2 协议范围", "**8** Users may…"
    return None  # "3 个工作日内…", a wrapped line of prose


def _read_head(
    m: re.Match[str], text: str, start: int, end: int, lang: str, shown: _Shown, setext: int = 0,
    ranked: bool = False,
) -> tuple[int, list[_Label], int]:
    """Markers and labels of the line [start, end) from its head match ``m``: (body, labels, continuation).

    ``shown(a, b)`` is ``text[a:b]`` as a reader sees it (markdown inline markup removed).
    ``setext`` is the level of a setext heading (the line is underlined with ``=`` or ``-``), else 0; with
    ``ranked`` it is the level of any markdown heading (markdown-it's), and ``#`` marks alone make none.
    ``continuation`` is the position just after a "、" that opens the next line and completes a number standing
    alone on this one ("2\\n、您在…"), else -1.
    """
    labels: list[_Label] = []
    md = m.group("md")
    rank = setext if ranked or md is None else len(md)
    q = m.end()  # the body starts here
    label = _label_from(m, text, end) if _kind(m) is not None else None
    if label is None and m.group("ol") is not None:
        label = _match_label(text, m.start("ol"), end)  # the list number is the label after all
        if label is not None:
            q = _LEAD_WS.match(text, label.end, end).end()
    if label is None:
        if m.end("pre") > m.start("pre"):
            q = m.start("pre")  # "**2024 update**", "**10 things**": the bold is no marker after all
        return _unlabelled(m, text, start, q, end, lang, shown, rank)
    cont = -1
    if label.alone:
        label.alone = False
        # a bare number alone on its line is a label only when "、" or "." opens the next line
        r = _LEAD_WS.match(text, end + 1).end() if end < len(text) else end
        nxt = text[r : r + 2]
        if nxt[:1] not in ("、", ".", "．") or nxt[1:2].isdigit():
            return _unlabelled(m, text, start, label.start, end, lang, shown, rank)
        if nxt[0] == "、":
            label.style = ("num、",)
            label.text += "、"
        else:
            label.text += "."
        label.rank = rank
        return end, [label], r + 1
    labels.append(label)
    if q < end and text[q] in _LABEL_CHARS:
        second = _match_label(text, q, end)
        if second is not None and second.style != label.style and not second.alone:
            labels.append(second)
            q = _LEAD_WS.match(text, second.end, end).end()
    label.rank = rank
    if not rank and _LINK_LIST.fullmatch(text, q, end):
        return q, [], -1  # "1.  [Introduction](https://…)": a menu or a table of links, no clause
    last = labels[-1]
    if q < end:
        bold = m.end("pre") > m.start("pre") and m.group("pre")[-1] in "*_" and m.group("emc") is None
        if end - q <= 100 or text[q] == "【" or bold or text[q] in "*_":  # longer is no heading
            last.heading = _md_heading(text, q, end, bold, shown)
        if rank and not last.heading:  # "Part I: The basics" (a setext or # heading): "The basics"
            last.heading = shown(q, end).strip(_STRIP + "#").lstrip(":：-—–.． ")
        e = end
        while text[e - 1] in _STRIP:
            e -= 1
        last.intro = text[e - 1] in ":："
    return q, labels, cont


# a line of links only: a menu, a table of contents of links, a breadcrumb
_LINK_LIST = re.compile(
    r"(?:[*_]{0,2}\[[^\[\]\n]{0,300}\]\([^()\s]{0,500}\)[*_]{0,2}[" + re.escape(_HWS) + r"|·•,/>›»-]*)+"
)
_MD_CHARS = re.compile(r"[*_\[\\]")
_MD_LINK = re.compile(r"\[([^\[\]\n]{0,300})\]\([^()\s]{0,500}\)")
_MD_EMPH = re.compile(r"\*+|(?<![^\W_])_+|_+(?![^\W_])")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")
# a bold or italic phrase that opens the body: "**Your content.** We may…", "_Trademarks_: The…"
_LEAD_EMPH = re.compile(r"(\*\*|__|[*_])(?=\S)([^\n*_]{1,100}?)(?<=\S)\1")


def _md_inline(s: str) -> str:
    """Markdown inline markup read as a reader sees it: links as their text, no emphasis marks, no escapes."""
    if _MD_CHARS.search(s) is None:
        return s
    return _MD_ESCAPE.sub(r"\1", _MD_EMPH.sub("", _MD_LINK.sub(r"\1", s)))


def _md_heading(text: str, q: int, end: int, bold: bool, shown: _Shown) -> str:
    """The heading of a label line whose body is ``text[q:end]``.

    In markdown the heading is the bold or italic phrase that opens the body ("**8.2 Your content.** We…",
    "5.1 _Trademarks_: The…"), or the body up to the bold closer when the label opened the bold; else the body
    when it is short and reads as a heading.
    """
    body = text[q:end]
    phrase = ""
    phrase_at = 0
    if bold:
        close = body.find(text[q - 1] * 2 if text[q - 1] in "*_" else "**")
        close = body.find("**") if close < 0 else close
        if close < 0:
            close = body.find("__")
        if 0 < close <= 100:
            phrase = body[:close]
    else:
        lead = _LEAD_EMPH.match(body)
        if lead is not None:
            phrase, phrase_at = lead.group(2), lead.start(2)
    if phrase:  # the author marked it as the heading: "Ownership; Proprietary Rights", "Prohibited Conduct. BY…"
        heading = shown(q + phrase_at, q + phrase_at + len(phrase)).strip(_STRIP)
        cut = heading.find(". ")
        heading = (heading[:cut] if cut > 0 else heading).rstrip(".:：" + _HWS)
        if 0 < len(heading) <= 80 and len(heading.split()) <= 10 and not heading[0].islower():
            return heading
    if len(body) > 100 and body[0] != "【":
        return ""
    return _heading_of(shown(q, end))


def _unlabelled(
    m: re.Match[str], text: str, start: int, p: int, end: int, lang: str, shown: _Shown, rank: int = 0
) -> tuple[int, list[_Label], int]:
    """A line without a numbering label: a markdown heading, a 【…】 heading, an ALL-CAPS heading, or plain text."""
    labels: list[_Label] = []
    if p >= end:
        return end, labels, -1
    if not rank and text[p] in "-*_=" and _RULE_LINE.match(text, p, end):
        return end, labels, -1  # a horizontal rule, or the underline of a setext heading
    if rank:
        heading = shown(p, end).strip(_STRIP + "#")
        if heading:
            first = _LEAD_WS.match(text, start, end).end()
            labels.append(_Label(first, p, ("md", str(rank)), "", "", heading=heading, rank=rank))
    elif text[p] == "【":
        close = text.find("】", p + 1, min(end, p + 42))
        if close > p + 1 and not text[close + 1 : end].strip(_HWS):
            heading = text[p + 1 : close].strip(_STRIP)
            labels.append(_Label(p, p, ("bracket",), "", "", heading=heading, floating=True))
    elif lang != "zh" and "A" <= text[p] <= "Z" and end - p <= 90:
        line = text[p:end].rstrip(_HWS)
        if _CAPS_LINE.fullmatch(line) and sum(c.isalpha() for c in line) >= 4 and line[-1] not in ".;:,":
            labels.append(_Label(p, p, ("caps",), "", "", heading=line, floating=True))
    return p, labels, -1


_UNDERLINE = re.compile(r"^ {0,3}(?:={3,}|-{3,})[ \t\r]*$", re.MULTILINE)
# a line that cannot be the text of a setext heading: blank, a list item, a quote, a heading, a table, code
_NOT_SETEXT_TEXT = re.compile(r" {0,3}(?:[-*+](?:[ \t]|$)|[0-9]{1,9}[.)](?:[ \t]|$)|#|>|\||```|~~~)|[ \t\r]*$| {4}")


def _setext_headings(text: str) -> dict[int, int]:
    """The lines underlined with ``===`` (level 1) or ``---`` (level 2): line start -> level.

    The text is one line with a blank line (or a heading) above it; after a blank line, a list item or a
    quote the underline is a horizontal rule.
    """
    found: dict[int, int] = {}
    underlines: set[int] = set()
    for m in _UNDERLINE.finditer(text):
        underlines.add(m.start())
        if m.start() == 0:
            continue
        a = text.rfind("\n", 0, m.start() - 1) + 1
        if a in underlines or _NOT_SETEXT_TEXT.match(text, a, m.start() - 1):
            continue
        if a:  # a paragraph of one line: blank, a heading or an underline above
            b = text.rfind("\n", 0, a - 1) + 1
            above = text[b : a - 1]
            if above.strip(_STRIP) and b not in underlines and b not in found and not above.lstrip(" ").startswith("#"):
                continue
        found[a] = 1 if text[_LEAD_WS.match(text, m.start()).end()] == "=" else 2
    return found


def _scan(text: str, lang: str, md: Markdown | None = None) -> list[_Line]:
    """The lines that open with a marker or a label, or are setext headings, in order (others need no work).

    For markdown (``md``, read by markdown-it) the headings and their levels, setext underlines, thematic breaks
    and fenced code blocks are markdown-it's, and headings read as its display layer shows them; otherwise they are
    found by hand (``_setext_headings``, ``#`` marks, ``_RULE_LINE``, ``_md_inline``).
    """
    lines: list[_Line] = []
    n = len(text)
    skip_to = -1
    if md is not None:
        setext, ranks, ranked = md.setext, md.headings, True
        shown: _Shown = md.display
    else:
        setext = ranks = _setext_headings(text)
        ranked = False

        def shown(a: int, b: int) -> str:
            return _md_inline(text[a:b])

    pending = sorted(setext)
    k = 0

    def read(start: int, m: re.Match[str] | None) -> int:
        end = text.find("\n", start)
        if end < 0:
            end = n
        if md is not None and (start in md.fenced or start in md.rules or start in md.underlines):
            if start not in md.fenced:  # a thematic break or a setext underline: a marker, no sentence
                lines.append(_Line(start, end, end, []))
            return -1  # in fenced code nothing is a label (indented "code" may be an indented clause of a text)
        if m is None:
            m = _HEAD_AT.match(text, _LEAD_WS.match(text, start, end).end(), end)
        body, labels, cont = _read_head(m, text, start, end, lang, shown, ranks.get(start, 0), ranked)
        lines.append(_Line(start, end, body, labels))
        if cont < 0:
            return -1
        # "2\n、（1）…": read the rest of the next line
        start = end + 1
        end = text.find("\n", start)
        if end < 0:
            end = n
        m = _HEAD_AT.match(text, _LEAD_WS.match(text, cont, end).end(), end)
        body, labels, _ = _read_head(m, text, start, end, lang, shown)
        lines.append(_Line(start, end, body, labels))
        return end

    for m in _HEAD.finditer(text):
        start = m.start()
        while k < len(pending) and pending[k] < start:  # a setext heading that opens with no marker or label
            if pending[k] >= skip_to:
                skip_to = max(skip_to, read(pending[k], None))
            k += 1
        if k < len(pending) and pending[k] == start:
            k += 1
        if start < skip_to:
            continue  # already read as the continuation of the line before
        skip_to = max(skip_to, read(start, m))
    for start in pending[k:]:
        if start >= skip_to:
            skip_to = max(skip_to, read(start, None))
    return lines


def _toc_headings(text: str, lines: list[_Line]) -> list[_Line]:
    """Unnumbered headings announced by a table of contents: ``lines`` plus the lines that repeat its entries.

    A table of contents is a run of three or more short heading-like lines with nothing else between them; a
    later line that repeats one of its entries (the first time after the run) is a heading of style "toc".
    """
    labelled = {line.start for line in lines if line.labels}
    shorts: list[tuple[int, int, int, str]] = []  # line start, heading start, heading end, heading
    for m in _SHORT_LINE.finditer(text):
        if m.start() in labelled:
            continue
        heading = m.group(1).rstrip(_STRIP)
        if len(heading) >= 2 and _heading_of(heading) == heading:
            shorts.append((m.start(), m.start(1), m.start(1) + len(heading), heading))
    where: dict[str, list[int]] = {}  # heading -> indexes into shorts, ascending
    for k, entry in enumerate(shorts):
        where.setdefault(entry[3], []).append(k)
    found: dict[int, _Line] = {}
    i = 0
    while i < len(shorts):
        j = i + 1
        seen = {shorts[i][3]}
        while j < len(shorts) and shorts[j][3] not in seen and not text[shorts[j - 1][2] : shorts[j][0]].strip(_STRIP):
            seen.add(shorts[j][3])
            j += 1
        if j - i >= 3:
            hits: list[_Line] = []
            for heading in seen:
                later = where[heading]
                k = bisect.bisect_left(later, j)
                if k < len(later):  # its first repetition after the table of contents
                    line_start, start, _end, _ = shorts[later[k]]
                    end = text.find("\n", start)
                    label = _Label(start, start, ("toc",), "", "", heading=heading)
                    hits.append(_Line(line_start, len(text) if end < 0 else end, start, [label]))
            if len(hits) >= 3:
                found.update((line.start, line) for line in hits)
        i = j
    if not found:
        return lines
    merged = [line for line in lines if line.start not in found]
    merged.extend(found.values())
    merged.sort(key=lambda line: line.start)
    return merged


def _resolve_letter(label: _Label, stack: list[_Entry]) -> None:
    """Decide whether "(i)", "i." or "v)" is a letter (after "h", "u") or a roman numeral."""
    family, _, case = label.style
    roman = _roman_value(label.letter) or 0
    for entry in reversed(stack):
        if entry.style == (family, "alpha", case) and entry.value == label.value - 1:  # type: ignore[operator]
            return
        if entry.style == (family, "roman", case) and entry.value == roman - 1:
            label.style, label.value = (family, "roman", case), roman
            return
    if label.letter == "i":
        label.style, label.value = (family, "roman", case), 1


def _renumbered_list(label: _Label, stack: list[_Entry], following: _Label | None) -> None:
    """"9.7 …", "1.  **Communications**", "10.1 …": a list split by a converter and numbered from 1 again is
    clause 10, as the numbers of its own clauses say (the label stays "1." as written)."""
    if following is None or following.style != ("dot", "2"):
        return
    for entry in reversed(stack):
        if entry.style == _DOT_TOP:
            n = entry.value + 1  # type: ignore[operator]
            if label.value <= entry.value and following.piece.startswith(f"{n}."):  # type: ignore[operator]
                label.piece, label.value = str(n), n
            return


def _dotted_context(label: _Label, stack: list[_Entry]) -> None:
    """A "1." inside "2.5", or inside the markdown heading "7. Prohibited", that does not continue the
    numbering is a list of its own."""
    value = label.value
    for entry in reversed(stack):
        if entry.style == ("dotlist",) and entry.value == value - 1:  # type: ignore[operator]
            label.style = ("dotlist",)
            return
        if entry.style[0] == "dot":
            if (entry.style[1] != "1" or (entry.rank and not label.rank)) and value <= entry.value:  # type: ignore[operator]
                label.style = ("dotlist",)
            return


def _paren_slip(label: _Label, stack: list[_Entry]) -> None:
    """"6)" right after "(5)" (no "N)" list open) is the item "(6)" with a parenthesis dropped."""
    for entry in reversed(stack):
        if entry.style == ("rnum",):
            return
        if entry.style == ("p", "num"):
            if entry.value == label.value - 1:  # type: ignore[operator]
                label.style, label.piece = ("p", "num"), f"({label.piece})"
            return


def _join(parent: str, piece: str) -> str:
    if not parent:
        return piece
    last = parent[-1]
    if (last.isascii() and last.isalnum()) or (last == ")" and piece[0].isascii() and not _CJK.search(parent)):
        # "4.2(a)", "7(26)(a)"
        return parent + piece if piece[0] in "(（" or not piece[0].isalnum() else f"{parent}({piece})"
    if last in _CN_NUM:
        return f"{parent}.{piece}"
    return parent + piece


def _family(style: tuple[str, ...]) -> tuple[str, ...]:
    if style[0] == "dot":
        return _DOT_TOP if style[1] == "1" else _DOT_FAMILY
    return style


def _cut(
    label: _Label, stack: list[_Entry], n: int, drafts: list[_Draft], outer: set[tuple[tuple[str, ...], ...]]
) -> int:
    """How much of the first ``n`` open clauses stays open (the rest closes) before ``label`` opens its clause."""
    style = label.style
    if label.rank:
        # a markdown heading closes what is open up to the innermost heading of a higher rank, except the dotted
        # numbers it continues ("### 1.2" stays in "1.")
        keep = 0
        for i in range(n - 1, -1, -1):
            if 0 < stack[i].rank < label.rank:
                keep = i + 1
                break
        while keep < n and stack[keep].style[0] == "dot" and label.piece.startswith(stack[keep].path + "."):
            keep += 1
        if style == _DOT_TOP:
            # "### 3." after the heading "2." of a higher rank: the numbering says it is the next section
            for i in range(keep - 1, -1, -1):
                if stack[i].style == _DOT_TOP:
                    if 0 < stack[i].rank < label.rank and stack[i].value == label.value - 1:  # type: ignore[operator]
                        keep = i
                    break
        return keep
    if style[0] == "dot":
        depth = int(style[1])
        parent = -1
        for i in range(n):
            entry = stack[i]
            if entry.style[0] == "dot":
                if int(entry.style[1]) >= depth:
                    return i  # a sibling (or an uncle) in the dotted numbering
                parent = i
        if parent >= 0 and label.piece.startswith(stack[parent].path + "."):
            # "4.2.3" goes under "4.2", past list items, unless a headed clause stands in between
            keep = parent + 1
            for i in range(n - 1, parent, -1):
                if not stack[i].floating and drafts[stack[i].clause].own_heading:
                    keep = i + 1
                    break
            return keep
    else:
        for i in range(n - 1, -1, -1):
            entry = stack[i]
            if entry.style == style:
                if i < n - 1 and label.value == 1 and entry.value is not None and entry.value >= 1:
                    return n  # "1、" restarting inside an open "3、": a nested list
                return i
    fam = _family(style)
    for i in range(n):
        if (fam, _family(stack[i].style)) in outer:
            return i  # this style has held that one before: it is the outer one
    return n


def _open_above(label: _Label, stack: list[_Entry], drafts: list[_Draft]) -> int:
    """A headed clause is no list item: it closes the 【…】 headings and plain list items open above it.

    It stays inside a clause with a heading of its own, one whose line ends with a colon (it announces a list),
    and a dotted number it continues ("4." for "4.1").
    """
    keep = len(stack)
    while keep:
        entry = stack[keep - 1]
        if not entry.floating and (
            drafts[entry.clause].own_heading
            or entry.intro
            or entry.style[0] == "sec"
            or (entry.style[0] == "dot" and label.piece.startswith(entry.path + "."))
        ):
            break
        keep -= 1
    return keep


def _build_clauses(text: str, lines: list[_Line]) -> list[_Draft]:
    drafts: list[_Draft] = []
    stack: list[_Entry] = []
    outer: set[tuple[tuple[str, ...], ...]] = set()  # (outer style, inner style) pairs seen as parent / child
    following: list[_Label | None] = [None] * len(lines)  # the first label of the next labelled line
    for li in range(len(lines) - 2, -1, -1):
        nxt = lines[li + 1]
        following[li] = nxt.labels[0] if nxt.labels else following[li + 1]
    for li, line in enumerate(lines):
        for k, label in enumerate(line.labels):
            if label.style == _DOT_TOP and not label.rank:
                _renumbered_list(label, stack, following[li])
            if label.letter:
                _resolve_letter(label, stack)
            if label.style == ("dot", "1"):
                _dotted_context(label, stack)
            elif label.style == ("rnum",):
                _paren_slip(label, stack)
            if label.floating:
                # nest in the innermost open clause that has a heading of its own
                keep = len(stack)
                while keep and (stack[keep - 1].floating or not drafts[stack[keep - 1].clause].own_heading):
                    keep -= 1
            elif label.rank:
                keep = _cut(label, stack, len(stack), drafts, outer)
            else:
                keep = _open_above(label, stack, drafts) if label.heading else len(stack)
                keep = _cut(label, stack, keep, drafts, outer)
            keep = min(keep, _MAX_DEPTH - 1)  # bound the nesting (and the work per label) on hostile input
            while len(stack) > keep:  # these clauses run up to this one
                drafts[stack.pop().clause].end = label.start
            parent = stack[-1].clause if stack else None
            pdraft = drafts[parent] if parent is not None else None
            parent_number = pdraft.number if pdraft is not None else ""
            if not label.piece:
                number = parent_number
            elif label.self_cited:
                number = label.piece
            else:
                number = _join(parent_number, label.piece)
            heading = label.heading
            if not heading and not label.floating and k == len(line.labels) - 1 and line.body >= line.end:
                heading = _next_line_heading(text, lines, li)
            inherited = pdraft.heading if pdraft is not None else ""
            draft = _Draft(label.start, label.text, number, heading or inherited, bool(heading), parent, len(stack), 0)
            draft.label_end = label.end
            drafts.append(draft)
            if stack and not label.floating and not stack[-1].floating:
                outer.add((_family(stack[-1].style), _family(label.style)))
            stack.append(
                _Entry(len(drafts) - 1, label.style, label.value, label.floating, label.piece, label.intro, label.rank)
            )
    for entry in stack:
        drafts[entry.clause].end = len(text)
    for d in drafts:
        if d.end < d.label_end:
            d.end = d.label_end
    return drafts


def _next_line_heading(text: str, lines: list[_Line], li: int) -> str:
    """For a label alone on its line ("第五条", "4.5"): a short heading on the next non-blank line, if any."""
    pos = lines[li].end + 1
    n = len(text)
    for _ in range(3):
        if pos >= n:
            return ""
        end = text.find("\n", pos)
        if end < 0:
            end = n
        body = text[pos:end]
        if body.strip(_STRIP):
            if li + 1 < len(lines) and lines[li + 1].start == pos:
                nxt = lines[li + 1]
                if nxt.labels:
                    return ""
                body = text[nxt.body : end]
            return _heading_of(body)
        pos = end + 1
    return ""


def _sentences(text: str, lines: list[_Line]) -> list[tuple[int, int]]:
    """The reference units, stripped of white space and of a leading label or marker."""
    spans: list[tuple[int, int]] = []
    strip = _STRIP
    prefixed = [(line.start, line.body, line.end) for line in lines if line.body > line.start]
    j = 0
    nlines = len(prefixed)
    for m in _UNIT_CORE.finditer(text):
        s, e = m.span()
        while j < nlines and prefixed[j][2] < s:
            j += 1
        if j < nlines and prefixed[j][0] <= s < prefixed[j][1]:
            s = prefixed[j][1]  # skip the label / marker prefix of the line
            while s < e and text[s] in strip:
                s += 1
            if s >= e:
                continue
        while e > s and text[e - 1] in strip:
            e -= 1
        if s < e:  # a unit of white space only (zero-width spaces, BOMs) is no sentence
            spans.append((s, e))
    return spans


_WRAP_GAP = re.compile(r"[ \t\u3000]*\r?\n[ \t\u3000]*")
_OPEN_END = re.compile(r"[\w\u3400-\u9fff，,、（(“\"'-]")
_WRAP_MIN_LINE = 12       # a wrapped line is a long one (headings are short) …
_WRAP_MIN_HEADED = 25     # … and longer still when it starts with a clause label
_WRAPPED_MIN = 5          # at least this many wrapped lines …
_WRAPPED_SHARE = 0.5      # … and this share of all line ends inside paragraphs, to call a document hard-wrapped


def _any_between(sorted_starts: list[int], lo: int, hi: int) -> bool:
    """Is there a value v with lo <= v <= hi in the sorted list?"""
    i = bisect.bisect_left(sorted_starts, lo)
    return i < len(sorted_starts) and sorted_starts[i] <= hi


def _fold_wrapped(text: str, sents: list[tuple[int, int]], clause_starts: list[int]) -> list[tuple[int, int]]:
    """Join sentences split by a hard line wrap (text pasted from e-mail or a PDF at a fixed width).

    A line break is a wrap when the line ends mid-sentence (a word, a comma), the next line follows
    directly (no blank line) and starts no clause. Only documents where most paragraph line breaks
    are wraps are folded, so a heading line over its text is never glued to it in ordinary files.
    """
    if len(sents) < 2:
        return sents
    joins: list[bool] = []
    breaks = 0
    for (s1, e1), (s2, _) in itertools.pairwise(sents):
        gap = text[e1:s2]
        single = _WRAP_GAP.fullmatch(gap) is not None
        if single:
            breaks += 1
        line_start = text.rfind("\n", 0, s1) + 1
        labelled = _any_between(clause_starts, line_start, s1)  # a heading line
        starts_clause = _any_between(clause_starts, e1, s2)
        # a labelled line is a heading unless it is long or reads as prose (holds a comma)
        prose = any(ch in text[s1:e1] for ch in "，,、")
        long_enough = e1 - s1 >= (_WRAP_MIN_HEADED if labelled and not prose else _WRAP_MIN_LINE)
        # in Latin script a wrapped line goes on in lower case; a capital starts a new line of its own
        nxt = text[s2] if s2 < len(text) else ""
        latin_break = nxt.isascii() and nxt.isalpha() and not nxt.islower()
        joins.append(single and long_enough and not starts_clause and not latin_break
                     and _OPEN_END.match(text[e1 - 1]) is not None)
    wrapped = sum(joins)
    if wrapped < _WRAPPED_MIN or wrapped < _WRAPPED_SHARE * breaks:
        return sents
    out = [sents[0]]
    for (s2, e2), join in zip(sents[1:], joins, strict=True):
        out[-1] = (out[-1][0], e2) if join else out[-1]
        if not join:
            out.append((s2, e2))
    return out


_ABBREV = re.compile(r"(?:\b(?:[A-Za-z]\.){2,}|\b(?:Inc|Ltd|Co|Corp|No|etc|vs|St|Mr|Ms|Dr|approx|incl|e\.g|i\.e)\.)$")


# an item of an enumeration written inline: "…: (a) use …; (b) copy …; and (c) …", "(ii) …", "or (e) …"
_ENUM_ITEM = re.compile(r"(?:(?:and|or)\s+)?\((?:[a-z]|[ivx]{1,5}|\d{1,2})\)\s", re.IGNORECASE)


def _item_after(text: str, pe: int, s: int) -> bool:
    """Does the piece at ``s`` open an item of an enumeration written inline on the line of the piece ending at
    ``pe`` (after its ";" or ":")?"""
    return "\n" not in text[pe:s] and text[pe - 1:pe] in (";", ":") and _ENUM_ITEM.match(text, s) is not None


def _english_sentences(text: str, units: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """In English a sentence runs to its full stop: rejoin the pieces the scoring units cut at ";" or
    ":" on the same line, and after abbreviations ("U.S. law", "e.g. photos"). A finding then covers
    the whole sentence, as an English reader (and CLAUDETTE's annotators) take it. The items of an
    enumeration written inline ("you agree that: (1) …; (2) …; and (3) …") stay apart: each is a
    statement of its own, read under its lead-in, as the items of a list on separate lines are."""
    out: list[tuple[int, int]] = []
    for s, e in units:
        if out:
            ps, pe = out[-1]
            gap = text[pe:s]
            same_line = "\n" not in gap
            joined = same_line and ((text[pe - 1] in ";:" and not _item_after(text, pe, s))
                                    or (_ABBREV.search(text[ps:pe]) is not None and text[s:s + 1].islower()))
            if joined:
                out[-1] = (ps, e)
                continue
        out.append((s, e))
    return out


def inline_enumerations(text: str, sentences: Sequence[Sentence]) -> list[tuple[int, int]]:
    """The runs of sentences ``(i, j)`` that are one English sentence whose inline enumeration was split into
    its lead-in and items ("You agree that: (1) …; (2) …; and (3) …"): sentences on one line, each after the
    first opening with an item marker right after a ";" or ":" (see ``_english_sentences``)."""
    runs: list[tuple[int, int]] = []
    first = 0
    for k in range(1, len(sentences) + 1):
        if k < len(sentences) and _item_after(text, sentences[k - 1].end, sentences[k].start):
            continue
        if k - 1 > first:
            runs.append((first, k - 1))
        first = k
    return runs


def parse(text: str, lang: str = "zh", markdown: bool | None = None) -> Structure:
    """Split ``text`` into clauses and sentences; every offset indexes ``text`` itself.

    ``lang`` is the document language ("zh", "en", …); it only switches on ALL-CAPS heading lines (not "zh").
    ``markdown``: read the text as markdown (markdown-it: setext headings, headings as displayed, and the display
    layer in ``Structure.markup``); ``None`` decides from the text (``tosscan.markdown.looks_like_markdown``).
    """
    if markdown is None:
        markdown = looks_like_markdown(text)
    md = read_markdown(text) if markdown else None
    lines = _toc_headings(text, _scan(text, lang, md))
    drafts = _build_clauses(text, lines)
    sentences: list[Sentence] = []
    k = -1
    nclauses = len(drafts)
    units = _fold_wrapped(text, _sentences(text, lines), sorted({d.start for d in drafts}))
    if lang != "zh":
        units = _english_sentences(text, units)
    if md is not None and md.view:  # a unit of markup only ("**" after "Welcome!**") is no sentence
        units = [(s, e) for s, e in units if md.display(s, e).strip(_STRIP)]
    for s, e in units:
        while k + 1 < nclauses and drafts[k + 1].start <= s:
            k += 1
        c: int | None = k if k >= 0 else None
        while c is not None and drafts[c].end <= s:
            c = drafts[c].parent
        sentences.append(Sentence(s, e, c))
    clauses = [Clause(d.start, d.end, d.level, d.label, d.number, d.heading, d.parent) for d in drafts]
    markup = md.edits if md is not None else []
    # built from checked data: not validated again (100,000 clauses and sentences in a 10 MB agreement)
    return Structure.model_construct(clauses=clauses, sentences=sentences, markup=markup)
