"""Batch scanning: many agreements in parallel worker processes, results streamed in input order.

    from tosscan.batch import expand, run_batch
    for out in run_batch(expand(["archive/"]), jobs=4, fmt="html"):
        out.ok, out.path, out.summary.letter, out.output   # or out.error

- **Inputs.** ``expand`` turns directories into the ``.txt``/``.md`` files under them (recursively,
  sorted, hidden names skipped) and keeps files and ``-`` as given.
- **Workers.** ``jobs`` processes, each with one ``Scanner``. On Linux they are forked from this process
  after it has loaded the catalog, so the catalog is loaded once per process tree, not once per
  worker; elsewhere each worker loads it once. ``jobs=1`` scans in this process.
- **Order and memory.** Outcomes come back in input order, the same as a serial run. At most
  ``2 × jobs`` documents are in flight, so memory is bounded by the workers, not by the corpus, as
  long as the caller does not keep the results (``keep=False`` with ``fmt``: each worker renders its
  document and only the rendered text comes back).
- **Failures.** A document that fails (missing, binary, too large, or a bug) is an outcome with
  ``ok=False`` and a one-line ``error``; the others go on. When a worker dies (killed, out of memory)
  the pool is restarted and every document that was in flight runs again alone: only the one that
  kills its worker alone fails.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import re
import signal
import time
import traceback
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from tosscan.catalog import SEVERITIES
from tosscan.errors import InputError, TosscanError, shown
from tosscan.ingest import Source, is_url, read
from tosscan.output import save_snapshot
from tosscan.pipeline import Scanner, ScanResult

# what a directory stands for: every agreement file tosscan reads (text, saved pages, PDF, DOCX)
SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".xhtml", ".mht", ".mhtml", ".pdf", ".docx")


@dataclass(frozen=True)
class Item:
    """One document to scan: ``path`` as given or found, ``rel`` its name under the argument it came
    from (the file name, or its path below a directory argument; ``stdin`` for ``-``)."""

    path: str
    rel: PurePath


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def expand(paths: Iterable[str | Path], exclude: Iterable[str | Path] = ()) -> list[Item]:
    """Files and ``-`` as given; each directory replaced by the agreement files below it.

    URLs are kept as they are. A directory's files are those whose name ends in a suffix of ``SUFFIXES``
    (any case), found recursively without
    following symlinked directories, sorted by path, skipping names that start with "." and any
    directory in ``exclude`` (an output directory inside the input). A directory without any is an
    ``InputError``.
    """
    skip = {os.path.realpath(e) for e in exclude}
    out: list[Item] = []
    for p in paths:
        s = str(p)
        if s == "-":
            out.append(Item("-", PurePath("stdin")))
            continue
        if is_url(s):  # named for --out-dir by its host and path
            name = re.sub(r"[^\w.-]+", "_", s.split("://", 1)[-1]).strip("._")[:120] or "page"
            out.append(Item(s, PurePath(name)))
            continue
        if not os.path.isdir(s):
            out.append(Item(s, PurePath(PurePath(s).name or s)))
            continue
        found: list[Item] = []
        for root, dirs, files in os.walk(s, followlinks=False):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                             and os.path.realpath(os.path.join(root, d)) not in skip)
            for f in sorted(files):
                if f.startswith(".") or not f.lower().endswith(SUFFIXES):
                    continue
                full = os.path.join(root, f)
                found.append(Item(full, PurePath(os.path.relpath(full, s))))
        if not found:
            raise InputError(f"{shown(s)}: no agreement files (.txt, .md, .html, .pdf, .docx) in this directory")
        out.extend(sorted(found, key=lambda i: i.rel.parts))
    return out


@dataclass(frozen=True)
class Summary:
    """What a batch needs to know of one scan, however it is rendered."""

    letter: str
    findings: int
    blocker: int
    bad: int
    good: int
    worst: str | None  # the most severe finding's severity (for --fail-on)
    language: str
    chars: int

    def reaches(self, severity: str) -> bool:
        return self.worst is not None and SEVERITIES.index(self.worst) >= SEVERITIES.index(severity)


@dataclass
class Outcome:
    index: int
    path: str
    rel: PurePath
    ok: bool
    summary: Summary | None = None
    result: ScanResult | None = None  # when kept (``keep=True``)
    output: str | None = None  # the rendered document (``fmt``)
    error: str | None = None  # one line, when not ok
    internal: bool = False  # the failure is a bug, not bad input
    trace: str = ""  # its traceback (TOSSCAN_DEBUG)
    seconds: float = 0.0
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class _Job:
    index: int
    item: Item
    lang: str
    fmt: str | None
    ui_lang: str | None
    keep: bool
    source: Source | None = None  # standard input or a URL, read by the parent (workers have no stdin)
    error: str | None = None  # reading it failed
    selector: str | None = None  # --selector for web pages
    snapshot_dir: str | None = None  # --save-snapshot


# --------------------------------------------------------------------------- the worker side

_SCANNER: Scanner | None = None  # this process's scanner (inherited by forked workers)
_IN_WORKER = False


def _init_worker(rules: str | None, load: bool) -> None:
    global _SCANNER, _IN_WORKER
    _IN_WORKER = True
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends a worker quietly; the parent reports it
    if load or _SCANNER is None:
        _SCANNER = Scanner(rules)


def _summary(r: ScanResult) -> Summary:
    worst = max((f.severity for f in r.findings), key=SEVERITIES.index, default=None)
    g = r.grade
    return Summary(g.letter, len(r.findings), g.blocker, g.bad, g.good, worst, r.document.language,
                   r.document.chars)


def _work(job: _Job) -> Outcome:
    from tosscan.render import render

    assert _SCANNER is not None
    t0 = time.perf_counter()
    out = Outcome(job.index, job.item.path, job.item.rel, ok=False)
    try:
        if job.error is not None:
            raise InputError(job.error)
        src = job.source if job.source is not None else read(job.item.path, selector=job.selector)
        if job.snapshot_dir is not None and src.snapshot is None:
            src = src.model_copy(update={"snapshot": str(save_snapshot(job.snapshot_dir, src))})
        r = _SCANNER.scan_source(src, job.lang)
        out.summary = _summary(r)
        if job.fmt is not None:
            out.output = render([r], job.fmt, job.ui_lang)
        if job.keep:  # the catalog stays here: the parent has the same one
            out.result = r.model_copy(update={"rules": None}) if _IN_WORKER else r
        out.ok = True
    except TosscanError as e:
        out.error = str(e)
    except Exception as e:  # a bug: this document fails, the others go on
        out.error = f"internal error: {type(e).__name__}: {e}"
        out.internal = True
        out.trace = traceback.format_exc()
    out.seconds = time.perf_counter() - t0
    return out


# --------------------------------------------------------------------------- the parent side


def _context():
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork") if "fork" in methods else multiprocessing.get_context()


def run_batch(items: Sequence[Item], *, jobs: int | None = None, lang: str = "auto", rules: str | Path | None = None,
              fmt: str | None = None, ui_lang: str | None = None, keep: bool = True,
              scanner: Scanner | None = None, selector: str | None = None, user_agent: str | None = None,
              snapshot_dir: str | Path | None = None) -> Iterator[Outcome]:
    """Scan ``items`` with ``jobs`` worker processes (default: the cores; 1: in this process) and yield
    one ``Outcome`` per item, in input order. ``fmt`` renders each document in its worker; ``keep``
    returns the ``ScanResult`` too. ``scanner`` (default: one for ``rules``) is this process's.
    """
    global _SCANNER
    scanner = scanner or Scanner(rules)
    _SCANNER = scanner
    todo: list[_Job] = []
    for i, it in enumerate(items):
        source, error = None, None
        if it.path == "-" or is_url(it.path):  # read here: workers have no standard input; one fetch per URL
            try:
                source = read(it.path, selector=selector, user_agent=user_agent)
            except TosscanError as e:
                error = str(e)
        todo.append(_Job(i, it, lang, fmt, ui_lang, keep, source, error, selector,
                         str(snapshot_dir) if snapshot_dir is not None else None))
    n = max(1, min(jobs or default_jobs(), len(todo)))
    if n == 1:
        try:
            for job in todo:
                out = _work(job)
                gc.freeze()  # see _pools: the results kept so far are not walked by the GC again
                yield out
        finally:
            gc.unfreeze()
        return
    yield from _parallel(todo, n, scanner, str(rules) if rules is not None else None)


def _parallel(todo: list[_Job], n: int, scanner: Scanner, rules: str | None) -> Iterator[Outcome]:
    ctx = _context()
    forked = ctx.get_start_method() == "fork"
    if forked:  # the catalog, jieba's dictionary… stay shared: the workers' GC never writes to their pages
        gc.freeze()
    try:
        yield from _pools(todo, n, scanner, rules, ctx, forked)
    finally:
        gc.unfreeze()


def _pools(todo: list[_Job], n: int, scanner: Scanner, rules: str | None, ctx, forked: bool) -> Iterator[Outcome]:
    """Pools of ``n`` workers with ``2n`` documents in flight, yielding in input order. When a worker dies,
    every document then in flight is a suspect: each is run again alone in a fresh pool, and only the
    one that kills its worker alone fails."""
    window = 2 * n
    queue = deque(todo)
    suspects: set[int] = set()
    while queue:  # a pool per pass; a new one only after a worker died
        pool = ProcessPoolExecutor(max_workers=n, mp_context=ctx, initializer=_init_worker,
                                   initargs=(rules, not forked))
        broken = False
        pending: deque = deque()

        try:
            _fill(pool, queue, pending, window, suspects)
            while pending:
                job, fut = pending.popleft()
                try:
                    out = fut.result()
                except BrokenProcessPool:
                    broken = True
                    again = [j for j, _f in pending]  # every document in flight is a suspect
                    if job.index in suspects:  # it ran alone and its worker died: this document did it
                        suspects.discard(job.index)
                        yield Outcome(job.index, job.item.path, job.item.rel, ok=False,
                                      error="the worker process scanning it died (killed, or out of memory)")
                    else:
                        again.insert(0, job)
                    suspects.update(j.index for j in again)
                    queue.extendleft(reversed(again))
                    break
                suspects.discard(job.index)
                if out.result is not None and out.result.rules is None:
                    out.result.rules = scanner.catalog  # the same catalog the worker used
                # The caller may keep every result: thousands of objects each, which every full collection of
                # the cyclic GC walked again (two thirds of this process's CPU in unpickling them). Frozen, they
                # are left alone (reference counting still frees them); _parallel unfreezes at the end.
                gc.freeze()
                yield out
                _fill(pool, queue, pending, window, suspects)
        finally:
            pool.shutdown(wait=not broken, cancel_futures=True)


def _fill(pool: ProcessPoolExecutor, queue: deque, pending: deque, window: int, suspects: set[int]) -> None:
    """Submit queued documents until ``window`` are in flight; a suspect runs alone."""
    while queue and len(pending) < window:
        if pending and (queue[0].index in suspects or pending[-1][0].index in suspects):
            return
        job = queue.popleft()
        pending.append((job, pool.submit(_work, job)))
