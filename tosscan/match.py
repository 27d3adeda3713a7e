"""Stage 5 — match: run the rule catalog over the sentences of a document.

Speed comes from not looking: every rule's trigger terms, and the literals each of its parts needs
(``tosscan.catalog.literals``), go into one Aho-Corasick automaton; one pass over the normalized text finds
the (sentence, rule) pairs worth evaluating - a trigger of the rule occurs in the sentence and so does one
literal of every clause of its need -, and only there are the finer primitives run and, when a rule needs
them, jieba tokens computed. Matchers are compiled once per catalog into small objects over a per-sentence
context; equal matchers are one object, and a context keeps each one's result.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

from pydantic import BaseModel

from tosscan.catalog.literals import ANYWHERE, Need, both, clause, either, regex_need, strong
from tosscan.catalog.rxfast import fixed_width_lookbehinds, lookahead_prefix
from tosscan.catalog.schema import (
    AllOf,
    AnyOf,
    Either,
    Frame,
    FrameRef,
    Guard,
    Near,
    Not,
    Refers,
    Regex,
    Rule,
    Seq,
    uses_refers,
)
from tosscan.normalize import Normalized, normalize
from tosscan.segment import lemma_spans, token_spans

Span = tuple[int, int]
REGEX_TIMEOUT = 0.05  # seconds per regex call: agreement text is hostile
PASS: list[Span] = [(0, 0)]  # a negative matcher that holds contributes no evidence


def norm_term(term: str) -> str:
    """A term as it is matched: normalized, without its trailing ``*`` (word-prefix) marker."""
    return normalize(term.rstrip("*") if len(term) > 1 else term).text


def _term_pattern(term: str) -> tuple[bool, str]:
    """(needs a word boundary before, pattern) for one term.

    Latin words match whole words ("law" is not in "lawful"); ``terminat*`` matches a word prefix.
    Chinese terms match anywhere: Chinese has no spaces, and jieba tokens are checked where a rule asks."""
    prefix = len(term) > 1 and term.endswith("*")
    t = norm_term(term)
    pat = re.escape(t)
    if t[-1:].isascii() and t[-1:].isalnum() and not prefix:
        pat += r"(?![a-z0-9])"
    return t[:1].isascii() and t[:1].isalnum(), pat


# --------------------------------------------------------------------------- context


@dataclass
class Context:
    """What matchers see of one sentence: its normalized text, its clause and section, tokens."""

    sentence: str
    clause: str = ""
    section: str = ""
    lead: str = ""  # the lead-in of the list this sentence is an item of, if any
    before: str = ""  # the sentences just before this one in its section (see ``SentenceSpan.before``)
    lang: str = "zh"
    _tokens: dict[str, list[Span]] = field(default_factory=dict)
    _lemmas: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)
    # results of matchers over a clause or section, shared by the sentences of one document: a clause that
    # spans many sentences is searched once per matcher, not once per sentence (keyed by the scope's span)
    shared: dict[tuple, list[Span]] | None = None
    spans: dict[str, Span] = field(default_factory=dict)
    local: dict[tuple, list[Span]] = field(default_factory=dict)  # frames decided here when nothing is shared
    # results of matchers over this context's own texts (a matcher the catalog writes several times is one
    # compiled object, see ``compile_matcher``: found once per sentence, whichever rule or shape asks)
    seen: dict[tuple, object] = field(default_factory=dict)
    # the concepts found in the clauses this sentence names by number (``referred("named")``) or in the
    # sentences just before it (``referred("before")``): ``refers``, second pass only
    referred: Callable[[str], set[str]] | None = None
    # the document's normalized text: the clause, section, lead-in and sentences before are sliced from it by
    # their ``spans`` when a matcher first asks (a long section is not copied for every candidate sentence)
    doc: str | None = None

    def memo(self, matcher: object, scope: str) -> tuple | None:
        if scope == "sentence" or self.shared is None or scope not in self.spans:
            return None
        return (id(matcher), scope, self.spans[scope])

    def store(self, matcher: object, scope: str) -> tuple[dict, tuple]:
        """Where a matcher's result in ``scope`` is kept: the document's shared results for a clause or
        section (keyed by its span), else this context's own."""
        key = self.memo(matcher, scope)
        if key is not None:
            return self.shared, key  # type: ignore[return-value]
        return self.seen, (id(matcher), scope)

    def text(self, scope: str) -> str:
        if scope == "sentence":
            return self.sentence
        if self.doc is not None:
            self._slice()
        if scope == "lead":
            return self.lead
        if scope == "before":
            return self.before
        if scope == "clause":
            return self.clause or self.sentence
        if scope == "section":
            return self.section or self.clause or self.sentence
        return self.sentence

    def _slice(self) -> None:
        doc, self.doc = self.doc, None
        for name in ("clause", "section", "lead", "before"):
            span = self.spans.get(name)
            if span is not None:
                setattr(self, name, doc[span[0]:span[1]])  # type: ignore[index]

    def tokens(self, text: str) -> list[Span]:
        if text not in self._tokens:
            self._tokens[text] = token_spans(text, self.lang)
        return self._tokens[text]

    def lemmas(self, text: str) -> list[tuple[int, int, str]]:
        if text not in self._lemmas:
            self._lemmas[text] = lemma_spans(text, self.lang)
        return self._lemmas[text]


