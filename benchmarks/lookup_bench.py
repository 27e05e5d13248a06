"""Benchmark: a first night of `tracer check` with archive look-ups on, against the floors.

The links are those of benchmarks/check_bench.py: loopback hosts answering each request
in 50 ms, 2 at once per host; one link in ten is gone (404), and every link is fresh, so
each needs an archive look-up. A Wayback stand-in on its own loopback address answers
the CDX server's host listings and the availability API the way the Internet Archive
does (see tests/fakeweb/archives.py's CDXIndex for the query shapes), holds half of the
links' URLs as captures, keeps the archive's pace (a request that makes more than 6
within 5 intervals is answered 429 and counted as too fast), and counts the requests it
receives, per host asked about.

Three set-ups run in interleaved rounds, each on a fresh copy of the same links:

- look-ups on, the archive reachable: the run may end no sooner than the later of the
  check floor (the busiest host's requests x 50 ms / 2) and the archive floor (the
  listings needed, one per host, x the archive's interval); the target is 1.5x that;
- look-ups on, no archive reachable (its address refuses connections): the checks must
  not wait for it, so the reference is the check floor;
- look-ups off: the checks alone, the same reference.

Each round also verifies the report: every dead link whose URL the archive holds is
reported with its archived copy, and the look-ups' counts add up.

    .venv/bin/python benchmarks/lookup_bench.py [--links 2000] [--hosts 20] [--rounds 3]
                                                [--per-minute 240]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import multiprocessing.synchronize
import statistics
import sys
import tempfile
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote_plus, unquote_plus, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import check_bench as bench  # noqa: E402

ARCHIVE_HOST = "127.0.1.250"
WINDOW = 5
NOWHERE = "127.0.1.251"  # nothing listens here: connections are refused
STAMP = "20240102030405"


def link_urls(hosts: list[str], port: int, count: int) -> list[str]:
    """check_bench's links, one in ten of them gone."""
    return [
        url.replace("/story/", "/gone/") if int(url.rsplit("/", 1)[1]) % 10 == 0 else url
        for url in bench.link_urls(hosts, port, count)
    ]


def _key(url: str) -> str:
    """A URL as the stand-in files it: no scheme, as the CDX server's prefixes read."""
    return url.split("://", 1)[-1]


# -- the Wayback stand-in (its own process) --------------------------------------------------


