"""Versions of one agreement over time, and the timeline of what changed in the user's rights.

**Input**: several files, a folder of dated versions (the date is read from each file name:
``…-2024-10-17.md``, ``20241017.txt``; ``dates`` overrides), or one file inside a git repository, read
version by version from its commit history (``git log --follow`` then ``git show COMMIT:PATH``; archives
such as Open Terms Archive's are git repositories with one commit per change). git runs through
``subprocess`` with an argument list and a timeout, never a shell.

**Folding**: a version that differs from the last kept one only cosmetically (white space, punctuation
width, markup, numbering; no right changed) is folded into it (``Version.folded``).

**Events**: for each kept version after the first, the concepts that appeared or disappeared and the
answers that changed (``tosscan.diff.compare``). ``tracks`` is the timeline grid the HTML shows: the
first version's state, then the events applied version by version.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tosscan.catalog import SEVERITIES, load_concepts, load_questions
from tosscan.diff.compare import ReadVersion, compare, read_version
from tosscan.errors import InputError
from tosscan.ingest import SUFFIXES, Source, decode
from tosscan.results.diff import AnswerEvent, Event, HistoryResult, Track, Version

GIT_TIMEOUT = 60  # seconds, per git call
_DATE = re.compile(r"(?<!\d)(\d{4})[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)")


def date_of(name: str) -> str | None:
    """The date in a file name (``…-2024-10-17.md``, ``2024_10_17``, ``20241017``) as YYYY-MM-DD."""
    found = list(_DATE.finditer(Path(name).name))
    m = found[-1] if found else None
    return f"{m.group(1)}-{m.group(2)}-{m.group(3)}" if m else None


@dataclass(frozen=True)
class VersionSource:
    date: str | None
    source: Source
    commit: str | None = None


# --------------------------------------------------------------------------- git


def _git(args: Sequence[str], cwd: Path) -> bytes:
    try:
        done = subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=cwd, capture_output=True,
                              timeout=GIT_TIMEOUT, check=False, env={**os.environ, "GIT_TERMINAL_PROMPT": "0"})
    except FileNotFoundError:
        raise InputError("git is not installed; give several dated files or a folder of them") from None
    except subprocess.TimeoutExpired:
        raise InputError(f"git {args[0]} timed out after {GIT_TIMEOUT} s in {cwd}") from None
    if done.returncode != 0:
        msg = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(f"git {args[0]} failed in {cwd}: {msg[-1] if msg else done.returncode}")
    return done.stdout


def git_versions(path: Path) -> list[VersionSource]:
    """Every committed version of ``path``, oldest first (renames followed)."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    where = path.resolve().parent
    try:
        top = Path(_git(["rev-parse", "--show-toplevel"], where).decode("utf-8").strip())
    except InputError:
        raise InputError(f"{path}: not a file in a git repository; give several dated files or a folder of them"
                         ) from None
    rel = path.resolve().relative_to(top.resolve()).as_posix()
    log = _git(["log", "--follow", "--format=%x1e%H%x1f%aI", "--name-only", "--", rel], top).decode("utf-8")
    entries: list[tuple[str, str, str]] = []
    name = rel
    for chunk in log.split("\x1e"):
        if not chunk.strip():
            continue
        head, _, rest = chunk.partition("\n")
        commit, _, when = head.partition("\x1f")
        names = [n for n in rest.splitlines() if n.strip()]
        name = names[0] if names else name
        entries.append((commit.strip(), when.strip(), name))
    if not entries:
        raise InputError(f"{path}: has no commits in its git history")
    out: list[VersionSource] = []
    for commit, when, name in reversed(entries):
        data = _git(["show", f"{commit}:{name}"], top)
        label = f"{name}@{commit[:12]}"
        text, enc = decode(data, label)
        out.append(VersionSource(when[:10] or None, Source(path=label, text=text, encoding=enc,
                                                           sha256=hashlib.sha256(data).hexdigest()), commit))
    return out


# --------------------------------------------------------------------------- files


def _read(p: Path) -> Source:
    from tosscan.ingest import read

    return read(p)


