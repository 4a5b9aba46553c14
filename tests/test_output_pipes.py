"""Standard output to a pipe: every byte reaches a slow reader, buffered or not, and a reader
that has gone is one line and exit 2, in every format."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import EXAMPLES

from govcheck.formats import names

MODES = {"buffered": None, "unbuffered": "1"}


def _env(unbuffered: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if unbuffered:
        env["PYTHONUNBUFFERED"] = unbuffered
    return env


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Eight programmes: about 500 KB of JSON, well past a pipe's 64 KB."""
    folder = tmp_path_factory.mktemp("batch")
    text = (EXAMPLES / "troubled.yaml").read_text(encoding="utf-8")
    for i in range(8):
        (folder / f"p{i}.yaml").write_text(text.replace("\nid: ", f"\nid: p{i}-", 1), encoding="utf-8")
    return folder


@pytest.mark.parametrize("mode", MODES)
def test_a_slow_reader_of_a_non_blocking_pipe_gets_every_byte(batch: Path, mode: str) -> None:
    args = [sys.executable, "-m", "govcheck", "check", str(batch), "-f", "json", "-j", "1"]
    expected = subprocess.run(args, capture_output=True, check=False).stdout
    assert len(expected) > 400_000
    read_end, write_end = os.pipe()
    flags = fcntl.fcntl(write_end, fcntl.F_GETFL)
    fcntl.fcntl(write_end, fcntl.F_SETFL, flags | os.O_NONBLOCK)
    proc = subprocess.Popen(args, stdout=write_end, stderr=subprocess.PIPE, env=_env(MODES[mode]))
    os.close(write_end)
    got = bytearray()
    with os.fdopen(read_end, "rb", buffering=0) as reader:
        while chunk := reader.read(4096):
            got += chunk
            time.sleep(0.001)  # slower than govcheck writes: the pipe fills
    assert proc.wait(timeout=120) == 1  # the programmes' own verdict
    assert proc.stderr is not None
    with proc.stderr:
        assert proc.stderr.read() == b""
    assert bytes(got) == expected


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("fmt", [name for name in names() if name != "xlsx"])
def test_a_reader_that_has_gone_is_one_line_and_exit_2(fmt: str, mode: str) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "govcheck", "check", str(EXAMPLES / "ngss.yaml"), "-f", fmt, "-j", "1"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            env=_env(MODES[mode]),
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write_end)
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["govcheck: standard output: cannot write: Broken pipe"]
