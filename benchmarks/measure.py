"""Measure govcheck throughput, scaling, memory and CLI latency against a YAML-parse floor.

    python benchmarks/measure.py [--files 2000] [--sizes 1000,10000] [--repeat 3] [--profile 500]

The corpus (valid files from benchmarks/generate.py, seed 0) lives in benchmarks/data/
(gitignored) and is reused when it is already there.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402

MEM_CHILD = r"""
import json, resource, sys, time
from govcheck.batch import Settings, check_all, iter_check
paths = [line for line in open(sys.argv[1]).read().splitlines() if line]
t = time.perf_counter()
if sys.argv[2] == "stream":   # the checking pipeline: each outcome dropped once seen
    files = sum(1 for _ in iter_check(paths, Settings(), jobs=1))
else:                         # what the CLI does: every Report kept until rendering
    files = len(check_all(paths, Settings(), jobs=1))
dt = time.perf_counter() - t
print(json.dumps({"files": files, "seconds": dt,
                  "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def corpus(data: Path, n: int, seed: int) -> list[str]:
    stamp = data / ".corpus.json"
    want = {"count": n, "seed": seed}
    if not (stamp.exists() and json.loads(stamp.read_text()) == want):
        for old in data.glob("*.yaml"):
            old.unlink()
        t = time.perf_counter()
        generate(data, n, seed, 0)
        stamp.write_text(json.dumps(want))
        print(f"generated {n} files in {time.perf_counter() - t:.1f}s", file=sys.stderr)
    return sorted(str(p) for p in data.glob("valid-*.yaml"))[:n]


def floor(paths: list[str]) -> float:
    t = time.perf_counter()
    for p in paths:
        with open(p, encoding="utf-8") as f:
            yaml.CSafeLoader(f.read()).get_single_node()
    return time.perf_counter() - t


def govcheck_run(paths: list[str], jobs: int) -> float:
    from govcheck.batch import Settings, check_all

    t = time.perf_counter()
    out = check_all(paths, Settings(), jobs=jobs)
    dt = time.perf_counter() - t
    assert len(out) == len(paths)
    return dt


def best(fn, repeat: int) -> float:
    return min(fn() for _ in range(repeat))


def memory(paths: list[str], size: int, mode: str) -> dict:
    listing = HERE / "data" / f".list-{size}.txt"
    listing.write_text("\n".join(paths[:size]))
    res = subprocess.run([sys.executable, "-c", MEM_CHILD, str(listing), mode], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    return json.loads(res.stdout.strip().splitlines()[-1])


def wall(cmd: list[str], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, check=False)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def profile(paths: list[str], top: int = 25) -> str:
    from govcheck.batch import Settings, check_all

    prof = cProfile.Profile()
    prof.enable()
    check_all(paths, Settings(), jobs=1)
    prof.disable()
    s = io.StringIO()
    pstats.Stats(prof, stream=s).sort_stats("cumulative").print_stats(top)
    return s.getvalue()


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return f"nproc {os.cpu_count()}, CPU {cpu}, Python {platform.python_version()}, PyYAML {yaml.__version__}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--profile", type=int, default=0, help="also cProfile a jobs=1 run over this many files")
    a = ap.parse_args()
    sizes = [int(s) for s in a.sizes.split(",") if s]
    allpaths = corpus(HERE / "data", max([a.files, *sizes]), a.seed)
    paths = allpaths[: a.files]
    mb = sum(os.path.getsize(p) for p in paths) / 1e6
    print(f"machine: {machine()}\ncorpus: {len(paths)} files, {mb:.1f} MB", file=sys.stderr)

    floor(allpaths)  # warm the OS cache for every file used below
    t_floor = best(lambda: floor(paths), a.repeat)
    t_one = best(lambda: govcheck_run(paths, 1), a.repeat)
    t_two = best(lambda: govcheck_run(paths, 2), a.repeat)
    mem = {(s, mode): memory(allpaths, s, mode) for mode in ("stream", "keep") for s in sizes}
    cli = wall([sys.executable, "-m", "govcheck", "check", "examples/ngss.yaml", "-f", "json"])
    imp = wall([sys.executable, "-c", "import govcheck.cli"])
    nop = wall([sys.executable, "-c", "pass"])

    n = len(paths)
    rows = [
        ("Floor: read + CSafeLoader compose", f"{n / t_floor:,.0f} files/s", f"{t_floor:.2f} s for {n}", "-"),
        ("govcheck, jobs=1", f"{n / t_one:,.0f} files/s", f"{t_one:.2f} s for {n}", "-"),
        ("govcheck / floor time (1 core)", f"{t_one / t_floor:.1f}x", "", "<= 2x"),
        ("govcheck, jobs=2", f"{n / t_two:,.0f} files/s", f"{t_two:.2f} s for {n}", "-"),
        ("Speed-up jobs=2 vs jobs=1", f"{t_one / t_two:.2f}x", "", ">= 1.7x"),
        *[(f"Peak RSS, {s:,} files, jobs=1, " + ("streamed (iter_check)" if mode == "stream" else "all kept (check_all, as the CLI)"),
           f"{m['maxrss_mb']:.0f} MB", f"{m['seconds']:.1f} s", "flat, < 200 MB")
          for (s, mode), m in mem.items()],
        ("CLI `check examples/ngss.yaml -f json`", f"{cli:.3f} s", "median of 5", "< 0.3 s"),
        ("`python -c 'import govcheck.cli'`", f"{imp:.3f} s", "median of 5", "-"),
        ("`python -c pass` (interpreter start)", f"{nop:.3f} s", "median of 5", "-"),
    ]
    print(f"\nMachine: {machine()}. Corpus: {n} files, {mb:.1f} MB; best of {a.repeat}.\n")
    print("| Measure | Result | Detail | Target |\n|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    if a.profile:
        print("\n```\n" + profile(allpaths[: a.profile]) + "```")


if __name__ == "__main__":
    main()
