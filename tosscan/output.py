"""Writing reports safely: atomic, never onto an input or a special file, nothing left behind on failure.

``write_report(path, content, inputs)`` writes to a temporary file beside the target and renames it over
the target, so a reader never sees half a report; ``content`` may be the pieces of a report as they are
rendered (JSON and HTML: the whole text never exists in memory). A FIFO, a device or a directory at the target is
refused (it would be replaced by a regular file or block forever), an input document is never
overwritten, and an existing report keeps its permissions. On any failure (disk full, file-size limit,
Ctrl-C) the temporary file is removed and the error is one line.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from tosscan.errors import InputError, shown

if TYPE_CHECKING:
    from tosscan.ingest import Source

#: temporary files being written right now: the Ctrl-C handler removes them before the process exits
PENDING: set[str] = set()


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


class _RenderFailed(Exception):
    """The renderer failed between two writes: its error is raised as it is, not as a failure to write."""

    def __init__(self, error: Exception) -> None:
        super().__init__(error)
        self.error = error


def _next(pieces: Iterator[str | bytes]) -> str | bytes | None:
    try:
        return next(pieces)
    except StopIteration:
        return None
    except Exception as e:
        raise _RenderFailed(e) from e


def write_report(path: str | Path, content: str | bytes | Iterable[str], inputs: list[Path] | tuple[Path, ...] = ()
                 ) -> None:
    """Write ``content`` (a text, bytes, or a report's pieces as ``tosscan.render.render_pieces`` makes them,
    written as they come) to ``path``, atomically."""
    out = Path(path)
    name = shown(out)
    try:
        st = os.stat(out)
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise InputError(f"{name}: cannot write ({e.strerror})") from None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise InputError(f"{name}: is a directory")
        if not stat.S_ISREG(st.st_mode):
            raise InputError(f"{name}: not a regular file (a FIFO, socket or device); refusing to write onto it")
        if any(_same_file(out, p) for p in inputs):
            raise InputError(f"{name}: refusing to overwrite an input document")
    pieces = iter([content] if isinstance(content, str | bytes) else content)
    parent = out.resolve().parent if out.name else out
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=".tosscan-", suffix=".tmp")
        PENDING.add(tmp)
        with os.fdopen(fd, "wb") as fh:
            # the renderer runs between writes: its own failure (a bug) is raised as it is, not as a write error
            while (piece := _next(pieces)) is not None:
                # a lone surrogate (a file name that is not UTF-8, quoted in the report) is written escaped
                fh.write(piece.encode("utf-8", "backslashreplace") if isinstance(piece, str) else piece)
        if st is not None:
            mode = stat.S_IMODE(st.st_mode)  # an existing report keeps its permissions
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask  # mkstemp creates 0600; a new report is meant to be shared
        os.chmod(tmp, mode)
        os.replace(tmp, out)
        PENDING.discard(tmp)
        tmp = None
    except _RenderFailed as e:
        raise e.error from None
    except (OSError, UnicodeError, ValueError) as e:
        reason = e.strerror if isinstance(e, OSError) and e.strerror else type(e).__name__
        raise InputError(f"{name}: cannot write ({reason})") from None
    finally:
        if tmp is not None:
            PENDING.discard(tmp)
            with contextlib.suppress(OSError):
                os.unlink(tmp)


_SLUG = re.compile(r"[^A-Za-z0-9._-]+")
_EXTENSIONS = {"html": ".html", "docx": ".docx", "text": ".txt"}


def save_snapshot(directory: str | Path, src: Source) -> Path:
    """Keep the exact bytes scanned, to cite: ``DIR/<name>-<UTC time>-<sha256[:12]><ext>`` and beside it
    ``….json`` with the source, URL, fetch time, sha256 and extractor. Returns the snapshot's path."""
    import json
    from datetime import UTC, datetime
    from urllib.parse import urlsplit

    d = Path(directory)
    try:
        d.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"{shown(d)}: cannot create the snapshot directory ({e.strerror})") from None
    if src.url:
        parts = urlsplit(src.url)
        stem = parts.netloc + parts.path.rstrip("/")
    else:
        stem = Path(src.path).stem if src.path != "<stdin>" else "stdin"
    stem = _SLUG.sub("_", stem).strip("._")[:80] or "agreement"
    when = (src.fetched_at or datetime.now(UTC).replace(microsecond=0).isoformat()).replace("-", "").replace(":", "")
    ext = ".pdf" if src.extractor.startswith("pdf") else _EXTENSIONS.get(src.extractor, ".bin")
    if src.extractor == "text" and Path(src.path).suffix.lower() in (".md", ".markdown"):
        ext = ".md"
    target = d / f"{stem}-{when[:15]}Z-{src.sha256[:12]}{ext}"
    write_report(target, src.data)
    meta = {"source": src.path, "url": src.url, "fetched_at": src.fetched_at, "sha256": src.sha256,
            "bytes": len(src.data), "media_type": src.media_type, "extractor": src.extractor,
            "snapshot": target.name}
    write_report(target.with_name(target.name + ".json"), json.dumps(meta, ensure_ascii=False, indent=2) + "\n")
    return target
