"""The CI formats (sarif, junit, github, gitlab), through the real command line.

Each test reads the output the way the CI system that consumes it would: SARIF against the
official schema, JUnit through junitparser, GitHub workflow commands through a parser that
splits lines the way the Actions runner does, GitLab Code Quality as its JSON.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jsonschema
import junitparser
import pytest
import yaml
from conftest import EXAMPLES, ROOT, modules_loaded, run_cli

from govcheck import __version__
from govcheck.checker import Checker
from govcheck.formats import names, render
from govcheck.formats.github import escape_data, escape_property
from govcheck.report import Finding, Report, Run
from govcheck.rule import Severity

# The official OASIS schema, kept with the tests so that the check can never be skipped.
SARIF_SCHEMA = Path(__file__).resolve().parent / "schemas" / "sarif-schema-2.1.0.json"
FINGERPRINT = "govcheck/v1"
SARIF_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
GITHUB_COMMAND = {
    "critical": "error",
    "high": "error",
    "medium": "warning",
    "low": "notice",
    "info": "notice",
}
GITLAB_SEVERITY = {
    "critical": "blocker",
    "high": "critical",
    "medium": "major",
    "low": "minor",
    "info": "info",
}
# A URI reference as SARIF writes it: unreserved characters, "/" and percent-escapes only.
URI_REFERENCE = re.compile(r"^(?:[A-Za-z0-9._~/-]|%[0-9A-F]{2})+$")


def cli(*args: str, cwd: Path | None = None, expect: int | None = None) -> str:
    result = run_cli("check", *args, cwd=cwd)
    assert "Traceback" not in result.stderr, result.stderr
    if expect is not None:
        assert result.returncode == expect, result.stdout + result.stderr
    return result.stdout


def sarif_of(*args: str, cwd: Path | None = None, expect: int | None = None) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(cli(*args, "-f", "sarif", cwd=cwd, expect=expect))
    return document


def json_reports(*args: str, cwd: Path | None = None) -> list[dict[str, Any]]:
    value = json.loads(cli(*args, "-f", "json", cwd=cwd))
    return value if isinstance(value, list) else [value]


def results_by_rule(sarif: dict[str, Any]) -> dict[str, dict[str, Any]]:
    results = sarif["runs"][0]["results"]
    by_rule = {r["ruleId"]: r for r in results}
    assert len(by_rule) == len(results), "one result per rule per programme"
    return by_rule


def write_waivers(path: Path, *waivers: dict[str, str]) -> Path:
    lines = ["waivers:"]
    for w in waivers:
        lines.append(f"  - rule: {w['rule']}")
        # Strings as JSON (valid YAML, quoted); the expiry date must stay an unquoted YAML date.
        lines += [f"    {k}: {v if k == 'expires' else json.dumps(v)}" for k, v in w.items() if k != "rule"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def hostile_copy(directory: Path, name: str, filename: str = "hostile.yaml") -> Path:
    """A copy of examples/ngss.yaml whose programme name is `name`."""
    text = (EXAMPLES / "ngss.yaml").read_text(encoding="utf-8")
    text, n = re.subn(r"(?m)^name: .*$", lambda _: "name: " + json.dumps(name), text, count=1)
    assert n == 1
    target = directory / filename
    target.write_text(text, encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def ngss_sarif() -> dict[str, Any]:
    return sarif_of("examples/ngss.yaml", expect=1)


@pytest.fixture(scope="module")
def ngss_findings() -> list[dict[str, Any]]:
    findings: list[dict[str, Any]] = json_reports("examples/ngss.yaml")[0]["findings"]
    assert findings, "examples/ngss.yaml is expected to have findings"
    return findings


# --- registration -------------------------------------------------------------------------


def test_ci_formats_are_registered() -> None:
    assert {"sarif", "junit", "github", "gitlab"} <= set(names())


# --- SARIF --------------------------------------------------------------------------------


def test_sarif_is_valid_against_the_official_schema(tmp_path: Path) -> None:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    # Everything a run can hold: findings, a suppressed finding, a passing file, two unreadable
    # files, and a notice (the second waiver matches nothing).
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\nname: [unclosed\n", encoding="utf-8")
    waivers = write_waivers(
        tmp_path / "waivers.yaml",
        {
            "rule": "business-case-missing",
            "file": "examples/ngss.yaml",
            "reason": "Accepted by the board pending the strategic outline case",
            "owner": "SRO",
            "expires": "2099-01-01",
        },
        {
            "rule": "no-sro",
            "file": "examples/none-such.yaml",
            "reason": "A waiver that matches no finding",
            "owner": "SRO",
            "expires": "2099-01-01",
        },
    )
    document = sarif_of(
        str(EXAMPLES / "ngss.yaml"),
        "examples/healthy.yaml",
        str(broken),
        str(tmp_path / "missing.yaml"),
        "--waivers",
        str(waivers),
        expect=2,
    )
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])
    run = document["runs"][0]
    assert document["version"] == "2.1.0"
    assert any("suppressions" in r for r in run["results"])
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert [n["level"] for n in notes] == ["error", "error", "warning"]
    assert "matches no finding" in notes[2]["message"]["text"]
    descriptors = run["tool"]["driver"]["notifications"]
    for n in notes:
        assert descriptors[n["descriptor"]["index"]]["id"] == n["descriptor"]["id"]


def test_sarif_driver_describes_the_catalogue(ngss_sarif: dict[str, Any], checker: Checker) -> None:
    driver = ngss_sarif["runs"][0]["tool"]["driver"]
    assert driver["name"] == "govcheck"
    assert driver["version"] == __version__
    # No address is written that govcheck cannot vouch for: without a configured docs_url there
    # is no information or help link at all.
    assert "informationUri" not in driver
    catalogue = {r.id: r for r in checker.catalogue.info()}
    rules = driver["rules"]
    assert {r["id"] for r in rules} == set(catalogue)
    for rule in rules:
        info = catalogue[rule["id"]]
        assert rule["shortDescription"]["text"] == info.title
        assert rule["fullDescription"]["text"] == info.description
        assert "helpUri" not in rule
        assert re.fullmatch(r"[A-Z][A-Za-z0-9]*", rule["name"]), rule["name"]
        assert rule["defaultConfiguration"]["level"] == SARIF_LEVEL[info.severity.value]
        props = rule["properties"]
        assert props["severity"] == info.severity.value
        assert props["category"] == info.category
        assert props["references"] == list(info.references)
        assert info.category in props["tags"]
    assert next(r for r in rules if r["id"] == "business-case-missing")["name"] == "BusinessCaseMissing"


def test_sarif_help_links_follow_the_configured_docs_url(tmp_path: Path) -> None:
    docs = "https://git.example.org/governance/govcheck/-/blob/main/docs/rules.md"
    shutil.copy(EXAMPLES / "ngss.yaml", tmp_path / "ngss.yaml")
    (tmp_path / ".govcheck.yaml").write_text(f"docs_url: {docs}\n", encoding="utf-8")
    sarif = sarif_of("ngss.yaml", cwd=tmp_path, expect=1)
    driver = sarif["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == docs
    assert {r["helpUri"] for r in driver["rules"]} == {f"{docs}#{r['id']}" for r in driver["rules"]}
    # Each anchor is a heading of the rule reference (`### rule-id` anchors as #rule-id).
    headings = set(re.findall(r"(?m)^### (\S+)$", (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")))
    assert {r["helpUri"].rpartition("#")[2] for r in driver["rules"]} <= headings
    # Only an https address is taken.
    (tmp_path / ".govcheck.yaml").write_text("docs_url: ftp://example.org/rules\n", encoding="utf-8")
    result = run_cli("check", "ngss.yaml", "-f", "sarif", cwd=tmp_path)
    assert result.returncode == 2 and "docs_url" in result.stderr


def test_sarif_results_carry_the_findings(
    ngss_sarif: dict[str, Any], ngss_findings: list[dict[str, Any]]
) -> None:
    run = ngss_sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = results_by_rule(ngss_sarif)
    assert set(results) == {f["rule_id"] for f in ngss_findings}
    for f in ngss_findings:
        r = results[f["rule_id"]]
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        assert r["level"] == SARIF_LEVEL[f["severity"]]
        assert r["message"]["text"] == f["message"]
        assert r["properties"]["recommendation"] == f["recommendation"]
        loc = r["locations"][0]
        assert loc["physicalLocation"]["artifactLocation"]["uri"] == "examples/ngss.yaml"
        assert loc["physicalLocation"]["region"] == {
            "startLine": f["location"]["line"],
            "startColumn": f["location"]["column"],
            "endLine": f["location"]["end_line"],
            "endColumn": f["location"]["end_column"],
        }
        assert loc["logicalLocations"][0]["fullyQualifiedName"] == f["location"]["path"]
        assert re.fullmatch(r"[0-9a-f]{64}", r["partialFingerprints"][FINGERPRINT])
        assert "suppressions" not in r
    assert run["invocations"][0]["executionSuccessful"] is True
    assert "toolExecutionNotifications" not in run["invocations"][0]


def test_sarif_levels_cover_the_severities_in_ngss(
    ngss_sarif: dict[str, Any], ngss_findings: list[dict[str, Any]]
) -> None:
    levels = {r["level"] for r in ngss_sarif["runs"][0]["results"]}
    # NGSS has findings at several severities, so all three SARIF levels must appear.
    assert {f["severity"] for f in ngss_findings} >= {"high", "medium", "low"}
    assert levels == {"error", "warning", "note"}


def test_business_case_region_points_at_the_business_case_lines(ngss_sarif: dict[str, Any]) -> None:
    lines = (EXAMPLES / "ngss.yaml").read_text(encoding="utf-8").splitlines()
    key = lines.index("business_case:")  # 0-based; the key is on line key + 1
    block_end = next(i for i in range(key + 1, len(lines)) if lines[i][:1] not in ("", " ", "#"))
    stage = next(i for i in range(key + 1, block_end) if lines[i].strip().startswith("stage:"))
    result = results_by_rule(ngss_sarif)["business-case-missing"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert key + 1 <= region["startLine"] <= block_end
    assert region["startLine"] == stage + 1
    assert region["startColumn"] == len(lines[stage]) - len(lines[stage].lstrip()) + 1
    assert result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "/business_case/stage"


def test_fingerprints_survive_unrelated_lines_moving(tmp_path: Path, ngss_sarif: dict[str, Any]) -> None:
    inserted = 7
    text = (EXAMPLES / "ngss.yaml").read_text(encoding="utf-8")
    (tmp_path / "examples").mkdir()
    shifted = tmp_path / "examples" / "ngss.yaml"
    shifted.write_text("# an added comment\n\n# another\n\n\n# and one more\n\n" + text, encoding="utf-8")
    moved = sarif_of("examples/ngss.yaml", cwd=tmp_path, expect=1)  # same relative path, lines moved
    before, after = results_by_rule(ngss_sarif), results_by_rule(moved)
    assert set(before) == set(after)
    for rule_id, r in before.items():
        start = r["locations"][0]["physicalLocation"]["region"]["startLine"]
        moved_start = after[rule_id]["locations"][0]["physicalLocation"]["region"]["startLine"]
        if r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "/business_case/stage":
            assert moved_start == start + inserted  # the lines really did move
        assert after[rule_id]["partialFingerprints"] == r["partialFingerprints"], rule_id
    # GitLab uses the same fingerprints.
    gitlab = {
        i["check_name"]: i["fingerprint"]
        for i in json.loads(cli("examples/ngss.yaml", "-f", "gitlab", cwd=tmp_path))
    }
    assert gitlab == {k: v["partialFingerprints"][FINGERPRINT] for k, v in after.items()}


def test_fingerprints_follow_identity(tmp_path: Path, ngss_sarif: dict[str, Any]) -> None:
    before = results_by_rule(ngss_sarif)
    prints = [r["partialFingerprints"][FINGERPRINT] for r in before.values()]
    assert len(set(prints)) == len(prints), "every finding has its own fingerprint"
    (tmp_path / "examples").mkdir()
    text = (EXAMPLES / "ngss.yaml").read_text(encoding="utf-8")
    (tmp_path / "examples" / "ngss.yaml").write_text(
        text.replace("\nid: ngss\n", "\nid: ngss-2\n"), encoding="utf-8"
    )
    renamed = results_by_rule(sarif_of("examples/ngss.yaml", cwd=tmp_path))
    for rule_id, r in before.items():
        assert renamed[rule_id]["partialFingerprints"] != r["partialFingerprints"], rule_id


def test_sarif_suppressed_findings_stay_as_results(tmp_path: Path) -> None:
    reason = "Accepted by the board until the outline business case is approved"
    waivers = write_waivers(
        tmp_path / "waivers.yaml",
        {
            "rule": "business-case-missing",
            "file": "examples/ngss.yaml",
            "reason": reason,
            "owner": "Jane Smith",
            "expires": "2099-12-31",
        },
    )
    results = results_by_rule(sarif_of("examples/ngss.yaml", "--waivers", str(waivers)))
    waived = results["business-case-missing"]
    assert waived["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": reason,
            "properties": {"govcheckKind": "waiver", "owner": "Jane Smith", "expires": "2099-12-31"},
        }
    ]
    # Suppressed: not a failure, so not an error, whatever its severity.
    assert waived["level"] == "warning"
    assert all(
        "suppressions" not in r for rule_id, r in results.items() if rule_id != "business-case-missing"
    )


def test_sarif_file_errors_are_notifications(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\nname: ok\nname: twice\n", encoding="utf-8")
    document = sarif_of("examples/healthy.yaml", str(broken), str(tmp_path / "missing.yaml"), expect=2)
    invocation = document["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    notes = invocation["toolExecutionNotifications"]
    assert [n["level"] for n in notes] == ["error", "error"]
    # Outside the working directory, so absolute: file URIs.
    uris = [n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for n in notes]
    assert uris == [broken.as_uri(), (tmp_path / "missing.yaml").as_uri()]
    assert notes[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 3  # the duplicate key
    assert "duplicate" in notes[0]["message"]["text"].lower()
    assert "not found" in notes[1]["message"]["text"]


# --- levels across formats, for every severity -------------------------------------------------


def _every_severity(checker: Checker) -> Run:
    report = checker.check_path(EXAMPLES / "ngss.yaml")
    assert isinstance(report, Report)
    base = next(f for f in report.findings if f.rule_id == "business-case-missing")
    findings: list[Finding] = []
    for i, severity in enumerate(Severity):
        loc = base.location.model_copy(update={"path": f"/synthetic/{i}"})
        findings.append(
            base.model_copy(
                update={"severity": severity, "rule_id": f"synthetic-{severity.value}", "location": loc}
            )
        )
    report = report.model_copy(update={"findings": tuple(findings)})
    return Run(govcheck_version=__version__, outcomes=(report,), rules=checker.catalogue.info())


def test_every_severity_maps_to_its_level_in_each_format(checker: Checker) -> None:
    run = _every_severity(checker)
    sarif = json.loads(render("sarif", run))
    assert {r["properties"]["severity"]: r["level"] for r in sarif["runs"][0]["results"]} == SARIF_LEVEL
    gitlab = json.loads(render("gitlab", run))
    assert {i["check_name"].removeprefix("synthetic-"): i["severity"] for i in gitlab} == GITLAB_SEVERITY
    github = [parse_command(line) for line in render("github", run).splitlines()]
    assert {
        c["properties"]["title"].rsplit("synthetic-", 1)[1].rstrip(")"): c["command"] for c in github
    } == GITHUB_COMMAND
    # Rules missing from the catalogue are described from the finding, so every ruleIndex resolves.
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    for r in sarif["runs"][0]["results"]:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]


# --- One verdict in every format ----------------------------------------------------------------

RANK = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}


@pytest.mark.parametrize(
    ("example", "threshold", "code"),
    [
        ("ngss", "high", 1),
        ("troubled", "critical", 0),
        ("ngss", "medium", 1),
        ("ngss", "low", 1),
        ("healthy", "info", 0),
    ],
)
def test_every_format_fails_exactly_the_findings_at_or_above_the_threshold(
    tmp_path: Path, example: str, threshold: str, code: int
) -> None:
    out = {f: tmp_path / f for f in ("sarif", "junit", "github", "gitlab", "compact")}
    result = run_cli(
        "check",
        f"examples/{example}.yaml",
        "--fail-on",
        threshold,
        "-f",
        "json",
        *(arg for f, p in out.items() for arg in ("-f", f"{f}={p}")),
    )
    assert result.returncode == code, result.stderr
    (report,) = json.loads(result.stdout)
    # Findings and evidence gaps alike: a gap at or above the threshold fails too (ngss-low).
    both = [*report["findings"], *report["gaps"]]
    failing_items = [f for f in both if RANK[f["severity"]] >= RANK[threshold]]
    failing = {f["rule_id"] for f in failing_items}
    assert bool(failing) == (code == 1)
    if threshold == "critical" and example == "troubled":
        assert report["findings"], "troubled.yaml must still have findings below critical"

    sarif = json.loads(out["sarif"].read_text())["runs"][0]
    assert {r["ruleId"] for r in sarif["results"] if r["level"] == "error"} == failing
    assert sum(r["level"] == "error" for r in sarif["results"]) == len(failing_items)
    assert sarif["invocations"][0]["exitCode"] == code
    suite = junitparser.JUnitXml.fromfile(str(out["junit"]))
    cases = [c for s in suite for c in s]
    assert {c.name for c in cases if any(isinstance(r, junitparser.Failure) for r in c.result)} == failing
    assert sum(s.failures for s in suite) == len(failing_items)
    github = [parse_command(line) for line in out["github"].read_text().splitlines()]
    titles = [c["properties"]["title"] for c in github if c["command"] == "error"]
    errors = {title.rsplit("(", 1)[1].rstrip(")") for title in titles}
    assert errors == failing and len(titles) == len(failing_items)
    # GitLab shows each finding at its own severity, whatever the threshold; the job's exit code
    # carries the verdict. Every failing item is listed.
    gitlab = json.loads(out["gitlab"].read_text())
    assert failing <= {i["check_name"] for i in gitlab}
    by_id = {f["rule_id"]: f["severity"] for f in both}
    assert all(i["severity"] == GITLAB_SEVERITY[by_id[i["check_name"]]] for i in gitlab)
    compact = out["compact"].read_text().splitlines()
    # Every finding gets a line; an evidence gap only when it fails the run.
    listed = [*report["findings"], *(g for g in report["gaps"] if RANK[g["severity"]] >= RANK[threshold])]
    assert len(compact) == len(listed) + 1
    assert compact[-1].endswith(f"{len(failing_items)} at or above {threshold} (exit {code})")


# --- JUnit --------------------------------------------------------------------------------------


def test_junit_is_read_by_junitparser(tmp_path: Path, checker: Checker) -> None:
    out = tmp_path / "report.xml"
    result = run_cli(
        "check",
        "examples/ngss.yaml",
        "examples/healthy.yaml",
        str(tmp_path / "missing.yaml"),
        "-f",
        f"junit={out}",
    )
    assert result.returncode == 2, result.stderr
    reports = json_reports("examples/ngss.yaml", "examples/healthy.yaml")
    rule_count = len(checker.catalogue.info())
    xml = junitparser.JUnitXml.fromfile(str(out))
    suites = list(xml)
    assert [s.name for s in suites] == [r["programme"]["id"] for r in reports] + [
        str(tmp_path / "missing.yaml")
    ]
    for suite, report in zip(suites, reports, strict=False):
        # The default threshold is high: only findings at or above it fail.
        findings = [f for f in report["findings"] if f["severity"] in ("critical", "high")]
        below = [f for f in report["findings"] if f not in findings]
        cases = list(suite)
        assert suite.tests == len(cases) == rule_count
        assert suite.failures == len(findings)
        assert suite.errors == 0
        failed = {c.name: c for c in cases if not c.is_passed and not c.is_skipped}
        assert set(failed) == {f["rule_id"] for f in findings}
        unassessed = {r for g in report["gaps"] for r in g["evidence"]["rules"]}
        assert {c.name for c in cases if c.is_skipped} == unassessed
        assert suite.skipped == len(unassessed)
        warned = {c.name: c for c in cases if c.system_out}
        assert set(warned) == {f["rule_id"] for f in below}
        for f in below:
            assert f["message"] in warned[f["rule_id"]].system_out
        for f in findings:
            case = failed[f["rule_id"]]
            assert case.classname == report["programme"]["id"]
            (failure,) = case.result
            assert isinstance(failure, junitparser.Failure)
            assert failure.message == f["title"]
            assert failure.type == f["severity"]
            assert f["message"] in failure.text
            assert f"{report['programme']['source']}:{f['location']['line']}:" in failure.text
        suite.update_statistics()  # junitparser's own count agrees with the attributes we wrote
        assert suite.failures == len(findings) and suite.tests == rule_count
    assert suites[0].failures > 0
    assert reports[1]["findings"] == [] and suites[1].failures == 0
    error_suite = suites[2]
    assert error_suite.errors == 1 and error_suite.tests == 1
    (case,) = list(error_suite)
    (error,) = case.result
    assert isinstance(error, junitparser.Error)
    assert "not found" in error.message


def test_junit_skips_waived_findings(tmp_path: Path) -> None:
    reason = "Business case deferred by the investment committee"
    waivers = write_waivers(
        tmp_path / "w.yaml",
        {
            "rule": "business-case-missing",
            "file": "examples/*.yaml",
            "reason": reason,
            "owner": "SRO",
            "expires": "2099-01-01",
        },
    )
    (suite,) = junitparser.JUnitXml.fromstring(
        cli("examples/ngss.yaml", "--waivers", str(waivers), "-f", "junit")
    )
    case = next(c for c in suite if c.name == "business-case-missing")
    assert case.is_skipped
    assert case.result[0].message == f"waiver: {reason}"
    waived = [c for c in suite if c.is_skipped and c.result[0].message.startswith("waiver")]
    assert len(waived) == 1
    findings = json_reports("examples/ngss.yaml")[0]["findings"]
    failing = [f for f in findings if f["severity"] in ("critical", "high")]
    assert suite.failures == len(failing) - 1


def test_junit_skips_rules_that_could_not_be_assessed(tmp_path: Path) -> None:
    # No governance section: the board rules were not assessed, so they do not pass.
    data = yaml.safe_load((ROOT / "rules" / "_base.yaml").read_text(encoding="utf-8"))
    del data["governance"]
    path = tmp_path / "silent.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    (suite,) = junitparser.JUnitXml.fromstring(cli(str(path), "-f", "junit"))
    cases = {c.name: c for c in suite}
    board = cases["board-not-meeting"]
    assert board.is_skipped
    assert board.result[0].message == "not assessed: Not described: governance"
    # A rule that was assessed and found nothing passes.
    assert cases["no-sro"].is_passed
    gap_rules = {r for g in json_reports(str(path))[0]["gaps"] for r in g["evidence"]["rules"]}
    assert suite.skipped == len(gap_rules)


def test_junit_escapes_programme_text(tmp_path: Path) -> None:
    name = "Q&A <b>bold</b> \"quoted\" 'single' ]]> \x01bell"
    hostile = hostile_copy(tmp_path, name)
    (suite,) = junitparser.JUnitXml.fromstring(cli(str(hostile), "-f", "junit"))
    case = next(c for c in suite if c.name == "business-case-missing")
    text = case.result[0].text
    assert "Q&A <b>bold</b> \"quoted\" 'single' ]]> \ufffdbell has no business case" in text
    props = {p.name: p.value for p in suite.properties()}
    assert props["programme"] == name.replace("\x01", "\ufffd")
    # The conclusions travel with their basis.
    assert props["value_for_money"] == "not_achieved"
    assert props["value_for_money_basis"] == "strong: losses or failures that have happened"
    assert props["rating_basis"].split(": ", 1)[0] in {"strong", "moderate", "weak"}


# --- GitHub workflow commands ----------------------------------------------------------------------


def _unescape(text: str) -> str:
    return (
        text.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
    )


def parse_command(line: str) -> dict[str, Any]:
    """Split a workflow command the way the Actions runner does."""
    assert line.startswith("::"), line
    end = line.index("::", 2)
    info, data = line[2:end], line[end + 2 :]
    command, _, props = info.partition(" ")
    properties = {}
    for pair in props.split(",") if props else []:
        key, sep, value = pair.partition("=")
        assert sep, pair
        properties[key] = _unescape(value)
    return {"command": command, "properties": properties, "message": _unescape(data), "raw": data}


def test_github_escaping_rules() -> None:
    assert escape_data("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext: a, b"
    assert escape_property("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext%3A a%2C b"


def test_github_lines_parse(ngss_findings: list[dict[str, Any]]) -> None:
    lines = cli("examples/ngss.yaml", "-f", "github", expect=1).splitlines()
    active = [f for f in ngss_findings if "suppressed" not in f]
    assert len(lines) == len(active)
    by_title = {f"{f['title']} ({f['rule_id']})": f for f in active}
    for line in lines:
        c = parse_command(line)
        f = by_title[c["properties"]["title"]]
        assert c["command"] == GITHUB_COMMAND[f["severity"]]
        assert c["message"] == f["message"]
        loc = f["location"]
        assert c["properties"]["file"] == "examples/ngss.yaml"
        assert (
            int(c["properties"]["line"]),
            int(c["properties"]["col"]),
            int(c["properties"]["endLine"]),
        ) == (loc["line"], loc["column"], loc["end_line"])


def test_github_escapes_hostile_text(tmp_path: Path) -> None:
    name = "50% done, phase: two :: ::error file=x.yaml::injected"
    hostile = hostile_copy(tmp_path, name, filename="odd,name:50%.yaml")
    out = cli(hostile.name, "-f", "github", cwd=tmp_path, expect=1)
    reports = json_reports(hostile.name, cwd=tmp_path)
    messages = {f["rule_id"]: f["message"] for f in reports[0]["findings"]}
    lines = out.splitlines()
    assert len(lines) == len(messages)
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    commands = [parse_command(line) for line in lines]
    bc = next(c for c in commands if c["properties"]["title"].endswith("(business-case-missing)"))
    assert bc["message"] == messages["business-case-missing"]
    assert name in bc["message"]
    assert "50%25 done, phase: two :: ::error file=x.yaml::injected" in bc["raw"]
    for c in commands:
        assert set(c["properties"]) == {"file", "line", "col", "endLine", "endColumn", "title"}
        assert c["properties"]["file"] == "odd,name:50%.yaml"
    # The file name is escaped as a property: no raw ',' or ':' before the data.
    assert all("file=odd%2Cname%3A50%25.yaml," in line for line in lines)
    # SARIF percent-encodes the same name as a URI reference.
    uri = json.loads(cli(hostile.name, "-f", "sarif", cwd=tmp_path))["runs"][0]["results"][0]["locations"][0][
        "physicalLocation"
    ]["artifactLocation"]["uri"]
    assert URI_REFERENCE.match(uri) and unquote(uri) == "odd,name:50%.yaml"


def test_github_reports_file_errors(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\nname: ok\nname: twice\n", encoding="utf-8")
    lines = cli(broken.name, "missing.yaml", "-f", "github", cwd=tmp_path, expect=2).splitlines()
    assert len(lines) == 2
    first, second = (parse_command(line) for line in lines)
    assert first["command"] == "error" and first["properties"]["file"] == "broken.yaml"
    assert first["properties"]["line"] == "3"
    assert second["command"] == "error" and "not found" in second["message"]


# --- GitLab Code Quality ----------------------------------------------------------------------


def test_gitlab_code_quality(tmp_path: Path, ngss_findings: list[dict[str, Any]]) -> None:
    waivers = write_waivers(
        tmp_path / "w.yaml",
        {
            "rule": "customers-exited",
            "file": "examples/ngss.yaml",
            "reason": "Reviewed at the last board meeting",
            "owner": "SRO",
            "expires": "2099-01-01",
        },
    )
    issues = json.loads(
        cli("examples/ngss.yaml", "examples/healthy.yaml", "--waivers", str(waivers), "-f", "gitlab")
    )
    assert isinstance(issues, list)
    expected = {f["rule_id"]: f for f in ngss_findings if f["rule_id"] != "customers-exited"}
    assert {i["check_name"] for i in issues} == set(expected)  # waived one omitted; healthy adds none
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    for issue in issues:
        f = expected[issue["check_name"]]
        assert issue["description"] == f["message"]
        assert issue["severity"] == GITLAB_SEVERITY[f["severity"]]
        assert issue["location"]["path"] == "examples/ngss.yaml"
        assert issue["location"]["lines"]["begin"] == f["location"]["line"]
        assert re.fullmatch(r"[0-9a-f]{32,64}", issue["fingerprint"])


def test_gitlab_reports_unreadable_files_as_blockers(tmp_path: Path) -> None:
    issues = json.loads(cli(str(tmp_path / "missing.yaml"), "-f", "gitlab", expect=2))
    assert len(issues) == 1
    assert issues[0]["severity"] == "blocker"
    assert issues[0]["location"]["path"].endswith("missing.yaml")


# --- the command line writes each format where it is asked to ---------------------------------


@pytest.mark.parametrize(
    ("fmt", "suffix"), [("sarif", ".sarif"), ("junit", ".xml"), ("github", ".txt"), ("gitlab", ".json")]
)
def test_cli_writes_ci_format_to_a_file(tmp_path: Path, fmt: str, suffix: str) -> None:
    out = tmp_path / f"report{suffix}"
    shutil.copy(EXAMPLES / "ngss.yaml", tmp_path / "ngss.yaml")
    result = run_cli("check", "ngss.yaml", "-f", f"{fmt}={out}", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    text = out.read_text(encoding="utf-8")
    assert text and text == cli("ngss.yaml", "-f", fmt, cwd=tmp_path)  # the same report as on standard output


# --- Streaming: the same bytes whatever --jobs, and only the formats used are imported ----------

STREAMED = ("json", "compact", "terminal", "markdown", "sarif", "junit", "github", "gitlab")


def test_every_streamed_format_is_byte_identical_whatever_jobs(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(6):
        for name in ("healthy", "ngss", "troubled"):
            (corpus / f"{i}-{name}.yaml").write_text((EXAMPLES / f"{name}.yaml").read_text())
    (corpus / "3-broken.yaml").write_text("id: [\n")
    outputs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs{jobs}"
        out.mkdir()
        result = run_cli(
            "check",
            str(corpus),
            "--jobs",
            jobs,
            *(a for f in STREAMED for a in ("-f", f"{f}={out / f}")),
            env={**os.environ, "NO_COLOR": "1", "COLUMNS": "100"},
        )
        assert result.returncode == 2, result.stderr
        outputs[jobs] = {f: (out / f).read_bytes() for f in STREAMED}
    assert outputs["1"] == outputs["2"]
    reports = json.loads(outputs["1"]["json"])
    assert len(reports) == 19 and [i for i, r in enumerate(reports) if "error" in r] == [9]


def test_only_the_formats_used_are_imported() -> None:
    code, loaded = modules_loaded(
        "check", "examples/healthy.yaml", "-f", "compact", prefix="govcheck.formats."
    )
    assert code == 0
    assert loaded == {"govcheck.formats.compact", "govcheck.formats.stream"}, loaded


# csv (formats/portfolio.py) is not yet in this list: its cells keep control characters.
TEXT_FORMATS = ("terminal", "compact", "markdown", "junit", "github", "json", "sarif", "gitlab")
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def test_control_characters_are_neutralised_in_every_text_format(tmp_path: Path) -> None:
    path = tmp_path / "ngss.yaml"
    hostile = r'name: "NGSS\e[31m\a\x9b2J\x00end"'
    path.write_text(re.sub(r"(?m)^name: .*$", lambda _: hostile, (EXAMPLES / "ngss.yaml").read_text()))
    out = {f: tmp_path / f"out.{f}" for f in TEXT_FORMATS}
    result = run_cli(
        "check", "ngss.yaml", *(a for f, p in out.items() for a in ("-f", f"{f}={p}")), cwd=tmp_path
    )
    assert result.returncode == 1, result.stderr
    for fmt, p in out.items():
        text = p.read_text(encoding="utf-8")
        assert "NGSS" in text, fmt
        assert not RAW_CONTROL.search(text), (fmt, RAW_CONTROL.search(text))
