"""The rule catalog: YAML files beside the engine, validated by pydantic models.

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

Terms written ``@name`` expand to the named list of the language's ``_lists.yaml``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, ValidationError, field_validator

from tosscan.errors import CatalogError

Lang = Literal["zh", "en"]
Scope = Literal["sentence", "clause", "section"]
Unit = Literal["chars", "tokens"]
SEVERITIES = ("info", "low", "medium", "high")
Severity = Literal["info", "low", "medium", "high"]
RULE_ID = re.compile(r"^[a-z]{2}\.[a-z_]+(\.[a-z0-9_]+)+$")
MAX_REGEX = 1000


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Guard(Strict):
    """A negation guard: an occurrence preceded by one of ``cues`` within ``within`` units is void."""

    cues: list[str] = Field(min_length=1)
    within: int = Field(10, ge=1, le=60)
    unit: Unit = "chars"
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
    unit: Unit = "chars"
    stop: list[str] = Field(default_factory=list)  # the two parts may not have these between them


class Seq(Strict):
    seq: list[Matcher] = Field(min_length=2)
    gap: int = Field(30, ge=0, le=200)
    unit: Unit = "chars"
    stop: list[str] = Field(default_factory=list)


class Not(Strict):
    not_: Matcher = Field(alias="not")
    scope: Scope = "sentence"


class Regex(Strict):
    regex: str = Field(max_length=MAX_REGEX)
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


KINDS = ("any", "all", "either", "near", "seq", "not", "regex")


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
    | Annotated[Regex, Tag("regex")],
    Discriminator(_kind, custom_error_type="matcher_kind",
                  custom_error_message="a matcher needs exactly one of: " + ", ".join(KINDS)),
]
MODELS: dict[str, type[Strict]] = {"any": AnyOf, "all": AllOf, "either": Either, "near": Near, "seq": Seq,
                                   "not": Not, "regex": Regex}
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


class RuleFile(Strict):
    lists: dict[str, list[str]] = Field(default_factory=dict)
    rules: list[Rule] = Field(default_factory=list)


# --------------------------------------------------------------------------- loading


_SCALARS = yaml.SafeLoader("")


def _compose(node: yaml.Node, path: tuple, lines: dict[tuple, int]) -> Any:
    """Build Python data from a YAML node, recording the line of every key and item by its path."""
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out = {}
        for k, v in node.value:
            key = _SCALARS.construct_object(k)
            lines[(*path, key)] = k.start_mark.line + 1
            out[key] = _compose(v, (*path, key), lines)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_compose(v, (*path, i), lines) for i, v in enumerate(node.value)]
    return _SCALARS.construct_object(node)


def _load_yaml(path: Path) -> tuple[Any, dict[tuple, int]]:
    text = path.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise CatalogError(f"{where}: invalid YAML: {getattr(e, 'problem', e)}") from None
    lines: dict[tuple, int] = {}
    if node is None:
        return {}, lines
    return _compose(node, (), lines), lines


def _line_of(loc: tuple, lines: dict[tuple, int]) -> int:
    for n in range(len(loc), -1, -1):
        if loc[:n] in lines:
            return lines[loc[:n]]
    return 1


def _at_matcher(path: list) -> bool:
    """Is this YAML path a place where a matcher stands (so pydantic's next loc step is the union tag)?"""
    if path and path[-1] in ("match", "not"):
        return True
    return len(path) >= 2 and isinstance(path[-1], int) and path[-2] in ("unless", "all", "either", "near", "seq")


def _format_error(path: Path, err: ValidationError, lines: dict[tuple, int]) -> str:
    first = err.errors()[0]
    real: list = []
    loc = list(first["loc"])
    while loc:
        x = loc.pop(0)
        real.append(x)
        if _at_matcher(real) and loc and loc[0] in KINDS:
            loc.pop(0)  # the tag pydantic adds for the tagged union of matchers
    where = ".".join(str(x) for x in real)
    msg = first["msg"]
    if first["type"] == "extra_forbidden":
        msg = f"unknown key {real[-1]!r}"
    return f"{path}:{_line_of(tuple(real), lines)}: {where}: {msg}"


def _expand(terms: list[str], lists: dict[str, list[str]], where: str) -> list[str]:
    out: list[str] = []
    for t in terms:
        if t.startswith("@"):
            if t[1:] not in lists:
                raise CatalogError(f"{where}: unknown term list {t!r}")
            out.extend(lists[t[1:]])
        else:
            out.append(t)
    return list(dict.fromkeys(out))


def _expand_nested(name: str, lists: dict[str, list[str]], seen: set[str]) -> list[str]:
    if name in seen:
        raise CatalogError(f"term list {name!r} refers to itself")
    out: list[str] = []
    for t in lists[name]:
        if t.startswith("@"):
            if t[1:] not in lists:
                raise CatalogError(f"term list {name!r} names an unknown list {t!r}")
            out.extend(_expand_nested(t[1:], lists, seen | {name}))
        else:
            out.append(t)
    return out


def _expand_raw(node: Any, lists: dict[str, list[str]], where: str) -> Any:
    """Expand ``@list`` references inside every term list of a raw rule (before validation)."""
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k in ("any", "except", "cues", "stop", "triggers") and isinstance(v, list) and \
                    all(isinstance(t, str) for t in v):
                out[k] = _expand(v, lists, where)
            elif k in ("title", "explanation", "examples", "references"):
                out[k] = v
            else:
                out[k] = _expand_raw(v, lists, where)
        return out
    if isinstance(node, list):
        return [_expand_raw(v, lists, where) for v in node]
    return node


def default_rules_dir() -> Path:
    """The catalog shipped with tosscan (``rules/`` in a checkout, ``tosscan/catalog`` when installed)."""
    try:
        p = Path(str(resources.files("tosscan.catalog")))
        if p.is_dir():
            return p
    except (ModuleNotFoundError, TypeError):
        pass
    return Path(__file__).resolve().parents[1] / "rules"


class Catalog:
    """All rules of a directory tree of YAML files, validated and ready for the engine."""

    def __init__(self, rules: list[Rule], files: dict[str, bytes]):
        self.rules = rules
        self._files = files
        self.by_id = {r.id: r for r in rules}

    @cached_property
    def sha256(self) -> str:
        h = hashlib.sha256()
        for name in sorted(self._files):
            h.update(name.encode() + b"\0" + self._files[name] + b"\0")
        return h.hexdigest()

    def for_lang(self, lang: str) -> list[Rule]:
        return [r for r in self.rules if r.lang == lang]

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)


