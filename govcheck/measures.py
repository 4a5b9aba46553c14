"""Measured figures the portfolio shows but cannot compute from one import: how well govcheck's
rating warns, at one release, of the projects the IPA rates Red, or worse, at the next.

`python benchmarks/agreement.py --early-warning RELEASE... --write FILE` measures them over
several releases (it takes minutes) and writes FILE; `govcheck portfolio ... --measures FILE`
reads it here. The file is validated against `EarlyWarning` (one line naming the file and the
field on any problem, exit 2), and the sentences the outputs give are computed from its figures.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from govcheck.errors import InputError
from govcheck.reading import read_bytes
from govcheck.yamlsource import display_path

VERSION = 1
MAX_BYTES = 1024 * 1024
#: How the panel, the workbook and the terminal say the file is made when it is not given.
COMMAND = (
    "python benchmarks/agreement.py --early-warning RELEASE... --held-out RELEASE --write measures.json"
)
NOT_SUPPLIED = (
    "The early-warning measure was not supplied: it needs several releases and takes minutes, so "
    "it is measured apart. Measure it with "
    f"`{COMMAND}`, then pass the file: `govcheck portfolio ... --measures measures.json`."
)
#: Figures are compared as they are shown: AUROC to two places, precision to whole percent.
AUROC_PLACES = 2


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Predictor(_Strict):
    """One score's figures: govcheck's own, or a baseline it is measured against."""

    name: str = Field(min_length=1, max_length=200)
    role: Literal["govcheck", "baseline"]
    #: Area under the ROC curve (ties count a half): 0.5 is chance, 1 a perfect ranking.
    auroc: float | None = Field(ge=0, le=1)
    #: The share in trouble among the 20 highest scores (per release pair, then the mean).
    precision_at_20: float | None = Field(ge=0, le=1)


class Group(_Strict):
    """The figures pooled over the release pairs whose later release is of one kind."""

    pairs: tuple[str, ...] = Field(min_length=1)
    n: int = Field(ge=0)
    positives: int = Field(ge=0)
    predictors: tuple[Predictor, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Group:
        if self.positives > self.n:
            raise ValueError(f"positives ({self.positives}) cannot exceed n ({self.n})")
        names = [p.name for p in self.predictors]
        if len(set(names)) != len(names):
            raise ValueError("each predictor must be named once")
        if not any(p.role == "govcheck" for p in self.predictors):
            raise ValueError("no predictor has role 'govcheck'")
        if not 0 < self.positives < self.n and any(p.auroc is not None for p in self.predictors):
            raise ValueError("an AUROC needs projects both in trouble and not (0 < positives < n)")
        return self

    @property
    def govcheck(self) -> Predictor:
        """The first govcheck predictor: the one the sentence reads (its rating)."""
        return next(p for p in self.predictors if p.role == "govcheck")

    @property
    def baselines(self) -> tuple[Predictor, ...]:
        return tuple(p for p in self.predictors if p.role == "baseline")


class ReleaseRef(_Strict):
    name: str = Field(min_length=1, max_length=500)
    date: dt.date
    held_out: bool


class EarlyWarning(_Strict):
    """The document `benchmarks/agreement.py --early-warning --write FILE` writes."""

    govcheck_early_warning: Literal[1]
    govcheck_version: str = Field(min_length=1, max_length=100)
    outcome: str = Field(min_length=1, max_length=1000)
    population: str = Field(min_length=1, max_length=1000)
    releases: tuple[ReleaseRef, ...] = Field(min_length=2)
    development: Group | None
    held_out: Group | None

    @model_validator(mode="after")
    def _some_group(self) -> EarlyWarning:
        if self.development is None and self.held_out is None:
            raise ValueError("neither development nor held_out figures are given")
        return self

    def groups(self) -> list[tuple[str, Group]]:
        """(label, figures) for the groups measured: development first."""
        found = (("development releases", self.development), ("held-out releases", self.held_out))
        return [(label, g) for label, g in found if g is not None]


class Measures(BaseModel):
    """The figures as read, with the file they came from (as the user named it)."""

    model_config = ConfigDict(frozen=True)

    source: str
    early_warning: EarlyWarning

    def verdict(self) -> list[str]:
        return verdict(self.early_warning)


def _field(loc: Sequence[int | str]) -> str | None:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or None


def load_measures(path: str | Path) -> Measures:
    """The measures file at `path`, validated; an InputError (one line, exit 2) if it is not one."""
    name = display_path(path)
    try:
        raw = read_bytes(path, name, limit=MAX_BYTES)
    except InputError as exc:
        if exc.message == "file not found":
            raise InputError("measures file not found", file=name) from None
        raise
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); expected JSON", file=name) from None
    try:
        figures = EarlyWarning.model_validate_json(text)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        first = errors[0]
        message = str(first["msg"]).removeprefix("Value error, ")
        if first["type"] == "json_invalid":
            message = f"not valid JSON: {first.get('ctx', {}).get('error', message)}"
        elif first["type"] == "missing":
            message = "required field is missing"
        elif first["type"] == "extra_forbidden":
            message = "unknown field"
        elif first["type"] == "literal_error" and tuple(first["loc"]) == ("govcheck_early_warning",):
            message = f"not a govcheck early-warning file of version {VERSION}"
        message = message[:1].lower() + message[1:]
        if len(errors) > 1:
            message += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
        raise InputError(message, file=name, field=_field(first["loc"])) from None
    return Measures(source=name, early_warning=figures)


# --------------------------------------------------------------------------------------------
# What the figures say, computed from them


def auroc_se(auroc: float, positives: int, negatives: int) -> float:
    """Hanley and McNeil's (1982) standard error of an AUROC over so many positives and negatives."""
    a = auroc
    q1, q2 = a / (2 - a), 2 * a * a / (1 + a)
    var = (a * (1 - a) + (positives - 1) * (q1 - a * a) + (negatives - 1) * (q2 - a * a)) / (
        positives * negatives
    )
    return math.sqrt(max(var, 0.0))


