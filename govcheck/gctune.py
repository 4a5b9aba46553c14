"""Garbage collection for the command's start-up and for batch checks.

Loading govcheck's modules allocates hundreds of thousands of objects that live as long as the
process and hold almost no garbage; collecting while they arrive is wasted work (about a sixth
of a one-file run). The command loads them with the collector off, then moves them out of its
sight (`start_up`).

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


@contextmanager
def start_up() -> Iterator[None]:
    """Load what lives as long as the run with the collector off; then freeze it, and put the
    collector back as it was."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


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
