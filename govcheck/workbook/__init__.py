"""The programme workbook: a description as an Excel workbook that boards fill in, read into
the same model as YAML, with every value located at its sheet and cell."""

from __future__ import annotations

import os

from govcheck.reading import read_bytes
from govcheck.yamlsource import Source, decode, display_path, parse

ZIP_SIGNATURE = b"PK\x03\x04"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def load_programme(path: str | os.PathLike[str]) -> Source:
    """One programme description, YAML or a workbook, told apart by content (and by name for a
    workbook that is not a zip, so that it gets a workbook's error)."""
    name = display_path(path)
    raw = read_bytes(path, name)
    if raw.startswith(ZIP_SIGNATURE) or os.fsdecode(path).lower().endswith(WORKBOOK_SUFFIXES):
        from govcheck.workbook.read import parse as parse_workbook

        return parse_workbook(raw, name)
    return parse(decode(raw, name), name)
