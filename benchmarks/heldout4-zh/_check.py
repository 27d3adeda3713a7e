#!/usr/bin/env python3
"""Validate the heldout4 gold files (zh and en): every line's doc exists, quote == text[start:end],
the span is exactly one scorer unit (units() of /work/shared/tools/score.py) stripped of white space,
and every concept id is in /work/shared/concepts.yaml.  Exit 1 on any error."""
import json, re, sys, pathlib
from collections import Counter

ROOT = pathlib.Path(__file__).resolve().parent.parent
FOLDERS = [ROOT / "heldout4-zh", ROOT / "heldout4-en"]
CONCEPTS = pathlib.Path("/work/shared/concepts.yaml")
GOOD = ["ip.user_retains_ownership", "license.revocable", "license.limited_purpose", "ai.no_training", "ai.opt_out", "ai.training"]


def units(text):  # identical to score.py units()
    out, start = [], 0
    for m in re.finditer(r"\n|[。！？；!?;]|\.(?=\s)", text):
        end = m.end()
        if text[start:end].strip():
            out.append((start, end))
        start = end
    if text[start:].strip():
        out.append((start, len(text)))
    return out


def known_concepts():
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
    known = known_concepts()
    errors = 0
    for folder in FOLDERS:
        gold = folder / "gold.jsonl"
        texts, spans, counts, seen = {}, {}, Counter(), set()
        for n, line in enumerate(gold.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            r = json.loads(line)
            doc = folder / r["doc"]
            if not doc.exists():
                print(f"{gold}:{n}: doc not found {r['doc']}"); errors += 1; continue
            if r["doc"] not in texts:
                texts[r["doc"]] = doc.read_text(encoding="utf-8")
                spans[r["doc"]] = set()
                for s, e in units(texts[r["doc"]]):
                    seg = texts[r["doc"]][s:e]
                    spans[r["doc"]].add((s + len(seg) - len(seg.lstrip()), s + len(seg.rstrip())))
            t = texts[r["doc"]]
            if t[r["start"]:r["end"]] != r["quote"]:
                print(f"{gold}:{n}: quote mismatch"); errors += 1
            if (r["start"], r["end"]) not in spans[r["doc"]]:
                print(f"{gold}:{n}: span is not exactly one stripped unit: {r['quote'][:60]!r}"); errors += 1
            if r["concept"] not in known:
                print(f"{gold}:{n}: unknown concept {r['concept']}"); errors += 1
            key = (r["doc"], r["start"], r["concept"])
            if key in seen:
                print(f"{gold}:{n}: duplicate line"); errors += 1
            seen.add(key)
            counts[r["concept"]] += 1
        grant_units = {(d, s) for d, s, c in seen if c == "license.grant"}
        for d, s, c in seen:
            if c.startswith("license.") and (d, s) not in grant_units:
                print(f"{gold}: {d}@{s} has {c} without license.grant"); errors += 1
        for c in GOOD:
            if counts[c] < 4:
                print(f"{gold}: only {counts[c]} of {c} (need >= 4)"); errors += 1
        print(f"{folder.name}: {sum(counts.values())} labels, {len(texts)} docs")
        for f in sorted(folder.glob("heldout4-*")):
            if f.name not in texts:
                print(f"{folder.name}: document without labels: {f.name}")
    print("OK" if not errors else f"{errors} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
