"""Working-day calendars and the critical path, against dates worked out by hand.

March 2024: Monday 4, 11, 18 and 25; Friday 1, 8, 15, 22 and 29. Weekends are not worked on the
standard calendar. Working day numbers below count from Monday 4 March (day 1).
"""

from __future__ import annotations

import datetime as dt

import pytest
from schedule_models import activity, calendar, chain, constraint, day, link, milestone, schedule, task

from govcheck.importers.schedule.calendar import OutsideCalendar, WorkCalendar, whole_days
from govcheck.importers.schedule.cpm import CircularLogic, Network, Timing, analyse
from govcheck.importers.schedule.model import Activity, Kind, LinkType


def dates(timing: Timing) -> tuple[str, str]:
    return timing.early_start.isoformat(), timing.early_finish.isoformat()


def keys(activities: tuple[Activity, ...]) -> list[str]:
    return [a.key for a in activities]


# -- calendar -----------------------------------------------------------------------------------------


def test_whole_days_round_up_away_from_zero() -> None:
    assert [whole_days(x) for x in (0, 0.5, 1, 2.0, 2.25, -0.5, -2, float("nan"))] == [
        0,
        1,
        1,
        2,
        3,
        -1,
        -2,
        0,
    ]


def test_working_day_arithmetic_with_a_holiday() -> None:
    work = WorkCalendar(calendar("std", holidays=["2024-03-06"]))  # Wednesday 6 off
    assert not work.works(day("2024-03-06")) and not work.works(day("2024-03-09"))
    assert work.works(day("2024-03-07"))
    assert work.next_working(day("2024-03-09")) == day("2024-03-11")  # Saturday -> Monday
    assert work.next_working(day("2024-03-06")) == day("2024-03-07")
    assert work.previous_working(day("2024-03-10")) == day("2024-03-08")
    assert work.add(day("2024-03-08"), 1) == day("2024-03-11")
    # Monday 4 + 3: Tuesday 5 (1), Thursday 7 (2; Wednesday is off), Friday 8 (3)
    assert work.add(day("2024-03-04"), 3) == day("2024-03-08")
    assert work.add(day("2024-03-11"), -2) == day("2024-03-07")
    # [Mon 4, Mon 11): Mon, Tue, Thu, Fri = 4
    assert work.between(day("2024-03-04"), day("2024-03-11")) == 4
    assert work.between(day("2024-03-11"), day("2024-03-04")) == -4
    # five days from Monday 4: Mon 4, Tue 5, Thu 7, Fri 8, Mon 11
    assert work.finish(day("2024-03-04"), 5) == day("2024-03-11")


def test_activity_calendar_takes_the_project_exceptions() -> None:
    project = calendar("std", holidays=["2024-03-10"])
    seven = calendar("seven", workdays=range(7), holidays=["2024-03-12"])
    work = WorkCalendar(seven, base=project)
    assert work.works(day("2024-03-09"))  # Saturday, on a seven-day calendar
    assert not work.works(day("2024-03-10"))  # the project's holiday
    assert not work.works(day("2024-03-12"))  # its own
    # Friday 8 + 3 days: Sat 9 (1), Mon 11 (2), Wed 13 (3)
    assert work.add(day("2024-03-08"), 3) == day("2024-03-13")


def test_dates_outside_the_indexed_span_are_refused() -> None:
    work = WorkCalendar(calendar("std"))
    with pytest.raises(OutsideCalendar):
        work.add(dt.date(2199, 12, 30), 10)
    with pytest.raises(OutsideCalendar):
        work.next_working(dt.date(1970, 1, 1))


# -- the passes ---------------------------------------------------------------------------------------


def test_a_holiday_inside_a_task_moves_its_finish_by_one_day() -> None:
    activities, links = [task("A", 5), task("B", 2)], chain("A", "B")
    plain = analyse(schedule(activities, links, start="2024-03-04")).timings
    # A: Mon 4 - Fri 8; B: Mon 11 - Tue 12
    assert dates(plain["A"]) == ("2024-03-04", "2024-03-08")
    assert dates(plain["B"]) == ("2024-03-11", "2024-03-12")
    holiday = calendar("std", holidays=["2024-03-06"])
    moved = analyse(schedule(activities, links, start="2024-03-04", project_calendar=holiday)).timings
    # A: Mon 4, Tue 5, Thu 7, Fri 8, Mon 11; B: Tue 12 - Wed 13
    assert dates(moved["A"]) == ("2024-03-04", "2024-03-11")
    assert dates(moved["B"]) == ("2024-03-12", "2024-03-13")


