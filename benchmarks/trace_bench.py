"""Benchmark: a depth-2 online trace of a world of 50 articles and 500 posts.

The world (tests/fakeweb/world.py `large_world`): one article citing seven, each citing
six more, which between them cite 500 posts (100 tweets through X's syndication
endpoint, 400 Telegram posts through t.me embeds); the first-level articles name RT
without a link, so the named-source search runs (a Wayback CDX domain query, pages
read, GREY ZONE's history); half of everything is captured in the Wayback Machine,
which every located node is asked about. fakeweb plays it from a process of its own
(sharing this interpreter's lock would count its work as ours), each host answering
after a realistic latency.

Every host is limited as the HTTP layer limits it (per-host concurrency and minimum
interval; the archive by its own configured pace), so no client can finish faster than
the busiest host allows: for a host with n requests, concurrency c, interval i and
latency L, n x max(i, L / c); and all hosts together cannot beat the global concurrency
cap. The run prints the wall time against that floor, per host, and the peak memory.

Limits are set at a tenth of the shipped ones (and the archive's accordingly) so the
run takes about a minute; the ratio is what carries over.

    .venv/bin/python benchmarks/trace_bench.py [--articles 50] [--posts 500]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fakeweb.server import FakeRequest, FakeWeb, Response
from tests.fakeweb.world import archive_list, large_world, trace_root
from tracer.follow.tracer import TraceOptions
from tracer.runtime import Runtime
from tracer.settings import load_settings
from tracer.store.chain import load_chain
from tracer.store.upserts import Store

#: seconds each host takes to answer, about what these services take from Europe
LATENCY = {
    "web.archive.org": 0.25,
    "t.me": 0.08,
    "cdn.syndication.twimg.com": 0.06,
}
NEWS_LATENCY = 0.12
PER_HOST_CONCURRENCY = 2
PER_HOST_INTERVAL = 0.05  # a tenth of the shipped 0.5 s
ARCHIVE_RPM = 1200.0  # requests a minute to the Wayback Machine (shipped: 24)
ARCHIVE_CONCURRENCY = 4
MAX_CONCURRENCY = 16


def latency_of(host: str) -> float:
    return LATENCY.get(host, NEWS_LATENCY)


def _slowed(handler: Any, delay: float) -> Any:
    async def answer(request: FakeRequest) -> Response:
        result = handler(request)
        if asyncio.iscoroutine(result):
            result = await result
        return replace(result, delay=delay)

    return answer


def _serve(articles: int, posts: int, workdir: Path, queue: Any, stop: Any) -> None:
    built = large_world(articles, posts)
    with FakeWeb(workdir) as web:
        built.world.install(web)
        for host, handler in list(web.hosts.items()):
            web.add(host, _slowed(handler, latency_of(host)))
        queue.put((web.http_settings().model_dump(), built.root_url))
        stop.wait()
        queue.put(Counter(request.host for request in web.requests))


def floor_of(counts: Counter[str]) -> tuple[float, dict[str, float]]:
    floors: dict[str, float] = {}
    for host, count in counts.items():
        latency = latency_of(host)
        if host == "web.archive.org":
            interval, concurrency = 60.0 / ARCHIVE_RPM, ARCHIVE_CONCURRENCY
        else:
            interval, concurrency = PER_HOST_INTERVAL, PER_HOST_CONCURRENCY
        floors[host] = max((count - 1) * interval, count * latency / concurrency)
    total = sum(count * latency_of(host) for host, count in counts.items()) / MAX_CONCURRENCY
    floors["(all hosts, global cap)"] = total
    return max(floors.values()), floors


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--posts", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="trace-bench-") as name:
        workdir = Path(name)
        context = multiprocessing.get_context("fork")
        queue, stop = context.Queue(), context.Event()
        server = context.Process(
            target=_serve, args=(args.articles, args.posts, workdir, queue, stop), daemon=True
        )
        server.start()
        http, root_url = queue.get(timeout=60)
        http.update(
            per_host_concurrency=PER_HOST_CONCURRENCY,
            per_host_interval=PER_HOST_INTERVAL,
            max_concurrency=MAX_CONCURRENCY,
            total_timeout=60.0,
        )
        os.environ["TRACER_ARCHIVE_LIST"] = str(
            archive_list(
                workdir / "archives.toml",
                requests_per_minute=ARCHIVE_RPM,
                concurrency=ARCHIVE_CONCURRENCY,
            )
        )
        database_url = f"sqlite:///{workdir / 'bench.db'}"
        Store.open_upgraded(database_url).close()
        runtime = Runtime(
            load_settings(
                env={},
                overrides={
                    "database": {"url": database_url},
                    "http": http,
                    "cache": {"enabled": False},
                },
            )
        )
        rss_before = rss_mib()

        started, cpu_started = time.monotonic(), time.process_time()
        root = trace_root(runtime, root_url, TraceOptions(depth=2))
        wall = time.monotonic() - started
        cpu = time.process_time() - cpu_started
        with runtime.store.session() as session:
            chain = load_chain(session, root)
        runtime.close()
        stop.set()
        counts: Counter[str] = queue.get(timeout=60)
        server.join(10)

    floor, floors = floor_of(counts)
    kinds = Counter(node.kind for node in chain.nodes)
    captures = sum(len(node.captures) for node in chain.nodes)
    print(f"world: {args.articles} articles, {args.posts} posts; depth 2")
    print(
        f"chain: {len(chain.nodes)} nodes {dict(kinds)}, {len(chain.edges)} edges, "
        f"{captures} captures, {len(chain.candidates)} candidates"
    )
    print(f"requests: {sum(counts.values())}")
    shown = [(h, v) for h, v in floors.items() if v >= floor / 50]
    for host, value in sorted(shown, key=lambda item: -item[1]):
        count = sum(counts.values()) if host.startswith("(") else counts[host]
        print(f"  {host:<34} {count:>5} requests  floor {value:7.2f} s")
    rest = [h for h, v in floors.items() if v < floor / 50]
    if rest:
        requests = sum(counts[h] for h in rest)
        print(
            f"  {len(rest)} other hosts (news sites) {requests:>8} requests  floor <= {floor / 50:.2f} s"
        )
    print(f"floor (largest):  {floor:.2f} s")
    print(f"wall time:        {wall:.2f} s")
    print(f"ratio wall/floor: {wall / floor:.2f}")
    print(f"CPU time of the tracer: {cpu:.2f} s ({cpu / wall:.0%} of the wall time)")
    print(f"peak RSS: {rss_mib():.1f} MiB (before the trace: {rss_before:.1f} MiB)")


if __name__ == "__main__":
    main()
