"""Faults through the real command line: signals, dying workers, hostile names and encodings,
files that are not files, broken configuration, rule templates that never end.

Each must end in the documented exit code and one line on standard error, never a traceback,
with no process left behind and no other file losing its result.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ENTRY_POINTS, EXAMPLES, ROOT

NGSS = EXAMPLES / "ngss.yaml"
HEALTHY = EXAMPLES / "healthy.yaml"
DIED = "the checker's worker process died while checking this file"


def govcheck(
    *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "govcheck", *args],
        capture_output=True,
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1", **(env or {})},
        timeout=timeout,
    )


def one_error_line(result: subprocess.CompletedProcess[bytes], code: int = 2) -> str:
    stderr = result.stderr.decode("utf-8")
    assert "Traceback" not in stderr and b"Traceback" not in result.stdout, stderr
    assert result.returncode == code, (result.returncode, stderr)
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("govcheck: "), stderr
    return lines[0]


def copies(directory: Path, count: int, source: Path = NGSS) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    text = source.read_text(encoding="utf-8")
    paths = [directory / f"p{i:04d}.yaml" for i in range(count)]
    for path in paths:
        path.write_text(text, encoding="utf-8")
    return paths


# --- Signals -------------------------------------------------------------------------------------


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize(
    ("signum", "target"),
    [
        (signal.SIGINT, "group"),  # Ctrl-C in a terminal: every process of the job gets it
        (signal.SIGINT, "main"),
        (signal.SIGTERM, "main"),
        (signal.SIGTERM, "worker"),
        (signal.SIGINT, "worker"),
    ],
    ids=["ctrl-c", "sigint-main", "sigterm-main", "sigterm-worker", "sigint-worker"],
)
def test_stop_signal_during_a_batch_exits_128_plus_signal_and_leaves_no_process(
    tmp_path: Path, signum: int, target: str
) -> None:
    copies(tmp_path / "batch", 1500)
    proc = subprocess.Popen(
        [sys.executable, "-m", "govcheck", "check", "batch", "-f", "json", "-j", "2"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a shell job has
    )
    try:
        deadline = time.monotonic() + 60
        while len(workers := children(proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(workers) >= 2, "the worker pool never started"
        time.sleep(0.5)  # workers busy checking
        assert proc.poll() is None, "the batch ended before the signal: make it longer"
        if target == "group":
            os.killpg(proc.pid, signum)
        elif target == "main":
            os.kill(proc.pid, signum)
        else:
            os.kill(workers[0], signum)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()  # reap it, and close its pipe
    stderr = err.decode("utf-8")
    assert proc.returncode == 128 + signum, stderr
    assert "Traceback" not in stderr
    assert stderr.splitlines() == [f"govcheck: interrupted by {signal.Signals(signum).name}"]
    deadline = time.monotonic() + 10
    while group_alive(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not group_alive(proc.pid), "a process of the run was left behind"


def _catches(pid: int, signum: int) -> bool:
    """Whether process `pid` has a handler for `signum` (Linux /proc)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return True  # it has ended: nothing left to wait for
    caught = int(next(line for line in status.splitlines() if line.startswith("SigCgt:")).split()[1], 16)
    return bool(caught >> (signum - 1) & 1)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["sigint", "sigterm"])
