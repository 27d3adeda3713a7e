"""Stage 2 — normalize, for matching only: NFKC, traditional → simplified, lower case, layout folded.

The original text is never changed. ``Normalized.text`` is what rules match against and
``Normalized.origin[i]`` is the offset in the original text of normalized character ``i``, so any
span found in the normalized text maps back to the original (``to_original``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # lazy: loading the conversion tables costs a few milliseconds

    return opencc.OpenCC("t2s")


@dataclass(frozen=True, slots=True)
class Normalized:
    text: str
    origin: list[int]  # len(text) + 1 entries; the last is len(original)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of the normalized text to the original text."""
        if end <= start:
            o = self.origin[start]
            return o, o
        return self.origin[start], self.origin[end - 1] + 1 if end - 1 < len(self.text) else self.origin[end]


_FOLDED: dict[str, str] = {}


def _fold(ch: str) -> str:
    """One character → its matching form: NFKC, lower case; the ideographic space becomes a space."""
    out = _FOLDED.get(ch)
    if out is None:
        out = " " if ch == "\u3000" else unicodedata.normalize("NFKC", ch).lower()
        _FOLDED[ch] = out
    return out


def to_simplified(text: str) -> str:
    """Traditional → simplified, guaranteed to keep the length (character by character if needed)."""
    if text.isascii():
        return text
    out = _t2s().convert(text)
    if len(out) == len(text):
        return out
    conv = _t2s().convert
    return "".join(c if len(c := conv(ch)) == 1 else ch for ch in text)


def normalize(text: str) -> Normalized:
    """NFKC + lower case character by character (keeping the offset map), then 繁→简."""
    if text.isascii():
        folded, origin = _squeeze_spaces(text.lower(), list(range(len(text) + 1)))
        return Normalized(folded, origin)
    table = {ch: _fold(ch) for ch in set(text)}
    folded = text.translate({ord(ch): out for ch, out in table.items() if out != ch})
    odd = [ch for ch, out in table.items() if len(out) != 1]
    if not odd:
        origin = list(range(len(text) + 1))
    else:  # a few characters expand (… → ...) or vanish: splice their entries into the identity map
        origin = []
        prev = 0
        for m in re.finditer("|".join(map(re.escape, odd)), text):
            i = m.start()
            origin.extend(range(prev, i))
            origin.extend([i] * len(table[text[i]]))
            prev = i + 1
        origin.extend(range(prev, len(text) + 1))
    folded, origin = _squeeze_spaces(folded, origin)
    return Normalized(to_simplified(folded), origin)


_CJK_CHARS = "\u3400-\u9fff\uf900-\ufaff"
_SPACES = re.compile(
    rf"(?P<cjk>(?<=[{_CJK_CHARS},、])[ \t]*\n[ \t]*(?=[{_CJK_CHARS}]))"  # a line wrapped inside Chinese text
    r"|(?P<latin>(?<=[a-z0-9,])[ \t]*\n[ \t]*(?=[a-z(]))"                # … inside an English sentence
    r"|[ \t\xa0]{2,}|\t|\xa0|\r(?=\n)"
)


def _squeeze_spaces(text: str, origin: list[int]) -> tuple[str, list[int]]:
    """Fold layout: runs of spaces and tabs become one space, \r\n becomes \n, and a line break inside a
    sentence (between two Chinese characters, or before a lower-case word) disappears, or becomes a space
    in English, so that a term wrapped across lines still matches. The offset map keeps pointing into
    the original."""
    if not _SPACES.search(text):
        return text, origin
    parts: list[str] = []
    new_origin: list[int] = []
    prev = 0
    for m in _SPACES.finditer(text):
        parts.append(text[prev:m.start()])
        new_origin.extend(origin[prev:m.start()])
        if m.group() != "\r" and not m.group("cjk"):
            parts.append(" ")
            new_origin.append(origin[m.start()])
        prev = m.end()
    parts.append(text[prev:])
    new_origin.extend(origin[prev:])
    return "".join(parts), new_origin
