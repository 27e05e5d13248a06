"""The queue of archive look-ups, kept in the database itself.

A watched link is due for a look-up while it has no capture and no answer from the
archive younger than `archive_lookup_days` (an answer is a capture found or "none"; a
failed question is no answer). So whatever a run leaves undone, because its look-up
budget ran out, the archive was unreachable or the process was killed, is still due the
next night, with nothing to recover.

Look-ups are asked host by host (tracer.linkrot.scheduling.lookups); a worker leases the host's
look-ups in the `host_lease` table first, so two workers never ask about the same host's
links.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, exists, func, select
from sqlalchemy.orm import Session

from tracer.linkrot.preservation import LOOKED_UP, lookup_row, need_row
from tracer.linkrot.scheduling import hostleases
from tracer.store.database import insert_for, insert_or_ignore
from tracer.store.model import ArchiveAttempt, Capture, CaptureLookup, CheckState, Node
from tracer.store.upserts import Store

STATE = CheckState.__table__  # type: ignore[attr-defined]
NODE = Node.__table__  # type: ignore[attr-defined]
CAPTURE = Capture.__table__  # type: ignore[attr-defined]
LOOKUP = CaptureLookup.__table__  # type: ignore[attr-defined]
ATTEMPT = ArchiveAttempt.__table__  # type: ignore[attr-defined]
#: what a new answer replaces in a link's look-up row
LOOKUP_ANSWER = ("looked_up_at", "outcome", "error", "count")
#: the archive name a listing's own answer is recorded under (its url is "host/path*")
LISTING = "wayback-listing"
#: answers that settle a link's question until they are `archive_lookup_days` old
ANSWERS = ("ok", "empty")


@dataclass(frozen=True)
class Due:
    """A link waiting for a look-up."""

    node_id: int
    url: str


def _url() -> Any:
    return func.coalesce(NODE.c.url, NODE.c.canonical_url)


def _due(now: datetime, ttl_days: float) -> Any:
    url = _url()
    answered = exists().where(
        LOOKUP.c.url == url,
        LOOKUP.c.archive == LOOKED_UP,
        LOOKUP.c.outcome.in_(ANSWERS),
        LOOKUP.c.looked_up_at >= now - timedelta(days=ttl_days),
    )
    return and_(
        STATE.c.watched.is_(True),
        url.like("http%"),
        ~exists().where(CAPTURE.c.node_id == NODE.c.id),
        ~answered,
    )


def due_page(engine: Engine, now: datetime, ttl_days: float, after: int, size: int) -> list[Due]:
    """Up to `size` due links with node ids above `after`, in id order (an index walk:
    a million stored links are read a page at a time, never sorted whole)."""
    query = (
        select(NODE.c.id, _url())
        .join(STATE, STATE.c.node_id == NODE.c.id)
        .where(NODE.c.id > after, _due(now, ttl_days))
        .order_by(NODE.c.id)
        .limit(size)
    )
    with engine.connect() as connection:
        return [Due(row[0], row[1]) for row in connection.execute(query)]


def still_due(engine: Engine, ids: Sequence[int], now: datetime, ttl_days: float) -> set[int]:
    """Which of `ids` are due yet (another worker may have answered them meanwhile)."""
    if not ids:
        return set()
    query = (
        select(NODE.c.id)
        .join(STATE, STATE.c.node_id == NODE.c.id)
        .where(NODE.c.id.in_(list(ids)), _due(now, ttl_days))
    )
    with engine.connect() as connection:
        return {row[0] for row in connection.execute(query)}


def count_due(engine: Engine, now: datetime, ttl_days: float) -> int:
    """Links whose look-up is still to be asked: the next run's queue."""
    query = (
        select(func.count())
        .select_from(NODE.join(STATE, STATE.c.node_id == NODE.c.id))
        .where(_due(now, ttl_days))
    )
    with engine.connect() as connection:
        return int(connection.execute(query).scalar() or 0)


