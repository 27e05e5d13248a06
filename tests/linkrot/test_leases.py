"""Leases on links and on hosts' request slots, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from tests.linkrot.conftest import ManualClock
from tests.linkrot.helpers import add, state_of
from tracer.linkrot.scheduling import leases
from tracer.linkrot.scheduling.budget import HostSlots, HostTaken, penalize
from tracer.store.upserts import Store


def test_concurrent_claims_are_disjoint_and_cover_everything(
    store: Store, clock: ManualClock
) -> None:
    urls = [f"https://news.test/article/{n}" for n in range(60)]
    add(store, urls, clock)
    now = clock.now()

    def grab(worker: str) -> list[int]:
        taken: list[int] = []
        while batch := leases.claim(store.engine, worker, now, 600, 7):
            taken += [link.node_id for link in batch]
        return taken

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(grab, ["w1", "w2", "w3", "w4"]))
    everything = [node for taken in results for node in taken]
    assert len(everything) == len(set(everything)) == len(urls)
    assert leases.count_due(store.engine, now) == 0


def test_expired_and_orphaned_leases_come_back(store: Store, clock: ManualClock) -> None:
    add(store, ["https://news.test/article/1", "https://news.test/article/2"], clock)
    now = clock.now()
    first = leases.claim(store.engine, "elsewhere:1:aa", now, 60, 1)
    # a worker on this machine whose process has ended (kill -9)
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    orphan_owner = f"{leases.socket.gethostname()}:{ended.stdout.strip()}:bb"
    second = leases.claim(store.engine, orphan_owner, now, 600, 1)
    assert len(first) == len(second) == 1
    assert leases.claim(store.engine, "w", now, 600, 5) == []

    assert leases.reclaim_orphans(store.engine) == 1
    assert [link.node_id for link in leases.claim(store.engine, "w", now, 600, 5)] == [
        second[0].node_id
    ]
    # the other machine's worker is not judged by pid; its lease simply expires
    later = now + timedelta(seconds=61)
    assert [link.node_id for link in leases.claim(store.engine, "w2", later, 600, 5)] == [
        first[0].node_id
    ]
    assert state_of(store, "https://news.test/article/1").lease_owner in ("w2", "w")


async def test_host_slots_divide_a_host_between_workers(store: Store) -> None:
    one = HostSlots(store.engine, "host:1:a", concurrency=2, interval=0.0)
    two = HostSlots(store.engine, "host:2:b", concurrency=2, interval=0.0)
    # the first worker leases both request slots of the host, and spends them without
    # asking the database again
    async with one.slot("news.test"), one.slot("news.test"):
        with pytest.raises(HostTaken):
            async with two.slot("news.test", patience=0.2):
                pass
        async with two.slot("other.test"):  # hosts are leased apart
            pass
    # the other worker's requests that find the host held give up at once
    started = time.monotonic()
    with pytest.raises(HostTaken):
        async with two.slot("news.test", patience=0.2):
            pass
    assert time.monotonic() - started < 0.1
    await one.close()  # the run is over: the other worker has the host at once
    await asyncio.sleep(0.3)  # (once its memory of the host being held has passed)
    async with two.slot("news.test", patience=0.2), two.slot("news.test", patience=0.2):
        pass
    await two.close()


async def test_a_host_with_an_interval_is_leased_whole_and_a_lease_runs_out(
    store: Store,
) -> None:
    # a window of seconds, not tenths: on a loaded machine the refused try below must
    # still fall inside the first worker's lease
    one = HostSlots(store.engine, "host:1:a", concurrency=5, interval=30.0, window=2.0)
    two = HostSlots(store.engine, "host:2:b", concurrency=5, interval=30.0, window=2.0)
    async with one.slot("slow.test"):
        pass
    with pytest.raises(HostTaken):
        async with two.slot("slow.test", patience=0.1):
            pass
    # the first worker never renewed: its lease ends with its window, long before the
    # host's 30 s interval would (asked once the refusal's memory, its patience, passed)
    await asyncio.sleep(0.2)
    started = time.monotonic()
    async with two.slot("slow.test", patience=10.0):
        assert time.monotonic() - started < 5.0


async def test_a_429_makes_every_worker_wait(store: Store) -> None:
    one = HostSlots(store.engine, "host:1:a", concurrency=2, interval=0.0)
    await asyncio.to_thread(penalize, store.engine, "busy.test", 0.6)
    started = time.monotonic()
    async with one.slot("busy.test"):
        assert time.monotonic() - started >= 0.5
    await one.close()
