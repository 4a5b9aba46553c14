"""A small on-disk cache of plain data, for work that is the same on every run (the catalogue).

Entries live in the user's cache directory (`$GOVCHECK_CACHE_DIR`, else
`$XDG_CACHE_HOME/govcheck`, else `~/.cache/govcheck`); `GOVCHECK_NO_CACHE=1` turns the cache
off. An entry is JSON, never pickle or code: a header line (format, key, SHA-256 of the body)
and the body. A reader trusts an entry only if the header names the key it asked for and the
body hashes to the digest; anything else (truncated, corrupt, another format) is a miss, and
the caller rebuilds and rewrites it. Writers write a temporary file and rename it into
place, so concurrent writers never leave a half-written entry. A cache directory that cannot
be created or written is not an error: the work is just not saved.

Values are the data YAML loading produces (mappings, lists, strings, numbers, booleans, null
and dates). Dates are written as `{"$date": "YYYY-MM-DD"}` and mapping keys that start with
`$` gain one more `$`, so every such value reads back exactly as it was written.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

FORMAT = "govcheck-cache/1"
KEEP = 8  # entries of one kind kept; older ones are removed when a new one is written
MAX_BYTES = 64 * 1024 * 1024
STALE_TEMP_SECONDS = 3600
_DATE = "$date"


def cache_dir() -> Path | None:
    """Where entries live, or None when caching is turned off."""
    if os.environ.get("GOVCHECK_NO_CACHE", "") not in ("", "0"):
        return None
    given = os.environ.get("GOVCHECK_CACHE_DIR")
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "govcheck"


def digest(parts: Iterable[bytes]) -> str:
    """A key from byte strings, each length-prefixed so that no two sequences collide."""
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


def files_key(files: Sequence[Path], dirs: Sequence[Path]) -> str | None:
    """A key for what is built from `files` and every YAML file under `dirs` (names and
    contents) by this govcheck (its version and every module of its code); None when caching is off or a file
    cannot be read (the caller's own loading then reports it)."""
    if cache_dir() is None:
        return None
    from govcheck import __version__

    package = Path(__file__).resolve().parent
    try:
        parts = [FORMAT.encode(), __version__.encode()]
        parts += [p.read_bytes() for p in sorted(package.rglob("*.py"))]  # subpackages too
        parts += [p.read_bytes() for p in files]
        for index, directory in enumerate(dirs):
            for path in sorted(directory.rglob("*.yaml")):
                parts += [f"{index}:{path.relative_to(directory).as_posix()}".encode(), path.read_bytes()]
    except OSError:
        return None
    return digest(parts)


def _entry(directory: Path, kind: str, key: str) -> Path:
    return directory / f"{kind}-{key[:40]}.json"


def read(kind: str, key: str) -> Any | None:
    """The value stored under `key`, or None if there is none that can be trusted."""
    directory = cache_dir()
    if directory is None:
        return None
    try:
        with open(_entry(directory, kind, key), "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError:
        return None
    header, newline, body = raw.partition(b"\n")
    if not newline or len(raw) > MAX_BYTES:
        return None
    if header.split(b" ") != [FORMAT.encode(), kind.encode(), key.encode(), _sha(body).encode()]:
        return None
    try:
        return json.loads(body, object_hook=_decode_mapping)
    except (ValueError, TypeError):
        return None


def write(kind: str, key: str, value: Any) -> None:
    """Store `value` under `key`, atomically; failures to write are ignored."""
    directory = cache_dir()
    if directory is None:
        return
    body = json.dumps(_encode(value), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    header = f"{FORMAT} {kind} {key} {_sha(body)}\n".encode()
    tmp = None
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{kind}-", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(header)
            handle.write(body)
        os.replace(tmp, _entry(directory, kind, key))
        tmp = None
        _prune(directory, kind)
    except OSError:
        pass
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _prune(directory: Path, kind: str) -> None:
    """Keep the newest KEEP entries of a kind; remove temporary files a killed writer left."""
    entries = []
    for path in directory.iterdir():
        with contextlib.suppress(OSError):
            stat = path.stat()
            if path.name.startswith(f"{kind}-") and path.suffix == ".json":
                entries.append((stat.st_mtime, path))
            elif path.name.startswith(f".{kind}-") and time.time() - stat.st_mtime > STALE_TEMP_SECONDS:
                path.unlink()
    for _, path in sorted(entries, reverse=True)[KEEP:]:
        with contextlib.suppress(OSError):
            path.unlink()


def _sha(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def _encode(value: Any) -> Any:
    if isinstance(value, dict):
        return {(f"${k}" if k.startswith("$") else k): _encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    if isinstance(value, dt.datetime):
        raise TypeError("date-times are not cached")  # YAML loading refuses them too
    if isinstance(value, dt.date):
        return {_DATE: value.isoformat()}
    if value is None or isinstance(value, (str, int, float)):
        return value
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _decode_mapping(mapping: dict[str, Any]) -> Any:
    if len(mapping) == 1 and _DATE in mapping:
        return dt.date.fromisoformat(mapping[_DATE])
    return {(k[1:] if k.startswith("$") else k): v for k, v in mapping.items()}
