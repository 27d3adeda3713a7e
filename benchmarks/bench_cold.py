"""Cold start: one whole `tosscan scan AGREEMENT -f html -o …` process against the baseline process
`python -c "import spacy, jieba; jieba.initialize()"`, timed in turn (A B A B …) in one run.

The target (issue 15): a 50,000-character agreement to an HTML report, whole cold process, within 1.5× of
the baseline on the same machine. Each pair is run back to back, so the ratio of a pair holds even when a
shared machine's speed drifts; the median of the pair ratios is the figure to quote (wall and CPU).

    .venv/bin/python benchmarks/bench_cold.py [--runs 7] [--chars 50000] [--corpus ../shared/corpus/zh]

The agreement is the corpus's Chinese agreements joined and cut at --chars characters (written to a
temporary directory). One warm-up pair runs first (page cache, jieba's cache file) and is not counted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(cmd: list[str]) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, peak RSS in kB) of one whole process, from the kernel's accounting."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)}: exit {p.returncode}")
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "zh")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--chars", type=int, default=50_000)
    a = ap.parse_args()
    docs = sorted(a.corpus.glob("zh-*.txt"))
    if not docs:
        raise SystemExit(f"no zh-*.txt documents in {a.corpus}")
    text = "\n".join(p.read_text(encoding="utf-8") for p in docs)[: a.chars]
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        doc = Path(tmp) / "agreement.txt"
        doc.write_text(text, encoding="utf-8")
        out = Path(tmp) / "report.html"
        scan = [py, "-m", "tosscan", "scan", str(doc), "-f", "html", "-o", str(out)]
        base = [py, "-c", "import spacy, jieba; jieba.initialize()"]
        timed(scan), timed(base)  # warm-up pair
        rows: list[tuple[tuple[float, float, int], tuple[float, float, int]]] = []
        for _ in range(a.runs):
            rows.append((timed(scan), timed(base)))
        if not out.is_file() or out.stat().st_size < len(text):
            raise SystemExit("the scan wrote no report")

    def med(xs: list[float]) -> float:
        return statistics.median(xs)

    print(f"cold process, {len(text):,}-character Chinese agreement → HTML; {a.runs} pairs after a warm-up pair")
    print(f"{'':44} {'wall s':>8} {'CPU s':>8} {'peak MB':>8}   (medians)")
    for name, k in ((f"tosscan scan -f html ({len(text):,} chars)", 0),
                    ("python -c 'import spacy, jieba; jieba.initialize()'", 1)):
        print(f"{name:44} {med([r[k][0] for r in rows]):8.2f} {med([r[k][1] for r in rows]):8.2f} "
              f"{med([r[k][2] / 1024 for r in rows]):8.1f}")
    wall = [r[0][0] / r[1][0] for r in rows]
    cpu = [r[0][1] / r[1][1] for r in rows]
    print(f"ratio scan/baseline, pair by pair: wall median {med(wall):.2f} (min {min(wall):.2f}, max {max(wall):.2f}); "
          f"CPU median {med(cpu):.2f} (min {min(cpu):.2f}, max {max(cpu):.2f}); target <= 1.50")


if __name__ == "__main__":
    main()
