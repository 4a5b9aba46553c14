"""Hostile programme files through the real command line.

Every bad file must end the same way: exit code 2, exactly one line on standard error that
names the file (and the line, where there is one) and the field, and never a traceback. The
small files live in tests/hostile/; the huge ones are written at test time.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import EXAMPLES, ROOT

from govcheck.checker import Checker
from govcheck.errors import InputError
from govcheck.report import FileError
from govcheck.yamlsource import MAX_BYTES, parse

HOSTILE = Path(__file__).resolve().parent / "hostile"
HEADER = (
    "id: hostile\nname: Hostile Programme\ndepartment: Department for Testing\nassessment_date: 2025-06-30\n"
)

Line = int | range | None
Expect = str | tuple[str, ...]


def govcheck(
    *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """The real CLI in a subprocess; bytes, so tests can check what really reached the pipe."""
    return subprocess.run(
        [sys.executable, "-m", "govcheck", *args],
        capture_output=True,
        cwd=cwd,
        env=env,
        timeout=60,
    )


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def assert_one_located_line(
    result: subprocess.CompletedProcess[bytes], shown: str, line: Line, expect: Expect
) -> str:
    """Exit 2 and one `govcheck: FILE[:LINE[:COL]]: ...` line on stderr; returns that line."""
    stdout, stderr = result.stdout.decode("utf-8"), result.stderr.decode("utf-8")
    assert "Traceback" not in stderr and "Traceback" not in stdout, stderr
    assert result.returncode == 2, (result.returncode, stderr)
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].strip(), stderr
    text = lines[0]
    assert text.startswith(f"govcheck: {shown}"), text
    where = text.removeprefix(f"govcheck: {shown}")
    found = re.match(r":(\d+)(?::\d+)?: ", where)
    if line is None:
        assert where.startswith((": ", ":")), text
    else:
        assert found, f"no line number in {text!r}"
        got = int(found.group(1))
        assert got == line if isinstance(line, int) else got in line, text
    for part in (expect,) if isinstance(expect, str) else expect:
        assert part in text, text
    # The JSON report on stdout carries the same error, in place of a report.
    (document,) = json.loads(stdout)
    assert "findings" not in document and document["programme"]["source"] == shown
    assert document["error"]["text"] == text.removeprefix("govcheck: ")
    if isinstance(line, int):
        assert document["error"]["line"] == line
    return text


# (file in tests/hostile, expected line (an int, a range, or None where there is none), expected text)
CASES: list[tuple[str, Line, Expect]] = [
    ("empty.yaml", None, "file is empty"),
    ("whitespace-only.yaml", None, "file is empty"),
    ("latin1.yaml", 2, "not valid UTF-8 (byte 0xe9)"),
    ("bom-then-latin1.yaml", 3, "not valid UTF-8 (byte 0xe9)"),
    ("binary-nul.yaml", 2, "binary content"),
    ("control-character.yaml", 5, "control characters are not allowed (U+001B)"),
    ("syntax-error.yaml", 3, "YAML syntax error"),
    ("two-documents.yaml", 5, "several YAML documents"),
    ("duplicate-key-top.yaml", 5, "name: duplicate key 'name' (first at line 2)"),
    ("duplicate-key-nested.yaml", 9, "governance.board.name: duplicate key 'name' (first at line 7)"),
    ("tag-python-apply.yaml", 5, "description: unsupported YAML tag"),
    ("tag-binary.yaml", 5, "description: unsupported YAML tag"),
    ("tag-set.yaml", 5, "objectives: unsupported YAML tag"),
    ("tag-local.yaml", 5, "description: unsupported YAML tag !local"),
    ("merge-key.yaml", 9, "business_case: merge keys (<<) are not supported"),
    ("billion-laughs.yaml", range(6, 16), ("description.", "document too large")),
    ("recursive-alias.yaml", range(5, 7), ("objectives.0.0", "nesting deeper than")),
    ("deep-nesting.yaml", range(5, 108), ("description.k0.k1", "nesting deeper than")),
    ("top-level-list.yaml", 1, "the top level must be a mapping"),
    ("top-level-scalar.yaml", 1, "the top level must be a mapping"),
    (
        "wrong-type-string-for-number.yaml",
        6,
        "business_case.options_appraised: input should be a valid integer",
    ),
    ("wrong-type-number-for-string.yaml", 2, "name: input should be a valid string"),
    ("wrong-type-list-for-mapping.yaml", 5, "governance: expected a mapping, got a list"),
    ("money-nan.yaml", 6, "costs.budget.amount: input should be a finite number"),
    ("money-inf.yaml", 6, "costs.budget.amount: input should be a finite number"),
    ("money-negative.yaml", 6, "costs.budget.amount: input should be greater than or equal to 0"),
    ("end-before-start.yaml", 6, "planned_end_date: is before the start_date (2024-01-01)"),
    ("assessment-before-start.yaml", 5, "start_date: is after the assessment_date (2025-06-30)"),
    ("former-sro-end-before-start.yaml", 7, "leadership.previous_sros.0: end is before start"),
    # The model validator sees the whole document, so it cannot say which amount is the odd one.
    ("mixed-currencies.yaml", None, "all amounts must share one currency"),
    ("date-year-9999.yaml", 5, "planned_end_date: date 9999-12-31 is outside"),
    ("date-year-2500.yaml", 5, "planned_end_date: date 2500-01-01 is outside"),
    ("date-quoted.yaml", 5, "start_date: expected an unquoted ISO date"),
    ("datetime.yaml", 5, "start_date: expected a date (YYYY-MM-DD), not a date and time"),
    ("date-impossible.yaml", 5, "start_date: invalid value '2023-02-30'"),
    ("long-string.yaml", 5, "description: string should have at most 10000 characters"),
    ("unknown-field-typo.yaml", 5, "planed_end_date: unknown field; did you mean 'planned_end_date'?"),
    # Evidence states misused, and the new sections' own consistency checks.
    ("unknown-list-item.yaml", 6, "parties.0: a list item cannot be unknown"),
    ("unknown-required-field.yaml", 7, "migration.total: this field is required and cannot be unknown"),
    ("unknown-required-text.yaml", 6, "leadership.sro.name: this field is required and cannot be unknown"),
    ("unknown-text-list-item.yaml", 6, "mandate.decision_rights.1: a list item cannot be unknown"),
    ("terminated-without-date.yaml", 5, "status.date: a terminated programme needs the date it was terminated"),
    ("written-off-above-spend.yaml", 7, "costs.written_off: is more than spent_to_date (100,000,000)"),
    ("outputs-above-plan.yaml", 9, "outputs.0.delivered: is more than planned (9); add a note saying why"),
    ("history-out-of-order.yaml", 5, "history: snapshots must be in date order"),
]


def test_every_corpus_file_is_in_the_table() -> None:
    listed = {name for name, _, _ in CASES} | {"unicode-names.yaml"}
    assert {p.name for p in HOSTILE.iterdir()} == listed


@pytest.mark.parametrize(("name", "line", "expect"), CASES, ids=[c[0] for c in CASES])
def test_hostile_file_exits_2_with_one_located_line(name: str, line: Line, expect: Expect) -> None:
    path = HOSTILE / name
    assert_one_located_line(govcheck("check", rel(path), "-f", "json"), rel(path), line, expect)


# --- Files written at test time: too big to commit, or not files at all ---------------------------


def _missing(tmp: Path) -> tuple[str, Line, str]:
    return "nope.yaml", None, "file not found"


def _directory(tmp: Path) -> tuple[str, Line, str]:
    # A directory given as such is searched for *.yaml; one that a glob matches is an error.
    (tmp / "programme.yaml").mkdir()
    return "programme.y*ml", None, "is a directory"


def _over_the_size_limit(tmp: Path) -> tuple[str, Line, str]:
    path = tmp / "huge.yaml"
    with path.open("w", encoding="utf-8") as f:
        f.write(HEADER + "description: |\n")
        line = "  " + "x" * 98 + "\n"
        f.write(line * (MAX_BYTES // len(line) + 10))
    return "huge.yaml", None, "the limit is 5,242,880"


def _too_many_nodes(tmp: Path) -> tuple[str, Line, str]:
    # Under the size limit, but 2.6 million values: refused before it is composed.
    body = "description: [" + "1," * ((MAX_BYTES - len(HEADER) - 100) // 2) + "1]\n"
    (tmp / "wide.yaml").write_text(HEADER + body, encoding="utf-8")
    return "wide.yaml", 5, "document too large"


def _huge_key(tmp: Path) -> tuple[str, Line, str]:
    (tmp / "key.yaml").write_text(HEADER + "? " + "k" * 4_000_000 + "\n: 1\n", encoding="utf-8")
    return "key.yaml", 5, "unknown field"


def _dev_zero(tmp: Path) -> tuple[str, Line, str]:
    # Endless and zero-sized to stat: read without a bound it would fill memory.
    return "/dev/zero", None, "not a regular file (a character device)"


def _symlink_to_dev_zero(tmp: Path) -> tuple[str, Line, str]:
    (tmp / "zero.yaml").symlink_to("/dev/zero")
    return "zero.yaml", None, "not a regular file (a character device)"


def _fifo(tmp: Path) -> tuple[str, Line, str]:
    # Opened the ordinary way, a FIFO with no writer blocks for ever.
    os.mkfifo(tmp / "pipe.yaml")
    return "pipe.yaml", None, "not a regular file (a FIFO)"


def _symlink_to_fifo(tmp: Path) -> tuple[str, Line, str]:
    os.mkfifo(tmp / "pipe")
    (tmp / "pipe.yaml").symlink_to(tmp / "pipe")
    return "pipe.yaml", None, "not a regular file (a FIFO)"


BUILT: list[Callable[[Path], tuple[str, Line, str]]] = [
    _missing,
    _directory,
    _over_the_size_limit,
    _too_many_nodes,
    _huge_key,
    _dev_zero,
    _symlink_to_dev_zero,
    _fifo,
    _symlink_to_fifo,
]


@pytest.mark.parametrize("build", BUILT, ids=[b.__name__.strip("_") for b in BUILT])
def test_hostile_input_built_at_test_time(
    tmp_path: Path, build: Callable[[Path], tuple[str, Line, str]]
) -> None:
    name, line, expect = build(tmp_path)
    result = govcheck("check", name, "-f", "json", cwd=tmp_path)
    shown = name.replace("programme.y*ml", "programme.yaml")
    text = assert_one_located_line(result, shown, line, expect)
    assert len(text) < 1_000, "a hostile key or value must not be echoed at length"


def test_checker_reports_a_directory_as_a_file_error(tmp_path: Path, checker: Checker) -> None:
    outcome = checker.check_path(tmp_path)
    assert isinstance(outcome, FileError) and "directory" in outcome.message


def test_empty_directory_input_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "programmes").mkdir()
    result = govcheck("check", "programmes", "-f", "json", cwd=tmp_path)
    assert result.returncode == 2


def test_wide_document_is_refused_before_it_is_composed() -> None:
    """Composing 2.6 million nodes took 17 s and 870 MB; the node count must stop it first."""
    text = HEADER + "description: [" + "1," * ((MAX_BYTES - len(HEADER) - 100) // 2) + "1]\n"
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(InputError, match="document too large"):
        parse(text, "wide.yaml")
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 200, f"peak memory grew by {grown_mb:.0f} MB"


# --- Many inputs at once ------------------------------------------------------------------------------


def test_batch_keeps_input_order_and_reports_each_bad_file() -> None:
    inputs = [
        rel(EXAMPLES / "healthy.yaml"),
        rel(HOSTILE / "latin1.yaml"),
        rel(EXAMPLES / "ngss.yaml"),
        rel(HOSTILE / "tag-python-apply.yaml"),
        rel(HOSTILE / "deep-nesting.yaml"),
    ]
    bad = [i for i in inputs if "hostile" in i]
    result = govcheck("check", *inputs, "-f", "json")
    stderr = result.stderr.decode("utf-8")
    assert result.returncode == 2, stderr
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert [line.split(":")[1].strip() for line in lines] == bad, stderr
    reports = json.loads(result.stdout)
    assert isinstance(reports, list) and len(reports) == len(inputs)
    assert [r["programme"]["source"] for r in reports] == inputs
    for source, report in zip(inputs, reports, strict=True):
        if source in bad:
            assert set(report) == {"programme", "error"}
            assert report["error"]["message"] and report["error"]["text"].startswith(source)
        else:
            assert "error" not in report
            assert isinstance(report["findings"], list) and report["rating"]


# --- Programme text that looks like markup ------------------------------------------------------------


def _names_from_file(path: Path, *keys: str) -> dict[str, bytes]:
    """The raw bytes between the double quotes of `key: "..."` lines, as written in the file."""
    found = {}
    for raw in path.read_bytes().splitlines():
        for key in keys:
            prefix = f'{key}: "'.encode()
            if raw.startswith(prefix):
                found[key] = raw[len(prefix) : raw.rindex(b'"')]
    return found


def test_unicode_names_check_fine_and_come_through_byte_identical() -> None:
    path = HOSTILE / "unicode-names.yaml"
    raw = _names_from_file(path, "name", "department")
    assert set(raw) == {"name", "department"}
    assert "\u202e".encode() in raw["name"] and "\u200d".encode() in raw["name"]
    result = govcheck("check", rel(path), "-f", "json")
    assert result.returncode in (0, 1), result.stderr.decode("utf-8")
    assert result.stderr == b""
    (report,) = json.loads(result.stdout)
    assert report["programme"]["name"].encode("utf-8") == raw["name"]
    assert report["programme"]["department"].encode("utf-8") == raw["department"]
    # Not escaped (\uXXXX) either: the very bytes reach the pipe.
    assert raw["name"] in result.stdout and raw["department"] in result.stdout
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert report["programme"]["name"] == loaded["name"]
    for fmt in ("markdown", "terminal", "sarif", "junit", "github"):
        other = govcheck("check", rel(path), "-f", fmt, env={**os.environ, "NO_COLOR": "1"})
        assert other.returncode in (0, 1) and b"Traceback" not in other.stderr, (fmt, other.stderr)


MARKUP_NAME = "# Heading | pipe *star* `tick` {{ 7*7 }} [red]x[/red] _under_ <b>bold</b> {% raw %}"
MARKUP_PARTY = "{{ 7*7 }} [red]party[/red] | *x* `y`"


def _markup_programme(tmp_path: Path) -> Path:
    doc: dict[str, Any] = yaml.safe_load((ROOT / "rules" / "_base.yaml").read_text(encoding="utf-8"))
    doc["id"] = "markup"
    doc["name"] = MARKUP_NAME
    # No board and a resisting party: findings whose messages quote programme text.
    del doc["governance"]["board"]
    doc["parties"].append(
        {
            "name": MARKUP_PARTY,
            "role": "customer",
            "commitment": "resisting",
            "confirmed_on": doc["assessment_date"],
            "needs_assessed": True,
        }
    )
    path = tmp_path / "markup.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _unescape_markdown(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def test_markup_in_names_comes_through_literally(tmp_path: Path) -> None:
    path = _markup_programme(tmp_path)
    env = {**os.environ, "NO_COLOR": "1"}

    as_json = govcheck("check", path.name, "-f", "json", cwd=tmp_path)
    assert as_json.returncode in (0, 1), as_json.stderr
    (report,) = json.loads(as_json.stdout)
    assert report["programme"]["name"] == MARKUP_NAME
    messages = [f["message"] for f in report["findings"]]
    quoting = [m for m in messages if "7*7" in m]
    assert quoting, "no finding quotes programme text; the test no longer exercises rule templates"
    for message in quoting:
        assert "{{ 7*7 }}" in message and "49" not in message, message

    markdown = govcheck("check", path.name, "-f", "markdown", cwd=tmp_path)
    assert markdown.returncode in (0, 1), markdown.stderr
    md_lines = markdown.stdout.decode("utf-8").splitlines()
    headings = [line for line in md_lines if line.startswith("# ")]
    assert len(headings) == 1, headings
    assert _unescape_markdown(headings[0]) == f"# {MARKUP_NAME}"
    columns = None  # unescaped pipes in the current table's header row: every row must have as many
    for previous, line in zip(["", *md_lines[:-1]], md_lines, strict=True):
        pipes = len(re.findall(r"(?<!\\)\|", line))
        if line.startswith("|") and not previous.strip():
            columns = pipes  # a table the report itself opens, after a blank line
        if line.startswith("|"):
            assert pipes == columns, line
        assert not line.startswith("#") or line == headings[0] or line.startswith("## "), line
        if line.startswith("## "):
            assert "7*7" not in line, line
        bare = re.sub(r"\\.", "", line)  # what is left is the document's own markup
        assert bare.count("`") % 2 == 0 and bare.count("*") % 2 == 0, line
        if "7*7" in line:
            assert "{{ 7*7 }}" in _unescape_markdown(line), line
    text = _unescape_markdown(markdown.stdout.decode("utf-8"))
    assert MARKUP_NAME in text and MARKUP_PARTY in text

    terminal = govcheck("check", path.name, "-f", "terminal", cwd=tmp_path, env=env)
    assert terminal.returncode in (0, 1), terminal.stderr
    out = terminal.stdout.decode("utf-8")
    assert "\x1b" not in out
    assert MARKUP_NAME in out
    assert "{{ 7*7 }}" in out and "[red]x[/red]" in out and "[red]party[/red]" in out


def test_terminal_output_carries_no_escape_sequences_from_programme_text(tmp_path: Path) -> None:
    doc = yaml.safe_load((ROOT / "rules" / "_base.yaml").read_text(encoding="utf-8"))
    doc["name"] = "\x1b]0;pwned\x07\x1b[2JEvil\x1b[31m"
    path = tmp_path / "escape.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    result = govcheck("check", path.name, cwd=tmp_path, env={**os.environ, "NO_COLOR": "1"})
    assert result.returncode in (0, 1), result.stderr
    assert b"\x1b" not in result.stdout