def _gap(ctx: Context, text: str, a: Span, b: Span, unit: str) -> int:
    """Distance between two spans (0 when they touch or overlap), in chars or tokens."""
    if a[0] > b[0]:
        a, b = b, a
    if b[0] <= a[1]:
        return 0
    if unit == "chars":
        return b[0] - a[1]
    starts = [s for s, _ in ctx.tokens(text)]
    return max(0, bisect.bisect_left(starts, b[0]) - bisect.bisect_left(starts, a[1]))


# --------------------------------------------------------------------------- compiled matchers


class Compiled:
    scope = "sentence"
    # a result in a clause or section depends on that text alone: shared by its sentences (``Context.store``)
    by_scope_text = False

    def find(self, ctx: Context, scope: str) -> list[Span]:
        """Where it matches in ``scope`` of the context (found once per context: see ``Context.seen``)."""
        store, key = ctx.store(self, scope) if self.by_scope_text else (ctx.seen, (id(self), scope))
        hits = store.get(key)
        if hits is None:
            hits = store[key] = self._find(ctx, scope)
        return hits  # type: ignore[return-value]

    def _find(self, ctx: Context, scope: str) -> list[Span]:  # pragma: no cover - interface
        raise NotImplementedError

    def holds(self, ctx: Context, scope: str) -> bool:
        """Whether it matches at all (``unless`` and ``not`` need no spans: a regex stops at the first)."""
        return bool(self.find(ctx, scope))

    def triggers(self) -> list[str] | None:
        return None

    def need(self) -> Need:
        """Literals a sentence needs for this to match in it (``tosscan.catalog.literals``; sound, not exact)."""
        return ANYWHERE


def _stem(word: str) -> str:
    """A prefix every inflection of an English word starts with, for the prefilter: modify → modif
    (modifies, modified), remove → remov (removing). Irregular forms need explicit triggers."""
    return word[:-1] if len(word) > 4 and word[-1] in "ey" else word


def _alternation(terms: Sequence[str]) -> re.Pattern[str]:
    """One pattern for a list of terms, longest first. The word-boundary look-behind of Latin terms is
    written once around all of them (per term it made English rules 30x slower)."""
    uniq = sorted({t for t in terms if t}, key=lambda t: len(norm_term(t)), reverse=True)
    bounded, free = [], []
    for t in uniq:
        needs, pat = _term_pattern(t)
        (bounded if needs else free).append(pat)
    parts = ([r"(?<![a-z0-9])(?:" + "|".join(bounded) + ")"] if bounded else []) + free
    return re.compile(lookahead_prefix("|".join(parts)))


class CAny(Compiled):
    by_scope_text = True

    def __init__(self, m: AnyOf, env: Frames | None = None):
        self.terms = [norm_term(t) for t in m.any]
        self.pattern = _alternation(m.any)
        self.excepts = _alternation(m.except_) if m.except_ else None
        self.guard = m.negated_by
        self.cues = _alternation(m.negated_by.cues) if m.negated_by else None
        self.stops = _alternation(m.negated_by.stop) if m.negated_by and m.negated_by.stop else None
        self.cue_excepts = _alternation(m.negated_by.except_) if m.negated_by and m.negated_by.except_ else None
        self.whole_tokens = m.whole_tokens
        self.lemma = m.lemma
        self._lemma_terms: dict[str, list[tuple[str, ...]]] | None = None

    def triggers(self) -> list[str]:
        if self.lemma:
            return [_stem(t.split()[0]) for t in self.terms]
        return self.terms

    def need(self) -> Need:
        if self.lemma or not all(self.terms):  # lemmas are not substrings; an empty term matches anywhere
            return ANYWHERE
        return strong((clause(set(self.terms)),))

    def _lemma_index(self) -> dict[str, list[tuple[str, ...]]]:
        """Each term as its sequence of lemmas, indexed by the first lemma (built on first use)."""
        if self._lemma_terms is None:
            index: dict[str, list[tuple[str, ...]]] = {}
            for t in self.terms:
                seq = tuple(lemma for _, _, lemma in lemma_spans(t))
                if seq:
                    index.setdefault(seq[0], []).append(seq)
            self._lemma_terms = index
        return self._lemma_terms

    def _lemma_hits(self, ctx: Context, text: str) -> list[Span]:
        index = self._lemma_index()
        toks = ctx.lemmas(text)
        lemmas = [lemma for _, _, lemma in toks]
        hits: list[Span] = []
        for i, lemma in enumerate(lemmas):
            for seq in index.get(lemma, ()):
                if tuple(lemmas[i:i + len(seq)]) == seq:
                    hits.append((toks[i][0], toks[i + len(seq) - 1][1]))
                    break
        return hits

    def _negated(self, ctx: Context, text: str, start: int, g: Guard) -> bool:
        if g.unit == "chars":
            lo = max(0, start - g.within)
        else:
            toks = ctx.tokens(text)
            i = bisect.bisect_left([s for s, _ in toks], start)
            lo = toks[max(0, i - g.within)][0] if toks else 0
        window = text[lo:start]
        if self.stops is not None:
            ends = [m.end() for m in self.stops.finditer(window)]
            if ends:
                window = window[ends[-1]:]
        assert self.cues is not None
        if self.cue_excepts is None:
            return self.cues.search(window) is not None
        outs = [m.span() for m in self.cue_excepts.finditer(text, lo, min(len(text), start + 8))]
        return any(not any(s <= lo + c.start() and lo + c.end() <= e for s, e in outs)
                   for c in self.cues.finditer(window))

    def _find(self, ctx: Context, scope: str) -> list[Span]:
        text = ctx.text(scope)
        hits = self._lemma_hits(ctx, text) if self.lemma else [m.span() for m in self.pattern.finditer(text)]
        if not hits:
            return hits
        if self.excepts is not None:
            outs = [m.span() for m in self.excepts.finditer(text)]
            hits = [h for h in hits if not any(s <= h[0] and h[1] <= e for s, e in outs)]
        if self.guard is not None:
            hits = [h for h in hits if not self._negated(ctx, text, h[0], self.guard)]
        if self.whole_tokens and hits:
            toks = ctx.tokens(text)
            starts = {s for s, _ in toks}
            ends = {e for _, e in toks}
            hits = [h for h in hits if h[0] in starts and h[1] in ends]
        return hits


