"""Benchmark: `tracer check` over 10,000 links on 100 hosts, side by side with LinkChecker.

The hosts are 100 loopback addresses (127.0.0.2 ... 127.0.0.101) served by one server
process; every response takes 50 ms, and each checker may have 2 requests in flight per
host. Links are checked once. The fastest any polite checker can finish is the floor
those limits allow: the busiest host's requests x latency / 2. The run reports, for
tracer and for LinkChecker (PyPI `linkchecker`, in its own virtual environment) with
equivalent politeness in the same run: wall time of the whole process, the span from the
first request to the last answer as the server saw it, both against the floor, the start
(from the process's start to its first request: what the wall holds beyond the span
before the checking begins), the peak requests in flight per host the server observed,
and the peak memory of the process and its children together (on long runs tracer
reads pages and stores checks in a helper process it forks, which shares its parent's
pages): the RSS summed, which counts a shared page once per process, and the PSS
summed, which counts it once.

Beside them runs the bare client (benchmarks/bare_client.py): two kept-alive connections
per host sending the GETs one after another and reading each answer, nothing else. Its
wall against the floor is what this machine and this Python cost any checker (starting
the interpreter, the event loop, the loopback sockets, the server sharing the cores);
tracer's wall against the bare client's is what tracer's own work costs. tracer and the
bare client run `--rounds` times, interleaved, and the table gives their medians.

LinkChecker has no per-host concurrency limit, only a per-host request rate; it is given
the rate that 2 concurrent 50 ms requests allow (40 a second), and the server answers
with the `LinkChecker` header by which site owners let it run at that configured rate.
Its robots.txt requests and tracer's one soft-404 probe per host are counted by the
server but left out of the floor.

A second part stores 1,000,000 links (the same 100 hosts) and runs `tracer check` on them
under a time budget: the rows are claimed in batches and streamed, so peak memory must
not grow with the store (target: under 200 MB).

    .venv/bin/python benchmarks/check_bench.py [--links 10000] [--hosts 100] [--rounds 3]
                                               [--stored 1000000] [--no-peer]
    (LinkChecker lives in a virtual environment of its own:
     python3 -m venv benchmarks/.venv-peers && benchmarks/.venv-peers/bin/pip install linkchecker==10.6.0;
     or name another one with TRACER_BENCH_PEERS=/path/to/venv)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tracer.store.model import CheckState, Node  # noqa: E402
from tracer.store.upserts import Store  # noqa: E402

T = TypeVar("T")

LATENCY = 0.05
PER_HOST = 2
#: LinkChecker's own virtual environment (it must not share tracer's dependencies)
PEER_VENVS = tuple(
    Path(p)
    for p in (os.environ.get("TRACER_BENCH_PEERS"), ROOT / "benchmarks" / ".venv-peers")
    if p
)
PEERS = next(
    (v / "bin" / "linkchecker" for v in PEER_VENVS if (v / "bin" / "linkchecker").exists()),
    PEER_VENVS[0] / "bin" / "linkchecker",
)
PAGE = (
    "<!doctype html><html><head><title>Story {n}</title></head><body><nav>Home</nav>"
    "<main><h1>Story {n}</h1><p>{text}</p></main><footer>(c)</footer></body></html>"
)
WORDS = [
    "rebels",
    "convoy",
    "desert",
    "ambush",
    "drones",
    "region",
    "report",
    "officials",
    "footage",
    "sources",
]


def addresses(hosts: int) -> list[str]:
    return [f"127.0.{(n + 2) // 256}.{(n + 2) % 256}" for n in range(hosts)]


# -- the server (its own process, so it does not share the checker's core) -------------


def serve(
    hosts: list[str], port: int, control: int, ready: multiprocessing.synchronize.Event
) -> None:
    """The hosts: each answer is written 50 ms after its request arrived.

    A protocol with a timer per request, not a stream handler that sleeps: at 4,000
    requests a second the handlers' wake-ups queue behind each other, and the server
    itself would add milliseconds to every answer that the floor does not count.
    """
    in_flight: dict[str, int] = {}
    peak: dict[str, int] = {}
    stats: dict[str, Any] = {"requests": 0, "first": None, "last": None}

    class Host(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            assert isinstance(transport, asyncio.Transport)
            self.transport = transport
            self.host = transport.get_extra_info("sockname")[0]
            self.buffer = b""
            self.loop = asyncio.get_running_loop()

        def data_received(self, data: bytes) -> None:
            self.buffer += data
            while (end := self.buffer.find(b"\r\n\r\n")) >= 0:
                head, self.buffer = self.buffer[:end], self.buffer[end + 4 :]
                method, target, _ = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
                stats["first"] = stats["first"] or time.monotonic()
                stats["requests"] += 1
                in_flight[self.host] = in_flight.get(self.host, 0) + 1
                peak[self.host] = max(peak.get(self.host, 0), in_flight[self.host])
                self.loop.call_later(LATENCY, self.answer, method, target)

        def answer(self, method: str, target: str) -> None:
            in_flight[self.host] -= 1
            if target.startswith("/story/"):
                n = int(target.rsplit("/", 1)[1])
                text = " ".join(WORDS[(n * 7 + i) % len(WORDS)] for i in range(120))
                body, status = PAGE.format(n=n, text=text).encode(), "200 OK"
            else:
                body, status = b"not found", "404 Not Found"
            headers = (
                f"HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\n"
                f"Content-Length: {len(body)}\r\nLinkChecker: allowed\r\n\r\n"
            )
            if not self.transport.is_closing():
                self.transport.write(headers.encode() + (b"" if method == "HEAD" else body))
            stats["last"] = time.monotonic()

    async def control_handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        first, last = stats["first"], stats["last"]
        body = json.dumps(
            {
                "requests": stats["requests"],
                "span": (last - first) if first is not None and last is not None else 0.0,
                "first": first or 0.0,
                "peak_per_host": max(peak.values(), default=0),
            }
        ).encode()
        stats.update({"requests": 0, "first": None, "last": None})
        peak.clear()
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
        await writer.drain()
        writer.close()

    async def main() -> None:
        loop = asyncio.get_running_loop()
        servers = [await loop.create_server(Host, host, port, backlog=512) for host in hosts]
        servers.append(await asyncio.start_server(control_handler, "127.0.0.1", control))
        ready.set()
        await asyncio.Event().wait()
        del servers

    asyncio.run(main())


def server_stats(control: int) -> dict[str, float]:
    with urllib.request.urlopen(f"http://127.0.0.1:{control}/stats", timeout=10) as answer:
        stats: dict[str, float] = json.loads(answer.read())
        return stats


def interleaved(
    rounds: int,
    setups: Sequence[T],
    run_once: Callable[[T], None],
    *servers: multiprocessing.Process,
) -> None:
    """Run each set-up once a round, the set-ups taking turns, so that whatever slows the
    machine for a while weighs on all of them alike; then stop the servers, however the
    rounds ended."""
    try:
        for _ in range(rounds):
            for setup in setups:
                run_once(setup)
    finally:
        for server in servers:
            server.terminate()


def free_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


# -- the links ----------------------------------------------------------------------------


def link_urls(hosts: list[str], port: int, count: int) -> list[str]:
    urls = [f"http://{hosts[n % len(hosts)]}:{port}/story/{n}" for n in range(count)]
    random.Random(7).shuffle(urls)  # stored as articles cite them, not host by host
    return urls


def store_links(
    db_url: str, urls_of: list[str] | None, total: int, hosts: list[str], port: int
) -> None:
    """Write nodes and their check states in bulk (a trace would have stored them)."""
    store = Store.open(db_url)
    node_table = Node.__table__  # type: ignore[attr-defined]
    state_table = CheckState.__table__  # type: ignore[attr-defined]
    due = datetime.now(UTC) - timedelta(hours=1)
    chunk = 50_000
    with store.engine.begin() as connection:
        for start in range(0, total, chunk):
            rows = []
            for n in range(start, min(total, start + chunk)):
                url = urls_of[n] if urls_of else f"http://{hosts[n % len(hosts)]}:{port}/story/{n}"
                rows.append(
                    {
                        "identity": url,
                        "kind": "page",
                        "platform": "web",
                        "url": url,
                        "canonical_url": url,
                        "status": "unresolved",
                        "attributes": {},
                    }
                )
            connection.execute(node_table.insert(), rows)
        ids = [
            row[0]
            for row in connection.execute(node_table.select().with_only_columns(node_table.c.id))
        ]
        for start in range(0, len(ids), chunk):
            connection.execute(
                state_table.insert(),
                [
                    {
                        "node_id": i,
                        "watched": True,
                        "next_due_at": due,
                        "consecutive_failures": 0,
                        "dead": False,
                    }
                    for i in ids[start : start + chunk]
                ],
            )
    store.close()


# -- the checkers -------------------------------------------------------------------------


@dataclass
class Memory:
    """Peak memory of a process tree, in MB: the RSS of its processes summed, and their
    PSS summed (proportional set size: a page shared by two processes, as a forked
    helper shares its parent's, counts half in each, so the sum is what the tree holds)."""

    rss: float = 0.0
    pss: float = 0.0


def _tree(pid: int) -> list[int]:
    """`pid` and all its descendants now (Linux /proc)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            with open(f"/proc/{current}/task/{current}/children") as children:
                todo.extend(int(c) for c in children.read().split())
        except (OSError, ValueError):
            continue
    return found


def _rss(pid: int) -> int:
    with open(f"/proc/{pid}/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _pss(pid: int) -> int:
    with open(f"/proc/{pid}/smaps_rollup") as rollup:
        for line in rollup:
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    return 0


def _tree_memory(pid: int) -> tuple[int, int]:
    rss = pss = 0
    for member in _tree(pid):
        try:
            rss += _rss(member)
            pss += _pss(member)
        except (OSError, ValueError):
            continue  # it ended meanwhile
    return rss, pss


@dataclass
class Measured:
    """One checker's run: wall seconds, peak memory, exit code, and when it started
    (time.monotonic, the clock the server's request times are on)."""

    wall: float
    memory: Memory
    code: int
    started: float


def run_measured(command: list[str], env: dict[str, str], out: Path) -> Measured:
    """Run `command` and measure it. The memory peaks are of the process and its
    children (tracer's helper process) together, sampled every 20 ms. Not the kernel's
    ru_maxrss of the child: the child starts as a copy of this process (vfork, then
    exec), and the kernel counts that copy's high-water mark, the bench's own size,
    into the child's peak."""
    started = time.monotonic()
    peak = Memory()
    with out.open("w") as stdout:
        process = subprocess.Popen(
            command, env=env, stdout=stdout, stderr=subprocess.PIPE, cwd=ROOT
        )
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.02):
                rss, pss = _tree_memory(process.pid)
                peak.rss = max(peak.rss, rss / 2**20)
                peak.pss = max(peak.pss, pss / 2**20)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status = os.waitpid(process.pid, 0)
        done.set()
        sampler.join()
    wall = time.monotonic() - started
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        print(process.stderr.read().decode()[-2000:] if process.stderr else "", file=sys.stderr)
    return Measured(wall, peak, code, started)


def tracer_env(work: Path, hosts: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACER_")}
    env.update(
        {
            "XDG_DATA_HOME": str(work / "data"),
            "XDG_CONFIG_HOME": str(work / "config"),
            "XDG_CACHE_HOME": str(work / "cache"),
            "TRACER_HTTP__ALLOW_NETWORKS": '["127.0.0.0/8"]',
            "TRACER_HTTP__PER_HOST_CONCURRENCY": str(PER_HOST),
            "TRACER_HTTP__PER_HOST_INTERVAL": "0",
            "TRACER_HTTP__MAX_CONCURRENCY": str(hosts * PER_HOST),
            "TRACER_HTTP__MAX_ATTEMPTS": "1",
            "TRACER_CHECK__ARCHIVE_MISSING": "false",  # LinkChecker asks no archive either
        }
    )
    return env


def run_tracer(
    db_url: str, work: Path, hosts: int, *extra: str
) -> tuple[Measured, dict[str, object]]:
    out = work / "tracer.json"
    measured = run_measured(
        [sys.executable, "-m", "tracer.cli", "--db", db_url, "check", "--json", *extra],
        tracer_env(work, hosts),
        out,
    )
    report = json.loads(out.read_text()) if out.stat().st_size else {}
    return measured, report


def run_linkchecker(urls: list[str], work: Path, hosts: int) -> Measured:
    page = work / "links.html"
    page.write_text(
        "<html><body>"
        + "".join(f'<a href="{u}">{i}</a>\n' for i, u in enumerate(urls))
        + "</body></html>"
    )
    config = work / "linkcheckerrc"
    # the rate 2 concurrent 50 ms requests allow; LinkChecker waits uniform(1, 6)/rate
    # between two requests to a host, so 3.5/rate = 25 ms on average
    config.write_text(
        f"[checking]\nthreads={hosts * PER_HOST}\nmaxrequestspersecond={3.5 / (LATENCY / PER_HOST):g}\ntimeout=30\n[output]\nstatus=0\n"
    )
    for path in (page, config, work):
        path.chmod(0o755 if path.is_dir() else 0o644)  # LinkChecker drops root to nobody
    env = {**os.environ, "HOME": str(work)}
    return run_measured(
        [
            str(PEERS),
            "-f",
            str(config),
            "--check-extern",
            "--no-robots",
            "-o",
            "none",
            "--no-status",
            str(page),
        ],
        env,
        work / "linkchecker.out",
    )


def run_bare(urls: list[str], work: Path) -> Measured:
    listing = work / "urls.txt"
    listing.write_text("\n".join(urls))
    return run_measured(
        [sys.executable, str(ROOT / "benchmarks" / "bare_client.py"), str(listing), str(PER_HOST)],
        dict(os.environ),
        work / "bare.out",
    )


@dataclass
class Row:
    """One checker's rounds: each run's measurements and what the server saw of it."""

    name: str
    runs: list[tuple[Measured, dict[str, float]]]

    def median(self, value: Callable[[Measured, dict[str, float]], float]) -> float:
        return statistics.median(value(run, seen) for run, seen in self.runs)

    @property
    def wall(self) -> float:
        return self.median(lambda run, _: run.wall)

    @property
    def span(self) -> float:
        return self.median(lambda _, seen: seen["span"])

    @property
    def start(self) -> float:
        return self.median(lambda run, seen: seen["first"] - run.started)

    @property
    def rss(self) -> float:
        return max(run.memory.rss for run, _ in self.runs)

    @property
    def pss(self) -> float:
        return max(run.memory.pss for run, _ in self.runs)


def print_table(rows: list[Row], floor: float) -> None:
    print(
        f"{'checker':<16}{'rounds':>7}{'wall s':>9}{'x floor':>9}{'start s':>9}{'span s':>9}"
        f"{'x floor':>9}{'requests':>10}{'peak/host':>11}{'RSS MB':>9}{'PSS MB':>9}"
    )
    for row in rows:
        print(
            f"{row.name:<16}{len(row.runs):>7}{row.wall:>9.2f}{row.wall / floor:>9.2f}"
            f"{row.start:>9.2f}{row.span:>9.2f}{row.span / floor:>9.2f}"
            f"{row.runs[-1][1]['requests']:>10}"
            f"{max(seen['peak_per_host'] for _, seen in row.runs):>11}"
            f"{row.rss:>9.1f}{row.pss:>9.1f}"
        )
    print(
        "(medians of the rounds; start: from the process's start to its first request;"
        " span: first request\n to last answer; peak memory of the process and its"
        " children, the highest of the rounds:\n RSS summed, and PSS summed)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=10_000)
    parser.add_argument("--hosts", type=int, default=100)
    parser.add_argument(
        "--rounds", type=int, default=3, help="runs of tracer and of the bare client, interleaved"
    )
    parser.add_argument("--stored", type=int, default=1_000_000, help="0 skips the memory part")
    parser.add_argument(
        "--stored-budget", type=float, default=60.0, help="seconds of checking in the memory part"
    )
    parser.add_argument("--no-peer", action="store_true", help="skip LinkChecker")
    args = parser.parse_args()

    hosts = addresses(args.hosts)
    port, control = free_port(hosts[0]), free_port("127.0.0.1")
    ready = multiprocessing.Event()
    server = multiprocessing.Process(target=serve, args=(hosts, port, control, ready), daemon=True)
    server.start()
    ready.wait(30)
    urls = link_urls(hosts, port, args.links)
    busiest = max(sum(1 for u in urls if u.startswith(f"http://{h}:")) for h in hosts)
    floor = busiest * LATENCY / PER_HOST
    print(
        f"{args.links} links on {args.hosts} hosts, {LATENCY * 1000:.0f} ms a response, {PER_HOST} per host at once"
    )
    print(
        f"floor: {busiest} requests on the busiest host x {LATENCY}s / {PER_HOST} = {floor:.2f}s\n"
    )
    ours, bare = Row("tracer check", []), Row("bare client", [])
    rows = [ours, bare]
    try:
        for round_ in range(1, args.rounds + 1):
            with tempfile.TemporaryDirectory(prefix="check-bench-") as tmp:
                work = Path(tmp)
                db_url = f"sqlite:///{work / 'bench.db'}"
                store_links(db_url, urls, len(urls), hosts, port)
                server_stats(control)
                measured, report = run_tracer(db_url, work, args.hosts)
                ours.runs.append((measured, server_stats(control)))
                counts = report.get("outcomes")
                outcomes = (
                    {k: v for k, v in counts.items() if v} if isinstance(counts, dict) else {}
                )
                print(
                    f"round {round_}: tracer checked {report.get('checked')} {outcomes}, "
                    f"exit {measured.code}, wall {measured.wall:.2f}s"
                )
                bare.runs.append((run_bare(urls, work), server_stats(control)))
                print(f"round {round_}: bare client, wall {bare.runs[-1][0].wall:.2f}s")
        if not args.no_peer:
            if PEERS.exists():
                with tempfile.TemporaryDirectory(prefix="check-bench-") as tmp:
                    peer = run_linkchecker(urls, Path(tmp), args.hosts)
                lseen = server_stats(control)
                print(f"LinkChecker: exit {peer.code}, {lseen['requests']} requests")
                rows.append(Row("LinkChecker 10", [(peer, lseen)]))
            else:
                print(f"LinkChecker not installed at {PEERS}; see the docstring")
        print()
        print_table(rows, floor)
        print(
            f"\ntracer vs the bare client: wall {ours.wall / bare.wall:.2f}x, span "
            f"{ours.span / bare.span:.2f}x; the bare client's own wall is "
            f"{bare.wall / floor:.2f}x the floor (what this machine leaves any checker)"
        )
        if len(rows) == 3:
            theirs = rows[2]
            print(
                f"tracer vs LinkChecker: wall {theirs.wall / ours.wall:.2f}x faster, "
                f"span {theirs.span / ours.span:.2f}x faster, memory "
                f"{ours.rss / theirs.rss:.2f}x by RSS, {ours.pss / theirs.pss:.2f}x by PSS"
            )

        if args.stored:
            with tempfile.TemporaryDirectory(prefix="check-bench-big-") as tmp:
                work = Path(tmp)
                db_url = f"sqlite:///{work / 'big.db'}"
                started = time.monotonic()
                store_links(db_url, None, args.stored, hosts, port)
                print(
                    f"\nstored {args.stored} links in {time.monotonic() - started:.1f}s; "
                    f"checking under a {args.stored_budget:g}s time budget"
                )
                server_stats(control)
                big, report = run_tracer(
                    db_url, work, args.hosts, "--time-budget", str(args.stored_budget)
                )
                seen = server_stats(control)
                print(
                    f"tracer check: {report.get('checked')} checked, {report.get('remaining')} still due, "
                    f"wall {big.wall:.1f}s, {seen['requests']} requests, peak {seen['peak_per_host']}/host, "
                    f"peak memory of the check and its helper process together {big.memory.rss:.1f} MB RSS, "
                    f"{big.memory.pss:.1f} MB PSS (target < 200 MB)"
                )
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
