"""Run the fuzzer at scale.

``python benchmarks/fuzz.py [--cases 10000] [--seed 1000]`` fuzzes the scan path through the library:
tracebacks (0 expected), the slowest case and the findings seen; every case is checked by
``tosscan.dev.fuzz.check`` (offsets, quotes, answers, every renderer).

``python benchmarks/fuzz.py --cli [--cases 300] [--jobs 2] [--timeout 60]`` runs the real ``tosscan``
process on fuzzed files and options (``tosscan.dev.fuzz.cli_cases``): exit codes in the documented set,
errors in one line, no traceback, no hang, inputs unchanged, no temporary file left (``run_cli``).
"""

from __future__ import annotations

import argparse
import collections
import tempfile
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tosscan.dev.fuzz import cases, check, cli_cases, run_cli, tosscan_command


def library(a: argparse.Namespace) -> int:
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
    return failures


def cli(a: argparse.Namespace) -> int:
    command = tosscan_command()
    all_cases = list(cli_cases(a.seed, a.cases))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="tosscan-fuzz-") as tmp:
        def one(i: int) -> tuple[int, str | None, float]:
            t = time.perf_counter()
            return i, run_cli(all_cases[i], Path(tmp) / f"w{i % a.jobs}-{i}", command, a.timeout), \
                time.perf_counter() - t

        with ThreadPoolExecutor(a.jobs) as pool:
            results = list(pool.map(one, range(len(all_cases))))
    failures = [(i, why) for i, why, _ in results if why]
    for i, why in failures[:10]:
        print(f"case {i} (seed {a.seed}): {all_cases[i].args} {[(n, d[:40]) for n, d in all_cases[i].files]}: {why}")
    kinds = collections.Counter(why.split(":")[0].split(" (")[0] for _, why in failures)
    slowest = max(results, key=lambda r: r[2])
    print(f"{len(all_cases)} CLI cases in {time.perf_counter() - started:.1f} s ({a.jobs} at a time): "
          f"{len(failures)} failures" + (f" ({', '.join(f'{k}: {v}' for k, v in kinds.items())})" if kinds else "")
          + f"; slowest case {slowest[0]} took {slowest[2]:.1f} s")
    return len(failures)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", action="store_true", help="run the real tosscan process on each case")
    ap.add_argument("--cases", type=int, default=None, help="default: 10,000 (library), 300 (--cli)")
    ap.add_argument("--seed", type=int, default=1000)
    ap.add_argument("--jobs", type=int, default=2, help="--cli: processes at a time")
    ap.add_argument("--timeout", type=float, default=60, help="--cli: seconds before a case is a hang")
    a = ap.parse_args()
    a.cases = a.cases if a.cases is not None else (300 if a.cli else 10_000)
    raise SystemExit(1 if (cli(a) if a.cli else library(a)) else 0)


if __name__ == "__main__":
    main()
