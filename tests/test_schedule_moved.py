"""What moved between two snapshots, against changes worked out by hand.

March 2024: Monday 4, 11, 18 and 25, Monday 1 and 8 April; Friday 29 March is a holiday in the first
test. Reported dates are the critical-path early dates (`with_dates`), as a tool would write them.
"""

from __future__ import annotations

from typing import Any

from schedule_models import calendar, chain, constraint, day, link, milestone, schedule, task, with_dates

from govcheck.importers.schedule.model import Schedule
from govcheck.importers.schedule.moved import (
    ActivityChange,
    BaselineChange,
    ConstraintChange,
    DurationChange,
    FloatErosion,
    LinkChange,
    MilestoneMove,
    Slip,
    compare,
)


def done(start: str, finish: str) -> dict[str, Any]:
    return {"actual_start": day(start), "actual_finish": day(finish), "percent_complete": 100}


def test_one_duration_ten_days_longer_across_a_holiday() -> None:
    easter = calendar("std", holidays=["2024-03-29"])
    # before (status Mon 4): A Mon 4 - Fri 8, B (10 days) Mon 11 - Fri 22, F Fri 22
    before = with_dates(
        schedule(
            [milestone("S"), task("A", 5), task("B", 10), milestone("F")],
            chain("S", "A", "B", "F"),
            project_calendar=easter,
            status="2024-03-04",
        )
    )
    # after (status Mon 11): A done, B now 20 days from Mon 11: 14 days to Thu 28, the holiday Fri 29,
    # then Mon 1 - Fri 5 April (19), Mon 8 April (20). F Mon 8 April.
    after = with_dates(
        schedule(
            [
                milestone("S", **done("2024-03-04", "2024-03-04")),
                task("A", 5, **done("2024-03-04", "2024-03-08")),
                task("B", 20),
                milestone("F"),
            ],
            chain("S", "A", "B", "F"),
            project_calendar=easter,
            status="2024-03-11",
        )
    )
    movement = compare(before, after)
    assert (movement.finish_before, movement.finish_after) == (day("2024-03-22"), day("2024-04-08"))
    # Fri 22 March -> Mon 8 April: 17 calendar days; working days Fri 22, Mon 25 - Thu 28, Mon 1 - Fri 5
    # April: 10
    assert (movement.calendar_days, movement.working_days) == (17, 10)
    assert movement.milestones == (
        MilestoneMove("F milestone", day("2024-03-22"), day("2024-04-08"), 17, 10),
        MilestoneMove("S milestone", day("2024-03-04"), day("2024-03-04"), 0, 0),
    )
    # A's remaining fell to nothing through progress: not a duration change
    assert movement.durations == (DurationChange("B task", 10, 20, 10, 20, 10),)
    # B was forecast to start on the status date itself: not behind
    assert movement.behind == ()
    assert not (movement.links or movement.constraints or movement.float_eroded or movement.baselines)
    assert movement.activities == ()
    assert (movement.status_before, movement.status_after) == (day("2024-03-04"), day("2024-03-11"))


def snapshots() -> tuple[Schedule, Schedule]:
    """Before (status Mon 4): S -> A (5) -> B (5, finish no later than Fri 15) -> F; S -> C (3) -> F;
    S -> D (2) -> F; S -> R (1) -> F. A Mon 4 - Fri 8, B Mon 11 - Fri 15, F Fri 15. Float: C (Mon 4 -
    Wed 6) 7, D (Mon 4 - Tue 5) 8, R (Mon 4) 9, the rest 0.

    After (status Mon 11): S and A done; B's constraint gone and its baseline finish moved to Fri 22;
    C's baseline duration 3 -> 4 and its link to F now lags a day; D must start no earlier than Thu 14;
    R removed, N (1 day) added between S and F. C Mon 11 - Wed 13 (+1 day: Thu 14), D Thu 14 - Fri 15,
    B Mon 11 - Fri 15, N Mon 11; F Fri 15. Float: C 1 (Fri 15 spare), D 0, N 4, B 0, F 0.
    """
    before = schedule(
        [
            milestone("S"),
            task("A", 5, baseline_finish=day("2024-03-08")),
            task("B", 5, constraint=constraint("FNLT", "2024-03-15"), baseline_finish=day("2024-03-15")),
            task("C", 3, baseline_duration=3),
            task("D", 2),
            milestone("F"),
            task("R", 1),
        ],
        [*chain("S", "A", "B", "F"), *chain("S", "C", "F"), *chain("S", "D", "F"), *chain("S", "R", "F")],
        status="2024-03-04",
    )
    after = schedule(
        [
            milestone("S", **done("2024-03-04", "2024-03-04")),
            task("A", 5, baseline_finish=day("2024-03-08"), **done("2024-03-04", "2024-03-08")),
            task("B", 5, baseline_finish=day("2024-03-22")),
            task("C", 3, baseline_duration=4),
            task("D", 2, constraint=constraint("SNET", "2024-03-14")),
            milestone("F"),
            task("N", 1),
        ],
        [
            *chain("S", "A", "B", "F"),
            link("S", "C"),
            link("C", "F", "FS", 1),
            *chain("S", "D", "F"),
            *chain("S", "N", "F"),
        ],
        status="2024-03-11",
        start="2024-03-04",
    )
    return with_dates(before), with_dates(after)


