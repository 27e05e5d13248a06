"""Leases and the shared host budget, on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from tests.linkrot.conftest import ManualClock
from tests.linkrot.helpers import add, state_of
from tracer.linkrot import leases
from tracer.linkrot.budget import SharedHostBudget
from tracer.store import Store


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


def test_shared_host_budget_caps_in_flight_across_workers(store: Store) -> None:
    one = SharedHostBudget(store.engine, concurrency=2, interval=0.0)
    two = SharedHostBudget(store.engine, concurrency=2, interval=0.0)
    assert one.try_acquire("news.test")
    assert two.try_acquire("news.test")
    assert not one.try_acquire("news.test") and not two.try_acquire("news.test")
    assert one.try_acquire("other.test")  # hosts are counted apart
    two.release("news.test")
    assert one.try_acquire("news.test")
    # a 429 makes every worker wait
    one.release("other.test")
    two.penalize("other.test", 30)
    assert not one.try_acquire("other.test")


def test_shared_host_budget_spaces_requests(store: Store) -> None:
    budget = SharedHostBudget(store.engine, concurrency=5, interval=30.0)
    assert budget.try_acquire("slow.test")
    budget.release("slow.test")
    assert not budget.try_acquire("slow.test")  # the next start is 30 s away
