"""A batch's worker pool when a worker dies: the pool broken even when it cannot see the death,
the dead named, the rest stopped.

`concurrent.futures` breaks a pool when it sees a worker die, but not in every case, and it
does not say which worker died or how. The pool's own attributes (`_processes`,
`_result_queue`) are read here and nowhere else.
"""

from __future__ import annotations

import contextlib
import signal
import time
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing.process import BaseProcess
from typing import TypeVar

#: Seconds, in all, to wait for a broken pool's workers to be reaped before naming those that died.
REAPED_WITHIN = 10.0
#: How often, in seconds, a wait for a result looks for a worker that died.
WATCH_SECONDS = 0.25

T = TypeVar("T")


def result(pool: ProcessPoolExecutor, future: Future[T]) -> T:
    """The future's result, once the pool has it. A worker killed half-way through sending
    a result leaves the pool's manager thread waiting for the rest of it, for ever, so the pool
    never sees the worker die and never breaks. A wait that finds a worker dead breaks the pool
    itself, as the pool would have (`terminate`): the result then raises BrokenProcessPool."""
    stopped = False
    while True:  # the future settles once the pool breaks
        try:
            return future.result(timeout=WATCH_SECONDS)
        except TimeoutError:
            if not stopped and any(p.exitcode is not None for p in _processes(pool)):
                terminate(pool)
                stopped = True


def _processes(pool: ProcessPoolExecutor) -> list[BaseProcess]:
    return list((getattr(pool, "_processes", None) or {}).values())


def deaths(pool: ProcessPoolExecutor) -> list[str]:
    """The pool's workers that died, in words. Workers the pool itself stopped once it broke
    (SIGTERM) are not named: they are not the cause."""
    found = []
    deadline = time.monotonic() + REAPED_WITHIN
    for process in _processes(pool):
        code = _exit_code(process, deadline)
        if not code or code in (-signal.SIGTERM, 128 + signal.SIGTERM):  # stopped, by signal or handler
            continue
        how = f"was killed by {signal.Signals(-code).name}" if code < 0 else f"exited with status {code}"
        found.append(
            f"a worker process (pid {process.pid}) {how};"
            " the files it had in hand were checked again, one at a time"
        )
    return found


def _exit_code(process: BaseProcess, deadline: float) -> int | None:
    """A worker's exit code, once the system has reaped it. The pool can see a worker die (its
    pipes close) a moment before its exit code exists, and on a loaded machine that moment is
    long enough to miss; a broken pool is stopping every worker, so the wait is short."""
    while (code := process.exitcode) is None and time.monotonic() < deadline:
        process.join(0.05)  # returns at once if the pipes are closed but the exit not yet reaped
        time.sleep(0.005)
    return code


def terminate(pool: ProcessPoolExecutor) -> None:
    """Stop the workers now: on the way out of an interrupted run (waiting for them to finish
    their queue could take as long as the batch), or when one has died without the pool seeing
    it (`result`). The caller's shutdown then collects them."""
    for process in _processes(pool):
        process.terminate()
    # A worker stopped half-way through writing a result leaves the pool's manager thread
    # waiting for the rest of it, for ever: this process holds the pipe's write end too. Closing
    # that copy lets the thread read end-of-file instead (a broken pool), so the shutdown that
    # follows cannot hang. Only workers write results; the parent never uses its copy.
    writer = getattr(getattr(pool, "_result_queue", None), "_writer", None)
    if writer is not None:
        with contextlib.suppress(OSError):
            writer.close()
