"""Batch checks: expand inputs to files, check them across processes, keep input order.

Each worker process builds its own Checker (and so its own engine) once, in the pool
initialiser; the engine's C core never releases the GIL, so processes, not threads, scale.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from govcheck import gctune
from govcheck.catalogue import Catalogue, configure, load_catalogue
from govcheck.checker import Checker, file_error
from govcheck.errors import InputError
from govcheck.report import FileError, Outcome
from govcheck.yamlsource import display_path

SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Settings:
    """What a worker needs to build the same Checker as the parent: all picklable."""

    rules_dirs: tuple[str, ...] = ()
    enable: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()
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
            source=self.config_name,
        )

    def checker(self) -> Checker:
        from govcheck.rule import Severity

        return Checker(
            self.catalogue(), gate=self.gate, charts=self.charts, gap_severity=Severity(self.gap_severity)
        )


def expand(inputs: Sequence[str | os.PathLike[str]]) -> list[str | FileError]:
    """Files, directories (searched for *.yaml / *.yml) and globs, each file once, in order.

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
            found_any = sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file())
            if not found_any:
                out.append(_error(text, "no programme files (*.yaml, *.yml) in this directory"))
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


def _error(name: str, message: str) -> FileError:
    return file_error(InputError(message, file=display_path(name)), name)


_worker: Checker | None = None


def _init_worker(settings: Settings) -> None:
    global _worker
    _worker = settings.checker()
    gctune.settle()


def _check_one(path: str) -> Outcome:
    assert _worker is not None
    return _safe_check(_worker, path)


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
) -> Iterator[Outcome]:
    """Check every input, yielding one outcome per file in input order, as results arrive.

    Nothing is kept once yielded, so a caller that streams what it needs keeps memory flat
    however many files there are.
    """
    items = expand(inputs)
    paths = [i for i in items if isinstance(i, str)]
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(paths) or 1))
    results = _run(paths, settings, jobs, checker)
    for item in items:
        yield item if isinstance(item, FileError) else next(results)


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


def _run(paths: list[str], settings: Settings, jobs: int, checker: Checker | None) -> Iterator[Outcome]:
    if jobs == 1 or len(paths) < 2:
        local = checker or settings.checker()
        with gctune.batch() if len(paths) > 1 else nullcontext():
            for p in paths:
                yield _safe_check(local, p)
        return
    chunk = max(1, min(64, len(paths) // (jobs * 8)))
    done = 0
    try:
        pool = ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(settings,))
        with gctune.batch(), pool:
            for outcome in pool.map(_check_one, paths, chunksize=chunk):
                done += 1
                yield outcome
    except BrokenProcessPool:
        # A worker died (the engine is C code): finish the rest one by one, so that the file that
        # killed it is reported as an error and every other file still gets its result.
        for p in paths[done:]:
            yield _isolated(p, settings)


def _isolated(path: str, settings: Settings) -> Outcome:
    try:
        with ProcessPoolExecutor(max_workers=1, initializer=_init_worker, initargs=(settings,)) as pool:
            return pool.submit(_check_one, path).result()
    except BrokenProcessPool:
        return _error(path, "the rule engine crashed on this file")