def _cost(c: Compiled) -> int:
    """A rough rank of how expensive a matcher is to evaluate, so that cheap ones can fail first."""
    if isinstance(c, CAny):
        return 0 if not c.lemma else 3
    if isinstance(c, CRegex):
        return 4 if c.guarded else 2
    return 1 if isinstance(c, CNot) else 3


class CAll(Compiled):
    def __init__(self, m: AllOf, env: Frames | None = None, inherit: bool = False):
        self.written = [compile_matcher(p, env) for p in m.all]
        self.scope = m.scope
        # a frame's shape is evaluated whole in the scope it is asked about (a rule's clause-wide `all`
        # naming the frame looks for the whole grant in the clause)
        self.inherit = inherit and m.scope == "sentence"
        # the first part anchors the finding in the sentence when the others may look wider; within a
        # sentence the order does not change the result, so the cheapest parts go first
        head, rest = ([], self.written) if m.scope == "sentence" else (self.written[:1], self.written[1:])
        self.parts = head + sorted(rest, key=_cost)

    def triggers(self) -> list[str] | None:
        return next((t for p in self.written if (t := p.triggers())), None)

    def need(self) -> Need:
        # asked about a sentence, the parts that look at the sentence too (see _find)
        return both(*(p.need() for i, p in enumerate(self.parts)
                      if i == 0 or self.inherit or self.scope == "sentence"))

    def _find(self, ctx: Context, scope: str) -> list[Span]:
        out: list[Span] = []
        for i, p in enumerate(self.parts):
            # the first part anchors the finding in the sentence; the others may look wider, and there
            # only whether they match counts (a regex stops at its first match in a long section)
            if i == 0 or self.scope == scope or self.inherit:
                hits = p.find(ctx, scope if i == 0 or self.inherit else self.scope)
                if not hits:
                    return []
                out.extend(h for h in hits if h != (0, 0))
            elif not p.holds(ctx, self.scope):
                return []
        return out or PASS


class CEither(Compiled):
    def __init__(self, m: Either, env: Frames | None = None):
        self.parts = [compile_matcher(p, env) for p in m.either]

    def triggers(self) -> list[str] | None:
        # the prefilter must let through every sentence any part could match
        out: list[str] = []
        for p in self.parts:
            t = p.triggers()
            if not t:
                return None
            out.extend(t)
        return out

    def need(self) -> Need:
        return either([p.need() for p in self.parts])

    def _find(self, ctx: Context, scope: str) -> list[Span]:
        out: list[Span] = []
        for p in self.parts:
            out.extend(p.find(ctx, scope))
        return sorted(set(out))


