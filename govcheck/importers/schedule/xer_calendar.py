"""P6 calendar data (`CALENDAR.clndr_data`): working weekdays and exceptions.

The data is nested nodes, each `(0||NAME(PARAMS)(CHILDREN))`:

    (0||CalendarData()(
      (0||DaysOfWeek()(
        (0||1()())                                   Sunday: no work periods, not working
        (0||2()((0||0(s|08:00|f|16:00)())))          Monday: one work period, working
        ...))
      (0||Exceptions()(
        (0||0(d|45383)())                            a holiday
        (0||1(d|45395)((0||0(s|08:00|f|16:00)())))))))  a working day

Days of the week run 1 (Sunday) to 7 (Saturday); exception days are serial numbers counted
from 1899-12-30. XER files write the line breaks inside the data as character 0x7F.

If the data cannot be parsed (no DaysOfWeek node, unbalanced brackets, a day that is not a
number), the calendar falls back to Monday to Friday without holidays: the `Calendar` is then
named with "(calendar data unreadable: assumed Monday to Friday)" so that the assumption shows.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from govcheck.importers.schedule.common import FIRST_DATE, LAST_DATE, Budget, Where

EPOCH = dt.date(1899, 12, 30)
MAX_DEPTH = 16
_OPEN = re.compile(r"\(\s*([^()]*?)\s*\(\s*([^()]*?)\s*\)\s*\(")
_CLOSE = re.compile(r"\s*\)\s*\)")
_SPACE = re.compile(r"[\s\x7f]*")
_FIRST, _LAST = (day.toordinal() - EPOCH.toordinal() for day in (FIRST_DATE, LAST_DATE))


@dataclass(slots=True)
class _Node:
    name: str
    params: dict[str, str]
    children: list[_Node] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class CalendarData:
    workdays: frozenset[int]  # date.weekday()
    exceptions: dict[dt.date, bool]  # day -> working


def parse(text: str, where: Where, budget: Budget) -> CalendarData | None:
    """The weekdays and exceptions in `text`, or none if it cannot be read. An exception date
    outside the accepted date range, or more nodes than `budget` allows, is an error at `where`."""
    budget.spend(where, text.count("||"))  # a node each
    root = _tree(text.replace("\x7f", " "))
    days = _find(root, "DaysOfWeek") if root is not None else None
    if root is None or days is None:
        return None
    workdays: set[int] = set()
    for day in days.children:
        if not day.name.isdigit() or not 1 <= int(day.name) <= 7:
            return None
        if day.children:
            workdays.add((int(day.name) + 5) % 7)
    exceptions: dict[dt.date, bool] = {}
    for exception in getattr(_find(root, "Exceptions"), "children", ()):
        serial = exception.params.get("d", "").strip()
        if not serial.isdigit():
            return None
        if not _FIRST <= int(serial) <= _LAST:
            raise where.error(
                f"calendar exception day {serial} (from 1899-12-30) is outside {FIRST_DATE}..{LAST_DATE}"
            )
        exceptions[EPOCH + dt.timedelta(days=int(serial))] = bool(exception.children)
    return CalendarData(frozenset(workdays), exceptions)


def _tree(text: str) -> _Node | None:
    """The nodes of `text` under one root, or none if they are not well formed."""
    root = _Node("", {})
    stack = [root]
    position = _skip(text, 0)
    while position < len(text):
        opened = _OPEN.match(text, position)
        if opened is not None:
            header, params = opened.groups()
            node = _Node(header.rpartition("||")[2].strip(), _params(params))
            stack[-1].children.append(node)
            stack.append(node)
            if len(stack) > MAX_DEPTH:
                return None
            position = opened.end()
        else:
            closed = _CLOSE.match(text, position)
            if closed is None or len(stack) == 1:
                return None
            stack.pop()
            position = closed.end()
        position = _skip(text, position)
    return root if len(stack) == 1 else None


def _skip(text: str, position: int) -> int:
    match = _SPACE.match(text, position)
    return match.end() if match is not None else position


def _params(text: str) -> dict[str, str]:
    """`s|08:00|f|16:00` as {"s": "08:00", "f": "16:00"}."""
    parts = text.split("|")
    return dict(zip(parts[0::2], parts[1::2], strict=False))


def _find(node: _Node, name: str) -> _Node | None:
    """The first node called `name`, breadth first."""
    queue = [node]
    for current in queue:
        if current.name == name:
            return current
        queue.extend(current.children)
    return None
