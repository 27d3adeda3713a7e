"""Catastrophic-backtracking risk of a rule's regular expression, decided when the catalog is loaded.

A backtracking engine takes exponential time on a failing match when the pattern is *exponentially
ambiguous*: some loop can read the same text in two or more ways, so n characters can be split in 2ⁿ
ways, all of which are tried. The classic shapes are nested quantifiers ``(a+)+``, overlapping
alternatives under a quantifier ``(a|aa)*`` or ``(\\w|\\d)+``, adjacent overlapping quantified atoms in a
loop ``(?:a*a*){10}``, and any of these inside a lookaround ``(?=(a|aa)*c)``.

The test is the standard one (as in rxxr and regex-static-analysis), not a list of shapes:

1. the pattern is parsed (``re._parser``; a variable-width look-behind, which only the ``regex`` module
   accepts, is read as a look-ahead: the same loops, read the other way);
2. a Glushkov automaton is built: one state per character-set leaf, transitions by the follow sets. A
   counted loop ``{m,n}`` is unrolled when n ≤ 3 and read as unbounded otherwise (``{0,200}`` of an
   ambiguous body is as bad as ``*``); anchors and ``\\b`` are ignored (which can only add ambiguity);
   each lookaround's body is checked as a pattern of its own;
3. the automaton is exponentially ambiguous iff, in its product with itself (pairs of states, moving on
   characters both states accept), one strongly connected component holds a pair (p, p) and a pair
   (p, q) with p ≠ q: two different paths from p back to p reading the same text.

Character sets are compared over a probe alphabet: ASCII, every character the pattern names (and the
ends of its ranges) and a few representatives (CJK, full-width, accented, non-ASCII digits and spaces).
``risk(pattern)`` returns a one-line reason or None. A pattern this module cannot parse (syntax only the
``regex`` module knows, such as ``\\p{Han}``) gets no verdict here; the engine runs such patterns on
``regex`` with its time limit. Polynomial backtracking (``\\s*\\s*x``) is not refused: it is bounded by
the sentence and the time limit.
"""

from __future__ import annotations

import re
from functools import lru_cache
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]

UNROLL = 3  # counted loops up to {m,3} are unrolled; larger bounds are read as unbounded
MAX_STATES = 4000  # a loop with more states than this is refused unanalysed (no rule comes near)
PROBES = ("é", "ß", "Ω", "中", "的", "，", "。", "\u3000", "\u00a0", "\u200b", "١", "Ａ", "\U0001f600", "\n")


class _Unparsed(Exception):
    pass


