"""The JSON Schema (`govcheck schema`) and govcheck's validator agree on what is a programme.

govcheck reads YAML 1.1 (PyYAML); an editor checking the schema reads YAML 1.2. So each
document is written as YAML text once, read by govcheck for the validator and by a YAML 1.2
reader (standing in for yaml-language-server) for the schema, and the two verdicts compared.
Documents are the examples and the base programme, mutated one value at a time: values
replaced by YAML text fragments, keys removed, unknown keys added.

Outside any JSON Schema's sight, so not generated (govcheck/schema.py says why): quotes
(a quoted date, or a quoted yes/no/on/off, whatever the field), `2.0` for a whole number,
`1e3` (text to YAML 1.1, a number to YAML 1.2), `.nan` (not in JSON), and the cross-field
rules, which are recognised by their messages and set aside.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import EXAMPLES, ROOT
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from govcheck.errors import InputError
from govcheck.model import Programme
from govcheck.schema import programme_schema
from govcheck.yamlsource import parse

BASES = [*sorted(EXAMPLES.glob("*.yaml")), ROOT / "rules" / "_base.yaml"]

#: YAML text put in place of a value. Every one is read the same way by YAML 1.1 and 1.2
#: except where that difference is the point (yes, on, unquoted dates).
FRAGMENTS = (
    "yes", "No", "on", "OFF", "true", "false", "~", "null", "''", "x", "'5'", "5", "-1", "0",
    "2.5", "-0.5", "10000001", ".inf", "-.inf", "[]", "{}", "[x]", "[1, 2]",
    "{amount: 5, currency: GBP}", "{amount: -5, currency: GBP}", "{amount: 5, currency: gbp}",
    "1899-12-31", "2101-01-01", "2020-02-30", "2016-05-20T10:00:00", "'" + "x" * 600 + "'",
    "Red", "Amber/Green", "unknown", "full_time", "customer", "obc", "[strategic, economic]",
    "[strategic, strategic]", "{name: Jo}", "{name: Jo, surname: X}",
    "'yes please'", "0x10", "+7",
)
#: govcheck messages that come from rules relating several fields, which a schema cannot state.
CROSS_FIELD = re.compile(
    r"is after the assessment_date|is before the start_date|share one currency|end is before start"
    r"|checkpoints must be in date order|exceeds the total|stage is none|lists a case twice"
    r"|forecast years must be in order|is more than planned|of the recommendations listed are not closed"
    r"|closed_on is given, but status is"
)
RAW = "__raw_fragment__"


class Yaml12Loader(yaml.SafeLoader):
    """YAML 1.2 core schema: true/false only, no timestamps, as editors read YAML."""


Yaml12Loader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^(?:[-+]?[0-9]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
):
    Yaml12Loader.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(_pattern), list(_first))


@functools.cache
def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        json.loads(programme_schema()), format_checker=jsonschema.FormatChecker()
    )


@functools.cache
def base(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def govcheck_verdict(text: str) -> bool | None:
    """True: valid; False: refused; None: refused only by a cross-field rule."""
    try:
        source = parse(text, "programme.yaml")
    except InputError:
        return False
    try:
        Programme.model_validate(source.data)
    except ValidationError as exc:
        messages = [str(e["msg"]) for e in exc.errors()]
        return None if all(CROSS_FIELD.search(m) for m in messages) else False
    return True


def schema_verdict(text: str) -> bool:
    instance = yaml.load(text, Loader=Yaml12Loader)  # a SafeLoader subclass
    return validator().is_valid(json.loads(json.dumps(instance)))


def _containers(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        if isinstance(child, (dict, list)):
            found += _containers(child, (*path, key))
    return found


def _at(value: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        value = value[key]
    return value


@st.composite
def documents(draw: st.DrawFn) -> str:
    data = json.loads(json.dumps(base(draw(st.sampled_from(BASES))), default=str))
    # json round trip: dates become strings here; they are written back unquoted below.
    for _ in range(draw(st.integers(1, 3))):
        holder = _at(data, draw(st.sampled_from(_containers(data))))
        keys = list(holder) if isinstance(holder, dict) else list(range(len(holder)))
        action = draw(st.sampled_from(["replace", "remove", "add"] if keys else ["add"]))
        if action == "add" and isinstance(holder, dict):
            holder[draw(st.sampled_from(["colour", "nmae", "id", "name", "risks"]))] = RAW + draw(
                st.sampled_from(FRAGMENTS)
            )
        elif action == "add":
            holder.append(RAW + draw(st.sampled_from(FRAGMENTS)))
        elif action == "remove":
            del holder[draw(st.sampled_from(keys))]
        else:
            holder[draw(st.sampled_from(keys))] = RAW + draw(st.sampled_from(FRAGMENTS))
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000)
    text = re.sub(r"'(\d{4}-\d\d-\d\d)'", r"\1", text)  # the base documents' dates, unquoted again
    fragments = re.compile(r"""(['"]?)""" + RAW + r"(.*?)\1$", re.MULTILINE)
    return fragments.sub(lambda m: m.group(2).replace("''", "'") if m.group(1) == "'" else m.group(2), text)


@pytest.mark.parametrize("path", BASES, ids=lambda p: p.name)
def test_every_base_document_is_accepted_by_both(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert govcheck_verdict(text) is True
    assert schema_verdict(text) is True


@pytest.mark.parametrize(
    ("patch", "valid"),
    [
        ("governance: {change_control: yes}", True),
        ("governance: {change_control: off}", True),
        ("name: yes", False),
        ("department: 2016-05-20", False),
        ("assessment_date: 1899-12-31", False),
        ("assessment_date: 2101-01-01", False),
        ("next_gate: '2'", False),
        ("next_gate: 2.5", False),
        ("next_gate: 2", True),
        ("id: on", False),
        ("costs: {budget: {amount: 5, currency: YES}}", False),
    ],
)
def test_known_edges_agree(patch: str, valid: bool) -> None:
    text = (ROOT / "rules" / "_base.yaml").read_text(encoding="utf-8")
    key = patch.split(":", 1)[0]
    text = re.sub(rf"(?m)^{key}:.*(\n[ \t]+.*)*$", patch, text, count=1) if re.search(
        rf"(?m)^{key}:", text) else text + patch + "\n"
    assert govcheck_verdict(text) is valid, text
    assert schema_verdict(text) is valid, text


def _agree(text: str) -> None:
    verdict = govcheck_verdict(text)
    assume(verdict is not None)
    assert schema_verdict(text) is verdict, (_why(text), text)


def _why(text: str) -> str:
    try:
        Programme.model_validate(parse(text, "programme.yaml").data)
    except (InputError, ValidationError) as exc:
        return str(exc)[:500]
    errors = sorted(validator().iter_errors(json.loads(json.dumps(yaml.load(text, Loader=Yaml12Loader)))),
                    key=str)
    return str(errors[0])[:500] if errors else ""


QUICK = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@QUICK
@given(documents())
def test_mutated_documents_are_accepted_by_both_or_refused_by_both(text: str) -> None:
    _agree(text)


@pytest.mark.slow
@settings(QUICK, max_examples=3000)
@given(documents())
def test_mutated_documents_agree_long_run(text: str) -> None:
    _agree(text)


#: What the README says the schema cannot check and govcheck refuses (README, "Beyond the
#: schema"): each a change to the base programme's text that the schema accepts.
BEYOND_SCHEMA = {
    "a date in quotes": ("assessment_date: 2025-06-30", "assessment_date: '2025-06-30'"),
    "a whole number written with a decimal point": ("next_gate: 4", "next_gate: 4.0"),
    "a number that is not a number": ("budget: {amount: 100000000,", "budget: {amount: .nan,"),
    "amounts in more than one currency": ("contingency: {amount: 8000000, currency: GBP}",
                                          "contingency: {amount: 8000000, currency: EUR}"),
    "history out of date order": (
        "history: []",
        "history: [{date: 2024-03-31}, {date: 2023-03-31}]",
    ),
    "a state other than active with no date": ("status: {state: active}", "status: {state: paused}"),
    "more written off than spent": ("written_off: null", "written_off: {amount: 60000000, currency: GBP}"),
    "more delivered than planned with no note": (
        "outputs: []",
        "outputs: [{name: Sites, planned: 5, delivered: 6}]",
    ),
    "a budget change larger than the budget": (
        "budget_change: {amount: 8000000, currency: GBP}",
        "budget_change: {amount: 200000000, currency: GBP}",
    ),
    "a judgement dated after the assessment date": (
        "assessments: []",
        "assessments: [{part: schedule, by: IPA, date: 2025-07-01, verdict: sound, basis: Fine}]",
    ),
    "a contract ended with no date": ("contracts: []", "contracts: [{name: Build, status: terminated}]"),
    "outputs due or delivered above what is planned": (
        "outputs: []",
        "outputs: [{name: Sites, planned: 5, due: 6}]",
    ),
    "a review's recommendations_open that disagrees with the recommendations it lists": (
        "{gate: 3, date: 2023-08-15, rating: Green, recommendations_open: 0}",
        "{gate: 3, date: 2023-08-15, rating: Green, recommendations_open: 0, recommendations: "
        "[{text: Re-plan, status: open}]}",
    ),
    "a recommendation with a closed_on date that is not closed": (
        "{gate: 3, date: 2023-08-15, rating: Green, recommendations_open: 0}",
        "{gate: 3, date: 2023-08-15, rating: Green, recommendations: "
        "[{text: Re-plan, status: open, closed_on: 2023-09-01}]}",
    ),
    "an audit conclusion by the programme itself": (
        "audit_conclusions: []",
        "audit_conclusions: [{by: programme, date: 2025-01-01, conclusion: achieved, basis: Ours}]",
    ),
}


@pytest.mark.parametrize("case", sorted(BEYOND_SCHEMA))
def test_what_the_readme_says_is_beyond_the_schema_is(case: str) -> None:
    old, new = BEYOND_SCHEMA[case]
    text = (ROOT / "rules" / "_base.yaml").read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    changed = text.replace(old, new)
    assert schema_verdict(text) and govcheck_verdict(text) is True
    assert schema_verdict(changed), f"the schema refuses {case}: take it off the README's list"
    assert govcheck_verdict(changed) is not True, f"govcheck accepts {case}"
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert case in readme
