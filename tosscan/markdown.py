"""Markdown read as markdown (markdown-it-py, CommonMark with tables and strikethrough), every offset in the file.

``read(text)`` parses a markdown agreement once and returns a :class:`Markdown`:

* **block facts** from the source map (``token.map``: line ranges) mapped to offsets into ``text``: the lines that
  are headings (ATX ``#`` and setext ``===``/``---``, with their level), the underlines of setext headings,
  thematic breaks (``---`` after a blank line), lines inside code blocks, and the first lines of list items with
  their marker (``1.``, ``2)``, ``-``);
* **the display layer**: the inline markup a reader does not see, as edits ``(start, end, shown)`` on the
  original text: ``**bold**``/``_em_``/``~~strike~~`` delimiters (shown as nothing), ``[text](url "title")`` (the
  brackets and destination shown as nothing), images (shown as their alt text), code backticks, autolink
  angle brackets, backslash escapes (``1\\.`` shows ``1.``), entities (``&amp;`` shows ``&``), inline HTML
  (``<br>`` shows a space, other tags nothing). ``display(start, end)`` is ``text[start:end]`` with the edits
  inside it applied (an edit cut by the range shows nothing): the text as text, while ``start``/``end`` go on
  indexing the file.

markdown-it-py keeps no inline source positions, so each inline token's content is aligned to its source lines
(a paragraph line is a suffix of its source line once the block markers are stripped; a table cell is found in
its row in order), and the inline rules that consume markup (links, images, code, autolinks, HTML, escapes,
entities, line breaks) are wrapped to record where they start and end. Emphasis delimiters, which markdown-it
pairs only after the inline pass, are found in order between the text tokens. A token that cannot be aligned
(tabs expanded in a list indent, NUL characters) keeps its markup visible: never a wrong offset.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

__all__ = ["Display", "Markdown", "looks_like_markdown", "plain", "read"]

# Constructs that plain text does not have: ATX headings, "===" underlines, bold, inline links, backslash
# escapes, <br>. Bullets, "1." and "---" are left out: plain text has them too.
_SIGNAL = re.compile(
    r"^ {0,3}#{1,6}[ \t]+\S|^ {0,3}={3,}[ \t]*$|\*\*\S[^\n]*?\*\*|__\S[^\n]*?__|\]\([^()\s]*\)"
    r"|\\[\\.()*_#\[\]!-]|<br\s*/?>",
    re.MULTILINE,
)
_MIN_SIGNALS = 3
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--.*?-->", re.DOTALL)
_LINE_END = re.compile(r"\r\n|\r|\n")


def looks_like_markdown(text: str) -> bool:
    """Does ``text`` use markdown's own syntax (at least three headings, bold phrases, links, escapes…)?"""
    return any(n >= _MIN_SIGNALS for n, _ in enumerate(_SIGNAL.finditer(text, 0, 200_000), 1))


@dataclass(frozen=True, slots=True)
class Item:
    """A list item's first line: its marker as written ("1.", "2)", "-", "*")."""

    marker: str
    ordered: bool
    number: int | None