def load_versions(inputs: Sequence[str | Path], dates: Sequence[str] | None = None) -> list[VersionSource]:
    """The versions named by ``inputs``, oldest first. One file alone is read from its git history."""
    paths = [Path(p) for p in inputs]
    if not paths:
        raise InputError("give at least two versions, a folder of them, or one file in a git repository")
    if len(paths) == 1 and paths[0].is_file():
        versions = git_versions(paths[0])
    else:
        files: list[Path] = []
        for p in paths:
            if p.is_dir():
                found = sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in SUFFIXES
                               and f.suffix and not f.name.startswith(".") and f.name.upper() != "README.MD")
                if not found:
                    raise InputError(f"{p}: no .txt or .md versions in this folder")
                files.extend(found)
            elif p.exists():
                files.append(p)
            else:
                raise InputError(f"{p}: no such file or folder")
        versions = [VersionSource(date_of(f.name), _read(f)) for f in files]
    if dates:
        if len(dates) != len(versions):
            raise InputError(f"--dates gives {len(dates)} dates for {len(versions)} versions")
        bad = [d for d in dates if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", d)]
        if bad:
            raise InputError(f"--dates: {bad[0]!r} is not a date (YYYY-MM-DD)")
        versions = [VersionSource(d, v.source, v.commit) for d, v in zip(dates, versions, strict=True)]
    undated = [v.source.path for v in versions if v.date is None]
    if undated and not (len(paths) == 1 and paths[0].is_file()):
        raise InputError(f"{undated[0]}: no date in the file name (…-YYYY-MM-DD.txt); give --dates")
    if len(versions) < 2:
        raise InputError(f"{versions[0].source.path if versions else inputs[0]}: only one version; "
                         "history needs at least two")
    if all(v.commit is None for v in versions):
        versions.sort(key=lambda v: v.date or "")
    return versions


# --------------------------------------------------------------------------- the timeline


def history(inputs: Sequence[str | Path], dates: Sequence[str] | None = None, lang: str = "auto",
            rules: str | Path | None = None) -> HistoryResult:
    """Scan every version and report, version by version, what appeared, changed or disappeared."""
    from tosscan.api import scanner

    sc = scanner(rules)
    sources = load_versions(inputs, dates)
    kept: list[tuple[VersionSource, ReadVersion, list[str]]] = []  # (version, its reading, folded dates)
    events: list[Event] = []
    answer_events: list[AnswerEvent] = []
    for v in sources:
        read = read_version(sc.scan_source(v.source, lang))  # each version is scanned and read once
        if not kept:
            kept.append((v, read, []))
            continue
        prev_v, prev, _f = kept[-1]
        d = compare(prev, read, prev_v.date, v.date)
        if d.cosmetic_only:
            kept[-1][2].append(v.date or v.source.path)
            continue
        kept.append((v, read, []))
        for r in d.rights:
            if r.change not in ("added", "removed"):
                continue
            span = (r.new if r.change == "added" else r.old)[0]
            events.append(Event(date=v.date, path=v.source.path, concept=r.concept, change=r.change,  # type: ignore[arg-type]
                                severity=r.severity, polarity=r.polarity, clause=span.clause, quote=span.quote))
        for a in d.answers:
            ev = (a.new_evidence or a.old_evidence)
            answer_events.append(AnswerEvent(date=v.date, path=v.source.path, question=a.question, old=a.old, new=a.new,
                                             clause=ev[0].clause if ev else None, quote=ev[0].quote if ev else ""))
    versions = [Version(date=v.date, path=v.source.path, commit=v.commit, sha256=v.source.sha256,
                        grade=r.result.grade.letter, folded=f) for v, r, f in kept]
    return HistoryResult(versions=versions, events=events, answer_events=answer_events,
                         tracks=_tracks(kept, events, answer_events), grades=[v.grade for v in versions],
                         language=kept[-1][1].result.document.language)


def _tracks(kept: Sequence[tuple[VersionSource, ReadVersion, list[str]]], events: Sequence[Event],
            answer_events: Sequence[AnswerEvent]) -> list[Track]:
    first_read = kept[0][1]
    first = first_read.result
    dates = [v.date for v, _r, _f in kept]
    paths = [v.source.path for v, _r, _f in kept]

    def index(date: str | None, path: str) -> int:
        return next(i for i, (d, p) in enumerate(zip(dates, paths, strict=True)) if d == date and p == path)

    tracks: list[Track] = []
    for q in load_questions():
        state = first.answer(q.id).answer
        values = [state]
        for i in range(1, len(kept)):
            for e in answer_events:
                if e.question == q.id and index(e.date, e.path) == i:
                    state = e.new
            values.append(state)
        tracks.append(Track(id=q.id, kind="answer", values=values))
    present = {c for f in first_read.operative for c in f.concepts}
    concepts = list(load_concepts())
    ever = present | {e.concept for e in events}
    sev = {e.concept: SEVERITIES.index(e.severity) for e in events}
    rows: list[tuple[tuple, Track]] = []
    for c in ever:
        state_on = c in present
        values = ["present" if state_on else "absent"]
        for i in range(1, len(kept)):
            for e in events:
                if e.concept == c and index(e.date, e.path) == i:
                    state_on = e.change == "added"
            values.append("present" if state_on else "absent")
        changed = len(set(values)) > 1
        rows.append(((not changed, -sev.get(c, 0), concepts.index(c) if c in concepts else 999, c),
                     Track(id=c, kind="concept", values=values)))
    rows.sort(key=lambda t: t[0])
    return tracks + [t for _k, t in rows]
