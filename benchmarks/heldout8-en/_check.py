#!/usr/bin/env python3
"""Validate the heldout8-en folder: gold.jsonl against the documents and concepts.yaml."""
import json, pathlib, re, sys
sys.path.insert(0, "/work/shared/tools")
from score import units

HERE = pathlib.Path(__file__).resolve().parent
CONCEPTS = set(re.findall(r"^  ([a-z_]+\.[a-z_]+):\s*$",
                          pathlib.Path("/work/shared/concepts.yaml").read_text(encoding="utf-8"), re.M))
docs = {p.name: p.read_bytes().decode("utf-8") for p in sorted(HERE.glob("heldout8-*.md"))}
errors, seen, labelled = [], set(), set()
assert len(CONCEPTS) == 31, f"expected 31 concepts, parsed {len(CONCEPTS)}"
unitsets = {}
for name, text in docs.items():
    us = set()
    for s, e in units(text):
        seg = text[s:e]
        us.add((s + len(seg) - len(seg.lstrip()), e - (len(seg) - len(seg.rstrip()))))
    unitsets[name] = us
for n, line in enumerate((HERE / "gold.jsonl").read_text(encoding="utf-8").splitlines(), 1):
    try:
        g = json.loads(line)
    except json.JSONDecodeError as ex:
        errors.append(f"line {n}: bad JSON {ex}"); continue
    if set(g) != {"doc", "concept", "start", "end", "quote"}:
        errors.append(f"line {n}: keys {sorted(g)}"); continue
    if g["doc"] not in docs:
        errors.append(f"line {n}: unknown doc {g['doc']}"); continue
    if g["concept"] not in CONCEPTS:
        errors.append(f"line {n}: unknown concept {g['concept']}")
    text = docs[g["doc"]]
    if text[g["start"]:g["end"]] != g["quote"]:
        errors.append(f"line {n}: quote != text[start:end]")
    if (g["start"], g["end"]) not in unitsets[g["doc"]]:
        errors.append(f"line {n}: span is not exactly one stripped scorer unit")
    key = (g["doc"], g["concept"], g["start"], g["end"])
    if key in seen:
        errors.append(f"line {n}: duplicate {key}")
    seen.add(key); labelled.add(g["doc"])
grant = {(d, s) for d, c, s, e in seen if c == "license.grant"}
for d, c, s, e in seen:
    if c.startswith("license.") and c != "license.grant" and (d, s) not in grant:
        errors.append(f"{d}@{s}: {c} without license.grant")
for name in docs:
    if name not in labelled:
        errors.append(f"{name}: no labels")
if not docs:
    errors.append("no documents")
for e in errors:
    print("ERROR", e)
print(f"{len(docs)} documents, {len(seen)} labels: " + ("FAIL" if errors else "OK"))
sys.exit(1 if errors else 0)
