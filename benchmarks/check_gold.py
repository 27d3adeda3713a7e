#!/usr/bin/env python3
"""Validate the gold labels of held-out sets (one checker for every `benchmarks/heldout*` folder).

For each folder: the documents are UTF-8 without a byte-order mark, with LF line ends; every `gold.jsonl`
line is JSON with exactly the keys doc, concept, start, end, quote; doc is a document of the folder; concept
is an id of `../shared/concepts.yaml`; start and end are integers with quote == text[start:end] (code
points); the span is exactly one scoring unit of `../shared/tools/score.py` (`units()`, stripped of white
space); no (doc, concept, start, end) twice; every document has a label; and every unit carrying another
license.* concept carries license.grant too (GOLD.md).

usage: python3 benchmarks/check_gold.py [FOLDER ...]   (no folder: every held-out folder)
Exit status 0 when every check passes.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
NOT_DOCUMENTS = {"README.md", "gold.jsonl"}
KEYS = {"doc", "concept", "start", "end", "quote"}


def score_module():
    """The reference scorer ``../shared/tools/score.py``, loaded as a module (its ``units`` and ``claudette``)."""
    spec = importlib.util.spec_from_file_location("score", SHARED / "tools" / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _units():
    return score_module().units


def concept_ids() -> set[str]:
    text = (SHARED / "concepts.yaml").read_text(encoding="utf-8")
    return set(re.findall(r"^  ([a-z_]+\.[a-z_]+):\s*$", text, re.MULTILINE))


def check(folder: Path, concepts: set[str], units) -> list[str]:
    """The problems of one folder's gold.jsonl (empty when it is valid)."""
    docs = {p.name: p.read_bytes().decode("utf-8") for p in sorted(folder.iterdir())
            if p.is_file() and p.name not in NOT_DOCUMENTS and not p.name.startswith((".", "_"))}
    spans = {}
    for name, text in docs.items():
        spans[name] = {(a + len(text[a:b]) - len(text[a:b].lstrip()), b - (len(text[a:b]) - len(text[a:b].rstrip())))
                       for a, b in units(text)}
    errors = [f"{folder.name}: {name} starts with a byte-order mark or has CR line ends"
              for name, text in docs.items() if text.startswith("\ufeff") or "\r" in text]
    seen: set[tuple] = set()
    by_unit: dict[tuple[str, int, int], set[str]] = {}
    for i, line in enumerate((folder / "gold.jsonl").read_text(encoding="utf-8").splitlines(), 1):
        where = f"{folder.name}/gold.jsonl:{i}"
        try:
            g = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"{where}: bad JSON ({e})")
            continue
        if not isinstance(g, dict) or set(g) != KEYS:
            errors.append(f"{where}: keys {sorted(g) if isinstance(g, dict) else g!r}")
            continue
        if g["doc"] not in docs:
            errors.append(f"{where}: unknown doc {g['doc']!r}")
            continue
        if g["concept"] not in concepts:
            errors.append(f"{where}: unknown concept {g['concept']!r}")
        if not (isinstance(g["start"], int) and isinstance(g["end"], int)):
            errors.append(f"{where}: offsets are not integers")
            continue
        if docs[g["doc"]][g["start"]:g["end"]] != g["quote"]:
            errors.append(f"{where}: quote != text[start:end]")
        if (g["start"], g["end"]) not in spans[g["doc"]]:
            errors.append(f"{where}: the span is not exactly one scoring unit")
        key = (g["doc"], g["concept"], g["start"], g["end"])
        if key in seen:
            errors.append(f"{where}: duplicate {key}")
        seen.add(key)
        by_unit.setdefault((g["doc"], g["start"], g["end"]), set()).add(g["concept"])
    labelled = {doc for doc, _, _ in by_unit}
    errors += [f"{folder.name}: {name} has no labels" for name in docs if name not in labelled]
    errors += [f"{folder.name}: {doc}:{s} has a license.* concept without license.grant"
               for (doc, s, _), cs in sorted(by_unit.items())
               if any(c.startswith("license.") and c != "license.grant" for c in cs) and "license.grant" not in cs]
    print(f"{folder.name}: {len(docs)} documents, {len(seen)} labels, {len(errors)} problems")
    return errors


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="*", type=Path)
    args = ap.parse_args(argv)
    # a folder is a path, or the name of a folder of benchmarks/ ("heldout6-en")
    folders = [f if f.is_dir() else ROOT / "benchmarks" / f for f in args.folders] \
        or sorted(p.parent for p in (ROOT / "benchmarks").glob("heldout*/gold.jsonl"))
    concepts, units = concept_ids(), _units()
    errors = [e for folder in folders for e in check(folder, concepts, units)]
    for e in errors:
        print("ERROR", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
