#!/usr/bin/env python3
"""Validate the heldout5-zh and heldout5-en gold files.

The checks are those of `benchmarks/check_gold.py`, shared by every held-out set.
usage: python3 benchmarks/heldout5-zh/_check.py [FOLDER ...]   (no folder: heldout5-zh, heldout5-en)
"""

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BENCH))
from check_gold import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or [str(BENCH / f) for f in ['heldout5-zh', 'heldout5-en']]))
