"""The package's shape: no import cycles, and no arrow running back up the pipeline.

The import graph is read from the source (every ``import``/``from … import`` of a tosscan module,
function-level ones included). ``if TYPE_CHECKING:`` imports are no arrows at run time, so the cycle check
leaves them out; but they are arrows for a type checker and for a reader, so the layering holds for them
too: a renderer names the models it renders from a layer below it (``tosscan.results``), never from the
commands above it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "tosscan"

# Lower layers never import higher ones. Within a layer, modules may import each other (acyclically).
LAYERS: list[tuple[str, ...]] = [
    ("tosscan", "tosscan.errors", "tosscan.models"),
    ("tosscan.catalog",),
    ("tosscan.ingest", "tosscan.markdown", "tosscan.normalize", "tosscan.structure", "tosscan.segment",
     "tosscan.output"),
    ("tosscan.reading",),
    ("tosscan.match",),
    ("tosscan.assess",),
    ("tosscan.score",),
    ("tosscan.pipeline",),
    ("tosscan.results",),
    ("tosscan.render",),
    ("tosscan.api", "tosscan.dev", "tosscan.diff", "tosscan.compare", "tosscan.batch"),
    ("tosscan.cli", "tosscan.serve"),
    ("tosscan.__main__",),
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PKG.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in PKG.rglob("*.py")}


def _type_checking(node: ast.If) -> bool:
    t = node.test
    return (isinstance(t, ast.Name) and t.id == "TYPE_CHECKING") or (
        isinstance(t, ast.Attribute) and t.attr == "TYPE_CHECKING")


def imports_of(path: Path, typing: bool = False) -> set[str]:
    """The tosscan modules ``path`` imports; ``typing`` adds those imported under ``if TYPE_CHECKING:``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if not typing and isinstance(node, ast.If) and _type_checking(node):
            skip.update(id(n) for b in node.body for n in ast.walk(b))
    out: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # "from tosscan.render import json" imports the submodule tosscan.render.json
            names = [f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in MODULES else node.module
                     for a in node.names]
        else:
            continue
        out.update(n for n in names if n == "tosscan" or n.startswith("tosscan."))
    return {n for n in out if n in MODULES}


GRAPH = {m: imports_of(p) - {m} for m, p in MODULES.items()}  # what runs
TYPED = {m: imports_of(p, typing=True) - {m} for m, p in MODULES.items()}  # what a type checker follows


def layer_of(module: str) -> int:
    for i, group in enumerate(LAYERS):
        if any(module == g or (g != "tosscan" and module.startswith(g + ".")) for g in group):
            return i
    return -1


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    WHITE, GREY, BLACK = 0, 1, 2
    colour = dict.fromkeys(graph, WHITE)
    stack: list[str] = []

    def visit(n: str) -> list[str] | None:
        colour[n] = GREY
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if colour.get(m) == GREY:
                return [*stack[stack.index(m):], m]
            if colour.get(m) == WHITE:
                found = visit(m)
                if found:
                    return found
        stack.pop()
        colour[n] = BLACK
        return None

    for n in sorted(graph):
        if colour[n] == WHITE:
            found = visit(n)
            if found:
                return found
    return None


def test_the_graph_is_read():
    assert len(MODULES) > 20
    assert "tosscan.pipeline" in GRAPH["tosscan.cli"] or "tosscan.api" in GRAPH["tosscan.cli"]
    assert "tosscan.render.view" in GRAPH["tosscan.render.html"]
    assert "tosscan.catalog.schema" in GRAPH["tosscan.match"]
    # a TYPE_CHECKING import is in the typed graph only
    assert "tosscan.pipeline" in TYPED["tosscan.render.json"] and "tosscan.pipeline" not in GRAPH["tosscan.render.json"]


def test_no_import_cycles():
    cycle = find_cycle(GRAPH)
    assert cycle is None, " → ".join(cycle or [])
    cycle = find_cycle(TYPED)  # not even through type-only imports
    assert cycle is None, " → ".join(cycle or [])


def test_the_cycle_finder_finds_cycles():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_every_module_has_a_layer():
    assert [m for m in MODULES if layer_of(m) < 0] == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_arrow_runs_back_up(module):
    up = [m for m in TYPED[module] if layer_of(m) > layer_of(module)]
    assert up == [], f"{module} (layer {layer_of(module)}) imports higher layers (TYPE_CHECKING included): {up}"


def test_type_only_imports_are_read(tmp_path):
    p = tmp_path / "m.py"
    p.write_text("from typing import TYPE_CHECKING\nimport typing\nif TYPE_CHECKING:\n"
                 "    from tosscan.compare import Matrix\nif typing.TYPE_CHECKING:\n    import tosscan.cli\n")
    assert imports_of(p) == set()
    assert imports_of(p, typing=True) == {"tosscan.compare", "tosscan.cli"}


def test_cli_is_the_only_module_that_knows_typer():
    users = [m for m, p in MODULES.items() if "import typer" in p.read_text(encoding="utf-8")]
    assert users == ["tosscan.cli"]


def test_every_package_is_installed():
    """A package missing from pyproject's list works in a checkout and fails once installed (CI installs)."""
    import tomllib

    root = Path(__file__).resolve().parents[1]
    listed = set(tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(root).parts) for p in (root / "tosscan").rglob("__init__.py")}
    assert found - listed == set()
