"""Baselines: accept today's findings so that only new ones fail.

Findings are keyed on file, rule and JSON pointer, never on line numbers, so moving or
reordering lines does not make an old finding look new.
"""

from __future__ import annotations

import json
from pathlib import Path

from govcheck.errors import InputError, RuleError
from govcheck.reading import read_bytes
from govcheck.report import Finding, Outcome, Report, Suppression, suppress
from govcheck.yamlsource import decode, display_path

VERSION = 1
Key = tuple[str, str, str]


def key(f: Finding) -> Key:
    return (f.location.file, f.rule_id, f.location.path)


def baseline_document(outcomes: tuple[Outcome, ...]) -> str:
    keys = sorted({key(f) for o in outcomes if isinstance(o, Report) for f in o.findings if f.active})
    entries = [{"file": k[0], "rule_id": k[1], "path": k[2]} for k in keys]
    return json.dumps({"govcheck_baseline": VERSION, "findings": entries}, indent=2) + "\n"


def load_baseline(path: str | Path) -> tuple[str, set[Key]]:
    name = display_path(path)
    try:
        document = json.loads(decode(read_bytes(path, name), name))
        if document.get("govcheck_baseline") != VERSION:
            raise ValueError(f"expected govcheck_baseline: {VERSION}")
        return name, {(e["file"], e["rule_id"], e["path"]) for e in document["findings"]}
    except InputError as exc:
        if exc.message == "file not found":
            raise RuleError("baseline file not found", file=name) from None
        raise exc.recast(RuleError) from None
    except RecursionError:
        raise RuleError("not a govcheck baseline: JSON nested too deeply", file=name) from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise RuleError(f"not a govcheck baseline: {exc}", file=name) from None


class BaselineCheck:
    """A baseline applied one finding at a time; its notice is ready once every finding was seen."""

    def __init__(self, keys: set[Key], source: str) -> None:
        self.keys = keys
        self.source = source
        self.count = 0
        self.baselined = Suppression(kind="baseline", justification=f"in baseline {source}")

    def decide(self, f: Finding) -> Suppression | None:
        if key(f) not in self.keys:
            return None
        self.count += 1
        return self.baselined

    def notices(self) -> tuple[str, ...]:
        n = self.count
        return (f"{n} {'finding' if n == 1 else 'findings'} baselined ({self.source})",)


def apply_baseline(
    outcomes: tuple[Outcome, ...], keys: set[Key], source: str
) -> tuple[tuple[Outcome, ...], tuple[str, ...]]:
    check = BaselineCheck(keys, source)
    return suppress(outcomes, check.decide), check.notices()
