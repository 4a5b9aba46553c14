"""Safe YAML loading that keeps the line and column of every value, addressed by JSON pointer."""

from __future__ import annotations

import codecs
import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import yaml

from govcheck.errors import InputError
from govcheck.reading import MAX_BYTES, escape_name, read_bytes

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_NODES = 200_000
MAX_DEPTH = 64
MAX_EVENTS = 2 * MAX_NODES  # keys count here, not in MAX_NODES
# Below this size a document cannot hold enough nodes to matter, so it is not pre-counted.
PRECOUNT_ABOVE = 256 * 1024

_STR = "tag:yaml.org,2002:str"
_SCALAR_TAGS = {
    _STR,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


@dataclass(frozen=True, slots=True)
class Span:
    """Where a value sits in its file: 1-based, end exclusive as YAML marks give it."""

    line: int
    column: int
    end_line: int
    end_column: int
    cell: str | None = None  # in a workbook: the sheet and cell, e.g. "Costs!C4" (line is its row)


class Locator(Protocol):
    """Where the values of a document that is not YAML are (a workbook's cells)."""

    def locate(self, pointer: str) -> tuple[str, Span]: ...


@dataclass(frozen=True, slots=True)
class Source:
    """A parsed document: plain data, and the node tree that knows where each value is."""

    path: str
    data: dict[str, Any]
    root: yaml.Node | Locator | None = None

    def locate(self, pointer: str) -> tuple[str, Span]:
        """The span of `pointer`, or of its nearest enclosing value that is present.

        Spans are looked up on demand by walking the node tree: only findings and errors
        need them, so building a table of every value's position would be wasted work.
        """
        if self.root is not None and not isinstance(self.root, yaml.Node):
            return self.root.locate(pointer)
        found, span = "", Span(1, 1, 1, 1)
        node: Any = self.root
        for token in pointer.split("/")[1:] if pointer else ():
            key = token.replace("~1", "/").replace("~0", "~")
            if isinstance(node, yaml.MappingNode):
                entry = next(
                    (kv for kv in node.value if isinstance(kv[0], yaml.ScalarNode) and kv[0].value == key),
                    None,
                )
                if entry is None:
                    break
                start, node = entry[0].start_mark, entry[1]
            elif isinstance(node, yaml.SequenceNode) and key.isdigit() and int(key) < len(node.value):
                node = node.value[int(key)]
                start = node.start_mark
            else:
                break
            end = node.end_mark
            found = f"{found}/{token}"
            span = Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)
        return found, span


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as users should see it: relative to the working directory when inside it, and
    escaped where its bytes are not UTF-8."""
    given = os.fspath(path)
    try:
        here = os.path.realpath(os.getcwd())
    except OSError:
        here = ""
    # abspath, not realpath: a symlink is shown by the name the user gave, not its target.
    absolute = os.path.abspath(given)
    inside = here.rstrip(os.sep) + os.sep
    if here and absolute == here:
        shown = "."
    elif here and absolute.startswith(inside):
        shown = absolute[len(inside) :].replace(os.sep, "/")
    else:
        shown = Path(given).as_posix()
    return escape_name(shown)


def clip(text: str, limit: int = 80) -> str:
    """A key as an error message may quote it: a hostile key can be megabytes long."""
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def field_name(parts: Any) -> str | None:
    """`a.b.0.c` from a path's parts, each clipped, or None for the top level."""
    return ".".join(clip(str(p)) for p in parts) or None


