#!/usr/bin/env python3
"""Licence, AI and IP accuracy on real terms of service: CLAUDETTE documents (../shared/corpus/en/claudette,
2017-2018 platform ToS) labelled for the 22 licence/AI/IP concepts by people who never saw the rules
(``benchmarks/real-en/gold-*.jsonl``; CLAUDETTE itself tags only its nine unfair-term categories).

The labels point into each document's plain text as ``../shared/tools/score.py`` makes it (the CLAUDETTE tags
removed). The texts are not copied into the project: this script writes them to a temporary folder, checks
every label against them, and scores the catalog there with ``tosscan eval`` (or, with ``--reference``, with
the reference scorer):

    python3 benchmarks/real_en.py [--reference] [--concept C --show-errors N]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CLAUDETTE = SHARED / "corpus" / "en" / "claudette"
LABELS = ROOT / "benchmarks" / "real-en"

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_gold import score_module  # noqa: E402  (the one loading of the reference scorer, beside this script)


def build(tmp: Path) -> tuple[Path, list[str]]:
    """The plain texts of the labelled documents in ``tmp`` and the labels in one file; the problems found."""
    score = score_module()
    lines = [json.loads(x) for f in sorted(LABELS.glob("gold-*.jsonl"))
             for x in f.read_text(encoding="utf-8").splitlines() if x.strip()]
    problems: list[str] = []
    texts: dict[str, str] = {}
    for doc in sorted({g["doc"] for g in lines}):
        name = doc.removeprefix("real-").removesuffix(".txt")
        src = CLAUDETTE / f"{name}.xml"
        if not src.exists():
            problems.append(f"{doc}: no {src.name} in {CLAUDETTE}")
            continue
        texts[doc] = score.claudette(src)[0]
        (tmp / doc).write_text(texts[doc], encoding="utf-8")
    seen = set()
    for g in lines:
        t = texts.get(g["doc"])
        if t is None:
            continue
        key = (g["doc"], g["concept"], g["start"], g["end"])
        if t[g["start"]:g["end"]] != g["quote"]:
            problems.append(f"{g['doc']}:{g['start']}: quote is not the text there")
        if key in seen:
            problems.append(f"{g['doc']}:{g['start']}: {g['concept']} twice")
        seen.add(key)
    gold = tmp / "gold.jsonl"
    gold.write_text("".join(json.dumps(g, ensure_ascii=False) + "\n" for g in lines), encoding="utf-8")
    return gold, problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reference", action="store_true", help="score with ../shared/tools/score.py")
    ap.add_argument("--concept", default="")
    ap.add_argument("--show-errors", type=int, default=0)
    a = ap.parse_args()
    tosscan = os.environ.get("TOSSCAN", str(ROOT / ".venv" / "bin" / "tosscan"))
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        gold, problems = build(tmp)
        if problems:
            print("\n".join(problems[:20]), file=sys.stderr)
            return 2
        if a.reference:
            cmd = [sys.executable, str(SHARED / "tools" / "score.py"), tosscan, "real", str(tmp), str(gold)]
        else:
            cmd = [tosscan, "eval", str(tmp), "--gold", str(gold), "--prefix", "real-"]
            if a.concept:
                cmd += ["--concept", a.concept]
            if a.show_errors:
                cmd += ["--show-errors", str(a.show_errors)]
        return subprocess.run(cmd).returncode


if __name__ == "__main__":
    sys.exit(main())
