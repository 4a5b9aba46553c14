"""Two thousand documents through one Checker in one process.

The engine keeps state per session in C; a leak, a session that is not cleaned up, or a crash on
a document where no rule fires (the engine's delete_state trap) shows up only over many
documents. This checks 2,000 varied programmes with one shared Checker and asserts that:

- a sample gives the same findings as checking each alone with a fresh Checker (no state leaks
  from one document into the next);
- at least 500 clean documents (rules/_base.yaml under new ids) go through without crashing;
- resident memory grows by less than 30 MB between document 500 and document 2,000.

Rules are being written as this runs, so it never asserts which findings a document has.
"""

from __future__ import annotations

import copy
import json
import os
import random
import re
from collections.abc import Iterator
from typing import Any

import yaml
from conftest import EXAMPLES, ROOT

from govcheck.catalogue import load_catalogue
from govcheck.checker import Checker, file_error
from govcheck.errors import GovcheckError
from govcheck.report import FileError, Report
from govcheck.yamlsource import parse

TOTAL = 2_000
CLEAN = 500
SAMPLE = 50
MEMORY_FROM = 500
MEMORY_LIMIT_MB = 30
COMMITMENTS = ["committed", "supportive", "neutral", "resisting", "exited", "unknown"]

Digest = tuple[tuple[str, str], ...]


def _load(path: Any) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


SOURCES = {
    "healthy": _load(EXAMPLES / "healthy.yaml"),
    "ngss": _load(EXAMPLES / "ngss.yaml"),
    "troubled": _load(EXAMPLES / "troubled.yaml"),
    "base": _load(ROOT / "rules" / "_base.yaml"),
}


def _scale(money: dict[str, Any] | None, factor: float) -> None:
    if money:
        money["amount"] = round(money["amount"] * factor, 2)


def _vary(doc: dict[str, Any], rng: random.Random) -> None:
    """Change what the rules read: commitments, migration progress, costs, benefits, the gate."""
    for party in doc.get("parties", []):
        if rng.random() < 0.4:
            party["commitment"] = rng.choice(COMMITMENTS)
            party.pop("exited_on", None)
        if rng.random() < 0.2:
            party["needs_assessed"] = rng.random() < 0.5
    if doc.get("parties") and rng.random() < 0.2:
        doc["parties"] = rng.sample(doc["parties"], rng.randint(0, len(doc["parties"])))
    migration = doc.get("migration")
    if migration and rng.random() < 0.7:
        total = rng.randint(1, 5_000)
        migration["total"] = total
        planned = 0
        for point in migration.get("checkpoints", []):
            planned = rng.randint(planned, total)
            point["planned"] = planned
            if "done" in point or rng.random() < 0.5:
                point["done"] = rng.randint(0, total)
    costs = doc.get("costs", {})
    if rng.random() < 0.7:
        _scale(costs.get("budget"), rng.uniform(0.3, 2.0))
        _scale(costs.get("spent_to_date"), rng.uniform(0.1, 3.0))
        _scale(costs.get("contingency"), rng.uniform(0.0, 2.0))
        if costs.get("whole_life"):
            _scale(costs["whole_life"]["forecast"], rng.uniform(0.8, 2.5))
    for item in doc.get("benefits", {}).get("items", []):
        if rng.random() < 0.5:
            _scale(item.get("delivered_to_date"), rng.uniform(0.0, 2.0))
        if rng.random() < 0.2:
            item["agreed_with_owner"] = rng.random() < 0.5
    if rng.random() < 0.3:
        doc["next_gate"] = rng.randint(0, 5)
    if rng.random() < 0.1:
        doc.get("governance", {}).pop("board", None)
    if rng.random() < 0.1:
        doc.get("leadership", {}).pop("sro", None)


def documents(seed: int = 20_250_630) -> Iterator[tuple[str, str, bool]]:
    """(name, YAML text, clean) for TOTAL documents; the clean ones are spread through the run."""
    rng = random.Random(seed)
    clean_at = set(rng.sample(range(TOTAL), CLEAN))
    varied = ["healthy", "ngss", "troubled", "base"]
    for i in range(TOTAL):
        clean = i in clean_at
        doc = copy.deepcopy(SOURCES["base" if clean else varied[i % len(varied)]])
        if not clean:
            _vary(doc, rng)
        doc["id"] = f"doc-{i:04d}"
        yield f"doc-{i:04d}.yaml", to_yaml(doc), clean


_DATE = re.compile(r'"@date:(\d{4}-\d{2}-\d{2})"')


def to_yaml(doc: dict[str, Any]) -> str:
    """YAML text for `doc`, fast: JSON is YAML, with dates written bare so they stay dates.

    (yaml.safe_dump takes ~8 ms a document; this takes a few hundred microseconds.)
    """
    text = json.dumps(doc, indent=1, ensure_ascii=False, default=lambda d: f"@date:{d.isoformat()}")
    return _DATE.sub(r"\1", text)


def digest(outcome: Report | FileError) -> Digest:
    if isinstance(outcome, FileError):
        return (("file-error", outcome.text),)
    return tuple((f.rule_id, f.message) for f in outcome.findings)


def resident_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def test_two_thousand_documents_in_one_process() -> None:
    shared = Checker()
    base_alone = digest(_check(Checker(), "base.yaml", to_yaml(SOURCES["base"])))
    assert not any(rule_id == "internal-error" for rule_id, _ in base_alone), base_alone

    rng = random.Random(7)
    sample = set(rng.sample(range(TOTAL), SAMPLE))
    sampled: dict[int, tuple[str, str, Digest]] = {}
    reports = errors = clean_checked = 0
    clean_digests: set[Digest] = set()
    memory_at_start = 0.0
    for i, (name, text, clean) in enumerate(documents()):
        if i == MEMORY_FROM:
            memory_at_start = resident_mb()
        outcome = _check(shared, name, text)
        found = digest(outcome)
        assert not any(rule_id == "internal-error" for rule_id, _ in found), (name, found)
        if isinstance(outcome, Report):
            reports += 1
        else:
            errors += 1
        if clean:
            clean_checked += 1
            clean_digests.add(found)
        if i in sample:
            sampled[i] = (name, text, found)
        del outcome
    grown = resident_mb() - memory_at_start

    assert clean_checked == CLEAN
    # Every clean document is the same programme under another id: one result, the base's own.
    assert clean_digests == {base_alone}
    # The generator keeps the documents valid: a FileError here is a generator bug or a model change.
    assert errors == 0 and reports == TOTAL

    catalogue = load_catalogue()  # loaded afresh: nothing shared with `shared`
    for i, (name, text, found) in sorted(sampled.items()):
        alone = digest(_check(Checker(catalogue), name, text))
        assert alone == found, f"document {i} ({name}) checked differently after {i} others"

    assert grown < MEMORY_LIMIT_MB, (
        f"resident memory grew by {grown:.1f} MB over {TOTAL - MEMORY_FROM} documents"
    )


def _check(checker: Checker, name: str, text: str) -> Report | FileError:
    """Check YAML text as a file named `name` would be: parse, validate, run the rules."""
    try:
        return checker.check_source(parse(text, name))
    except GovcheckError as exc:
        return file_error(exc, name)