class CNear(Compiled):
    def __init__(self, m: Near | Seq, env: Frames | None = None):
        self.ordered = isinstance(m, Seq)
        self.parts = [compile_matcher(p, env) for p in (m.seq if isinstance(m, Seq) else m.near)]
        self.window = m.gap if isinstance(m, Seq) else m.window
        self.unit = m.unit
        self.stop = [norm_term(s) for s in m.stop]

    def triggers(self) -> list[str] | None:
        return next((t for p in self.parts if (t := p.triggers())), None)

    def need(self) -> Need:
        return both(*(p.need() for p in self.parts))

    def _find(self, ctx: Context, scope: str) -> list[Span]:
        text = ctx.text(scope)
        chains: list[list[Span]] = [[h] for h in self.parts[0].find(ctx, scope)]
        for p in self.parts[1:]:
            hits = p.find(ctx, scope)
            nxt: list[list[Span]] = []
            for chain in chains:
                last = chain[-1]
                for h in hits:
                    if self.ordered and h[0] < last[1]:
                        continue
                    if _gap(ctx, text, last, h, self.unit) <= self.window and not self._stopped(text, last, h):
                        nxt.append([*chain, h])
                        break
            chains = nxt
            if not chains:
                return []
        return sorted({h for chain in chains for h in chain})


    def _stopped(self, text: str, a: Span, b: Span) -> bool:
        if not self.stop:
            return False
        between = text[min(a[1], b[1]):max(a[0], b[0])]
        return any(s in between for s in self.stop)


class CNot(Compiled):
    def __init__(self, m: Not, env: Frames | None = None):
        self.inner = compile_matcher(m.not_, env)
        self.scope = m.scope

    def _find(self, ctx: Context, scope: str) -> list[Span]:
        return [] if self.inner.holds(ctx, self.scope if self.scope != "sentence" else scope) else PASS


def _nested_unbounded(pattern: str) -> bool:
    """Does the pattern repeat, without bound, something that itself repeats without bound ((a+)+)?
    Only such patterns can backtrack exponentially; bounded ones ({0,30}) stay polynomial."""
    from re import _constants as c  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]

    def walk(items, inside: bool) -> bool:
        for op, av in items:
            if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
                _lo, hi, sub = av
                unbounded = hi == c.MAXREPEAT
                if unbounded and inside:
                    return True
                if walk(sub, inside or unbounded):
                    return True
            elif op is c.SUBPATTERN:
                if walk(av[-1], inside):
                    return True
            elif op is c.BRANCH:
                if any(walk(b, inside) for b in av[1]):
                    return True
            elif op in (c.ASSERT, c.ASSERT_NOT) and walk(av[1], inside):
                return True
        return False

    try:
        return walk(_parser.parse(pattern), False)
    except Exception:
        return True


class CRegex(Compiled):
    """A rule's regular expression. Patterns that cannot backtrack exponentially run on the fast
    standard ``re`` over a sentence; the rest run on ``regex`` with a time limit, as text is hostile."""

    by_scope_text = True

    def __init__(self, m: Regex, env: Frames | None = None):
        self.trig = [norm_term(t) for t in m.triggers] or None
        self.source = m.regex
        self.guarded = _nested_unbounded(m.regex)
        if not self.guarded:
            try:
                self.pattern = re.compile(lookahead_prefix(fixed_width_lookbehinds(m.regex)))
            except re.error:  # e.g. a variable-width look-behind, which only `regex` supports
                self.guarded = True
        if self.guarded:
            import regex

            self.pattern = regex.compile(lookahead_prefix(m.regex, other_module=True))

    def triggers(self) -> list[str] | None:
        return self.trig

    def need(self) -> Need:
        return strong(regex_need(self.source, other_module=self.guarded))

    def holds(self, ctx: Context, scope: str) -> bool:
        store, key = ctx.store(self, scope)  # a clause or section: decided once, shared by its sentences
        found = store.get(key)
        if found is not None:
            return bool(found)
        key = (*key, "holds")
        held = store.get(key)
        if held is None:
            held = store[key] = self._holds(ctx.text(scope))
        return held  # type: ignore[return-value]

    def _holds(self, text: str) -> bool:
        if not self.guarded:
            return self.pattern.search(text) is not None
        try:
            return self.pattern.search(text, timeout=REGEX_TIMEOUT) is not None
        except TimeoutError:
            return False

    def _find(self, ctx: Context, scope: str) -> list[Span]:
        text = ctx.text(scope)
        if not self.guarded:
            return [m.span() for m in self.pattern.finditer(text)]
        try:
            return [m.span() for m in self.pattern.finditer(text, timeout=REGEX_TIMEOUT)]
        except TimeoutError:
            return []


def _vetoed_in(scope: str) -> str:
    """Where a frame's hard negatives are looked for when the frame is asked about ``scope``: the sentences
    before or the lead-in when it is asked about them ("BeReal grants you a licence. This licence ends …": the
    grant before is to the user), else the sentence (a rule's clause-wide search for the grant keeps the
    sentence's own guards)."""
    return scope if scope in ("before", "lead") else "sentence"


