"""The DCMA 14-point assessment, every figure worked out by hand on schedules of known shape.

March 2024: Monday 4, 11, 18 and 25; Friday 8, 15, 22 and 29. "Day n" counts working days from
Monday 4 March (day 1): Friday 8 is day 5, Friday 15 day 10, Tuesday 26 day 17, Friday 10 May day 50.
"""

from __future__ import annotations

import pytest
from schedule_models import activity, chain, constraint, day, link, milestone, schedule, task

from govcheck.importers.schedule.cpm import Network
from govcheck.importers.schedule.dcma import Assessment, Check, assess
from govcheck.importers.schedule.model import Activity, Kind, Schedule

NAMES = [
    "missing_logic",
    "leads",
    "lags",
    "relationship_types",
    "hard_constraints",
    "high_float",
    "negative_float",
    "high_duration",
    "invalid_dates",
    "resources",
    "missed_tasks",
    "critical_path_test",
    "cpli",
    "bei",
]


def keys(activities: tuple[Activity, ...]) -> list[str]:
    return [a.key for a in activities]


def figures(check: Check) -> tuple[int, int, float | None, list[str]]:
    return check.count, check.total, check.value, keys(check.offenders)


def logic_plan() -> Schedule:
    """No status date; starts Monday 4 March.

    S -> A (5 days) -> +2 -> B (10 days, finish no later than Fri 15) -> F
    A -SS-> C (50 days) -> F;  A -> lead 1 -> D (2 days), no successor;  E (3 days), no predecessor -> F
    X, a summary, is linked to A: ignored.

    Dates: A days 1-5 (Mon 4 - Fri 8). B after a two-day lag (Mon 11, Tue 12): days 8-17 (Wed 13 -
    Tue 26). C from A's start: days 1-50 (Mon 4 - Fri 10 May). D from Fri 8 (lead of one day): days
    5-6. E days 1-3. F = the latest: Fri 10 May (day 50).
    Float: B must finish by Fri 15 (day 10), 7 days before day 17: -7, and so A (through the lag), and S.
    C: 0. D may finish on day 50, ends day 6: 44. E ends day 3: 47.
    """
    return schedule(
        [
            milestone("S"),
            task("A", 5, resources=1),
            task("B", 10, resources=1, constraint=constraint("FNLT", "2024-03-15")),
            task("C", 50),
            task("D", 2, resources=1),
            task("E", 3),
            milestone("F"),
            activity("X", Kind.summary, 0),
        ],
        [
            link("S", "A"),
            link("A", "B", "FS", 2),
            link("A", "C", "SS"),
            link("B", "F"),
            link("C", "F"),
            link("A", "D", "FS", -1),
            link("E", "F"),
            link("X", "A"),
        ],
        start="2024-03-04",
    )


def test_checks_are_named_and_numbered_in_order() -> None:
    checks = assess(logic_plan()).checks
    assert list(checks) == NAMES
    assert [c.number for c in checks.values()] == list(range(1, 15))


def test_logic_checks() -> None:
    checks = assess(logic_plan()).checks
    # population: the incomplete tasks A, B, C, D, E; links: the 7 touching them (not X -> A)
    assert figures(checks["missing_logic"]) == (2, 5, 2 / 5, ["D", "E"])  # D: no successor, E: none before
    assert figures(checks["leads"]) == (1, 7, 1.0, ["D"])  # A -> D, lead of one day
    assert figures(checks["lags"]) == (1, 7, 1 / 7, ["B"])  # A -> B, lag of two days
    assert figures(checks["relationship_types"]) == (1, 7, 6 / 7, ["C"])  # A -SS-> C; 6 of 7 finish-to-start
    assert figures(checks["hard_constraints"]) == (1, 5, 1 / 5, ["B"])  # finish no later than


def test_float_and_duration_checks() -> None:
    assessment = assess(logic_plan())
    checks = assessment.checks
    assert figures(checks["high_float"]) == (1, 5, 1 / 5, ["E"])  # E 47 > 44; D 44 is not over
    assert figures(checks["negative_float"]) == (2, 5, 2.0, ["A", "B"])  # -7 each
    assert figures(checks["high_duration"]) == (1, 5, 1 / 5, ["C"])  # 50 > 44
    assert figures(checks["resources"]) == (2, 5, 2 / 5, ["C", "E"])
    assert assessment.finish == day("2024-05-10")
    assert keys(assessment.critical_path) == ["S", "A", "B"]
    lower = assess(logic_plan(), high_float_days=43, high_duration_days=50).checks
    assert keys(lower["high_float"].offenders) == ["D", "E"]  # 44 and 47 > 43
    assert lower["high_duration"].count == 0  # 50 is not over 50


