"""Loading the catalog: YAML rule files beside the engine, term lists expanded, every rule validated.

Term lists: the ``lists:`` of a folder's ``_lists.yaml`` are shared by every file of that folder; the
``lists:`` of any other file are local to it. A name is defined once in a file's scope (its own lists
and the shared ones): a second definition is an error naming both. ``"@name"`` in a term list expands to
the list's terms; ``{@name}`` in a ``regex:`` expands to ``(?:t1|t2|…)``, the terms ``re.escape``d and
longest first. Lists no rule uses are collected in ``Catalog.unused_lists`` (``rules validate`` fails).

Frames (``frames:`` of any file, see ``tosscan.catalog.schema``) are named once per language and use the
lists of the file they are written in; a rule of any file of that language names one with ``frame: id``.
An unknown frame, a frame named twice, frames naming each other in a circle, and a frame no rule names
are errors (the last, like an unused list, only for ``rules validate``).

Errors name the file and the line (``CatalogError``, exit code 3).
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from tosscan.catalog.regex_risk import bounded, risk
from tosscan.catalog.schema import KINDS, MAX_REGEX, MAX_REGEX_EXPANDED, Frame, Rule, frame_ref_nodes, rule_frame_refs
from tosscan.errors import CatalogError, shown

_SCALARS = yaml.SafeLoader("")
# A catalog given with --rules is untrusted input: bounded in size, depth and alias expansion.
MAX_FILE_BYTES = 2_000_000
MAX_CATALOG_BYTES = 20_000_000
MAX_DEPTH = 60  # nesting of mappings and lists (a matcher nested 3,000 deep is an error, not a crash)
MAX_NODES = 500_000  # nodes after alias expansion, per file ("billion laughs")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: many times faster


class _Budget:
    def __init__(self, path: Path):
        self.path = path
        self.nodes = 0


def _compose(node: yaml.Node, path: tuple, lines: dict[tuple, int], dups: list[tuple[tuple, int, int]],
             budget: _Budget) -> Any:
    """Build Python data from a YAML node, recording the line of every key and item by its path, and
    every key a mapping repeats (path, first line, second line): YAML would keep only the last."""
    budget.nodes += 1
    if budget.nodes > MAX_NODES:
        raise CatalogError(f"{budget.path}:{node.start_mark.line + 1}: too large once its aliases are expanded "
                           f"(over {MAX_NODES:,} nodes)")
    if len(path) > MAX_DEPTH:
        raise CatalogError(f"{budget.path}:{node.start_mark.line + 1}: nested more than {MAX_DEPTH} levels deep")
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out = {}
        for k, v in node.value:
            if not isinstance(k, yaml.ScalarNode):
                raise CatalogError(f"{budget.path}:{k.start_mark.line + 1}: a key must be a plain value")
            key = _SCALARS.construct_object(k)
            line = k.start_mark.line + 1
            if key in out:
                dups.append(((*path, key), lines[(*path, key)], line))
            lines[(*path, key)] = line
            out[key] = _compose(v, (*path, key), lines, dups, budget)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_compose(v, (*path, i), lines, dups, budget) for i, v in enumerate(node.value)]
    return _SCALARS.construct_object(node)


def _read_rule_file(path: Path) -> bytes:
    """The bytes of one rule file: a regular file within the size limit (a FIFO or /dev/zero named
    x.yaml is refused, never read)."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            raise CatalogError(f"{shown(path)}:1: not a regular file")
        if st.st_size > MAX_FILE_BYTES:
            raise CatalogError(f"{shown(path)}:1: too large ({st.st_size:,} bytes; limit {MAX_FILE_BYTES:,})")
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as e:
        raise CatalogError(f"{shown(path)}:1: cannot read ({e.strerror})") from None
    if len(data) > MAX_FILE_BYTES:
        raise CatalogError(f"{shown(path)}:1: too large (limit {MAX_FILE_BYTES:,} bytes)")
    return data


