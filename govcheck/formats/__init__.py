"""Output formats. Each renders a whole Run through a Jinja template in templates/."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from govcheck.report import Run
from govcheck.templating import report_environment


@dataclass(frozen=True)
class Format:
    name: str
    template: str
    context: Callable[[Run], dict[str, Any]]
    suffix: str
    #: Renders the whole run itself (text or bytes), for formats without a template.
    document: Callable[[Run], str | bytes] | None = None


def _formats() -> dict[str, Format]:
    from govcheck.formats import github, gitlab, html, jsonout, junit, markdown, portfolio, sarif, terminal

    return {
        f.name: f
        for f in (
            terminal.FORMAT,
            markdown.FORMAT,
            jsonout.FORMAT,
            portfolio.TERMINAL,
            portfolio.CSV,
            portfolio.JSON,
            portfolio.XLSX,
            sarif.FORMAT,
            junit.FORMAT,
            github.FORMAT,
            gitlab.FORMAT,
            html.FORMAT,
            html.PORTFOLIO,
        )
    }


def names() -> list[str]:
    return list(_formats())


def get(name: str) -> Format:
    return _formats()[name]


def render(name: str, run: Run) -> str | bytes:
    """Render `run` in the named format: text, or bytes for a binary format (xlsx)."""
    fmt = get(name)
    if fmt.document is not None:
        return fmt.document(run)
    return report_environment().get_template(fmt.template).render(**fmt.context(run))
