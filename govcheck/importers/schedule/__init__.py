"""Project schedules (MS Project XML, Primavera P6 XER) read as evidence for a programme."""

from govcheck.importers.schedule.read import read_schedule

__all__ = ["read_schedule"]