def _alphabet(tree: list, flags: int) -> list[str]:
    chars = {chr(i) for i in range(128)} | set(PROBES)

    def walk(items) -> None:
        for op, av in items:
            if op in (C.LITERAL, C.NOT_LITERAL):
                chars.add(chr(av))
            elif op is C.RANGE:
                lo, hi = av
                chars.update((chr(lo), chr(hi), chr((lo + hi) // 2)))
            elif op is C.IN:
                walk(av)
            elif op is C.BRANCH:
                for b in av[1]:
                    walk(b)
            elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
                walk(av[2])
            elif op is C.SUBPATTERN:
                walk(av[3])
            elif op is C.ATOMIC_GROUP:
                walk(av)
            elif op in (C.ASSERT, C.ASSERT_NOT):
                walk(av[1])
            elif op is C.GROUPREF_EXISTS:
                walk(av[1])
                if av[2] is not None:
                    walk(av[2])

    walk(tree)
    if flags & re.IGNORECASE:
        chars |= {v for c in list(chars) for v in (c.lower(), c.upper()) if len(v) == 1}
    return sorted(chars)


_CATEGORIES = {
    C.CATEGORY_DIGIT: str.isdecimal,
    C.CATEGORY_SPACE: str.isspace,
    C.CATEGORY_WORD: lambda c: c.isalnum() or c == "_",
}
_NOT = {C.CATEGORY_NOT_DIGIT: C.CATEGORY_DIGIT, C.CATEGORY_NOT_SPACE: C.CATEGORY_SPACE,
        C.CATEGORY_NOT_WORD: C.CATEGORY_WORD}


class _Automaton:
    """Glushkov states (character sets as bit masks over the alphabet) and their follow sets."""

    def __init__(self, alphabet: list[str], flags: int):
        self.alphabet = alphabet
        self.full = (1 << len(alphabet)) - 1
        self.fold = bool(flags & re.IGNORECASE)
        self.multiline = bool(flags & re.MULTILINE)
        self.index = {ch: i for i, ch in enumerate(alphabet)}
        self.categories: dict = {}
        self.labels: list[int] = []
        self.follow: list[dict[int, int]] = []
        self.lookarounds: list[list] = []

    def _mask(self, test) -> int:
        m = 0
        for i, ch in enumerate(self.alphabet):
            if test(ch) or (self.fold and (test(ch.lower()) or test(ch.upper()))):
                m |= 1 << i
        return m

    def _char(self, code: int) -> int:
        c = chr(code)
        variants = (c, c.lower(), c.upper(), c.casefold()) if self.fold else (c,)
        return sum({1 << self.index[v] for v in variants if v in self.index})

    def _category(self, cat) -> int:
        if cat not in self.categories:
            self.categories[cat] = self._mask(_CATEGORIES[cat])
        return self.categories[cat]

    def _set(self, op, av) -> int:
        if op is C.LITERAL:
            return self._char(av)
        if op is C.NOT_LITERAL:
            return self.full & ~self._char(av)
        if op is C.ANY:
            return self.full
        negate, m = False, 0
        for iop, iav in av:  # C.IN
            if iop is C.NEGATE:
                negate = True
            elif iop is C.LITERAL:
                m |= self._char(iav)
            elif iop is C.RANGE:
                m |= self._mask(lambda c, v=iav: v[0] <= ord(c) <= v[1])
            elif iop is C.CATEGORY and iav in _CATEGORIES:
                m |= self._category(iav)
            elif iop is C.CATEGORY and iav in _NOT:
                m |= self.full & ~self._category(_NOT[iav])
            else:  # a category this module does not model: anything
                m |= self.full
        return self.full & ~m if negate else m

    # A part of the pattern is (ways to match the empty text, {state: ways to start there}, {state: ways
    # to end there}); ways are counted up to 2, and follow[p][q] counts the ways to go from p to q.
    def leaf(self, mask: int) -> tuple[int, dict[int, int], dict[int, int]]:
        p = len(self.labels)
        if p >= MAX_STATES:
            raise _Unparsed("too many states")
        self.labels.append(mask)
        self.follow.append({})
        return 0, {p: 1}, {p: 1}

    def _link(self, last: dict[int, int], first: dict[int, int]) -> None:
        for p, m in last.items():
            f = self.follow[p]
            for q, n in first.items():
                f[q] = min(2, f.get(q, 0) + m * n)

    def _then(self, a, b):
        (na, fa, la), (nb, fb, lb) = a, b
        self._link(la, fb)
        return min(2, na * nb), _add(fa, fb, na), _add(lb, la, nb)

    def seq(self, items):
        out = (1, {}, {})
        for item in items:
            out = self._then(out, self.node(*item))
        return out

    def repeat(self, lo: int, hi: int, body):
        if hi == 0:
            return 1, {}, {}
        if hi <= UNROLL:  # X{lo,hi} = X…X (X (X)?)? : the optional copies nested, never side by side
            tail = (1, {}, {})
            for _ in range(hi - lo):
                n, f, la = self._then(self.seq(body), tail)
                tail = (1, f, la)
            for _ in range(lo):
                tail = self._then(self.seq(body), tail)
            return tail
        n, f, la = self.seq(body)
        self._link(la, f)  # the loop: an empty pass is never repeated, so it adds no way
        return (1 if lo == 0 or n else 0), f, la

    def node(self, op, av):
        if op in (C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN):
            return self.leaf(self._set(op, av))
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            lo, hi, body = av
            return self.repeat(lo, hi, body)
        if op is C.SUBPATTERN:
            return self.seq(av[3])
        if op is C.ATOMIC_GROUP:
            return self.seq(av)
        if op in (C.BRANCH, C.GROUPREF_EXISTS):
            alts = av[1] if op is C.BRANCH else [av[1], av[2] or []]
            n, f, la = 0, {}, {}
            for b in alts:
                nb, fb, lb = self.seq(b)
                n, f, la = min(2, n + nb), _add(f, fb), _add(la, lb)
            return n, f, la
        if op is C.GROUPREF:  # the text of a group: anything, once
            return self.leaf(self.full)
        if op in (C.ASSERT, C.ASSERT_NOT):
            self.lookarounds.append(av[1])
        if op is C.AT and (av is C.AT_END_STRING or (av is C.AT_END and not self.multiline)):
            return 0, {}, {}  # the end of the text: nothing is read after it, so no loop goes on through it
        return 1, {}, {}  # lookarounds, anchors, \b and the like: zero width


def _add(a: dict[int, int], b: dict[int, int], times: int = 1) -> dict[int, int]:
    if not times or not b:
        return a
    out = dict(a)
    for k, v in b.items():
        out[k] = min(2, out.get(k, 0) + v * times)
    return out


def _sccs(nodes: list, edges) -> list[list]:
    """Tarjan's strongly connected components, iteratively (no recursion limit on big loops)."""
    index: dict = {}
    low: dict = {}
    on: set = set()
    stack: list = []
    out: list[list] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(edges(root)))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(edges(w))))
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    out.append(comp)
    return out


