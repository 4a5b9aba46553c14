"""Measure govcheck against the YAML parse floor and Spectral, its memory curve and its jobs speed-up.

    python benchmarks/measure.py [--files 2000] [--sizes 1000,10000] [--formats json,sarif]
                                 [--repeat 3] [--no-spectral] [--no-codecs] [--profile N]

Everything runs the real command line in a subprocess, as a user would, on the same files:

- the floor: PyYAML's C loader (compose + construct) reading every file, in one process;
- `govcheck check DIR -f json --jobs 1` and `--jobs 2`;
- Spectral 6 (`spectral lint`) with benchmarks/spectral/ruleset.yaml, installed from npm into
  benchmarks/data/spectral/ when the benchmark runs (skipped, saying so, if npm is absent);
- one file (examples/ngss.yaml) for govcheck (catalogue cache warm, and with the cache off) and
  Spectral;
- peak RSS of `govcheck check DIR -f FORMAT --jobs 1` per corpus size and format (os.wait4);
- parsers and encoders (benchmarks/codecs.py).

Timed measures run in rounds (floor, jobs 1, jobs 2, Spectral, in turn) and the table gives
medians: on a shared machine, ratios of runs taken side by side are the figures to trust. The
corpus (valid files from benchmarks/generate.py, seed 0) lives in benchmarks/data/ (gitignored)
and is reused when it is already there.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
RULESET = HERE / "spectral" / "ruleset.yaml"
ONE_FILE = ROOT / "examples" / "ngss.yaml"
sys.path.insert(0, str(HERE))
from generate import generate, generate_realistic  # noqa: E402

FLOOR = r"""
import sys, yaml
for p in sorted(__import__("glob").glob(sys.argv[1] + "/*.yaml")):
    with open(p, encoding="utf-8") as f:
        yaml.load(f.read(), Loader=yaml.CSafeLoader)
