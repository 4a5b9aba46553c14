"""How long a large schedule takes: read, checked (DCMA 14, with the critical path), and the whole
`govcheck check` of a description that names it, for MS Project XML and P6 XER.

    python benchmarks/schedule.py [--activities 10000] [--repeat 5]

The schedule is `chain(n)` from tests/schedule_gen.py: n activities in a network with about two
links each, of every type, with leads, lags, constraints, a seven-day calendar and progress.
Best and median of `--repeat` runs; the CLI time includes starting Python and loading the rules.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from schedule_gen import chain, write_mspdi, write_xer  # noqa: E402

from govcheck.importers.schedule import read_schedule  # noqa: E402
from govcheck.importers.schedule.dcma import assess  # noqa: E402

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
    plan = chain(args.activities)
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