class CFrame(Compiled):
    """A frame of the catalog, compiled once per engine and decided once per sentence: every rule that
    names it shares the answer (memoized in the document's ``shared`` results, keyed by the text)."""

    def __init__(self, frame: Frame, env: Frames):
        self.id = frame.id
        # known to the frames before its shapes are compiled: a shape may name other shapes of its own frame
        env._compiled[frame.id] = self
        self.shapes = [(s.name, CAll(s.match, env, inherit=True) if isinstance(s.match, AllOf)
                        else compile_matcher(s.match, env), [compile_matcher(u, env) for u in s.unless])
                       for s in frame.shapes]
        self.unless = [compile_matcher(u, env) for u in frame.unless]

    def triggers(self, only: frozenset[str] | None = None) -> list[str] | None:
        out: list[str] = []
        for name, m, _ in self.shapes:
            if only is not None and name not in only:
                continue
            t = m.triggers()
            if not t:
                return None
            out.extend(t)
        return out

    def need(self, only: frozenset[str] | None = None) -> Need:  # type: ignore[override]
        return either([m.need() for name, m, _ in self.shapes if only is None or name in only])

    def find(self, ctx: Context, scope: str, only: frozenset[str] | None = None) -> list[Span]:
        """Evidence of the frame in this context: that of the first shape (of ``only``, if given) stating it.

        Each shape, and the frame's own ``unless``, is decided at most once per sentence and kept in the
        document's ``shared`` results, whichever rules ask; the ``unless`` only once a shape holds (most
        sentences state no grant at all)."""
        # a shape may look at the clause, section or lead-in: they are part of the key (by their span in the
        # document when there is one: hashing a long section's text for every sentence would be quadratic)
        where = (ctx.spans.get("clause"), ctx.spans.get("section"), ctx.spans.get("lead"), ctx.spans.get("before")) \
            if ctx.spans else (ctx.clause, ctx.section, ctx.lead, ctx.before)
        base = ("frame", self.id, scope, ctx.sentence, where)
        memo = ctx.shared if ctx.shared is not None else ctx.local
        for name, m, unless in self.shapes:
            if only is not None and name not in only:
                continue
            key = (*base, name)
            if key not in memo:
                memo[key] = self._shape(ctx, scope, m, unless)
            if memo[key]:
                vetoed = (*base, "")
                if vetoed not in memo:
                    memo[vetoed] = PASS if any(u.holds(ctx, _vetoed_in(scope)) for u in self.unless) else []
                return [] if memo[vetoed] else memo[key]
        return []

    @staticmethod
    def _shape(ctx: Context, scope: str, m: Compiled, unless: list[Compiled]) -> list[Span]:
        found = m.find(ctx, scope)
        return found if found and not any(u.holds(ctx, _vetoed_in(scope)) for u in unless) else []

    def shapes_found(self, ctx: Context, scope: str) -> list[tuple[str, list[Span]]]:
        """Every shape that states the frame in this context, with its evidence (for tests and explaining)."""
        if any(u.holds(ctx, "sentence") for u in self.unless):
            return []
        return [(name, found) for name, m, unless in self.shapes if (found := self._shape(ctx, scope, m, unless))]


class CFrameRef(Compiled):
    def __init__(self, m: FrameRef, env: Frames | None = None):
        if env is None or m.frame not in env.frames:
            known = ", ".join(sorted(env.frames)) if env else "none"
            raise KeyError(f"unknown frame {m.frame!r} (frames: {known})")
        self.frame = env.compiled(m.frame)
        self.only = frozenset(m.shapes) or None
        unknown = (self.only or frozenset()) - {sh.name for sh in env.frames[m.frame].shapes}
        if unknown:
            raise KeyError(f"frame {m.frame!r} has no shape {sorted(unknown)[0]!r}")

    def triggers(self) -> list[str] | None:
        return self.frame.triggers(self.only)

    def need(self) -> Need:
        return self.frame.need(self.only)

    def find(self, ctx: Context, scope: str) -> list[Span]:
        return self.frame.find(ctx, scope, self.only)


class CRefers(Compiled):
    def __init__(self, m: Refers, env: Frames | None = None):
        self.wanted = tuple(m.refers)
        self.to = m.to

    def find(self, ctx: Context, scope: str) -> list[Span]:
        if ctx.referred is None:
            return []
        found = ctx.referred(self.to)
        hit = any(c == w or (w.endswith(".") and c.startswith(w)) for c in found for w in self.wanted)
        return PASS if hit else []


class Frames:
    """The frames of one language, compiled on first use (a frame may name another frame)."""

    def __init__(self, frames: Sequence[Frame] = ()):
        self.frames = {f.id: f for f in frames}
        self._compiled: dict[str, CFrame] = {}
        self.interned: dict[tuple[type, str], Compiled] = {}

    def compiled(self, fid: str) -> CFrame:
        if fid not in self._compiled:
            self._compiled[fid] = CFrame(self.frames[fid], self)
        return self._compiled[fid]


_BUILDERS: dict[type, Callable[..., Compiled]] = {
    AnyOf: CAny, AllOf: CAll, Either: CEither, Near: CNear, Seq: CNear, Not: CNot, Regex: CRegex,
    FrameRef: CFrameRef, Refers: CRefers}


