"""Stage 2 — normalize, for matching only: NFKC, traditional → simplified, lower case, layout folded.

The original text is never changed. ``Normalized.text`` is what rules match against and
``Normalized.origin[i]`` is the offset in the original text of normalized character ``i``, so any
span found in the normalized text maps back to the original (``to_original``).

The offset map is stored as runs, not as one Python int per character: almost every normalized
character sits one after the one before it in the original, so ``origin`` keeps only where that
breaks (a folded line break, a squeezed space run, an expanded ligature) in two ``array('q')``s and
answers by bisection. A 10 MB agreement needed 130 MB for the list of ints; the runs need a few
hundred kB (one run per fold).
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # lazy: loading the conversion tables costs a few milliseconds

    return opencc.OpenCC("t2s")


class OffsetMap(Sequence[int]):
    """A non-decreasing sequence of offsets stored as runs of consecutive values: run ``k`` starts at
    index ``starts[k]`` with value ``values[k]`` and goes on ``+1`` per index up to the next run.

    It reads like the ``list[int]`` it replaces (indexing, slices as lists, ``len``, iteration,
    ``==`` with a list) and adds ``first_at_least`` (``bisect_left`` over the values)."""

    __slots__ = ("_len", "_starts", "_values")

    def __init__(self, starts: array, values: array, length: int):
        self._starts = starts
        self._values = values
        self._len = length

    @classmethod
    def identity(cls, length: int) -> OffsetMap:
        """0, 1, …, length - 1."""
        return cls(array("q", [0] if length else []), array("q", [0] if length else []), length)

    @property
    def runs(self) -> int:
        return len(self._starts)

    def __len__(self) -> int:
        return self._len

    def _at(self, i: int) -> int:
        k = bisect_right(self._starts, i) - 1
        return self._values[k] + i - self._starts[k]

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self._at(j) for j in range(*i.indices(self._len))]
        if i < 0:
            i += self._len
        if not 0 <= i < self._len:
            raise IndexError("offset map index out of range")
        return self._at(i)

    def __iter__(self) -> Iterator[int]:
        starts, values, n = self._starts, self._values, len(self._starts)
        for k in range(n):
            end = starts[k + 1] if k + 1 < n else self._len
            yield from range(values[k], values[k] + end - starts[k])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, OffsetMap):
            return (self._len, self._starts, self._values) == (other._len, other._starts, other._values)
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(other) == self._len and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"OffsetMap({self._len} entries, {len(self._starts)} runs)"

    def first_at_least(self, value: int) -> int:
        """The first index whose offset is >= ``value`` (``len(self)`` when none): ``bisect_left``."""
        starts, values = self._starts, self._values
        k = bisect_left(values, value)
        if k > 0:  # run k - 1 starts below value: it may reach it
            end = starts[k] if k < len(starts) else self._len
            i = starts[k - 1] + value - values[k - 1]
            if i < end:
                return i
        return starts[k] if k < len(starts) else self._len


class _Runs:
    """Builds an ``OffsetMap`` from pieces appended in order."""

    __slots__ = ("n", "starts", "values")

    def __init__(self) -> None:
        self.starts = array("q")
        self.values = array("q")
        self.n = 0

    def add(self, value: int, length: int = 1) -> None:
        """Append ``value, value + 1, …`` (``length`` entries)."""
        if length <= 0:
            return
        if not self.starts or self.values[-1] + self.n - self.starts[-1] != value:
            self.starts.append(self.n)
            self.values.append(value)
        self.n += length

    def take(self, m: OffsetMap, a: int, b: int) -> None:
        """Append ``m[a:b]`` run by run."""
        if a >= b:
            return
        starts, values = m._starts, m._values
        k = bisect_right(starts, a) - 1
        while a < b:
            end = min(b, starts[k + 1] if k + 1 < len(starts) else m._len)
            self.add(values[k] + a - starts[k], end - a)
            a = end
            k += 1

    def done(self) -> OffsetMap:
        return OffsetMap(self.starts, self.values, self.n)


@dataclass(frozen=True, slots=True)
class Normalized:
    text: str
    origin: OffsetMap  # len(text) + 1 entries; the last is len(original)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of the normalized text to the original text."""
        origin = self.origin
        if end <= start:
            o = origin[start]
            return o, o
        return origin[start], origin[end - 1] + 1 if end - 1 < len(self.text) else origin[end]

    def to_normalized(self, offset: int) -> int:
        """The first normalized character at or after original ``offset`` (``bisect_left`` on ``origin``)."""
        return self.origin.first_at_least(offset)


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
        folded, origin = _squeeze_spaces(text.lower(), OffsetMap.identity(len(text) + 1))
        return Normalized(folded, origin)
    table = {ch: _fold(ch) for ch in set(text)}
    folded = text.translate({ord(ch): out for ch, out in table.items() if out != ch})
    odd = [ch for ch, out in table.items() if len(out) != 1]
    if not odd:
        origin = OffsetMap.identity(len(text) + 1)
    else:  # a few characters expand (… → ...) or vanish: each of their entries repeats their offset
        runs = _Runs()
        prev = 0
        for m in re.finditer("|".join(map(re.escape, odd)), text):
            i = m.start()
            runs.add(prev, i - prev)
            for _ in range(len(table[text[i]])):
                runs.add(i)
            prev = i + 1
        runs.add(prev, len(text) + 1 - prev)
        origin = runs.done()
    folded, origin = _squeeze_spaces(folded, origin)
    return Normalized(to_simplified(folded), origin)


_CJK_CHARS = "\u3400-\u9fff\uf900-\ufaff"
_SPACES = re.compile(
    rf"(?P<cjk>(?<=[{_CJK_CHARS},、])[ \t]*\n[ \t]*(?=[{_CJK_CHARS}]))"  # a line wrapped inside Chinese text
    r"|(?P<latin>(?<=[a-z0-9,])[ \t]*\n[ \t]*(?=[a-z(]))"                # … inside an English sentence
    r"|[ \t\xa0]{2,}|\t|\xa0|\r(?=\n)"
)


def _squeeze_spaces(text: str, origin: OffsetMap) -> tuple[str, OffsetMap]:
    """Fold layout: runs of spaces and tabs become one space, \r\n becomes \n, and a line break inside a
    sentence (between two Chinese characters, or before a lower-case word) disappears, or becomes a space
    in English, so that a term wrapped across lines still matches. The offset map keeps pointing into
    the original."""
    if not _SPACES.search(text):
        return text, origin
    parts: list[str] = []
    runs = _Runs()
    prev = 0
    for m in _SPACES.finditer(text):
        parts.append(text[prev:m.start()])
        runs.take(origin, prev, m.start())
        if m.group() != "\r" and not m.group("cjk"):
            parts.append(" ")
            runs.add(origin[m.start()])
        prev = m.end()
    parts.append(text[prev:])
    runs.take(origin, prev, len(origin))
    return "".join(parts), runs.done()
