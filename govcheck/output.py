"""Writing reports and files: to standard output, through special files, or atomically.

- A new file is created with the mode the umask gives (0666 less the umask); an existing
  regular file keeps its mode (and its owner, where the process may set it).
- A regular file is replaced atomically: written beside itself, then renamed over it, so a
  reader never sees half a report and a failed write leaves the old file intact.
- A symbolic link is followed: its target is updated, the link stays a link.
- A path that is not a regular file (a FIFO, a character device such as /dev/null, or
  anything under /dev or /proc, such as /dev/stdout) is written through, never replaced.
- A directory, a full disk, or a closed or unwritable standard output is a GovcheckError:
  one line, exit 2.
"""

from __future__ import annotations

import contextlib
import os
import select
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from govcheck.errors import GovcheckError
from govcheck.signals import signals_blocked

if TYPE_CHECKING:
    from govcheck.formats import Format
    from govcheck.formats.stream import Meta, Summary
    from govcheck.report import Outcome

_SPECIAL_TREES = ("/dev/", "/proc/")


class Sink:
    """Somewhere a report is written as it is produced; `commit` or `abort` at the end."""

    name = "standard output"

    def write(self, text: str) -> int:
        raise NotImplementedError

    def write_bytes(self, data: bytes) -> int:
        raise GovcheckError("cannot write a binary format to standard output: give it a path", file=self.name)

    def commit(self) -> None:
        raise NotImplementedError

    def abort(self) -> None:
        """Give up: leave whatever was there before."""

    def _fail(self, exc: OSError) -> GovcheckError:
        return GovcheckError(f"cannot write: {exc.strerror or exc}", file=self.name)


class StdoutSink(Sink):
    """Standard output, written to its file descriptor by govcheck itself.

    Python's own stream cannot be trusted with a report: unbuffered (`PYTHONUNBUFFERED=1`, as
    CI runners often set) it takes a partial write to a pipe as complete, and on a non-blocking
    pipe it drops what the reader was not ready for. Here every byte is written, waiting for
    the reader when it is slow, or the write fails with one line (a closed reader: exit 2).
    """

    #: Bytes held before a write; a terminal gets each line as it is made.
    BUFFER = 64 * 1024

    def __init__(self) -> None:
        stream = sys.stdout
        if stream is None or stream.closed:
            raise GovcheckError("cannot write: standard output is closed", file=self.name)
        self.stream: TextIO = stream
        self.encoding = getattr(stream, "encoding", None) or "utf-8"
        try:
            stream.flush()
            self.fd: int | None = stream.fileno()
            self.tty = os.isatty(self.fd)
        except (OSError, ValueError, AttributeError):
            self.fd, self.tty = None, False  # not a real file (a test's capture): write to it
        self.pending = bytearray()

    def write(self, text: str) -> int:
        if self.fd is None:
            try:
                return self.stream.write(text)
            except OSError as exc:
                raise self._lost(exc) from None
        self.pending += text.encode(self.encoding, "backslashreplace")
        if len(self.pending) >= self.BUFFER or (self.tty and b"\n" in self.pending):
            self._drain()
        return len(text)

    def commit(self) -> None:
        try:
            if self.fd is None:
                self.stream.flush()
            else:
                self._drain()
        except OSError as exc:
            raise self._lost(exc) from None

    def _drain(self) -> None:
        assert self.fd is not None
        view = memoryview(bytes(self.pending))
        self.pending.clear()
        try:
            while view:
                try:
                    view = view[os.write(self.fd, view) :]
                except BlockingIOError:  # a non-blocking pipe that is full: wait for the reader
                    select.select([], [self.fd], [])
        except OSError as exc:
            raise self._lost(exc) from None

    def _lost(self, exc: OSError) -> GovcheckError:
        # Point the descriptor at /dev/null so that the interpreter's own flush at exit cannot
        # fail a second time (and print a traceback) on what is still buffered.
        self.pending.clear()
        with contextlib.suppress(OSError, ValueError, AttributeError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self.stream.fileno())
            os.close(devnull)
        return self._fail(exc)


class _FileSink(Sink):
    """A sink writing through an open text file, `handle`; a failed write aborts it."""

    handle: TextIO

    def write(self, text: str) -> int:
        try:
            return self.handle.write(text)
        except OSError as exc:
            self.abort()
            raise self._fail(exc) from None

    def write_bytes(self, data: bytes) -> int:
        try:
            self.handle.flush()
            self.handle.buffer.write(data)
            return len(data)
        except OSError as exc:
            self.abort()
            raise self._fail(exc) from None


class ThroughSink(_FileSink):
    """A FIFO, a device or a /dev or /proc path: opened and written, never replaced."""

    def __init__(self, path: Path) -> None:
        self.name = str(path)
        try:
            self.handle = open(path, "w", encoding="utf-8", newline="\n")
        except OSError as exc:
            raise self._fail(exc) from None

    def commit(self) -> None:
        try:
            self.handle.close()
        except OSError as exc:
            raise self._fail(exc) from None

    def abort(self) -> None:
        with contextlib.suppress(OSError):
            self.handle.close()