def _a(x: float | None) -> str:
    return "undefined" if x is None else f"{x:.{AUROC_PLACES}f}"


def _p(x: float | None) -> str:
    return "undefined" if x is None else f"{x:.0%}"


def _order(ours: float | None, theirs: float | None, places: int) -> str:
    """'above', 'below', 'level' as the figures are shown, or '' when either is undefined."""
    if ours is None or theirs is None:
        return ""
    a, b = round(ours, places), round(theirs, places)
    return "above" if a > b else "below" if a < b else "level"


def _chance(g: Group) -> tuple[str, str]:
    """How govcheck's AUROC stands against chance (0.5), and the margin it is read with: two
    standard errors, so a figure a little above 0.5 over few projects is not called better."""
    a = g.govcheck.auroc
    assert a is not None
    if round(a, AUROC_PLACES) <= 0.5:
        return "no better than chance", ""
    margin = 2 * auroc_se(a, g.positives, g.n - g.positives)
    said = "not clearly better than chance" if a - 0.5 < margin else "better than chance"
    return said, f"; two standard errors: ±{margin:.2f}"


def _against(
    g: Group, measure: str, places: int, show: Callable[[float | None], str]
) -> tuple[str, list[str]]:
    """How govcheck stands beside each baseline on `measure`, and the baselines it does not beat."""
    ours = getattr(g.govcheck, measure)
    said: list[str] = []
    unbeaten: list[str] = []
    words = {"above": "above", "below": "below", "level": "level with"}
    for b in g.baselines:
        theirs = getattr(b, measure)
        order = _order(ours, theirs, places)
        if order:
            said.append(f"{words[order]} {b.name} ({show(theirs)})")
        if order in ("below", "level"):
            unbeaten.append(b.name)
    return ", ".join(said), unbeaten


def group_sentence(label: str, g: Group) -> str:
    """One group's figures in words: govcheck's rating against chance and against each baseline."""
    who = f"On the {label} ({g.n} {'project' if g.n == 1 else 'projects'}, {g.positives} in trouble)"
    c = g.govcheck
    if c.auroc is None:
        return (
            f"{who} govcheck's AUROC is undefined (it needs projects both in trouble and not), "
            "so it cannot be compared with chance or the baselines."
        )
    chance, margin = _chance(g)
    text = f"{who} {c.name} is {chance} as an early warning (AUROC {_a(c.auroc)}; 0.5 is chance{margin})"
    said, unbeaten = _against(g, "auroc", AUROC_PLACES, _a)
    text += f": {said}." if said else "."
    p_said, p_unbeaten = _against(g, "precision_at_20", 2, _p)
    if c.precision_at_20 is not None:
        text += f" Among the 20 it flags first, {_p(c.precision_at_20)} are in trouble"
        text += f": {p_said}." if p_said else "."
    if not g.baselines:
        return text + " No baseline was measured beside it."
    measures = [m for m, u in (("AUROC", unbeaten), ("precision among the top 20", p_unbeaten)) if u]
    if not measures:
        return text + " It beats every baseline on both measures."
    names = sorted(set(unbeaten) | set(p_unbeaten), key=[b.name for b in g.baselines].index)
    verb = "does" if len(names) == 1 else "do"
    return (
        text + f" It does not beat the baselines: {' and '.join(names)} {verb} as well or better "
        f"on {' and '.join(measures)}."
    )


def verdict(m: EarlyWarning) -> list[str]:
    """A sentence per group measured, development first."""
    return [group_sentence(label, g) for label, g in m.groups()]
