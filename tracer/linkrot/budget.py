"""Per-host politeness shared by every worker, through the HostBudget table.

The HTTP layer keeps one process polite; several `tracer check` processes on several
machines need one account per host. A request may start when the host is not penalised
(a 429 told us to wait), its next allowed moment has passed and fewer than the allowed
number of requests are in flight. One conditional UPDATE takes the slot, so two workers
racing for the last slot cannot both win. A worker killed mid-request leaks its in-flight
count; a host with no new request for `stale_seconds` starts counting afresh.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, case, or_, update
from sqlalchemy.dialects import postgresql, sqlite

from tracer.model import HostBudget

BUDGET = HostBudget.__table__  # type: ignore[attr-defined]


def _now() -> datetime:
    # politeness is about real seconds, whatever clock the scheduling runs on
    return datetime.now(UTC)


class SharedHostBudget:
    def __init__(
        self, engine: Engine, concurrency: int, interval: float, stale_seconds: float = 120.0
    ) -> None:
        self.engine = engine
        self.concurrency = concurrency
        self.interval = timedelta(seconds=interval)
        self.stale = timedelta(seconds=stale_seconds)
        self._known: set[str] = set()

    def _ensure(self, host: str) -> None:
        if host in self._known:
            return
        insert = postgresql.insert if self.engine.dialect.name == "postgresql" else sqlite.insert
        with self.engine.begin() as connection:
            connection.execute(
                insert(BUDGET).values(host=host, in_flight=0).on_conflict_do_nothing()
            )
        self._known.add(host)

    def try_acquire(self, host: str) -> bool:
        self._ensure(host)
        now = _now()
        stale = or_(BUDGET.c.next_allowed_at.is_(None), BUDGET.c.next_allowed_at < now - self.stale)
        statement = (
            update(BUDGET)
            .where(
                BUDGET.c.host == host,
                or_(BUDGET.c.penalty_until.is_(None), BUDGET.c.penalty_until <= now),
                or_(BUDGET.c.next_allowed_at.is_(None), BUDGET.c.next_allowed_at <= now),
                or_(BUDGET.c.in_flight < self.concurrency, stale),
            )
            .values(
                in_flight=case((stale, 1), else_=BUDGET.c.in_flight + 1),
                next_allowed_at=now + self.interval,
            )
        )
        with self.engine.begin() as connection:
            return (connection.execute(statement).rowcount or 0) == 1

    def release(self, host: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(BUDGET)
                .where(BUDGET.c.host == host, BUDGET.c.in_flight > 0)
                .values(in_flight=BUDGET.c.in_flight - 1)
            )

    def penalize(self, host: str, seconds: float) -> None:
        """Every worker leaves `host` alone for `seconds` (it answered 429)."""
        self._ensure(host)
        until = _now() + timedelta(seconds=seconds)
        with self.engine.begin() as connection:
            connection.execute(
                update(BUDGET)
                .where(
                    BUDGET.c.host == host,
                    or_(BUDGET.c.penalty_until.is_(None), BUDGET.c.penalty_until < until),
                )
                .values(penalty_until=until)
            )

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        wait = 0.01
        while not await asyncio.to_thread(self.try_acquire, host):
            await asyncio.sleep(wait)
            wait = min(wait * 2, 0.05)
        try:
            yield
        finally:
            await asyncio.to_thread(self.release, host)


__all__ = ["SharedHostBudget"]