def test_high_duration_uses_the_baseline_duration_where_given() -> None:
    plan = schedule(
        [task("A", 50, baseline_duration=40), task("B", 30, baseline_duration=45)], start="2024-03-04"
    )
    assert keys(assess(plan).checks["high_duration"].offenders) == ["B"]


def test_checks_needing_a_status_date_cannot_be_measured_without_one() -> None:
    checks = assess(logic_plan()).checks
    assert figures(checks["invalid_dates"]) == (0, 7, None, [])  # 7 activities that are not summaries
    for name in ("missed_tasks", "cpli", "bei"):
        assert checks[name].value is None


def progress_plan() -> Schedule:
    """Status date Wednesday 13 March (day 8)."""
    return schedule(
        [
            task("P1", 5, **done("2024-03-04", "2024-03-08"), baseline_finish=day("2024-03-08")),
            task("P2", 4, **done("2024-03-04", "2024-03-07"), baseline_finish=day("2024-03-08")),
            task(
                "P3", 3, start=day("2024-03-11"), finish=day("2024-03-13"), baseline_finish=day("2024-03-12")
            ),
            task(
                "P4",
                4,
                actual_start=day("2024-03-11"),
                start=day("2024-03-11"),
                finish=day("2024-03-14"),
                remaining=2,
                baseline_finish=day("2024-03-15"),
            ),
            task("P5", 2, **done("2024-03-11", "2024-03-12"), baseline_finish=day("2024-03-19")),
            task("P6", 2, **done("2024-03-12", "2024-03-14"), baseline_finish=day("2024-03-13")),
            milestone("M1", finish=day("2024-03-18"), baseline_finish=day("2024-03-11")),
            activity(
                "L1",
                Kind.level_of_effort,
                10,
                actual_start=day("2024-03-04"),
                start=day("2024-03-04"),
                finish=day("2024-03-08"),
            ),
            activity("SUM", Kind.summary, 5, start=day("2024-03-04"), finish=day("2024-03-08")),
        ],
        status="2024-03-13",
        start="2024-03-04",
    )


def done(start: str, finish: str) -> dict[str, object]:
    return {
        "actual_start": day(start),
        "actual_finish": day(finish),
        "start": day(start),
        "finish": day(finish),
        "percent_complete": 100,
    }


def test_invalid_dates() -> None:
    # all but the summary: P1-P6, M1, L1 = 8. P3's forecast start Mon 11 and L1's forecast finish Fri 8
    # are before Wed 13; P6's actual finish Thu 14 is after it.
    check = assess(progress_plan()).checks["invalid_dates"]
    assert figures(check) == (3, 8, 3.0, ["P3", "P6", "L1"])


def test_missed_tasks_and_bei() -> None:
    checks = assess(progress_plan()).checks
    # baselined to finish by Wed 13: P1 (Fri 8), P2 (Fri 8), P3 (Tue 12), P6 (Wed 13) = 4; M1 is a milestone
    # missed: P3 (not finished), P6 (finished Thu 14, after Wed 13) = 2 of 4
    assert figures(checks["missed_tasks"]) == (2, 4, 2 / 4, ["P3", "P6"])
    # finished by Wed 13, whatever the baseline: P1, P2, P5 = 3 of the 4 baselined; P3 and P6 are not
    assert figures(checks["bei"]) == (2, 4, 3 / 4, ["P3", "P6"])


def test_cpli_on_the_progress_plan() -> None:
    # P3 starts on the status date Wed 13 and runs 3 days to Fri 15: the forecast finish; P4 ends Thu 14.
    # Critical path length: Wed 13, Thu 14, Fri 15 = 3. Baseline finish: the latest, P5's Tue 19, two
    # working days later (Mon 18, Tue 19). CPLI = (3 + 2) / 3.
    assessment = assess(progress_plan())
    assert assessment.finish == day("2024-03-15")
    assert figures(assessment.checks["cpli"]) == (0, 3, 5 / 3, [])
    assert keys(assessment.critical_path) == ["P3"]
    assert figures(assessment.checks["critical_path_test"]) == (0, 1, 1.0, [])


