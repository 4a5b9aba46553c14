"""Jinja environments: a sandbox for rule templates, and one for report templates.

Programme text only ever reaches Jinja as values passed to a template; it is never compiled.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import textwrap
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.sandbox import ImmutableSandboxedEnvironment, safe_range

from govcheck.bodies import Body
from govcheck.resources import templates_dir

_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}
_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def money(amount: float, currency: str = "GBP") -> str:
    """£94m, £1.2bn, £350k, €12,500: the short forms audit reports use."""
    symbol = _SYMBOLS.get(currency, f"{currency} ")
    for size, suffix in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if abs(amount) >= size:
            scaled = amount / size
            text = f"{scaled:.0f}" if abs(scaled - round(scaled)) < 0.05 else f"{scaled:.1f}"
            return f"{symbol}{text}{suffix}"
    return f"{symbol}{amount:,.0f}"


def pct(share: float) -> str:
    value = share * 100
    if 0 < value < 1:
        return "less than 1%"
    return f"{value:.0f}%"


def words(n: int) -> str:
    """Small counts as words, as audit reports write them: four customers, 26 customers."""
    return _WORDS[n] if 0 <= n < len(_WORDS) else f"{n:,}"


def join_and(items: Iterable[Any]) -> str:
    parts = [str(i) for i in items]
    if len(parts) < 2:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def plural(n: int | float, singular: str, many: str | None = None) -> str:
    return singular if n == 1 else (many or singular + "s")


def long_date(value: str | dt.date) -> str:
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day.day} {day:%B %Y}"


def months(value: float) -> str:
    n = math.floor(value)
    return f"{n} {plural(n, 'month')}"


def the(name: str | Body, start: bool = True) -> str:
    """A body's name as a sentence subject: 'The Cabinet Office', but 'HM Treasury'.

    A Body with a short form ("the council") is called by it: the report names it once.
    """
    if isinstance(name, Body):
        if name.short:
            return name.short[:1].upper() + name.short[1:] if start else name.short
        name = name.name
    if name.startswith(("HM ", "Her Majesty", "His Majesty", "The ", "the ")) or not name[:1].isupper():
        return name
    return ("The " if start else "the ") + name


def listing(items: Iterable[Any], count: int | None = None) -> str:
    """The first items, quoted, then how many more there are: `"A10 Design", "A20 Build" and 3 more`."""
    parts = [f'"{i}"' for i in items]
    more = (count or len(parts)) - len(parts)
    if more > 0:
        return ", ".join(parts) + f" and {more:,} more"
    return join_and(parts)


FILTERS = {
    "the": the,
    "money": money,
    "pct": pct,
    "words": words,
    "join_and": join_and,
    "plural": plural,
    "long_date": long_date,
    "months": months,
    "listing": listing,
}


#: Steps (loop iterations over ranges, function calls, arithmetic) one rendering of a rule
#: template may take: the bundled templates take under a hundred; nested loops over
#: range(100000) would take ten thousand million, and stop here within a second.
MAX_STEPS = 100_000
#: The longest string or list a template may build with `*`, and the largest exponent of `**`.
MAX_SIZE = 1_000_000
MAX_EXPONENT = 1_000
_BUDGET = "_govcheck_budget"


class TemplateLimitError(Exception):
    """A rule template went beyond the step or size limits of a rendering."""


class _Budget:
    __slots__ = ("_left",)

    def __init__(self, steps: int) -> None:
        self._left = steps

    def _spend(self) -> None:
        self._left -= 1
        if self._left < 0:
            raise TemplateLimitError(f"template rendering took over {MAX_STEPS:,} steps; stopped")


def _budget(context: Any) -> _Budget:
    budget = context.get(_BUDGET)
    if not isinstance(budget, _Budget):
        raise TemplateLimitError("rule templates are rendered with render() only")
    return budget


class _Range:
    """range() for rule templates: sized like the sandbox's, each step paid for."""

    __slots__ = ("_budget", "_range")

    def __init__(self, budget: _Budget, rng: range) -> None:
        self._budget, self._range = budget, rng

    def __len__(self) -> int:
        return len(self._range)

    def __iter__(self) -> Iterator[int]:
        for i in self._range:
            self._budget._spend()
            yield i


@jinja2.pass_context
def _bounded_range(context: Any, *args: int) -> _Range:
    return _Range(_budget(context), safe_range(*args))


class _BoundedTemplate(jinja2.Template):
    def render(self, *args: Any, **kwargs: Any) -> str:
        return super().render(*args, **kwargs, **{_BUDGET: _Budget(MAX_STEPS)})


def _check_size(value: Any) -> Any:
    if isinstance(value, (str, list, tuple)) and len(value) > MAX_SIZE:
        raise TemplateLimitError(f"a value of over {MAX_SIZE:,} items; stopped")
    return value


_NUMBER = re.compile(r"\d+")