# A: 5 days, Monday 4 - Friday 8. B: 3 days, linked from A.
@pytest.mark.parametrize(
    ("kind", "lag", "b_start", "b_finish", "a_float", "b_float"),
    [
        ("FS", 0, "2024-03-11", "2024-03-13", 0, 0),
        # lag Mon 11, Tue 12; B Wed 13 - Fri 15
        ("FS", 2, "2024-03-13", "2024-03-15", 0, 0),
        # lead of 2: B starts Thu 7 (Thu 7, Fri 8, Mon 11)
        ("FS", -2, "2024-03-07", "2024-03-11", 0, 0),
        # two days after A starts: Wed 6 - Fri 8
        ("SS", 2, "2024-03-06", "2024-03-08", 0, 0),
        # with A: Mon 4 - Wed 6, the project ends Fri 8: B may slip Thu 7, Fri 8
        ("SS", 0, "2024-03-04", "2024-03-06", 0, 2),
        # finishes a day after A: Mon 11, so starts Thu 7
        ("FF", 1, "2024-03-07", "2024-03-11", 0, 0),
        # finishes a day before A: Thu 7, so starts Tue 5; may slip one day to Fri 8
        ("FF", -1, "2024-03-05", "2024-03-07", 0, 1),
        # finishes no earlier than 10 working days after A starts (Mon 4 ... Fri 15): Wed 13 - Fri 15
        ("SF", 10, "2024-03-13", "2024-03-15", 0, 0),
        # finishes no earlier than A starts: held only by the start, Mon 4 - Wed 6; slack to Fri 8
        ("SF", 0, "2024-03-04", "2024-03-06", 0, 2),
    ],
)
def test_link_types_with_lags_and_leads(
    kind: LinkType, lag: float, b_start: str, b_finish: str, a_float: int, b_float: int
) -> None:
    result = analyse(schedule([task("A", 5), task("B", 3)], [link("A", "B", kind, lag)], start="2024-03-04"))
    assert dates(result.timings["A"]) == ("2024-03-04", "2024-03-08")
    assert dates(result.timings["B"]) == (b_start, b_finish)
    assert (result.total_float("A"), result.total_float("B")) == (a_float, b_float)


def test_a_lag_counts_on_the_predecessors_calendar() -> None:
    seven = calendar("seven", workdays=range(7))
    plan = schedule(
        [task("A", 2, calendar="seven", constraint=constraint("SNET", "2024-03-08")), task("B", 1)],
        [link("A", "B", "FS", 2)],
        calendars=[seven],
        start="2024-03-04",
    )
    # A: Fri 8, Sat 9; the lag, on A's seven-day calendar: Sun 10, Mon 11; B: Tue 12
    assert dates(analyse(plan).timings["B"]) == ("2024-03-12", "2024-03-12")


def test_a_milestone_sits_on_the_day_of_the_work_it_follows() -> None:
    plan = schedule(
        [milestone("S"), task("A", 4), milestone("M"), task("B", 1)],
        chain("S", "A", "M", "B"),
        start="2024-03-04",
    )
    timings = analyse(plan).timings
    # S at the start of Mon 4; A Mon 4 - Thu 7; M at the end of Thu 7; B Fri 8
    assert dates(timings["S"]) == ("2024-03-04", "2024-03-04")
    assert dates(timings["A"]) == ("2024-03-04", "2024-03-07")
    assert dates(timings["M"]) == ("2024-03-07", "2024-03-07")
    assert dates(timings["B"]) == ("2024-03-08", "2024-03-08")


def test_fractional_durations_round_up_to_whole_days() -> None:
    plan = schedule([task("A", 0.5), task("B", 2.5)], chain("A", "B"), start="2024-03-04")
    timings = analyse(plan).timings
    # A takes Mon 4; B three days, Tue 5 - Thu 7
    assert dates(timings["A"]) == ("2024-03-04", "2024-03-04")
    assert dates(timings["B"]) == ("2024-03-05", "2024-03-07")


def test_a_seven_day_calendar_task() -> None:
    seven = calendar("seven", workdays=range(7))
    activities = [task("A", 5), task("B", 4, calendar="seven"), task("C", 1)]
    result = analyse(schedule(activities, chain("A", "B", "C"), calendars=[seven], start="2024-03-04"))
    # A Mon 4 - Fri 8; B Sat 9, Sun 10, Mon 11, Tue 12; C Wed 13
    assert dates(result.timings["B"]) == ("2024-03-09", "2024-03-12")
    assert dates(result.timings["C"]) == ("2024-03-13", "2024-03-13")
    assert keys(result.critical_path) == ["A", "B", "C"]
    project = calendar("std", holidays=["2024-03-10"])
    plan = schedule(
        activities, chain("A", "B", "C"), calendars=[seven], project_calendar=project, start="2024-03-04"
    )
    result = analyse(plan)
    # the project's Sunday holiday holds B too: Sat 9, Mon 11, Tue 12, Wed 13; C Thu 14
    assert dates(result.timings["B"]) == ("2024-03-09", "2024-03-13")
    assert result.finish == day("2024-03-14")


