"""Run the scan-path fuzzer at scale: ``python benchmarks/fuzz.py [--cases 10000] [--seed 0]``.

Prints how many cases ran, tracebacks (0 expected), the slowest case and the findings seen. Every case
is checked by ``tosscan.dev.fuzz.check`` (offsets, quotes, answers, every renderer).
"""

from __future__ import annotations

import argparse
import time
import traceback

from tosscan.dev.fuzz import cases, check


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1000)
    a = ap.parse_args()
    failures, findings, slowest = 0, 0, (0.0, -1)
    started = time.perf_counter()
    for i, text in enumerate(cases(a.seed, a.cases)):
        t = time.perf_counter()
        try:
            findings += check(text)
        except Exception:
            failures += 1
            if failures <= 5:
                print(f"case {i} (seed {a.seed}): {text[:120]!r}")
                traceback.print_exc()
        slowest = max(slowest, (time.perf_counter() - t, i))
    print(f"{a.cases} cases in {time.perf_counter() - started:.1f} s: {failures} failures (tracebacks), "
          f"{findings} findings; slowest case {slowest[1]} took {slowest[0]:.2f} s")
    raise SystemExit(1 if failures else 0)


if __name__ == "__main__":
    main()