def escape_pointer_token(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def read_text(path: str | os.PathLike[str], *, limit: int = MAX_BYTES) -> str:
    """Read a regular file (bounded) as UTF-8 text, with the failures users hit as InputError."""
    name = display_path(path)
    return decode(read_bytes(path, name, limit=limit), name)


def decode(raw: bytes, name: str) -> str:
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise InputError("binary content (NUL byte); expected UTF-8 YAML text", file=name, line=line)
    # Strip the BOM ourselves: with "utf-8-sig" the error offsets do not count it.
    body = raw.removeprefix(codecs.BOM_UTF8)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n") + 1
        raise InputError(f"not valid UTF-8 (byte 0x{body[exc.start]:02x})", file=name, line=line) from None


def load(path: str | os.PathLike[str]) -> Source:
    """Load one programme file: one YAML mapping, safe tags only, no duplicate keys."""
    name = display_path(path)
    return parse(read_text(path), name)


def parse(text: str, name: str) -> Source:
    if not text.strip():
        raise InputError("file is empty; expected a programme description", file=name)
    loader = _Loader(text)
    try:
        if len(text) > PRECOUNT_ABOVE:
            _count_nodes(loader, name)
            loader.dispose()
            loader = _Loader(text)
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "invalid YAML"
        if "expected a single document" in str(exc.context or ""):
            problem = "several YAML documents in one file; expected one programme"
        raise InputError(
            f"YAML syntax error: {problem}",
            file=name,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except yaml.reader.ReaderError as exc:
        # Not a MarkedYAMLError: its position is a byte offset into the UTF-8 text.
        before = text.encode("utf-8")[: exc.position].decode("utf-8", "ignore")
        code = f" (U+{exc.character:04X})" if isinstance(exc.character, int) else ""
        raise InputError(
            f"YAML syntax error: {exc.reason}{code}",
            file=name,
            line=before.count("\n") + 1,
            column=len(before) - before.rfind("\n"),
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(f"YAML error: {exc}", file=name) from None
    finally:
        loader.dispose()
    if node is None:
        raise InputError("file holds no YAML document", file=name)
    if not isinstance(node, yaml.MappingNode):
        raise InputError(
            "the top level must be a mapping of programme fields",
            file=name,
            line=node.start_mark.line + 1,
            column=node.start_mark.column + 1,
        )
    return Source(path=name, data=_Builder(name).build(node), root=node)


def _count_nodes(loader: Any, name: str) -> None:
    """Refuse a document with too many nodes before composing it: composing keeps every node
    (with its marks) in memory, about 300 bytes each, so 5 MiB of `[1,1,...]` would take ~1 GB."""
    count = 0
    while not loader.check_event(yaml.StreamEndEvent):
        event = loader.get_event()
        if isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent, yaml.CollectionStartEvent)):
            count += 1
            if count > MAX_EVENTS:
                mark = event.start_mark
                raise InputError(
                    f"document too large: over {MAX_EVENTS:,} keys and values",
                    file=name,
                    line=mark.line + 1,
                    column=mark.column + 1,
                )


class _Builder:
    """Turns a composed node tree into plain data, refusing what is unsafe.

    It keeps only the path it is at (for error messages); positions stay in the nodes.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.nodes = 0
        self.path: list[str] = []
        self.constructor = yaml.SafeLoader("")

    def fail(self, node: yaml.Node, message: str, *extra: str) -> InputError:
        parts = [*self.path, *extra]
        return InputError(
            message,
            file=self.name,
            line=node.start_mark.line + 1,
            column=node.start_mark.column + 1,
            field=field_name(parts) if parts else None,
        )

    def build(self, node: yaml.Node) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self.fail(node, f"document too large: over {MAX_NODES:,} values (alias expansion?)")
        if len(self.path) > MAX_DEPTH:
            raise self.fail(node, f"nesting deeper than {MAX_DEPTH} levels")
        cls = type(node)
        if cls is yaml.ScalarNode:
            return self.scalar(node)
        if cls is yaml.MappingNode:
            if node.tag != _MAP:
                raise self.fail(node, f"unsupported YAML tag {node.tag}")
            return self.mapping(node)
        if cls is yaml.SequenceNode:
            if node.tag != _SEQ:
                raise self.fail(node, f"unsupported YAML tag {node.tag}")
            items = []
            path = self.path
            for i, child in enumerate(node.value):
                path.append(str(i))
                items.append(self.build(child))
                path.pop()
            return items
        raise self.fail(node, "unsupported YAML node")  # pragma: no cover

    def mapping(self, node: yaml.MappingNode) -> dict[str, Any]:
        result: dict[str, Any] = {}
        lines: dict[str, int] = {}
        path = self.path
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.fail(key_node, "merge keys (<<) are not supported")
            if type(key_node) is not yaml.ScalarNode or key_node.tag != _STR:
                raise self.fail(key_node, "keys must be plain strings")
            key = key_node.value
            if key in lines:
                raise self.fail(key_node, f"duplicate key {clip(key)!r} (first at line {lines[key]})", key)
            lines[key] = key_node.start_mark.line + 1
            path.append(key)
            result[key] = self.build(value_node)
            path.pop()
        return result

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag not in _SCALAR_TAGS:
            raise self.fail(node, f"unsupported YAML tag {tag}")
        try:
            value = self.constructor.yaml_constructors[tag](self.constructor, node)
        except (ValueError, OverflowError, yaml.YAMLError):
            raise self.fail(node, f"invalid value {clip(node.value)!r}") from None
        if isinstance(value, dt.datetime):
            raise self.fail(node, "expected a date (YYYY-MM-DD), not a date and time")
        return value
