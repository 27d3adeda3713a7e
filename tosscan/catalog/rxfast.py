"""Patterns rewritten to run faster on `re`, with the same matches and the same groups.

- ``fixed_width_lookbehinds``: a look-behind of alternatives of different lengths ("(?<!您|你|用户)"), which
  `re` refuses and which sent the whole pattern to the slower `regex` module, becomes one look-behind per
  alternative ("(?<!您)(?<!你)(?<!用户)"; a positive one, "(?:(?<=平台)|(?<=关联方))").
- ``lookahead_prefix``: see below.
"""

from __future__ import annotations

import re
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]

from tosscan.catalog.literals import _SYNTAX_ELSEWHERE

# a look-behind whose body is alternatives of plain characters and classes, each maybe optional ("(?<![向给被]|
# 获得|不可撤销地?)"): no group, escape or other repeat
_UNIT = r"(?:\[[^\]\\\[]*\]|[^()|\\\[\]{}*+?.^$])\??"
_LOOKBEHIND = re.compile(rf"(?<!\\)\(\?<([!=])((?:{_UNIT})+(?:\|(?:{_UNIT})+)*)\)")
_UNITS = re.compile(_UNIT)
_MAX_VARIANTS = 32


def _variants(alt: str) -> list[str] | None:
    """The fixed-width strings of patterns an alternative stands for ("地?" → "地", "")."""
    out = [""]
    for u in _UNITS.findall(alt):
        choices = (u[:-1], "") if u.endswith("?") else (u,)
        out = [v + w for v in out for w in choices]
        if len(out) > _MAX_VARIANTS:
            return None
    return None if "" in out else out  # an empty alternative: the look-behind always or never holds


def fixed_width_lookbehinds(pattern: str) -> str:
    """Each look-behind of plain alternatives of unequal widths split into fixed-width ones."""
    def split(m: re.Match[str]) -> str:
        kind = m.group(1)
        alts: list[str] = []
        for alt in m.group(2).split("|"):
            v = _variants(alt)
            if v is None:
                return m.group(0)
            alts.extend(v)
        if len({len(_UNITS.findall(a)) for a in alts}) == 1 and "?" not in m.group(2):
            return m.group(0)  # already of one width: `re` takes it as it is
        if kind == "!":
            return "".join(f"(?<!{a})" for a in alts)
        return "(?:" + "|".join(f"(?<={a})" for a in alts) + ")"

    return _LOOKBEHIND.sub(split, pattern)


# ----------------------------------------------------------------------------- the characters a match starts with
#
# `re` skips ahead quickly only when a pattern starts with a literal or a class ("授予…", "[您你]…"); a pattern
# that starts with a group of alternatives, a look-behind or a word boundary ("(?<![向为给被])(您|你|用户)…",
# "\b(?:grant|give)…") is tried in full at every position of the sentence. ``lookahead_prefix`` gives such a
# pattern a look-ahead of the characters its match can start with, so the other positions fail at once (the
# grant frame's widest pattern ran 5x faster). The set is read from the parse tree like the needs above and is
# sound: zero-width parts (look-arounds, anchors) are skipped, optional parts add their characters and the
# next part's, and anything that could start with an unknown character (".", a negated or named class, a
# case-blind group) gives no prefix at all.

_MAX_RANGE = 2000  # a range wider than this (a whole script) is not spelt out: no prefix
_GLOBAL_FLAGS = ("(?a", "(?i", "(?L", "(?m", "(?s", "(?u", "(?x")


def first_chars(pattern: str, *, other_module: bool = False) -> frozenset[str] | None:
    """The characters a non-empty match of ``pattern`` can start with, or None when they cannot be known
    (or the pattern can match the empty string)."""
    parsed = _parse(pattern, other_module)
    return None if parsed is None else _first_chars(parsed, other_module)


def _parse(pattern: str, other_module: bool):
    """The parse tree ``re`` reads, or None for a pattern this module leaves alone: global flags (the look-ahead
    could not go before them), syntax only `regex` reads (fuzzy matching, POSIX classes), or no parse."""
    if pattern.startswith(_GLOBAL_FLAGS) or (other_module and _fuzzy_or_posix(pattern)):
        return None
    try:
        return _parser.parse(pattern)
    except Exception:
        return None


def _first_chars(parsed, other_module: bool) -> frozenset[str] | None:
    if parsed.state.flags & C.SRE_FLAG_IGNORECASE:
        return None
    out: set[str] = set()
    nullable = _first(list(parsed), out)
    if nullable is None or nullable:
        return None
    if other_module and out & _SYNTAX_ELSEWHERE:
        return None
    return frozenset(out)


def _fuzzy_or_posix(pattern: str) -> bool:
    return re.search(r"\{[^\d,}]|\[\[:", pattern) is not None


def _first(items, out: set[str]) -> bool | None:
    """Add to ``out`` the characters the sequence ``items`` can start with; True when it can read nothing
    at all, None when a start is unknown."""
    for op, av in items:
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            continue  # zero-width: the match still starts with what follows
        if op is C.LITERAL:
            out.add(chr(av))
            return False
        if op is C.IN:
            for o, a in av:
                if o is C.LITERAL:
                    out.add(chr(a))
                elif o is C.RANGE and a[1] - a[0] <= _MAX_RANGE:
                    out.update(chr(ch) for ch in range(a[0], a[1] + 1))
                else:  # NEGATE, CATEGORY (\w, \s, \d), a wide range
                    return None
            return False
        if op is C.SUBPATTERN:
            _group, add_flags, _del_flags, body = av
            if add_flags & C.SRE_FLAG_IGNORECASE:
                return None
            nullable = _first(body, out)
        elif op is C.ATOMIC_GROUP:
            nullable = _first(av, out)
        elif op is C.BRANCH:
            nullable = False
            for alt in av[1]:
                n = _first(alt, out)
                if n is None:
                    return None
                nullable = nullable or n
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            lo, _hi, body = av
            n = _first(body, out)
            if n is None:
                return None
            nullable = n or lo == 0
        else:  # ".", a back-reference, a conditional group
            return None
        if nullable is None:
            return None
        if not nullable:
            return False
    return True


def _fast_already(parsed) -> bool:
    """`re` finds the start itself: the pattern opens with a literal, a class, or alternatives that each
    open with a literal."""
    items = list(parsed)
    while items and items[0][0] is C.SUBPATTERN:
        items = list(items[0][1][-1])
    if not items:
        return False
    op, av = items[0]
    if op in (C.LITERAL, C.IN):
        return True
    return op is C.BRANCH and all(alt and next(iter(alt))[0] is C.LITERAL for alt in av[1])


def lookahead_prefix(pattern: str, *, other_module: bool = False) -> str:
    """``pattern`` behind a look-ahead of the characters its matches start with, when `re` would otherwise try
    every position in full; else ``pattern`` unchanged. Same matches, same groups."""
    parsed = _parse(pattern, other_module)
    if parsed is None or _fast_already(parsed):
        return pattern
    chars = _first_chars(parsed, other_module)
    if not chars:
        return pattern
    cls = "".join(_class_char(c) for c in sorted(chars))
    return f"(?=[{cls}])(?:{pattern})"


def _class_char(c: str) -> str:
    return "\\" + c if c in "\\]^-[" else c