class Display:
    """The display layer of one text: ``edits`` are disjoint, sorted ``(start, end, shown)`` (see module)."""

    __slots__ = ("_starts", "edits", "text")

    def __init__(self, text: str, edits: list[tuple[int, int, str]] | None = None):
        self.text = text
        self.edits = edits or []
        self._starts = [e[0] for e in self.edits]

    def __bool__(self) -> bool:
        return bool(self.edits)

    def display(self, start: int, end: int) -> str:
        """``text[start:end]`` as a reader sees it: inline markup removed, escapes and entities resolved."""
        if not self.edits:
            return self.text[start:end]
        return "".join(piece for _a, _b, piece in self.pieces(start, end))

    def at(self, pos: int) -> str | None:
        """What a piece of text cut at the edits and starting at ``pos`` shows when it is markup: its edit's
        replacement at the edit's start, nothing after it; None when ``pos`` is no markup."""
        i = bisect.bisect_right(self._starts, pos) - 1
        if i < 0 or pos >= self.edits[i][1]:
            return None
        return self.edits[i][2] if pos == self.edits[i][0] else ""

    def pieces(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """``text[start:end]`` cut at the edits: (a, b, shown) in order, covering [start, end); an edit's piece
        shows its replacement (nothing when the range cuts it), the rest shows the text itself."""
        out: list[tuple[int, int, str]] = []
        pos = start
        edits = self.edits
        i = max(0, bisect.bisect_right(self._starts, start) - 1)
        while i < len(edits) and edits[i][0] < end:
            a, b, shown = edits[i]
            i += 1
            if b <= start:
                continue
            if a > pos:
                out.append((pos, a, self.text[pos:a]))
            ca, cb = max(a, start), min(b, end)
            out.append((ca, cb, shown if (ca, cb) == (a, b) else ""))
            pos = cb
        if pos < end:
            out.append((pos, end, self.text[pos:end]))
        return out


@dataclass
class Markdown:
    """One markdown text read by markdown-it: block facts by line start, and the display layer (see module)."""

    text: str
    headings: dict[int, int] = field(default_factory=dict)  # first line's start -> level (1-6), ATX and setext
    setext: dict[int, int] = field(default_factory=dict)  # the setext headings among them (first text line)
    underlines: set[int] = field(default_factory=set)  # line starts of setext underlines
    rules: set[int] = field(default_factory=set)  # line starts of thematic breaks
    code: set[int] = field(default_factory=set)  # line starts inside indented or fenced code
    fenced: set[int] = field(default_factory=set)  # those of fenced code (``` or ~~~, fences included)
    items: dict[int, Item] = field(default_factory=dict)  # line start -> list item opening on that line
    view: Display = field(default_factory=lambda: Display(""))

    @property
    def edits(self) -> list[tuple[int, int, str]]:
        return self.view.edits

    def display(self, start: int, end: int) -> str:
        return self.view.display(start, end)


def plain(s: str) -> str:
    """A markdown fragment as text (for a heading or a label written in markdown, read out of context)."""
    if not any(ch in s for ch in "*_[]\\`<&~!"):
        return s
    md = read(s, blocks=False)
    return md.display(0, len(s))


# --------------------------------------------------------------------------- the parser


def _recording(rule: Callable[[Any, bool], bool], name: str) -> Callable[[Any, bool], bool]:
    """An inline rule that also records, on the tokens it pushed, the source span it consumed."""

    def run(state: Any, silent: bool) -> bool:
        start = state.pos
        n = len(state.tokens)
        ok = rule(state, silent)
        if ok and not silent:
            for tok in state.tokens[n:]:
                if tok.meta.get("span") is None and tok.type not in ("text",):
                    tok.meta["span"] = (start, state.pos)
                    tok.meta["rule"] = name
        return ok

    run.__name__ = f"recording_{name}"
    return run


@cache
def _parser() -> Any:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.disable("text_join")  # keep escapes and entities as their own tokens
    for name in ("link", "image", "autolink", "html_inline", "backticks", "escape", "entity", "newline"):
        rule = next(r.fn for r in md.inline.ruler.__rules__ if r.name == name)
        md.inline.ruler.at(name, _recording(rule, name))
    return md


def read(text: str, *, blocks: bool = True) -> Markdown:
    """Parse ``text`` as markdown; every offset of the result indexes ``text`` (a leading BOM included)."""
    md = Markdown(text)
    bom = 1 if text.startswith("\ufeff") else 0
    src = text[bom:]
    # line starts as markdown-it counts lines (it reads \r\n, \r and \n as line ends)
    starts = [0] + [m.end() + bom for m in _LINE_END.finditer(src)]  # the first line holds the BOM
    ends = [m.start() + bom for m in _LINE_END.finditer(src)] + [len(text)]
    tokens = _parser().parse(src)
    edits: list[tuple[int, int, str]] = []
    cursor = 0
    for i, tok in enumerate(tokens):
        mp = tok.map
        if blocks and mp is not None:
            _block_fact(md, tok, mp, starts)
        if tok.type == "inline" and mp is not None and tok.children and tok.content:
            in_cell = i > 0 and tokens[i - 1].type in ("th_open", "td_open")
            got = _inline_edits(text, tok, mp, starts, ends, cursor if in_cell else 0, in_cell)
            if got is not None:
                cursor, found = got
                edits.extend(found)
        elif tok.type == "html_block" and mp is not None:
            a, b = starts[mp[0]], ends[min(mp[1], len(ends)) - 1]
            edits.extend((m.start(), m.end(), " " if _BR.fullmatch(m.group(0)) else "")
                         for m in _TAG.finditer(text, a, b))
    edits.sort()
    clean: list[tuple[int, int, str]] = []
    for e in edits:  # disjoint, in order
        if e[0] < e[1] and (not clean or e[0] >= clean[-1][1]):
            clean.append(e)
    md.view = Display(text, clean)
    return md


def _block_fact(md: Markdown, tok: Any, mp: list[int], starts: list[int]) -> None:
    first, last = mp[0], mp[1]
    if first >= len(starts):
        return
    line = starts[first]
    t = tok.type
    if t == "heading_open":
        level = int(tok.tag[1])
        md.headings[line] = level  # its first line
        if tok.markup in ("=", "-"):  # setext: text lines, then the underline
            md.setext[line] = level
            if last - 1 < len(starts):
                md.underlines.add(starts[last - 1])
    elif t == "hr":
        md.rules.add(line)
    elif t in ("code_block", "fence"):
        md.code.update(starts[first:min(last, len(starts))])
        if t == "fence":
            md.fenced.update(starts[first:min(last, len(starts))])
    elif t == "list_item_open":
        ordered = tok.markup in (".", ")")
        number = int(tok.info) if ordered and tok.info.isdigit() else None
        marker = f"{tok.info}{tok.markup}" if ordered else tok.markup
        md.items.setdefault(line, Item(marker, ordered, number))


def _align(text: str, content: str, first: int, starts: list[int], ends: list[int], cursor: int,
           in_cell: bool) -> list[int] | None:
    """Source offset of every character of an inline token's ``content`` (a "\\n" maps to its line end)."""
    pos: list[int] = []
    for k, cline in enumerate(content.split("\n")):
        li = first + k
        if li >= len(starts):
            return None
        ls, le = starts[li], ends[li]
        if not cline:
            p = le
        else:
            src = text[ls:le]
            c = cline.rstrip(" \t")
            s = src.rstrip(" \t")
            if not in_cell and s.endswith(c) and ls + len(s) - len(c) >= cursor:
                p = ls + len(s) - len(c)
            else:
                p = text.find(c, max(ls, cursor), le)
                if p < 0:  # a table cell whose "\|" markdown-it unescaped
                    got = _subsequence(text, cline, max(ls, cursor), le) if in_cell else None
                    if got is None:
                        return None
                    pos.extend(got)
                    pos.append(le)
                    cursor = got[-1] + 1
                    continue
        if text[p:p + len(cline)] != cline and text[p:p + len(cline.rstrip(" \t"))] != cline.rstrip(" \t"):
            return None
        pos.extend(range(p, p + len(cline)))
        pos.append(le)  # the "\n" after this line (one past the last line: its end)
        cursor = p + len(cline)
    return pos


def _subsequence(text: str, s: str, lo: int, hi: int) -> list[int] | None:
    """Where the characters of ``s`` are in ``text[lo:hi]``, skipping only backslashes (unescaped pipes; the
    backslash stays visible: it is no inline markup)."""
    j = text.find(s[0], lo, hi)
    if j < 0:
        return None
    out: list[int] = []
    for ch in s:
        while j < hi and text[j] != ch and text[j] == "\\":
            j += 1
        if j >= hi or text[j] != ch:
            return None
        out.append(j)
        j += 1
    return out


def _inline_edits(text: str, tok: Any, mp: list[int], starts: list[int], ends: list[int], cursor: int,
                  in_cell: bool) -> tuple[int, list[tuple[int, int, str]]] | None:
    """The display edits of one inline token, in source offsets; None when it cannot be aligned."""
    content: str = tok.content
    pos = _align(text, content, mp[0], starts, ends, cursor, in_cell)
    if pos is None:
        return None
    out: list[tuple[int, int, str]] = []

    def edit(a: int, b: int, shown: str) -> None:
        """Hide content[a:b] (show ``shown``), split where the source is not contiguous (a line break)."""
        if a >= b:
            return
        run = a
        for j in range(a + 1, b + 1):
            if j == b or pos[j] != pos[j - 1] + 1:
                out.append((pos[run], pos[j - 1] + 1, shown))
                shown = ""
                run = j

    i = 0
    for child in tok.children:  # an image's own children (its alt text) are shown through it
        t = child.type
        span = child.meta.get("span")
        if t == "text":
            if child.content:
                j = content.find(child.content, i)
                if j < 0:
                    return None
                i = j + len(child.content)
        elif span is not None and child.meta.get("rule") in ("escape", "entity"):
            a, b = span
            if t == "hardbreak":  # "\\" before a line end
                edit(a, a + 1, "")
            else:
                edit(a, b, child.content)
            i = b
        elif t in ("softbreak", "hardbreak"):
            i = span[1] if span is not None else max(i, content.find("\n", i) + 1)
        elif t in ("strong_open", "strong_close", "em_open", "em_close", "s_open", "s_close"):
            j = content.find(child.markup, i)
            if j < 0:
                return None
            edit(j, j + len(child.markup), "")
            i = j + len(child.markup)
        elif t == "link_open" and span is not None:
            a, b = span
            if child.markup == "autolink":
                edit(a, a + 1, "")
                i = a + 1
            else:
                edit(a, a + 1, "")  # "["
                i = a + 1
        elif t == "link_close" and span is not None:
            a, b = span
            if child.markup == "autolink":
                edit(b - 1, b, "")
            else:
                j = content.find("]", i, b)
                edit(j if j >= 0 else i, b, "")  # "](url "title")", "][ref]"
            i = b
        elif t == "image" and span is not None:
            a, b = span
            edit(a, b, child.content)
            i = b
        elif t == "code_inline" and span is not None:
            a, b = span
            n = len(child.markup)
            edit(a, a + n, "")
            edit(b - n, b, "")
            i = b
        elif t == "html_inline" and span is not None:
            a, b = span
            edit(a, b, " " if _BR.fullmatch(child.content.strip()) else "")
            i = b
        elif span is not None:
            i = max(i, span[1])
    end = pos[i - 1] + 1 if i else pos[0] if pos else 0
    return end, out




def blanked(text: str, edits: list[tuple[int, int, str]]) -> str:
    """``text`` with its inline markup blanked for the matcher, keeping its length: each edit shows its
    replacement padded with spaces ("you **grant** [Spotify](https://…) a licence" → "you   grant   Spotify
    … a licence"), which normalization then squeezes to single spaces. Every offset still holds."""
    if not edits:
        return text
    out: list[str] = []
    pos = 0
    for a, b, shown in edits:
        if a < pos or len(shown) > b - a or "\n" in text[a:b]:
            continue  # overlapping, growing or multi-line: leave it as written
        out.append(text[pos:a])
        out.append(shown + " " * (b - a - len(shown)))
        pos = b
    out.append(text[pos:])
    return "".join(out)
