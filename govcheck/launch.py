"""The command's entry point: a stop signal is one line and 128 + the signal from the moment
govcheck starts to the moment its run is over.

While modules load, before the run's own handling is in place, nothing needs cleaning up, so
a stop ends the process at once with the same line and exit code as a stop in mid-run. Once
the run is over (everything written, every worker stopped), stop signals are held until the
process ends: the interpreter's shutdown would otherwise put the default handlers back, and a
stop in that window would end the process with no line and no exit code of its own.

The `govcheck` command (`console`) then ends the process at once, without the interpreter's
teardown: nothing is left to clean up, and tearing down a run's objects takes tens of
milliseconds, a tenth of a one-file run. `python -m govcheck` and callers in the same
process (`main`) end by SystemExit instead.
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
    """`python -m govcheck`, and callers in the same process: ends by SystemExit."""
    raise SystemExit(_run())


def console() -> None:
    """The `govcheck` command: ends the process as soon as the run is over."""
    code = _run()
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.flush()
    os._exit(code)


def _run() -> int:
    """The command line, and its exit code once everything is written."""
    for sig in _STOP:
        signal.signal(sig, _stopped)
    from govcheck import gctune

    with gctune.start_up():
        from govcheck.cli import main as command

    try:
        command(prog_name="govcheck")
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
    try:
        sys.stdout.flush()
    except (OSError, ValueError, AttributeError) as exc:
        if code != 2:  # else the run has said what went wrong already, standard output included
            reason = getattr(exc, "strerror", None) or "standard output is closed"
            _say(f"govcheck: standard output: cannot write: {reason}")
            code = 2
        with contextlib.suppress(OSError, ValueError, AttributeError):  # so the shutdown's flush passes
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
    # Everything is written and every worker stopped. The interpreter's shutdown puts the
    # default signal handlers back, and a stop arriving then would end the process with no
    # line and no exit code of its own: from here on stop signals wait, and die with it.
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_BLOCK, _STOP)
    return code


def _say(line: str) -> None:
    """One line on standard error, unbuffered; if it is closed, the exit code still tells."""
    with contextlib.suppress(OSError):
        os.write(2, f"{line}\n".encode())
