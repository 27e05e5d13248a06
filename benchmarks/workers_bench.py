"""Benchmark: several `tracer check` workers on one PostgreSQL database, against the floor.

The links and hosts are those of benchmarks/check_bench.py (loopback hosts answering in
50 ms, 2 requests at once per host), look-ups off. Each set-up starts its workers at
once on a fresh database holding the same links and measures the wall time until the
last one ends, against the floor (the busiest host's requests x 50 ms / 2), and checks
what the server saw: every link checked once (the sum of the workers' reports equals
the links, with no request repeated), and never more than 2 requests in flight to a
host across the workers. Set-ups: one worker on SQLite (the reference), then 1, 2 and 4
workers on PostgreSQL, started as processes of their own and as `check --workers N` (one
start-up, the workers forked after it, one report); they run in interleaved rounds and
the table gives medians.

    .venv/bin/python benchmarks/workers_bench.py [--links 1900] [--hosts 19] [--rounds 3]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres] [--only WORDS]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import check_bench as bench  # noqa: E402

from tracer.store.database import create_database_engine, upgrade  # noqa: E402

BENCH_DATABASE = "tracer_workers_bench"


def fresh_postgres(admin_url: str) -> str:
    """An empty, migrated database of its own; returns its URL."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {BENCH_DATABASE}"))
    admin.dispose()
    url = admin_url.rsplit("/", 1)[0] + "/" + BENCH_DATABASE
    engine = create_database_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


@dataclass
class Setup:
    name: str
    workers: int  # processes started
    postgres: bool
    forked: int = 1  # `--workers`: workers each process runs, forked after its start-up
    walls: list[float] = field(default_factory=list)
    checked: list[int] = field(default_factory=list)
    requests: list[int] = field(default_factory=list)
    peaks: list[int] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(self.walls)


def run_once(
    setup: Setup, urls: list[str], hosts: list[str], port: int, control: int, admin: str
) -> None:
    with tempfile.TemporaryDirectory(prefix="workers-bench-") as tmp:
        work = Path(tmp)
        db_url = fresh_postgres(admin) if setup.postgres else f"sqlite:///{work / 'bench.db'}"
        bench.store_links(db_url, urls, len(urls), hosts, port)
        env = bench.tracer_env(work, len(hosts))
        bench.server_stats(control)
        started = time.monotonic()
        processes = [
            subprocess.Popen(
                [
                    *(sys.executable, "-m", "tracer.cli", "--db", db_url, "check", "--json"),
                    *(("--workers", str(setup.forked)) if setup.forked > 1 else ()),
                ],
                env=env,
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(setup.workers)
        ]
        # each process's end, to see which worker the wall waits for
        ends = [0.0] * len(processes)
        outputs: list[tuple[str, str]] = [("", "")] * len(processes)

        def wait(index: int) -> None:
            outputs[index] = processes[index].communicate(timeout=600)
            ends[index] = time.monotonic() - started

        waiting = [threading.Thread(target=wait, args=(n,)) for n in range(len(processes))]
        for thread in waiting:
            thread.start()
        for thread in waiting:
            thread.join()
        wall = time.monotonic() - started
        seen = bench.server_stats(control)
        checked = 0
        each: list[str] = []
        for process, (out, err), end in zip(processes, outputs, ends, strict=True):
            if process.returncode != 0:
                print(err[-2000:], file=sys.stderr)
            mine = int(json.loads(out).get("checked", 0)) if out else 0
            checked += mine
            each.append(f"{mine}@{end:.2f}")
        setup.walls.append(wall)
        setup.checked.append(checked)
        setup.requests.append(int(seen["requests"]))
        setup.peaks.append(int(seen["peak_per_host"]))
        print(
            f"{setup.name:<24} wall {wall:6.2f}s  checked {checked}  "
            f"requests {seen['requests']}  peak per host {seen['peak_per_host']}"
            + (f"  (checked@ended: {' '.join(each)})" if len(each) > 1 else "")
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=1900)
    parser.add_argument("--hosts", type=int, default=19)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--postgres",
        default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
        help="a PostgreSQL server's admin URL; the bench makes a database of its own",
    )
    parser.add_argument(
        "--only",
        default="",
        help="run only the set-ups whose names contain one of these comma-separated words "
        "(e.g. '2 workers,--workers 2'); PostgreSQL with one worker stays in as the "
        "reference",
    )
    args = parser.parse_args()

    hosts = bench.addresses(args.hosts)
    port, control = bench.free_port(hosts[0]), bench.free_port("127.0.0.1")
    ready = multiprocessing.Event()
    server = multiprocessing.Process(
        target=bench.serve, args=(hosts, port, control, ready), daemon=True
    )
    server.start()
    ready.wait(30)
    urls = bench.link_urls(hosts, port, args.links)
    busiest = max(sum(1 for u in urls if urlsplit(u).hostname == h) for h in hosts)
    floor = busiest * bench.LATENCY / bench.PER_HOST
    print(f"{args.links} links on {args.hosts} hosts; floor {floor:.2f}s\n")
    setups = [
        Setup("SQLite, 1 worker", 1, False),
        Setup("PostgreSQL, 1 worker", 1, True),
        Setup("PostgreSQL, 2 workers", 2, True),
        Setup("PostgreSQL, 4 workers", 4, True),
        Setup("PostgreSQL, --workers 2", 1, True, forked=2),
        Setup("PostgreSQL, --workers 4", 1, True, forked=4),
    ]
    if args.only:
        words = [word.strip() for word in args.only.split(",") if word.strip()]
        setups = [
            setup
            for setup in setups
            if setup.name == "PostgreSQL, 1 worker" or any(word in setup.name for word in words)
        ]
    bench.interleaved(
        args.rounds,
        setups,
        lambda setup: run_once(setup, urls, hosts, port, control, args.postgres),
        server,
    )
    # each host also answers one soft-404 probe per worker that checked it
    print(
        f"\n{'set-up':<24}{'wall s':>8}{'x floor':>9}{'x 1 worker':>12}{'checked':>9}{'peak/host':>11}"
    )
    one = next(setup for setup in setups if setup.name == "PostgreSQL, 1 worker").wall
    for setup in setups:
        print(
            f"{setup.name:<24}{setup.wall:>8.2f}{setup.wall / floor:>9.2f}"
            f"{setup.wall / one:>12.2f}{min(setup.checked):>9}{max(setup.peaks):>11}"
        )
    print("(medians of the rounds; checked: the fewest in a round, of the workers' reports summed)")


if __name__ == "__main__":
    main()
