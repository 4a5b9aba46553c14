"""Writing outputs, through the real command: modes, links, special files and failures.

Every file govcheck writes (-o, FORMAT=PATH, `baseline`, `init`) goes through the same rules:
new files follow the umask, existing ones keep their mode, links are followed, special files
are written through and never replaced, and a failure is one line and exit 2 with the old
file intact.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT

HEALTHY = str(EXAMPLES / "healthy.yaml")


def govcheck(
    *args: str,
    cwd: Path | None = None,
    umask: int | None = None,
    stdout: int | object = subprocess.PIPE,
    before: Callable[[], None] | None = None,
) -> subprocess.CompletedProcess[str]:
    def setup() -> None:
        if umask is not None:
            os.umask(umask)
        if before is not None:
            before()

    return subprocess.run(
        [sys.executable, "-m", "govcheck", *args],
        stdout=stdout,  # type: ignore[arg-type]
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd or ROOT,
        preexec_fn=setup,
        timeout=300,
    )


def one_error_line(result: subprocess.CompletedProcess[str], *parts: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("govcheck: ") and "Traceback" not in result.stderr
    for part in parts:
        assert part in lines[0], lines[0]


def no_temporary_files(directory: Path) -> None:
    assert [p.name for p in directory.iterdir() if p.name.endswith(".tmp")] == []


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize(("umask", "expected"), [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_new_files_follow_the_umask(tmp_path: Path, umask: int, expected: int) -> None:
    result = govcheck(
        "check", HEALTHY, "-f", f"json={tmp_path / 'r.json'}", "-f", f"sarif={tmp_path / 'r.sarif'}",
        umask=umask,
    )
    assert result.returncode == 0, result.stderr
    assert mode(tmp_path / "r.json") == mode(tmp_path / "r.sarif") == expected
    assert govcheck("init", str(tmp_path / "p.yaml"), umask=umask).returncode == 0
    assert mode(tmp_path / "p.yaml") == expected
    assert govcheck("baseline", HEALTHY, "-o", str(tmp_path / "b.json"), umask=umask).returncode == 0
    assert mode(tmp_path / "b.json") == expected
    no_temporary_files(tmp_path)


def test_existing_files_keep_their_mode(tmp_path: Path) -> None:
    report, base, start = tmp_path / "r.json", tmp_path / "b.json", tmp_path / "p.yaml"
    for path, m in ((report, 0o664), (base, 0o640), (start, 0o604)):
        path.write_text("old\n")
        path.chmod(m)
    assert govcheck("check", HEALTHY, "-f", "json", "-o", str(report), umask=0o077).returncode == 0
    assert govcheck("baseline", HEALTHY, "-o", str(base), umask=0o077).returncode == 0
    assert govcheck("init", str(start), "--force", umask=0o077).returncode == 0
    assert (mode(report), mode(base), mode(start)) == (0o664, 0o640, 0o604)
    assert report.read_text().startswith("[") and base.read_text().startswith("{")
    assert start.read_text() != "old\n"


def test_a_symlink_stays_a_link_and_its_target_is_updated(tmp_path: Path) -> None:
    target = tmp_path / "real" / "report.json"
    target.parent.mkdir()
    target.write_text("old\n")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    assert govcheck("check", HEALTHY, "-f", "json", "-o", str(link)).returncode == 0
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text().startswith("[")
    init_link = tmp_path / "programme.yaml"
    init_link.symlink_to(tmp_path / "real" / "programme.yaml")  # dangling: created where it points
    assert govcheck("init", str(init_link)).returncode == 0
    assert init_link.is_symlink() and (tmp_path / "real" / "programme.yaml").is_file()


def test_a_fifo_is_written_through(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()))
    reader.start()
    result = govcheck("check", HEALTHY, "-f", "compact", "-o", str(fifo))
    reader.join(timeout=60)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert received and received[0].startswith("1 file: ")
    no_temporary_files(tmp_path)


def test_a_character_device_is_written_through_even_as_root(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        # A private null device, so that a regression cannot replace the system's /dev/null.
        device = tmp_path / "null"
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    else:
        device = Path("/dev/null")
    before = device.stat()
    for args in (["check", HEALTHY, "-o", str(device)], ["baseline", HEALTHY, "-o", str(device)]):
        result = govcheck(*args)
        assert result.returncode == 0, result.stderr
        after = device.stat()
        assert stat.S_ISCHR(after.st_mode)
        assert (after.st_rdev, after.st_ino) == (before.st_rdev, before.st_ino)
    no_temporary_files(tmp_path)


def test_dev_stdout_is_written_through() -> None:
    result = govcheck("check", HEALTHY, "-f", "compact=/dev/stdout")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("1 file: ")


def test_a_directory_is_one_line_and_exit_2(tmp_path: Path) -> None:
    one_error_line(govcheck("check", HEALTHY, "-o", str(tmp_path)), str(tmp_path), "is a directory")
    one_error_line(govcheck("check", HEALTHY, "-f", f"sarif={tmp_path}"), "is a directory")
    one_error_line(govcheck("check", HEALTHY, "-o", str(tmp_path / "missing" / "r.json")), "No such file")


def test_a_full_disk_leaves_every_old_file_intact(tmp_path: Path) -> None:
    kept = tmp_path / "kept.json"
    kept.write_text("old\n")
    result = govcheck("check", HEALTHY, "-f", "json", "-o", str(kept), "-f", "sarif=/dev/full")
    one_error_line(result, "/dev/full", "No space left on device")
    assert kept.read_text() == "old\n"
    no_temporary_files(tmp_path)


def test_standard_output_on_a_full_device_is_one_line_and_exit_2() -> None:
    with open("/dev/full", "w") as full:
        result = govcheck("check", HEALTHY, "-f", "json", stdout=full)
    one_error_line(result, "standard output", "No space left on device")


def test_closed_standard_output_is_one_line_and_exit_2() -> None:
    result = govcheck("check", HEALTHY, "-f", "compact", stdout=None, before=lambda: os.close(1))
    one_error_line(result, "standard output", "closed")


@pytest.mark.parametrize("when", ["opening", "writing"])
def test_a_stop_at_any_point_of_a_write_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    # A stop signal (raised as an exception by the handler) arriving just after the temporary
    # file is made, before the sink holds it, or while it is written.
    from govcheck import output
    from govcheck.signals import Interrupted

    def stop(*args: object, **kwargs: object) -> object:
        raise Interrupted(2)

    if when == "opening":
        monkeypatch.setattr(output.os, "fdopen", stop)
    else:
        monkeypatch.setattr(output.AtomicSink, "write", stop)
    target = tmp_path / "out.yaml"
    with pytest.raises(Interrupted):
        output.write_atomic(target, "text")
    assert sorted(p.name for p in tmp_path.iterdir()) == []
