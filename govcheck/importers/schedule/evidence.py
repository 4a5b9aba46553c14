"""A description's schedule files turned into evidence: read, checked and compared.

`gather` reads the files a description names (relative to it), runs the DCMA checks on the
current snapshot and, given the previous update, what moved between the two. Its milestones
join the description's own (`milestones`), named with the file they come from.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from govcheck.errors import InputError
from govcheck.importers.schedule.calendar import OutsideCalendar
from govcheck.importers.schedule.cpm import CircularLogic
from govcheck.importers.schedule.dcma import Assessment, assess
from govcheck.importers.schedule.model import Activity, Kind, Schedule
from govcheck.importers.schedule.moved import Movement, compare
from govcheck.model import Milestone, Programme, ScheduleFiles

#: The analysis parameters a rule option may set (`parameter: true`), with their defaults:
#: DCMA's 44 working days for high float and high duration, its 600-day delay for the
#: critical path test, and the near-critical band for float erosion.
PARAMETERS: Mapping[str, float] = MappingProxyType(
    {
        "high_float_days": 44,
        "high_duration_days": 44,
        "critical_path_delay_days": 600,
        "near_critical_days": 10,
    }
)


@dataclass(frozen=True, slots=True)
class ScheduleEvidence:
    current: Schedule
    assessment: Assessment
    previous: Schedule | None = None
    movement: Movement | None = None


def resolve(description: str, name: str) -> str:
    """A schedule file named in a description, as a path from where govcheck runs."""
    return os.path.normpath(os.path.join(os.path.dirname(description), name))


def gather(
    files: ScheduleFiles, description: str, parameters: Mapping[str, float] = PARAMETERS
) -> ScheduleEvidence:
    """Read and check the schedule files of the description at `description`."""
    given = {**PARAMETERS, **parameters}
    current = _read(files.current, description)
    if files.baseline:
        current = with_baseline(current, _read(files.baseline, description))
    assessment = _assess(current, given)
    if not files.previous:
        return ScheduleEvidence(current=current, assessment=assessment)
    previous = _read(files.previous, description)
    if previous.status_date and current.status_date and previous.status_date > current.status_date:
        raise InputError(
            f"the previous update's status date ({previous.status_date.isoformat()}) is after the current "
            f"one's ({current.status_date.isoformat()})",
            file=description,
            field="schedule_files.previous",
        )
    try:
        movement = compare(previous, current, near_critical_days=given["near_critical_days"])
    except (CircularLogic, OutsideCalendar) as exc:
        raise InputError(str(exc), file=previous.path) from None
    return ScheduleEvidence(current=current, assessment=assessment, previous=previous, movement=movement)


def attach(
    programme: Programme, description: str, parameters: Mapping[str, float] = PARAMETERS
) -> tuple[Programme, ScheduleEvidence | None]:
    """The programme with its schedule's milestones joined, and the schedule's evidence; the
    programme unchanged and None when it names no schedule file."""
    if programme.schedule_files is None:
        return programme, None
    evidence = gather(programme.schedule_files, description, parameters)
    return programme.model_copy(update={"milestones": milestones(programme, evidence)}), evidence


def _read(name: str, description: str) -> Schedule:
    # The readers load only for a description that names a schedule file: most do not.
    from govcheck.importers.schedule.read import read_schedule

    path = resolve(description, name)
    return read_schedule(path, path)


def _assess(schedule: Schedule, parameters: Mapping[str, float]) -> Assessment:
    try:
        return assess(
            schedule,
            high_float_days=parameters["high_float_days"],
            high_duration_days=parameters["high_duration_days"],
            critical_path_delay_days=round(parameters["critical_path_delay_days"]),
        )
    except CircularLogic as exc:
        raise InputError(str(exc), file=schedule.path) from None
    except OutsideCalendar as exc:
        raise InputError(
            f"the schedule runs outside the dates it can be checked over: {exc}", file=schedule.path
        ) from None


def with_baseline(current: Schedule, baseline: Schedule) -> Schedule:
    """The current schedule with its baseline dates taken from a separate baseline file: each
    activity's planned dates there, matched by key, else by ID."""
    by_key = baseline.by_key
    by_id = {a.id: a for a in baseline.activities}

    def based(a: Activity) -> Activity:
        b = by_key.get(a.key) or by_id.get(a.id)
        if b is None:
            return dataclasses.replace(a, baseline_start=None, baseline_finish=None, baseline_duration=None)
        return dataclasses.replace(
            a,
            baseline_start=b.baseline_start or b.start,
            baseline_finish=b.baseline_finish or b.finish,
            baseline_duration=b.baseline_duration if b.baseline_duration is not None else b.duration,
        )

    return dataclasses.replace(
        current, activities=tuple(based(a) for a in current.activities), by_key=MappingProxyType({})
    )


def milestones(programme: Programme, evidence: ScheduleEvidence) -> tuple[Milestone, ...]:
    """The description's milestones, then the schedule's that it does not already name: each
    with a baseline date, named by its ID and name, with the file as its source."""
    named = {m.name.casefold() for m in programme.milestones}
    found = list(programme.milestones)
    schedule = evidence.current
    for a in schedule.activities:
        if a.kind is not Kind.milestone or a.baseline_finish is None:
            continue
        if a.name.casefold() in named or a.label.casefold() in named:
            continue
        found.append(
            Milestone(
                name=a.label[:500] or a.key,
                baseline=a.baseline_finish,
                forecast=None if a.complete else a.finish,
                actual=a.actual_finish,
                source=f"{schedule.path}, activity {a.id}"[:500],
            )
        )
    return tuple(found)
