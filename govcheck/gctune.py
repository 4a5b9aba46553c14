"""Garbage collection for batch checks.

Checking a file allocates many short-lived objects and few cycles, while the catalogue, the
engine and the imported modules live as long as the process. Left alone, CPython's cyclic
collector keeps re-traversing those long-lived objects: about a sixth of the CPU time of a
batch. Once start-up is done they are moved out of its sight (`gc.freeze`), and young
objects are collected less often. Cycles are still collected; nothing else changes.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

THRESHOLDS = (10_000, 50, 50)


def settle() -> None:
    """For a process that only checks (a pool worker): freeze what start-up built."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)


@contextmanager
def batch() -> Iterator[None]:
    """The same for the length of a batch in a process that goes on to do other things."""
    before = gc.get_threshold()
    settle()
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
