#!/usr/bin/env python3
"""Validate the heldout5-zh and heldout5-en gold files.

Checks, for both folders: every gold line parses and names an existing document; quote == text[start:end]
(code-point offsets into the UTF-8 decoded file); every span is exactly one scorer unit of units() in
/work/shared/tools/score.py, stripped of surrounding white space; every concept exists in
/work/shared/concepts.yaml; no duplicate (doc, concept, start, end) lines; every document has labels.
usage: python3 _check.py   (exit 0 when all checks pass)
"""
import collections, importlib.util, json, pathlib, re, sys

HERE = pathlib.Path(__file__).resolve().parent
FOLDERS = [HERE, HERE.parent / "heldout5-en"]
SHARED = pathlib.Path("/work/shared")


def load_units():
    spec = importlib.util.spec_from_file_location("score", SHARED / "tools" / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.units


def load_concepts():
    ids, inside = set(), False
    for line in (SHARED / "concepts.yaml").read_text(encoding="utf-8").splitlines():
        if re.match(r"^concepts:\s*$", line):
            inside = True
            continue
        m = re.match(r"^  ([a-z_]+\.[a-z_]+):\s*$", line)
        if inside and m:
            ids.add(m.group(1))
    return ids


def main():
    units, concepts = load_units(), load_concepts()
    errors, counts = [], {}
    for folder in FOLDERS:
        docs = {p.name: p.read_bytes().decode("utf-8") for p in sorted(folder.iterdir())
                if p.name.startswith("heldout5-") and p.suffix in (".txt", ".md")}
        spans = {name: {(s + len(t[s:e]) - len(t[s:e].lstrip()), e - (len(t[s:e]) - len(t[s:e].rstrip())))
                        for s, e in units(t)} for name, t in docs.items()}
        seen, per_doc, per_concept = set(), collections.Counter(), collections.Counter()
        gold = folder / "gold.jsonl"
        for n, line in enumerate(gold.read_text(encoding="utf-8").splitlines(), 1):
            where = f"{gold.parent.name}/gold.jsonl:{n}"
            try:
                g = json.loads(line)
            except json.JSONDecodeError as e:
                errors.append(f"{where}: bad JSON ({e})"); continue
            if set(g) != {"doc", "concept", "start", "end", "quote"}:
                errors.append(f"{where}: keys {sorted(g)}"); continue
            doc, c, s, e, q = g["doc"], g["concept"], g["start"], g["end"], g["quote"]
            if doc not in docs:
                errors.append(f"{where}: unknown doc {doc!r}"); continue
            if c not in concepts:
                errors.append(f"{where}: unknown concept {c!r}")
            if docs[doc][s:e] != q:
                errors.append(f"{where}: quote != text[start:end]")
            if (s, e) not in spans[doc]:
                errors.append(f"{where}: span {s}-{e} is not exactly one scorer unit")
            key = (doc, c, s, e)
            if key in seen:
                errors.append(f"{where}: duplicate line {key}")
            seen.add(key); per_doc[doc] += 1; per_concept[c] += 1
        for name in docs:
            if not per_doc[name]:
                errors.append(f"{folder.name}: {name} has no labels")
        counts[folder.name] = (len(docs), len(seen), per_concept)
    for name, (nd, nl, pc) in counts.items():
        print(f"{name}: {nd} documents, {nl} labels, {len(pc)} concepts")
    for e in errors:
        print("ERROR", e)
    print("OK" if not errors else f"{len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
