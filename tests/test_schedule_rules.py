"""A description that names its schedule, through the command line: the DCMA findings located in
the schedule file in every format, the same in both file formats, what moved, rule options, and
bad schedules refused in one line without costing the rest of a batch."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import schedule_cases
from conftest import ROOT, run_cli
from schedule_write import write_mspdi, write_xer

EXAMPLE = "examples/harbour-ticketing.yaml"
SARIF_SCHEMA = ROOT / "tests" / "schemas" / "sarif-schema-2.1.0.json"
DCMA = {
    "dcma-missing-logic", "dcma-leads", "dcma-lags", "dcma-relationship-types", "dcma-hard-constraints",
    "dcma-high-float", "dcma-negative-float", "dcma-high-duration", "dcma-invalid-dates", "dcma-resources",
    "dcma-missed-tasks", "dcma-critical-path-test", "dcma-cpli", "dcma-bei",
}


def describe(directory: Path, current: str, previous: str | None = None, extra: str = "") -> Path:
    text = (
        "id: sched\nname: Schedule Test\ndepartment: Department for Tests\nassessment_date: 2024-03-20\n"
        f"next_gate: 3\n{extra}schedule_files:\n  current: {current}\n"
        + (f"  previous: {previous}\n" if previous else "")
    )
    path = directory / "programme.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def report_of(path: Path, *args: str, cwd: Path | None = None) -> dict:
    result = run_cli("check", str(path), "-f", "json", *args, cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    (report,) = json.loads(result.stdout)
    return report


def test_committed_schedules_are_what_the_generator_writes() -> None:
    for path, content in schedule_cases.written().items():
        assert path.read_bytes() == content, f"{path}: run python tests/schedule_cases.py"


@pytest.mark.parametrize("writer", [write_xer, write_mspdi], ids=["xer", "mspdi"])
def test_every_check_fails_on_the_flawed_schedule_in_either_format(tmp_path: Path, writer) -> None:
    (tmp_path / "plan.dat").write_bytes(writer(schedule_cases.flawed()))  # detected from the content
    report = report_of(describe(tmp_path, "plan.dat"))
    found = {f["rule_id"]: f for f in report["findings"]}
    assert DCMA <= set(found)
    logic = found["dcma-missing-logic"]
    assert logic["location"]["file"].endswith("plan.dat")
    line = logic["location"]["line"]
    assert logic["evidence"]["activities"] == [{"id": "T4", "name": "Write user guide", "line": line}]
    assert '"T4 Write user guide"' in logic["message"]
    assert [c["result"] for c in report["schedule"]["checks"]] == ["fails"] * 14


def test_both_formats_give_the_same_findings(tmp_path: Path) -> None:
    def findings(writer, name: str) -> set[tuple[str, str]]:
        directory = tmp_path / name
        directory.mkdir()
        (directory / "plan").write_bytes(writer(schedule_cases.flawed()))
        report = report_of(describe(directory, "plan"))
        return {(f["rule_id"], f["message"]) for f in report["findings"]}

    assert findings(write_xer, "xer") == findings(write_mspdi, "mspdi")


def test_the_sound_schedule_passes_every_check(tmp_path: Path) -> None:
    (tmp_path / "plan.xml").write_bytes(write_mspdi(schedule_cases.sound()))
    report = report_of(describe(tmp_path, "plan.xml"))
    assert not {f["rule_id"] for f in report["findings"]} & DCMA
    assert {c["result"] for c in report["schedule"]["checks"]} == {"passes"}


@pytest.mark.parametrize("writer", [write_xer, write_mspdi], ids=["xer", "mspdi"])
def test_what_moved_between_two_updates_is_exact(tmp_path: Path, writer) -> None:
    (tmp_path / "before").write_bytes(writer(schedule_cases.sound()))
    (tmp_path / "after").write_bytes(writer(schedule_cases.moved()))
    report = report_of(describe(tmp_path, "after", "before"))
    moved = report["schedule"]["moved"]
    # Deploy grew from 15 to 25 working days: two weeks, Friday 5 April to Friday 19 April.
    assert (moved["finish_before"], moved["finish_after"]) == ("2024-04-05", "2024-04-19")
    assert (moved["calendar_days"], moved["working_days"]) == (14, 10)
    assert moved["milestones"] == ["M2 Go-live: 2024-04-05 → 2024-04-19 (+14 days)"]
    assert "T4 Deploy: duration 15 → 25 working days" in moved["drivers"]
    finding = next(f for f in report["findings"] if f["rule_id"] == "schedule-finish-moved")
    assert "moved 14 days later" in finding["message"]


def test_the_example_shows_the_status_contradicted_in_every_format(tmp_path: Path) -> None:
    report = report_of(ROOT / EXAMPLE)
    ids = {f["rule_id"] for f in report["findings"]}
    assert {"status-contradicts-schedule", "schedule-finish-moved", "dcma-cpli"} <= ids
    for fmt, marks in {
        "terminal": ("The schedule", "What moved since the previous update", "Critical path test"),
        "markdown": ("## The schedule", "### What moved since the previous update", "| 12 | Critical path"),
        "html": ("The schedule</h", "What moved since the previous update", "Critical path test"),
    }.items():
        out = tmp_path / f"report.{fmt}"
        result = run_cli("check", EXAMPLE, "-f", fmt, "-o", str(out))
        assert result.returncode == 1, result.stderr
        text = out.read_text(encoding="utf-8")
        for mark in marks:
            assert mark in text, (fmt, mark)
        assert "examples/schedules/harbour-2024-03.xml" in text


def test_sarif_locates_schedule_findings_in_the_schedule_file_and_validates(tmp_path: Path) -> None:
    (tmp_path / "plan.xer").write_bytes(write_xer(schedule_cases.flawed()))
    describe(tmp_path, "plan.xer")
    result = run_cli("check", "programme.yaml", "-f", "sarif", cwd=tmp_path)
    assert result.returncode == 0, result.stderr  # nothing at high or above
    sarif = json.loads(result.stdout)
    jsonschema.Draft7Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))).validate(sarif)
    results = {r["ruleId"]: r for r in sarif["runs"][0]["results"]}
    where = results["dcma-hard-constraints"]["locations"][0]["physicalLocation"]
    assert where["artifactLocation"]["uri"] == "plan.xer"
    activities = results["dcma-hard-constraints"]["properties"]["evidence"]["activities"]
    assert [a["id"] for a in activities] == ["T5", "T7"]
    assert where["region"]["startLine"] == activities[0]["line"]


def test_schedule_milestones_join_the_description_and_are_located_there(tmp_path: Path) -> None:
    (tmp_path / "plan.xer").write_bytes(write_xer(schedule_cases.flawed()))
    report = report_of(describe(tmp_path, "plan.xer"))
    slipped = next(f for f in report["findings"] if f["rule_id"] == "milestones-slipped")
    assert '"M2 Go-live"' in slipped["message"]
    lines = (tmp_path / "plan.xer").read_text(encoding="cp1252").splitlines()
    assert "Go-live" in lines[slipped["location"]["line"] - 1]


def test_rule_options_set_thresholds_and_analysis_parameters(tmp_path: Path) -> None:
    (tmp_path / "plan.xer").write_bytes(write_xer(schedule_cases.flawed()))
    describe(tmp_path, "plan.xer")
    (tmp_path / ".govcheck.yaml").write_text(
        "options:\n  dcma-hard-constraints: {share: 0.5}\n  dcma-high-duration: {days: 80}\n",
        encoding="utf-8",
    )
    report = report_of(tmp_path / "programme.yaml", cwd=tmp_path)
    ids = {f["rule_id"] for f in report["findings"]}
    assert "dcma-hard-constraints" not in ids  # 33% is within a 50% limit
    assert "dcma-high-duration" not in ids  # a 60-day task is not high at 80 days
    checks = {c["name"]: c for c in report["schedule"]["checks"]}
    assert checks["hard_constraints"]["limit"] == "at most 50%"
    assert checks["high_duration"]["count"] == 0


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (
            "dcma-hard-constraints: {shar: 0.5}",
            "options.dcma-hard-constraints.shar: rule dcma-hard-constraints has no option 'shar'; "
            "did you mean 'share'?",
        ),
        ("dcma-hard-constraints: {share: lots}", "options.dcma-hard-constraints.share"),
        ("dcma-hard-constraint: {share: 0.5}", "did you mean 'dcma-hard-constraints'?"),
    ],
)
def test_bad_options_are_one_line_errors(tmp_path: Path, setting: str, message: str) -> None:
    shutil.copy(ROOT / "examples" / "healthy.yaml", tmp_path / "healthy.yaml")
    (tmp_path / ".govcheck.yaml").write_text(f"options:\n  {setting}\n", encoding="utf-8")
    result = run_cli("check", "healthy.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaa">]>'
            b'<Project xmlns="http://schemas.microsoft.com/project">&a;</Project>',
            "document type declaration",
        ),
        (b"ERMHDR\t3.1\t2024-01-01\n%T\tPROJECT\n", "3.1"),
        (b"id,name\n1,Design\n", "not a schedule"),
    ],
)
def test_a_bad_schedule_is_one_line_and_the_batch_goes_on(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "plan.xml").write_bytes(content)
    describe(bad, "plan.xml")
    result = run_cli("check", str(bad / "programme.yaml"), EXAMPLE, "-f", "json")
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert "plan.xml" in line and expected in line
    reports = [r for r in json.loads(result.stdout) if "findings" in r]
    assert [r["programme"]["id"] for r in reports] == ["harbour-ticketing"]
    assert reports[0]["findings"]


def test_circular_logic_names_the_loop(tmp_path: Path) -> None:
    loop = schedule_cases.sound()
    from dataclasses import replace

    from schedule_models import link

    (tmp_path / "plan.xer").write_bytes(write_xer(replace(loop, links=(*loop.links, link("T5", "T3")))))
    result = run_cli("check", str(describe(tmp_path, "plan.xer")))
    assert result.returncode == 2
    assert "circular logic: " in result.stderr and "T5 Train users" in result.stderr


def test_schedule_paths_are_relative_to_the_description(tmp_path: Path) -> None:
    result = run_cli("check", str(describe(tmp_path, "/etc/passwd")))
    assert result.returncode == 2
    assert "schedule_files.current" in result.stderr and "relative to the description" in result.stderr
    missing = run_cli("check", str(describe(tmp_path, "nowhere.xml")))
    assert missing.returncode == 2 and "nowhere.xml: file not found" in missing.stderr


def test_without_a_schedule_the_checks_do_not_apply() -> None:
    report = report_of(ROOT / "examples" / "healthy.yaml")
    assert not any(set(g["evidence"]["rules"]) & DCMA for g in report["gaps"])
    assert not any(g["location"]["path"] == "/schedule_files" for g in report["gaps"])
    assert report["schedule"] is None


def test_without_a_previous_update_nothing_is_compared(tmp_path: Path) -> None:
    (tmp_path / "plan.xer").write_bytes(write_xer(schedule_cases.moved()))
    claim = "status: {state: active, key_dates: unchanged}\n"
    report = report_of(describe(tmp_path, "plan.xer", extra=claim))
    ids = {f["rule_id"] for f in report["findings"]}
    ids |= {r for g in report["gaps"] for r in g["evidence"]["rules"]}
    assert not ids & {"schedule-finish-moved", "status-contradicts-schedule"}
    assert report["schedule"]["moved"] is None


@pytest.mark.parametrize("writer", [write_xer, write_mspdi], ids=["xer", "mspdi"])
def test_each_check_gives_the_hand_computed_value_read_from_either_format(tmp_path: Path, writer) -> None:
    from govcheck.importers.schedule import read_schedule
    from govcheck.importers.schedule.dcma import assess

    (tmp_path / "plan").write_bytes(writer(schedule_cases.flawed()))
    checks = assess(read_schedule(tmp_path / "plan")).checks
    # Incomplete tasks: T2-T7 (six; the milestones and the finished Design are left out). Links
    # touching them: nine of the ten (Start -> Design touches none).
    expected = {
        "missing_logic": (1, 6, 1 / 6),  # Write user guide drives nothing
        "leads": (1, 9, 1),  # Migrate data -> Train users, -2 days
        "lags": (2, 9, 2 / 9),  # Build -> Integrate SS +5, Build -> Write user guide +3
        "relationship_types": (3, 9, 6 / 9),  # two SS and one FF among nine
        "hard_constraints": (2, 6, 2 / 6),  # Migrate data FNLT, Hand over MSO
        "high_float": (2, 6, 2 / 6),  # Write user guide and Train users, far ahead of Hand over's MSO
        "negative_float": (3, 6, 3),  # Build, Integrate and Migrate data cannot meet the FNLT of 5 April
        "high_duration": (1, 6, 1 / 6),  # Integrate, 60 days
        "invalid_dates": (1, 9, 1),  # Write user guide forecast to start 4 March, before the status date
        "resources": (1, 6, 1 / 6),  # Train users
        "missed_tasks": (1, 2, 1 / 2),  # due by 15 March: Design (done) and Build (not)
        "critical_path_test": (1, 3, 0.0),  # the MSO on Hand over holds the finish
        # 191 working days from 15 March to the forecast finish, 6 December; the baseline finish
        # (Train users, 9 July) is 108 working days before it: (191 - 108) / 191.
        "cpli": (0, 191, 83 / 191),
        "bei": (1, 2, 1 / 2),  # one of the two tasks due has finished
    }
    for name, (count, total, value) in expected.items():
        check = checks[name]
        assert (check.count, check.total) == (count, total), name
        assert check.value == pytest.approx(value), name


def test_a_baseline_file_gives_the_baseline_dates(tmp_path: Path) -> None:
    from dataclasses import replace

    moved = schedule_cases.moved()
    unbaselined = replace(
        moved,
        activities=tuple(
            replace(a, baseline_start=None, baseline_finish=None, baseline_duration=None)
            for a in moved.activities
        ),
        by_key={},
    )
    (tmp_path / "now.xer").write_bytes(write_xer(unbaselined))
    (tmp_path / "plan.xer").write_bytes(write_xer(schedule_cases.sound()))
    alone = report_of(describe(tmp_path, "now.xer"))
    assert {c["name"]: c["figure"] for c in alone["schedule"]["checks"]}["cpli"] == "not measured"
    path = tmp_path / "programme.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "  baseline: plan.xer\n", encoding="utf-8")
    based = report_of(path)
    # The baseline's Go-live is 5 April; the update forecasts 19 April: float -10 over a critical
    # path of 26 working days from the status date, (26 - 10) / 26.
    cpli = {c["name"]: c for c in based["schedule"]["checks"]}["cpli"]
    assert cpli["value"] == pytest.approx(16 / 26)
    slipped = next(f for f in based["findings"] if f["rule_id"] == "dcma-cpli")
    assert "0.62" in slipped["message"]


def test_a_previous_update_dated_after_the_current_one_is_refused(tmp_path: Path) -> None:
    from dataclasses import replace

    later = replace(schedule_cases.sound(), status_date=schedule_cases.day("2024-04-12"))
    (tmp_path / "now.xer").write_bytes(write_xer(schedule_cases.moved()))
    (tmp_path / "before.xer").write_bytes(write_xer(later))
    result = run_cli("check", str(describe(tmp_path, "now.xer", "before.xer")))
    assert result.returncode == 2
    assert "schedule_files.previous: the previous update's status date (2024-04-12) is after" in result.stderr


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("activities: high_float", "activities: high_flaot"),
            "no schedule check 'high_flaot'; did you mean 'high_float'?",
        ),
        (("gt: {option: share}", "gt: {option: shares}"), "no option 'shares'"),
        (("parameter: high_float_days", "parameter: float_days"), "unknown parameter 'float_days'"),
    ],
)
def test_a_rule_pack_with_bad_options_or_checks_is_refused(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    pack = tmp_path / "pack" / "schedule"
    pack.mkdir(parents=True)
    text = (ROOT / "rules" / "schedule" / "dcma-high-float.yaml").read_text(encoding="utf-8")
    text = text.replace("id: dcma-high-float", "id: pack-high-float").replace(*change)
    assert change[1] in text
    (pack / "pack-high-float.yaml").write_text(text, encoding="utf-8")
    result = run_cli("check", "examples/healthy.yaml", "--rules-dir", str(tmp_path / "pack"))
    assert result.returncode == 2
    assert "pack-high-float.yaml" in result.stderr and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
