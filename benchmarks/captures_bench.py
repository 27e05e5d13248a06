"""Benchmark: captures of 500 URLs from three archives with their rate limits on.

The archives are a real pywb (WARC files written here with warcio, TimeMap + CDX per
URL), and two fakeweb archives: a Wayback CDX server and an archive.today-style Memento
archive (which is asked four spellings of every URL). Each archive is paced by its own
rate limit, so the fastest any client can finish is the floor those limits allow: for
each archive, (requests - 1) x interval, and the archives run side by side, so the floor
is the largest of those. The run reports wall time against that floor (target: within
1.2x) and the peak memory of the process.

Limits are set fast (thousands a minute) so the run takes seconds; the ratio is what
carries over to the real, slow limits. Needs pywb: TRACER_TEST_PYWB=<pywb venv>/bin.

    TRACER_TEST_PYWB=.venv-pywb/bin .venv/bin/python benchmarks/captures_bench.py [--urls 500]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import resource
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.archives.archive_today import ArchiveTodayArchive
from adapters.archives.memento import MementoArchive
from adapters.archives.wayback import WaybackArchive
from tests.fakeweb import FakeWeb
from tests.fakeweb.archives import WAYBACK_HOST, MementoSite, WaybackCDX, stamp
from tests.pywb_archive import Written, pywb_bin, skip_reason, start_pywb
from tracer.http.client import HTTPClient
from tracer.http.settings import HTTPSettings
from tracer.locate.locator import Locator, url_variants
from tracer.plugins.archive import ArchiveConfig
from tracer.store.upserts import Store

BASE = datetime(2012, 1, 1, tzinfo=UTC)


def urls_of(count: int) -> list[str]:
    return [f"http://site{n % 37}.example.com/news/{n}" for n in range(count)]


def written_captures(urls: list[str]) -> list[Written]:
    captures: list[Written] = []
    for n, url in enumerate(urls):
        first = BASE + timedelta(hours=n)
        captures.append(Written(url, first, 404, b"<html>not yet</html>"))
        captures.append(Written(url, first + timedelta(days=1), 200, f"<p>{n} v1</p>".encode()))
        captures.append(Written(url, first + timedelta(days=30), 200, f"<p>{n} v2</p>".encode()))
    return captures


def cdx_body(url: str, n: int) -> bytes:
    rows = []
    for day, status in ((0, 301), (2, 200), (9, 200), (40, 200)):
        when = stamp(BASE + timedelta(hours=n, days=day))
        rows.append(f"com,example)/news/{n} {when} {url} text/html {status} D{n}X{day} 1234")
    return ("\n".join(rows) + "\n").encode()


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def run(count: int, workdir: Path) -> None:
    bin_dir = pywb_bin()
    if bin_dir is None:
        raise SystemExit(f"needs pywb: {skip_reason()}")
    urls = urls_of(count)
    print(f"writing {3 * count} captures and starting pywb ...", flush=True)
    pywb = start_pywb(workdir / "pywb", written_captures(urls), bin_dir)
    handlers = {
        WAYBACK_HOST: WaybackCDX(listings={u: cdx_body(u, n) for n, u in enumerate(urls)}),
        "archive.ph": MementoSite(
            "archive.ph",
            {u: [BASE + timedelta(hours=n, days=5)] for n, u in enumerate(urls)},
            timemap_path="/timemap/",
            timegate_path="/timegate/",
        ),
    }
    # the stand-in archives run in a process of their own, as real ones are elsewhere:
    # sharing this process's interpreter lock would measure their work as ours
    web = FakeWebProcess(workdir, handlers)
    try:
        # plain HTTP: fakeweb closes every connection, so over TLS each request would pay
        # a handshake that a real archive's keep-alive connection does not
        configs = [
            replace(
                WaybackArchive.default_config(),
                cdx="http://web.archive.org/cdx/search/cdx",
                requests_per_minute=1500,
                concurrency=2,
            ),
            replace(
                ArchiveTodayArchive.default_config(),
                timemap="http://archive.ph/timemap/{url}",
                timegate="http://archive.ph/timegate/{url}",
                requests_per_minute=6000,
                concurrency=4,
            ),
            ArchiveConfig(
                name="pywb",
                timemap=pywb.timemap_template,
                timegate=pywb.timegate_template,
                cdx=pywb.cdx_endpoint,
                requests_per_minute=3000,
                concurrency=4,
            ),
        ]
        archives = [
            WaybackArchive(configs[0]),
            ArchiveTodayArchive(configs[1]),
            MementoArchive(configs[2]),
        ]
        per_url = {"wayback": 1, "archive_today": len(url_variants(urls[0], "full")), "pywb": 2}
        floors = {c.name: (per_url[c.name] * count - 1) * c.interval for c in configs}
        floor = max(floors.values())
        settings = HTTPSettings(
            allow_networks=["127.0.0.1/32"],
            connect_to={f"{host}:80": f"127.0.0.1:{web.port}" for host in handlers},
            max_concurrency=32,
            per_host_interval=0.0,
            total_timeout=30.0,
        )
        store = Store.open(f"sqlite:///{workdir / 'bench.db'}")
        rss_before = rss_mib()
        async with HTTPClient(settings) as http:
            locator = Locator(archives, http, None if "--no-store" in sys.argv else store)
            started, cpu_started = time.monotonic(), time.process_time()
            results = await locator.locate_many(urls, concurrency=count)
            wall = time.monotonic() - started
            cpu = time.process_time() - cpu_started
        store.close()
        captures = sum(len(r.captures) for r in results)
        errors = Counter(name for r in results for name in r.errors)
        earliest_ok = sum(1 for r in results if r.earliest is not None and r.earliest.status == 200)
        print(f"urls: {count}   captures found: {captures}   errors: {dict(errors) or 'none'}")
        print(f"earliest capture is a 2xx for {earliest_ok}/{count} URLs")
        for name, value in floors.items():
            print(f"  floor of {name:<14} {per_url[name] * count:>5} requests  {value:6.2f} s")
        print(f"floor (largest): {floor:.2f} s")
        print(f"wall time:       {wall:.2f} s")
        print(f"ratio wall/floor: {wall / floor:.3f}  (target <= 1.2)")
        print(f"CPU time of this process: {cpu:.2f} s ({cpu / wall:.0%} of the wall time)")
        print(f"peak RSS: {rss_mib():.1f} MiB (before the look-ups: {rss_before:.1f} MiB)")
        # a second pass is answered from storage within the TTL: no archive is asked
        store = Store.open(f"sqlite:///{workdir / 'bench.db'}")
        async with HTTPClient(settings) as http:
            started = time.monotonic()
            again = await Locator(archives, http, store).locate_many(urls, concurrency=count)
            stored = time.monotonic() - started
        store.close()
        assert all(len(r.stored) == len(archives) for r in again)
        print(f"second pass from storage: {stored:.2f} s")
    finally:
        web.stop()
        pywb.stop()


class FakeWebProcess:
    """A fakeweb server in a forked process, serving `handlers` by host name."""

    def __init__(self, workdir: Path, handlers: dict[str, object]) -> None:
        context = multiprocessing.get_context("fork")
        ports = context.Queue()
        self._stop = context.Event()
        self._process = context.Process(
            target=_serve, args=(workdir, handlers, ports, self._stop), daemon=True
        )
        self._process.start()
        self.port = int(ports.get(timeout=30))

    def stop(self) -> None:
        self._stop.set()
        self._process.join(10)


def _serve(workdir: Path, handlers: dict[str, Any], ports: Any, stop: Any) -> None:
    with FakeWeb(workdir) as web:
        for host, handler in handlers.items():
            web.add(host, handler)
        ports.put(web.port)
        stop.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=500)
    parser.add_argument("--no-store", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="captures-bench-") as workdir:
        asyncio.run(run(args.urls, Path(workdir)))


if __name__ == "__main__":
    main()
