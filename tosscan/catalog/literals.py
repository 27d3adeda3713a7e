"""What text a matcher needs before it can match: literal strings, for the engine's prefilter.

A *need* is a conjunction of clauses, each a set of literals of which at least one must occur in the text
(conjunctive normal form); the empty need holds everywhere. It is a necessary condition only: a text that
holds every clause may still not match, a text that misses one cannot. The engine checks a rule's need on
a candidate sentence with substring tests before it evaluates the rule (see ``tosscan.match``).

``regex_need`` reads a regular expression's parse tree (``re._parser``): a run of literal characters in a
sequence is needed, every branch of an alternation must supply one of a clause, a repeat of at least one
needs its body; anything else (classes, ``.``, optional parts, lookarounds, back-references, a case-blind
flag) needs nothing. A pattern ``re`` cannot parse needs nothing.

Looking for a literal costs (the automaton reports every occurrence), so a clause holding a ``weak`` one
(a punctuation mark, "a", "to") is dropped (``strong``): dropping a clause only widens the need. When an
alternation has too many needs to distribute, each alternative gives its strongest clause.
"""

from __future__ import annotations

import itertools
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]

Clause = frozenset[str]
Need = tuple[Clause, ...]  # every clause holds: one of its literals occurs in the text
ANYWHERE: Need = ()
MAX_PRODUCT = 64  # an alternation of needs distributed into at most this many clauses; else one wider clause
# characters that `regex` (the module running some patterns) reads as syntax where `re` reads a literal:
# `(?:x){e<=1}` (fuzzy matching), `[[:alpha:]]` (a POSIX class)
_SYNTAX_ELSEWHERE = frozenset("[]{}:")


def clause(literals: set[str] | frozenset[str]) -> Clause:
    """The literals without those that contain another (where "授权给" occurs, "授权" does too)."""
    lits = sorted({lit for lit in literals if lit}, key=len)
    kept: list[str] = []
    for lit in lits:
        if not any(k in lit for k in kept):
            kept.append(lit)
    return frozenset(kept)


def both(*needs: Need) -> Need:
    """The need of matching all of them: every clause of each (a clause implied by another is dropped)."""
    out: list[Clause] = []
    for c in sorted({c for n in needs for c in n}, key=len):
        if not any(k <= c for k in out):
            out.append(c)
    return tuple(out)


def either(needs: list[Need]) -> Need:
    """The need of matching one of them: the clauses every one of them implies."""
    if not needs or any(not n for n in needs):
        return ANYWHERE
    if len(needs) == 1:
        return needs[0]
    size = 1
    for n in needs:
        size *= len(n)
    if size <= MAX_PRODUCT:
        return both(*((clause(frozenset().union(*pick)),) for pick in itertools.product(*needs)))
    # too many to distribute: one clause, the union of the strongest clause of each
    return (clause(frozenset().union(*(max(n, key=_strength) for n in needs))),)


def _strength(c: Clause) -> tuple[int, int]:
    """How rarely a clause holds, roughly: by its shortest literal, then by fewer literals."""
    return min(len(lit.strip()) for lit in c), -len(c)


def weak(lit: str) -> bool:
    """A literal almost every sentence holds (a punctuation mark, "a", "to", "be"): not worth looking for."""
    bare = lit.strip()
    return (len(bare) <= 1 and not bare.isalpha()) or (bare.isascii() and len(bare) <= 2)


def strong(need: Need) -> Need:
    """The need without the clauses that hold almost anywhere (one of their literals is ``weak``)."""
    return tuple(c for c in need if not any(weak(lit) for lit in c))


def holds(need: Need, text: str) -> bool:
    return all(any(lit in text for lit in c) for c in need)


def regex_need(pattern: str, *, other_module: bool = False) -> Need:
    """What ``pattern`` needs (``other_module``: it runs on `regex`, which reads some literals as syntax)."""
    try:
        parsed = _parser.parse(pattern)
    except Exception:  # syntax only the `regex` module knows (\p{Han}, …)
        return ANYWHERE
    if parsed.state.flags & C.SRE_FLAG_IGNORECASE:
        return ANYWHERE
    need = _sequence(parsed)
    if other_module and any(ch in _SYNTAX_ELSEWHERE for c in need for lit in c for ch in lit):
        return ANYWHERE
    return need


def _sequence(items) -> Need:
    """A sequence: each stretch of parts that can only read a few exact strings needs one of them (their
    concatenations: "(您|你)的" needs 您的 or 你的); every other part needs what it needs."""
    parts: list[Need] = []
    exact: set[str] = {""}  # the strings the current stretch reads

    def close() -> None:
        if "" not in exact:
            parts.append((clause(exact),))

    for op, av in items:
        strings = _exact(op, av)
        if strings is not None and len(exact) * len(strings) <= MAX_PRODUCT:
            exact = {a + b for a in exact for b in strings}
            continue
        close()
        if strings is not None:
            exact = strings
        else:
            parts.append(_item(op, av))
            exact = {""}
    close()
    return both(*parts)


def _exact_sequence(items) -> set[str] | None:
    out: set[str] = {""}
    for op, av in items:
        strings = _exact(op, av)
        if strings is None or len(out) * len(strings) > MAX_PRODUCT:
            return None
        out = {a + b for a in out for b in strings}
    return out


def _exact(op, av) -> set[str] | None:
    """The strings this part of a pattern can read, when they are few (at most ``MAX_PRODUCT``), else None."""
    if op is C.LITERAL:
        return {chr(av)}
    if op is C.IN and len(av) <= MAX_PRODUCT and all(o is C.LITERAL for o, _ in av):
        return {chr(c) for _, c in av}
    if op is C.SUBPATTERN:
        _group, add_flags, _del_flags, body = av
        return None if add_flags & C.SRE_FLAG_IGNORECASE else _exact_sequence(body)
    if op is C.ATOMIC_GROUP:
        return _exact_sequence(av)
    if op is C.BRANCH:
        out: set[str] = set()
        for b in av[1]:
            strings = _exact_sequence(b)
            if strings is None:
                return None
            out |= strings
        return out if len(out) <= MAX_PRODUCT else None
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        lo, hi, body = av
        strings = _exact_sequence(body) if hi <= 2 else None
        if strings is None:
            return None
        out = set()
        for k in range(lo, hi + 1):
            out |= {"".join(p) for p in itertools.product(sorted(strings), repeat=k)}
        return out if len(out) <= MAX_PRODUCT else None
    return None


def _item(op, av) -> Need:
    """What a part that reads too many strings needs."""
    if op is C.BRANCH:
        return either([_sequence(b) for b in av[1]])
    if op is C.SUBPATTERN:
        _group, add_flags, _del_flags, body = av
        return ANYWHERE if add_flags & C.SRE_FLAG_IGNORECASE else _sequence(body)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        lo, _hi, body = av
        return _sequence(body) if lo >= 1 else ANYWHERE
    if op is C.ATOMIC_GROUP:
        return _sequence(av)
    return ANYWHERE
