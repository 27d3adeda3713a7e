#!/usr/bin/env python3
"""Validate the heldout6 gold files (both folders): JSON keys, known doc, quote == text[start:end],
span == exactly one scorer unit of /work/shared/tools/score.py units() (stripped), concept exists,
no duplicate (doc, concept, span), every document labelled.  Exit 1 on any problem.
usage: python3 _check.py [heldout6-zh|heldout6-en ...]   (no argument: both folders)"""
import json, pathlib, re, sys

HERE = pathlib.Path(__file__).resolve().parent
FOLDERS = [HERE, HERE.parent / "heldout6-en"]
CONCEPTS = pathlib.Path("/work/shared/concepts.yaml")


def _units(text):  # copy of units() in /work/shared/tools/score.py, used only if that file is absent
    out, start = [], 0
    for m in re.finditer(r"\n|[。！？；!?;]|\.(?=\s)", text):
        end = m.end()
        if text[start:end].strip():
            out.append((start, end))
        start = end
    if text[start:].strip():
        out.append((start, len(text)))
    return out


try:
    sys.path.insert(0, "/work/shared/tools")
    from score import units  # the scorer's own definition of a unit
except ImportError:
    units = _units


def concept_ids():
    ids, inside = set(), False
    for line in CONCEPTS.read_text(encoding="utf-8").splitlines():
        if line.startswith("concepts:"):
            inside = True
            continue
        m = re.match(r"^  ([a-z_]+\.[a-z_]+):\s*$", line)
        if inside and m:
            ids.add(m.group(1))
    return ids


def main():
    known = concept_ids()
    assert len(known) >= 30, f"could not parse concepts.yaml ({len(known)} ids)"
    errors, total = [], 0
    only = sys.argv[1:]  # optional folder names to restrict the check to, e.g. heldout6-zh
    for folder in FOLDERS:
        if only and folder.name not in only:
            continue
        docs = {p.name: p.read_bytes().decode("utf-8") for p in sorted(folder.glob("heldout6-*"))}
        if not docs:
            errors.append(f"{folder}: no heldout6-* documents"); continue
        spans = {n: {(s + len(t[s:e]) - len(t[s:e].lstrip()), e - (len(t[s:e]) - len(t[s:e].rstrip())))
                     for s, e in units(t)} for n, t in docs.items()}
        seen, labelled = set(), set()
        gold = folder / "gold.jsonl"
        if not gold.exists():
            errors.append(f"{gold}: missing"); continue
        for i, line in enumerate(gold.read_text(encoding="utf-8").splitlines(), 1):
            where = f"{folder.name}/gold.jsonl:{i}"
            try:
                r = json.loads(line)
            except json.JSONDecodeError as e:
                errors.append(f"{where}: bad JSON ({e})"); continue
            if set(r) != {"doc", "concept", "start", "end", "quote"}:
                errors.append(f"{where}: keys {sorted(r)}"); continue
            if r["doc"] not in docs:
                errors.append(f"{where}: unknown doc {r['doc']}"); continue
            if r["concept"] not in known:
                errors.append(f"{where}: unknown concept {r['concept']}")
            t = docs[r["doc"]]
            if not (isinstance(r["start"], int) and isinstance(r["end"], int)):
                errors.append(f"{where}: offsets not int"); continue
            if t[r["start"]:r["end"]] != r["quote"]:
                errors.append(f"{where}: quote != text[start:end]")
            if (r["start"], r["end"]) not in spans[r["doc"]]:
                errors.append(f"{where}: span is not exactly one scorer unit")
            key = (r["doc"], r["concept"], r["start"], r["end"])
            if key in seen:
                errors.append(f"{where}: duplicate {key}")
            seen.add(key); labelled.add(r["doc"]); total += 1
        for n in docs:
            if n not in labelled:
                errors.append(f"{folder.name}: document {n} has no label")
        print(f"{folder.name}: {len(docs)} docs, {len(seen)} labels")
    for e in errors:
        print("ERROR", e)
    print("OK" if not errors else f"{len(errors)} errors")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
