"""Portfolio formats: a terminal summary, CSV and XLSX for spreadsheets, JSON for tools.

All of them read one PortfolioSummary (govcheck.portfolio.summary), computed once per run.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from typing import Any

from govcheck.formats import Format
from govcheck.formats.early_warning import json_block, sheet_lines, terminal_lines
from govcheck.formats.jsontext import dumps
from govcheck.portfolio import Movement, PortfolioSummary, Row, summary
from govcheck.report import FileError, Run

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """Text a spreadsheet will not run as a formula (OWASP CSV injection guidance). Numbers are
    govcheck's own figures, never programme text: a negative one stays a number."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def generated_at() -> dt.datetime:
    """When the output was made: SOURCE_DATE_EPOCH if set (reproducible builds), else now (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(tz=dt.UTC).replace(microsecond=0)


def _moved(r: Row, attr: str) -> Any:
    return getattr(r.movement, attr) if r.movement else None


#: (header, value of a row): the columns of the CSV and of the XLSX programme sheet.
COLUMNS: tuple[tuple[str, Any], ...] = (
    ("source", lambda r: r.source),
    ("id", lambda r: r.id),
    ("name", lambda r: r.name),
    ("department", lambda r: r.department),
    ("rating", lambda r: r.rating),
    ("ipa_rating", lambda r: r.ipa.rating if r.ipa else None),
    ("ipa_date", lambda r: r.ipa.date if r.ipa else None),
    ("sro_rating", lambda r: r.sro.rating if r.sro else None),
    ("optimism_gap", lambda r: r.optimism_gap if r.sro else None),
    ("previous_release", lambda r: _moved(r, "since")),
    ("rating_before", lambda r: _moved(r, "rating_before")),
    ("rating_movement", lambda r: _moved(r, "direction") or None),
    (
        "cost_growth",
        lambda r: None if _moved(r, "cost_growth") is None else round(_moved(r, "cost_growth"), 4),
    ),
    ("slip_days", lambda r: _moved(r, "slip_days")),
    ("value_for_money", lambda r: r.value_for_money),
    ("critical", lambda r: r.critical),
    ("high", lambda r: r.high),
    ("medium", lambda r: r.medium),
    ("low", lambda r: r.low),
    ("info", lambda r: r.info),
    ("evidence_gaps", lambda r: r.gaps),
    ("worst", lambda r: r.worst),
    # The columns above measure change since the previous release; these, since the first, as
    # the cost growth and milestone slip findings do.
    ("as_at", lambda r: r.as_at),
    ("first_release", lambda r: r.first.since if r.first else None),
    (
        "cost_growth_since_first",
        lambda r: None if r.first is None or r.first.cost_growth is None else round(r.first.cost_growth, 4),
    ),
    ("slip_days_since_first", lambda r: r.first.slip_days if r.first else None),
)
HEADERS = (*(h for h, _ in COLUMNS), "error")


def values(r: Row) -> list[Any]:
    return [get(r) for _, get in COLUMNS] + [None]


def error_values(e: FileError) -> list[Any]:
    return [e.source] + [None] * (len(COLUMNS) - 1) + [e.text]


def table(data: PortfolioSummary) -> list[list[Any]]:
    """The header, a row per programme (worst first), then a row per file not checked."""
    return [list(HEADERS), *(values(r) for r in data.rows), *(error_values(e) for e in data.errors)]


def render_csv(run: Run) -> str:
    buffer = io.StringIO()
    # Every field quoted: the csv module quotes a field holding a line feed but not one holding a
    # lone carriage return, which a spreadsheet reads as a new row whose first cell it would run.
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for line in table(summary(run)):
        writer.writerow([csv_cell(v) for v in line])
    return buffer.getvalue()


def xlsx_cell(value: Any) -> Any:
    """Numbers stay numbers; text is guarded as in CSV, without the control characters XML forbids."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]

    if value is None or isinstance(value, int | float):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", csv_cell(value))


def _sheet(book: Any, title: str, lines: list[list[Any]]) -> None:
    sheet = book.create_sheet(title)
    for line in lines:
        sheet.append([xlsx_cell(v) for v in line])
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text is never a formula, whatever it starts with
    sheet.freeze_panes = "A2"
    for column in sheet.columns:
        widest = max((len(str(c.value)) for c in column if c.value is not None), default=0)
        sheet.column_dimensions[column[0].column_letter].width = min(max(widest, 8) + 2, 60)


def _baseline_lines(data: PortfolioSummary) -> list[list[Any]]:
    """The baseline "same rating as the last release", and govcheck on the same programmes."""
    b, g = data.baseline, data.agreement_on_baseline_rows
    if b is None or g is None:
        return []

    def rho(a: Any) -> Any:
        return None if a.rho is None else round(a.rho, 4)

    return [
        ["programmes whose history gives the IPA's previous rating", b.n],
        ["same_as_last_release spearman_rho", rho(b)],
        ["same_as_last_release same rating", b.exact],
        ["govcheck on those programmes spearman_rho", rho(g)],
        ["govcheck on those programmes same rating", g.exact],
    ]


