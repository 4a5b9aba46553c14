"""How long a large schedule takes: read, checked (DCMA 14, with the critical path), and the whole
`govcheck check` of a description that names it, for MS Project XML and P6 XER.

    python benchmarks/schedule.py [--activities 10000] [--repeat 5]

The schedule is `network(n)` below: n activities in parallel work streams (100 by default), each
activity linked to the one before it in its stream and to one in a neighbouring stream, with
every link type, leads and lags, on a calendar with holidays, progressed to a status date. Best
and median of `--repeat` runs; the CLI time includes starting Python and loading the rules.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from schedule_gen import STANDARD, START, STATUS, write_mspdi, write_xer  # noqa: E402
from schedule_models import with_dates  # noqa: E402

from govcheck.importers.schedule import read_schedule  # noqa: E402
from govcheck.importers.schedule.dcma import assess  # noqa: E402
from govcheck.importers.schedule.model import Activity, Kind, Link, Schedule  # noqa: E402

TYPES = ("FS", "FS", "FS", "FS", "SS", "FF")


def network(n: int, width: int = 100, seed: int = 0) -> Schedule:
    """`n` activities in `width` parallel streams, dated by a forward pass from the status date;
    the first tenth of each stream is complete."""
    rng = random.Random(seed)
    activities, links = [], []
    for i in range(n):
        key = str(i + 1)
        duration = float(rng.randint(1, 10))
        done = i < n // 10
        activities.append(
            Activity(
                key=key, id=f"A{key}", name=f"Activity {key}", line=0, kind=Kind.task, duration=duration,
                baseline_duration=duration, resources=rng.randint(0, 2),
                actual_start=START if done else None, actual_finish=START if done else None,
                percent_complete=100.0 if done else 0.0,
            )
        )  # fmt: skip
        if i >= width:
            links.append(Link(str(i + 1 - width), key, "FS", 0.0))
            other = i - width + rng.choice((-1, 1))
            if 0 <= other < i:
                lag = float(rng.choice((0, 0, 0, 2, -1)))
                links.append(Link(str(other + 1), key, rng.choice(TYPES), lag))
    plan = Schedule(
        path="network", format="xer", name=f"Network of {n}", calendar=STANDARD.key,
        calendars={STANDARD.key: STANDARD}, activities=tuple(activities), links=tuple(links),
        status_date=STATUS, start=START,
    )  # fmt: skip
    dated = with_dates(plan)
    return dataclasses.replace(
        dated,
        activities=tuple(
            dataclasses.replace(a, baseline_start=a.start, baseline_finish=a.finish) for a in dated.activities
        ),
        by_key={},
    )

DESCRIPTION = """id: large
name: Large Schedule
department: Department for Tests
assessment_date: 2024-03-20
next_gate: 3
schedule_files: {{current: {name}}}
"""


def timed(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--activities", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    plan = network(args.activities)
    print(f"{len(plan.activities):,} activities, {len(plan.links):,} links; best / median of {args.repeat}")
    print("| format | file | read | read and check | `govcheck check` (CLI) |")
    print("| --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as work:
        formats = (("MS Project XML", "plan.xml", write_mspdi), ("P6 XER", "plan.xer", write_xer))
        for label, name, writer in formats:
            path = Path(work) / name
            path.write_bytes(writer(plan))
            (Path(work) / f"{name}.yaml").write_text(DESCRIPTION.format(name=name), encoding="utf-8")
            read = timed(lambda path=path: read_schedule(path), args.repeat)
            both = timed(lambda path=path: assess(read_schedule(path)), args.repeat)
            command = [sys.executable, "-m", "govcheck", "check", f"{name}.yaml", "-f", "compact"]
            once = subprocess.run(command, cwd=work, capture_output=True, text=True, check=False)
            if once.returncode not in (0, 1):
                print(f"govcheck check failed: {once.stderr.strip()}", file=sys.stderr)
                return 2
            cli = timed(
                lambda command=command: subprocess.run(command, cwd=work, capture_output=True, check=False),
                args.repeat,
            )
            size = path.stat().st_size / 1e6
            cells = " | ".join(f"{best:.2f} / {median:.2f} s" for best, median in (read, both, cli))
            print(f"| {label} | {size:.1f} MB | {cells} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
