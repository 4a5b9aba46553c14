"""Stop signals: Ctrl-C (SIGINT) and SIGTERM end a run cleanly, whichever process gets them.

In the main process a stop signal becomes `Interrupted`, which unwinds the run (the worker
pool is terminated on the way out) and leaves through the exit code 128 + signal: 130 for
SIGINT, 143 for SIGTERM. A stop arriving while a module is imported or a model built is
delivered again a few milliseconds later, outside that code; one arriving in a rule engine
session waits until the session is over. Before the run's handling is in
place and after it is taken down, `launch` ends the process at once, the same way. A worker
process passes a stop signal from outside to the main process and ends; a stop signal from
the main process itself (the pool shutting down) ends the worker quietly.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(BaseException):
    """The run was stopped by a signal. A BaseException, like KeyboardInterrupt, so that no
    `except Exception` on the way out can swallow it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name


def ignore_stop_signals() -> None:
    for sig in STOP_SIGNALS:
        signal.signal(sig, signal.SIG_IGN)


#: Code that must not be unwound by an exception from a signal handler: a module being
#: imported or a model being built turn it into an error of their own (a SchemaError, a
#: RuntimeError from __set_name__) or swallow it, and the stop would be lost; a rule engine
#: session left half-way cannot be deleted safely. (The engine holds stop signals in its
#: session, but a signal another thread takes still runs its handler in the main thread.)
_UNSAFE = (
    "<frozen importlib",
    f"{os.sep}pydantic{os.sep}",
    f"{os.sep}pydantic_core{os.sep}",
    f"{os.sep}govcheck{os.sep}engine.py",
)
#: How soon a stop that arrived in such code is delivered again.
RETRY_SECONDS = 0.005


def _stop(signum: int, frame: FrameType | None) -> None:
    if _in_unsafe_code(frame):
        retry = threading.Timer(RETRY_SECONDS, os.kill, (os.getpid(), signum))
        retry.daemon = True
        retry.start()
        return
    # The first stop signal decides the exit code; later ones (a worker passing on the same
    # Ctrl-C, a second Ctrl-C) must not interrupt the clean-up it starts.
    ignore_stop_signals()
    raise Interrupted(signum)


def _in_unsafe_code(frame: FrameType | None) -> bool:
    while frame is not None:
        if frame.f_code.co_filename.startswith(_UNSAFE[0]) or any(
            part in frame.f_code.co_filename for part in _UNSAFE[1:]
        ):
            return True
        frame = frame.f_back
    return False


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within this block, in the main thread, SIGINT and SIGTERM raise Interrupted."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, _stop) for sig in STOP_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def relay_to(parent: int) -> None:
    """In a worker process: pass stop signals from outside to `parent`, then end.

    The signals are blocked and taken by a thread with sigwaitinfo, which tells who sent them:
    the parent terminating its pool is not a reason to stop the run. Where sigwaitinfo does
    not exist, Ctrl-C is left to the parent (the terminal sends it to both) and SIGTERM ends
    the worker, which the parent sees as a worker that died.
    """
    if not (hasattr(signal, "sigwaitinfo") and hasattr(signal, "pthread_sigmask")):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    threading.Thread(target=_relay, args=(parent,), name="govcheck-signals", daemon=True).start()


def _relay(parent: int) -> None:
    info = signal.sigwaitinfo(STOP_SIGNALS)
    if info.si_pid != parent:
        try:
            os.kill(parent, info.si_signo)
        except OSError:
            pass  # the parent has gone already
    os._exit(128 + info.si_signo)


@contextmanager
def signals_blocked() -> Iterator[None]:
    """Hold stop signals back (they wait, they are not lost) in this thread: while worker
    processes start, so that a new worker never runs the parent's handler before it has set up
    its own, and wherever an exception from a handler would leave a state no clean-up can undo
    (a rule engine session, a file being created)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
