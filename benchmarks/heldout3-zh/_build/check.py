#!/usr/bin/env python3
"""Validate the gold labels of heldout3-zh and heldout3-en.

The checks are those of `benchmarks/check_gold.py`, shared by every held-out set.
usage: python3 benchmarks/heldout3-zh/_build/check.py [SETDIR ...]   (no folder: heldout3-zh, heldout3-en)
"""

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(BENCH))
from check_gold import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or [str(BENCH / "heldout3-zh"), str(BENCH / "heldout3-en")]))
