"""Benchmark: how long `tracer` takes to start, against `python -c pass`.

A command line is run by hand, in scripts and by cron many times a day, so its start-up
is part of every answer. Measured: `tracer --version`, `tracer --help`, and an offline
trace of the bundled example into a fresh SQLite database (the demo), each as a new
process of the project's interpreter, next to a bare interpreter start as the peer. The
runs are interleaved (one of each per round), so a busy moment of a shared machine falls
on all of them alike, and each is reported as the median of its rounds, with its ratio
to the bare start. Targets: --version and --help under 0.2 s, the trace under 0.8 s.

    .venv/bin/python benchmarks/startup_bench.py [--rounds 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "harbour-ledger-grain-terminal.html"
#: name -> (arguments of the interpreter, target in seconds or None)
RUNS: dict[str, tuple[list[str], float | None]] = {
    "python -c pass": (["-c", "pass"], None),
    "tracer --version": (["-m", "tracer", "--version"], 0.2),
    "tracer --help": (["-m", "tracer", "--help"], 0.2),
    "tracer trace --offline EXAMPLE": (["-m", "tracer", "trace", "--offline", str(EXAMPLE)], 0.8),
}


def timed(args: list[str], database: Path) -> float:
    # a fresh database each time: the trace's first run is what a newcomer sees
    database.unlink(missing_ok=True)
    env_db = f"sqlite:///{database}"
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, *args],
        check=True,
        stdout=subprocess.DEVNULL,
        env={"TRACER_DB_URL": env_db, "PATH": "/usr/bin:/bin", "HOME": str(database.parent)},
    )
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    rounds = parser.parse_args().rounds
    samples: dict[str, list[float]] = {name: [] for name in RUNS}
    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "tracer.db"
        for args, _ in RUNS.values():
            timed(args, database)  # warm the file cache and the bytecode
        for _ in range(rounds):
            for name, (args, _) in RUNS.items():
                samples[name].append(timed(args, database))
    bare = statistics.median(samples["python -c pass"])
    print(f"{'run':<32} {'median':>8} {'ratio':>7} {'target':>8}")
    missed = 0
    for name, (_, target) in RUNS.items():
        median = statistics.median(samples[name])
        verdict = ""
        if target is not None:
            verdict = f"{target:>7.2f}s {'ok' if median < target else 'MISSED'}"
            missed += median >= target
        print(f"{name:<32} {median:>7.3f}s {median / bare:>6.1f}x {verdict}")
    print(f"{rounds} interleaved rounds; medians")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
