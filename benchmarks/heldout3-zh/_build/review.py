#!/usr/bin/env python3
"""Print every scoring unit of a built document with its gold concepts (for re-reading)."""
import json, pathlib, sys
sys.path.insert(0, "/work/shared/tools")
from score import units
path = pathlib.Path(sys.argv[1])
gold = [json.loads(l) for l in open(path.parent / "gold.jsonl", encoding="utf-8")]
text = path.read_bytes().decode("utf-8")
lab = {}
for g in gold:
    if g["doc"] == path.name:
        lab.setdefault((g["start"], g["end"]), []).append(g["concept"].split(".")[-1])
for s, e in units(text):
    seg = text[s:e]; s2 = s + len(seg) - len(seg.lstrip()); e2 = e - (len(seg) - len(seg.rstrip()))
    ls = lab.get((s2, e2), [])
    print(("[" + ",".join(ls) + "] " if ls else "    ") + text[s2:e2])