class AtomicSink(_FileSink):
    """A regular file (or one to create): written beside itself, renamed over it on commit."""

    def __init__(self, path: Path, shown: str, existing: os.stat_result | None) -> None:
        self.name = shown
        self.path = path
        self.existing = existing
        directory = path.parent if str(path.parent) else Path(".")
        created: tuple[int, str] | None = None
        try:
            # A stop signal between creating the file and holding it would leave it behind: held
            # back until the sink owns it, and the file removed if anything fails before then.
            with signals_blocked():
                created = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
                self.tmp = created[1]
                self.handle = os.fdopen(created[0], "w", encoding="utf-8", newline="\n")
        except BaseException as exc:
            if created is not None:
                if not hasattr(self, "handle"):
                    with contextlib.suppress(OSError):
                        os.close(created[0])
                else:
                    with contextlib.suppress(OSError):
                        self.handle.close()
                Path(created[1]).unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise self._fail(exc) from None
            raise

    def commit(self) -> None:
        try:
            self.handle.flush()
            os.fsync(self.handle.fileno())
            self.handle.close()
            if self.existing is not None:
                with contextlib.suppress(OSError):
                    os.chown(self.tmp, self.existing.st_uid, self.existing.st_gid)
                os.chmod(self.tmp, stat.S_IMODE(self.existing.st_mode))
            else:
                os.chmod(self.tmp, 0o666 & ~current_umask())
            os.replace(self.tmp, self.path)
        except OSError as exc:
            self.abort()
            raise self._fail(exc) from None

    def abort(self) -> None:
        with contextlib.suppress(OSError):
            self.handle.close()
        Path(self.tmp).unlink(missing_ok=True)


def current_umask() -> int:
    """The process umask, read without changing it where the system allows."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def open_sink(path: Path | None) -> Sink:
    """Where to write a report: standard output for None, else the file `path` names."""
    if path is None:
        return StdoutSink()
    shown = str(path)
    try:
        existing: os.stat_result | None = os.stat(path)  # follows symbolic links
    except FileNotFoundError:
        existing = None
    except OSError as exc:
        raise GovcheckError(f"cannot write: {exc.strerror or exc}", file=shown) from None
    if existing is not None and stat.S_ISDIR(existing.st_mode):
        raise GovcheckError("cannot write: is a directory", file=shown)
    real = os.path.realpath(path)
    if (existing is not None and not stat.S_ISREG(existing.st_mode)) or real.startswith(_SPECIAL_TREES):
        return ThroughSink(Path(path))
    return AtomicSink(Path(real), shown, existing)


def same_destination(a: Path | None, b: Path | None) -> bool:
    """Whether two output paths (None: standard output) end up in the same place."""
    return _destination(a) == _destination(b)


def _destination(path: Path | None) -> str:
    if path is None:
        return "-"
    real = os.path.realpath(path)
    if real in ("/dev/stdout", "/dev/fd/1", "/proc/self/fd/1") or str(path) in ("/dev/stdout", "/dev/fd/1"):
        return "-"
    return real


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write a whole file (a baseline, a starter programme) by the rules above."""
    write_text(text, Path(path))


def write_text(text: str | bytes, output: Path | None, *, console: bool = False) -> None:
    """Write `text` to `output` (None: standard output); console markup becomes console text."""
    sink: Sink | None = None
    try:
        sink = open_sink(output)
        if isinstance(text, bytes):
            sink.write_bytes(text)
            sink.commit()
            return
        if console:
            from govcheck.formats.terminal import to_console_text

            text = to_console_text(text, color=use_color(output))
        sink.write(text)
        sink.commit()
    except BaseException:
        if sink is not None:
            sink.abort()
        raise


def use_color(output: Path | None) -> bool:
    return output is None and sys.stdout is not None and sys.stdout.isatty() and "NO_COLOR" not in os.environ


class ConsoleSink:
    """Rich markup in, console text (coloured on a terminal) out."""

    def __init__(self, sink: Sink, *, color: bool) -> None:
        from govcheck.formats.terminal import ConsoleText

        self.sink = sink
        self.console = ConsoleText(color=color)

    def write(self, markup: str) -> int:
        return self.sink.write(self.console.convert(markup))


def emit(
    targets: Sequence[tuple[Format, Path | None]],
    meta: Meta,
    outcomes: Iterable[Outcome],
    notices: Callable[[], tuple[str, ...]],
) -> Summary:
    """Write every target as outcomes arrive; on any failure, leave every file as it was."""
    from govcheck.formats.stream import feed

    sinks: list[Sink] = []
    try:
        writers = []
        for fmt, path in targets:
            sink = open_sink(path)
            sinks.append(sink)
            writers.append(fmt.open(ConsoleSink(sink, color=use_color(path)) if fmt.console else sink))
        summary = feed(writers, meta, outcomes, notices)
        for sink in sinks:
            sink.commit()
    except BaseException:
        for sink in sinks:
            sink.abort()
        raise
    return summary
