"""Loading the catalog: YAML rule files beside the engine, term lists expanded, every rule validated.

Errors name the file and the line (``CatalogError``, exit code 3).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from tosscan.catalog.schema import KINDS, Rule
from tosscan.errors import CatalogError

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
    """The catalog shipped with tosscan (``rules/`` in a checkout, the package ``tosscan.rules`` when installed)."""
    try:
        p = Path(str(resources.files("tosscan.rules")))
        if p.is_dir():
            return p
    except (ModuleNotFoundError, TypeError):
        pass
    return Path(__file__).resolve().parents[2] / "rules"


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