def _load_yaml(path: Path, raw: bytes | None = None) -> tuple[Any, dict[tuple, int]]:
    raw = _read_rule_file(path) if raw is None else raw
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[:e.start].count(b"\n") + 1
        raise CatalogError(f"{shown(path)}:{line}: not UTF-8 text") from None
    if "\x00" in text:
        raise CatalogError(f"{shown(path)}:1: binary data, not a YAML rule file")
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except RecursionError:
        raise CatalogError(f"{shown(path)}:1: nested too deeply") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise CatalogError(f"{where}: invalid YAML: {getattr(e, 'problem', e)}") from None
    lines: dict[tuple, int] = {}
    if node is None:
        return {}, lines
    dups: list[tuple[tuple, int, int]] = []
    try:
        data = _compose(node, (), lines, dups, _Budget(path))
    except RecursionError:
        raise CatalogError(f"{shown(path)}:1: nested too deeply") from None
    except yaml.YAMLError as e:  # a tag the safe loader does not know (!!python/name:…): never constructed
        mark = getattr(e, "problem_mark", None)
        problem = " ".join(str(getattr(e, "problem", None) or e).split())
        raise CatalogError(f"{shown(path)}:{mark.line + 1 if mark else 1}: invalid YAML: {problem}") from None
    for key_path, first, second in dups:
        if len(key_path) == 2 and key_path[0] == "lists":
            raise CatalogError(f"{path}:{second}: term list {key_path[1]!r} defined twice "
                               f"({path}:{first} and {path}:{second})")
        raise CatalogError(f"{path}:{second}: duplicate key {key_path[-1]!r} (first at line {first})")
    return data, lines


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


SHARED = "_lists.yaml"  # the folder's shared lists
LIST_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
LIST_IN_REGEX = re.compile(r"(?<!\\)\{@([A-Za-z_][A-Za-z0-9_]*)\}")  # {@name}; \{@name} stays literal
TERM_KEYS = ("any", "except", "cues", "stop", "triggers")  # the keys whose value is a list of terms


@dataclass(eq=False)
class TermList:
    """One ``lists:`` entry: where it is defined, its terms as written and (once resolved) expanded."""

    name: str
    raw: list[str]
    file: Path
    line: int
    shared: bool
    terms: list[str] = field(default_factory=list)
    used: bool = False

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


def _resolve(tl: TermList, scope: dict[str, TermList], stack: tuple[str, ...] = ()) -> list[str]:
    """A list's terms with the ``@lists`` it names expanded (each in the scope the list is defined in)."""
    if tl.terms:
        return tl.terms
    if tl.name in stack:
        raise CatalogError(f"{tl.where}: term list {tl.name!r} refers to itself "
                           f"({' -> '.join('@' + n for n in (*stack, tl.name))})")
    out: list[str] = []
    for t in tl.raw:
        if t.startswith("@"):
            if t[1:] not in scope:
                raise CatalogError(f"{tl.where}: term list {tl.name!r} names an unknown list {t!r}"
                                   + ("" if tl.shared else f" (not in {tl.file.name} nor in {SHARED})"))
            out.extend(_resolve(scope[t[1:]], scope, (*stack, tl.name)))
        else:
            out.append(t)
    tl.terms = list(dict.fromkeys(out))
    return tl.terms


def _use(tl: TermList, scope: dict[str, TermList]) -> None:
    """Mark a list used, and every list it names."""
    if tl.used:
        return
    tl.used = True
    for t in tl.raw:
        if t.startswith("@") and t[1:] in scope:
            _use(scope[t[1:]], scope)


def _lookup(name: str, scope: dict[str, TermList], where: str, written: str) -> TermList:
    if name not in scope:
        raise CatalogError(f"{where}: unknown term list {written!r} (a list is defined in this file's 'lists' "
                           f"or in {SHARED} of its folder)")
    tl = scope[name]
    _use(tl, scope)
    return tl


def regex_alternation(terms: list[str]) -> str:
    """``{@name}`` in a regex: a non-capturing group of the terms as literals, longest first (so that a
    term is never cut short by a shorter one it starts with)."""
    return "(?:" + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)) + ")"