@pytest.mark.parametrize(
    ("kind", "on", "b_start", "b_finish", "b_float", "a_float"),
    [
        # A: Mon 4 - Fri 8, then B (2 days). Logic alone: B Mon 11 - Tue 12.
        # no earlier than Wed 13: Wed 13 - Thu 14; A may slip two days
        ("SNET", "2024-03-13", "2024-03-13", "2024-03-14", 0, 2),
        # finish no earlier than Fri 15: Thu 14 - Fri 15
        ("FNET", "2024-03-15", "2024-03-14", "2024-03-15", 0, 3),
        # must start on Wed 6, whatever the logic: Wed 6 - Thu 7. The project ends with A (Fri 8), so B
        # may finish then, but must start Wed 6: 0. A must finish before Wed 6, by Tue 5: -3 (Wed 6 ... Fri 8)
        ("MSO", "2024-03-06", "2024-03-06", "2024-03-07", 0, -3),
        # must finish on Fri 15: Thu 14 - Fri 15
        ("MFO", "2024-03-15", "2024-03-14", "2024-03-15", 0, 3),
        # start no later than Mon 4: logic keeps Mon 11 - Tue 12; late start Mon 4: -5 (Mon 4 ... Fri 8)
        ("SNLT", "2024-03-04", "2024-03-11", "2024-03-12", -5, -5),
        # finish no later than Mon 11: one day late
        ("FNLT", "2024-03-11", "2024-03-11", "2024-03-12", -1, -1),
        # as late as possible is scheduled as soon as possible
        ("ALAP", "2024-03-29", "2024-03-11", "2024-03-12", 0, 0),
    ],
)
def test_constraints(kind: str, on: str, b_start: str, b_finish: str, b_float: int, a_float: int) -> None:
    plan = schedule(
        [task("A", 5), task("B", 2, constraint=constraint(kind, on))], chain("A", "B"), start="2024-03-04"
    )
    result = analyse(plan)
    assert dates(result.timings["B"]) == (b_start, b_finish)
    assert (result.total_float("B"), result.total_float("A")) == (b_float, a_float)


@pytest.mark.parametrize(("kind", "b_float"), [("MANDSTART", 0), ("MSO", -2)])
def test_a_mandatory_start_ignores_its_successors_a_must_start_on_does_not(kind: str, b_float: int) -> None:
    plan = schedule(
        [task("B", 2, constraint=constraint(kind, "2024-03-06")), task("C", 1)],
        chain("B", "C"),
        start="2024-03-04",
        must_finish_by="2024-03-06",
    )
    result = analyse(plan)
    # B Wed 6 - Thu 7, C Fri 8; C must finish by Wed 6: two days late (Thu 7, Fri 8)
    assert dates(result.timings["B"]) == ("2024-03-06", "2024-03-07")
    assert result.total_float("C") == -2
    # mandatory: B's late start stays Wed 6; must-start-on: B must finish by Tue 5, start Mon 4
    assert result.total_float("B") == b_float


@pytest.mark.parametrize(("deadline", "expected"), [("2024-03-13", -2), ("2024-03-22", 5)])
def test_a_must_finish_by_date_sets_the_float(deadline: str, expected: int) -> None:
    plan = schedule([task("A", 5), task("B", 5), task("C", 2)], chain("A", "B"), start="2024-03-04")
    plan = schedule(plan.activities, plan.links, start="2024-03-04", must_finish_by=deadline)
    result = analyse(plan)
    # A Mon 4 - Fri 8, B Mon 11 - Fri 15: the project finishes Fri 15 whatever the deadline
    assert result.finish == day("2024-03-15")
    assert result.total_float("A") == result.total_float("B") == expected
    # C, Mon 4 - Tue 5, may finish on the deadline: Wed 13 -> days 3 ... 8 = 6 more; Fri 22 -> 13 more
    assert result.total_float("C") == expected + 8
    assert keys(result.critical_path) == ["A", "B"]


