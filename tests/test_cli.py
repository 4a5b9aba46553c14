"""The command line as users and CI pipelines meet it: exit codes, errors, outputs."""

from __future__ import annotations

import datetime as dt
import json
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


def test_fail_on_threshold_and_gate(tmp_path: Path) -> None:
    assert run_cli("check", "examples/ngss.yaml", "--fail-on", "critical", "-f", "json").returncode in (0, 1)
    healthy_low = run_cli("check", "examples/healthy.yaml", "--fail-on", "info", "-f", "json")
    findings = json.loads(healthy_low.stdout)["findings"]
    assert healthy_low.returncode == (1 if findings else 0)
    early = json.loads(run_cli("check", "examples/troubled.yaml", "--gate", "0", "-f", "json").stdout)
    late = json.loads(run_cli("check", "examples/troubled.yaml", "--gate", "3", "-f", "json").stdout)
    assert "business-case-behind-gate" in {f["rule_id"] for f in late["findings"]}
    assert "business-case-behind-gate" not in {f["rule_id"] for f in early["findings"]}
    assert early["programme"]["gate"] == 0 and late["programme"]["gate"] == 3


def test_several_outputs_in_one_run(tmp_path: Path) -> None:
    md, js = tmp_path / "r.md", tmp_path / "r.json"
    result = run_cli("check", "examples/ngss.yaml", "-f", "terminal", "-f", f"markdown={md}", "-f", f"json={js}")
    assert result.returncode == 1
    assert "Next Generation Shared Services" in result.stdout
    assert md.read_text().startswith("# Next Generation Shared Services")
    assert "## Recommendations" in md.read_text() and "\na. " in md.read_text()
    assert json.loads(js.read_text())["programme"]["id"] == "ngss"
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
    finding = next(f for f in json.loads(result.stdout)["findings"] if f["rule_id"] == "customers-exited")
    assert finding["suppressed"]["kind"] == "waiver"
    assert finding["suppressed"]["justification"] == "Exits agreed with the board in 2015"


def test_expired_waiver_fails_again_and_is_reported(tmp_path: Path) -> None:
    _copy(tmp_path)
    _waivers(tmp_path, dt.date.today() - dt.timedelta(days=1))
    result = run_cli("check", "ngss.yaml", "-f", "json", cwd=tmp_path)
    finding = next(f for f in json.loads(result.stdout)["findings"] if f["rule_id"] == "customers-exited")
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
    active = [f["rule_id"] for f in json.loads(new.stdout)["findings"] if "suppressed" not in f]
    assert active and all(r.startswith("risk") for r in active), active


def test_config_disables_and_overrides(tmp_path: Path) -> None:
    _copy(tmp_path)
    (tmp_path / ".govcheck.yaml").write_text(textwrap.dedent("""\
        disable: [stakeholders]
        severity: {business-case-missing: critical}
        """))
    report = json.loads(run_cli("check", "ngss.yaml", "-f", "json", cwd=tmp_path).stdout)
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
    assert "pack-no-business-case" in {f["rule_id"] for f in json.loads(ok.stdout)["findings"]}
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
