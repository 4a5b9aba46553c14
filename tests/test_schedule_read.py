"""Reading project schedules (MS Project XML and Primavera P6 XER) through `read_schedule`.

Round trips compare everything each format can hold. MSPDI cannot hold a level-of-effort
activity (it is read back as a task), a must-finish-by date, or a calendar's own hours per day
(the project's apply to all). XER cannot hold a baseline duration apart from the duration, or
"no calendar" apart from the project calendar (every activity names its calendar).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import modules_loaded
from schedule_gen import SEVEN_DAY, STANDARD, chain, small, write_mspdi, write_xer

from govcheck.errors import InputError
from govcheck.importers.schedule import read as read_module
from govcheck.importers.schedule import read_schedule
from govcheck.importers.schedule.model import Activity, Constraint, ConstraintType, Kind, Link, Schedule

NS = 'xmlns="http://schemas.microsoft.com/project"'
Writer = Callable[[Schedule], bytes]
BOTH = pytest.mark.parametrize("write", [write_mspdi, write_xer], ids=["mspdi", "xer"])


def _file(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _refused(path: Path, line: int | None) -> str:
    """The one error reading `path` gives: one line, starting with the file and `line`."""
    with pytest.raises(InputError) as caught:
        read_schedule(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}:{line}:" if line else f"{path}: "), message
    return message


def _activities(schedule: Schedule, *, loe: bool = True, calendars: bool = True) -> list[Activity]:
    def normal(a: Activity) -> Activity:
        kind = a.kind if loe or a.kind is not Kind.level_of_effort else Kind.task
        calendar = a.calendar if calendars else a.calendar or schedule.calendar
        return dataclasses.replace(a, line=0, kind=kind, calendar=calendar)

    return [normal(a) for a in schedule.activities]


def _links(schedule: Schedule) -> list[tuple[str, str, str, float]]:
    return sorted((k.predecessor, k.successor, k.type, k.lag) for k in schedule.links)


def _line_of(data: bytes, text: str) -> int:
    """The 1-based line of the first line of `data` that contains `text`."""
    lines = data.decode("cp1252").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if text in line)


# --- round trips -------------------------------------------------------------------------------


def test_mspdi_round_trip_gives_the_same_model(tmp_path: Path) -> None:
    expected = small()
    got = read_schedule(_file(tmp_path, "small.xml", write_mspdi(expected)))
    assert got.format == "mspdi"
    assert (got.name, got.calendar, got.status_date, got.start) == (
        expected.name,
        expected.calendar,
        expected.status_date,
        expected.start,
    )
    assert got.must_finish_by is None  # MSPDI has no project deadline
    assert dict(got.calendars) == dict(expected.calendars)
    assert _activities(got) == _activities(expected, loe=False)
    assert _links(got) == _links(expected)


def test_xer_round_trip_gives_the_same_model(tmp_path: Path) -> None:
    expected = small()
    got = read_schedule(_file(tmp_path, "small.xer", write_xer(expected)))
    assert got.format == "xer"
    fields = ("name", "calendar", "status_date", "start", "must_finish_by")
    assert [getattr(got, f) for f in fields] == [getattr(expected, f) for f in fields]
    assert dict(got.calendars) == dict(expected.calendars)
    assert _activities(got, calendars=False) == _activities(expected, calendars=False)
    assert _links(got) == _links(expected)


@pytest.mark.parametrize(
    ("name", "write", "form"),
    [
        ("plan.xml", write_xer, "xer"),
        ("plan.xer", write_mspdi, "mspdi"),
        ("plan", write_xer, "xer"),
        ("plan.txt", write_mspdi, "mspdi"),
    ],
)
def test_the_format_is_told_from_the_content_not_the_name(
    tmp_path: Path, name: str, write: Writer, form: str
) -> None:
    assert read_schedule(_file(tmp_path, name, write(small()))).format == form


def test_the_name_given_is_the_one_shown(tmp_path: Path) -> None:
    path = _file(tmp_path, "x.xer", write_xer(small()))
    assert read_schedule(path, name="programme.xer").path == "programme.xer"
    with pytest.raises(InputError, match=r"^shown\.xml: not a schedule"):
        read_schedule(_file(tmp_path, "y.xml", b"hello"), name="shown.xml")


# --- what is read ------------------------------------------------------------------------------


@BOTH
def test_calendars_with_holidays_and_extra_working_days(tmp_path: Path, write: Writer) -> None:
    got = read_schedule(_file(tmp_path, "plan", write(small())))
    standard, seven = got.calendars["1"], got.calendars["2"]
    assert standard.holidays == {dt.date(2024, 3, 29), dt.date(2024, 4, 1)}
    assert standard.extra_workdays == {dt.date(2024, 4, 13)}
    assert standard.workdays == STANDARD.workdays and seven.workdays == SEVEN_DAY.workdays
    assert not standard.works(dt.date(2024, 3, 29)) and standard.works(dt.date(2024, 4, 13))
    assert got.by_key["9"].calendar == "2"


@BOTH
def test_every_link_type_lead_and_lag(tmp_path: Path, write: Writer) -> None:
    got = read_schedule(_file(tmp_path, "plan", write(small())))
    links = {(k.predecessor, k.successor): (k.type, k.lag) for k in got.links}
    assert links[("3", "5")] == ("SS", 2.0)
    assert links[("4", "7")] == ("FS", 3.0)
    assert links[("5", "6")] == ("FS", -1.0)
    assert links[("6", "7")] == ("FF", 0.0)
    assert links[("9", "11")] == ("SF", 0.0)
    assert len(got.links) == 17


def _one_per_constraint(types: list[ConstraintType]) -> Schedule:
    """Activity 1 without a constraint, then one activity for each of `types`."""
    base = small()
    activities = [dataclasses.replace(base.by_key["7"], key="1", id="1", constraint=None)]
    for number, kind in enumerate(types, start=2):
        day = None if kind is ConstraintType.as_late_as_possible else dt.date(2024, 5, 1)
        activities.append(
            dataclasses.replace(
                base.by_key["7"], key=str(number), id=str(number), constraint=Constraint(kind, day)
            )
        )
    return dataclasses.replace(base, activities=tuple(activities), links=(), by_key={})


@BOTH
def test_constraints_are_mapped(tmp_path: Path, write: Writer) -> None:
    types = [t for t in ConstraintType if write is write_xer or not t.name.startswith("mandatory")]
    got = read_schedule(_file(tmp_path, "plan", write(_one_per_constraint(types))))
    assert got.activities[0].constraint is None
    read = [(a.constraint.type, a.constraint.date) for a in got.activities[1:] if a.constraint]
    expected = [(t, None if t is ConstraintType.as_late_as_possible else dt.date(2024, 5, 1)) for t in types]
    assert read == expected
    assert got.by_key["2"].constraint is not None


def test_small_has_its_hand_known_shape(tmp_path: Path) -> None:
    got = read_schedule(_file(tmp_path, "small.xer", write_xer(small())))
    kinds = {a.key: a.kind for a in got.activities}
    assert kinds["1"] is Kind.summary and kinds["13"] is Kind.level_of_effort
    assert kinds["2"] is kinds["12"] is Kind.milestone
    assert got.by_key["2"].constraint == Constraint(ConstraintType.must_start_on, dt.date(2024, 1, 8))
    assert got.by_key["6"].constraint == Constraint(
        ConstraintType.start_no_earlier_than, dt.date(2024, 3, 18)
    )
    assert got.by_key["4"].duration == 60 and got.by_key["14"].resources == 0
    assert {a.key for a in got.activities if a.complete} == {"2", "3", "5", "14"}
    late = got.by_key["6"]
    assert late.finish is not None and late.baseline_finish is not None and late.finish > late.baseline_finish
    successors = {k.predecessor for k in got.links}
    assert {a.key for a in got.activities if a.key not in successors} == {"1", "11", "12"}


@BOTH
def test_line_numbers_point_at_the_activities_and_links(tmp_path: Path, write: Writer) -> None:
    data = write(small())
    got = read_schedule(_file(tmp_path, "plan", data))
    lines = data.decode("cp1252").splitlines()
    for a in got.activities:
        line = lines[a.line - 1]
        assert line.startswith(f"<Task><UID>{a.key}</UID>" if write is write_mspdi else f"%R\t{a.key}\t")
    for k in got.links:
        line = lines[k.line - 1]
        if write is write_mspdi:
            assert line.startswith(f"<PredecessorLink><PredecessorUID>{k.predecessor}</PredecessorUID>")
            assert lines[got.by_key[k.successor].line - 1] in lines[: k.line]
        else:
            assert line.split("\t")[2:4] == [k.successor, k.predecessor]


@BOTH
def test_circular_logic_reads_fine(tmp_path: Path, write: Writer) -> None:
    base = small()
    loop = dataclasses.replace(base, links=(*base.links, Link("8", "3"), Link("12", "12", "SS")))
    got = read_schedule(_file(tmp_path, "plan", write(loop)))
    assert ("8", "3") in {(k.predecessor, k.successor) for k in got.links}


def test_xer_in_cp1252_is_read(tmp_path: Path) -> None:
    base = small()
    renamed = dataclasses.replace(base.by_key["8"], name="Fit\u2013out \u00a3")
    schedule = dataclasses.replace(
        base, activities=(*base.activities[:7], renamed, *base.activities[8:]), by_key={}
    )
    got = read_schedule(_file(tmp_path, "plan.xer", write_xer(schedule)))
    assert got.by_key["8"].name == "Fit\u2013out \u00a3"


def test_xer_calendar_data_that_cannot_be_read_is_monday_to_friday(tmp_path: Path) -> None:
    data = write_xer(small()).replace(b"(0||CalendarData()(", b"(0||CalendarData(", 1)
    got = read_schedule(_file(tmp_path, "plan.xer", data))
    assert got.calendars["1"].workdays == frozenset(range(5)) and not got.calendars["1"].holidays
    assert "assumed Monday to Friday" in got.calendars["1"].name
    assert got.calendars["2"].workdays == frozenset(range(7))


def _mspdi(tasks: str, calendar: str = "", head: str = "") -> bytes:
    weekdays = "".join(
        f"<WeekDay><DayType>{d}</DayType><DayWorking>{int(d not in (1, 7))}</DayWorking></WeekDay>"
        for d in range(1, 8)
    )
    return (
        f'<?xml version="1.0"?>\n<Project {NS}>\n<Name>p</Name>{head}<CalendarUID>1</CalendarUID>\n'
        f"<Calendars><Calendar><UID>1</UID><Name>Std</Name><WeekDays>{weekdays}</WeekDays></Calendar>\n"
        f"{calendar}</Calendars>\n<Tasks>\n{tasks}\n</Tasks>\n</Project>\n"
    ).encode()


def test_mspdi_calendar_exception_forms_and_base_calendars(tmp_path: Path) -> None:
    period = "<TimePeriod><FromDate>{}T00:00:00</FromDate><ToDate>{}T23:59:00</ToDate></TimePeriod>"
    christmas_period = period.format("2024-12-24", "2024-12-26")
    old_form = f"<WeekDay><DayType>0</DayType><DayWorking>0</DayWorking>{christmas_period}</WeekDay>"
    yearly = (
        f"<Exception>{period.format('2024-01-01', '2026-01-01')}<Type>2</Type><Month>0</Month>"
        "<MonthDay>1</MonthDay><DayWorking>0</DayWorking></Exception>"
    )
    thanksgiving = (
        f"<Exception>{period.format('2024-11-01', '2025-11-30')}<Type>3</Type><Month>10</Month>"
        "<MonthItem>7</MonthItem><MonthPosition>3</MonthPosition><DayWorking>0</DayWorking></Exception>"
    )
    saturday = (
        f"<Exception>{period.format('2024-06-01', '2024-06-30')}<Type>6</Type><DaysOfWeek>64</DaysOfWeek>"
        "<Period>2</Period><DayWorking>1</DayWorking></Exception>"
    )
    derived = (
        "<Calendar><UID>2</UID><Name>Crew</Name><BaseCalendarUID>3</BaseCalendarUID>"
        "<WeekDays><WeekDay><DayType>6</DayType><DayWorking>0</DayWorking></WeekDay></WeekDays></Calendar>\n"
        f"<Calendar><UID>3</UID><Name>Base</Name><WeekDays>{old_form}</WeekDays>"
        f"<Exceptions>{yearly}{thanksgiving}{saturday}</Exceptions></Calendar>\n"
    )
    got = read_schedule(_file(tmp_path, "plan.xml", _mspdi("", derived)))
    base, crew = got.calendars["3"], got.calendars["2"]
    new_years = {dt.date(2024, 1, 1), dt.date(2025, 1, 1), dt.date(2026, 1, 1)}
    christmas = {dt.date(2024, 12, 24), dt.date(2024, 12, 25), dt.date(2024, 12, 26)}
    assert base.holidays == new_years | christmas | {dt.date(2024, 11, 28), dt.date(2025, 11, 27)}
    assert base.extra_workdays == {dt.date(2024, 6, 1), dt.date(2024, 6, 15), dt.date(2024, 6, 29)}
    assert base.workdays == frozenset(range(5)) and crew.workdays == frozenset(range(4))  # Friday off
    assert crew.holidays == base.holidays - {dt.date(2024, 12, 27)}


def test_mspdi_na_dates_elapsed_durations_and_percentage_lags(tmp_path: Path) -> None:
    tasks = (
        "<Task><UID>1</UID><ID>1</ID><Name>A</Name><Start>NA</Start><Duration>PT168H0M0S</Duration>"
        "<DurationFormat>8</DurationFormat></Task>\n"
        "<Task><UID>2</UID><ID>2</ID><Name>B</Name><Duration>PT80H0M0S</Duration></Task>\n"
        "<Task><UID>3</UID><ID>3</ID><Name>C</Name><PredecessorLink><PredecessorUID>2</PredecessorUID>"
        "<Type>1</Type><LinkLag>50</LinkLag><LagFormat>19</LagFormat></PredecessorLink>"
        "<PredecessorLink><PredecessorUID>1</PredecessorUID><LinkLag>100800</LinkLag><LagFormat>8</LagFormat>"
        "</PredecessorLink></Task>"
    )
    got = read_schedule(_file(tmp_path, "plan.xml", _mspdi(tasks, head="<StatusDate>NA</StatusDate>")))
    assert got.status_date is None and got.by_key["1"].start is None
    assert got.by_key["1"].duration == pytest.approx(5.0)  # 7 elapsed days on a 5-day week
    assert got.by_key["2"].duration == 10.0
    lags = {k.predecessor: k.lag for k in got.links}
    assert lags == {"2": pytest.approx(5.0), "1": pytest.approx(5.0)}  # 50% of 10 days; 7 elapsed days


def test_mspdi_skips_the_project_summary_task_and_blank_rows(tmp_path: Path) -> None:
    tasks = (
        "<Task><UID>0</UID><ID>0</ID><Name>p</Name><Summary>1</Summary></Task>\n"
        "<Task><UID>1</UID><ID>1</ID><Name>A</Name><IsNull>0</IsNull></Task>\n"
        "<Task><UID>2</UID><ID>2</ID><IsNull>1</IsNull>"
        "<PredecessorLink><PredecessorUID>1</PredecessorUID></PredecessorLink></Task>\n"
        "<Task><UID>3</UID><ID>3</ID><Name>B</Name><Type>1</Type>"
        "<PredecessorLink><PredecessorUID>1</PredecessorUID><Type>3</Type></PredecessorLink></Task>"
    )
    got = read_schedule(_file(tmp_path, "plan.xml", _mspdi(tasks)))
    assert [a.key for a in got.activities] == ["1", "3"]
    assert [(k.predecessor, k.successor, k.type) for k in got.links] == [("1", "3", "SS")]


def test_mspdi_resources_count_real_assignments_only(tmp_path: Path) -> None:
    got = read_schedule(_file(tmp_path, "plan.xml", write_mspdi(small())))
    assert {a.key: a.resources for a in got.activities} == {a.key: a.resources for a in small().activities}
    assert b"<ResourceUID>-65535</ResourceUID>" in write_mspdi(small())


# --- hostile and broken files ------------------------------------------------------------------


def _xer_lines(schedule: Schedule | None = None) -> list[str]:
    return write_xer(schedule or small()).decode("cp1252").split("\r\n")


def _xer(lines: list[str]) -> bytes:
    return "\r\n".join(lines).encode("cp1252")


def test_truncated_xer_row(tmp_path: Path) -> None:
    lines = _xer_lines()
    number = next(n for n, line in enumerate(lines) if line.startswith("%R\t3\t1\t"))
    lines[number] = "\t".join(lines[number].split("\t")[:6])
    message = _refused(_file(tmp_path, "t.xer", _xer(lines)), number + 1)
    assert "TASK row with 5 fields" in message and "truncated" in message


def test_xer_table_without_fields(tmp_path: Path) -> None:
    lines = _xer_lines()
    number = lines.index("%T\tTASKPRED")
    del lines[number + 1 :]
    lines.append("%E")
    _refused(_file(tmp_path, "t.xer", _xer(lines)), number + 1)


@pytest.mark.parametrize("ending", ["", "\r\n"])
def test_xer_without_end(tmp_path: Path, ending: str) -> None:
    lines = _xer_lines()[:-2]
    message = _refused(_file(tmp_path, "t.xer", _xer(lines) + ending.encode()), len(lines))
    assert "no %E" in message


def test_xer_without_task_table(tmp_path: Path) -> None:
    lines = _xer_lines()
    start, end = lines.index("%T\tTASK"), lines.index("%T\tTASKPRED")
    del lines[start:end]
    message = _refused(_file(tmp_path, "t.xer", _xer(lines)), lines.index("%E") + 1)
    assert "no TASK table" in message


@pytest.mark.parametrize("version", ["3.1", "text", "", "99.1"])
def test_unknown_xer_version(tmp_path: Path, version: str) -> None:
    data = write_xer(small(), version=version)
    message = _refused(_file(tmp_path, "v.xer", data), 1)
    assert f"unknown XER version {version!r}" in message


@pytest.mark.parametrize(
    "version", ["8.0", "15.2", "16.2", "18.8", "19.12", "20.12", "21.12", "22.12", "23.12"]
)
def test_known_xer_versions(tmp_path: Path, version: str) -> None:
    assert len(read_schedule(_file(tmp_path, "v.xer", write_xer(small(), version=version))).activities) == 15


def test_xer_with_two_projects(tmp_path: Path) -> None:
    lines = _xer_lines()
    number = lines.index("%T\tPROJECT")
    lines.insert(number + 3, "%R\t2\tSecond\t1\t\t\t\t")
    message = _refused(_file(tmp_path, "p.xer", _xer(lines)), number + 1)
    assert "2 projects (Small programme, Second)" in message


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE Project [\n <!ENTITY lol "lol">\n'
    ' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
    ' <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n]>\n'
    f"<Project {NS}><Name>&lol3;</Name></Project>\n"
)
EXTERNAL = (
    '<?xml version="1.0"?>\n<!DOCTYPE Project [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
    f"<Project {NS}><Name>&x;</Name></Project>\n"
)
PARAMETER = f'<!DOCTYPE Project [<!ENTITY % p SYSTEM "http://example.invalid/p.dtd"> %p;]>\n<Project {NS}/>'


@pytest.mark.parametrize(
    "text", [BILLION_LAUGHS, EXTERNAL, PARAMETER], ids=["laughs", "external", "parameter"]
)
def test_xml_with_a_doctype_or_entities_is_refused(tmp_path: Path, text: str) -> None:
    line = 1 if text is PARAMETER else 2
    message = _refused(_file(tmp_path, "e.xml", text.encode()), line)
    assert "document type declaration or entities is refused" in message


def test_malformed_xml(tmp_path: Path) -> None:
    data = f'<?xml version="1.0"?>\n<Project {NS}>\n  <Name>x</Nam>\n</Project>\n'.encode()
    message = _refused(_file(tmp_path, "m.xml", data), 3)
    assert message.startswith(f"{tmp_path / 'm.xml'}:3:12: malformed XML: mismatched tag")


@BOTH
def test_more_activities_than_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write: Writer
) -> None:
    monkeypatch.setattr(read_module, "MAX_ACTIVITIES", 10)
    data = write(small())
    eleventh = small().activities[10].key
    line = _line_of(data, f"<Task><UID>{eleventh}</UID>" if write is write_mspdi else f"%R\t{eleventh}\t")
    assert "more than 10 activities" in _refused(_file(tmp_path, "big", data), line)


@BOTH
def test_more_links_than_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write: Writer) -> None:
    monkeypatch.setattr(read_module, "MAX_LINKS", 3)
    with pytest.raises(InputError, match="more than 3 links"):
        read_schedule(_file(tmp_path, "big", write(small())))


def test_a_million_xer_activities_are_refused_at_the_first_row_over_the_limit(tmp_path: Path) -> None:
    """The reader stops at the row that passes the limit: a malformed row at the end of the
    file, which would be refused first by a reader that took in every row, is never reached."""
    head = "ERMHDR\t19.12\n%T\tPROJECT\n%F\tproj_id\tproj_short_name\n%R\t1\tP\n%T\tTASK\n%F\ttask_id\n"
    rows = b"%R\t1\n" * 1_000_000 + b"%R\t1\t2\n%E\n"
    message = _refused(_file(tmp_path, "million.xer", head.encode() + rows), 7 + read_module.MAX_ACTIVITIES)
    assert f"more than {read_module.MAX_ACTIVITIES:,} activities" in message


@BOTH
def test_link_to_an_activity_not_in_the_file(tmp_path: Path, write: Writer) -> None:
    base = small()
    data = write(dataclasses.replace(base, links=(*base.links, Link("99", "7"))))
    line = _line_of(data, "<PredecessorUID>99<" if write is write_mspdi else "\t7\t99\t")
    assert "activity '99', which is not in the file" in _refused(_file(tmp_path, "l", data), line)


@BOTH
@pytest.mark.parametrize("year", [1900, 9999])
def test_dates_outside_the_accepted_range(tmp_path: Path, write: Writer, year: int) -> None:
    base = small()
    bad = dataclasses.replace(base.by_key["3"], actual_start=dt.date(year, 1, 2))
    data = write(
        dataclasses.replace(base, activities=(*base.activities[:2], bad, *base.activities[3:]), by_key={})
    )
    line = _line_of(data, "<Task><UID>3</UID>" if write is write_mspdi else "%R\t3\t")
    message = _refused(_file(tmp_path, "d", data), line)
    assert f"activity '3 Design': {year}-01-02 is outside 1980-01-01..2100-12-31" in message


def test_a_project_date_outside_the_range(tmp_path: Path) -> None:
    data = write_xer(dataclasses.replace(small(), status_date=dt.date(1900, 1, 1)))
    message = _refused(_file(tmp_path, "d.xer", data), _line_of(data, "Small programme"))
    assert "last_recalc_date" in message


@BOTH
def test_two_activities_with_one_key(tmp_path: Path, write: Writer) -> None:
    base = small()
    twin = dataclasses.replace(base.by_key["5"], key="3")
    data = write(dataclasses.replace(base, activities=(*base.activities, twin), by_key={}))
    start = "<Task><UID>3</UID>" if write is write_mspdi else "%R\t3\t1\t1\t"  # a TASK row
    lines = data.decode("cp1252").splitlines()
    first, second = (n for n, text in enumerate(lines, start=1) if text.startswith(start))
    message = _refused(_file(tmp_path, "twin", data), second)
    assert f"activity key '3' is used twice (first on line {first})" in message


def test_a_file_over_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read_module, "MAX_BYTES", 1000)
    assert "the limit is 1,000" in _refused(_file(tmp_path, "big.xer", write_xer(small())), None)


def test_an_mspdi_project_date_outside_the_range(tmp_path: Path) -> None:
    data = _mspdi("", head="<StatusDate>9999-12-31T00:00:00</StatusDate>")
    assert "StatusDate: date 9999-12-31 is outside" in _refused(_file(tmp_path, "d.xml", data), 2)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b"  \n\t", "empty file"),
        (bytes(range(256)) * 40, "not a schedule"),
        (b"Name,Start\nDesign,2024-01-01\n", "not a schedule"),
        (b'{"tasks": []}', "not a schedule"),
        (b"<?xml version='1.0'?>\n<html><body/></html>", "not a schedule"),
        (b'<Project xmlns="urn:other"><Name>x</Name></Project>', "not a schedule"),
    ],
    ids=["empty", "blank", "binary", "csv", "json", "html", "other-namespace"],
)
def test_files_that_are_not_schedules(tmp_path: Path, data: bytes, message: str) -> None:
    text = _refused(
        _file(tmp_path, "x.xml", data), 2 if b"html" in data else 1 if b"urn:other" in data else None
    )
    assert message in text and "expected MS Project XML (MSPDI) or a Primavera P6 XER file" in text


# --- scale -------------------------------------------------------------------------------------


def test_chain_of_ten_thousand_reads_back_whole(tmp_path: Path) -> None:
    """Ten thousand activities read back with every link, from either format (how long that
    takes is measured by benchmarks/schedule.py)."""
    schedule = chain(10_000)
    assert len(schedule.activities) == 10_000 and len(schedule.links) > 15_000
    for name, write in (("c.xml", write_mspdi), ("c.xer", write_xer)):
        got = read_schedule(_file(tmp_path, name, write(schedule)))
        assert len(got.activities) == 10_000 and _links(got) == _links(schedule)


@pytest.mark.parametrize(
    ("example", "loaded"), [("healthy.yaml", False), ("harbour-ticketing.yaml", True)], ids=["none", "named"]
)
def test_the_readers_load_only_for_a_description_that_names_a_schedule(example: str, loaded: bool) -> None:
    _, modules = modules_loaded("check", f"examples/{example}", prefix="govcheck.importers.schedule.read")
    assert bool(modules) is loaded, modules
