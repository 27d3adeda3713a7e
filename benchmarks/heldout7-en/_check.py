#!/usr/bin/env python3
"""Validate the heldout7 gold files (English and Chinese folders).

Checks, for benchmarks/heldout7-en and benchmarks/heldout7-zh:
  - every gold.jsonl line is JSON with exactly the keys doc, concept, start, end, quote;
  - doc is a document of the folder (named heldout7-*); concept is an id of concepts.yaml;
  - quote == text[start:end] (code-point offsets);
  - the span is exactly one scorer unit (score.units()) stripped of surrounding white space;
  - no duplicate (doc, concept, start, end);
  - every document has at least one label;
  - every unit carrying another license.* concept also carries license.grant.
Exit status 0 when all checks pass.
"""
import json, pathlib, re, sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, "/work/shared/tools")
from score import units  # noqa: E402


def concept_ids():
    ids, inside = set(), False
    for line in pathlib.Path("/work/shared/concepts.yaml").read_text(encoding="utf-8").splitlines():
        if line.startswith("concepts:"):
            inside = True
            continue
        m = re.match(r"^  ([a-z_]+\.[a-z_]+):\s*$", line)
        if inside and m:
            ids.add(m.group(1))
    return ids


def check(folder, concepts):
    errors = []
    docs = {p.name: p.read_bytes().decode("utf-8") for p in sorted(folder.glob("heldout7-*"))}
    if not docs:
        return [f"{folder}: no heldout7-* documents"]
    spans = {}
    for name, text in docs.items():
        s = set()
        for a, b in units(text):
            seg = text[a:b]
            s.add((a + len(seg) - len(seg.lstrip()), b - (len(seg) - len(seg.rstrip()))))
        spans[name] = s
    seen, labelled, by_unit = set(), set(), {}
    lines = (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines, 1):
        where = f"{folder.name}/gold.jsonl:{i}"
        try:
            g = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"{where}: bad JSON ({e})"); continue
        if set(g) != {"doc", "concept", "start", "end", "quote"}:
            errors.append(f"{where}: keys {sorted(g)}"); continue
        if g["doc"] not in docs:
            errors.append(f"{where}: unknown doc {g['doc']}"); continue
        if g["concept"] not in concepts:
            errors.append(f"{where}: unknown concept {g['concept']}")
        text = docs[g["doc"]]
        if not (isinstance(g["start"], int) and isinstance(g["end"], int)):
            errors.append(f"{where}: offsets not integers"); continue
        if text[g["start"]:g["end"]] != g["quote"]:
            errors.append(f"{where}: quote != text[start:end]")
        if (g["start"], g["end"]) not in spans[g["doc"]]:
            errors.append(f"{where}: span is not exactly one scorer unit")
        key = (g["doc"], g["concept"], g["start"], g["end"])
        if key in seen:
            errors.append(f"{where}: duplicate {key}")
        seen.add(key)
        labelled.add(g["doc"])
        by_unit.setdefault((g["doc"], g["start"], g["end"]), set()).add(g["concept"])
    for name in docs:
        if name not in labelled:
            errors.append(f"{folder.name}: {name} has no labels")
    for (doc, s, e), cs in by_unit.items():
        if any(c.startswith("license.") and c != "license.grant" for c in cs) and "license.grant" not in cs:
            errors.append(f"{folder.name}: {doc}:{s} has a license.* concept without license.grant")
    print(f"{folder.name}: {len(docs)} docs, {len(lines)} labels, {len(by_unit)} labelled units, "
          f"{len(errors)} errors")
    return errors


def main():
    concepts = concept_ids()
    assert len(concepts) >= 31, concepts
    errors = []
    for sub in ("heldout7-en", "heldout7-zh"):
        folder = ROOT / sub
        if folder.is_dir() and (folder / "gold.jsonl").exists():
            errors += check(folder, concepts)
        else:
            print(f"{sub}: missing (skipped)")
    for e in errors:
        print("ERROR", e)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
