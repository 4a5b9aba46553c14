"""Output formats: a registry of names, each format imported only when it is used.

A format declares what it can do:

- `streams`: it has a `writer(out)` that writes each outcome as it arrives
  (`start(meta)`, `outcome(o)`, `finish(summary)`; see govcheck.formats.stream);
  otherwise it renders a whole Run through its `template` (or its `document` function,
  which may give bytes: xlsx) and is run behind a buffering adapter;
- `console`: its text is rich markup, turned into plain or coloured console text;
- `needs_charts`: the checker must compute chart series for it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from govcheck.formats.stream import Out, Writer
    from govcheck.report import Run


@dataclass(frozen=True)
class Format:
    name: str
    template: str = ""
    context: Callable[[Run], dict[str, Any]] | None = None
    suffix: str = ""
    #: Renders the whole run itself (text or bytes), for formats without a template.
    document: Callable[[Run], str | bytes] | None = None
    writer: Callable[[Out], Writer] | None = None
    console: bool = False
    needs_charts: bool = False
    binary: bool = False

    @property
    def streams(self) -> bool:
        return self.writer is not None

    def open(self, out: Out) -> Writer:
        """A writer for this format onto `out`."""
        if self.writer is not None:
            return self.writer(out)
        from govcheck.formats.stream import Buffered

        return Buffered(self, out)

    def render(self, run: Run) -> str | bytes:
        """The whole Run as text (bytes for a binary format)."""
        if self.writer is not None:
            from govcheck.formats.stream import render_run

            return render_run(self, run)
        if self.document is not None:
            return self.document(run)
        assert self.context is not None, f"format {self.name} has neither a writer nor a template"
        from govcheck.templating import report_environment

        return report_environment().get_template(self.template).render(**self.context(run))


# name -> (module, attribute, capabilities the module does not declare itself:
# console, needs_charts, binary)
_REGISTRY: dict[str, tuple[str, str, tuple[bool, bool, bool] | None]] = {
    "terminal": ("terminal", "FORMAT", None),
    "compact": ("compact", "FORMAT", None),
    "markdown": ("markdown", "FORMAT", None),
    "json": ("jsonout", "FORMAT", None),
    "portfolio": ("portfolio", "TERMINAL", (True, False, False)),
    "csv": ("portfolio", "CSV", None),
    "portfolio-json": ("portfolio", "JSON", None),
    "xlsx": ("portfolio", "XLSX", (False, False, True)),
    "sarif": ("sarif", "FORMAT", None),
    "junit": ("junit", "FORMAT", None),
    "github": ("github", "FORMAT", None),
    "gitlab": ("gitlab", "FORMAT", None),
    "html": ("html", "FORMAT", (False, True, False)),
    "html-portfolio": ("html", "PORTFOLIO", (False, True, False)),
}


def names() -> list[str]:
    return list(_REGISTRY)


def get(name: str) -> Format:
    module, attribute, capabilities = _REGISTRY[name]
    fmt: Format = getattr(importlib.import_module(f"govcheck.formats.{module}"), attribute)
    if capabilities is None:
        return fmt
    console, needs_charts, binary = capabilities
    return replace(fmt, name=name, console=console, needs_charts=needs_charts, binary=binary)


def render(name: str, run: Run) -> str | bytes:
    """Render `run` in the named format: text, or bytes for a binary format (xlsx)."""
    return get(name).render(run)
