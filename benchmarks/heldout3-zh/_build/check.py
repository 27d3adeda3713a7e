#!/usr/bin/env python3
"""Validate the gold labels of heldout3-zh and heldout3-en.

For every line of <set>/gold.jsonl:
  * the document exists in the set's folder (and is named heldout3-*),
  * text[start:end] == quote (code points of the file decoded as UTF-8),
  * the span is exactly one scoring unit of shared/tools/score.py's units(), stripped of white space,
  * the concept id exists in shared/concepts.yaml.
Also: no duplicate (doc, span, concept); every unit with a license.* attribute also has license.grant;
documents are UTF-8 without BOM, with LF line endings.
usage: check.py [SETDIR ...]   (default: ../ and ../../heldout3-en)
"""
import collections, json, pathlib, re, sys

sys.path.insert(0, "/work/shared/tools")
from score import units  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
CONCEPTS_YAML = pathlib.Path("/work/shared/concepts.yaml")


def concept_ids():
    ids, inside = set(), False
    for line in CONCEPTS_YAML.read_text(encoding="utf-8").splitlines():
        if line.startswith("concepts:"):
            inside = True
            continue
        m = re.match(r"^  ([a-z_]+\.[a-z_]+):\s*$", line)
        if inside and m:
            ids.add(m.group(1))
    return ids


def check_set(d, ids):
    errors = []
    gold = d / "gold.jsonl"
    docs = {}
    for p in sorted(d.glob("heldout3-*")):
        raw = p.read_bytes()
        if raw.startswith(b"\xef\xbb\xbf"):
            errors.append(f"{p.name}: BOM")
        if b"\r" in raw:
            errors.append(f"{p.name}: CR line endings")
        docs[p.name] = raw.decode("utf-8")
    unitsets = {n: {(s + len(t[s:e]) - len(t[s:e].lstrip()), e - (len(t[s:e]) - len(t[s:e].rstrip())))
                    for s, e in units(t)} for n, t in docs.items()}
    seen = set()
    per_unit = collections.defaultdict(set)
    n = 0
    for i, line in enumerate(gold.read_text(encoding="utf-8").splitlines(), 1):
        n += 1
        g = json.loads(line)
        where = f"{gold.name}:{i}"
        if set(g) != {"doc", "concept", "start", "end", "quote"}:
            errors.append(f"{where}: keys {sorted(g)}")
        if g["doc"] not in docs:
            errors.append(f"{where}: unknown doc {g['doc']}")
            continue
        t = docs[g["doc"]]
        if t[g["start"]:g["end"]] != g["quote"]:
            errors.append(f"{where}: quote != text[start:end]")
        if (g["start"], g["end"]) not in unitsets[g["doc"]]:
            errors.append(f"{where}: span is not exactly one stripped unit: {g['quote'][:60]!r}")
        if g["concept"] not in ids:
            errors.append(f"{where}: unknown concept {g['concept']}")
        key = (g["doc"], g["start"], g["end"], g["concept"])
        if key in seen:
            errors.append(f"{where}: duplicate")
        seen.add(key)
        per_unit[(g["doc"], g["start"], g["end"])].add(g["concept"])
    for (doc, s, e), cs in per_unit.items():
        if any(c.startswith("license.") and c != "license.grant" for c in cs) and "license.grant" not in cs:
            errors.append(f"{doc}:{s}-{e}: license attribute without license.grant")
    return n, errors


def main():
    sets = [pathlib.Path(a) for a in sys.argv[1:]] or [HERE.parent, HERE.parent.parent / "heldout3-en"]
    ids = concept_ids()
    assert len(ids) >= 31, ids
    bad = 0
    for d in sets:
        n, errors = check_set(d, ids)
        for e in errors:
            print(f"{d.name}: {e}")
        bad += len(errors)
        print(f"{d.name}: {n} gold lines, {len(errors)} errors")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