def compile_matcher(m: BaseModel, env: Frames | None = None) -> Compiled:
    """The compiled matcher; with an ``env``, one object for every copy of the same matcher in the catalog
    (a YAML anchor repeated in six shapes of a frame), so that its result in a context is found once."""
    if env is None:
        return _BUILDERS[type(m)](m, env)
    key = (type(m), m.model_dump_json())
    c = env.interned.get(key)
    if c is None:
        c = env.interned[key] = _BUILDERS[type(m)](m, env)
    return c


# --------------------------------------------------------------------------- rules and the engine


@dataclass
class CompiledRule:
    rule: Rule
    match: Compiled
    unless: list[Compiled]

    @classmethod
    def build(cls, rule: Rule, env: Frames | None = None) -> CompiledRule:
        return cls(rule, compile_matcher(rule.match, env), [compile_matcher(u, env) for u in rule.unless])

    def evaluate(self, ctx: Context) -> list[Span] | None:
        hits = self.match.find(ctx, "sentence")
        if not hits:
            return None
        if any(u.holds(ctx, "sentence") for u in self.unless):
            return None
        return [h for h in hits if h != (0, 0)]


@dataclass(frozen=True)
class Hit:
    """A rule that fired on a sentence, with its evidence spans (original-text offsets). ``unit`` is the
    original span of the scoring unit it fired on when it was narrowed to one (see ``Engine.run``)."""

    rule: Rule
    sentence: int
    evidence: tuple[Span, ...]
    unit: Span | None = None


# the scoring units of GOLD.md inside a sentence (an English sentence may hold several, cut at ";")
_UNIT_END = re.compile(r"[。！？；!?;]|\.(?=\s)")


def _units(sentence: str) -> list[Span]:
    out: list[Span] = []
    pos = 0
    for m in _UNIT_END.finditer(sentence):
        out.append((pos, m.end()))
        pos = m.end()
    out.append((pos, len(sentence)))
    return [(a + len(sentence[a:b]) - len(sentence[a:b].lstrip()), b) for a, b in out if sentence[a:b].strip()]


@dataclass(frozen=True)
class SentenceSpan:
    """A sentence as the engine sees it: normalized span plus its clause and section spans."""

    nstart: int
    nend: int
    clause: Span | None = None   # normalized span of the innermost clause
    section: Span | None = None  # normalized span of the outermost clause
    lead: Span | None = None     # normalized span of the lead-in of the list it is an item of
    before: Span | None = None   # normalized span of the (up to two) sentences before it in its section


MAX_MATCHED = 4000  # characters of one sentence matched at a time


