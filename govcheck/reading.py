"""Reading the files users name: regular files only, never more than a fixed number of bytes.

Every input (programmes, waivers, baselines, configuration, rule files) is read here, so none
can block on a FIFO, stream from a device such as /dev/zero, or exhaust memory.
"""

from __future__ import annotations

import os
import stat

from govcheck.errors import InputError

MAX_BYTES = 5 * 1024 * 1024


def escape_name(path: str | os.PathLike[str]) -> str:
    """A file name as text that any output can carry: bytes that are not UTF-8 become `\\xNN`."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def read_bytes(path: str | os.PathLike[str], name: str, *, limit: int = MAX_BYTES) -> bytes:
    """The content of the regular file `path` (shown to users as `name`), at most `limit` bytes.

    The file is opened without blocking (a FIFO would otherwise wait for a writer), checked to
    be a regular file after opening (so a symlink to a device is refused too), and read no
    further than one byte past the limit, so a file growing as it is read is refused as well.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise InputError("file not found", file=name) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", file=name) from None
    except PermissionError:
        raise InputError("permission denied", file=name) from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", file=name) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError("is a directory, not a file", file=name)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"not a regular file ({_kind(info.st_mode)}); refusing to read it", file=name)
        if info.st_size > limit:
            raise InputError(f"file is {info.st_size:,} bytes; the limit is {limit:,}", file=name)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise InputError(f"file is over {limit:,} bytes, the limit", file=name)
        return b"".join(chunks)
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", file=name) from None
    finally:
        os.close(fd)


def _kind(mode: int) -> str:
    for test, kind in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return kind
    return "not a regular file"
