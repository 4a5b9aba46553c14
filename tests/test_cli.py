"""The command line as users and CI pipelines meet it: exit codes, errors, outputs."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import textwrap
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLES, ROOT, run_cli


def _copy(tmp_path: Path, name: str = "ngss.yaml") -> Path:
    target = tmp_path / name
    shutil.copy(EXAMPLES / name, target)
    return target


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0 and "govcheck" in result.stdout


def test_rules_lists_the_catalogue() -> None:
    result = run_cli("rules")
    assert result.returncode == 0
    assert "business-case-missing" in result.stdout and "customers-exited" in result.stdout


def test_rules_show_explains_a_rule_and_suggests_on_typo() -> None:
    shown = run_cli("rules", "show", "business-case-missing")
    assert shown.returncode == 0 and "Green Book" in shown.stdout
    typo = run_cli("rules", "show", "business-case-mising")
    assert typo.returncode == 2 and "did you mean 'business-case-missing'" in typo.stderr


@pytest.mark.parametrize(
    ("content", "expect"),
    [
        ("id: x\nname: X\n", ":1:1: department: required field is missing"),
        ("id: x\nname: X\ndepartment: D\nassesment_date: 2020-01-01\n", ":4:1: assesment_date: unknown field; did you mean 'assessment_date'?"),
        ("id: x\nname: X\ndepartment: D\nassessment_date: '2020-01-01'\n", ":4:1: assessment_date: expected an unquoted ISO date"),
        ("id: x\nname: X\ndepartment: D\nassessment_date: 2020-02-30\n", ":4:18: assessment_date: invalid value '2020-02-30'"),
        ("id: x\nname: [X\n", ": YAML syntax error"),
        ("id: x\nname: X\ndepartment: D\nassessment_date: 2020-01-01\nnext_gate: three\n", ":5:1: next_gate: input should be a valid integer"),
    ],
)
def test_bad_input_exits_2_with_one_located_line(tmp_path: Path, content: str, expect: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    result = run_cli("check", str(path), cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("govcheck: bad.yaml") and expect in lines[0], lines[0]
    assert "Traceback" not in result.stderr + result.stdout


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = run_cli("check", "nope.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "govcheck: nope.yaml: file not found"


def test_fail_on_critical_exits_1_only_when_there_is_a_critical_finding(tmp_path: Path) -> None:
    _copy(tmp_path)
    # NGSS has high findings and, as described, no critical one: critical is the boundary.
    plain = run_cli("check", "ngss.yaml", "--fail-on", "critical", "-f", "json", cwd=tmp_path)
    (report,) = json.loads(plain.stdout)
    assert report["summary"]["by_severity"]["critical"] == 0 and report["summary"]["by_severity"]["high"] > 0
    assert plain.returncode == 0, plain.stderr
    (tmp_path / ".govcheck.yaml").write_text("severity: {business-case-missing: critical}\n")
    raised = run_cli("check", "ngss.yaml", "--fail-on", "critical", "-f", "json", cwd=tmp_path)
    (report,) = json.loads(raised.stdout)
    assert report["summary"]["by_severity"]["critical"] == 1
    assert raised.returncode == 1, raised.stderr
    troubled = run_cli("check", "examples/troubled.yaml", "--fail-on", "critical", "-f", "junit")
    assert troubled.returncode == 0, troubled.stderr
    assert 'failures="0"' in troubled.stdout.split("\n")[1]
    assert "<failure" not in troubled.stdout and "<system-out>" in troubled.stdout


def test_fail_on_threshold_and_gate(tmp_path: Path) -> None:
    healthy_low = run_cli("check", "examples/healthy.yaml", "--fail-on", "info", "-f", "json")
    (report,) = json.loads(healthy_low.stdout)
    assert healthy_low.returncode == (1 if report["findings"] else 0)
    (early,) = json.loads(run_cli("check", "examples/troubled.yaml", "--gate", "0", "-f", "json").stdout)
    (late,) = json.loads(run_cli("check", "examples/troubled.yaml", "--gate", "3", "-f", "json").stdout)
    assert "business-case-behind-gate" in {f["rule_id"] for f in late["findings"]}
    assert "business-case-behind-gate" not in {f["rule_id"] for f in early["findings"]}
    assert early["programme"]["gate"] == 0 and late["programme"]["gate"] == 3


@pytest.mark.parametrize("command", ["check", "portfolio"])
def test_json_is_always_a_list_whatever_the_number_of_files(tmp_path: Path, command: str) -> None:
    one_dir = tmp_path / "one"
    one_dir.mkdir()
    shutil.copy(EXAMPLES / "healthy.yaml", one_dir)
    for inputs, count in (
        ([str(EXAMPLES / "healthy.yaml")], 1),
        ([str(one_dir)], 1),
        ([str(EXAMPLES / "healthy.yaml"), str(EXAMPLES / "ngss.yaml")], 2),
        ([str(tmp_path / "missing.yaml")], 1),
    ):
        document = json.loads(run_cli(command, *inputs, "-f", "json").stdout)
        assert isinstance(document, list) and len(document) == count, inputs


def test_several_outputs_in_one_run(tmp_path: Path) -> None:
    md, js = tmp_path / "r.md", tmp_path / "r.json"
    result = run_cli("check", "examples/ngss.yaml", "-f", "terminal", "-f", f"markdown={md}", "-f", f"json={js}")
    assert result.returncode == 1
    assert "Next Generation Shared Services" in result.stdout
    assert md.read_text().startswith("# Next Generation Shared Services")
    assert "## Recommendations" in md.read_text() and "\na. " in md.read_text()
    assert json.loads(js.read_text())[0]["programme"]["id"] == "ngss"
    assert list(tmp_path.glob(".*tmp")) == []


def test_two_formats_to_stdout_is_a_usage_error() -> None:
    result = run_cli("check", "examples/ngss.yaml", "-f", "json", "-f", "markdown")
    assert result.returncode == 2 and "standard output" in result.stderr


def _waivers(tmp_path: Path, expires: dt.date, rule: str = "customers-exited", file: str = "ngss.yaml") -> Path:
    path = tmp_path / ".govcheck-waivers.yaml"
    path.write_text(yaml.safe_dump({"waivers": [{
        "rule": rule, "file": file, "reason": "Exits agreed with the board in 2015",
        "owner": "Programme Director", "expires": expires}]}), encoding="utf-8")
    return path


def test_live_waiver_suppresses_without_dropping(tmp_path: Path) -> None:
    _copy(tmp_path)
    _waivers(tmp_path, dt.date.today() + dt.timedelta(days=30))
    result = run_cli("check", "ngss.yaml", "-f", "json", cwd=tmp_path)
    finding = next(f for f in json.loads(result.stdout)[0]["findings"] if f["rule_id"] == "customers-exited")
    assert finding["suppressed"]["kind"] == "waiver"
    assert finding["suppressed"]["justification"] == "Exits agreed with the board in 2015"


def test_expired_waiver_fails_again_and_is_reported(tmp_path: Path) -> None:
    _copy(tmp_path)
    _waivers(tmp_path, dt.date.today() - dt.timedelta(days=1))
    result = run_cli("check", "ngss.yaml", "-f", "json", cwd=tmp_path)
    finding = next(f for f in json.loads(result.stdout)[0]["findings"] if f["rule_id"] == "customers-exited")
    assert "suppressed" not in finding
    assert "expired on" in result.stderr and "fails again" in result.stderr


def test_waiver_that_matches_nothing_is_reported(tmp_path: Path) -> None:
    _copy(tmp_path, "healthy.yaml")
    _waivers(tmp_path, dt.date.today() + dt.timedelta(days=30), file="healthy.yaml")
    result = run_cli("check", "healthy.yaml", "-f", "json", cwd=tmp_path)
    assert result.returncode == 0
    assert "matches no finding" in result.stderr


def test_live_waiver_lets_a_single_failing_finding_pass(tmp_path: Path) -> None:
    path = _copy(tmp_path, "healthy.yaml")
    data = yaml.safe_load(path.read_text())
    data["parties"][0]["commitment"] = "exited"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    assert run_cli("check", "healthy.yaml", "-f", "json", cwd=tmp_path).returncode == 1
    _waivers(tmp_path, dt.date.today() + dt.timedelta(days=30), file="healthy.yaml")
    assert run_cli("check", "healthy.yaml", "-f", "json", cwd=tmp_path).returncode == 0


def test_baseline_new_problem_fails_alone_and_reordering_fails_nothing(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    made = run_cli("baseline", "ngss.yaml", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert run_cli("check", "ngss.yaml", "--baseline", ".govcheck-baseline.json", cwd=tmp_path).returncode == 0

    data = yaml.safe_load(path.read_text())
    reordered = dict(reversed(list(data.items())))
    path.write_text("# moved about\n\n" + yaml.safe_dump(reordered, sort_keys=False, allow_unicode=True))
    moved = run_cli("check", "ngss.yaml", "--baseline", ".govcheck-baseline.json", "-f", "json", cwd=tmp_path)
    assert moved.returncode == 0, moved.stdout
    assert "baselined" in moved.stderr

    reordered["risk_management"] = {"register_maintained": True, "risks": [{"title": "Nobody owns this", "owner": None}]}
    path.write_text(yaml.safe_dump(reordered, sort_keys=False, allow_unicode=True))
    new = run_cli("check", "ngss.yaml", "--baseline", ".govcheck-baseline.json", "--fail-on", "medium", "-f", "json",
                  cwd=tmp_path)
    assert new.returncode == 1
    active = [f["rule_id"] for f in json.loads(new.stdout)[0]["findings"] if "suppressed" not in f]
    assert active and all(r.startswith("risk") for r in active), active


def test_config_disables_and_overrides(tmp_path: Path) -> None:
    _copy(tmp_path)
    (tmp_path / ".govcheck.yaml").write_text(textwrap.dedent("""\
        disable: [stakeholders]
        severity: {business-case-missing: critical}
        """))
    (report,) = json.loads(run_cli("check", "ngss.yaml", "-f", "json", cwd=tmp_path).stdout)
    assert not [f for f in report["findings"] if f["category"] == "stakeholders"]
    bc = next(f for f in report["findings"] if f["rule_id"] == "business-case-missing")
    assert bc["severity"] == "critical"


def test_config_in_pyproject_and_bad_config_errors(tmp_path: Path) -> None:
    _copy(tmp_path, "healthy.yaml")
    (tmp_path / "pyproject.toml").write_text('[tool.govcheck]\nfail_on = "info"\ndisable = ["no-such-rule"]\n')
    result = run_cli("check", "healthy.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert "pyproject.toml" in result.stderr and "no-such-rule" in result.stderr


def test_custom_rule_pack_and_duplicate_ids(tmp_path: Path) -> None:
    pack = tmp_path / "pack" / "governance"
    pack.mkdir(parents=True)
    rule = (ROOT / "rules" / "business_case" / "business-case-missing.yaml").read_text()
    (pack / "business-case-missing.yaml").write_text(rule)
    dup = run_cli("check", "examples/ngss.yaml", "--rules-dir", str(tmp_path / "pack"))
    assert dup.returncode == 2 and "duplicate rule id 'business-case-missing'" in dup.stderr
    (pack / "business-case-missing.yaml").unlink()
    custom = rule.replace("id: business-case-missing", "id: pack-no-business-case")
    (pack / "pack-no-business-case.yaml").write_text(custom)
    ok = run_cli("check", "examples/ngss.yaml", "--rules-dir", str(tmp_path / "pack"), "-f", "json")
    assert "pack-no-business-case" in {f["rule_id"] for f in json.loads(ok.stdout)[0]["findings"]}
    (pack / "pack-no-business-case.yaml").write_text(custom.replace("business_case.stage", "business_case.stag"))
    bad = run_cli("check", "examples/ngss.yaml", "--rules-dir", str(tmp_path / "pack"))
    assert bad.returncode == 2
    assert "pack-no-business-case.yaml" in bad.stderr and "did you mean 'business_case.stage'" in bad.stderr


def test_schema_validates_every_example() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    result = run_cli("schema")
    schema = json.loads(result.stdout)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for example in sorted(EXAMPLES.glob("*.yaml")):
        data = json.loads(json.dumps(yaml.safe_load(example.read_text()), default=str))
        errors = list(validator.iter_errors(data))
        assert not errors, (example.name, errors[0].message)


def test_init_writes_a_programme_that_validates(tmp_path: Path) -> None:
    assert run_cli("init", cwd=tmp_path).returncode == 0
    assert run_cli("check", "programme.yaml", cwd=tmp_path).returncode in (0, 1)
    assert run_cli("init", cwd=tmp_path).returncode == 2


def test_init_writes_the_schema_its_first_line_names(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    board = tmp_path / "board"
    board.mkdir()
    result = run_cli("init", "board/programme.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = (board / "programme.yaml").read_text(encoding="utf-8")
    named = board / text.splitlines()[0].split("$schema=", 1)[1]
    schema = json.loads(named.read_text(encoding="utf-8"))
    assert schema == json.loads(run_cli("schema").stdout)
    data = json.loads(json.dumps(yaml.safe_load(text), default=str))
    assert not list(jsonschema.Draft202012Validator(schema).iter_errors(data))
    # A schema already there is the user's: kept, unless --force.
    named.write_text("{}", encoding="utf-8")
    assert run_cli("init", "board/other.yaml", cwd=tmp_path).returncode == 0
    assert named.read_text(encoding="utf-8") == "{}"


def test_committed_rule_reference_is_current() -> None:
    result = run_cli("rules", "docs")
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert result.stdout == committed, "docs/rules.md is stale: run `govcheck rules docs -o docs/rules.md`"


def test_batch_over_a_directory_keeps_order_and_reports_bad_files(tmp_path: Path) -> None:
    for name in ("healthy.yaml", "ngss.yaml", "troubled.yaml"):
        _copy(tmp_path, name)
    (tmp_path / "broken.yaml").write_text("id: [\n")
    one = run_cli("check", ".", "-f", "json", "--jobs", "1", cwd=tmp_path)
    two = run_cli("check", ".", "-f", "json", "--jobs", "2", cwd=tmp_path)
    assert one.returncode == two.returncode == 2
    assert one.stdout == two.stdout
    reports = json.loads(one.stdout)
    assert [r["programme"]["source"] for r in reports] == ["broken.yaml", "healthy.yaml", "ngss.yaml", "troubled.yaml"]
    assert "error" in reports[0] and all("findings" in r for r in reports[1:])


def test_portfolio_csv_guards_against_formulas(tmp_path: Path) -> None:
    path = _copy(tmp_path, "healthy.yaml")
    path.write_text(re.sub(r"(?m)^name: .*$", "name: '=HYPERLINK(\"http://x\")'", path.read_text()))
    out = tmp_path / "p.csv"
    result = run_cli("portfolio", "healthy.yaml", "-f", f"csv={out}", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "'=HYPERLINK" in out.read_text() and ",=HYPERLINK" not in out.read_text()


# --- Waivers and baselines at their edges -------------------------------------------------------


def _exited_customer(tmp_path: Path) -> Path:
    path = _copy(tmp_path, "healthy.yaml")
    data = yaml.safe_load(path.read_text())
    data["parties"][0]["commitment"] = "exited"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def test_waiver_expiring_today_still_holds_and_yesterdays_does_not(tmp_path: Path) -> None:
    _exited_customer(tmp_path)
    _waivers(tmp_path, dt.date.today(), file="healthy.yaml")
    today = run_cli("check", "healthy.yaml", "-f", "json", cwd=tmp_path)
    assert today.returncode == 0, today.stdout
    (report,) = json.loads(today.stdout)
    assert next(f for f in report["findings"] if f["rule_id"] == "customers-exited")["suppressed"]
    assert "expired" not in today.stderr
    _waivers(tmp_path, dt.date.today() - dt.timedelta(days=1), file="healthy.yaml")
    yesterday = run_cli("check", "healthy.yaml", "-f", "json", cwd=tmp_path)
    assert yesterday.returncode == 1 and "fails again" in yesterday.stderr


def test_waiver_for_an_unknown_rule_is_one_located_error(tmp_path: Path) -> None:
    _copy(tmp_path)
    _waivers(tmp_path, dt.date.today() + dt.timedelta(days=30), rule="customers-exitted")
    result = run_cli("check", "ngss.yaml", "-f", "json", cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert re.fullmatch(
        r"govcheck: \.govcheck-waivers\.yaml:\d+:\d+: rule: no rule 'customers-exitted'; "
        r"did you mean 'customers-exited'\?; see 'govcheck rules'",
        line,
    ), line


def test_waiver_for_a_disabled_rule_is_not_an_error(tmp_path: Path) -> None:
    _copy(tmp_path)
    (tmp_path / ".govcheck.yaml").write_text("disable: [customers-exited]\n")
    _waivers(tmp_path, dt.date.today() + dt.timedelta(days=30))
    result = run_cli("check", "ngss.yaml", "-f", "json", cwd=tmp_path)
    assert result.returncode == 1 and "matches no finding" in result.stderr


def test_baseline_from_one_file_does_not_hide_another_files_findings(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "ngss.yaml", tmp_path / "a.yaml")
    shutil.copy(EXAMPLES / "ngss.yaml", tmp_path / "b.yaml")
    assert run_cli("baseline", "a.yaml", cwd=tmp_path).returncode == 0
    only_a = run_cli("check", "a.yaml", "--baseline", ".govcheck-baseline.json", cwd=tmp_path)
    assert only_a.returncode == 0, only_a.stdout
    both = run_cli("check", "a.yaml", "b.yaml", "--baseline", ".govcheck-baseline.json", "-f", "json",
                   cwd=tmp_path)
    assert both.returncode == 1
    a, b = json.loads(both.stdout)
    assert a["findings"] and all("suppressed" in f for f in a["findings"])
    assert b["findings"] and not any("suppressed" in f for f in b["findings"])


# --- Outputs and usage ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["-f", "sarif=out", "-f", "junit=out"],
        ["-f", "json", "-o", "out", "-f", "sarif=out"],
        ["-f", "sarif=out", "-f", "junit=./sub/../out"],
        ["-f", "json", "-f", "sarif=/dev/stdout"],
    ],
)
def test_two_formats_to_one_place_is_a_usage_error(tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "sub").mkdir()
    result = run_cli("check", str(EXAMPLES / "ngss.yaml"), *args, cwd=tmp_path)
    assert result.returncode == 2 and "would both be written to" in result.stderr, result.stderr
    assert not (tmp_path / "out").exists() and result.stdout == ""


def test_terminal_counts_suppressed_findings_unless_asked(tmp_path: Path) -> None:
    _copy(tmp_path)
    _waivers(tmp_path, dt.date.today() + dt.timedelta(days=30))
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    quiet = run_cli("check", "ngss.yaml", cwd=tmp_path, env=env)
    assert "suppressed: 1 (not shown" in quiet.stdout
    assert "Exits agreed with the board" not in quiet.stdout
    assert "Customers have left the programme customers-exited" not in quiet.stdout
    # The rating still rests on it, and says so.
    assert "· Customers have left the programme (waived)" in quiet.stdout
    shown = run_cli("check", "ngss.yaml", "--show-suppressed", cwd=tmp_path, env=env)
    assert "Exits agreed with the board" in shown.stdout and "(not shown" not in shown.stdout


def test_terminal_report_ends_with_the_gaps_and_the_exit_code_to_follow(tmp_path: Path) -> None:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    result = run_cli("check", "examples/ngss.yaml", "examples/healthy.yaml", env=env)
    compact = run_cli("check", "examples/ngss.yaml", "examples/healthy.yaml", "-f", "compact")
    last = result.stdout.rstrip("\n").splitlines()[-1]
    assert last == compact.stdout.splitlines()[-1]
    gaps = len(json.loads(run_cli("check", "examples/ngss.yaml", "-f", "json").stdout)[0]["gaps"])
    assert last.startswith("2 files: ") and f"; {gaps} evidence gaps;" in last
    assert last.endswith(f"(exit {result.returncode})") and result.returncode == 1


COMPACT_LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<rest>.*)$")


def test_compact_gives_one_line_per_active_finding_and_errors_in_the_error_shape(tmp_path: Path) -> None:
    _copy(tmp_path)
    _waivers(tmp_path, dt.date.today() + dt.timedelta(days=30))
    (tmp_path / "broken.yaml").write_text("id: x\nname: X\ndepartment: D\nassessment_date: '2020-01-01'\n")
    result = run_cli("check", "broken.yaml", "ngss.yaml", "-f", "compact", cwd=tmp_path)
    assert result.returncode == 2
    *lines, summary = result.stdout.splitlines()
    error_line = result.stderr.splitlines()[0]
    assert lines[0] == error_line.removeprefix("govcheck: ")
    assert lines[0].startswith("broken.yaml:4:1: assessment_date: ")
    (report,) = json.loads(run_cli("check", "ngss.yaml", "-f", "json", cwd=tmp_path).stdout)
    # Active findings, one line each; evidence gaps below --fail-on are only counted.
    active = [f for f in report["findings"] if "suppressed" not in f]
    assert report["gaps"] and len(lines) == 1 + len(active)
    for line, f in zip(lines[1:], active, strict=True):
        match = COMPACT_LINE.match(line)
        assert match, line
        assert (match["file"], int(match["line"]), int(match["col"])) == (
            "ngss.yaml", f["location"]["line"], f["location"]["column"])
        assert match["rest"] == f"{f['severity']} {f['rule_id']} {f['message']}"
    assert COMPACT_LINE.match(summary) is None
    assert summary.startswith("2 files: ") and "1 suppressed" in summary and "1 not checked" in summary
    assert f"{len(report['gaps'])} evidence gaps" in summary
    assert summary.endswith("(exit 2)")
    # Raised to fail the run, the gaps are listed too, after the findings.
    raised = run_cli("check", "ngss.yaml", "-f", "compact", "--evidence-gaps", "high", cwd=tmp_path)
    gap_lines = [line for line in raised.stdout.splitlines() if " high evidence-gap " in line]
    assert len(gap_lines) == len(report["gaps"]) and raised.returncode == 1


def test_compact_escapes_control_characters(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    hostile = 'name: "NGSS\\e[2J\\u0007\\rforged:1:1: critical x y"'
    path.write_text(re.sub(r"(?m)^name: .*$", lambda _: hostile, path.read_text()))
    result = run_cli("check", "ngss.yaml", "-f", "compact", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout and "\r" not in result.stdout
    assert "\\x1b[2J\\x07" in result.stdout
    assert not any(line.startswith("forged") for line in result.stdout.splitlines())


# --- The API and the rules' own tests, run for real ----------------------------------------------


def test_python_api_checks_a_file_and_raises_a_located_error(tmp_path: Path) -> None:
    import govcheck
    from govcheck.errors import InputError

    report = govcheck.check(EXAMPLES / "ngss.yaml")
    assert report.value_for_money.conclusion == "not_achieved"
    assert report.rating.conclusion == "Red"
    assert "business-case-missing" in {f.rule_id for f in report.findings}
    assert report.charts is not None
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nname: X\ndepartment: D\nassessment_date: 2020-02-30\n")
    with pytest.raises(InputError) as caught:
        govcheck.check(bad)
    assert (caught.value.line, caught.value.field) == (4, "assessment_date")


def _pack_with_a_failing_case(tmp_path: Path) -> Path:
    pack = tmp_path / "pack" / "governance"
    pack.mkdir(parents=True)
    rule = (ROOT / "rules" / "business_case" / "business-case-missing.yaml").read_text()
    rule = rule.replace("id: business-case-missing", "id: pack-rule")
    # A case that claims text the finding never contains: the runner must fail it.
    rule = re.sub(r"contains: \[.*?\]", 'contains: ["text that is never there"]', rule, count=1)
    assert "text that is never there" in rule
    (pack / "pack-rule.yaml").write_text(rule)
    return tmp_path / "pack"


def test_rules_test_runs_every_case_and_fails_on_a_broken_one(tmp_path: Path) -> None:
    bundled = run_cli("rules", "test")
    assert bundled.returncode == 0, bundled.stdout
    passed = int(re.search(r"(\d+) passed, 0 failed", bundled.stdout)[1])  # type: ignore[index]
    assert passed > 100
    pack = _pack_with_a_failing_case(tmp_path)
    for args in (["rules", "test", "--rules-dir", str(pack)], ["rules", "--rules-dir", str(pack), "test"]):
        result = run_cli(*args)
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        assert "FAIL pack-rule" in result.stdout and ", 1 failed" in result.stdout


def test_readme_names_only_real_formats_and_no_missing_tags() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    from govcheck.formats import names

    for name in re.findall(r"-f ([a-z-]+)", readme):
        assert name in names(), name
    assert "@v0" not in readme and "rev: v0" not in readme
    assert "-f compact" in readme