def test_what_drove_the_movement() -> None:
    movement = compare(*snapshots())
    assert (movement.finish_before, movement.finish_after) == (day("2024-03-15"), day("2024-03-15"))
    assert (movement.calendar_days, movement.working_days) == (0, 0)
    # links by their successor's float (F 0, line 6; N 4; R 9, before), then file order
    assert movement.links == (
        LinkChange("C task", "F milestone", "FS", "changed", 0.0, 1.0),
        LinkChange("N task", "F milestone", "FS", "added", None, 0.0),
        LinkChange("R task", "F milestone", "FS", "removed", 0.0, None),
        LinkChange("S milestone", "N task", "FS", "added", None, 0.0),
        LinkChange("S milestone", "R task", "FS", "removed", 0.0, None),
    )
    # both on zero-float activities now: B (line 3) before D (line 5)
    assert movement.constraints == (
        ConstraintChange("B task", "removed", constraint("FNLT", "2024-03-15"), None),
        ConstraintChange("D task", "added", None, constraint("SNET", "2024-03-14")),
    )
    assert movement.durations == ()
    # forecast before Mon 11 and not done: D to finish Tue 5 (now Fri 15: 10 days), C Wed 6 (now Wed 13: 7)
    assert movement.behind == (
        Slip("D task", "finish", day("2024-03-05"), day("2024-03-15"), 10),
        Slip("C task", "finish", day("2024-03-06"), day("2024-03-13"), 7),
    )
    assert movement.float_eroded == (FloatErosion("D task", 8, 0, 8), FloatErosion("C task", 7, 1, 6))
    assert movement.baselines == (
        BaselineChange("B task", "finish", day("2024-03-15"), day("2024-03-22"), 7),
        BaselineChange("C task", "duration", 3, 4, 1),
    )
    assert movement.activities == (ActivityChange("N task", "added"), ActivityChange("R task", "removed"))


def test_near_critical_limit() -> None:
    assert compare(*snapshots(), near_critical_days=0).float_eroded == (FloatErosion("D task", 8, 0, 8),)


def test_activities_are_matched_by_id_when_keys_change() -> None:
    before = schedule([task("1", 5, id="A"), task("2", 5, id="B")], [link("1", "2")], start="2024-03-04")
    after = schedule(
        [task("101", 5, id="A"), task("102", 7, id="B")], [link("101", "102")], start="2024-03-04"
    )
    movement = compare(before, after)
    assert not (movement.links or movement.activities)
    assert movement.durations == (DurationChange("B task", 5, 7, 5, 7, 2),)
    # no dates written: the critical-path finishes, Fri 15 and Tue 19 (two more working days)
    assert (movement.finish_before, movement.finish_after) == (day("2024-03-15"), day("2024-03-19"))
    assert (movement.calendar_days, movement.working_days) == (4, 2)


def test_a_snapshot_with_circular_logic_still_compares() -> None:
    looped = schedule([task("A", 1), task("B", 1)], [link("A", "B"), link("B", "A")], start="2024-03-04")
    fine = schedule([task("A", 1), task("B", 1)], [link("A", "B")], start="2024-03-04")
    movement = compare(looped, fine)
    assert movement.finish_before is None and movement.calendar_days is None
    assert movement.float_eroded == ()
    assert movement.links == (LinkChange("B task", "A task", "FS", "removed", 0.0, None),)
