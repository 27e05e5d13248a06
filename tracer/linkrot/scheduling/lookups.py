"""Archive look-ups beside the checks: their own queue, at the archive's pace.

A link with no capture anywhere is asked about in the Wayback Machine, so a dead link
can be reported with its archived copy and a link no archive has gets an archive need.
The archive allows a request every few seconds (config/archives.toml) where a host
answers checks by the dozen, so look-ups never hold a check back: they run in a task of
their own while the checks go on, and a run ends when its checks are done and its
look-ups are done or their budget (`check.lookup_budget`) is spent. What is left stays
due in the database (tracer.linkrot.scheduling.lookupqueue) for the next run.

Look-ups go host by host. A host with many due links is answered by one paged CDX
listing of `host/common-path*` (first capture of each URL, error pages left out), which
costs a request per page where asking each link costs a request per link. A host with
few due links is asked link by link, and so is a host whose listing once stopped at its
page cap (millions of captures); the listing's pages and the links asked after it never
add up to more requests than the host has due links.

An archive whose name does not resolve or that refuses connections is not asked again
in the run (the HTTP layer remembers the host); the report says so once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, runtime_checkable

from tracer.errors import ConnectError, DNSError, NetworkError, TLSError
from tracer.http.client import HTTPClient
from tracer.linkrot.clock import Clock
from tracer.linkrot.scheduling import hostleases
from tracer.linkrot.scheduling import lookupqueue as queue
from tracer.linkrot.scheduling.budget import HostSlots
from tracer.linkrot.scheduling.lookupqueue import Answer, Due
from tracer.linkrot.settings import CheckSettings
from tracer.locate.locator import build_archives, load_archive_configs
from tracer.plugins.archive import ArchiveConfig, Memento, capture_of
from tracer.store.upserts import Store
from tracer.urls import split_cached

if TYPE_CHECKING:
    from tracer.settings import Settings

log = logging.getLogger(__name__)
T = TypeVar("T")
#: due links read from the queue at a time, then asked host by host
ROUND = 20_000
#: hosts asked about at once: one waits for the archive's turn while another stores
LOOKAHEAD = 2
#: failed questions in a row after which the archive is left alone for the run
MAX_FAILURES = 3
#: seconds a worker's lease on a host's look-ups lasts beyond its expected asking time
LEASE_MARGIN = 120.0

#: runs one piece of database work the way the check run does (tracer.linkrot.scheduling.run)
DatabaseWork = Callable[..., Awaitable[Any]]


@runtime_checkable
class LookupArchive(Protocol):
    """What look-ups need of an archive adapter (the Wayback Machine's, as shipped)."""

    config: ArchiveConfig

    def prepare(self, http: HTTPClient) -> None: ...

    async def listing_page(
        self, prefix: str, http: HTTPClient, resume_key: str | None = None
    ) -> tuple[list[Memento], str | None]: ...

    async def availability(
        self, url: str, http: HTTPClient, when: datetime | None = None
    ) -> Memento | None: ...


def lookup_archive(
    settings: CheckSettings, configs: Mapping[str, ArchiveConfig] | None = None
) -> LookupArchive:
    """The Wayback Machine as the archive list configures it (its pace, its endpoints),
    with `check.availability_url` as its availability API."""
    if configs is None:
        from tracer.locate.locator import load_archive_configs
        from tracer.settings import Settings

        configs = load_archive_configs(Settings())
    config = configs.get("wayback")
    if config is None or config.kind != "wayback":
        config = ArchiveConfig(name="wayback", kind="wayback")
    config = replace(config, enabled=True, availability=settings.availability_url)
    (archive,) = build_archives([config])
    if not isinstance(archive, LookupArchive):
        raise TypeError(f"archive kind {config.kind!r} cannot list a host's captures")
    return archive


def archive_for_missing(settings: Settings, check: CheckSettings) -> LookupArchive | None:
    """Where a check looks up links with no capture: the Wayback Machine as the user's
    archive list has it (its pace and endpoints); None when `check.archive_missing` is off."""
    if not check.archive_missing:
        return None
    return lookup_archive(check, load_archive_configs(settings))


#: the counts of a LookupReport its JSON carries, in the order it writes them (the links
#: in `needed` travel as the check report's `archive_needed`)
_REPORTED_COUNTS = ("requests", "listings", "asked", "found", "failed", "pending", "unknown")


@dataclass
class LookupReport:
    """What the look-ups of one run did, and what they leave."""

    requests: int = 0  # archive requests sent
    listings: int = 0  # hosts answered by a listing
    asked: int = 0  # links answered (capture or none)
    found: int = 0  # links a capture was found for
    failed: int = 0  # links whose question failed (still due)
    unreachable: list[str] = field(default_factory=list)  # archives given up on, with why
    needed: list[str] = field(default_factory=list)  # links no archive has
    pending: int = 0  # links still due a look-up when the run ended
    unknown: int = 0  # watched links no archive has (their answer was "none")

    def json(self) -> dict[str, Any]:
        counts = {name: getattr(self, name) for name in _REPORTED_COUNTS}
        return {**counts, "unreachable": self.unreachable}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LookupReport:
        """A report as `json()` wrote it (another worker's, in `check --workers`)."""
        report = cls(unreachable=list(data["unreachable"]))
        for name in _REPORTED_COUNTS:
            setattr(report, name, int(data[name]))
        return report

    def joined(self, other: LookupReport) -> LookupReport:
        """This report with another worker's added: requests and answers add up; what is
        left pending or unknown is counted in the database as each worker ends, so the
        later count stands (the smaller pending, the larger unknown)."""
        return LookupReport(
            requests=self.requests + other.requests,
            listings=self.listings + other.listings,
            asked=self.asked + other.asked,
            found=self.found + other.found,
            failed=self.failed + other.failed,
            unreachable=list(dict.fromkeys([*self.unreachable, *other.unreachable])),
            needed=[*self.needed, *other.needed],
            pending=min(self.pending, other.pending),
            unknown=max(self.unknown, other.unknown),
        )


class _Stop(Exception):
    """The look-ups end for this run: the archive is unreachable or failing."""


def match_key(url: str) -> str:
    """A URL as an archive files it: no scheme, no www, no default port, no fragment."""
    parts = split_cached(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    port = parts.port if parts.port not in (None, 80, 443) else None
    key = f"{host}:{port}" if port else host
    key += parts.path or "/"
    return key + (f"?{parts.query}" if parts.query else "")


def listing_prefix(links: list[Due]) -> str:
    """The narrowest "host/path" under which every link lies, cut at a '/'."""
    keys = [match_key(link.url) for link in links]
    first, last = min(keys), max(keys)
    common = 0
    while common < min(len(first), len(last)) and first[common] == last[common]:
        common += 1
    prefix = first[:common]
    host_end = prefix.find("/")
    if host_end < 0:  # they differ within the host name: list the host
        return first.split("/", 1)[0] + "/"
    return prefix[: prefix.rfind("/") + 1]


class Lookups:
    """The look-up task of one check run."""

    def __init__(
        self,
        store: Store,
        http: HTTPClient,
        archive: LookupArchive,
        settings: CheckSettings,
        clock: Clock,
        worker: str,
        db: DatabaseWork,
        shared: bool,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.store = store
        self.http = http
        self.archive = archive
        self.settings = settings
        self.clock = clock
        self.worker = worker
        self._db = db
        self.report = LookupReport()
        archive.prepare(http)
        interval, concurrency = archive.config.interval, archive.config.concurrency
        # several workers keep the archive's pace together, as they keep each host's
        self.budget = HostSlots(store.engine, worker, concurrency, interval) if shared else None
        self._interval = interval
        self._failures = 0
        self._progress = progress
        self._total = 0  # links due a look-up when the run started

    # -- the run ---------------------------------------------------------------------------

    async def run(self, checks_done: asyncio.Event, started: float) -> LookupReport:
        """Ask until nothing is due, or the checks are done and the budget is spent; a
        request still waiting for the archive's turn then is dropped (it stays due)."""
        await self._db(hostleases.reclaim_orphans, self.store.engine)
        if self._progress is not None:
            self._total = await self._db(
                queue.count_due,
                self.store.engine,
                self.clock.now(),
                self.settings.archive_lookup_days,
                aside=True,
            )
            self._progress(0, self._total)
        asking = asyncio.create_task(self._ask_all())
        stopper = asyncio.create_task(self._stop_when_spent(asking, checks_done, started))
        try:
            await asyncio.wait({asking})
        finally:
            stopper.cancel()
            asking.cancel()
            if self.budget is not None:
                await self.budget.close()
        if not asking.cancelled() and asking.exception() is not None:
            exc = asking.exception()
            if not isinstance(exc, _Stop):
                raise exc  # type: ignore[misc]
        now = self.clock.now()
        ttl = self.settings.archive_lookup_days
        self.report.pending = await self._db(queue.count_due, self.store.engine, now, ttl)
        self.report.unknown = await self._db(queue.count_unknown, self.store.engine, now, ttl)
        return self.report

    async def _stop_when_spent(
        self, asking: asyncio.Task[None], checks_done: asyncio.Event, started: float
    ) -> None:
        budget = self.settings.lookup_budget
        await checks_done.wait()
        if not budget:
            return
        await asyncio.sleep(max(0.0, started + budget - time.monotonic()))
        asking.cancel()

    async def _ask_all(self) -> None:
        after = 0
        ttl = self.settings.archive_lookup_days
        while True:
            page = await self._db(
                queue.due_page, self.store.engine, self.clock.now(), ttl, after, ROUND, aside=True
            )
            if not page:
                return
            after = page[-1].node_id
            hosts: dict[str, list[Due]] = {}
            for link in page:
                hosts.setdefault(match_key(link.url).split("/", 1)[0], []).append(link)
            # the biggest hosts first: one listing answers most links soonest; a second
            # host's request waits for the archive's turn while the first one's answers
            # are stored (the HTTP layer's gate keeps the archive's pace either way)
            turns = asyncio.Semaphore(LOOKAHEAD)
            try:
                async with asyncio.TaskGroup() as group:
                    for host, links in sorted(hosts.items(), key=lambda item: -len(item[1])):
                        group.create_task(self._in_turn(turns, host, links))
            except* _Stop:
                raise _Stop from None

    async def _in_turn(self, turns: asyncio.Semaphore, host: str, links: list[Due]) -> None:
        async with turns:
            await self._host(host, links)

    async def _host(self, host: str, links: list[Due]) -> None:
        engine, now = self.store.engine, self.clock.now()
        lease = len(links) * max(self._interval, 1.0) + LEASE_MARGIN
        if not await self._db(queue.claim_host, engine, host, self.worker, now, lease):
            return  # another worker asks about this host's links
        try:
            due = await self._db(
                queue.still_due,
                engine,
                [link.node_id for link in links],
                now,
                self.settings.archive_lookup_days,
            )
            links = [link for link in links if link.node_id in due]
            if links:
                await self._answer(links)
        finally:
            await self._db(queue.release_host, engine, host, self.worker)

    async def _answer(self, links: list[Due]) -> None:
        """One listing where it is cheaper, else (and for what it left open) one by one."""
        left = links
        budget = len(links)  # never more archive requests than links
        prefix = listing_prefix(links)
        ttl = self.settings.archive_lookup_days
        if len(links) >= self.settings.lookup_listing_min and not await self._db(
            queue.truncated_listing, self.store.engine, prefix + "*", self.clock.now(), ttl
        ):
            pages = max(1, min(self.settings.lookup_listing_pages, len(links) // 2))
            left, spent = await self._listing(prefix, links, pages)
            budget -= spent
        for link in left[: max(budget, 0)]:
            await self._one(link)

    async def _listing(self, prefix: str, links: list[Due], pages: int) -> tuple[list[Due], int]:
        """Answer `links` from up to `pages` pages of the listing under `prefix`; returns
        the links it left open and the requests it cost."""
        wanted = {match_key(link.url): link for link in links}
        found: dict[str, Memento] = {}
        resume: str | None = None
        spent = 0
        complete = False
        while spent < pages:
            spent += 1
            try:
                mementos, resume = await self._ask(
                    self.archive.listing_page, prefix, self.http, resume
                )
            except NetworkError as exc:
                # the archive is struggling: the host's links wait for the next run
                log.warning("listing %s* failed: %s", prefix, exc)
                return [], spent
            for memento in mementos:
                key = match_key(memento.original_url)
                if key in wanted and key not in found:
                    found[key] = memento
            if not resume:
                complete = True
                break
        self.report.listings += 1
        now = self.clock.now()
        answers = [
            Answer(link, capture_of(found[key], link.node_id, "cdx-listing"))
            for key, link in wanted.items()
            if key in found
        ]
        if complete:
            # the listing holds every capture under the prefix: the rest have none
            answers += [Answer(link) for key, link in wanted.items() if key not in found]
        await self._store(answers)
        outcome = "ok" if complete else "truncated"
        await self._db(queue.record_listing, self.store, prefix + "*", outcome, len(found), now)
        left = [] if complete else [link for key, link in wanted.items() if key not in found]
        return left, spent

    async def _one(self, link: Due) -> None:
        try:
            memento = await self._ask(self.archive.availability, link.url, self.http)
        except NetworkError as exc:
            await self._store([Answer(link, error=str(exc))])
            return
        capture = capture_of(memento, link.node_id, "availability") if memento else None
        await self._store([Answer(link, capture)])

    async def _ask(self, method: Callable[..., Awaitable[T]], *args: Any) -> T:
        """One archive request under the shared pace; an unreachable or failing archive
        ends the look-ups of this run."""
        host = split_cached(self.archive.config.cdx or self.archive.config.availability).hostname
        try:
            if self.budget is not None and host:
                async with self.budget.slot(host):
                    result = await method(*args)
            else:
                result = await method(*args)
        except (DNSError, ConnectError) as exc:
            self.report.requests += 1
            if isinstance(exc, TLSError):
                raise self._failed(exc) from None
            self._give_up(f"{self.archive.config.name}: {exc}")
            raise _Stop from None
        except NetworkError as exc:
            self.report.requests += 1
            raise self._failed(exc) from None
        self.report.requests += 1
        self._failures = 0
        return result

    def _failed(self, exc: NetworkError) -> Exception:
        self._failures += 1
        if self._failures >= MAX_FAILURES:
            self._give_up(
                f"{self.archive.config.name}: {MAX_FAILURES} requests in a row failed ({exc})"
            )
            return _Stop()
        return exc

    def _give_up(self, why: str) -> None:
        """Note once that the archive is left alone for the rest of the run (requests to
        its other host, already on their way, fail the same way)."""
        if not self.report.unreachable:
            self.report.unreachable.append(why)

    async def _store(self, answers: list[Answer]) -> None:
        if not answers:
            return
        needed = await self._db(
            queue.store_answers, self.store, answers, self.clock.now(), aside=True
        )
        for answer in answers:
            if answer.error is not None:
                self.report.failed += 1
            else:
                self.report.asked += 1
                self.report.found += answer.capture is not None
        self.report.needed.extend(needed)
        if self._progress is not None:
            done = self.report.asked + self.report.failed
            self._progress(done, max(self._total, done))


__all__ = ["LookupArchive", "LookupReport", "Lookups", "lookup_archive", "match_key"]
