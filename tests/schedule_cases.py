"""The schedules that the schedule rules' own cases name (rules/schedule/cases/).

`sound` passes every DCMA check; `moved` is its next update, in which "Deploy" grew by ten
working days and so moved the finish; `flawed` fails every check. They are built here from the
model and written as P6 XER, as is the bundled example's schedule (examples/schedules/);
tests/test_schedule_rules.py checks that the committed files are what this module writes.
Regenerate them with `python tests/schedule_cases.py`.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from types import MappingProxyType

sys.path.insert(0, str(Path(__file__).parent))

from schedule_models import constraint, day, link, milestone, schedule, task, with_dates
from schedule_write import write_mspdi, write_xer

from govcheck.importers.schedule.model import Activity, Schedule

CASES = Path(__file__).resolve().parents[1] / "rules" / "schedule" / "cases"
STATUS = "2024-03-15"  # a Friday


def _done(start: str, finish: str) -> dict[str, object]:
    return {
        "actual_start": day(start), "actual_finish": day(finish), "percent_complete": 100.0, "remaining": 0.0
    }


def _named(a: Activity, name: str) -> Activity:
    return dataclasses.replace(a, name=name, resources=0 if a.kind.value == "milestone" else 1)


def _renamed(plan: Schedule, activities: tuple[Activity, ...], name: str) -> Schedule:
    return dataclasses.replace(
        plan, activities=activities, name=name, path=f"{name}.xer", by_key=MappingProxyType({})
    )


def _baselined(plan: Schedule, **overrides: dict[str, object]) -> Schedule:
    """Every activity's baseline set to its current dates and duration, then `overrides` by key."""

    def based(a: Activity) -> Activity:
        a = dataclasses.replace(
            a, baseline_start=a.start, baseline_finish=a.finish, baseline_duration=a.duration
        )
        return dataclasses.replace(a, **overrides.get(a.key, {}))  # type: ignore[arg-type]

    return _renamed(plan, tuple(based(a) for a in plan.activities), plan.name)


def _plan(deploy_days: float) -> Schedule:
    activities = [
        _named(milestone("M1", **_done("2024-01-08", "2024-01-08")), "Start"),
        _named(task("T1", 10, **_done("2024-01-08", "2024-01-19")), "Design"),
        _named(task("T2", 20, **_done("2024-01-22", "2024-02-16")), "Build"),
        _named(task("T3", 20, **_done("2024-02-19", "2024-03-15")), "Test"),
        _named(task("T4", deploy_days), "Deploy"),
        _named(task("T5", 10), "Train users"),
        _named(milestone("M2"), "Go-live"),
    ]
    links = [
        link("M1", "T1"), link("T1", "T2"), link("T2", "T3"), link("T3", "T4"),
        link("T4", "M2"), link("T3", "T5"), link("T5", "M2"),
    ]
    return with_dates(schedule(activities, links, status=STATUS, start="2024-01-08"))


def sound() -> Schedule:
    plan = _baselined(_plan(15))
    return _renamed(plan, plan.activities, "sound")


def moved() -> Schedule:
    """The next update of `sound`: Deploy now takes 25 working days, not 15, so Go-live and the
    finish move ten working days (14 calendar days) later; the baseline is unchanged."""
    base = {a.key: a for a in sound().activities}
    plan = _plan(25)
    kept = tuple(
        dataclasses.replace(
            a,
            baseline_start=base[a.key].baseline_start,
            baseline_finish=base[a.key].baseline_finish,
            baseline_duration=base[a.key].baseline_duration,
        )
        for a in plan.activities
    )
    return _renamed(plan, kept, "moved")


def flawed() -> Schedule:
    """Every DCMA check fails: a dangling task (logic, high float), a lead, lags and
    start-to-start links, a finish-no-later-than constraint the logic cannot meet (hard
    constraint, negative float), a 60-day task (high duration), a forecast start before the
    status date (invalid date), a task without resources, tasks due that have not finished
    (missed tasks, BEI), a must-start-on constraint that absorbs any delay on the path (critical
    path test) and a forecast finish well after the baseline (CPLI)."""
    activities = [
        _named(milestone("M1", **_done("2024-01-08", "2024-01-08")), "Start"),
        _named(task("T1", 10, **_done("2024-01-08", "2024-01-19")), "Design"),
        _named(task("T2", 30), "Build"),  # due 2024-03-01 by the baseline, not finished
        _named(task("T3", 60), "Integrate"),
        _named(task("T4", 5), "Write user guide"),  # no successor
        _named(task("T5", 10, constraint=constraint("FNLT", "2024-04-05")), "Migrate data"),
        _named(task("T6", 10), "Train users"),
        _named(task("T7", 5, constraint=constraint("MSO", "2024-12-02")), "Hand over"),
        _named(milestone("M2"), "Go-live"),
    ]
    links = [
        link("M1", "T1"), link("T1", "T2"), link("T2", "T3", "SS", 5), link("T3", "T5"),
        link("T2", "T4", "FS", 3), link("T5", "T6", "FS", -2), link("T6", "M2", "FF"),
        link("T3", "T6", "SS"), link("T7", "M2"), link("T6", "T7"),
    ]
    plan = with_dates(schedule(activities, links, status=STATUS, start="2024-01-08"))
    plan = _baselined(
        plan,
        T2={"baseline_start": day("2024-01-22"), "baseline_finish": day("2024-03-01")},
        T6={"resources": 0},
        T7={"baseline_start": day("2024-06-24"), "baseline_finish": day("2024-06-28")},
        M2={"baseline_finish": day("2024-07-01")},
    )
    invalid = tuple(
        dataclasses.replace(a, start=day("2024-03-04")) if a.key == "T4" else a for a in plan.activities
    )
    return _renamed(plan, invalid, "flawed")


SCHEDULES = {"sound.xer": sound, "moved.xer": moved, "flawed.xer": flawed}

#: The bundled example's schedule (examples/harbour-ticketing.yaml): its update in MS Project
#: XML, the update before in P6 XER, so that the example shows both formats.
EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "schedules"


def written() -> dict[Path, bytes]:
    """Every schedule file this module makes, by where it is committed."""
    files = {CASES / name: write_xer(build()) for name, build in SCHEDULES.items()}
    files[EXAMPLES / "harbour-2024-03.xml"] = write_mspdi(moved())
    files[EXAMPLES / "harbour-2024-02.xer"] = write_xer(sound())
    return files


def main() -> None:
    for path, content in written().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


if __name__ == "__main__":
    main()