def count_unknown(engine: Engine, now: datetime, ttl_days: float) -> int:
    """Watched links no archive has: no capture stored, and the archive's answer "none"."""
    url = _url()
    query = (
        select(func.count())
        .select_from(NODE.join(STATE, STATE.c.node_id == NODE.c.id))
        .where(
            STATE.c.watched.is_(True),
            ~exists().where(CAPTURE.c.node_id == NODE.c.id),
            exists().where(
                LOOKUP.c.url == url,
                LOOKUP.c.archive == LOOKED_UP,
                LOOKUP.c.outcome == "empty",
                LOOKUP.c.looked_up_at >= now - timedelta(days=ttl_days),
            ),
        )
    )
    with engine.connect() as connection:
        return int(connection.execute(query).scalar() or 0)


def truncated_listing(engine: Engine, key: str, now: datetime, ttl_days: float) -> bool:
    """Whether a recent listing of `key` ("host/path*") stopped at its page cap: the host
    has too many captures for a listing to pay, and its links are asked one by one."""
    query = select(LOOKUP.c.id).where(
        LOOKUP.c.url == key,
        LOOKUP.c.archive == LISTING,
        LOOKUP.c.outcome == "truncated",
        LOOKUP.c.looked_up_at >= now - timedelta(days=ttl_days),
    )
    with engine.connect() as connection:
        return connection.execute(query).first() is not None


# -- leases on hosts ------------------------------------------------------------------------


def _key(host: str) -> str:
    return f"lookup {host}"


def claim_host(engine: Engine, host: str, worker: str, now: datetime, seconds: float) -> bool:
    """Lease `host`'s look-ups to `worker`, unless another worker holds them."""
    return bool(hostleases.take(engine, [_key(host)], worker, now, seconds))


def release_host(engine: Engine, host: str, worker: str) -> None:
    hostleases.give_back(engine, [_key(host)], worker)


# -- answers --------------------------------------------------------------------------------


@dataclass
class Answer:
    """What the archive said of one link: a capture, none, or the question failed."""

    link: Due
    capture: Capture | None = None
    error: str | None = None


def store_answers(store: Store, answers: Sequence[Answer], now: datetime) -> list[str]:
    """Store captures, look-up rows and archive needs in one transaction, a statement
    each for the lot (a host's hundred answers one by one took most of a second);
    returns the URLs now needing an archived copy (the archive has none)."""
    if not answers:
        return []
    lookups = [
        lookup_row(a.link.url, now, found=a.capture is not None, error=a.error).model_dump(
            exclude={"id"}
        )
        for a in answers
    ]
    captures = [
        {**a.capture.model_dump(exclude={"id"}), "found_at": now}
        for a in answers
        if a.capture is not None
    ]
    empty = [a.link for a in answers if a.capture is None and a.error is None]
    with store.engine.begin() as connection:
        insert = insert_for(connection)
        statement = insert(LOOKUP)
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=["url", "archive"],
                set_={k: statement.excluded[k] for k in LOOKUP_ANSWER},
            ),
            lookups,
        )
        if captures:
            # a capture stored before (by a trace, say) keeps its row
            connection.execute(insert_or_ignore(connection, CAPTURE), captures)
        if empty:
            connection.execute(
                insert(ATTEMPT),
                [
                    need_row(link.node_id, link.url, now).model_dump(exclude={"id"})
                    for link in empty
                ],
            )
    return [link.url for link in empty]


def record_listing(store: Store, key: str, outcome: str, found: int, now: datetime) -> None:
    """Remember how a listing of `key` went ("ok" or "truncated")."""
    row = CaptureLookup(
        url=key, archive=LISTING, looked_up_at=now, outcome=outcome, error=None, count=found
    )
    with store.session() as session:
        record_lookup(session, row)


def record_lookup(session: Session, row: CaptureLookup) -> None:
    """Insert or refresh the (url, archive) look-up row."""
    statement = insert_for(session.get_bind())(LOOKUP).values(**row.model_dump(exclude={"id"}))
    statement = statement.on_conflict_do_update(
        index_elements=["url", "archive"],
        set_={k: statement.excluded[k] for k in LOOKUP_ANSWER},
    )
    session.execute(statement)


__all__ = [
    "Answer",
    "Due",
    "claim_host",
    "count_due",
    "count_unknown",
    "due_page",
    "record_listing",
    "record_lookup",
    "release_host",
    "still_due",
    "store_answers",
    "truncated_listing",
]