def serve_archive(
    captured: list[str],
    port: int,
    interval: float,
    ready: multiprocessing.synchronize.Event,
) -> None:
    keys = sorted(_key(url) for url in captured)
    by_key = {_key(url): url for url in captured}
    stats: dict[str, Any] = {"requests": 0, "too_fast": 0, "per_host": Counter()}
    # the Internet Archive judges a client's pace over a window, not request by request:
    # more than WINDOW requests within WINDOW intervals is too fast
    recent: deque[float] = deque()

    def listing(query: dict[str, list[str]]) -> str:
        asked = query.get("url", [""])[0]
        prefix = asked.rstrip("*") if asked.endswith("*") else None
        rows = [k for k in keys if (k.startswith(prefix) if prefix else k == asked)]
        resume = query.get("resumeKey", [""])[0]
        if resume:
            start = unquote_plus(resume)
            rows = [k for k in rows if k >= start]
        limit = int(query.get("limit", ["0"])[0] or 0) or len(rows)
        page, rest = rows[:limit], rows[limit:]
        names = query.get("fl", ["urlkey,timestamp,original,statuscode"])[0].split(",")
        lines = []
        for key in page:
            values = {"urlkey": key, "timestamp": STAMP, "original": by_key[key], "statuscode": 200}
            lines.append(" ".join(str(values.get(name, "-")) for name in names))
        body = "".join(line + "\n" for line in lines)
        if rest and query.get("showResumeKey") == ["true"]:
            body += "\n" + quote_plus(rest[0]) + "\n"
        return body

    def availability(query: dict[str, list[str]]) -> str:
        url = query.get("url", [""])[0]
        snapshots: dict[str, Any] = {}
        if _key(url) in by_key:
            snapshots["closest"] = {
                "status": "200",
                "available": True,
                "url": f"http://{ARCHIVE_HOST}:{port}/web/{STAMP}/{url}",
                "timestamp": STAMP,
            }
        return json.dumps({"url": url, "archived_snapshots": snapshots})

    def answer(target: str) -> tuple[str, str]:
        parts = urlsplit(target)
        query = parse_qs(parts.query)
        if parts.path == "/stats":
            body = json.dumps(
                {
                    "requests": stats["requests"],
                    "too_fast": stats["too_fast"],
                    "per_host": dict(stats["per_host"]),
                }
            )
            stats.update({"requests": 0, "too_fast": 0, "per_host": Counter()})
            recent.clear()
            return "200 OK", body
        now = time.monotonic()
        stats["requests"] += 1
        asked = query.get("url", [""])[0]
        stats["per_host"][_key(asked).split("/", 1)[0]] += 1
        while recent and recent[0] <= now - WINDOW * interval:
            recent.popleft()
        recent.append(now)
        if len(recent) > WINDOW + 1:
            stats["too_fast"] += 1
            return "429 Too Many Requests", "slow down"
        if parts.path == "/cdx/search/cdx":
            return "200 OK", listing(query)
        if parts.path == "/wayback/available":
            return "200 OK", availability(query)
        return "404 Not Found", "no"

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                target = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ")[1]
                status, body = answer(target)
                data = body.encode()
                writer.write(
                    f"HTTP/1.1 {status}\r\nContent-Type: text/plain\r\n"
                    f"Content-Length: {len(data)}\r\n\r\n".encode()
                    + data
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(handle, ARCHIVE_HOST, port)
        ready.set()
        async with server:
            await server.serve_forever()

    asyncio.run(main())


def archive_stats(port: int) -> dict[str, Any]:
    import urllib.request

    with urllib.request.urlopen(f"http://{ARCHIVE_HOST}:{port}/stats", timeout=10) as answer:
        stats: dict[str, Any] = json.loads(answer.read())
        return stats


# -- one run --------------------------------------------------------------------------------


def archive_list(work: Path, host: str, port: int, per_minute: float) -> Path:
    path = work / "archives.toml"
    base = f"http://{host}:{port}"
    path.write_text(
        "[wayback]\n"
        f'cdx = "{base}/cdx/search/cdx"\n'
        f'availability = "{base}/wayback/available"\n'
        f'replay = "{base}/web/{{timestamp}}/{{url}}"\n'
        f'timemap = "{base}/web/timemap/link/{{url}}"\n'
        f'timegate = "{base}/web/{{url}}"\n'
        f"requests_per_minute = {per_minute}\n"
        "timeout = 5.0\n"
        "max_attempts = 1\n"
    )
    return path


@dataclass
class Setup:
    name: str
    lookups: bool
    reachable: bool
    walls: list[float] = field(default_factory=list)
    reports: list[dict[str, Any]] = field(default_factory=list)
    seen: list[dict[str, Any]] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(self.walls)


def run_once(
    setup: Setup,
    urls: list[str],
    hosts: list[str],
    port: int,
    archive_port: int,
    per_minute: float,
) -> None:
    with tempfile.TemporaryDirectory(prefix="lookup-bench-") as tmp:
        work = Path(tmp)
        db_url = f"sqlite:///{work / 'bench.db'}"
        bench.store_links(db_url, urls, len(urls), hosts, port)
        env = bench.tracer_env(work, len(hosts))
        target = (ARCHIVE_HOST, archive_port) if setup.reachable else (NOWHERE, archive_port)
        env.update(
            {
                "TRACER_CHECK__ARCHIVE_MISSING": "true" if setup.lookups else "false",
                "TRACER_CHECK__AVAILABILITY_URL": f"http://{target[0]}:{target[1]}/wayback/available",
                # the gone links die the first night
                "TRACER_CHECK__DEATH_FAILURES": "1",
                "TRACER_CHECK__DEATH_DAYS": "0",
                "TRACER_ARCHIVE_LIST": str(archive_list(work, *target, per_minute)),
            }
        )
        bench.server_stats(bench_control)
        out = work / "tracer.json"
        measured = bench.run_measured(
            [sys.executable, "-m", "tracer.cli", "--db", db_url, "check", "--json"], env, out
        )
        report = json.loads(out.read_text()) if out.stat().st_size else {}
        bench.server_stats(bench_control)
        setup.walls.append(measured.wall)
        setup.reports.append(report)
        setup.seen.append(archive_stats(archive_port))
        lookups = report.get("lookups") or {}
        print(
            f"{setup.name:<34} wall {measured.wall:6.2f}s  checked {report.get('checked')}  "
            f"archive requests {setup.seen[-1]['requests']}  look-ups {json.dumps(lookups)}"
        )


def dead_reported(report: dict[str, Any], captured: set[str]) -> tuple[int, int]:
    """(dead links the archive holds, of them reported with their archived copy)."""
    held = [d for d in report.get("dead", []) if d["url"] in captured]
    return len(held), sum(1 for d in held if d.get("archived"))


bench_control = 0


def main() -> None:
    global bench_control
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=2000)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--per-minute", type=float, default=240.0, help="the archive's pace (the real: 24)"
    )
    args = parser.parse_args()

    hosts = bench.addresses(args.hosts)
    port, bench_control = bench.free_port(hosts[0]), bench.free_port("127.0.0.1")
    archive_port = bench.free_port(ARCHIVE_HOST)
    urls = link_urls(hosts, port, args.links)
    captured = [url for n, url in enumerate(sorted(urls)) if n % 2 == 0]
    ready, archive_ready = multiprocessing.Event(), multiprocessing.Event()
    server = multiprocessing.Process(
        target=bench.serve, args=(hosts, port, bench_control, ready), daemon=True
    )
    archive = multiprocessing.Process(
        target=serve_archive,
        args=(captured, archive_port, 60.0 / args.per_minute, archive_ready),
        daemon=True,
    )
    server.start()
    archive.start()
    ready.wait(30)
    archive_ready.wait(30)

    per_host = Counter(urlsplit(u).hostname for u in urls)
    check_floor = max(per_host.values()) * bench.LATENCY / bench.PER_HOST
    listings = sum(1 for n in per_host.values() if n >= 10)  # lookup_listing_min
    singles = sum(n for n in per_host.values() if n < 10)
    archive_floor = (listings + singles) * 60.0 / args.per_minute
    print(
        f"{args.links} links on {args.hosts} hosts ({max(per_host.values())} on the busiest), "
        f"{len(captured)} held by the archive; archive pace {args.per_minute:g} a minute\n"
        f"check floor {check_floor:.2f}s; archive floor {listings + singles} requests x "
        f"{60.0 / args.per_minute:.2f}s = {archive_floor:.2f}s\n"
    )
    setups = [
        Setup("look-ups on, archive reachable", True, True),
        Setup("look-ups on, no archive reachable", True, False),
        Setup("look-ups off", False, True),
    ]
    bench.interleaved(
        args.rounds,
        setups,
        lambda setup: run_once(setup, urls, hosts, port, archive_port, args.per_minute),
        server,
        archive,
    )

    on, offline, off = setups
    both = max(check_floor, archive_floor)
    held = set(captured)
    print()
    print(f"{'set-up':<36}{'wall s':>8}{'reference':>11}{'x ref':>7}{'target':>8}")
    for setup, reference, target in (
        (on, both, 1.5),
        (offline, check_floor, 1.5),
        (off, check_floor, 1.5),
    ):
        print(
            f"{setup.name:<36}{setup.wall:>8.2f}{reference:>11.2f}"
            f"{setup.wall / reference:>7.2f}{target:>8.1f}"
        )
    requests = [seen["per_host"] for seen in on.seen]
    most = max((max(r.values(), default=0) for r in requests), default=0)
    too_fast = sum(seen["too_fast"] for seen in on.seen)
    print(
        f"\narchive requests per host asked about (most, any round): {most} "
        f"(target: at most 3 for hosts with 100 due links); requests sooner than the "
        f"archive's pace allows: {too_fast}"
    )
    for index, report in enumerate(on.reports, 1):
        total, reported = dead_reported(report, held)
        print(f"round {index}: dead links the archive holds: {total}, reported with it: {reported}")
    print(
        f"no archive reachable: the report says so "
        f"{[len((r.get('lookups') or {}).get('unreachable', [])) for r in offline.reports]} "
        f"time(s) a round; look-ups left pending: "
        f"{[(r.get('lookups') or {}).get('pending') for r in offline.reports]}"
    )


if __name__ == "__main__":
    main()
