"""Project schedules (MS Project XML, Primavera P6 XER) read as evidence for a programme.

`read_schedule` loads the readers when it is first asked for: checking a description that
names no schedule file never needs them.
"""

from __future__ import annotations

from typing import Any

__all__ = ["read_schedule"]


def __getattr__(name: str) -> Any:
    if name == "read_schedule":
        from govcheck.importers.schedule.read import read_schedule

        return read_schedule
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
