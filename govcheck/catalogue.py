"""The rule catalogue: rule files found on disk, validated, type-checked and compiled once.

The rule files are the only list of rules. A rules directory holds one YAML file per rule
(in any sub-directory, conventionally `<category>/<id>.yaml`); files whose names start with
`_` are not rules: `_conclusions.yaml` (how findings become conclusions) and `_base.yaml`
(the programme that rule test cases patch).
"""

from __future__ import annotations

import difflib
import os
import types
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import jinja2
import jinja2.nodes

from govcheck import cache, conditions
from govcheck.errors import InputError, RuleError
from govcheck.facts import fact_fields
from govcheck.facts.plan import CHECKS
from govcheck.model import Programme
from govcheck.report import RuleInfo
from govcheck.resources import rules_dir
from govcheck.rule import Category, Conclusions, Rule, Severity
from govcheck.templating import rule_environment
from govcheck.validation import fields_at, validate
from govcheck.variants import KEY, VariantError, expand
from govcheck.yamlsource import Source, display_path, load

TEMPLATE_NAMES = frozenset({"fact", "programme", "body", "option"})


@dataclass(frozen=True)
class LoadedRule:
    """A rule checked at load; its templates are parsed then and compiled on first use
    (code generation is most of the cost of loading, and most rules never fire)."""

    rule: Rule
    path: str
    line: int
    pattern: dict[str, Any]
    env: jinja2.Environment = field(repr=False, compare=False)
    data: Any = field(default=None, repr=False, compare=False)  # as written, to set its options again

    @cached_property
    def finding(self) -> jinja2.Template:
        return self.env.from_string(self.rule.finding)

    @cached_property
    def recommendation(self) -> jinja2.Template:
        return self.env.from_string(self.rule.recommendation)


@dataclass(frozen=True)
class Catalogue:
    rules: tuple[LoadedRule, ...]
    conclusions: Conclusions
    conclusions_path: str

    def info(self) -> tuple[RuleInfo, ...]:
        return tuple(
            RuleInfo(
                id=r.rule.id,
                title=r.rule.title,
                description=r.rule.description,
                severity=r.rule.severity,
                category=r.rule.category.value,
                references=tuple(str(x) for x in r.rule.references),
                source=r.path,
            )
            for r in self.rules
        )

    def get(self, rule_id: str) -> LoadedRule | None:
        return next((r for r in self.rules if r.rule.id == rule_id), None)


def installed_packs() -> list[Path]:
    """Rule directories of installed packs, from the `govcheck.rules` entry-point group.

    An entry point may name a directory path (str or Path), a callable returning one, or a
    module whose directory holds the rules.
    """
    found = []
    for ep in sorted(entry_points(group="govcheck.rules"), key=lambda e: e.name):
        try:
            target = ep.load()
        except Exception as exc:  # noqa: BLE001 - a broken pack is a configuration error, named
            raise RuleError(f"rule pack entry point {ep.name!r} failed to load: {exc}") from None
        if callable(target):
            target = target()
        if isinstance(target, types.ModuleType):
            target = Path(target.__file__ or "").parent
        found.append(Path(target))
    return found


def configure(
    catalogue: Catalogue,
    *,
    enable: Sequence[str] = (),
    disable: Sequence[str] = (),
    severity: Mapping[str, Severity] | None = None,
    options: Mapping[str, Mapping[str, Any]] | None = None,
    source: str = "configuration",
) -> Catalogue:
    """Select rules by id or category, override severities and set rule options; unknown names
    are errors."""
    ids = {r.rule.id for r in catalogue.rules}
    names = ids | {c.value for c in Category}
    severity = dict(severity or {})
    for setting, given, allowed in (
        ("enable", enable, names),
        ("disable", disable, names),
        ("severity", severity, ids),
        ("options", options or {}, ids),
    ):
        for name in given:
            if name not in allowed:
                hint = difflib.get_close_matches(name, sorted(allowed), n=1)
                raise RuleError(
                    f"no rule or category {name!r}" + (f"; did you mean {hint[0]!r}?" if hint else ""),
                    file=source,
                    field=setting,
                )

    def selected(r: LoadedRule) -> bool:
        keys = {r.rule.id, r.rule.category.value}
        return (not enable or bool(keys & set(enable))) and not keys & set(disable)

    rules = []
    for r in catalogue.rules:
        if not selected(r):
            continue
        if r.rule.id in severity:
            r = replace(r, rule=r.rule.model_copy(update={"severity": severity[r.rule.id]}))
        if options and r.rule.id in options:
            r = with_options(r, options[r.rule.id], source)
        rules.append(r)
    return replace(catalogue, rules=tuple(rules))


