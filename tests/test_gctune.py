"""Garbage collection during a batch: tuned for its length, then put back as it was."""

from __future__ import annotations

import gc

import pytest
from conftest import EXAMPLES

from govcheck import gctune
from govcheck.batch import Settings, iter_check


def test_batch_tunes_then_restores_the_collector() -> None:
    before = gc.get_threshold()
    with gctune.batch():
        assert gc.get_threshold() == gctune.THRESHOLDS
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_a_streamed_batch_leaves_the_collector_as_it_found_it(checker) -> None:  # type: ignore[no-untyped-def]
    before = gc.get_threshold()
    files = sorted(str(p) for p in EXAMPLES.glob("*.yaml"))
    seen = []
    for outcome in iter_check(files, Settings(), jobs=1, checker=checker):
        seen.append(gc.get_threshold())
        assert outcome is not None
    assert seen == [gctune.THRESHOLDS] * len(files)
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_start_up_loads_with_the_collector_off_then_freezes_what_it_loaded() -> None:
    assert gc.isenabled()
    try:
        with gctune.start_up():
            assert not gc.isenabled()
            kept = [[i] for i in range(1000)]
        assert gc.isenabled()
        assert gc.get_freeze_count() >= len(kept)
        # A collector that was off stays off.
        gc.disable()
        with gctune.start_up():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()


def test_start_up_puts_the_collector_back_when_loading_fails() -> None:
    try:
        with pytest.raises(ImportError), gctune.start_up():
            raise ImportError("a module that cannot load")
        assert gc.isenabled()
    finally:
        gc.unfreeze()
