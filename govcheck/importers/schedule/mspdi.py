"""MS Project XML (MSPDI) read with the standard library's expat, streaming.

Only the elements a schedule needs are kept: the project's own fields, calendars, tasks with
their predecessor links and baseline 0, and the count of real resource assignments per task.
Everything else (extended attributes, timephased data, resources, notes) is skipped without
being stored. Every task and predecessor link keeps the 1-based line of its start tag.

The XML is untrusted: a document type declaration or any entity declaration is refused
outright (which also rules out "billion laughs" and external entities), parameter entities
are never parsed, and no external entity is ever resolved. A malformed document is reported
with expat's line and column. Turning the kept text into a `Schedule` is `mspdi_build`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any
from xml.parsers import expat

from govcheck.errors import InputError
from govcheck.importers.schedule.common import MAX_CALENDAR_ENTRIES, Budget, Limits, Where, too_many
from govcheck.importers.schedule.model import Schedule
from govcheck.importers.schedule.mspdi_build import SKIPPED, build

NAMESPACE = "http://schemas.microsoft.com/project"
NOT_A_SCHEDULE = "not a schedule: expected MS Project XML (MSPDI) or a Primavera P6 XER file"
REFUSED = "XML with a document type declaration or entities is refused"
UNASSIGNED = "-65535"  # the ResourceUID MS Project writes for an assignment without a resource


@dataclass(slots=True)
class Record:
    """One element of interest: the text of the child elements kept, and its own records."""

    kind: str
    line: int
    fields: dict[str, str] = field(default_factory=dict)
    children: list[Record] = field(default_factory=list)


@dataclass(slots=True)
class Raw:
    """What the stream kept, before any interpretation. Tasks and links are kept as tuples of
    plain dicts of strings, which the garbage collector need not track: a large file stays
    cheap to hold while it is read."""

    project: Record | None = None
    calendars: list[Record] = field(default_factory=list)
    #: line, fields of each task kept
    tasks: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    #: fields of its task, line, fields of each predecessor link
    links: list[tuple[dict[str, str], int, dict[str, str]]] = field(default_factory=list)
    resources: dict[str, int] = field(default_factory=dict)  # task UID -> real assignments
    calendar_entries: Budget = field(
        default_factory=lambda: Budget(MAX_CALENDAR_ENTRIES, f"{MAX_CALENDAR_ENTRIES:,} calendar entries")
    )


@dataclass(frozen=True, slots=True)
class _Node:
    """An element the reader descends into: the record it opens (if any), the child elements
    whose text it keeps (qualified tag -> plain name) and the child elements it descends into."""

    kind: str | None
    fields: Mapping[str, str]
    children: Mapping[str, _Node]


#: `_Node` as plain dicts and tuples, which the handlers read fastest; made for each parse.
_Plain = tuple[str | None, dict[str, str], dict[str, "_Plain"]]
#: A record being read: kind, line, kept text, records inside it.
_Open = tuple[str, int, dict[str, str], list[Record]]


def _node(kind: str | None, fields: str = "", **children: _Node) -> _Node:
    kept = MappingProxyType({f"{NAMESPACE}}}{name}": name for name in fields.split()})
    inner = MappingProxyType({f"{NAMESPACE}}}{name}": node for name, node in children.items()})
    return _Node(kind, kept, inner)


def _plain(node: _Node) -> _Plain:
    return node.kind, dict(node.fields), {tag: _plain(child) for tag, child in node.children.items()}


_PERIOD = _node("period", "FromDate ToDate")
_EXCEPTION = _node(
    "exception",
    "DayWorking Type Occurrences EnteredByOccurrences Period DaysOfWeek"
    " MonthItem MonthPosition Month MonthDay",
    TimePeriod=_PERIOD,
)
_WEEKDAY = _node("weekday", "DayType DayWorking", TimePeriod=_PERIOD)
_CALENDAR = _node(
    "calendar",
    "UID Name BaseCalendarUID",
    WeekDays=_node(None, WeekDay=_WEEKDAY),
    Exceptions=_node(None, Exception=_EXCEPTION),
)
_TASK = _node(
    "task",
    "UID ID Name IsNull Summary Milestone Duration DurationFormat RemainingDuration Start Finish "
    "ActualStart ActualFinish PercentComplete ConstraintType ConstraintDate CalendarUID TotalSlack",
    PredecessorLink=_node("link", "PredecessorUID Type LinkLag LagFormat"),
    Baseline=_node("baseline", "Number Start Finish Duration DurationFormat"),
)
_PROJECT = _node(
    "project",
    "Name Title StatusDate StartDate CalendarUID MinutesPerDay",
    Calendars=_node(None, Calendar=_CALENDAR),
    Tasks=_node(None, Task=_TASK),
    Assignments=_node(None, Assignment=_node("assignment", "TaskUID ResourceUID")),
)
_ROOT = _node(None, Project=_PROJECT)


def read_mspdi(data: bytes, name: str, limits: Limits) -> Schedule:
    """The schedule in MSPDI `data` (shown to users as `name`)."""
    return build(read_raw(data, name, limits), name)


def read_raw(data: bytes, name: str, limits: Limits) -> Raw:
    parser = expat.ParserCreate(namespace_separator="}")
    _harden(parser, name)
    raw = Raw()
    _stream(parser, raw, name, limits)
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        message = f"malformed XML: {expat.ErrorString(exc.code)}"
        raise InputError(message, file=name, line=exc.lineno, column=exc.offset + 1) from None
    if raw.project is None:
        raise InputError(NOT_A_SCHEDULE, file=name)
    return raw


def _harden(parser: Any, name: str) -> None:
    def refuse(*_: object) -> None:
        raise InputError(REFUSED, file=name, line=parser.CurrentLineNumber)

    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.buffer_text = True
    parser.buffer_size = 1 << 16


def _stream(parser: Any, raw: Raw, name: str, limits: Limits) -> None:
    """Set the expat handlers. Elements outside the tree of `_Node`s are counted, not stored,
    so nesting however deep costs nothing. This runs for every element, so it is written for
    speed: closures over locals, and text collected by `list.append` itself."""
    nodes: list[_Plain] = [_plain(_ROOT)]
    _, fields, children = nodes[0]
    records: list[_Open] = [("document", 1, {}, [])]
    kept = records[0][2]  # the text kept by the innermost record
    texts: list[str] = []  # the text since the field being kept started
    skip = 0
    field: str | None = None

    def start(tag: str, _attributes: object) -> None:
        nonlocal skip, field, fields, children, kept
        if skip:
            skip += 1
            return
        skip = 1
        field = fields.get(tag)
        if field is not None:
            texts.clear()
            return
        child = children.get(tag)
        if child is None:
            if len(nodes) == 1:
                raise InputError(NOT_A_SCHEDULE, file=name, line=parser.CurrentLineNumber)
            return
        skip = 0
        nodes.append(child)
        kind, fields, children = child
        if kind is not None:
            kept = {}
            records.append((kind, parser.CurrentLineNumber, kept, []))

    def end(_tag: str) -> None:
        nonlocal skip, field, fields, children, kept
        if skip:
            skip -= 1
            if field is not None and not skip:
                kept[field] = texts[0] if len(texts) == 1 else "".join(texts)
                field = None
            return
        if nodes.pop()[0] is not None:
            _close(records, raw, name, limits)
            kept = records[-1][2]
        _, fields, children = nodes[-1]

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = texts.append


def _close(records: list[_Open], raw: Raw, name: str, limits: Limits) -> None:
    kind, line, fields, children = records.pop()
    if kind == "link":
        raw.links.append((records[-1][2], line, fields))
        if len(raw.links) > limits.links:
            raise too_many("links", limits.links, Where(name, line))
    elif kind == "assignment":
        resource = fields.get("ResourceUID", "").strip()
        if resource and resource != UNASSIGNED:
            task = fields.get("TaskUID", "").strip()
            raw.resources[task] = raw.resources.get(task, 0) + 1
    elif kind == "baseline":
        if fields.get("Number", "0").strip() == "0":
            records[-1][2].update({f"Baseline{tag}": text for tag, text in fields.items()})
    elif kind == "task":
        if fields.get("UID", "").strip() == "0" or fields.get("IsNull", "").strip() in ("1", "true"):
            fields[SKIPPED] = "1"  # the project summary task, or a blank row
            return
        raw.tasks.append((line, fields))
        if len(raw.tasks) > limits.activities:
            raise too_many("activities", limits.activities, Where(name, line))
    elif kind == "project":
        raw.project = Record(kind, line, fields, children)
    else:  # a calendar, or a weekday, exception or period: part of the calendar around them
        raw.calendar_entries.spend(Where(name, line))
        (raw.calendars if kind == "calendar" else records[-1][3]).append(Record(kind, line, fields, children))
