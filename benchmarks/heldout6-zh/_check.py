#!/usr/bin/env python3
"""Validate the heldout6 gold files (both folders).

The checks are those of `benchmarks/check_gold.py`, shared by every held-out set.
usage: python3 benchmarks/heldout6-zh/_check.py [FOLDER ...]   (no folder: heldout6-zh, heldout6-en)
"""

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BENCH))
from check_gold import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or [str(BENCH / f) for f in ['heldout6-zh', 'heldout6-en']]))
