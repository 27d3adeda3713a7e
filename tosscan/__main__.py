"""The ``tosscan`` command's entry point: honour Ctrl-C from the first instant, then run the CLI.

The handler is installed before anything heavy is imported (typer, rich, spaCy), so an interrupt during
start-up is one line and exit 130 too, never a traceback or a swallowed signal. It removes a report
being written, so nothing is left half-written, and ends the worker processes of a batch scan.
"""

from __future__ import annotations

import contextlib
import os
import signal


def _interrupted(signum: int, frame: object) -> None:
    import sys

    from tosscan.output import PENDING

    for tmp in list(PENDING):
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    mp = sys.modules.get("multiprocessing")
    if mp is not None:  # batch workers (they also get a terminal's Ctrl-C, but not a kill -INT of this process)
        with contextlib.suppress(Exception):
            for child in mp.active_children():
                os.kill(child.pid, signal.SIGTERM)
    os.write(2, b"tosscan: interrupted\n")
    os._exit(130)


def main() -> None:
    signal.signal(signal.SIGINT, _interrupted)
    from tosscan.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
