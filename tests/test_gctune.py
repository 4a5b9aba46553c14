"""Garbage collection during a batch: tuned for its length, then put back as it was."""

from __future__ import annotations

import gc

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