def _pieces(text: str, units: Sequence[SentenceSpan]) -> tuple[Sequence[SentenceSpan], list[int] | None]:
    """Sentences longer than ``MAX_MATCHED`` (a 5 MB line with no full stop) cut into pieces, at a comma or
    a space where there is one, so that matching stays linear in the text; ``owner[k]`` is the sentence of
    piece ``k`` (None: no sentence was cut)."""
    if all(u.nend - u.nstart <= MAX_MATCHED for u in units):
        return units, None
    out: list[SentenceSpan] = []
    owner: list[int] = []
    for i, u in enumerate(units):
        start = u.nstart
        while u.nend - start > MAX_MATCHED:
            limit = start + MAX_MATCHED
            cut = max(text.rfind(c, start + MAX_MATCHED // 2, limit) for c in ",，、; ")
            end = cut + 1 if cut > start else limit
            out.append(replace(u, nstart=start, nend=end))
            owner.append(i)
            start = end
        out.append(replace(u, nstart=start))
        owner.append(i)
    return out, owner


class Engine:
    """The catalog of one language compiled for matching; build once, run on many documents."""

    def __init__(self, rules: Sequence[Rule], lang: str, frames: Sequence[Frame] = ()):
        self.lang = lang
        self.frames = Frames([f for f in frames if f.lang == lang])
        self.rules = [CompiledRule.build(r, self.frames) for r in rules if r.lang == lang]
        self.always: list[int] = []
        index: dict[str, set[int]] = {}
        for i, cr in enumerate(self.rules):
            trig = cr.match.triggers()
            if not trig:
                self.always.append(i)
                continue
            for t in trig:
                index.setdefault(t, set()).add(i)
        self._index = index
        # what a sentence needs for each rule to fire: the triggers say where one of a rule's first part occurs
        # (often a single character: 可, 将, 被), the need asks for every part's literals before the rule runs.
        # Each distinct clause of a need is a bit; the automaton finds the literals too, and a sentence holds a
        # rule's need when it holds every bit of the rule's mask.
        self.needs = [cr.match.need() for cr in self.rules]
        bits = {c: 1 << k for k, c in enumerate(sorted({c for n in self.needs for c in n}, key=sorted))}
        self.need_masks = [sum(bits[c] for c in n) for n in self.needs]
        self._literal_masks: dict[str, int] = {}
        for c, bit in bits.items():
            for lit in c:
                self._literal_masks[lit] = self._literal_masks.get(lit, 0) | bit

    @cached_property
    def automaton(self):
        import ahocorasick

        a = ahocorasick.Automaton()
        for term in sorted(self._index.keys() | self._literal_masks.keys()):
            a.add_word(term, (tuple(sorted(self._index.get(term, ()))), self._literal_masks.get(term, 0), len(term)))
        if len(a):
            a.make_automaton()
        return a

    def candidates(self, text: str, units: Sequence[SentenceSpan]) -> tuple[dict[int, set[int]], dict[int, int]]:
        """Sentence index → rule indices whose triggers occur in it, and sentence index → the clauses of needs
        it holds, as a mask (one pass over ``text``)."""
        starts = [u.nstart for u in units]
        out: dict[int, set[int]] = {}
        held: dict[int, int] = {}
        if len(self.automaton):
            # matches come in text order (ends ascending): the sentence is looked up only when a match leaves
            # the stretch [starts[i], starts[i + 1]) of the previous one, and each stretch is entered once
            i, lo, nxt, stop = -1, 0, starts[0] if starts else len(text), -1
            ids_i: set[int] = set()
            mask_i = 0
            for end, (ids, mask, n) in self.automaton.iter(text):
                if end >= nxt:
                    if ids_i:
                        out[i] = ids_i
                    if mask_i:
                        held[i] = mask_i
                    i = bisect.bisect_right(starts, end) - 1
                    lo, nxt = starts[i], starts[i + 1] if i + 1 < len(starts) else len(text)
                    stop = units[i].nend
                    ids_i, mask_i = set(), 0
                if end < stop:
                    if ids:
                        ids_i.update(ids)
                    if mask and end - n + 1 >= lo:  # the literal lies in the sentence
                        mask_i |= mask
            if ids_i:
                out[i] = ids_i
            if mask_i:
                held[i] = mask_i
        if self.always:
            for i in range(len(units)):
                out.setdefault(i, set()).update(self.always)
        return out, held

    def run(self, norm: Normalized, units: Sequence[SentenceSpan],
            admits: Callable[[int, Sequence[str]], bool] | None = None,
            unit_sized: Callable[[Sequence[str]], bool] | None = None,
            refers: Callable[[int], Sequence[int]] | None = None,
            statements: Sequence[tuple[int, int]] = ()) -> list[Hit]:
        """Every rule that fires on every sentence. ``admits(i, concepts)`` is the direction gate: a rule
        about ``concepts`` is not even evaluated on sentence ``i`` when it says no (``tosscan.reading``).
        A rule for which ``unit_sized(concepts)`` is true and that fires on a sentence of several scoring
        units is narrowed to the units it fires on by themselves ("(1) … become our property; (2) …; (3) we
        may use …" is an ownership transfer in (1), not in (2)); when it fires on no unit alone, the
        whole sentence is kept. Rules with ``refers`` run in a second pass: ``refers(i)`` gives the
        sentences of the clauses that sentence ``i`` names by number, and the concepts the first pass
        found there are what ``refers`` looks at. ``statements`` are runs of sentences ``(i, j)`` that
        one English sentence holds, an enumeration written inline ("we may: (a) …; (b) …"): the unit-sized
        rules read each item under its lead-in, the others the whole statement, as before it was split."""
        text = norm.text
        sentences = units
        hits: list[Hit] = []
        shared: dict[tuple, list[Span]] = {}
        # the rules the gate concerns, decided once per rule and run, not once per (sentence, rule)
        gated = [unit_sized(cr.rule.concepts) if unit_sized is not None else True for cr in self.rules]
        units, owner = _pieces(text, units)
        candidates = self._candidates(text, units)
        later = self.second_pass
        self._pass(text, norm, units, owner, candidates, lambda r: r not in later, admits, gated, unit_sized,
                   shared, hits, None)
        if statements:
            self._restate(norm, sentences, statements, gated, shared, hits)
        if later:
            found: dict[int, set[str]] = {}
            for h in hits:
                found.setdefault(h.sentence, set()).update(h.rule.concepts)

            def preceding(i: int) -> range:
                span = sentences[i].before
                j = i
                while span is not None and j > 0 and sentences[j - 1].nstart >= span[0]:
                    j -= 1
                return range(j, i)

            def referred(i: int) -> Callable[[str], set[str]]:
                def concepts(to: str) -> set[str]:
                    named = preceding(i) if to == "before" else refers(i) if refers is not None else ()
                    return {c for j in named for c in found.get(j, ())}
                return concepts

            self._pass(text, norm, units, owner, candidates, lambda r: r in later, admits, gated, unit_sized,
                       shared, hits, referred)
            hits.sort(key=lambda h: h.sentence)
        return hits

    def _candidates(self, text: str, units: Sequence[SentenceSpan]) -> list[tuple[int, list[int]]]:
        """For each unit with any, the rules its triggers name and whose whole need it holds, in order."""
        by_unit, held = self.candidates(text, units)
        masks = self.need_masks
        return [(k, [r for r in sorted(ids) if masks[r] & held.get(k, 0) == masks[r]])
                for k, ids in sorted(by_unit.items())]

    def _restate(self, norm: Normalized, sentences: Sequence[SentenceSpan], statements: Sequence[tuple[int, int]],
                 gated: list[bool], shared: dict[tuple, list[Span]], hits: list[Hit]) -> None:
        """The rules that are not unit-sized (the unfair-terms concepts: "we may, at our discretion: (a) suspend
        …; (b) terminate your account") read each run of ``statements`` as the one sentence it is: their hits
        on its pieces are replaced by those on the whole, a finding that spans the run."""
        text = norm.text
        later = self.second_pass
        plain = {cr.rule.id for r, cr in enumerate(self.rules) if not gated[r] and r not in later}
        runs = [(i, j) for i, j in statements if sentences[j].nend - sentences[i].nstart <= MAX_MATCHED]
        if not runs:
            return
        inside = {k for i, j in runs for k in range(i, j + 1)}
        hits[:] = [h for h in hits if h.sentence not in inside or h.rule.id not in plain]
        units = [replace(sentences[i], nend=sentences[j].nend) for i, j in runs]
        whole = {i: norm.to_original(u.nstart, u.nend) for (i, _), u in zip(runs, units, strict=True)}
        found: list[Hit] = []
        self._pass(text, norm, units, [i for i, _ in runs], self._candidates(text, units),
                   lambda r: not gated[r] and r not in later, None, gated, None, shared, found, None)
        hits.extend(Hit(h.rule, h.sentence, h.evidence, whole[h.sentence]) for h in found)
        hits.sort(key=lambda h: h.sentence)

    @cached_property
    def needs_lead(self) -> frozenset[int]:
        """Rules that can only hold on an item of a list (their match looks at the lead-in): skipped on
        sentences that have none, before any matcher runs."""
        def lead_only(m: object) -> bool:
            if isinstance(m, AllOf):
                return m.scope == "lead"
            if isinstance(m, FrameRef) and m.shapes:
                shapes = [sh for sh in self.frames.frames[m.frame].shapes if sh.name in m.shapes]
                return all(lead_only(sh.match) for sh in shapes)
            return False

        return frozenset(i for i, cr in enumerate(self.rules) if lead_only(cr.rule.match))

    @cached_property
    def second_pass(self) -> frozenset[int]:
        return frozenset(i for i, cr in enumerate(self.rules) if uses_refers(cr.rule))

    def _pass(self, text: str, norm: Normalized, units: Sequence[SentenceSpan], owner: Sequence[int] | None,
              candidates: list[tuple[int, list[int]]], wanted: Callable[[int], bool],
              admits: Callable[[int, Sequence[str]], bool] | None, gated: list[bool],
              unit_sized: Callable[[Sequence[str]], bool] | None, shared: dict[tuple, list[Span]],
              hits: list[Hit], referred: Callable[[int], Callable[[str], set[str]]] | None) -> None:
        needs_lead = self.needs_lead
        for k, rule_ids in candidates:
            u = units[k]
            i = owner[k] if owner is not None else k  # the sentence this piece belongs to
            todo = [r for r in rule_ids if wanted(r) and (u.lead or r not in needs_lead)]
            if not todo:
                continue
            spans: dict[str, Span] = {}
            if u.clause:
                spans["clause"] = u.clause
            if u.section:
                spans["section"] = u.section
            if u.lead:
                spans["lead"] = u.lead
            if u.before:
                spans["before"] = u.before
            ctx = Context(
                sentence=text[u.nstart:u.nend],
                doc=text if spans else None,
                lang=self.lang,
                shared=shared,
                spans=spans,
                referred=referred(i) if referred is not None else None,
            )
            for r in todo:
                cr = self.rules[r]
                if admits is not None and gated[r] and not admits(i, cr.rule.concepts):
                    continue
                ev = cr.evaluate(ctx)
                if ev is None:
                    continue
                if unit_sized is not None and gated[r]:
                    narrowed = self._narrow(cr, ctx, norm, u, i)
                    if narrowed:
                        hits.extend(narrowed)
                        continue
                where = tuple(norm.to_original(u.nstart + s, u.nstart + e) for s, e in ev)
                hits.append(Hit(cr.rule, i, where))

    def _narrow(self, cr: CompiledRule, ctx: Context, norm: Normalized, u: SentenceSpan, i: int) -> list[Hit]:
        parts = _units(ctx.sentence)
        if len(parts) < 2:
            return []
        out: list[Hit] = []
        for a, b in parts:
            sub = Context(sentence=ctx.sentence[a:b], clause=ctx.clause, section=ctx.section, lead=ctx.lead,
                          before=ctx.before, doc=ctx.doc, lang=self.lang, shared=ctx.shared, spans=ctx.spans,
                          referred=ctx.referred)
            ev = cr.evaluate(sub)
            if ev is None:
                continue
            spans = tuple(norm.to_original(u.nstart + a + x, u.nstart + a + y) for x, y in ev)
            out.append(Hit(cr.rule, i, spans, norm.to_original(u.nstart + a, u.nstart + b)))
        return out
