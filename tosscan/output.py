"""Writing reports safely: atomic, never onto an input or a special file, nothing left behind on failure.

``write_report(path, content, inputs)`` writes to a temporary file beside the target and renames it over
the target, so a reader never sees half a report. A FIFO, a device or a directory at the target is
refused (it would be replaced by a regular file or block forever), an input document is never
overwritten, and an existing report keeps its permissions. On any failure (disk full, file-size limit,
Ctrl-C) the temporary file is removed and the error is one line.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from tosscan.errors import InputError, shown

#: temporary files being written right now: the Ctrl-C handler removes them before the process exits
PENDING: set[str] = set()


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def write_report(path: str | Path, content: str | bytes, inputs: list[Path] | tuple[Path, ...] = ()) -> None:
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
    data = content.encode("utf-8") if isinstance(content, str) else content
    parent = out.resolve().parent if out.name else out
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=".tosscan-", suffix=".tmp")
        PENDING.add(tmp)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
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
    except (OSError, UnicodeError, ValueError) as e:
        reason = e.strerror if isinstance(e, OSError) and e.strerror else type(e).__name__
        raise InputError(f"{name}: cannot write ({reason})") from None
    finally:
        if tmp is not None:
            PENDING.discard(tmp)
            with contextlib.suppress(OSError):
                os.unlink(tmp)
