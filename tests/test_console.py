"""The installed `govcheck` command ends the process itself once the run is over (no
interpreter teardown, govcheck/launch.py): what it writes and its exit code are those of
`python -m govcheck`, which ends by SystemExit, whatever the outcome."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import CONSOLE, ENTRY_POINTS, EXAMPLES, ROOT

NGSS = EXAMPLES / "ngss.yaml"


def _run(entry: str, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*ENTRY_POINTS[entry], *args], capture_output=True, cwd=cwd, timeout=300)


def test_the_command_is_installed_beside_the_interpreter() -> None:
    assert CONSOLE.is_file(), f"{CONSOLE}: install govcheck (pip install -e .) before running the tests"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("check", str(NGSS), "-f", "json"), 1),
        (("check", str(EXAMPLES / "healthy.yaml"), "-f", "terminal"), 0),
        (("check", str(EXAMPLES), "-f", "sarif", "-j", "2"), 1),
        (("check", "no-such-file.yaml"), 2),
        (("check", str(NGSS), "--no-such-option"), 2),
        (("rules", "--help"), 0),
        (("--help",), 0),
    ],
    ids=["findings", "clean", "batch", "missing-file", "bad-option", "rules", "help"],
)
def test_the_command_writes_and_exits_as_python_m_govcheck(args: tuple[str, ...], code: int) -> None:
    console, module = _run("govcheck", *args), _run("python -m govcheck", *args)
    assert console.returncode == module.returncode == code, console.stderr
    assert console.stdout == module.stdout
    assert console.stderr.replace(b"python -m govcheck", b"govcheck") == module.stderr.replace(
        b"python -m govcheck", b"govcheck"
    )


def test_every_byte_is_written_to_a_file_before_the_command_ends(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = _run("govcheck", "check", str(EXAMPLES), "-f", f"json={out}", "-f", "compact")
    expected = _run("python -m govcheck", "check", str(EXAMPLES), "-f", "json")
    assert result.returncode == 1
    assert out.read_bytes() == expected.stdout and len(expected.stdout) > 100_000


def test_a_reader_that_has_gone_is_one_line_and_exit_2() -> None:
    proc = subprocess.Popen(
        [*ENTRY_POINTS["govcheck"], "check", str(EXAMPLES), "-f", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 2
    assert err.decode("utf-8").splitlines() == ["govcheck: standard output: cannot write: Broken pipe"], err
