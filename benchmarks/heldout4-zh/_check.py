#!/usr/bin/env python3
"""Validate the heldout4 gold files (zh and en): the checks of `benchmarks/check_gold.py`, shared by every
held-out set, and this set's own requirement that each folder holds at least 4 labels of each good-point
concept and of ai.training.

usage: python3 benchmarks/heldout4-zh/_check.py   (exit 1 on any error)
"""

import json
import sys
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BENCH))
from check_gold import main  # noqa: E402

FOLDERS = [BENCH / "heldout4-zh", BENCH / "heldout4-en"]
GOOD = ["ip.user_retains_ownership", "license.revocable", "license.limited_purpose", "ai.no_training", "ai.opt_out",
        "ai.training"]


def too_few() -> list[str]:
    out = []
    for folder in FOLDERS:
        counts = Counter(json.loads(line)["concept"]
                         for line in (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines())
        out += [f"{folder.name}: only {counts[c]} of {c} (need >= 4)" for c in GOOD if counts[c] < 4]
    return out


if __name__ == "__main__":
    problems = too_few()
    for p in problems:
        print("ERROR", p)
    sys.exit(main([str(f) for f in FOLDERS]) or (1 if problems else 0))
