"""Run the test cases written beside each rule: what `govcheck rules test` and the suite run."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from govcheck.catalogue import Catalogue, LoadedRule
from govcheck.checker import Checker
from govcheck.errors import GovcheckError
from govcheck.gaps import GAP_ID
from govcheck.model import Programme
from govcheck.resources import rules_dir
from govcheck.rule import Case, Expect
from govcheck.validation import validate
from govcheck.yamlsource import Source, load


@dataclass(frozen=True)
class CaseResult:
    rule_id: str
    case: str
    expect: Expect
    problem: str | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def merge(base: Any, patch: Any) -> Any:
    """Deep-merge `patch` over `base`: mappings merge key by key, anything else replaces."""
    if isinstance(base, dict) and isinstance(patch, dict):
        merged = dict(base)
        for key, value in patch.items():
            merged[key] = merge(base.get(key), value) if key in base else value
        return merged
    return patch


def base_programme() -> Source:
    return load(rules_dir() / "_base.yaml")


def case_programme(base: Source, loaded: LoadedRule, case: Case) -> Programme:
    source = Source(path=f"{loaded.path} [{case.name}]", data=merge(base.data, case.programme))
    return validate(Programme, source)


def run_cases(
    catalogue: Catalogue, checkers: dict[int | None, Checker] | None = None
) -> Iterator[CaseResult]:
    """Every case of every rule, each checked against the whole catalogue."""
    base = base_programme()
    checkers = {} if checkers is None else checkers
    for loaded in catalogue.rules:
        for case, expect in loaded.rule.tests.all():
            if case.gate not in checkers:
                checkers[case.gate] = Checker(catalogue, gate=case.gate)
            yield run_case(checkers[case.gate], base, loaded, case, expect)


def case_location(loaded: LoadedRule, kind: str, name: str) -> str:
    """`file:line` of a case, read back from the rule file only when the case fails."""
    try:
        source = load(loaded.path)
        cases = source.data["tests"][kind]
        index = next(i for i, c in enumerate(cases) if isinstance(c, dict) and c.get("name") == name)
    except (GovcheckError, KeyError, TypeError, StopIteration):
        return f"{loaded.path}:{loaded.line}"
    return f"{loaded.path}:{source.locate(f'/tests/{kind}/{index}')[1].line}"


def run_case(checker: Checker, base: Source, loaded: LoadedRule, case: Case, expect: Expect) -> CaseResult:
    """A `fail` case must give the rule's finding (with the text it names), a `pass` case no
    finding, and an `unknown` case no finding but an evidence gap naming the rule."""
    rule_id = loaded.rule.id

    def result(problem: str | None) -> CaseResult:
        if problem is not None:
            problem = f"{case_location(loaded, expect, case.name)}, {expect} case: {problem}"
        return CaseResult(rule_id=rule_id, case=case.name, expect=expect, problem=problem)

    try:
        programme = case_programme(base, loaded, case)
    except GovcheckError as exc:
        return result(f"the case's programme is invalid: {exc}")
    try:  # schedule files a case names are beside the rule file
        report = checker.check_programme(programme, Source(path=loaded.path, data={}))
    except GovcheckError as exc:
        return result(f"the case's schedule cannot be read: {exc}")
    found = [f for f in report.findings if f.rule_id == rule_id]
    errors = [f.message for f in report.findings if f.rule_id == "internal-error"]
    if errors:
        return result(errors[0])
    if expect == "fail" and not found:
        return result("expected a finding, but the rule did not fire")
    if expect != "fail" and found:
        return result(f"expected no finding, but the rule fired: {found[0].message}")
    gap = any(rule_id in g.evidence.get("rules", ()) for g in report.gaps if g.rule_id == GAP_ID)
    if expect == "unknown" and not gap:
        return result("expected an evidence gap naming the rule, but none was reported")
    if expect != "unknown" and gap:
        return result("expected the rule to be assessed, but it was left open as an evidence gap")
    if expect != "fail":
        return result(None)
    for text in case.contains:
        if text not in found[0].message + " " + found[0].recommendation:
            return result(f"the finding does not contain {text!r}; it reads: {found[0].message}")
    return result(None)
