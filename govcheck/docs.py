"""The rule reference, generated from rule metadata and test cases: never written by hand."""

from __future__ import annotations

from typing import Any

import yaml

from govcheck.catalogue import Catalogue, LoadedRule
from govcheck.rule import Category
from govcheck.templating import report_environment


def _yaml(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False).strip()


_VERDICT = {"pass": "passes", "fail": "fails", "unknown": "not assessed (evidence gap)"}


def _context(loaded: LoadedRule) -> dict[str, Any]:
    rule = loaded.rule
    return {
        "r": rule,
        "path": loaded.path,
        # As written, so a threshold that is an option shows as `{option: name}`.
        "when": _yaml(
            loaded.data["when"]
            if isinstance(loaded.data, dict) and "when" in loaded.data
            else rule.model_dump(mode="json", by_alias=True, exclude_none=True)["when"]
        ),
        "cases": [
            (
                verdict,
                case.name,
                _yaml(case.programme) if case.programme else "(the base programme)",
                case.contains,
            )
            for case, expect in rule.tests.all()
            for verdict in (_VERDICT[expect],)
        ],
    }


def rule_markdown(loaded: LoadedRule) -> str:
    template = report_environment().get_template("rule.md.j2")
    return template.render(level=1, **_context(loaded))


def reference(catalogue: Catalogue) -> str:
    template = report_environment().get_template("rules.md.j2")
    groups = [(c.value, [r for r in catalogue.rules if r.rule.category is c]) for c in Category]
    return template.render(
        groups=[(name, [_context(r) for r in rules]) for name, rules in groups if rules],
        total=len(catalogue.rules),
    )