def render_xlsx(run: Run) -> bytes:
    """A workbook: programmes (as in the CSV), agreement with the IPA and when it was made, and
    the early-warning figures (or that they were not supplied).

    Reproducible: the document's dates and every zip entry's time are the generation time."""
    import zipfile

    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.writer.excel import ExcelWriter  # type: ignore[import-untyped]

    data = summary(run)
    when = generated_at()
    book = Workbook()
    book.remove(book.active)
    _sheet(book, "Programmes", table(data))
    about: list[list[Any]] = [
        ["generated", when.strftime("%Y-%m-%d %H:%M UTC")],
        ["govcheck", run.govcheck_version],
    ]
    agreement = data.agreement
    about += [[label, text] for label, text in releases_lines(data)]
    if agreement is not None:
        about += [
            ["programmes with an IPA rating", agreement.n],
            ["spearman_rho", None if agreement.rho is None else round(agreement.rho, 4)],
            ["same rating", agreement.exact],
            *_baseline_lines(data),
            [],
            ["govcheck \\ IPA", *agreement.confusion.columns],
            *([r, *c] for r, c in zip(agreement.confusion.rows, agreement.confusion.counts, strict=True)),
        ]
    _sheet(book, "Agreement", about)
    _sheet(book, "Early warning", sheet_lines(run))
    naive = when.replace(tzinfo=None)
    book.properties.created = book.properties.modified = naive
    raw = io.BytesIO()
    # openpyxl's own save stamps the book modified now, whatever it says: its writer does not.
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            stamp = max(naive, dt.datetime(1980, 1, 1))  # the earliest time a zip entry can carry
            entry = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, src.read(info))
    return out.getvalue()


def _json(run: Run) -> dict[str, Any]:
    data = summary(run)
    agreement = data.agreement
    document = {
        "govcheck_version": run.govcheck_version,
        "programmes": [{**r.model_dump(), "optimism_gap": r.optimism_gap} for r in data.rows],
        "errors": [{"source": e.source, "error": e.text} for e in data.errors],
        "ratings": data.ratings,
        "ipa_ratings": data.ipa_ratings,
        "sro_ratings": data.sro_ratings,
        "agreement_with_ipa": agreement.model_dump() if agreement else None,
        "baseline_same_as_last_release": data.baseline.model_dump() if data.baseline else None,
        "agreement_with_ipa_on_baseline_programmes": (
            data.agreement_on_baseline_rows.model_dump() if data.agreement_on_baseline_rows else None
        ),
        "early_warning": json_block(run),
        "as_at": data.as_at,
        "all_releases": data.all_releases,
        "left_out": [{"as_at": d, "programmes": n} for d, n in data.left_out],
        "failing_categories": dict(data.failing_categories),
        "fail_on": data.threshold,
    }
    return {"document": dumps(document)}


def moved(m: Movement | None) -> str:
    """'worse +25% +151d': rating direction, cost growth and slip since the previous release."""
    if m is None:
        return "first release"
    parts = [m.direction or "-"]
    parts.append(f"{m.cost_growth:+.0%}" if m.cost_growth is not None else "-")
    parts.append(f"{m.slip_days:+d}d" if m.slip_days is not None else "-")
    return " ".join(parts)


def releases_lines(data: PortfolioSummary) -> list[tuple[str, str]]:
    """(label, text): which release the portfolio is as at, and what it leaves out and why."""
    if data.as_at is None:
        return []
    if data.all_releases:
        return [("as at", f"every release (latest {data.as_at}); each programme as at its own release")]
    left = sum(n for _, n in data.left_out)
    lines = [("as at", f"{data.as_at} (the latest release)")]
    if left:
        dates = ", ".join(f"{d}: {n}" for d, n in data.left_out)
        lines.append(
            (
                "left out",
                f"{left} {'programme' if left == 1 else 'programmes'} last seen in an earlier release "
                f"({dates}); --all-releases shows them",
            )
        )
    return lines


def _terminal(run: Run) -> dict[str, Any]:
    from govcheck.formats.terminal import RATING_STYLE, SEVERITY_STYLE

    data = summary(run)
    width = max([len(r.name) for r in data.rows] + [9])
    return {
        "data": data,
        "rows": data.rows,
        "errors": data.errors,
        "rating_style": RATING_STYLE,
        "severity_style": SEVERITY_STYLE,
        "width": min(width, 40),
        "references": any(r.ipa or r.sro for r in data.rows),
        "movement": any(r.movement for r in data.rows),
        "moved": moved,
    }


CSV = Format(name="csv", template="", context=lambda run: {}, suffix=".csv", document=render_csv)
JSON = Format(name="portfolio-json", template="document.j2", context=_json, suffix=".json")


def render_terminal(run: Run) -> str:
    """The terminal summary, headed by the release it is as at and what it leaves out."""
    from rich.markup import escape

    from govcheck.templating import report_environment

    context = _terminal(run)
    text = report_environment().get_template("portfolio.j2").render(**context)
    lines = releases_lines(context["data"]) + terminal_lines(run)
    head = "".join(f"[bold]{label.capitalize()}[/]: {escape(t)}\n" for label, t in lines)
    return head + ("\n" if head else "") + text


TERMINAL = Format(
    name="portfolio", template="portfolio.j2", context=_terminal, suffix=".txt", document=render_terminal
)
XLSX = Format(name="xlsx", template="", context=lambda run: {}, suffix=".xlsx", document=render_xlsx)
