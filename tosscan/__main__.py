"""The ``tosscan`` command's entry point: honour Ctrl-C from the first instant, then run the CLI.

The handler is installed before anything heavy is imported (typer, rich, spaCy), so an interrupt during
start-up is one line and exit 130 too, never a traceback or a swallowed signal. It removes a report
being written, so nothing is left half-written.
"""

from __future__ import annotations

import contextlib
import os
import signal


def _interrupted(signum: int, frame: object) -> None:
    from tosscan.output import PENDING

    for tmp in list(PENDING):
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    os.write(2, b"tosscan: interrupted\n")
    os._exit(130)


def main() -> None:
    signal.signal(signal.SIGINT, _interrupted)
    from tosscan.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
