"""The work queue of link checks, kept in the database so several workers can share it.

A worker claims a batch of due links by writing its name and a lease expiry on their
CheckState rows. On PostgreSQL the claim selects with FOR UPDATE SKIP LOCKED, so two
workers claiming at once get disjoint batches; on SQLite the claim is one UPDATE, which
SQLite runs under its single write lock. A worker that dies leaves leases that expire
(or, on the same machine, are taken back as soon as its process is gone), so no link is
skipped for long; a stored check moves the link's next-due time past the night, so no
link is checked twice.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, exists, func, literal, or_, select, update

from tracer.linkrot.confirmation import STATE_FIELDS, LinkState
from tracer.store.database import insert_or_ignore
from tracer.store.model import Capture, CheckState, Node

STATE = CheckState.__table__  # type: ignore[attr-defined]
NODE = Node.__table__  # type: ignore[attr-defined]
CAPTURE = Capture.__table__  # type: ignore[attr-defined]


@dataclass
class Link:
    """One claimed link, with what the last check left behind (its `state`)."""

    node_id: int
    url: str
    platform: str
    #: the state row as claimed; the lease keeps other workers off it until it is stored
    state: LinkState
    archived: str | None = None  # best stored capture's memento URL
    attributes: dict[str, Any] = field(default_factory=dict)


def worker_name() -> str:
    """host:pid:random, so leases say who holds them and whether that process lives."""
    return f"{socket.gethostname()}:{os.getpid()}:{os.urandom(3).hex()}"


def enrol(engine: Engine, now: datetime) -> int:
    """Watch every stored node with a web URL that has no check state yet."""
    url = func.coalesce(NODE.c.canonical_url, NODE.c.url)
    query = select(
        NODE.c.id, literal(True), literal(now, STATE.c.next_due_at.type), literal(0), literal(False)
    ).where(
        or_(NODE.c.url.like("http%"), NODE.c.canonical_url.like("http%")),
        url.isnot(None),
        ~exists().where(STATE.c.node_id == NODE.c.id),
    )
    statement = insert_or_ignore(engine, STATE).from_select(
        ["node_id", "watched", "next_due_at", "consecutive_failures", "dead"], query
    )
    with engine.begin() as connection:
        return connection.execute(statement).rowcount or 0


def due(now: datetime) -> Any:
    """(SQL) the link is watched, due by `now`, and leased to no worker."""
    return and_(
        STATE.c.watched.is_(True),
        or_(STATE.c.next_due_at.is_(None), STATE.c.next_due_at <= now),
        or_(STATE.c.lease_expires_at.is_(None), STATE.c.lease_expires_at < now),
    )


def count_due(engine: Engine, now: datetime) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).where(due(now))).scalar() or 0)


def claim(
    engine: Engine, worker: str, now: datetime, lease_seconds: float, size: int
) -> list[Link]:
    """Lease up to `size` due links to `worker`, earliest due first."""
    chosen = select(STATE.c.node_id).where(due(now)).order_by(STATE.c.next_due_at).limit(size)
    if engine.dialect.name == "postgresql":
        # rows another worker is claiming right now are passed over, not waited for
        # (workers that share hosts claim by hosts instead: tracer.linkrot.scheduling.hostclaims)
        chosen = chosen.with_for_update(of=STATE, skip_locked=True)
    statement = (
        update(STATE)
        .where(STATE.c.node_id.in_(chosen.scalar_subquery()))
        .values(lease_owner=worker, lease_expires_at=now + timedelta(seconds=lease_seconds))
        .returning(STATE.c.node_id)
    )
    with engine.begin() as connection:
        ids = [row[0] for row in connection.execute(statement)]
    return load(engine, ids)


def _best_capture() -> Any:
    """The memento URL of a node's best stored capture: the latest of the live page,
    which beats one of a redirect or an error page."""
    return (
        select(CAPTURE.c.memento_url)
        .where(CAPTURE.c.node_id == NODE.c.id)
        .order_by(
            or_(CAPTURE.c.status.is_(None), CAPTURE.c.status.between(200, 299)).desc(),
            CAPTURE.c.captured_at.desc(),
        )
        .limit(1)
        .scalar_subquery()
    )


def archived_copies(engine: Engine, urls: Sequence[str]) -> dict[str, str]:
    """The best stored capture of each of `urls` that has one."""
    url = func.coalesce(NODE.c.url, NODE.c.canonical_url)
    query = select(url, _best_capture()).where(url.in_(list(urls)))
    with engine.connect() as connection:
        return {row[0]: row[1] for row in connection.execute(query) if row[1]}


def load(engine: Engine, ids: Sequence[int]) -> list[Link]:
    """The links of `ids` with their state and best capture."""
    if not ids:
        return []
    url = func.coalesce(NODE.c.url, NODE.c.canonical_url)
    fields = len(STATE_FIELDS)
    query = (
        select(
            *(STATE.c[name] for name in STATE_FIELDS),
            url,
            NODE.c.platform,
            _best_capture(),
            NODE.c.attributes,
        )
        .join(STATE, STATE.c.node_id == NODE.c.id)
        .where(NODE.c.id.in_(list(ids)))
    )
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    links = []
    for row in rows:
        state = LinkState(*row[:fields])
        url_, platform, archived, attributes = row[fields:]
        links.append(
            Link(
                node_id=state.node_id,
                url=url_,
                platform=platform or "web",
                state=state,
                archived=archived,
                attributes=dict(attributes or {}),
            )
        )
    return links


def release(engine: Engine, worker: str, ids: Iterable[int]) -> None:
    """Give back leases on links this worker will not check after all."""
    _give_back(engine, worker, ids)


def defer(engine: Engine, worker: str, ids: Iterable[int], until: datetime) -> None:
    """Give back links a busy host cannot serve soon, due again at `until`."""
    _give_back(engine, worker, ids, next_due_at=until)


def _give_back(engine: Engine, worker: str, ids: Iterable[int], **changes: object) -> None:
    """End this worker's leases on `ids`, with `changes` to their check state."""
    ids = list(ids)
    if not ids:
        return
    with engine.begin() as connection:
        connection.execute(
            update(STATE)
            .where(STATE.c.node_id.in_(ids), STATE.c.lease_owner == worker)
            .values(lease_owner=None, lease_expires_at=None, **changes)
        )


def release_gone(engine: Engine, owner: Any, **released: Any) -> int:
    """End the leases of workers on this machine whose process is gone (kill -9): their
    leases need not wait to run out. `owner` is the lease table's owner column, and
    `released` the values of a lease nobody holds. How many were ended."""
    here = socket.gethostname() + ":"
    with engine.connect() as connection:
        owners = [
            row[0]
            for row in connection.execute(select(owner).where(owner.like(here + "%")).distinct())
        ]
    gone = [name for name in owners if not alive(name)]
    if not gone:
        return 0
    with engine.begin() as connection:
        result = connection.execute(update(owner.table).where(owner.in_(gone)).values(**released))
    return result.rowcount or 0


def reclaim_orphans(engine: Engine) -> int:
    """Take back leases of workers on this machine whose process is gone (kill -9)."""
    return release_gone(engine, STATE.c.lease_owner, lease_owner=None, lease_expires_at=None)


def alive(owner: str) -> bool:
    """Whether the worker named `owner` may still run (only this machine's are judged)."""
    try:
        pid = int(owner.split(":")[1])
    except (IndexError, ValueError):
        return True  # not ours to judge
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