def _expand_regex(pattern: str, scope: dict[str, TermList], where: str) -> str:
    if len(pattern) > MAX_REGEX:
        raise CatalogError(f"{where}: regex is {len(pattern)} characters long (at most {MAX_REGEX}); "
                           "name a term list with {@name} instead of writing its alternation out")

    def sub(m: re.Match[str]) -> str:
        tl = _lookup(m.group(1), scope, where, m.group(0))
        prefixes = [t for t in tl.terms if len(t) > 1 and t.endswith("*")]
        if prefixes:
            raise CatalogError(f"{where}: {m.group(0)}: term list {tl.name!r} ({tl.where}) has word-prefix "
                               f"terms ({prefixes[0]!r}), which a regex cannot take as literals")
        upper = [t for t in tl.terms if t != t.lower()]
        if upper:
            raise CatalogError(f"{where}: {m.group(0)}: term list {tl.name!r} ({tl.where}) has the upper-case term "
                               f"{upper[0]!r}; a regex sees lower-cased text")
        return regex_alternation(tl.terms)

    out = LIST_IN_REGEX.sub(sub, pattern)
    if len(out) > MAX_REGEX_EXPANDED:
        raise CatalogError(f"{where}: regex is {len(out)} characters long once its term lists are expanded "
                           f"(at most {MAX_REGEX_EXPANDED})")
    return out


def _expand_raw(node: Any, scope: dict[str, TermList], file: Path, lines: dict[tuple, int], path: tuple,
                risky: list) -> Any:
    """Expand ``@list`` references in every term list of a raw rule, and ``{@list}`` in every regex
    (before validation). ``path`` is the node's place in the file, for the line of an error. A regex that
    can backtrack catastrophically is marked to run under the time limit, and said in ``risky``."""
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k in TERM_KEYS and isinstance(v, list) and all(isinstance(t, str) for t in v):
                terms: list[str] = []
                for j, t in enumerate(v):
                    if t.startswith("@"):
                        where = f"{file}:{_line_of((*path, k, j), lines)}"
                        terms.extend(_lookup(t[1:], scope, where, t).terms)
                    else:
                        terms.append(t)
                out[k] = list(dict.fromkeys(terms))
            elif k == "regex" and isinstance(v, str):
                where = f"{file}:{_line_of((*path, k), lines)}"
                out[k] = _expand_regex(v, scope, where)
                if risk(out[k]):
                    risky.append((where, v, risk(out[k])))
                    out[k] = bounded(out[k])
            elif k in ("title", "explanation", "examples", "references", "description"):
                out[k] = v
            else:
                out[k] = _expand_raw(v, scope, file, lines, (*path, k), risky)
        return out
    if isinstance(node, list):
        return [_expand_raw(v, scope, file, lines, (*path, i), risky) for i, v in enumerate(node)]
    return node