def with_options(loaded: LoadedRule, values: Mapping[str, Any], source: str) -> LoadedRule:
    """The rule with some of its options set, its condition checked and compiled again."""
    rule = loaded.rule
    for name, value in values.items():
        where = f"options.{rule.id}.{name}"
        if name not in rule.options:
            hint = difflib.get_close_matches(name, sorted(rule.options), n=1)
            known = ", ".join(sorted(rule.options)) or "none"
            raise RuleError(
                f"rule {rule.id} has no option {name!r}"
                + (f"; did you mean {hint[0]!r}?" if hint else f" (its options: {known})"),
                file=source,
                field=where,
            )
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise RuleError(f"must be a number, not {value!r}", file=source, field=where)
    data = dict(loaded.data)
    data["options"] = {
        name: {**option, "value": values.get(name, option.get("value"))}
        for name, option in data.get("options", {}).items()
    }
    rule = Rule.model_validate(data)
    try:
        conditions.check(rule.when)
    except conditions.ConditionError as exc:
        raise RuleError(str(exc), file=source, field=f"options.{rule.id}") from None
    severity = loaded.rule.severity  # a severity set by the configuration stays set
    return replace(
        loaded,
        rule=rule.model_copy(update={"severity": severity}),
        pattern=conditions.compile_condition(rule.when),
        data=data,
    )


def rule_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        raise RuleError("rules directory not found", file=str(directory))
    return sorted(
        p
        for p in directory.rglob("*.yaml")
        if not p.name.startswith("_") and p.relative_to(directory).parts[0] != "gates"
    )


def load_catalogue(
    extra_dirs: Sequence[str | os.PathLike[str]] = (), *, builtin: bool = True, packs: bool = True
) -> Catalogue:
    """Load the bundled rules (unless `builtin` is false), installed packs and `extra_dirs`.

    A catalogue loaded before from the same rule files by the same govcheck comes from the
    cache (see govcheck.cache) and is validated again as data, not re-read from YAML.
    """
    dirs = (
        ([rules_dir()] if builtin else [])
        + (installed_packs() if packs else [])
        + [Path(d) for d in extra_dirs]
    )
    # Each rule file, with the directory it is in and its name there: what the cache records.
    files = [(i, p, p.relative_to(d).as_posix()) for i, d in enumerate(dirs) for p in rule_files(d)]
    conclusions_file = rules_dir() / "_conclusions.yaml"
    key = cache.files_key([conclusions_file], dirs)
    if key is not None:
        stored = cache.read("catalogue", key)
        if stored is not None:
            hit = _from_cache(stored, files, conclusions_file)
            if hit is not None:
                return hit
    env = rule_environment()
    seen: dict[str, LoadedRule] = {}
    stored_rules = []
    for index, path, name in files:
        loaded_rules, data = _load_rules(path, env)
        for loaded in loaded_rules:
            if loaded.rule.id in seen:
                raise RuleError(
                    f"duplicate rule id {loaded.rule.id!r}; also defined in {seen[loaded.rule.id].path}",
                    file=loaded.path,
                    line=loaded.line,
                    field="id",
                )
            seen[loaded.rule.id] = loaded
        stored_rules.append([index, name, loaded_rules[0].line, data])
    source = _load(conclusions_file)
    table = validate(Conclusions, source, RuleError)
    for topic in ("value_for_money", "rating"):
        for i, line in enumerate(getattr(table, topic)):
            if line.programme is not None:
                _check_condition(line.programme, source, f"/{topic}/{i}/programme")
    if key is not None:
        cache.write("catalogue", key, {"rules": stored_rules, "conclusions": source.data})
    return Catalogue(
        rules=tuple(sorted(seen.values(), key=lambda r: r.rule.id)),
        conclusions=table,
        conclusions_path=source.path,
    )


def _from_cache(
    stored: Any, files: Sequence[tuple[int, Path, str]], conclusions_file: Path
) -> Catalogue | None:
    """Re-validate a cached catalogue as data; None (rebuild it) if anything is amiss."""
    try:
        if [(e[0], e[1]) for e in stored["rules"]] != [(i, name) for i, _, name in files]:
            return None
        env = rule_environment()
        rules = []
        for (_, path, _), (_, _, line, data) in zip(files, stored["rules"], strict=True):
            many = KEY in data
            for each in expand(data):
                rule = Rule.model_validate(each)
                if not _named_after(rule.id, path, many) or not isinstance(line, int):
                    return None
                pattern = conditions.compile_condition(rule.when)
                rules.append(
                    LoadedRule(
                        rule=rule, path=display_path(path), line=line, pattern=pattern, env=env, data=each
                    )
                )
        table = Conclusions.model_validate(stored["conclusions"])
    except (KeyError, TypeError, ValueError):  # pydantic's ValidationError is a ValueError
        return None
    if len({r.rule.id for r in rules}) != len(rules):
        return None
    return Catalogue(
        rules=tuple(sorted(rules, key=lambda r: r.rule.id)),
        conclusions=table,
        conclusions_path=display_path(conclusions_file),
    )


