"""The command's entry point: a stop signal is one line and 128 + the signal from the moment
govcheck starts to the moment it ends.

Before the command's own handling is set up (while modules load) and after it is taken down
(while the interpreter shuts down) nothing is running that needs cleaning up, so a stop there
ends the process at once, with the same line and exit code as a stop in mid-run.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from types import FrameType

_STOP = (signal.SIGINT, signal.SIGTERM)


def _stopped(signum: int, frame: FrameType | None) -> None:
    for sig in _STOP:
        signal.signal(sig, signal.SIG_IGN)
    _say(f"govcheck: interrupted by {signal.Signals(signum).name}")
    os._exit(128 + signum)


def main() -> None:
    for sig in _STOP:
        signal.signal(sig, _stopped)
    from govcheck.cli import main as command

    try:
        command(prog_name="govcheck")
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
    # Leave here, not through the interpreter's shutdown: that puts the default signal handlers
    # back, and a stop arriving then would end the process with no line and no exit code of
    # its own. Everything is written and every worker stopped by now.
    try:
        sys.stdout.flush()
    except (OSError, ValueError, AttributeError) as exc:
        if code != 2:  # else the run has said what went wrong already, standard output included
            reason = getattr(exc, "strerror", None) or "standard output is closed"
            _say(f"govcheck: standard output: cannot write: {reason}")
            code = 2
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.flush()
    os._exit(code)


def _say(line: str) -> None:
    """One line on standard error, unbuffered; if it is closed, the exit code still tells."""
    with contextlib.suppress(OSError):
        os.write(2, f"{line}\n".encode())
