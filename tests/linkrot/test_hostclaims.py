"""Claims by whole hosts on PostgreSQL: a worker claims links only of hosts it leased
whole, and two workers never hold the same host's links."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Collection
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import TypeVar

import pytest
from sqlalchemy import literal, select

from tests.linkrot.conftest import ManualClock
from tests.linkrot.helpers import add
from tracer.linkrot.scheduling import hostclaims, hostleases, leases
from tracer.linkrot.scheduling.hostleases import LEASE
from tracer.linkrot.scheduling.leases import Link
from tracer.store.upserts import Store
from tracer.urls import host_of

Result = TypeVar("Result")

WINDOW = 600.0  # host leases outlive any test


@pytest.fixture
def postgres(store: Store) -> Store:
    if store.engine.dialect.name != "postgresql":
        pytest.skip("claims by hosts are for workers sharing a PostgreSQL database")
    return store


def _keys(host: str) -> list[str]:
    return [f"check {host} 0", f"check {host} 1"]


def _at_once(count: int, work: Callable[[str], Result]) -> dict[str, Result]:
    """What each of `count` workers (w0, w1, ...) got from `work`, all started together
    on threads behind one barrier, so their claims race."""
    workers = [f"w{n}" for n in range(count)]
    start = threading.Barrier(count)

    def run(worker: str) -> Result:
        start.wait()
        return work(worker)

    with ThreadPoolExecutor(count) as pool:
        return dict(zip(workers, pool.map(run, workers), strict=True))


def _claim(
    store: Store,
    worker: str,
    clock: ManualClock,
    size: int,
    most: int = 100,
    serving: Collection[str] = (),
) -> list[Link]:
    return hostclaims.claim(
        store.engine,
        worker,
        clock.now(),
        600,
        size,
        keys=_keys,
        window=WINDOW,
        most=most,
        serving=serving,
    )


def _stories(hosts: list[str], count: int) -> list[str]:
    return [f"https://{host}/story/{n}" for n in range(count) for host in hosts]


def _holders(store: Store) -> dict[str, set[str]]:
    now = datetime.now(UTC)
    with store.engine.connect() as connection:
        rows = connection.execute(
            select(LEASE.c.key, LEASE.c.owner).where(
                LEASE.c.key.like("check %"), LEASE.c.expires_at > now
            )
        ).all()
    held: dict[str, set[str]] = defaultdict(set)
    for key, owner in rows:
        held[key.split(" ")[1]].add(owner)
    return held


def _hosts(links: list[Link]) -> set[str]:
    return {host_of(link.url) for link in links}


def test_a_worker_claims_only_hosts_it_leased_whole(postgres: Store, clock: ManualClock) -> None:
    add(postgres, _stories(["a.test", "b.test", "c.test"], 4), clock)
    # another worker holds one share of b.test
    assert hostleases.take(postgres.engine, ["check b.test 1"], "w2", datetime.now(UTC), 60)

    links = _claim(postgres, "w1", clock, 100)
    assert _hosts(links) == {"a.test", "c.test"}
    assert len(links) == 8
    held = _holders(postgres)
    assert held["a.test"] == held["c.test"] == {"w1"}
    assert held["b.test"] == {"w2"}  # its other share was not taken either
    assert _claim(postgres, "w1", clock, 100) == []

    hostleases.give_back(postgres.engine, ["check b.test 1"], "w2")
    assert _hosts(_claim(postgres, "w1", clock, 100)) == {"b.test"}


def test_two_workers_never_hold_the_same_hosts_links(postgres: Store, clock: ManualClock) -> None:
    hosts = [f"h{n}.test" for n in range(6)]
    add(postgres, _stories(hosts, 10), clock)

    def grab(worker: str) -> list[Link]:
        taken: list[Link] = []
        while batch := _claim(postgres, worker, clock, 7):
            taken += batch
        return taken

    results = _at_once(4, grab)
    everything = [link.node_id for taken in results.values() for link in taken]
    assert len(everything) == len(set(everything)) == 60
    assert leases.count_due(postgres.engine, clock.now()) == 0
    owners: dict[str, set[str]] = defaultdict(set)
    for worker, taken in results.items():
        for link in taken:
            owners[host_of(link.url)].add(worker)
    assert all(len(names) == 1 for names in owners.values()), owners
    held = _holders(postgres)
    assert {host: names for host, names in owners.items()} == {h: held[h] for h in hosts}


def test_workers_present_get_a_share_of_the_hosts(postgres: Store, clock: ManualClock) -> None:
    hosts = [f"h{n}.test" for n in range(7)]
    add(postgres, _stories(hosts, 3), clock)
    for worker in ("w1", "w2", "w3"):
        hostclaims.enter(postgres.engine, worker, WINDOW)

    # the first leaves the two still without hosts a third each
    assert len(_hosts(_claim(postgres, "w1", clock, 100))) == 3
    assert len(_hosts(_claim(postgres, "w2", clock, 100))) == 2
    assert len(_hosts(_claim(postgres, "w3", clock, 100))) == 2
    # a worker that left takes no share
    hostclaims.enter(postgres.engine, "w4", WINDOW)
    hostclaims.leave(postgres.engine, "w4")
    add(postgres, _stories(["late.test", "later.test"], 1), clock)
    assert len(_hosts(_claim(postgres, "w1", clock, 100))) == 2


def test_a_host_left_without_links_is_free_again(postgres: Store, clock: ManualClock) -> None:
    add(postgres, _stories(["a.test", "b.test", "c.test"], 2), clock)
    first = _hosts(_claim(postgres, "w1", clock, 2))
    assert len(first) == 2
    # the third host, leased for the claim, got no link: another worker may have it
    assert set(_holders(postgres)) == first
    assert _hosts(_claim(postgres, "w2", clock, 10)) == {"a.test", "b.test", "c.test"} - first


def test_a_claim_without_room_takes_only_its_own_hosts(postgres: Store, clock: ManualClock) -> None:
    add(postgres, _stories(["a.test", "b.test"], 3), clock)
    first = _claim(postgres, "w1", clock, 1, most=1)
    assert len(_hosts(first)) == 1
    # most 0: links of its own host only, though another is free
    assert _hosts(_claim(postgres, "w1", clock, 10, most=0)) == _hosts(first)
    assert _claim(postgres, "w1", clock, 10, most=0) == []


def test_workers_choosing_at_once_each_get_hosts(postgres: Store, clock: ManualClock) -> None:
    hosts = [f"h{n}.test" for n in range(8)]
    add(postgres, _stories(hosts, 2), clock)

    def grab(worker: str) -> set[str]:
        return _hosts(_claim(postgres, worker, clock, 100, most=2))

    taken = list(_at_once(4, grab).values())
    # none lost the race for the same free hosts and went without
    assert sorted(len(hosts_) for hosts_ in taken) == [2, 2, 2, 2]
    assert set().union(*taken) == set(hosts)


def test_a_worker_serves_at_most_its_hosts(postgres: Store, clock: ManualClock) -> None:
    hosts = [f"h{n}.test" for n in range(5)]
    add(postgres, _stories(hosts, 4), clock)
    first = _claim(postgres, "w1", clock, 100, most=2)
    assert len(_hosts(first)) == 2
    # still serving those two, it takes no more
    serving = _hosts(first)
    assert _claim(postgres, "w1", clock, 100, most=2, serving=serving) == []
    # one done: room for one more
    assert len(_hosts(_claim(postgres, "w1", clock, 100, most=2, serving=list(serving)[:1]))) == 1


def test_a_claim_takes_a_few_links_of_each_host_in_turn(
    postgres: Store, clock: ManualClock
) -> None:
    add(postgres, _stories(["a.test", "b.test", "c.test"], 10), clock)
    links = _claim(postgres, "w1", clock, 9)
    per_host: dict[str, int] = defaultdict(int)
    for link in links:
        per_host[host_of(link.url)] += 1
    assert per_host == {"a.test": 3, "b.test": 3, "c.test": 3}


@pytest.mark.parametrize(
    "url",
    [
        "https://Example.TEST/a/b?c=d#e",
        "http://user:secret@example.test:8080/path",
        "https://example.test?query",
        "https://example.test#fragment",
        "https://example.test",
        "http://[2001:db8::1]:8080/x",
        "http://[::1]/",
        "HTTP://Upper.Example.Test:443",
    ],
)
def test_the_claims_host_is_the_budgets(postgres: Store, url: str) -> None:
    with postgres.engine.connect() as connection:
        claimed = connection.execute(select(hostclaims.host_of_url(literal(url)))).scalar()
    assert claimed == host_of(url)
