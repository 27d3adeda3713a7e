"""Peak memory of whole `tosscan scan` processes on large agreements, and the report's cost per heading.

Issue 15's target: peak memory ≤ 300 MB scanning 10 MB of Chinese agreement text in one process; issue
17: a 20 MB agreement within a bounded, stated memory, and no per-label blow-up. Each input is written to a
temporary directory (the corpus's Chinese agreements repeated to the size, and synthetic texts with a
numbered label, or a label and a finding, on every line), scanned by `tosscan scan FILE -f FORMAT -o …`
in a fresh process, and the kernel's peak RSS of that process is printed beside the process that only
starts and scans a 5 kB agreement (the floor: Python, the catalog, the libraries). JSON and HTML are written
as they are rendered; the HTML of an agreement with more than 1,000 findings lists the first 1,000
(``tosscan.render.view.MAX_CARDS``; README "The report").

    .venv/bin/python benchmarks/bench_memory.py [--sizes 10,20] [--formats json,html] [--labels 8]
                                                [--corpus ../shared/corpus/zh]

Then the HTML report of a text with N and 4N headings (a clause and a finding on every line) is built in
this process, and the ratio of the two times printed (linear: about 4).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MB = 1_000_000


def peak(cmd: list[str]) -> tuple[float, float, float]:
    """(peak RSS in MB, wall seconds, CPU seconds) of one whole process."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert p.stderr is not None
    err = p.stderr.read()
    _pid, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode not in (0, 1):  # 1: findings at or above --fail-on
        raise SystemExit(f"{' '.join(cmd)}: exit {p.returncode}: {err.decode(errors='replace')[-400:]}")
    return ru.ru_maxrss / 1024, time.perf_counter() - t0, ru.ru_utime + ru.ru_stime


def sized(text: str, size: int) -> str:
    """``text`` repeated and cut to ``size`` bytes of UTF-8 (on a character boundary)."""
    n = len(text.encode())
    data = ("\n".join([text] * (size // n + 1))).encode()[:size]
    return data.decode("utf-8", errors="ignore")


def labelled(size: int, finding: bool) -> str:
    """A numbered clause on every line; with ``finding``, every line also fires a licence rule."""
    body = ("用户授予平台永久的、不可撤销的许可，平台可以使用用户内容训练人工智能模型。" if finding
            else "用户应当遵守本协议的约定，不得发布违法信息。")
    out, n, i = [], 0, 1
    while n < size:
        line = f"第{i}条 {body}\n"
        out.append(line)
        n += len(line.encode())
        i += 1
    return "".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "zh")
    ap.add_argument("--sizes", default="10,20", help="MB of Chinese agreement text (comma-separated)")
    ap.add_argument("--formats", default="json,html")
    ap.add_argument("--labels", type=float, default=8, help="MB of text with a label on every line (0: skip)")
    ap.add_argument("--headings", type=int, default=2000, help="N for the report's linearity check (0: skip)")
    ap.add_argument("--pairs", type=int, default=3, help="rounds of the linearity check (median ratio)")
    a = ap.parse_args()
    docs = sorted(a.corpus.glob("zh-*.txt"))
    if not docs:
        raise SystemExit(f"no zh-*.txt documents in {a.corpus}")
    corpus = "\n".join(p.read_text(encoding="utf-8") for p in docs)
    py = sys.executable
    env_note = os.environ.get("TOSSCAN_MAX_BYTES", "")
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        inputs: list[tuple[str, Path]] = []
        small = t / "small.txt"
        small.write_text(sized(corpus, 5000), encoding="utf-8")
        for mb in (float(s) for s in a.sizes.split(",") if s):
            p = t / f"zh-{mb:g}mb.txt"
            p.write_text(sized(corpus, int(mb * MB) - 1000), encoding="utf-8")
            inputs.append((f"{mb:g} MB of Chinese agreements", p))
        if a.labels:
            for finding in (False, True):
                p = t / f"labels-{finding}.txt"
                p.write_text(labelled(int(a.labels * MB), finding), encoding="utf-8")
                what = "a clause and a finding" if finding else "a clause"
                inputs.append((f"{a.labels:g} MB, {what} on every line", p))
        limit = max(p.stat().st_size for _n, p in inputs) + MB
        os.environ["TOSSCAN_MAX_BYTES"] = str(max(limit, int(env_note or 0)))
        out = t / "out"
        floor = peak([py, "-m", "tosscan", "scan", str(small), "-f", "json", "-o", str(out)])[0]
        print(f"floor (a 5 kB agreement, whole process): {floor:.0f} MB")
        print(f"{'input':40} {'chars':>11} {'format':>6} {'peak MB':>8} {'above floor':>12} {'wall s':>7} {'CPU s':>6}")
        for name, p in inputs:
            size = p.stat().st_size
            chars = len(p.read_text(encoding="utf-8"))
            for fmt in a.formats.split(","):
                mem, wall, cpu = peak([py, "-m", "tosscan", "scan", str(p), "-f", fmt, "-o", str(out), "--lang", "zh"])
                print(f"{name:40} {chars:11,} {fmt:>6} {mem:8.0f} {(mem - floor) * 1.048576e6 / size:10.1f}× "
                      f"{wall:7.1f} {cpu:6.1f}", flush=True)
        print("target: ≤ 300 MB for 10 MB of Chinese agreement text (issue 15)")
    if a.headings:
        report_linearity(a.headings, a.pairs)


def report_linearity(n: int, pairs: int) -> None:
    import statistics

    from tosscan.api import render, scanner

    sc = scanner()
    small, big = (sc.scan_text(labelled(k * 120, True), lang="zh") for k in (n, 4 * n))
    ratios, times = [], []
    for _ in range(pairs):
        pair = []
        for r in (small, big):
            t0 = time.perf_counter()
            render([r], "html")
            pair.append(time.perf_counter() - t0)
        times.append(pair)
        ratios.append(pair[1] / pair[0])
    c1, c2 = (len(r.structure.clauses) if r.structure else 0 for r in (small, big))
    t1, t2 = (statistics.median(t[i] for t in times) for i in (0, 1))
    print(f"HTML report, a clause (heading) and a finding on every line: {c1:,} clauses/{len(small.findings):,} "
          f"findings {t1:.2f} s, {c2:,}/{len(big.findings):,} {t2:.2f} s (medians): {c2 / c1:.1f}× the headings take "
          f"{statistics.median(ratios):.1f}× the time (median of {pairs} pairs; linear: about {c2 / c1:.0f})")


if __name__ == "__main__":
    main()
