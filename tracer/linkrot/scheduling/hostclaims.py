"""Claims by whole hosts, for workers sharing a PostgreSQL database.

Claiming the earliest due links and leasing their hosts at the first request let the
first claims of several workers each take links of every host: all but one worker then
found each host held, handed its links back, and the holder's queue of the host ran dry
while they sat with another worker (4 workers took 1.15-1.34x as long as one). So a
claim picks hosts with due links no other live worker holds, leases every share of them
to this worker (the keys of tracer.linkrot.scheduling.budget), and then claims due links of its
hosts only, a few of each in turn: no link goes to a worker that cannot check it.

A worker takes at most as many hosts as it can keep busy (`most`), and of the free
hosts no more than its share among the workers that have started and hold none yet
(see enter): workers started together divide the hosts, and one alone takes them all.
A host it leased that got no link from the claim is given back at once. A worker that
finds every host with due links held gets none and leaves them to their holders.

The host leases say who may check a host; what keeps a host polite is still the budget
of tracer.linkrot.scheduling.budget, which renews these leases as it spends them, and what keeps a
link from being checked twice is still the link's own lease (tracer.linkrot.scheduling.leases).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, select, update

from tracer.linkrot.scheduling import hostleases
from tracer.linkrot.scheduling.hostleases import LEASE
from tracer.linkrot.scheduling.leases import NODE, STATE, Link, due, load
from tracer.store.database import insert_for
from tracer.urls import host_of

#: the lease key that says a worker has started (see enter)
PRESENT = "worker "
#: the advisory lock workers take turns at choosing hosts by (any number of our own)
CHOOSING = 0x7472_6163
#: a URL's host as urllib's `hostname` has it (no user, no port, no IPv6 brackets,
#: lower-cased), so the hosts a claim leases are the hosts the budget leases
_HOST_PATTERN = r"^[^:/?#]+://(?:[^/?#]*@)?(\[[^]/?#]*\]|[^/?#:]*)"


def host_of_url(url: Any) -> Any:
    """(SQL) the host of the URL expression `url`, as tracer.urls.host_of."""
    return func.lower(func.btrim(func.substring(url, _HOST_PATTERN), "[]"))


def claim(
    engine: Engine,
    worker: str,
    now: datetime,
    lease_seconds: float,
    size: int,
    *,
    keys: Callable[[str], list[str]],
    window: float,
    most: int,
    serving: Collection[str] = (),
) -> list[Link]:
    """Lease to `worker` up to `size` due links of hosts it holds whole, leasing free hosts
    first so that it serves at most `most` (counting `serving`, the hosts it still has
    links of). `keys`: the host lease keys of a host; `window`: seconds they are leased
    for (the budget renews them as it uses them)."""
    url = func.coalesce(NODE.c.url, NODE.c.canonical_url)
    host = host_of_url(url)
    with engine.begin() as connection:
        # workers choose hosts one at a time: two choosing at once would pick the same
        # free hosts, and the one that lost the race for them would get none
        connection.execute(select(func.pg_advisory_xact_lock(CHOOSING)))
        held_before, added = _hosts_to_lease(connection, worker, now, host, most, serving)
        ours = _lease_whole(connection, worker, held_before + added, keys, window)
    if not ours:
        return []
    with engine.begin() as connection:
        # a few of each host's links in turn, so a claim smaller than the hosts' due
        # links keeps every one of them busy
        turn = func.row_number().over(partition_by=host, order_by=STATE.c.next_due_at)
        ranked = (
            select(STATE.c.node_id, STATE.c.next_due_at, turn.label("turn"))
            .join(NODE, NODE.c.id == STATE.c.node_id)
            .where(due(now), host.in_(ours))
            .subquery()
        )
        chosen = (
            select(ranked.c.node_id)
            .order_by(ranked.c.turn, ranked.c.next_due_at.nulls_first())
            .limit(size)
        )
        # the UPDATE checks each row again once it has its lock (READ COMMITTED), so a
        # link claimed meanwhile by a worker that holds no host lease is not taken twice
        statement = (
            update(STATE)
            .where(STATE.c.node_id.in_(chosen.scalar_subquery()), due(now))
            .values(lease_owner=worker, lease_expires_at=now + timedelta(seconds=lease_seconds))
            .returning(STATE.c.node_id)
        )
        ids = [row[0] for row in connection.execute(statement)]
    links = load(engine, ids)
    # a host newly leased that got no link (the claim's size ran out first) is free
    # again at once for another worker; hosts held before may have requests in flight
    unused = set(ours) - set(held_before) - {host_of(link.url) for link in links}
    hostleases.give_back(engine, [key for name in sorted(unused) for key in keys(name)], worker)
    return links


def _hosts_to_lease(
    connection: Connection,
    worker: str,
    now: datetime,
    host: Any,
    most: int,
    serving: Collection[str],
) -> tuple[list[str], list[str]]:
    """The hosts with due links this worker holds, and free ones to add, earliest due
    first, up to `most` hosts served."""
    due_hosts = (
        connection.execute(
            select(host)
            .select_from(STATE.join(NODE, NODE.c.id == STATE.c.node_id))
            .where(due(now))
            .group_by(host)
            .order_by(func.min(STATE.c.next_due_at).nulls_first())
        )
        .scalars()
        .all()
    )
    holders, present = _live(connection)
    mine: list[str] = []
    free: list[str] = []
    for name in due_hosts:
        owners = holders.get(name)
        if owners is None:
            free.append(name)
        elif owners == {worker}:
            mine.append(name)
    # workers that have started and hold no host yet get a share of the free hosts:
    # the first of several workers started together would otherwise take every host
    busy = {owner for owners in holders.values() for owner in owners}
    starting = len(present - busy - {worker})
    share = -(-len(free) // (starting + 1))
    room = most - len(set(serving) | set(mine)) if most > 0 else 0
    return mine, free[: max(min(share, room), 0)]


def _live(connection: Connection) -> tuple[dict[str, set[str]], set[str]]:
    """The workers holding a live lease on a share of each host being checked, and the
    workers present (see enter)."""
    live = connection.execute(
        select(LEASE.c.key, LEASE.c.owner).where(
            LEASE.c.key.like("check %") | LEASE.c.key.like(PRESENT + "%"),
            LEASE.c.expires_at > datetime.now(UTC),  # leases run on real time
        )
    )
    holders: dict[str, set[str]] = {}
    present: set[str] = set()
    for key, owner in live:
        kind, name = key.split(" ")[:2]
        if kind == "check":
            holders.setdefault(name, set()).add(owner)
        else:
            present.add(owner)
    return holders, present


def enter(engine: Engine, worker: str, seconds: float) -> None:
    """Say `worker` has started and will claim hosts within `seconds` (once it holds
    hosts, their leases say so), so that workers claiming meanwhile leave it a share."""
    hostleases.take(engine, [PRESENT + worker], worker, datetime.now(UTC), seconds)


def leave(engine: Engine, worker: str) -> None:
    """`worker` claims no more hosts (its run is over)."""
    with engine.begin() as connection:
        connection.execute(
            delete(LEASE).where(LEASE.c.key == PRESENT + worker, LEASE.c.owner == worker)
        )


def _lease_whole(
    connection: Connection,
    worker: str,
    hosts: list[str],
    keys: Callable[[str], list[str]],
    window: float,
) -> list[str]:
    """Lease (or renew) every share of `hosts`; returns those this worker now holds whole.

    Keys go in one order (a worker's budget may lease a share of a host meanwhile), so
    two workers racing for a host wait for each other key by key and one gets all of
    it, never a share each."""
    if not hosts:
        return []
    now = datetime.now(UTC)  # leases run on real time
    insert = insert_for(connection)(LEASE)
    statement = insert.on_conflict_do_update(
        index_elements=["key"],
        set_={"owner": insert.excluded.owner, "expires_at": insert.excluded.expires_at},
        where=(LEASE.c.owner == worker) | LEASE.c.expires_at.is_(None) | (LEASE.c.expires_at < now),
    ).returning(LEASE.c.key)
    expires = now + timedelta(seconds=window)
    wanted = sorted(key for name in hosts for key in keys(name))
    rows = [{"key": key, "owner": worker, "expires_at": expires} for key in wanted]
    held = {row[0] for row in connection.execute(statement, rows)}
    return [name for name in hosts if all(key in held for key in keys(name))]


__all__ = ["claim", "enter", "host_of_url", "leave"]