def _ambiguous(a: _Automaton) -> bool:
    """Is some loop of the automaton exponentially ambiguous (see the module's docstring)?"""
    for comp in _sccs(list(range(len(a.labels))), lambda p: a.follow[p]):
        inside = set(comp)
        if any(n > 1 and q in inside for p in comp for q, n in a.follow[p].items()):
            return True  # two ways from p to q, and back to p: (a+)+, (a|a)*
        if len(comp) < 2:
            continue  # one state looping on itself once reads its text one way only
        succ = {p: [q for q in a.follow[p] if q in inside] for p in comp}

        def pairs(pq, succ=succ):
            p, q = pq
            return [(p2, q2) for p2 in succ[p] for q2 in succ[q] if a.labels[p2] & a.labels[q2]]

        for pcomp in _sccs([(p, p) for p in comp], pairs):
            if len(pcomp) > 1 and any(p == q for p, q in pcomp) and any(p != q for p, q in pcomp):
                return True
    return False


_GROUP_REPEATED = re.compile(r"\)[*+{]|\(\?[a-zA-Z]*x")  # ")+", or verbose mode, where ") +" is one too
_LOOKBEHIND = re.compile(r"\\.|\[(?:\\.|[^\]\\])*\]?|\(\?<([=!])", re.DOTALL)


def _as_lookahead(pattern: str) -> str:
    """``(?<=…)``/``(?<!…)`` read as ``(?=…)``/``(?!…)`` (escapes and character classes left alone), so that
    a variable-width look-behind, which ``re`` refuses, can be analysed like any group."""
    return _LOOKBEHIND.sub(lambda m: "(?" + m.group(1) if m.group(1) else m.group(0), pattern)


_REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT)


def _loops(items) -> list:
    """The outermost loops whose body is more than one character set (only there can a text be read in
    two ways: a cycle of the automaton never leaves its outermost loop), lookarounds included."""
    out: list = []
    for op, av in items:
        if op in _REPEATS:
            _lo, hi, body = av
            if hi > 1 and not (len(body) == 1 and body[0][0] in (C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN)):
                out.append((op, av))
            else:
                out += _loops(body)
        elif op is C.SUBPATTERN:
            out += _loops(av[3])
        elif op is C.ATOMIC_GROUP:
            out += _loops(av)
        elif op is C.BRANCH:
            for b in av[1]:
                out += _loops(b)
        elif op is C.GROUPREF_EXISTS:
            out += _loops(av[1]) + _loops(av[2] or [])
        elif op in (C.ASSERT, C.ASSERT_NOT):
            out += _loops(av[1])
    return out


def _check(items: list, flags: int, alphabet: list[str] | None = None) -> bool:
    for loop in _loops(items):
        a = _Automaton(alphabet or _alphabet(items, flags), flags)
        a.node(*loop)
        if _ambiguous(a) or any(_check(sub, flags, a.alphabet) for sub in a.lookarounds):
            return True
    return False


@lru_cache(maxsize=4096)
def risk(pattern: str) -> str | None:
    """Why ``pattern`` can backtrack catastrophically (one line), or None when it cannot (or when its
    syntax is the ``regex`` module's own, which the engine runs under its time limit)."""
    if not _GROUP_REPEATED.search(pattern):
        return None  # no group under a quantifier: no loop over more than one character set
    try:
        tree = _parser.parse(_as_lookahead(pattern))
        flags = tree.state.flags
        return ("can backtrack catastrophically: a repeated part matches the same text in more than one way "
                "(as in (a+)+ or (a|aa)*)") \
            if _check(tree.data, flags) else None
    except _Unparsed:
        return "too large to check for catastrophic backtracking"
    except (re.error, RecursionError, OverflowError, ValueError, TypeError):
        return None


# The engine runs a pattern on the ``regex`` module with its time limit when ``re`` cannot parse it. This
# global flag is ``regex``'s default (version 0) and changes nothing in what the pattern matches; ``re``
# does not know it, so a risky pattern marked with it is always run under the time limit.
GUARD = "(?V0)"


def bounded(pattern: str) -> str:
    """``pattern`` as the engine must run it: marked for the time limit when it is risky."""
    return GUARD + pattern if risk(pattern) and not pattern.startswith(GUARD) else pattern