def load_catalog(root: str | Path | None = None) -> Catalog:
    root = Path(root) if root is not None else default_rules_dir()
    if not root.is_dir():
        raise CatalogError(f"{root}: rules directory not found")
    files = sorted(p for p in root.rglob("*.y*ml") if p.suffix in (".yaml", ".yml"))
    if not files:
        raise CatalogError(f"{root}: no rule files (*.yaml)")
    raw_files: dict[str, bytes] = {}
    lists: dict[str, dict[str, list[str]]] = {}  # per directory
    parsed: list[tuple[Path, Any, dict]] = []
    for p in files:
        raw_files[str(p.relative_to(root))] = p.read_bytes()
        data, lines = _load_yaml(p)
        if data is None or data == {}:
            continue
        if not isinstance(data, dict):
            raise CatalogError(f"{p}:1: a rule file is a mapping with 'lists' and/or 'rules'")
        parsed.append((p, data, lines))
        for name, terms in (data.get("lists") or {}).items():
            if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
                raise CatalogError(f"{p}:{lines.get(('lists', name), 1)}: list {name!r} must be a list of terms"
                                   " (quote yes/no/on/off/numbers: YAML reads them as booleans and numbers)")
            lists.setdefault(str(p.parent), {})[name] = terms
    for scope_lists in lists.values():  # a list may name other lists: "@a" inside list b
        for name in list(scope_lists):
            scope_lists[name] = _expand_nested(name, scope_lists, set())
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for p, data, lines in parsed:
        scope_lists = lists.get(str(p.parent), {})
        raw_rules = data.get("rules") or []
        if not isinstance(raw_rules, list):
            raise CatalogError(f"{p}:{lines.get(('rules',), 1)}: 'rules' must be a list")
        unknown = set(data) - {"lists", "rules"}
        if unknown:
            key = sorted(unknown)[0]
            raise CatalogError(f"{p}:{lines.get((key,), 1)}: unknown key {key!r} (a rule file has 'lists' and 'rules')")
        for i, raw in enumerate(raw_rules):
            where = f"{p}:{lines.get(('rules', i), 1)}"
            expanded = _expand_raw(raw, scope_lists, where)
            try:
                rule = Rule.model_validate({**expanded, "source": where} if isinstance(expanded, dict)
                                           else expanded)
            except ValidationError as e:
                sub = {k[2:]: v for k, v in lines.items() if k[:2] == ("rules", i)}
                raise CatalogError(_format_error(p, e, {(): lines.get(("rules", i), 1), **sub})) from None
            if rule.id in seen:
                raise CatalogError(f"{where}: duplicate rule id {rule.id!r} (first in {seen[rule.id]})")
            seen[rule.id] = where
            rules.append(rule)
    return Catalog(rules, raw_files)


def load_concepts(path: str | Path | None = None) -> dict[str, dict]:
    """The concept vocabulary (``concepts.yaml``): id → {zh, en, means …}."""
    p = Path(path) if path else concepts_path()
    data = yaml.safe_load(p.read_text(encoding="utf-8"))
    return dict(data["concepts"])


def concepts_path() -> Path:
    return Path(str(resources.files("tosscan") / "data" / "concepts.yaml"))
