"""Open an untrusted workbook: the zip checked before anything is decompressed, macros refused
before they are even loaded, and damage told in words."""

from __future__ import annotations

import io
import warnings
import zipfile
import zlib
from typing import Any

from govcheck.errors import InputError

MACRO_PARTS = ("xl/vbaProject.bin", "xl/macrosheets/")


def open_workbook(raw: bytes, name: str) -> tuple[Any, Any]:
    """The workbook twice: with the values formulas last calculated, and with the formulas."""
    _check_archive(raw, name)
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            values = load_workbook(io.BytesIO(raw), data_only=True)
            formulas = load_workbook(io.BytesIO(raw), data_only=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a damaged workbook
        raise InputError(f"not a readable XLSX workbook ({_damage(exc)})", file=name) from None
    return values, formulas


def _check_archive(raw: bytes, name: str) -> None:
    from govcheck.importers.gmpp_read import UnreadableFile, check_zip

    if not raw:
        raise InputError("file is empty; expected a programme workbook", file=name)
    try:
        check_zip(raw)
    except UnreadableFile as exc:
        raise InputError(exc.message, file=name) from None
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        macros = [n for n in archive.namelist() if n.startswith(MACRO_PARTS)]
    if macros:
        raise InputError(
            f"a macro-enabled workbook ({macros[0]}); govcheck never runs macros: "
            "save it as .xlsx without them",
            file=name,
        )


def _damage(exc: Exception) -> str:
    """What is wrong with a workbook that openpyxl could not open, in words."""
    kind = type(exc).__name__
    if isinstance(exc, zlib.error) or kind == "BadZipFile":
        return "damaged compressed data"
    if kind in ("ParseError", "XMLSyntaxError"):
        return "malformed XML in one of its parts"
    if isinstance(exc, KeyError):
        return "a part it needs is missing"
    return kind
