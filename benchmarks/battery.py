#!/usr/bin/env python3
"""Score the catalog on a paraphrase battery: one labelled sentence per line, with the text before it.

Each line of ``benchmarks/battery-en/en.jsonl`` (``--lang zh``: ``benchmarks/battery-zh/zh.jsonl``) is
``{"id", "context", "text", "concepts", "note"}``: a
sentence as an agreement writes it, the gold concepts of that sentence (GOLD.md; an empty list is a hard
negative) and, when it depends on it, what stands before it (a lead-in ending in ":" makes the sentence an
item of its list; anything else is the sentence before, in the same paragraph). The sentence is scanned in
that context and the concepts of the findings that overlap it are its prediction.

usage: python3 benchmarks/battery.py [--lang en|zh] [--concept C] [--show-errors N] [--check]
   --check  only validate the battery (keys, known concepts, unique ids and texts, sorted concept lists
            without duplicates, a note on every line, license.grant beside every other licence term; a Chinese
            text holds one scoring unit) and exit 0 when it is valid
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_gold import concept_ids  # the one reading of concepts.yaml, beside this script

ROOT = Path(__file__).resolve().parents[1]
BATTERIES = {"en": ROOT / "benchmarks" / "battery-en" / "en.jsonl",
             "zh": ROOT / "benchmarks" / "battery-zh" / "zh.jsonl"}
KEYS = {"id", "context", "text", "concepts", "note"}


def load(path: Path = BATTERIES["en"]) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# a Chinese battery line is one scoring unit: no unit terminator before its end
_ZH_UNIT_END = re.compile(r"[。！？；!?;\n]")


def problems(rows: list[dict], concepts: set[str], lang: str = "en") -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    texts: set[str] = set()
    for n, r in enumerate(rows, 1):
        where = f"line {n} ({r.get('id')})"
        if set(r) != KEYS:
            out.append(f"{where}: keys {sorted(r)}")
            continue
        if r["id"] in seen:
            out.append(f"{where}: id twice")
        seen.add(r["id"])
        if not isinstance(r["text"], str) or not r["text"].strip() or not isinstance(r["context"], str):
            out.append(f"{where}: text and context must be strings, text not empty")
            continue
        if r["text"] in texts:
            out.append(f"{where}: text twice")
        texts.add(r["text"])
        if lang == "zh" and _ZH_UNIT_END.search(r["text"][:-1]):
            out.append(f"{where}: text holds more than one scoring unit")
        if not str(r["note"]).strip():
            out.append(f"{where}: no note")
        if r["concepts"] != sorted(set(r["concepts"])):
            out.append(f"{where}: concepts not sorted or listed twice")
        out += [f"{where}: unknown concept {c}" for c in r["concepts"] if c not in concepts]
        if any(c.startswith("license.") and c != "license.grant" for c in r["concepts"]) \
                and "license.grant" not in r["concepts"]:
            out.append(f"{where}: a licence term without license.grant")
    return out


def document(row: dict, lang: str = "en") -> tuple[str, int, int]:
    """The text scanned for a row and where its sentence is in it."""
    ctx = row["context"].strip()
    if not ctx:
        return row["text"], 0, len(row["text"])
    if lang == "zh":
        head = f"{ctx}\n" if ctx.endswith(("：", ":")) else ctx
    else:
        head = f"{ctx}\n\n- " if ctx.endswith(":") else f"{ctx} "
    return head + row["text"], len(head), len(head) + len(row["text"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lang", choices=sorted(BATTERIES), default="en")
    ap.add_argument("--concept")
    ap.add_argument("--show-errors", type=int, default=0)
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args(argv)
    rows = load(BATTERIES[a.lang])
    bad = problems(rows, concept_ids(), a.lang)
    for p in bad:
        print(p)
    if a.check or bad:
        print(f"{len(rows)} lines, {len(bad)} problems")
        return 1 if bad else 0

    from tosscan.pipeline import Scanner

    scanner = Scanner()
    # the concepts the battery was written for (a hard negative may carry another concept, GOLD.md)
    counts = Counter(c for r in rows for c in r["concepts"])
    scored = sorted(c for c, n in counts.items() if n >= 5)
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    errors: dict[str, list[str]] = {}
    for r in rows:
        text, s, e = document(r, a.lang)
        found = {c for f in scanner.scan_text(text, lang=a.lang).findings if f.start < e and f.end > s
                 for c in f.concepts} & set(scored)
        gold = set(r["concepts"])
        for c in scored:
            if c in found and c in gold:
                tp[c] += 1
            elif c in found:
                fp[c] += 1
                errors.setdefault(c, []).append(f"  FP {r['id']}: {r['text'][:150]}")
            elif c in gold:
                fn[c] += 1
                errors.setdefault(c, []).append(f"  FN {r['id']}: {r['text'][:150]}")
    f1s = []
    print(f"{'concept':34} {'P':>5} {'R':>5} {'F1':>5} {'tp':>4} {'fp':>4} {'fn':>4}")
    for c in scored:
        if a.concept and c != a.concept:
            continue
        p = tp[c] / (tp[c] + fp[c]) if tp[c] + fp[c] else 0.0
        rc = tp[c] / (tp[c] + fn[c]) if tp[c] + fn[c] else 0.0
        f = 2 * p * rc / (p + rc) if p + rc else 0.0
        f1s.append(f)
        print(f"{c:34} {p:5.2f} {rc:5.2f} {f:5.2f} {tp[c]:4} {fp[c]:4} {fn[c]:4}")
        for line in errors.get(c, [])[:a.show_errors]:
            print(line)
    print(f"{len(rows)} sentences: macro-F1 {sum(f1s) / len(f1s):.3f} over {len(f1s)} concepts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