def test_a_stop_at_any_moment_of_a_run_is_one_line_and_its_exit_code(signum: int, entry: str) -> None:
    """From the moment govcheck has started (its handler is in place: the interpreter's own
    start-up is before that) to the moment it has ended, a stop signal is one line and
    128 + the signal, or the run had already finished: never a traceback, never a silent
    death by the signal. The delays span the loading of modules, the check and the exit."""
    command = [*ENTRY_POINTS[entry], "check", str(NGSS), "-f", "json"]
    started = time.monotonic()
    assert subprocess.run(command, capture_output=True, check=False).returncode == 1
    duration = time.monotonic() - started
    line = f"govcheck: interrupted by {signal.Signals(signum).name}"
    outcomes = []
    for step in range(18):
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        while proc.poll() is None and not _catches(proc.pid, signal.SIGTERM):
            time.sleep(0.001)
        # The last moment is well after the run's end, however the machine's speed varies.
        time.sleep(duration * (step / 16 if step < 17 else 3))
        if proc.poll() is None:
            proc.send_signal(signum)
        _, err = proc.communicate(timeout=60)
        stderr = err.decode("utf-8")
        outcomes.append(proc.returncode)
        assert (proc.returncode, stderr.splitlines()) in ((128 + signum, [line]), (1, [])), (step, stderr)
    assert 128 + signum in outcomes and 1 in outcomes  # both kinds of moment were reached


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_stop_signal_without_workers_exits_128_plus_signal(tmp_path: Path, signum: int) -> None:
    copies(tmp_path / "batch", 1500)
    proc = subprocess.Popen(
        [sys.executable, "-m", "govcheck", "check", "batch", "-f", "json", "-j", "1"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    time.sleep(2.0)
    assert proc.poll() is None, "the batch ended before the signal: make it longer"
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signum and b"Traceback" not in err, err
    assert err.decode("utf-8").splitlines() == [f"govcheck: interrupted by {signal.Signals(signum).name}"]


# --- A worker that dies ---------------------------------------------------------------------------

# Injected into every process of the run (PYTHONPATH): a worker process, never the main one,
# kills itself with SIGKILL as it opens a file whose name says so, the way a crash in the rule
# engine's C code would take it down.
KILLER = """
import os, signal
_main = int(os.environ.setdefault("FAULT_MAIN_PID", str(os.getpid())))
_open = os.open
def _killing_open(path, *args, **kwargs):
    if os.getpid() != _main and os.fspath(path).endswith("kills-the-worker.yaml"):
        os.kill(os.getpid(), signal.SIGKILL)
    return _open(path, *args, **kwargs)
os.open = _killing_open
"""


def with_injected(
    tmp_path: Path, code: str, *args: str
) -> tuple[subprocess.CompletedProcess[bytes], list[str]]:
    """`govcheck ARGS` in tmp_path with `code` run first in every process (as sitecustomize):
    the result, and the lines of its standard error that name a dead worker, which must say
    how it died. The run must end in exit 2 (a file's worker died), without a traceback."""
    inject = tmp_path / "inject"
    inject.mkdir()
    (inject / "sitecustomize.py").write_text(code, encoding="utf-8")
    result = govcheck(*args, cwd=tmp_path, env={"PYTHONPATH": str(inject)})
    stderr = result.stderr.decode("utf-8")
    assert "Traceback" not in stderr and result.returncode == 2, stderr
    deaths = [line for line in stderr.splitlines() if line.startswith("govcheck: a worker process (pid ")]
    assert deaths and all("was killed by SIGKILL; the files it had in hand were checked" in d for d in deaths)
    return result, deaths


def test_a_worker_that_dies_costs_only_its_file_and_is_named(tmp_path: Path) -> None:
    paths = copies(tmp_path / "batch", 120)
    shutil.copy(NGSS, tmp_path / "batch" / "p0050-kills-the-worker.yaml")
    shutil.copy(HEALTHY, tmp_path / "batch" / "p0100-kills-the-worker.yaml")
    crashed, deaths = with_injected(tmp_path, KILLER, "check", "batch", "-f", "json", "-j", "2")
    assert [line for line in crashed.stderr.decode().splitlines() if line not in deaths] == [
        f"govcheck: batch/p0050-kills-the-worker.yaml: {DIED}",
        f"govcheck: batch/p0100-kills-the-worker.yaml: {DIED}",
    ]
    reports = json.loads(crashed.stdout)
    assert len(reports) == len(paths) + 2
    # Every other file has the result it has when nothing dies, in input order.
    clean = json.loads(govcheck("check", "batch", "-f", "json", "-j", "2", cwd=tmp_path).stdout)
    for got, expected in zip(reports, clean, strict=True):
        if "kills-the-worker" in got["programme"]["source"]:
            assert got["error"]["message"] == DIED and "findings" in expected
        else:
            assert got == expected


# In a worker, a result that names a file "dies-while-sending" is half written to the pipe back
# to the main process, and then the worker is killed: the pool's own reader waits for the rest.
HALF_SENT = """
import os, signal, struct
from multiprocessing import connection
_main = int(os.environ.setdefault("FAULT_MAIN_PID", str(os.getpid())))
_send_bytes = connection.Connection.send_bytes
def _dying_send(self, buf, *args):
    data = bytes(buf)
    if os.getpid() != _main and b"dies-while-sending" in data:
        os.write(self.fileno(), struct.pack("!i", len(data)) + data[: len(data) // 2])
        os.kill(os.getpid(), signal.SIGKILL)
    return _send_bytes(self, buf, *args)
connection.Connection.send_bytes = _dying_send
"""


def test_a_worker_killed_while_sending_its_result_does_not_hang_the_batch(tmp_path: Path) -> None:
    paths = copies(tmp_path / "batch", 60)
    shutil.copy(NGSS, tmp_path / "batch" / "p0030-dies-while-sending.yaml")
    crashed, deaths = with_injected(tmp_path, HALF_SENT, "check", "batch", "-f", "json", "-j", "2")
    assert len(deaths) == 1
    assert [line for line in crashed.stderr.decode().splitlines() if line not in deaths] == [
        f"govcheck: batch/p0030-dies-while-sending.yaml: {DIED}"
    ]
    reports = json.loads(crashed.stdout)
    assert len(reports) == len(paths) + 1
    assert [r["error"]["message"] for r in reports if "error" in r] == [DIED]


class SlowlyReaped:
    """A worker whose exit code becomes known only some reads after it died, as when the pool
    sees its pipes close before the system has reaped it (common on a loaded machine)."""

    def __init__(self, pid: int, code: int, reads_before: int) -> None:
        self.pid, self.code, self.reads_before, self.joins = pid, code, reads_before, 0

    @property
    def exitcode(self) -> int | None:
        self.reads_before -= 1
        return self.code if self.reads_before < 0 else None

    def join(self, timeout: float | None = None) -> None:
        self.joins += 1


def test_a_worker_reaped_after_the_pool_broke_is_still_named() -> None:
    from types import SimpleNamespace

    from govcheck.workers import deaths

    killed, stopped = SlowlyReaped(101, -signal.SIGKILL, 3), SlowlyReaped(102, -signal.SIGTERM, 2)
    pool: Any = SimpleNamespace(_processes={101: killed, 102: stopped})
    assert deaths(pool) == [
        "a worker process (pid 101) was killed by SIGKILL; the files it had in hand were checked again,"
        " one at a time"
    ]
    assert killed.joins == 3 and stopped.joins == 2


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_a_worker_killed_from_outside_is_named_and_nothing_is_lost(tmp_path: Path) -> None:
    paths = copies(tmp_path / "batch", 1500)
    proc = subprocess.Popen(
        [sys.executable, "-m", "govcheck", "check", "batch", "-f", "json", "-j", "2"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while len(workers := children(proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(workers) >= 2, "the worker pool never started"
        time.sleep(0.5)  # workers busy checking
        assert proc.poll() is None, "the batch ended before the kill: make it longer"
        os.kill(workers[0], signal.SIGKILL)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    stderr = err.decode("utf-8")
    assert proc.returncode == 1, stderr  # the programmes' own verdict: nothing was lost
    assert stderr.splitlines() == [
        f"govcheck: a worker process (pid {workers[0]}) was killed by SIGKILL; the files it had in hand "
        "were checked again, one at a time"
    ]
    reports = json.loads(out)
    assert len(reports) == len(paths) and all("findings" in r for r in reports)


# --- Names and encodings --------------------------------------------------------------------------

TEXT_FORMATS = ["terminal", "json", "sarif", "junit", "github", "gitlab", "markdown", "html"]


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses file names that are not UTF-8")
@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_a_file_name_that_is_not_utf8_is_reported_escaped_in_its_place(tmp_path: Path, fmt: str) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    shutil.copy(NGSS, batch / "a.yaml")
    shutil.copy(NGSS, os.fsdecode(bytes(batch) + b"/b-\xff\xfe.yaml"))
    (batch / "c.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    result = govcheck("check", "batch", "-f", fmt, cwd=tmp_path)
    stderr = result.stderr.decode("utf-8")
    assert "Traceback" not in stderr, stderr
    assert result.returncode == 2 and stderr.startswith("govcheck: batch/c.yaml:2:"), stderr
    out = result.stdout.decode("utf-8")  # valid UTF-8, whatever the file names were
    escaped = "b-\\xff\\xfe.yaml"
    if fmt == "json":
        reports = json.loads(out)
        assert [r["programme"]["source"] for r in reports] == [
            "batch/a.yaml",
            f"batch/{escaped}",
            "batch/c.yaml",
        ]
        ids = [[f["rule_id"] for f in r["findings"]] for r in reports[:2]]
        assert ids[0] == ids[1] != []
        assert {f["location"]["file"] for f in reports[1]["findings"]} == {f"batch/{escaped}"}
    elif fmt == "sarif":  # the URI names the file's own bytes, percent-encoded
        results = json.loads(out)["runs"][0]["results"]
        uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
        assert "batch/b-%FF%FE.yaml" in uris
    else:
        assert "xff" in out and "xfe" in out


def test_an_unreadable_non_utf8_name_is_escaped_in_its_error_line(tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    shutil.copy(NGSS, batch / "a.yaml")
    Path(os.fsdecode(bytes(batch) + b"/bad-\xe9.yaml")).write_text("name: [\n", encoding="utf-8")
    result = govcheck("check", "batch", "-f", "json", cwd=tmp_path)
    line = one_error_line(result)
    assert line.startswith("govcheck: batch/bad-\\xe9.yaml:2:"), line
    reports = json.loads(result.stdout)
    assert reports[0]["findings"] and reports[1]["programme"]["source"] == "batch/bad-\\xe9.yaml"


@pytest.mark.parametrize("fmt", ["terminal", "json", "markdown", "github", "sarif"])
def test_output_encoding_that_cannot_show_the_text_escapes_it(tmp_path: Path, fmt: str) -> None:
    text = NGSS.read_text(encoding="utf-8").replace(
        "name: Next Generation Shared Services", "name: Программа 共享服务"
    )
    assert "Программа" in text
    (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
    result = govcheck("check", "p.yaml", "-f", fmt, cwd=tmp_path, env={"PYTHONIOENCODING": "latin-1"})
    assert b"Traceback" not in result.stderr and result.returncode == 1, result.stderr
    out = result.stdout.decode("latin-1")
    # Cyrillic and CJK cannot be written in Latin-1: they arrive escaped, not lost.
    assert "\\u041f" in out and "\\u5171" in out, out[:2000]


def test_unencodable_text_in_an_error_line_is_escaped(tmp_path: Path) -> None:
    (tmp_path / "Программа.yaml").write_text("id: [\n", encoding="utf-8")
    result = govcheck("check", "Программа.yaml", cwd=tmp_path, env={"PYTHONIOENCODING": "latin-1"})
    stderr = result.stderr.decode("latin-1")
    assert "Traceback" not in stderr and result.returncode == 2, stderr
    assert stderr.startswith("govcheck: \\u041f"), stderr


# --- Every read is bounded and regular -------------------------------------------------------------


def _special(tmp: Path, kind: str, name: str) -> Path:
    path = tmp / name
    if kind == "dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "symlink-to-fifo":
        os.mkfifo(tmp / "the-fifo")
        path.symlink_to(tmp / "the-fifo")
    else:  # too big: a regular file over the limit
        with path.open("wb") as f:
            f.truncate(6 * 1024 * 1024)
    return path


@pytest.mark.parametrize("kind", ["dev-zero", "fifo", "symlink-to-fifo", "too-big"])
@pytest.mark.parametrize("role", ["waivers", "baseline", "config", "found-config", "found-pyproject", "rule"])
def test_every_input_file_is_bounded_and_must_be_regular(tmp_path: Path, kind: str, role: str) -> None:
    shutil.copy(HEALTHY, tmp_path / "p.yaml")
    args = ["check", "p.yaml"]
    options = {
        "waivers": ("--waivers", "w.yaml"),
        "baseline": ("--baseline", "b.json"),
        "config": ("--config", "c.yaml"),
    }
    if role in options:
        option, name = options[role]
        _special(tmp_path, kind, name)
        args += [option, name]
    elif role == "found-config":
        _special(tmp_path, kind, ".govcheck.yaml")
    elif role == "found-pyproject":
        _special(tmp_path, kind, "pyproject.toml")
    else:
        (tmp_path / "pack").mkdir()
        _special(tmp_path / "pack", kind, "r.yaml")
        args += ["--rules-dir", "pack"]
    line = one_error_line(govcheck(*args, cwd=tmp_path, timeout=60))
    if kind == "too-big":
        assert "the limit is 5,242,880" in line, line
    else:
        assert "not a regular file" in line, line


def test_a_fifo_in_a_directory_is_reported_in_its_place(tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    shutil.copy(NGSS, batch / "a.yaml")
    os.mkfifo(batch / "b.yaml")
    shutil.copy(NGSS, batch / "c.yaml")
    result = govcheck("check", "batch", "-f", "json", cwd=tmp_path, timeout=60)
    line = one_error_line(result)
    assert line == "govcheck: batch/b.yaml: not a regular file (a FIFO); refusing to read it"
    reports = json.loads(result.stdout)
    assert [bool(r.get("findings")) for r in reports] == [True, False, True]


def test_deep_json_baseline_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "b.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    line = one_error_line(govcheck("check", str(NGSS), "--baseline", "b.json", cwd=tmp_path))
    assert line == "govcheck: b.json: not a govcheck baseline: JSON nested too deeply"


# --- Configuration found automatically ------------------------------------------------------------


@pytest.mark.parametrize("where", ["here", "parent"])
def test_broken_pyproject_found_automatically_is_an_error_with_its_line(tmp_path: Path, where: str) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.govcheck]\nfail_on = "critical\n', encoding="utf-8"
    )
    cwd = tmp_path if where == "here" else tmp_path / "sub"
    cwd.mkdir(exist_ok=True)
    shutil.copy(NGSS, cwd / "p.yaml")
    line = one_error_line(govcheck("check", "p.yaml", cwd=cwd))
    shown = "pyproject.toml" if where == "here" else str(tmp_path / "pyproject.toml")
    assert line.startswith(f"govcheck: {shown}:5:"), line
    assert "TOML syntax error" in line


# --- Rule templates that do not end ----------------------------------------------------------------


def test_a_rule_template_that_never_ends_becomes_an_internal_error_finding(tmp_path: Path) -> None:
    rule: dict[str, Any] = yaml.safe_load(
        (ROOT / "rules" / "business_case" / "business-case-missing.yaml").read_text(encoding="utf-8")
    )
    rule["id"] = "pack-endless"
    rule["finding"] = (
        "{% for i in range(100000) %}{% for j in range(100000) %}{{ i }}{% endfor %}{% endfor %}"
    )
    (tmp_path / "pack").mkdir()
    (tmp_path / "pack" / "pack-endless.yaml").write_text(yaml.safe_dump(rule), encoding="utf-8")
    result = govcheck("check", str(NGSS), "--rules-dir", "pack", "-f", "json", cwd=tmp_path, timeout=120)
    assert b"Traceback" not in result.stderr and result.returncode == 1, result.stderr
    (report,) = json.loads(result.stdout)  # one JSON shape: a list, one report per file
    findings = report["findings"]
    internal = [f for f in findings if f["rule_id"] == "internal-error"]
    assert len(internal) == 1 and "pack-endless" in internal[0]["message"]
    assert "100,000 steps" in internal[0]["message"]
    # The other rules still report.
    assert "business-case-missing" in {f["rule_id"] for f in findings}


@pytest.mark.parametrize(
    ("template", "words"),
    [
        ("{{ 'x' | center(400000000) }}", "center: 400,000,000 is over the template limit"),
        ("{{ '%0400000000d' | format(1) }}", "format: a width over the template limit"),
        ("{% set x = 'x' * 1000000 %}{% set x = x ~ x %}{{ x | length }}", "a value of over 1,000,000 items"),
        ("{{ ('x' * 600000) + ('y' * 600000) }}", "a value of over 1,000,000 items"),
        ("{{ 'x' | indent(1500000000) }}", "indent: 1,500,000,000 is over the template limit"),
    ],
)
def test_a_rule_template_that_would_build_a_huge_value_is_stopped_before_it_does(
    tmp_path: Path, template: str, words: str
) -> None:
    rule: dict[str, Any] = yaml.safe_load(
        (ROOT / "rules" / "business_case" / "business-case-missing.yaml").read_text(encoding="utf-8")
    )
    rule["id"] = "pack-huge"
    rule["finding"] = template
    (tmp_path / "pack").mkdir()
    (tmp_path / "pack" / "pack-huge.yaml").write_text(yaml.safe_dump(rule), encoding="utf-8")
    result = govcheck("check", str(NGSS), "--rules-dir", "pack", "-f", "json", cwd=tmp_path, timeout=60)
    assert b"Traceback" not in result.stderr and result.returncode == 1, result.stderr
    (report,) = json.loads(result.stdout)
    (internal,) = [f for f in report["findings"] if f["rule_id"] == "internal-error"]
    assert "pack-huge" in internal["message"] and words in internal["message"]


# --- An engine that cannot be imported --------------------------------------------------------------


def test_an_engine_that_does_not_import_is_one_line_naming_the_fix(tmp_path: Path) -> None:
    # The engine's C extension, as it fails to load when built for 3.13 without the mapping.
    fake = tmp_path / "fake"
    fake.mkdir()
    (fake / "durable_rules_engine.py").write_text(
        "raise ImportError('durable_rules_engine.so: undefined symbol: PyEval_CallObject')\n",
        encoding="utf-8",
    )
    result = govcheck("check", str(NGSS), env={"PYTHONPATH": str(tmp_path / "fake")})
    line = one_error_line(result)
    assert "undefined symbol: PyEval_CallObject" in line
    assert "CPPFLAGS=-DPyEval_CallObject=PyObject_CallObject" in line and "--no-cache-dir" in line