def test_progress_from_the_status_date() -> None:
    plan = schedule(
        [
            task(
                "C", 5, actual_start=day("2024-03-04"), actual_finish=day("2024-03-08"), percent_complete=100
            ),
            task("D", 2),
            task("E", 10, actual_start=day("2024-03-04"), remaining=4, percent_complete=60),
            task("F", 10, actual_start=day("2024-03-05"), percent_complete=50),
            task("G", 1),
            task("H", 3, actual_start=day("2024-03-12"), remaining=1),
        ],
        [*chain("C", "D"), link("D", "H")],
        status="2024-03-13",
        start="2024-03-04",
    )
    result = analyse(plan)
    timings = result.timings
    assert dates(timings["C"]) == ("2024-03-04", "2024-03-08")  # complete: its actual dates
    assert timings["C"].total_float is None
    assert dates(timings["D"]) == ("2024-03-13", "2024-03-14")  # not before the status date (Wed 13)
    assert dates(timings["E"]) == ("2024-03-04", "2024-03-18")  # 4 left: Wed 13, Thu 14, Fri 15, Mon 18
    assert dates(timings["F"]) == ("2024-03-05", "2024-03-19")  # 10 x 50% = 5 left: Wed 13 ... Tue 19
    assert dates(timings["G"]) == ("2024-03-13", "2024-03-13")
    assert dates(timings["H"]) == ("2024-03-12", "2024-03-13")  # started: D no longer holds it
    assert result.finish == day("2024-03-19")
    assert result.total_float("E") == 1  # may finish Tue 19
    assert keys(result.critical_path) == ["F"]


def test_summaries_and_level_of_effort_are_left_out() -> None:
    plan = schedule(
        [activity("X", Kind.summary, 20), activity("L", Kind.level_of_effort, 20), task("A", 2)],
        [link("X", "A"), link("L", "A")],
        start="2024-03-04",
    )
    result = analyse(plan)
    assert set(result.timings) == {"A"}
    assert dates(result.timings["A"]) == ("2024-03-04", "2024-03-05")


def test_critical_path_follows_driving_links() -> None:
    plan = schedule(
        [milestone("S"), task("A", 5), task("B", 3), task("C", 2), milestone("F")],
        [*chain("S", "A", "B", "F"), link("S", "C"), link("C", "F")],
        start="2024-03-04",
    )
    result = analyse(plan)
    # A Mon 4 - Fri 8, B Mon 11 - Wed 13: F Wed 13. C Mon 4 - Tue 5 may finish Wed 13: days 3 ... 8
    assert result.finish == day("2024-03-13")
    assert result.total_float("C") == 6
    assert keys(result.critical_path) == ["S", "A", "B", "F"]


def test_circular_logic_names_the_loop() -> None:
    plan = schedule(
        [task("D", 1), task("A", 1), task("B", 1), task("C", 1)], [*chain("D", "A", "B", "C"), link("C", "A")]
    )
    with pytest.raises(CircularLogic) as raised:
        analyse(plan)
    assert set(keys(raised.value.cycle)) == {"A", "B", "C"}
    message = str(raised.value)
    assert message.startswith("circular logic: ")
    assert all(label in message for label in ("A task", "B task", "C task")) and "D task" not in message


def test_a_link_to_itself_is_circular() -> None:
    with pytest.raises(CircularLogic, match="A task -> A task"):
        analyse(schedule([task("A", 1)], [link("A", "A")]))


def test_ten_thousand_activities_in_one_chain() -> None:
    names = [f"T{n}" for n in range(10_000)]
    plan = schedule([task(name, 1) for name in names], chain(*names), start="2024-03-04")
    # 10,000 one-day tasks: 2,000 working weeks from Monday 4 March 2024, ending on a Friday
    assert analyse(plan).finish == day("2024-03-04") + dt.timedelta(weeks=2000, days=-3)
    looped = schedule(plan.activities, [*plan.links, link(names[-1], names[0])])
    with pytest.raises(CircularLogic) as raised:
        analyse(looped)
    assert len(raised.value.cycle) == 10_000


def test_a_delay_re_runs_the_forward_pass() -> None:
    plan = schedule(
        [task("A", 5), task("B", 5), task("C", 3)], [*chain("A", "B"), link("A", "C")], start="2024-03-04"
    )
    network = Network(plan)
    assert network.finish_delay("A", 600) == 600
    # C has 2 days of float: delaying it 5 days moves the finish by 3
    assert network.finish_delay("C", 5) == 3


def test_no_activities_gives_no_finish() -> None:
    result = analyse(schedule([], start="2024-03-04"))
    assert result.finish is None and result.critical_path == () and not result.timings
