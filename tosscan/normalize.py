"""Stage 2 — normalize, for matching only: NFKC, traditional → simplified, lower case.

The original text is never changed. ``Normalized.text`` is what rules match against and
``Normalized.origin[i]`` is the offset in the original text of normalized character ``i``, so any
span found in the normalized text maps back to the original (``to_original``).
"""

from __future__ import annotations

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


def _is_ascii(s: str) -> bool:
    return s.isascii()


def _fold(ch: str) -> str:
    if ch == "\u3000":  # ideographic space → space (NFKC leaves it alone)
        return " "
    return unicodedata.normalize("NFKC", ch).lower()


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
        return Normalized(text.lower(), list(range(len(text) + 1)))
    parts: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        if ch.isascii() or ("\u4e00" <= ch <= "\u9fff"):
            folded = ch.lower()
        else:
            folded = _fold(ch)
        parts.append(folded)
        origin.extend([i] * len(folded))
    origin.append(len(text))
    return Normalized(to_simplified("".join(parts)), origin)
