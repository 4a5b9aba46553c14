"""Batch checks: expand inputs to files, check them across processes, keep input order.

Each worker process builds its own Checker (and so its own engine) once, in the pool
initialiser; the engine's C core never releases the GIL, so processes, not threads, scale.
A worker that dies costs only the file that killed it: the files its pool had in hand are
checked again one at a time, and the batch goes on with a fresh pool. A stop signal, in the
main process or in a worker, terminates the pool (see govcheck.signals).
"""

from __future__ import annotations

import glob
import itertools
import os
from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from govcheck import gctune, workers
from govcheck.catalogue import Catalogue, configure, load_catalogue
from govcheck.checker import Checker, file_error
from govcheck.errors import InputError
from govcheck.report import FileError, Outcome
from govcheck.signals import relay_to, signals_blocked
from govcheck.yamlsource import display_path

SUFFIXES = (".yaml", ".yml", ".xlsx", ".xlsm")
#: Files per task, and tasks in flight per worker: enough to keep every worker busy and the
#: traffic between processes small, few enough that the files to check again after a worker
#: dies stay a few dozen.
CHUNK = 16
AHEAD = 3
DIED = "the checker's worker process died while checking this file"


@dataclass(frozen=True)
class Settings:
    """What a worker needs to build the same Checker as the parent: all picklable."""

    rules_dirs: tuple[str, ...] = ()
    enable: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()
    options: tuple[tuple[str, tuple[tuple[str, float], ...]], ...] = ()
    gate: int | None = None
    config_name: str = "configuration"
    charts: bool = False
    gap_severity: str = "low"

    def catalogue(self) -> Catalogue:
        from govcheck.rule import Severity

        catalogue = load_catalogue(self.rules_dirs)
        return configure(
            catalogue,
            enable=self.enable,
            disable=self.disable,
            severity={k: Severity(v) for k, v in self.severity},
            options={rule: dict(values) for rule, values in self.options},
            source=self.config_name,
        )

    def checker(self) -> Checker:
        from govcheck.rule import Severity

        return Checker(
            self.catalogue(), gate=self.gate, charts=self.charts, gap_severity=Severity(self.gap_severity)
        )


def expand(inputs: Sequence[str | os.PathLike[str]]) -> list[str | FileError]:
    """Files, directories (searched for *.yaml, *.yml and *.xlsx) and globs, each file once, in order.

    An input that names nothing becomes a FileError in its place, so it is reported, not lost.
    """
    seen: set[str] = set()
    out: list[str | FileError] = []

    def add(path: Path) -> None:
        key = os.path.normcase(os.path.abspath(path))
        if key not in seen:
            seen.add(key)
            out.append(str(path))

    for item in inputs:
        text = os.fspath(item)
        path = Path(text)
        if path.is_dir():
            # Anything named *.yaml but a directory (a FIFO or a device is reported, not skipped),
            # except files named `_*`, which are not programmes (as in rules/).
            found_any = sorted(p for p in path.rglob("*") if _programme_file(p))
            if not found_any:
                out.append(_error(text, "no programme files (*.yaml, *.yml, *.xlsx) in this directory"))
            for found in found_any:
                add(found)
        elif not path.exists() and glob.has_magic(text):
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                out.append(_error(text, "no file matches this pattern"))
            for match in matches:
                add(Path(match))
        else:
            add(path)
    return out


def _programme_file(path: Path) -> bool:
    """In a directory, YAML files and workbooks are programmes, except those named `_*` (as in
    rules/) and a spreadsheet program's lock files (`~$name.xlsx`)."""
    return path.suffix.lower() in SUFFIXES and not path.name.startswith(("_", "~$")) and not path.is_dir()


def _error(name: str, message: str) -> FileError:
    return file_error(InputError(message, file=display_path(name)), name)


_worker: Checker | None = None


def _init_worker(settings: Settings, parent: int) -> None:
    global _worker
    relay_to(parent)
    _worker = settings.checker()
    gctune.settle()


def _check_chunk(paths: list[str]) -> list[Outcome]:
    assert _worker is not None
    return [_safe_check(_worker, p) for p in paths]


def _safe_check(checker: Checker, path: str) -> Outcome:
    try:
        return checker.check_path(path)
    except Exception as exc:  # noqa: BLE001 - one bad file must never cost the others their results
        return _error(path, f"internal error while checking: {type(exc).__name__}: {exc}")


