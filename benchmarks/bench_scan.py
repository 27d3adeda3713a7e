"""Scan throughput on the concatenated Chinese corpus, beside `jieba.cut` on the same text, in one run.

The target (DEVELOPERS.md): a full scan at least as fast as jieba.cut alone over the same text. Both are
measured here on this machine in the same process, so the ratio holds even on a noisy, shared machine:

    .venv/bin/python benchmarks/bench_scan.py [--repeat 5] [--corpus ../shared/corpus/zh] [--copies 1] [--clock cpu]

``--copies 12`` scans the corpus repeated twelve times as one text (about 10 MB of UTF-8, 3.5 M characters),
the size the target names; "per document" then scans each document twelve times.

Start-up (loading jieba's dictionary, compiling the catalog) is measured separately and excluded from
both throughputs; each number is the best of --repeat runs. ``--clock cpu`` times the process's CPU instead of
the wall clock: on a machine whose cores other jobs share (load above the core count), wall times of the
same work vary by 2x from one run to the next, CPU times much less.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}


def best_of(repeat: int, fn, clock=time.perf_counter) -> float:
    times = []
    for _ in range(repeat):
        t0 = clock()
        fn()
        times.append(clock() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "zh")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--copies", type=int, default=1, help="the corpus this many times over (12: about 10 MB)")
    ap.add_argument("--clock", choices=sorted(CLOCKS), default="wall", help="time the wall clock or the CPU")
    a = ap.parse_args()
    clock = CLOCKS[a.clock]
    docs = sorted(a.corpus.glob("zh-*.txt"))
    if not docs:
        raise SystemExit(f"no zh-*.txt documents in {a.corpus}")
    text = "\n".join(p.read_text(encoding="utf-8") for p in docs * a.copies)

    t0 = time.perf_counter()
    from tosscan.pipeline import Scanner
    from tosscan.segment import _jieba

    scanner = Scanner()
    jieba = _jieba()
    scanner.scan_text(text[:2000], lang="zh")  # compile the automaton, build spaCy once
    startup = time.perf_counter() - t0

    t_jieba = best_of(a.repeat, lambda: list(jieba.cut(text)), clock)
    findings = []
    t_scan = best_of(a.repeat, lambda: findings.append(len(scanner.scan_text(text, lang="zh").findings)), clock)
    t_docs = best_of(a.repeat, lambda: [scanner.scan_text(p.read_text(encoding="utf-8"), lang="zh")
                                        for p in docs * a.copies], clock)

    n = len(text)
    print(f"corpus: {len(docs)} documents × {a.copies}, {n:,} characters ({len(text.encode()) / 1e6:.1f} MB); "
          f"start-up {startup:.2f} s (excluded); {a.clock} time")
    print(f"{'jieba.cut (baseline)':28s} {t_jieba * 1000:8.1f} ms  {n / t_jieba / 1e6:6.2f} M chars/s")
    print(f"{'tosscan scan (one text)':28s} {t_scan * 1000:8.1f} ms  {n / t_scan / 1e6:6.2f} M chars/s  "
          f"{findings[-1]} findings")
    label = f"tosscan scan ({len(docs) * a.copies} documents)"
    print(f"{label:28s} {t_docs * 1000:8.1f} ms  {n / t_docs / 1e6:6.2f} M chars/s")
    print(f"ratio scan/jieba: {t_scan / t_jieba:.2f} (one text), {t_docs / t_jieba:.2f} (per document); "
          "target <= 1.00")

    # hostile layout: a label on every line must stay linear in the structure stage
    from tosscan.structure import parse

    line = "第{n}条 用户权利与义务\n（一）发布违法信息；\n1、您应遵守法律。\n"
    small = "".join(line.format(n=i) for i in range(1, 300))
    t_small = best_of(a.repeat, lambda: parse(small), clock)
    t_big = best_of(a.repeat, lambda: parse(small * 4), clock)
    print(f"structure on a label on every line: 4x the text takes {t_big / t_small:.1f}x the time (linear: ~4)")


if __name__ == "__main__":
    main()
