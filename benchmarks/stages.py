"""What each stage of a check costs a file, in one process, beside the YAML parse floor.

    python benchmarks/stages.py [--corpus realistic] [--files 2000]

Each stage runs over every file in a pass of its own, the passes in turn, and each figure is
the best of `--repeat` rounds: the floor (PyYAML's C loader, as in measure.py), reading with
positions (`yamlsource.load`), pydantic validation, deriving the facts the rules read, one
engine session (durable-rules), and the whole check (`Checker.check_path`: all of these again,
then conclusions, evidence gaps, findings and the report; not the JSON encoding). Start-up is
the import of the checker and the building of one (catalogue, templates, engine), as the
command does it, with the catalogue cache warm; the collector is then tuned as for a batch.
The last line sets the stages every finding needs against issue 19's budget (a one-job batch
at most 2.5x the floor, start-up included): what is left of it a file once started.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from measure import DATA, corpus  # noqa: E402

BUDGET = 2.5  # issue 19: a one-job batch at most 2.5x the parse floor


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", choices=("synthetic", "realistic"), default="realistic")
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    paths = corpus(DATA / a.corpus, a.files, a.seed, a.corpus)[: a.files]

    started = time.perf_counter()
    from govcheck import gaps, gctune
    from govcheck.batch import Settings
    from govcheck.facts import derive
    from govcheck.importers.schedule.evidence import attach
    from govcheck.model import Programme
    from govcheck.validation import validate
    from govcheck.yamlsource import Source, load

    checker = Settings().checker()
    startup = time.perf_counter() - started
    gctune.settle()  # as the command does for a batch

    def floor(path: str) -> None:
        with open(path, encoding="utf-8") as f:
            yaml.load(f.read(), Loader=yaml.CSafeLoader)

    sources = [load(path) for path in paths]
    programmes = [validate(Programme, source) for source in sources]

    def engine_fact(source: Source, programme: Programme) -> dict[str, object]:
        attached, plan = attach(programme, source.path, checker._parameters)
        flat = gaps.flatten(derive(attached, attached.next_gate, plan).model_dump())
        return checker._engine_fact(flat)

    facts = [engine_fact(source, programme) for source, programme in zip(sources, programmes, strict=True)]
    pairs = list(zip(sources, programmes, strict=True))

    def each(step: Callable[[Any], object], items: Sequence[Any]) -> None:
        for item in items:  # results dropped at once, as in a batch
            step(item)

    passes: dict[str, Callable[[], None]] = {
        "floor": lambda: each(floor, paths),
        "positions": lambda: each(load, paths),
        "validation": lambda: each(lambda source: validate(Programme, source), sources),
        "facts": lambda: each(lambda pair: engine_fact(*pair), pairs),
        "engine": lambda: each(lambda fact: checker._engine.run(fact, frozenset()), facts),
        "whole check": lambda: each(checker.check_path, paths),
    }
    names = tuple(passes)
    best = dict.fromkeys(names, float("inf"))
    for _ in range(a.repeat):  # each pass in turn, the best of the rounds
        for name, run in passes.items():
            t = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - t)

    n = len(paths)
    per = {name: best[name] / n * 1000 for name in names}
    print(f"{n} files ({a.corpus}); start-up {startup:.3f} s; per file:")
    for name in names:
        print(f"  {name:<12} {per[name]:7.3f} ms  {per[name] / per['floor']:5.2f}x the floor")
    budget = BUDGET * per["floor"] - startup * 1000 / n
    required = per["positions"] + per["validation"] + per["facts"] + per["engine"]
    print(
        f"budget at {BUDGET}x the floor, after start-up: {budget:.3f} ms a file; "
        f"reading with positions, validation, facts and engine, before any finding: {required:.3f} ms"
    )


if __name__ == "__main__":
    main()
