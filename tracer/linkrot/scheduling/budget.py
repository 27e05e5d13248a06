"""Per-host politeness shared by every worker: hosts' request slots leased for a window.

The HTTP layer keeps one process polite; several `tracer check` processes need one
account per host. Asking the database before and after every request kept that account
exactly, but cost two round trips a request: on PostgreSQL a worker ran at a sixth of
its speed on SQLite. So a worker leases a share of a host for a window instead
(tracer.linkrot.scheduling.hostleases) and spends it without asking anyone:

- a host with no interval between requests has one lease per request it may have in
  flight ("check HOST 0", "check HOST 1", ...), and a worker may hold some or all;
- a host with an interval (an archive, a slow site) is leased whole ("check HOST"), so
  one worker at a time spaces its requests, with the HTTP layer's gate.

A lease is renewed by its next request once half its window has passed (a query per
host and window, not per request), lapses when the worker stops using the host, and is
given back when the run ends. Workers claim whole hosts, leasing every share of them
first, and no links of a host another worker holds (tracer.linkrot.scheduling.hostclaims), so a
host stays with one worker for the night instead of passing back and forth whenever the
worker's queue of it runs dry between two claims. A worker that cannot get any share of
a host within its patience (its lease ran out and another worker took the host) gets
`HostTaken` and hands those links back for the worker that holds the host. A 429 puts
the host's penalty in the HostBudget table, which every worker reads when it leases.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, or_, select, update

from tracer.linkrot.scheduling import hostleases
from tracer.store.database import insert_or_ignore
from tracer.store.model import HostBudget

BUDGET = HostBudget.__table__  # type: ignore[attr-defined]
#: seconds a share of a host is leased for; renewed once half of it has passed
WINDOW = 10.0
#: the longest pause between two tries for a host another worker holds
MAX_PAUSE = 0.5


def _now() -> datetime:
    # politeness is about real seconds, whatever clock the scheduling runs on
    return datetime.now(UTC)


class HostTaken(Exception):
    """Another worker holds every share of the host, and patience ran out."""

    def __init__(self, host: str) -> None:
        super().__init__(f"{host} is leased to another worker")
        self.host = host


@dataclass
class _Share:
    """The share of one host this worker holds."""

    keys: list[str]
    capacity: int  # requests this worker may have in flight to the host
    renew_at: float  # time.monotonic() after which the next request renews the lease
    #: every share of the host is this worker's: the HTTP layer's per-host limit
    #: counts its requests, and no other worker may have any in flight
    whole: bool = False
    in_flight: int = 0
    turn: asyncio.Condition = field(default_factory=asyncio.Condition)


class _Use:
    """One request's hold on a share of a host (HostSlots.slot).

    A class, not a generator: it runs around every request of a run, and a worker that
    holds all of a host's shares (the usual case: hosts are divided between workers)
    takes the quick path, leaving the count of requests in flight to the HTTP layer's
    own per-host limit, which is the same number.
    """

    __slots__ = ("counted", "host", "patience", "share", "slots")

    def __init__(self, slots: HostSlots, host: str, patience: float | None) -> None:
        self.slots, self.host, self.patience = slots, host, patience
        self.share: _Share | None = None
        self.counted = False

    async def __aenter__(self) -> None:
        share = self.slots._shares.get(self.host)
        if share is None or time.monotonic() >= share.renew_at:
            share = await self.slots._share(self.host, self.patience)
        self.share = share
        if share.whole:
            return
        async with share.turn:
            await share.turn.wait_for(lambda: share.in_flight < share.capacity)
            share.in_flight += 1
        self.counted = True

    async def __aexit__(self, *_: object) -> None:
        share = self.share
        if share is None or not self.counted:
            return
        async with share.turn:
            share.in_flight -= 1
            share.turn.notify_all()


def penalize(engine: Engine, host: str, seconds: float) -> None:
    """Every worker leaves `host` alone for `seconds` (it answered 429)."""
    until = _now() + timedelta(seconds=seconds)
    with engine.begin() as connection:
        connection.execute(insert_or_ignore(engine, BUDGET).values(host=host, in_flight=0))
        connection.execute(
            update(BUDGET)
            .where(
                BUDGET.c.host == host,
                or_(BUDGET.c.penalty_until.is_(None), BUDGET.c.penalty_until < until),
            )
            .values(penalty_until=until)
        )


def penalty_left(engine: Engine, host: str) -> float:
    """Seconds until `host` may be asked again after a 429 (0 when it may now)."""
    with engine.connect() as connection:
        until = connection.execute(
            select(BUDGET.c.penalty_until).where(BUDGET.c.host == host)
        ).scalar()
    if until is None:
        return 0.0
    if until.tzinfo is None:
        until = until.replace(tzinfo=UTC)
    return max(0.0, (until - _now()).total_seconds())


class HostSlots:
    """The shares of hosts one worker holds, leased from the database for a window."""

    def __init__(
        self,
        engine: Engine,
        worker: str,
        concurrency: int,
        interval: float,
        *,
        window: float = WINDOW,
    ) -> None:
        self.engine = engine
        self.worker = worker
        self.concurrency = concurrency
        self.interval = interval
        self.window = window
        self._shares: dict[str, _Share] = {}
        self._leasing: dict[str, asyncio.Lock] = {}
        # hosts found held by another worker, until when: the other requests waiting
        # for the same host give up at once instead of each waiting out its patience
        self._taken: dict[str, float] = {}

    def keys(self, host: str) -> list[str]:
        """The lease keys of every share of `host` (tracer.linkrot.scheduling.hostclaims leases
        them all at once)."""
        if self.interval > 0:
            return [f"check {host}"]
        return [f"check {host} {slot}" for slot in range(self.concurrency)]

    def _capacity(self, keys: list[str]) -> int:
        return self.concurrency if self.interval > 0 else len(keys)

    def slot(self, host: str, patience: float | None = None) -> _Use:
        """Hold one of this worker's requests to `host`; `patience`: seconds to wait for
        a host another worker holds before HostTaken (None: wait as long as it takes)."""
        return _Use(self, host, patience)

    async def _share(self, host: str, patience: float | None) -> _Share:
        share = self._shares.get(host)
        if share is not None and time.monotonic() < share.renew_at:
            return share
        async with self._leasing.setdefault(host, asyncio.Lock()):
            share = self._shares.get(host)
            if share is not None and time.monotonic() < share.renew_at:
                return share  # another request renewed it meanwhile
            if patience is not None and time.monotonic() < self._taken.get(host, 0.0):
                raise HostTaken(host)
            try:
                return await self._lease(host, patience)
            except HostTaken:
                self._taken[host] = time.monotonic() + (patience or 0.0)
                raise

    async def _lease(self, host: str, patience: float | None) -> _Share:
        waited, pause = 0.0, 0.05
        while True:
            started = time.monotonic()
            wait = await asyncio.to_thread(penalty_left, self.engine, host)
            if wait <= 0:
                keys = await asyncio.to_thread(
                    hostleases.take, self.engine, self.keys(host), self.worker, _now(), self.window
                )
                if keys:
                    return self._hold(host, keys, started)
                wait = pause
                pause = min(pause * 2, MAX_PAUSE)
            if patience is not None and waited >= patience:
                raise HostTaken(host)
            await asyncio.sleep(wait)
            waited += wait

    def _hold(self, host: str, keys: list[str], started: float) -> _Share:
        renew_at = started + self.window / 2
        whole = len(keys) == len(self.keys(host))
        share = self._shares.get(host)
        if share is None:
            share = self._shares[host] = _Share(keys, self._capacity(keys), renew_at, whole)
        else:
            share.keys, share.capacity, share.renew_at = keys, self._capacity(keys), renew_at
            share.whole = whole
        return share

    def expire(self, host: str) -> None:
        """Make the next request to `host` lease again (and so see a new penalty)."""
        share = self._shares.get(host)
        if share is not None:
            share.renew_at = 0.0

    async def close(self) -> None:
        """Give every share back (the run is over)."""
        keys = [key for share in self._shares.values() for key in share.keys]
        self._shares.clear()
        await asyncio.to_thread(hostleases.give_back, self.engine, keys, self.worker)


__all__ = ["HostSlots", "HostTaken", "penalize", "penalty_left"]