def _load(path: Path) -> Source:
    try:
        return load(path)
    except InputError as exc:
        raise exc.recast(RuleError) from None


def load_rule(path: Path, env: jinja2.Environment | None = None) -> list[LoadedRule]:
    """The rules of one file: one, or one per variant."""
    return _load_rules(path, env or rule_environment())[0]


def _named_after(rule_id: str, path: Path, variants: bool) -> bool:
    return rule_id.startswith(f"{path.stem}-") if variants else rule_id == path.stem


def _load_rules(path: Path, env: jinja2.Environment) -> tuple[list[LoadedRule], Any]:
    """A rule file checked and compiled (once per variant), and the data it was read from."""
    source = _load(path)
    try:
        expanded = expand(source.data)
    except VariantError as exc:
        _, span = source.locate(exc.pointer)
        raise RuleError(str(exc), file=source.path, line=span.line, field=KEY) from None
    many = KEY in source.data
    rules = [_load_rule(path, replace(source, data=data), env, many) for data in expanded]
    return rules, source.data


def _load_rule(path: Path, source: Source, env: jinja2.Environment, variants: bool) -> LoadedRule:
    rule = validate(Rule, source, RuleError)
    line = source.locate("/id")[1].line

    def fail(message: str, pointer: str, line_offset: int = 0) -> RuleError:
        _, span = source.locate(pointer)
        return RuleError(
            message,
            file=source.path,
            line=span.line + line_offset,
            field=pointer.strip("/").replace("/", "."),
        )

    if not _named_after(rule.id, path, variants):
        expected = f"begin with {path.stem + '-'!r}" if variants else f"match the file name {path.name!r}"
        raise fail(f"rule id {rule.id!r} does not {expected}", "/id")
    _check_condition(rule.when, source, "/when")
    known = fact_fields(lists=True)
    for i, name in enumerate(rule.evidence):
        try:
            conditions.check_fact(name, known)
        except conditions.ConditionError as exc:
            raise fail(str(exc), f"/evidence/{i}") from None
    if rule.activities is not None and rule.activities not in CHECKS:
        hint = difflib.get_close_matches(rule.activities, list(CHECKS), n=1)
        raise fail(
            f"no schedule check {rule.activities!r}" + (f"; did you mean {hint[0]!r}?" if hint else ""),
            "/activities",
        )
    if not _pointer_exists(rule.location):
        raise fail(f"location {rule.location!r} is not a field of the programme format", "/location")
    for name in ("finding", "recommendation"):
        try:
            problem = _template_problem(env, getattr(rule, name))
        except jinja2.TemplateSyntaxError as exc:
            raise fail(f"template error: {exc.message}", f"/{name}", (exc.lineno or 1) - 1) from None
        if problem:
            raise fail(problem, f"/{name}")
    pattern = conditions.compile_condition(rule.when)
    return LoadedRule(rule=rule, path=source.path, line=line, pattern=pattern, env=env, data=source.data)


def _template_problem(env: jinja2.Environment, text: str) -> str | None:
    """What would fail when the template is compiled or run: syntax, names, filters, tests."""
    ast = env.parse(text)
    # jinja2.meta.find_undeclared_variables would generate code: walking the tree is enough.
    names = list(ast.find_all(jinja2.nodes.Name))
    stored = {n.name for n in names if n.ctx != "load"}
    unknown = {n.name for n in names if n.ctx == "load"} - stored - TEMPLATE_NAMES - set(env.globals)
    if unknown:
        return f"template names unknown variables {sorted(unknown)}; use fact, programme or body"
    for node in ast.find_all((jinja2.nodes.Filter, jinja2.nodes.Test)):
        known = env.filters if isinstance(node, jinja2.nodes.Filter) else env.tests
        if node.name not in known:
            return f"template uses unknown {type(node).__name__.lower()} {node.name!r}"
    return None


def _check_condition(cond: Any, source: Source, pointer: str) -> None:
    try:
        conditions.check(cond)
    except conditions.ConditionError as exc:
        _, span = source.locate(pointer)
        raise RuleError(
            str(exc), file=source.path, line=span.line, field=pointer.strip("/").replace("/", ".")
        ) from None


def _pointer_exists(pointer: str) -> bool:
    """Whether a JSON pointer names a field of the programme format (list indexes allowed)."""
    parts: Iterable[str] = [p for p in pointer.split("/") if p]
    loc: list[Any] = []
    for part in parts:
        if part.isdigit():
            loc.append(int(part))
            continue
        if part not in fields_at(Programme, tuple(loc)):
            return False
        loc.append(part)
    return True