"""


def corpus(data: Path, n: int, seed: int, kind: str = "synthetic") -> list[str]:
    """At least n valid files of the `kind` profile for `seed`, generated once and reused."""
    stamp = data / ".corpus.json"
    have = json.loads(stamp.read_text()) if stamp.exists() else {}
    if not (have.get("seed") == seed and have.get("count", 0) >= n and have.get("kind", "synthetic") == kind):
        data.mkdir(parents=True, exist_ok=True)
        for old in data.glob("*.yaml"):
            old.unlink()
        t = time.perf_counter()
        if kind == "realistic":
            generate_realistic(data, n, seed)
        else:
            generate(data, n, seed, 0)
        stamp.write_text(json.dumps({"count": n, "seed": seed, "kind": kind}))
        print(f"generated {n} files in {time.perf_counter() - t:.1f}s", file=sys.stderr)
    return sorted(str(p) for p in data.glob("valid-*.yaml"))[:n]


def subset(paths: list[str], n: int) -> Path:
    """A directory holding (links to) the first n files, for commands that take a directory."""
    directory = Path(paths[0]).parent.with_name(f"set-{Path(paths[0]).parent.name}-{n}")
    if not (directory.is_dir() and len(list(directory.iterdir())) == n):
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
        for p in paths[:n]:
            (directory / Path(p).name).symlink_to(Path(p).resolve())
    return directory


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system, the process and its children) and peak RSS (MB)."""
    with tempfile.TemporaryFile() as errors:
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=errors, cwd=ROOT, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            errors.seek(0)
            raise RuntimeError(f"{' '.join(cmd)} exited {code}: {errors.read().decode()[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024


def spectral_bin(prefix: Path) -> Path | None:
    """Spectral from npm, installed into `prefix` the first time; None (with a message) without npm."""
    binary = prefix / "node_modules" / ".bin" / "spectral"
    if binary.exists():
        return binary
    npm = shutil.which("npm")
    if npm is None:
        print("npm is not installed: skipping the Spectral comparison", file=sys.stderr)
        return None
    prefix.mkdir(parents=True, exist_ok=True)
    print(f"installing @stoplight/spectral-cli@6 into {prefix}", file=sys.stderr)
    res = subprocess.run(
        [npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund", "@stoplight/spectral-cli@6"],
        capture_output=True,
        text=True,
    )
    if res.returncode != 0 or not binary.exists():
        print(f"npm install failed: skipping the Spectral comparison\n{res.stderr[-1000:]}", file=sys.stderr)
        return None
    return binary


def median_of(rounds: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in rounds)


def ratio(rounds: list[dict[str, float]], a: str, b: str) -> float:
    """Median of the per-round ratios a/b: runs taken side by side share the machine's load."""
    return statistics.median(r[a] / r[b] for r in rounds)


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"nproc {os.cpu_count()}, {cpu}, Python {platform.python_version()}, PyYAML {yaml.__version__}; "
        f"load average at the end {load}"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--formats", default="json,sarif")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-spectral", action="store_true")
    ap.add_argument("--no-codecs", action="store_true")
    ap.add_argument("--spectral-prefix", type=Path, default=DATA / "spectral")
    ap.add_argument(
        "--profile", type=int, default=0, help="also cProfile a --jobs 1 run over this many files"
    )
    ap.add_argument(
        "--corpus", choices=("synthetic", "realistic"), default="synthetic",
        help="the generator's profile (see generate.py)",
    )  # fmt: skip
    a = ap.parse_args()
    sizes = [int(s) for s in a.sizes.split(",") if s]
    formats = [f for f in a.formats.split(",") if f]
    paths = corpus(DATA / a.corpus, max([a.files, *sizes]), a.seed, a.corpus)
    batch = subset(paths, a.files)
    n = a.files
    mb = sum(os.path.getsize(p) for p in paths[:n]) / 1e6
    py = sys.executable
    cache_dir = tempfile.mkdtemp(prefix="govcheck-bench-cache-")
    env = dict(os.environ, GOVCHECK_CACHE_DIR=cache_dir)
    env.pop("GOVCHECK_NO_CACHE", None)
    # The installed command, as users run it (it ends without the interpreter's teardown).
    command = Path(py).with_name("govcheck")
    gc = [str(command), "check"] if command.is_file() else [py, "-m", "govcheck", "check"]
    spectral = None if a.no_spectral else spectral_bin(a.spectral_prefix)
    lint = [str(spectral), "lint", "--ruleset", str(RULESET), "-f", "json", "-q"] if spectral else None

    timed([py, "-c", FLOOR, str(batch)])  # warm the OS cache
    timed([*gc, str(ONE_FILE), "-f", "json"], env)  # warm the catalogue cache
    commands = {
        "floor": [py, "-c", FLOOR, str(batch)],
        "jobs1": [*gc, str(batch), "-f", "json", "--jobs", "1"],
        "jobs2": [*gc, str(batch), "-f", "json", "--jobs", "2"],
    }
    if lint:
        commands["spectral"] = [*lint, f"{batch}/*.yaml"]
    rounds, cpu = [], []
    for i in range(a.repeat):
        walls, cpus = {}, {}
        for name, cmd in commands.items():
            walls[name], cpus[name], _ = timed(cmd, env)
        rounds.append(walls)
        cpu.append(cpus)
        print(f"round {i + 1}: " + ", ".join(f"{k} {v:.2f}s" for k, v in walls.items()), file=sys.stderr)

    one = {
        "one": [*gc, str(ONE_FILE), "-f", "json"],
        "import": [py, "-c", "import govcheck.cli"],
        "pydantic": [py, "-c", "import pydantic.main"],
    }
    one["one-nocache"] = one["one"]
    if lint:
        one["spectral-one"] = [*lint, str(ONE_FILE)]
    singles: list[dict[str, float]] = []
    for _ in range(max(5, a.repeat)):
        walls = {}
        for name, cmd in one.items():
            walls[name] = timed(cmd, dict(env, GOVCHECK_NO_CACHE="1") if name == "one-nocache" else env)[0]
        singles.append(walls)

    memory = {}
    for fmt in formats:
        for size in sizes:
            wall, _, rss = timed([*gc, str(subset(paths, size)), "-f", fmt, "--jobs", "1"], env)
            memory[(fmt, size)] = (rss, wall)
            print(f"memory {fmt} {size}: {rss} MB in {wall:.1f}s", file=sys.stderr)

    t1, t2 = median_of(rounds, "jobs1"), median_of(rounds, "jobs2")
    rows = [
        (
            "Floor: PyYAML C loader, compose + construct",
            f"{median_of(rounds, 'floor'):.2f} s",
            f"{n} files",
            "-",
        ),
        ("`govcheck check DIR -f json --jobs 1`", f"{t1:.2f} s", f"{n / t1:,.0f} files/s", "-"),
        (
            "govcheck --jobs 1 / floor",
            f"{ratio(rounds, 'jobs1', 'floor'):.2f}x",
            "median of paired ratios",
            "<= 2.5x",
        ),
        ("`govcheck check DIR -f json --jobs 2`", f"{t2:.2f} s", f"{n / t2:,.0f} files/s", "-"),
        ("Speed-up --jobs 2 over --jobs 1", f"{ratio(rounds, 'jobs1', 'jobs2'):.2f}x", "", ">= 1.7x"),
        ("CPU time, --jobs 1 / floor", f"{ratio(cpu, 'jobs1', 'floor'):.2f}x", "user + system", "-"),
    ]
    if lint:
        ts = median_of(rounds, "spectral")
        spectral_per_file = per_file(rounds, singles, "spectral", "spectral-one", n)
        rows += [
            ("`spectral lint` (11 rules), same files", f"{ts:.2f} s", f"{n / ts:,.0f} files/s", "-"),
            ("Spectral / govcheck --jobs 1", f"{ratio(rounds, 'spectral', 'jobs1'):.2f}x", "wall", ">= 2x"),
            (
                "Per file beyond start-up, govcheck --jobs 1 / Spectral",
                f"{per_file(rounds, singles, 'jobs1', 'one', n) / spectral_per_file:.2f}x",
                "(batch - one file) / (files - 1)",
                "-",
            ),
            ("CPU time, Spectral / govcheck --jobs 1", f"{ratio(cpu, 'spectral', 'jobs1'):.2f}x", "", "-"),
        ]
    g1 = median_of(singles, "one")
    rows += [
        ("One file, `govcheck check ngss.yaml -f json`", f"{g1:.3f} s", "catalogue cache warm", "< 0.3 s"),
        ("One file, cache off (GOVCHECK_NO_CACHE=1)", f"{median_of(singles, 'one-nocache'):.3f} s", "", "-"),
        ("`python -c 'import govcheck.cli'`", f"{median_of(singles, 'import'):.3f} s", "", "-"),
        ("`python -c 'import pydantic.main'`", f"{median_of(singles, 'pydantic'):.3f} s", "", "-"),
        (
            "Per file beyond start-up, govcheck --jobs 1",
            f"{1000 * per_file(rounds, singles, 'jobs1', 'one', n):.2f} ms",
            "(batch - one file) / (files - 1)",
            "-",
        ),
    ]
    if lint:
        s1 = median_of(singles, "spectral-one")
        rows += [
            ("One file, `spectral lint ngss.yaml`", f"{s1:.3f} s", "", "-"),
            ("govcheck / Spectral, one file", f"{ratio(singles, 'one', 'spectral-one'):.2f}", "", "<= 0.3"),
        ]
    for fmt in formats:
        for size in sizes:
            rss, wall = memory[(fmt, size)]
            rows.append(
                (f"Peak RSS, {size:,} files, -f {fmt}, --jobs 1", f"{rss} MB", f"{wall:.1f} s", "< 200 MB")
            )
        if len(sizes) > 1:
            growth = memory[(fmt, sizes[-1])][0] / memory[(fmt, sizes[0])][0]
            rows.append((f"Peak RSS {sizes[-1]:,} / {sizes[0]:,}, -f {fmt}", f"{growth:.2f}x", "", "<= 1.5x"))
    if not a.no_codecs:
        from codecs_bench import measure as codec_rows

        rows += codec_rows(paths[:n], a.repeat)
    shutil.rmtree(cache_dir, ignore_errors=True)
    print(f"\nMachine: {machine()}.\nCorpus: {n} files, {mb:.1f} MB; {a.repeat} rounds.\n")
    print("| Measure | Result | Detail | Target |\n|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    if a.profile:
        print("\n```\n" + profile(paths[: a.profile]) + "```")


def per_file(
    rounds: list[dict[str, float]], singles: list[dict[str, float]], batch: str, one: str, n: int
) -> float:
    """Seconds per file once started: the batch's median less one file's, over the other files."""
    return (median_of(rounds, batch) - median_of(singles, one)) / max(1, n - 1)


def profile(paths: list[str], top: int = 30) -> str:
    import cProfile
    import io
    import pstats

    from govcheck.batch import Settings, check_all

    prof = cProfile.Profile()
    prof.enable()
    check_all(paths, Settings(), jobs=1)
    prof.disable()
    s = io.StringIO()
    pstats.Stats(prof, stream=s).sort_stats("tottime").print_stats(top)
    return s.getvalue()


if __name__ == "__main__":
    main()