def _read_lists(p: Path, data: dict, lines: dict[tuple, int]) -> dict[str, TermList]:
    raw = data.get("lists") or {}
    if not isinstance(raw, dict):
        raise CatalogError(f"{p}:{lines.get(('lists',), 1)}: 'lists' must be a mapping of names to term lists")
    out: dict[str, TermList] = {}
    for name, terms in raw.items():
        line = lines.get(("lists", name), 1)
        if not isinstance(name, str) or not LIST_NAME.match(name):
            raise CatalogError(f"{p}:{line}: term list name {name!r}: use letters, digits and '_'")
        if not isinstance(terms, list) or not terms or not all(isinstance(t, str) and t for t in terms):
            raise CatalogError(f"{p}:{line}: list {name!r} must be a non-empty list of terms"
                               " (quote yes/no/on/off/numbers: YAML reads them as booleans and numbers)")
        out[name] = TermList(name, terms, p, line, shared=p.name == SHARED)
    return out


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

    def __init__(self, rules: list[Rule], files: dict[str, bytes], unused_lists: list[str] | None = None,
                 risky: list[str] | None = None, frames: list[Frame] | None = None):
        self.rules = rules
        self.frames = frames or []
        self.risky = risky or []  # "file:line: rule id: regex …: why", for `rules validate` (see regex_risk)
        self._files = files
        self.by_id = {r.id: r for r in rules}
        self.unused_lists = unused_lists or []  # "file:line: term list 'x' …", for `rules validate`

    @cached_property
    def sha256(self) -> str:
        h = hashlib.sha256()
        for name in sorted(self._files):
            h.update(name.encode() + b"\0" + self._files[name] + b"\0")
        return h.hexdigest()

    def for_lang(self, lang: str) -> list[Rule]:
        return [r for r in self.rules if r.lang == lang]

    def frames_for(self, lang: str) -> list[Frame]:
        return [f for f in self.frames if f.lang == lang]

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
    parsed: list[tuple[Path, Any, dict]] = []
    total = 0
    for p in files:
        raw = _read_rule_file(p)
        total += len(raw)
        if total > MAX_CATALOG_BYTES:
            raise CatalogError(f"{shown(root)}: the catalog is too large (over {MAX_CATALOG_BYTES:,} bytes)")
        raw_files[str(p.relative_to(root))] = raw
        data, lines = _load_yaml(p, raw)
        if data is None or data == {}:
            continue
        if not isinstance(data, dict):
            raise CatalogError(f"{p}:1: a rule file is a mapping with 'lists' and/or 'rules'")
        unknown = set(data) - {"lists", "frames", "rules"}
        if unknown:
            key = sorted(unknown)[0]
            raise CatalogError(f"{p}:{lines.get((key,), 1)}: unknown key {key!r} "
                               "(a rule file has 'lists', 'frames' and 'rules')")
        parsed.append((p, data, lines))
    # the shared lists of each folder first, then each file's own lists in its scope
    shared: dict[Path, dict[str, TermList]] = {}
    for p, data, lines in parsed:
        if p.name == SHARED:
            shared[p.parent] = _read_lists(p, data, lines)
            for tl in shared[p.parent].values():  # a shared list may name only shared lists
                _resolve(tl, shared[p.parent])
    scopes: dict[Path, dict[str, TermList]] = {}
    all_lists: list[TermList] = []
    for p, data, lines in parsed:
        common = shared.get(p.parent, {})
        own = common if p.name == SHARED else _read_lists(p, data, lines)
        for name, tl in own.items():
            if not tl.shared and name in common:
                raise CatalogError(f"{tl.where}: term list {name!r} defined twice ({common[name].where} and "
                                   f"{tl.where}): a file's own list may not reuse the name of a shared list")
        scopes[p] = {**common, **own}
        all_lists.extend(own.values())
        for tl in own.values():
            _resolve(tl, scopes[p])
    risky: list = []  # (where, regex as written, why), then the rule's (or frame's) id
    frames = _read_frames(parsed, scopes, risky)
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for where, rule in _read_models(parsed, scopes, "rules", Rule, risky, lambda r: r.id):
        if rule.id in seen:
            raise CatalogError(f"{where}: duplicate rule id {rule.id!r} (first in {seen[rule.id]})")
        seen[rule.id] = where
        rules.append(rule)
    if not rules:
        raise CatalogError(f"{shown(root)}: no rules (its rule files are empty or hold only lists)")
    unused = [f"{tl.where}: term list {tl.name!r} is not used by any rule of its "
              + ("folder" if tl.shared else "file") for tl in all_lists if not tl.used]
    unused += _check_frame_refs(frames, rules)
    return Catalog(rules, raw_files, unused, _risky_lines(risky), frames)


def _read_models(parsed: list[tuple[Path, Any, dict]], scopes: dict[Path, dict[str, TermList]], key: str,
                 model: type[Rule] | type[Frame], risky: list, name: Callable[[Any], str]) -> list[tuple[str, Any]]:
    """The ``rules:`` or ``frames:`` of every file, lists expanded and validated, each with its file:line;
    the risky regexes found in one are tagged with its ``name``."""
    out: list[tuple[str, Any]] = []
    for p, data, lines in parsed:
        raw_items = data.get(key) or []
        if not isinstance(raw_items, list):
            raise CatalogError(f"{p}:{lines.get((key,), 1)}: '{key}' must be a list")
        for i, raw in enumerate(raw_items):
            where = f"{p}:{lines.get((key, i), 1)}"
            n_risky = len(risky)
            expanded = _expand_raw(raw, scopes[p], p, lines, (key, i), risky)
            try:
                item = model.model_validate({**expanded, "source": where} if isinstance(expanded, dict)
                                            else expanded)
            except ValidationError as e:
                sub = {k[2:]: v for k, v in lines.items() if k[:2] == (key, i)}
                raise CatalogError(_format_error(p, e, {(): lines.get((key, i), 1), **sub})) from None
            risky[n_risky:] = [(*r, name(item)) for r in risky[n_risky:]]
            out.append((where, item))
    return out