@pytest.mark.parametrize(("deadline", "expected"), [(None, 8 / 10), ("2024-03-29", 13 / 10)])
def test_cpli_against_the_baseline_or_the_deadline(deadline: str | None, expected: float) -> None:
    # A done Mon 4 - Fri 8; B (10 days) from the status date Wed 13: Wed 13 ... Tue 26 = 10 days.
    # B's baseline finish Fri 22: 2 days early (Mon 25, Tue 26 over): (10 - 2) / 10.
    # A deadline of Fri 29 leaves 3 days (Wed 27, Thu 28, Fri 29): (10 + 3) / 10.
    plan = schedule(
        [task("A", 5, **done("2024-03-04", "2024-03-08")), task("B", 10, baseline_finish=day("2024-03-22"))],
        chain("A", "B"),
        status="2024-03-13",
        must_finish_by=deadline,
    )
    check = assess(plan).checks["cpli"]
    assert (check.total, check.value) == (10, expected)


def test_critical_path_test_passes_on_a_clean_chain() -> None:
    plan = schedule([milestone("S"), task("A", 5), task("B", 5), milestone("F")], chain("S", "A", "B", "F"))
    assessment = assess(plan)
    assert keys(assessment.critical_path) == ["S", "A", "B", "F"]
    # A, the first task, takes 600 days more: F moves 600 days
    assert figures(assessment.checks["critical_path_test"]) == (0, 4, 1.0, [])


def test_critical_path_test_fails_where_a_hard_constraint_absorbs_the_delay() -> None:
    # A Mon 4 - Fri 8 -> B must start on Mon 11 (as logic has it) -> C: all on the critical path.
    # Delaying A leaves B on Mon 11: the finish does not move.
    plan = schedule(
        [task("A", 5), task("B", 5, constraint=constraint("MSO", "2024-03-11")), task("C", 3)],
        chain("A", "B", "C"),
        start="2024-03-04",
    )
    assessment = assess(plan)
    assert keys(assessment.critical_path) == ["A", "B", "C"]
    assert figures(assessment.checks["critical_path_test"]) == (1, 3, 0.0, ["A"])


def test_critical_path_test_fails_where_a_parallel_path_absorbs_the_delay() -> None:
    # A (days 1-5) must finish by Thu 7 (day 4): float -1, the lowest, so the critical path is A alone;
    # B (days 1-20) drives F. A + 600 ends on day 605: F moves from day 20 by 585, not 600.
    plan = schedule(
        [task("A", 5, constraint=constraint("FNLT", "2024-03-07")), task("B", 20), milestone("F")],
        [link("A", "F"), link("B", "F")],
        start="2024-03-04",
    )
    assessment = assess(plan)
    assert keys(assessment.critical_path) == ["A"]
    assert figures(assessment.checks["critical_path_test"]) == (1, 1, 0.0, ["A"])
    assert Network(plan).finish_delay("A", 600) == 585


def test_critical_path_test_on_the_logic_plan() -> None:
    # critical path S, A, B (float -7); its first task A + 600 ends on day 605, B after the two-day lag
    # runs days 608-617, while C (from A's start) still ends on day 50: F moves from day 50 to day 617,
    # 567 days, not 600.
    assert figures(assess(logic_plan()).checks["critical_path_test"]) == (1, 3, 0.0, ["A"])
    assert Network(logic_plan()).finish_delay("A", 600) == 567


def test_empty_populations_cannot_be_measured() -> None:
    plan = schedule([milestone("S"), milestone("F")], chain("S", "F"), status="2024-03-04")
    checks = assess(plan).checks
    for name in ("missing_logic", "leads", "lags", "relationship_types", "hard_constraints", "high_float"):
        assert checks[name].value is None and checks[name].total == 0
    for name in ("negative_float", "high_duration", "resources", "missed_tasks", "bei"):
        assert checks[name].value is None
    assert checks["invalid_dates"].value == 0.0


def test_the_assessment_is_read_only() -> None:
    assessment: Assessment = assess(logic_plan())
    with pytest.raises(TypeError):
        assessment.checks["leads"] = assessment.checks["lags"]  # type: ignore[index]
    with pytest.raises(AttributeError):
        assessment.checks["leads"].count = 0  # type: ignore[misc]
