"""Faster YAML parsers and JSON encoders, measured on the benchmark corpus against what govcheck uses.

    python benchmarks/codecs_bench.py [--files 2000]     (also run by measure.py)

Parsers and encoders that are not installed are reported as such; install them into the
environment to measure them (`pip install rapidyaml yaml-rs orjson`). Each row says whether the
candidate could replace what govcheck uses without losing a guarantee: positions for every
value, YAML 1.1 scalars as PyYAML resolves them (`yes` is a boolean, and so rejected where a
string is expected), and refusal of duplicate keys, unknown tags, alias bombs and deep nesting.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# A sample of what the hostile corpus checks, as text: a loader that keeps the guarantees
# must refuse each (or, for `yes`, read it as PyYAML does: a boolean).
PROBES = {
    "duplicate key": "a: 1\na: 2\n",
    "unknown tag": "a: !!python/object:os.system x\n",
    "alias bomb": "a: &a [x, x, x, x, x, x, x, x, x]\n"
    + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)),
    "yes is a boolean": "a: yes\n",
}


def _best(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def parsers(texts: list[str]) -> dict[str, Callable[[str], Any]]:
    from govcheck.yamlsource import parse

    found: dict[str, Callable[[str], Any]] = {
        "PyYAML C loader, compose only": lambda t: yaml.CSafeLoader(t).get_single_node(),
        "PyYAML C loader, compose + construct (the floor)": lambda t: yaml.load(t, Loader=yaml.CSafeLoader),
        "govcheck yamlsource.parse (C compose, checked build, positions)": lambda t: parse(t, "x.yaml"),
    }
    try:
        import ryml

        found["rapidyaml parse_in_arena (tree only, no Python values)"] = lambda t: ryml.parse_in_arena(
            t.encode()
        )
    except ImportError:
        pass
    try:
        import yaml_rs

        found["yaml-rs loads (Python values, no positions)"] = yaml_rs.loads
    except ImportError:
        pass
    return found


def _each(fn: Callable[[Any], Any], items: list[Any]) -> None:
    for item in items:
        fn(item)


def _probe(fn: Callable[[str], Any], text: str) -> str:
    try:
        value = fn(text)
    except Exception as exc:  # noqa: BLE001 - any refusal counts as a refusal
        return f"refused ({type(exc).__name__})"
    value = getattr(value, "data", value)  # govcheck's Source
    if isinstance(value, dict) and isinstance(value.get("a"), (bool, str)):
        return "a boolean" if value["a"] is True else "a string"
    return "accepted"


def encoders() -> dict[str, Callable[[Any], bytes]]:
    found: dict[str, Callable[[Any], bytes]] = {
        "json.dumps(indent=2, ensure_ascii=False)": lambda v: json.dumps(
            v, indent=2, ensure_ascii=False
        ).encode()
    }
    try:
        import orjson

        found["orjson.dumps(OPT_INDENT_2)"] = lambda v: orjson.dumps(v, option=orjson.OPT_INDENT_2)
    except ImportError:
        pass
    return found


def measure(paths: list[str], repeat: int = 3) -> list[tuple[str, str, str, str]]:
    """Rows of (what, time, detail, verdict) for the parsers and encoders available."""
    texts = [Path(p).read_text(encoding="utf-8") for p in paths]
    n = len(texts)
    rows = []
    for name, fn in parsers(texts).items():
        # Nothing is kept: a list of 2,000 node trees would make the collector the measure.
        seconds = _best(lambda fn=fn: _each(fn, texts), repeat)
        probes = "; ".join(f"{k}: {_probe(fn, v)}" for k, v in PROBES.items())
        rows.append((f"parse: {name}", f"{seconds:.2f} s", f"{n / seconds:,.0f} files/s", probes))
    from govcheck.batch import Settings
    from govcheck.formats.jsonout import report_json

    checker = Settings().checker()
    docs = [report_json(checker.check_path(p)) for p in paths[: min(n, 500)]]
    baseline = None
    for name, fn in encoders().items():
        seconds = _best(lambda fn=fn: _each(fn, docs), repeat)
        out = b"".join(fn(d) for d in docs)
        baseline = out if baseline is None else baseline
        same = "byte-identical" if out == baseline else "differs from json.dumps"
        rows.append((f"encode: {name}", f"{seconds * 1000:.0f} ms", f"{len(docs)} JSON reports", same))
    return rows


def main() -> None:
    import argparse

    sys.path.insert(0, str(HERE))
    from measure import corpus

    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=2000)
    a = ap.parse_args()
    paths = corpus(HERE / "data", a.files, 0)[: a.files]
    print("| Candidate | Time | Detail | Guarantees |\n|---|---|---|---|")
    for row in measure(paths):
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
