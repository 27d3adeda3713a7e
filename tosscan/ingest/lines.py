"""Lines laid out on a page back into paragraphs: running headers, footers and page numbers removed,
hard wraps and hyphenation repaired. Chinese lines join without a space, English with one; never across
a clause label, a sentence end, a short line (a heading, a paragraph's last line) or a blank line.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
_PAGE_NUMBER = re.compile(
    r"(?i)^(?:[-–—·\s]*\d{1,4}[-–—·\s]*|(?:page|p\.)\s*\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?|\d{1,4}\s*(?:/|of)\s*\d{1,4}"
    r"|第\s*\d{1,4}\s*页(?:\s*[/,，]?\s*共\s*\d{1,4}\s*页)?|共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页|[ivxlc]{1,6})$")
# a line that starts a clause or an item: never glued to the line above
LABEL = re.compile(
    r"^(?:第[一二三四五六七八九十百零〇两\d]+[条章节款项部篇]|[一二三四五六七八九十]+[、.．]|"
    r"[（(][一二三四五六七八九十百\dA-Za-z]{1,4}[)）]|\d{1,3}(?:\.\d{1,3})*(?:[.、)）]|\s)|[A-Za-z][.)]\s|"
    r"[ivxIVX]{1,5}[.)]\s|[①-⑳]|[-*•·▪●◦■□]\s|§|(?i:section|article|chapter|part)\s+\w)")
# a sentence ends at 。！？；.!?; (a closing quote or bracket may follow); a colon does not end one here, since
# what a colon introduces as a list starts with a label, and "（网址：" wraps mid-sentence
_SENTENCE_END = re.compile(r"[。！？!?；;.…][」』”\"'’)）]*$")


def width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.lower().split()))


def is_page_number(line: str) -> bool:
    return _PAGE_NUMBER.match(line.strip()) is not None


def strip_running(pages: Sequence[list[str]], edge: int = 2) -> list[list[str]]:
    """Remove running headers/footers (a line repeated, digits aside, at the top or bottom of at least half
    the pages) and page numbers at the top or bottom of each page."""
    def edges(lines: list[str]) -> list[tuple[int, str]]:
        idx = [i for i, s in enumerate(lines) if s.strip()]
        top = idx[:edge]
        return [(i, "top") for i in top] + [(i, "bottom") for i in idx[-edge:] if i not in top]

    counts: Counter[tuple[str, str]] = Counter()
    for lines in pages:
        counts.update({(_shape(lines[i]), where) for i, where in edges(lines)})
    need = max(2, (len(pages) + 1) // 2)
    out = []
    for lines in pages:
        drop: set[int] = set()
        seen: set[tuple[str, str]] = set()  # a running line goes once per page edge: a title below it stays
        for i, where in edges(lines):
            key = (_shape(lines[i]), where)
            if is_page_number(lines[i]) or (len(pages) > 1 and counts[key] >= need and key not in seen):
                drop.add(i)
                seen.add(key)
        out.append([s for i, s in enumerate(lines) if i not in drop])
    return out


def _typical_width(lines: Sequence[str]) -> int:
    ws = sorted(width(s) for s in lines if s.strip())
    return ws[int(len(ws) * 0.9)] if ws else 0


def unwrap(lines: Sequence[str]) -> str:
    """Join hard-wrapped lines into paragraphs. ``""`` in ``lines`` is a paragraph break (kept)."""
    full = _typical_width(lines) * 0.75
    out: list[str] = []
    for line in lines:
        line = line.strip()
        if not line:
            if out and out[-1] != "":
                out.append("")
            continue
        prev = out[-1] if out else ""
        if prev and width(prev.splitlines()[-1] if "\n" in prev else prev) >= full and joins(prev, line):
            out[-1] = join(prev, line)
        else:
            out.append(line)
    while out and out[-1] == "":
        out.pop()
    text = "\n".join(out)
    return re.sub(r"\n\n+", "\n\n", text) + "\n"


def joins(prev: str, nxt: str) -> bool:
    """May ``nxt`` continue the line ``prev`` (a hard wrap)?"""
    if LABEL.match(nxt) or _SENTENCE_END.search(prev):
        return False
    if prev.endswith("-") and nxt[:1].islower():
        return True
    return not (prev.isupper() and not nxt.isupper())  # an ALL-CAPS heading over its text


def join(prev: str, nxt: str) -> str:
    if prev.endswith("-") and len(prev) > 1 and prev[-2].isalpha() and nxt[:1].islower():
        return prev[:-1] + nxt  # hyphenation: "repro-" + "duce" → "reproduce"
    if _CJK.match(prev[-1]) or _CJK.match(nxt[0]):
        return prev + nxt
    return prev + " " + nxt
