"""Leases on shares of hosts, in the `host_lease` table, by which workers divide hosts.

A key names what is leased ("check HOST SLOT", "lookup HOST"); its owner holds it until
`expires_at`, and may renew it before then. Taking a key is one conditional upsert, so
two workers racing for it cannot both win. A worker killed with kill -9 leaves leases
that run out by themselves, and on the same machine are taken back at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import Engine, or_, select, update

from tracer.linkrot.scheduling.leases import release_gone
from tracer.store.database import insert_for
from tracer.store.model import HostLease

LEASE = HostLease.__table__  # type: ignore[attr-defined]


def take(
    engine: Engine, keys: Sequence[str], worker: str, now: datetime, seconds: float
) -> list[str]:
    """Lease (or renew) each of `keys` that no other worker holds; returns those held."""
    if not keys:
        return []
    expires = now + timedelta(seconds=seconds)
    statement = insert_for(engine)(LEASE)
    statement = statement.on_conflict_do_update(
        index_elements=["key"],
        set_={"owner": statement.excluded.owner, "expires_at": statement.excluded.expires_at},
        where=or_(LEASE.c.owner == worker, LEASE.c.expires_at.is_(None), LEASE.c.expires_at < now),
    )
    rows = [{"key": key, "owner": worker, "expires_at": expires} for key in keys]
    with engine.begin() as connection:
        connection.execute(statement, rows)
        held = connection.execute(
            select(LEASE.c.key).where(LEASE.c.key.in_(list(keys)), LEASE.c.owner == worker)
        )
        return [row[0] for row in held]


def give_back(engine: Engine, keys: Sequence[str], worker: str) -> None:
    """End `worker`'s leases on `keys` before they run out."""
    if not keys:
        return
    with engine.begin() as connection:
        connection.execute(
            update(LEASE)
            .where(LEASE.c.key.in_(list(keys)), LEASE.c.owner == worker)
            .values(expires_at=None)
        )


def reclaim_orphans(engine: Engine) -> int:
    """End the leases of workers on this machine whose process is gone (kill -9)."""
    return release_gone(engine, LEASE.c.owner, expires_at=None)


__all__ = ["give_back", "reclaim_orphans", "take"]
