"""The catalog's schema: a rule and the small closed set of matchers, each a pydantic model.

A rule says which sentences to flag (``match``), what cancels it (``unless``), which concepts of
``concepts.yaml`` a finding is about, and carries its own ``examples`` (texts it must flag and texts
it must pass). Matching primitives form a small closed set, each a model with ``extra="forbid"``:

    any   — any of these terms (with ``except`` phrases it must not sit inside, and an optional
            ``negated_by`` guard: a negation cue shortly before the term cancels that occurrence;
            ``lemma: true`` matches English terms by lemma, ``whole_tokens: true`` on token boundaries)
    all   — every sub-matcher matches within the scope (sentence, clause or section)
    either — at least one sub-matcher matches
    near  — two or more sub-matchers within a window of characters or tokens
    seq   — sub-matchers in this order, each within ``gap`` of the previous one
    not   — the sub-matcher does not match within the scope
    regex — a regular expression (run with a time limit), with literal ``triggers`` for the prefilter
    frame — a named frame of the catalog (``frame: grant``): a domain statement written once per language
    refers — the clauses the sentence names by number (or the sentences just before it) hold a finding
             about these concepts

A **frame** says who does what to whom, once: "the user grants the platform (or others) rights over the
user's own content" is the frame ``grant``. It has one or more ``shapes`` (the ways a sentence states it:
a grant verb by the user, "the platform may use your content", an item under a granting lead-in …), each
a matcher with its own ``unless``, hard negatives shared by every shape (a licence TO the user, a
restriction, a promise, a warranty), and its own ``examples``. A rule about one term of the statement
names the frame and adds its own words: ``all: [{any: [不可撤销]}, {frame: grant}]``. The engine decides a
frame once per sentence, however many rules name it.

Terms written ``@name`` expand to the named term list: the file's own ``lists:`` or its folder's
``_lists.yaml``; in a regex, ``{@name}`` expands to a non-capturing group of the list's terms as literals
(see ``tosscan.catalog.loader``).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator

Lang = Literal["zh", "en"]
# where a part of an `all` (after the first) or a `not` looks: the sentence, its clause, its section (the
# outermost clause), or the lead-in of the list the sentence is an item of ("您授予我们以下权利：" above
# "（1）在平台展示、复制…", "You agree not to:" above "(b) train AI …"; empty when it is not an item), or the
# sentences just before it in its section (``before``: up to two, what a follow-up such as "You can turn that
# off at any time." or "This licence is also transferable." refers back to; empty for a section's first)
Scope = Literal["sentence", "clause", "section", "lead", "before"]
DistanceUnit = Literal["chars", "tokens"]
SEVERITIES = ("info", "low", "medium", "high")
Severity = Literal["info", "low", "medium", "high"]
RULE_ID = re.compile(r"^[a-z]{2}\.[a-z_]+(\.[a-z0-9_]+)+$")
MAX_REGEX = 1000  # a regex as written
# … and once its {@lists} are expanded: room for the longest list of the catalog (en lic_dir, ~1,500
# characters escaped) inside a long pattern, small enough to catch a list put in a regex by mistake. A
# 4,000-character alternation compiles in tens of milliseconds, once per catalog load.
MAX_REGEX_EXPANDED = 4000


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Guard(Strict):
    """A negation guard: an occurrence preceded by one of ``cues`` within ``within`` units is void."""

    cues: list[str] = Field(min_length=1)
    within: int = Field(10, ge=1, le=60)
    unit: DistanceUnit = "chars"
    stop: list[str] = Field(default_factory=list)  # punctuation the look-back must not cross
    except_: list[str] = Field(default_factory=list, alias="except")  # a cue inside these is no cue (未经通知)


class AnyOf(Strict):
    any: list[str] = Field(min_length=1)
    except_: list[str] = Field(default_factory=list, alias="except")
    negated_by: Guard | None = None
    whole_tokens: bool = False  # occurrences must start and end on jieba token boundaries
    lemma: bool = False  # English: match the terms' lemmas against the sentence's ("suspended accounts")


class AllOf(Strict):
    all: list[Matcher] = Field(min_length=2)
    scope: Scope = "sentence"


class Either(Strict):
    either: list[Matcher] = Field(min_length=2)


class Near(Strict):
    near: list[Matcher] = Field(min_length=2)
    window: int = Field(ge=0, le=200)
    unit: DistanceUnit = "chars"
    stop: list[str] = Field(default_factory=list)  # the two parts may not have these between them


class Seq(Strict):
    seq: list[Matcher] = Field(min_length=2)
    gap: int = Field(30, ge=0, le=200)
    unit: DistanceUnit = "chars"
    stop: list[str] = Field(default_factory=list)


class Not(Strict):
    not_: Matcher = Field(alias="not")
    scope: Scope = "sentence"


class Regex(Strict):
    regex: str = Field(max_length=MAX_REGEX_EXPANDED)  # the loader checks MAX_REGEX before expanding
    triggers: list[str] = Field(default_factory=list)

    @field_validator("regex")
    @classmethod
    def _compiles(cls, v: str) -> str:
        import regex

        try:
            regex.compile(v)
        except regex.error as e:
            raise ValueError(f"invalid regular expression: {e}") from None
        return v


class Refers(Strict):
    """The sentence refers to other sentences and one of them holds a finding about these concepts ("license."
    for any licence concept). ``to: named`` (the default): the clauses the sentence names by number
    ("Sections 3.1, 10 and 14 survive termination", "第三条第（三）项至第（六）项…继续有效"); ``to: before``: the
    sentences just before it (the ``before`` scope: "We use your prompts to improve the Generator. You can
    switch that off at any time."). Decided after every rule without ``refers`` has run."""

    refers: list[str] = Field(min_length=1)
    to: Literal["named", "before"] = "named"


class FrameRef(Strict):
    frame: str = Field(pattern=r"^[a-z][a-z0-9_]*$")  # the id of a frame of the rule's language
    shapes: list[str] = Field(default_factory=list)  # only these shapes of it (default: every shape)


KINDS = ("any", "all", "either", "near", "seq", "not", "regex", "frame", "refers")


def _kind(v: Any) -> str | None:
    if isinstance(v, dict):
        found = [k for k in KINDS if k in v]
        return found[0] if len(found) == 1 else None
    return next((k for k, cls in MODELS.items() if isinstance(v, cls)), None)


Matcher = Annotated[
    Annotated[AnyOf, Tag("any")]
    | Annotated[AllOf, Tag("all")]
    | Annotated[Either, Tag("either")]
    | Annotated[Near, Tag("near")]
    | Annotated[Seq, Tag("seq")]
    | Annotated[Not, Tag("not")]
    | Annotated[Regex, Tag("regex")]
    | Annotated[FrameRef, Tag("frame")]
    | Annotated[Refers, Tag("refers")],
    Discriminator(_kind, custom_error_type="matcher_kind",
                  custom_error_message="a matcher needs exactly one of: " + ", ".join(KINDS)),
]
MODELS: dict[str, type[Strict]] = {"any": AnyOf, "all": AllOf, "either": Either, "near": Near, "seq": Seq,
                                   "not": Not, "regex": Regex, "frame": FrameRef,
                                   "refers": Refers}
for _m in (AllOf, Either, Near, Seq, Not):
    _m.model_rebuild()


class Bilingual(Strict):
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Examples(Strict):
    flag: list[str] = Field(min_length=1)
    pass_: list[str] = Field(min_length=1, alias="pass")


class Rule(Strict):
    id: str
    lang: Lang
    concepts: list[str] = Field(min_length=1)
    severity: Severity
    match: Matcher
    unless: list[Matcher] = Field(default_factory=list)
    title: Bilingual
    explanation: Bilingual
    references: list[str] = Field(default_factory=list)
    examples: Examples
    source: str = Field("", exclude=True)  # "rules/zh/license.yaml:12", filled in by the loader

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not RULE_ID.match(v):
            raise ValueError("rule id must look like 'zh.license.irrevocable' (lang.concept[.variant])")
        return v


class Shape(Strict):
    """One way a sentence states a frame, with the sentences that look like it and are not."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    match: Matcher
    unless: list[Matcher] = Field(default_factory=list)


class Frame(Strict):
    """A domain statement written once per language (see the module docstring)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    lang: Lang
    # what a sentence stating it is about: the engine's direction gate treats a probe of the frame (its
    # examples) as it treats a rule about these concepts
    concepts: list[str] = Field(min_length=1)
    description: str = Field(min_length=1)
    shapes: list[Shape] = Field(min_length=1)
    unless: list[Matcher] = Field(default_factory=list)
    examples: Examples
    source: str = Field("", exclude=True)

    def refs(self) -> set[str]:
        return {r for s in self.shapes for m in (s.match, *s.unless) for r in frame_refs(m)} | \
            {r for m in self.unless for r in frame_refs(m)}


def walk(m: object):
    """Every matcher inside ``m``, ``m`` included."""
    yield m
    subs: list = []
    if isinstance(m, AllOf):
        subs = m.all
    elif isinstance(m, Either):
        subs = m.either
    elif isinstance(m, Near):
        subs = m.near
    elif isinstance(m, Seq):
        subs = m.seq
    elif isinstance(m, Not):
        subs = [m.not_]
    for x in subs:
        yield from walk(x)


def uses_refers(rule: Rule) -> bool:
    return any(isinstance(x, Refers) for m in (rule.match, *rule.unless) for x in walk(m))


def frame_refs(m: object) -> set[str]:
    """The frames a matcher names, at any depth."""
    return {r.frame for r in frame_ref_nodes(m)}


def frame_ref_nodes(m: object) -> list[FrameRef]:
    return [x for x in walk(m) if isinstance(x, FrameRef)]


def rule_frame_refs(rule: Rule) -> list[FrameRef]:
    return [r for m in (rule.match, *rule.unless) for r in frame_ref_nodes(m)]


class RuleFile(Strict):
    lists: dict[str, list[str]] = Field(default_factory=dict)
    frames: list[Frame] = Field(default_factory=list)
    rules: list[Rule] = Field(default_factory=list)
