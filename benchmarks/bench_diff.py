"""Speed of ``tosscan diff`` and ``tosscan history``, beside a scan of the same text in the same run.

    .venv/bin/python benchmarks/bench_diff.py

diff: two ~50,000-character versions (the latest WeChat terms cut to 50k characters, and the same text
with a licence clause rewritten, a clause moved and half-width punctuation), timed as the comparison of
two scan results (alignment, inline diffs, rights delta; target < 1 s) and end to end (two scans plus
the comparison). history: the 12 Civitai versions. Ratios to one scan of the same text are printed, so
the numbers mean something on another machine. Needs ../shared/corpus/versions.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
VERSIONS = ROOT.parent / "shared" / "corpus" / "versions"


def best(fn, n: int = 3) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    if not VERSIONS.is_dir():
        sys.exit("../shared/corpus/versions is not beside the checkout")
    from tosscan.api import scan_text
    from tosscan.diff import compare, history

    t0 = time.perf_counter()
    wechat = sorted((VERSIONS / "wechat-en").glob("*.txt"))
    old_text = wechat[-3].read_text(encoding="utf-8")[:50_000]
    new_text = wechat[-1].read_text(encoding="utf-8")[:50_000]
    new_text = new_text.replace(",", "，", 40).replace("perpetual", "non-perpetual", 1)
    old, new = scan_text(old_text, "en", "old.txt"), scan_text(new_text, "en", "new.txt")
    compare(old, new)  # warm up (rapidfuzz, reading)
    print(f"start-up {time.perf_counter() - t0:.2f} s (excluded)")

    scan_t = best(lambda: scan_text(new_text, "en", "new.txt"))
    cmp_t = best(lambda: compare(old, new))
    e2e_t = best(lambda: compare(scan_text(old_text, "en", "a"), scan_text(new_text, "en", "b")))
    d = compare(old, new)
    print(f"diff: {len(old_text):,} → {len(new_text):,} chars, {len(d.clauses)} clause pairs, "
          f"{len(d.rights)} rights changes, {len(d.answers)} answers changed")
    print(f"scan of one version (baseline)   {scan_t * 1000:8.1f} ms")
    print(f"compare two scan results         {cmp_t * 1000:8.1f} ms   ratio {cmp_t / scan_t:.2f} × scan; target < 1 s")
    print(f"diff end to end (2 scans + cmp)  {e2e_t * 1000:8.1f} ms   ratio {e2e_t / scan_t:.2f} × scan")

    civitai = sorted((VERSIONS / "civitai-en").glob("*.md"))
    text = civitai[-1].read_text(encoding="utf-8")
    one = best(lambda: scan_text(text, "en", "c"), 2)
    hist_t = best(lambda: history([VERSIONS / "civitai-en"]), 1)
    print(f"history: {len(civitai)} versions of ~{len(text):,} chars")
    print(f"scan of one version (baseline)   {one * 1000:8.1f} ms")
    print(f"history over {len(civitai)} versions         {hist_t * 1000:8.1f} ms   ratio {hist_t / one:.1f} × one scan "
          f"({hist_t / one / len(civitai):.2f} per version)")


if __name__ == "__main__":
    main()