def _read_frames(parsed: list[tuple[Path, Any, dict]], scopes: dict[Path, dict[str, TermList]],
                 risky: list) -> list[Frame]:
    frames: list[Frame] = []
    seen: dict[tuple[str, str], str] = {}
    for where, frame in _read_models(parsed, scopes, "frames", Frame, risky, lambda f: f"{f.lang}.frame.{f.id}"):
        key = (frame.lang, frame.id)
        if key in seen:
            raise CatalogError(f"{where}: frame {frame.id!r} ({frame.lang}) defined twice (first in {seen[key]})")
        seen[key] = where
        frames.append(frame)
    return frames


def _check_frame_refs(frames: list[Frame], rules: list[Rule]) -> list[str]:
    """Every ``frame:`` names a frame of its language, frames do not name each other in a circle; returns
    the frames no rule names (for ``rules validate``)."""
    by_key = {(f.lang, f.id): f for f in frames}
    for f in frames:
        for ref in sorted(f.refs()):
            if (f.lang, ref) not in by_key:
                raise CatalogError(f"{f.source}: frame {f.id!r} names an unknown frame {ref!r}")

    # a circle is one of (frame, shape) nodes: a shape may name its own frame when it names other shapes of it
    # ("a follow-up of a grant stated in the sentence before": shape follow_up names grant's other shapes)
    def edges(f: Frame, shape: str | None) -> list[tuple[Frame, str | None]]:
        parts = [m for s in f.shapes if s.name == shape for m in (s.match, *s.unless)] if shape is not None \
            else list(f.unless)
        out: list[tuple[Frame, str | None]] = []
        for node in (x for m in parts for x in frame_ref_nodes(m)):
            g = by_key[(f.lang, node.frame)]
            names = node.shapes or [s.name for s in g.shapes]
            bad = [n for n in names if n not in {s.name for s in g.shapes}]
            if bad:
                raise CatalogError(f"{f.source}: frame {f.id!r} names shape {bad[0]!r} of frame {g.id!r}")
            out.extend([(g, None), *((g, n) for n in names)])
        return out

    def visit(f: Frame, shape: str | None, stack: tuple[str, ...]) -> None:
        here = f"{f.id}.{shape}" if shape else f.id
        if here in stack:
            raise CatalogError(f"{f.source}: frames name each other in a circle ({' -> '.join((*stack, here))})")
        for g, n in edges(f, shape):
            visit(g, n, (*stack, here))

    for f in frames:
        for shape in [None, *(s.name for s in f.shapes)]:
            visit(f, shape, ())
    used: set[tuple[str, str]] = set()
    for r in rules:
        for node in rule_frame_refs(r):
            ref = node.frame
            if (r.lang, ref) not in by_key:
                known = ", ".join(sorted(f.id for f in frames if f.lang == r.lang)) or "none"
                raise CatalogError(f"{r.source}: rule {r.id!r} names an unknown frame {ref!r} "
                                   f"(frames of {r.lang}: {known})")
            shapes = {s.name for s in by_key[(r.lang, ref)].shapes}
            bad = [s for s in node.shapes if s not in shapes]
            if bad:
                raise CatalogError(f"{r.source}: rule {r.id!r} names shape {bad[0]!r} of frame {ref!r}, which has "
                                   f"only {', '.join(sorted(shapes))}")
            used.add((r.lang, ref))
    todo = list(used)
    while todo:  # a frame named by a used frame is used
        lang, fid = todo.pop()
        for ref in by_key[(lang, fid)].refs():
            if (lang, ref) not in used:
                used.add((lang, ref))
                todo.append((lang, ref))
    return [f"{f.source}: frame {f.id!r} is not named by any rule" for f in frames if (f.lang, f.id) not in used]


def _risky_lines(risky: list) -> list[str]:
    """One line per risky regex as written (a pattern shared by many rules is said once)."""
    by_regex: dict[str, list] = {}
    for r in risky:
        by_regex.setdefault(r[1], []).append(r)
    out = []
    for regex, uses in by_regex.items():
        where, _, why, rule_id = uses[0]
        more = f" and {len(uses) - 1} more" if len(uses) > 1 else ""
        out.append(f"{where}: rule {rule_id}{more}: regex {shown(regex[:60])!r}{'…' if len(regex) > 60 else ''}: "
                   f"{why}; it runs only under the time limit")
    return out
