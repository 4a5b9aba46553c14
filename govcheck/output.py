"""Writing reports: to the terminal, or to a file atomically (no half-written report)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from govcheck.errors import GovcheckError
from govcheck.report import Run

TERMINAL_FORMATS = frozenset({"terminal", "portfolio"})


def write_atomic(path: Path, text: str | bytes) -> None:
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise GovcheckError(f"cannot write report: {exc.strerror or exc}", file=str(path)) from None
    try:
        if isinstance(text, bytes):
            with os.fdopen(fd, "wb") as binary:
                binary.write(text)
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def emit(run: Run, targets: list[tuple[str, Path | None]]) -> None:
    """Render `run` once per (format, path) target; a path of None means standard output."""
    from govcheck.formats import render

    for name, path in targets:
        write_report(render(name, run), name, path)


def write_report(text: str | bytes, fmt: str, output: Path | None) -> None:
    from govcheck.formats.terminal import to_console_text

    if isinstance(text, bytes):
        if output is None:
            raise GovcheckError(f"{fmt} is a binary format: give it a path, -f {fmt}=PATH")
        write_atomic(output, text)
        return

    if fmt in TERMINAL_FORMATS:
        color = output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
        text = to_console_text(text, color=color)
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_atomic(output, text)