def iter_check(
    inputs: Sequence[str | os.PathLike[str]],
    settings: Settings,
    *,
    jobs: int | None = None,
    checker: Checker | None = None,
    notice: Callable[[str], None] | None = None,
) -> Iterator[Outcome]:
    """Check every input, yielding one outcome per file in input order, as results arrive.

    Nothing is kept once yielded, so a caller that streams what it needs keeps memory flat
    however many files there are. A worker process that dies is told to `notice`, in words.
    """
    items = expand(inputs)
    paths = [i for i in items if isinstance(i, str)]
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(paths) or 1))
    results = _run(paths, settings, jobs, checker, notice or (lambda text: None))
    for item in items:
        yield item if isinstance(item, FileError) else next(results)
    next(results, None)  # let the worker pool shut down in order, not when it is collected


def check_all(
    inputs: Sequence[str | os.PathLike[str]],
    settings: Settings,
    *,
    jobs: int | None = None,
    checker: Checker | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[Outcome, ...]:
    """Check every input; the result has one outcome per file, in input order."""
    outcomes = []
    for outcome in iter_check(inputs, settings, jobs=jobs, checker=checker):
        outcomes.append(outcome)
        if progress:
            progress(1)
    return tuple(outcomes)


def _run(
    paths: list[str], settings: Settings, jobs: int, checker: Checker | None, notice: Callable[[str], None]
) -> Iterator[Outcome]:
    if jobs == 1 or len(paths) < 2:
        local = checker or settings.checker()
        with gctune.batch() if len(paths) > 1 else nullcontext():
            for p in paths:
                yield _safe_check(local, p)
        return
    size = max(1, min(CHUNK, len(paths) // (jobs * 8)))
    chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
    position = 0
    with gctune.batch():
        while position < len(chunks):
            position = yield from _pooled(chunks, position, settings, jobs, notice)


def _pool(settings: Settings, jobs: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(settings, os.getpid()))


def _pooled(
    chunks: list[list[str]], start: int, settings: Settings, jobs: int, notice: Callable[[str], None]
) -> Generator[Outcome, None, int]:
    """Check chunks from `start` with a pool of `jobs` workers, a few chunks ahead of what has
    been yielded. Returns where to go on from: the end or, when a worker died, the chunk after
    those the pool had in hand (see _recover)."""
    window: deque[tuple[int, Future[list[Outcome]]]] = deque()
    upcoming = iter(range(start, len(chunks)))
    pool = _pool(settings, jobs)
    broken = False
    try:
        for i in itertools.islice(upcoming, jobs * AHEAD):
            window.append((i, _submit(pool, _check_chunk, chunks[i])))
        while window:
            i, future = window[0]
            try:
                outcomes = workers.result(pool, future)
            except BrokenProcessPool:
                broken = True
                for text in workers.deaths(pool):
                    notice(text)
                break
            window.popleft()
            following = next(upcoming, None)
            if following is not None:
                try:
                    window.append((following, _submit(pool, _check_chunk, chunks[following])))
                except BrokenProcessPool:  # a worker died since: the pool takes nothing more
                    window.append((following, _never_run()))
            yield from outcomes
    except GeneratorExit:  # the caller stopped early: no need to finish what is queued
        if window:
            workers.terminate(pool)
        raise
    except BaseException:
        workers.terminate(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    if not broken:
        return len(chunks)
    yield from _recover(list(window), chunks, settings)
    return window[-1][0] + 1


def _recover(
    held: list[tuple[int, Future[list[Outcome]]]], chunks: list[list[str]], settings: Settings
) -> Iterator[Outcome]:
    """After a worker died: the chunks the pool finished keep their results; the others are
    checked again one file at a time in a single worker, so that a file that kills it again is
    reported in its place (and the next file gets a new worker)."""
    pool: ProcessPoolExecutor | None = None
    try:
        for j, future in held:
            if future.done() and not future.cancelled() and future.exception() is None:
                yield from future.result()
                continue
            for path in chunks[j]:
                pool = pool or _pool(settings, 1)
                try:
                    yield workers.result(pool, _submit(pool, _check_chunk, [path]))[0]
                except BrokenProcessPool:
                    yield _error(path, DIED)
                    pool.shutdown(wait=True)
                    pool = None
    except BaseException:
        if pool is not None:
            workers.terminate(pool)
        raise
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _never_run() -> Future[list[Outcome]]:
    """A future for a chunk a broken pool would not take: _recover checks it file by file."""
    future: Future[list[Outcome]] = Future()
    future.set_exception(BrokenProcessPool("not submitted: the pool was broken"))
    return future


def _submit(
    pool: ProcessPoolExecutor, fn: Callable[[list[str]], list[Outcome]], arg: list[str]
) -> Future[list[Outcome]]:
    with signals_blocked():  # a worker may be started here
        return pool.submit(fn, arg)