def _bounded_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """A filter that refuses, before it runs, a width or count above the size limit (`center`,
    `indent`, `truncate`, `wordwrap`; for `format`, a width written in the format string), and
    whose result is measured."""
    pass_arg = getattr(func, "jinja_pass_arg", None)

    def bounded(*args: Any, **kwargs: Any) -> Any:
        value, *rest = args[1:] if pass_arg else args  # a pass_* filter gets its context first
        for arg in (*rest, *kwargs.values()):
            if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > MAX_SIZE:
                raise TemplateLimitError(f"{name}: {arg:,} is over the template limit of {MAX_SIZE:,}")
        if name == "format" and isinstance(value, str):
            if any(len(n) > 7 or int(n) > MAX_SIZE for n in _NUMBER.findall(value)):
                raise TemplateLimitError(f"format: a width over the template limit of {MAX_SIZE:,}")
        return _check_size(func(*args, **kwargs))

    if pass_arg is not None:
        bounded.jinja_pass_arg = pass_arg  # type: ignore[attr-defined]
    return bounded


class _BoundedCodeGenerator(CodeGenerator):
    """Compiles `~` (string concatenation) to a join that measures what it builds."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.bounded_join((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class _RuleEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox, with every call, range step and `*` / `**` paid for from one budget per
    rendering, and every string it builds bounded in size (`*`, `+`, `~` and the filters), so a
    rule template can neither hang the checker nor exhaust its memory: going over raises
    TemplateLimitError, which the checker reports as an internal-error finding."""

    template_class = _BoundedTemplate
    code_generator_class = _BoundedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "+"})

    @staticmethod
    def bounded_join(values: tuple[Any, ...]) -> str:
        parts = [str(v) for v in values]
        if sum(map(len, parts)) > MAX_SIZE:
            raise TemplateLimitError(f"a value of over {MAX_SIZE:,} items; stopped")
        return "".join(parts)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _budget(__context)._spend()
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _budget(context)._spend()
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
            raise TemplateLimitError(f"exponent {right} is over the template limit of {MAX_EXPONENT:,}")
        if operator == "*":
            sized, times = (left, right) if isinstance(right, int) else (right, left)
            if isinstance(sized, (str, list, tuple)) and isinstance(times, int):
                if len(sized) * times > MAX_SIZE:
                    raise TemplateLimitError(f"a value of over {MAX_SIZE:,} items; stopped")
        if operator == "+" and isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
            if len(left) + len(right) > MAX_SIZE:
                raise TemplateLimitError(f"a value of over {MAX_SIZE:,} items; stopped")
        return super().call_binop(context, operator, left, right)


def rule_environment() -> jinja2.Environment:
    """For templates that come from rule files, built-in or from a rule pack: sandboxed and
    bounded (see _RuleEnvironment)."""
    env = _RuleEnvironment(undefined=jinja2.StrictUndefined, autoescape=False)
    env.globals["range"] = _bounded_range
    env.filters.update(FILTERS)
    env.filters = {name: _bounded_filter(name, func) for name, func in env.filters.items()}
    return env


#: What can change Markdown's structure inside a line: emphasis, code, links, HTML, table cells,
#: strikethrough, and an underscore that is not inside a word (`scms_v2` is left alone).
_MD_SPECIAL = re.compile(r"[\\`*\[\]<>|~]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")


_MD_LINE_START = re.compile(r"^(\d*)([#>+=-]|(?<=\d)[.)])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: Any) -> str:
    """Text with control characters (terminal escape sequences among them) made visible and inert."""
    return _CONTROL.sub("\ufffd", str(text))


def md(text: Any) -> str:
    """Markdown-escape a value and fold it onto one line so it cannot change the structure."""
    escaped = _MD_SPECIAL.sub(lambda m: "\\" + m.group(0), " ".join(printable(text).split()))
    # A value may begin a line (a paragraph that opens with a name): no heading, quote or list.
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped, count=1)


def rich_escape(text: Any) -> str:
    from rich.markup import escape

    return escape(" ".join(printable(text).split()))


def wrapped(text: Any, indent: int, width: int) -> str:
    """Wrap to the console width, continuing lines at `indent` (apply before escaping)."""
    pad = " " * indent
    return textwrap.fill(
        " ".join(str(text).split()),
        width=max(width, indent + 30),
        initial_indent=pad,
        subsequent_indent=pad,
        break_on_hyphens=False,
    ).lstrip()


def rich_block(text: Any) -> str:
    """Escape rich markup but keep the line breaks of pre-wrapped text."""
    from rich.markup import escape

    return escape(printable(text))


def report_environment() -> jinja2.Environment:
    """For the report templates in templates/: HTML and XML autoescaped, others escaped by filter."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        undefined=jinja2.StrictUndefined,
        # Templates are named like report.md.j2: list the .j2 forms too, or junit.xml.j2 goes unescaped.
        autoescape=jinja2.select_autoescape(["html", "xml", "svg", "html.j2", "xml.j2", "svg.j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    env.filters["md"] = md
    env.filters["rich"] = rich_escape
    env.filters["rich_block"] = rich_block
    env.filters["wrapped"] = wrapped
    from govcheck import explain  # it renders figures with the filters above

    env.filters["reasons"] = explain.reasons
    env.globals["ratings_beside"] = explain.ratings_beside
    return env
