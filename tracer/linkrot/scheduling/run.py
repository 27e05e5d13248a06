"""One `tracer check` run by one worker: claim due links, check them host by host within
the politeness limits, and store each result as it comes.

The run is a small scheduler. Claimed links wait in per-host queues; a link starts when
its host has a free slot, so a thousand links on one host never hold up the other hosts,
and a host with more due links than it can serve soon gets the excess deferred (their
next-due time moved to when the host can take them) instead of holding leases. Results
go to one writer that commits them in small transactions as they arrive (through the
run's helper process when it has one, tracer.linkrot.scheduling.sidecar): a kill -9 loses at most
the checks in flight, and a restart re-checks nothing already stored.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections import deque
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar, Unpack

from sqlalchemy import Engine

from tracer.errors import NetworkError
from tracer.http.client import HTTPClient
from tracer.linkrot.classify import against_probe, classify
from tracer.linkrot.clock import Clock, SystemClock
from tracer.linkrot.outcomes import HEALTHY, Outcome
from tracer.linkrot.platform import PlatformStates
from tracer.linkrot.reading import spare_cores
from tracer.linkrot.report import LinkEntry, Report
from tracer.linkrot.scheduling import budget as host_budget
from tracer.linkrot.scheduling import hostclaims, leases
from tracer.linkrot.scheduling.budget import HostSlots, HostTaken
from tracer.linkrot.scheduling.forking import Forked
from tracer.linkrot.scheduling.leases import Link
from tracer.linkrot.scheduling.sidecar import Helpers, Opening
from tracer.linkrot.settings import CheckSettings
from tracer.linkrot.storing import Checked, ResultWriter
from tracer.linkrot.visit import Visit, Visitor
from tracer.store.model import CheckRun
from tracer.store.upserts import Store
from tracer.urls import host_of, split_cached

if TYPE_CHECKING:
    from tracer.linkrot.scheduling.lookups import LookupArchive, Lookups

log = logging.getLogger(__name__)
T = TypeVar("T")
#: seconds results gather before a transaction stores them, and the most it stores
STORE_WINDOW = 0.05
STORE_BATCH = 1000
#: tenths of a second a worker waits for a spent shared allowance to come back (another
#: worker's claim gives back what it did not use) before it ends its run
ALLOWANCE_PATIENCE = 10
#: checkers per request a host may have in flight (see _dispatch)
STAFF_PER_SLOT = 4
#: seconds a worker waits for a host another worker holds before it hands the host's
#: links back: a moment, for they are due again at once and the holder claims them at
#: its next claim (no other worker claims a host's links while its lease is held
#: elsewhere), while every moment the holder's queue of the host is empty leaves the
#: host idle. For as long, the worker's other requests to the host give up at once.
HANDOFF = 0.05
#: how long a worker that handed a host's links back stays to claim them, should the
#: holder finish first; it leaves sooner once no link is due (the holder took them)
HANDOFF_STAY = 0.5
#: seconds between two looks for free hosts by a worker serving fewer than it could
HOST_LOOK = 0.5
#: what a request holds when no other worker shares the hosts (no host budget)
_NO_SLOT: contextlib.AbstractAsyncContextManager[None] = contextlib.nullcontext()

#: called after each stored batch with (links checked so far, links due at the start)
Progress = Callable[[int, int], None]


class _Count:
    """An allowance's count in this process alone."""

    def __init__(self, value: int) -> None:
        self.value = value

    def get_lock(self) -> contextlib.nullcontext[None]:
        return contextlib.nullcontext()


class Allowance:
    """How many more links a run may claim (`--limit`). `shared` makes one for all the
    workers of `check --workers`: a counter in shared memory, made before the fork, so
    links one worker hands back to another count against the night, not the worker."""

    def __init__(self, limit: int, *, shared: bool = False) -> None:
        self.limit = limit
        self.shared = shared
        if shared:
            import multiprocessing

            self._left: Any = multiprocessing.Value("q", limit)
        else:
            self._left = _Count(limit)

    def left(self) -> int:
        return int(self._left.value)

    def take(self, wanted: int) -> int:
        """Up to `wanted` links this worker may claim now."""
        with self._left.get_lock():
            taken = min(wanted, int(self._left.value))
            self._left.value -= taken
        return taken

    def give(self, count: int) -> None:
        """Links taken and not checked here after all."""
        if count > 0:
            with self._left.get_lock():
                self._left.value += count


class RunOptions(TypedDict, total=False):
    """What the caller of a run may set besides its store, HTTP client and settings; None,
    or a key left out, takes the default."""

    #: the run's time (default: the system's; tests give one they move)
    clock: Clock | None
    #: the worker's name in leases (default: this machine's name and process id)
    worker: str | None
    #: the platform adapters that say when content is gone (default: the installed ones)
    adapters: Iterable[Any] | None
    #: whether hosts' request slots are shared with other workers (default: on PostgreSQL)
    shared_budget: bool | None
    #: told how many links are checked of how many claimed
    progress: Progress | None
    #: helper processes forked for the run before the event loop ran
    #: (tracer.linkrot.scheduling.sidecar)
    forked: list[Forked] | None
    #: the archive the look-ups ask (default: the Wayback Machine of the archive list)
    archive: LookupArchive | None
    #: told of the archive look-ups as `progress` is of the checks
    lookup_progress: Progress | None


class CheckRunner:
    def __init__(
        self,
        store: Store,
        http: HTTPClient,
        settings: CheckSettings,
        **options: Unpack[RunOptions],
    ) -> None:
        self.store = store
        self.forked = options.get("forked") or []
        self.engine = store.engine
        self.http = http
        self.settings = settings
        self.clock = options.get("clock") or SystemClock()
        self.worker = options.get("worker") or leases.worker_name()
        # in-process until run() knows how long the run is
        self.helpers = Helpers()
        self.visitor = Visitor(http, settings.max_body_bytes, self.helpers)
        self.writer = ResultWriter(store, settings, self.worker)
        self.platforms = PlatformStates(options.get("adapters"))
        shared_budget = options.get("shared_budget")
        if shared_budget is None:
            # several workers share a PostgreSQL database; SQLite runs one worker
            shared_budget = self.engine.dialect.name == "postgresql"
        policy = http.limits.default
        self.budget = (
            HostSlots(self.engine, self.worker, policy.concurrency, policy.interval)
            if shared_budget
            else None
        )
        # workers sharing a database divide it by hosts (tracer.linkrot.scheduling.hostclaims)
        self._by_hosts = self.budget is not None and self.engine.dialect.name == "postgresql"
        self.progress = options.get("progress")
        self.lookups: Lookups | None = None
        if settings.archive_missing:
            # imported only when asked for: the archive list and adapters are not needed
            # by a run with look-ups off
            from tracer.linkrot.scheduling.lookups import Lookups, lookup_archive

            self.lookups = Lookups(
                store,
                http,
                options.get("archive") or lookup_archive(settings),
                settings,
                self.clock,
                self.worker,
                self._db,
                shared=self.budget is not None,
                progress=options.get("lookup_progress"),
            )
        self._results: asyncio.Queue[Checked | None] = asyncio.Queue()
        self._finished = asyncio.Event()  # no more results will come
        # SQLite's work is CPU in this process: done in the loop's own thread it costs
        # less than handing the GIL to a worker thread and back for every batch.
        # PostgreSQL's is mostly waiting on the network, which a thread does not block on.
        self._db_inline = self.engine.dialect.name == "sqlite"
        # A claim is the loop's longest piece of work (milliseconds for a batch), so it
        # goes to a thread even on SQLite: the loop answers hosts meanwhile, and sqlite3
        # runs the statements without the GIL. Not for a database in this process's
        # memory, which each thread would see as a database of its own.
        self._aside_ok = _opening_url(self.engine) is not None

    async def _db(self, work: Callable[..., T], *args: Any, aside: bool = False) -> T:
        """Run one piece of database work (see _db_inline for where); `aside`: one long
        enough to be worth a thread wherever threads see the database."""
        if self._db_inline and not (aside and self._aside_ok):
            return work(*args)
        return await asyncio.to_thread(work, *args)

    # -- the run -------------------------------------------------------------------------

    async def run(
        self, limit: int | Allowance | None = None, time_budget: float | None = None
    ) -> Report:
        allowance = Allowance(limit) if isinstance(limit, int) else limit
        started = self.clock.now()
        report = Report(self.worker, started)
        if self._by_hosts:
            assert self.budget is not None
            # first of all, so workers started together see each other at their claims
            await self._db(hostclaims.enter, self.engine, self.worker, self.budget.window)
        if self.settings.watch_by_default:
            await self._db(leases.enrol, self.engine, started)
        await self._db(leases.reclaim_orphans, self.engine)
        due = await self._db(leases.count_due, self.engine, started)
        total = min(due, allowance.limit) if allowance is not None else due
        # helpers asked for by number work from the first page; automatic ones join in
        # when they are up
        await self.helpers.start(
            self._reader_workers(total),
            opening=self._opening(),
            local_store=self._store_here,
            wait=self.settings.reader_workers > 0,
            forked=self.forked,
        )
        run_id = await self._db(self._open_run, started)
        writer = asyncio.create_task(self._write(report, total))
        budget = time_budget if time_budget is not None else self.settings.time_budget
        deadline = time.monotonic() + budget if budget else None
        # look-ups go on beside the checks at the archive's pace, never in their way
        checks_done = asyncio.Event()
        looking = (
            asyncio.create_task(self.lookups.run(checks_done, time.monotonic()))
            if self.lookups is not None
            else None
        )
        try:
            await self._dispatch(allowance, deadline)
        except BaseException:
            if looking is not None:
                looking.cancel()
            raise
        finally:
            self._finished.set()
            await self._results.put(None)
            try:
                await writer
            finally:
                await self.helpers.close()  # none outlives the run, even a failed one
                checks_done.set()
                if self.budget is not None:
                    await self.budget.close()
                if self._by_hosts:
                    await self._db(hostclaims.leave, self.engine, self.worker)
        if looking is not None:
            report.lookups = await looking
            report.archive_needed.extend(report.lookups.needed)
            await self._with_archived_copies(report)
        report.finished_at = self.clock.now()
        report.remaining = await self._db(leases.count_due, self.engine, report.finished_at)
        summary = report.summary()
        if self.settings.webhook_url:
            summary["webhook"] = await self._post_webhook(summary)
        await self._db(self._close_run, run_id, report, summary)
        return report

    def _opening(self) -> Opening | None:
        """What a helper needs to store this run's checks; None: only this process can
        (a database in this process's memory)."""
        url = _opening_url(self.engine)
        return None if url is None else Opening(url, self.settings, self.worker)

    async def _store_here(self, batch: list[Checked], recovering: bool) -> list[LinkEntry]:
        return await self._db(self.writer.write, batch, recovering)

    def _reader_workers(self, links: int) -> int:
        """Helper processes for a run of `links` links (see settings)."""
        return helpers_wanted(self.settings, links)

    async def _dispatch(self, allowance: Allowance | None, deadline: float | None) -> None:
        """Check the due links host by host until none is left, the deadline passes or
        the allowance is spent (see _Dispatch)."""
        await _Dispatch(self, allowance, deadline).run()

    def _most_hosts(self) -> int:
        """Hosts a worker serves at once: those the dispatcher keeps busy, with
        STAFF_PER_SLOT checkers per request a host may have in flight and STAFF_PER_SLOT
        per request the worker may. A host claimed beyond them would wait for a checker
        while its lease ran out, or while another worker could have checked it."""
        policy = self.http.limits.default
        return max(1, self.http.settings.max_concurrency // policy.concurrency)

    def _claim(self, now: datetime, size: int, serving: list[str], most: int) -> list[Link]:
        """Up to `size` due links for this worker; `serving`: hosts it has links of;
        `most`: hosts it may serve (0: no host added, links of its own hosts only)."""
        if not self._by_hosts:
            return leases.claim(self.engine, self.worker, now, self.settings.lease_seconds, size)
        assert self.budget is not None
        return hostclaims.claim(
            self.engine,
            self.worker,
            now,
            self.settings.lease_seconds,
            size,
            keys=self.budget.keys,
            window=self.budget.window,
            most=most,
            serving=serving,
        )

    async def _defer(self, now: datetime, deferred: list[tuple[int, float]]) -> float:
        """Move links a busy host cannot serve soon; returns the latest delay in seconds."""
        # group by whole seconds so a thousand deferrals are a handful of statements
        groups: dict[int, list[int]] = {}
        for node_id, delay in deferred:
            groups.setdefault(int(delay) + 1, []).append(node_id)
        for seconds, ids in groups.items():
            await self._db(
                leases.defer, self.engine, self.worker, ids, now + timedelta(seconds=seconds)
            )
        return float(max(groups))

    # -- one link ------------------------------------------------------------------------

    def _slot(self, host: str) -> contextlib.AbstractAsyncContextManager[None]:
        if self.budget is None:
            return _NO_SLOT
        return self.budget.slot(host, patience=HANDOFF)

    async def _check(self, link: Link, host: str) -> None:
        started = time.monotonic()
        outcome: Outcome | None = None
        visit: Visit | None = None
        try:
            if self.platforms.handles(link.platform):
                outcome = await self.platforms.state(link.platform, link.url, self.http)
            if outcome is None:
                async with self._slot(host):
                    visit = await self.visitor.visit(
                        link.url,
                        etag=link.state.etag,
                        last_modified=link.state.last_modified,
                        prefer_head=bool((link.attributes.get("linkrot") or {}).get("head")),
                    )
                    outcome = await self._classify(link, visit)
                if outcome == Outcome.RATE_LIMITED and self.budget is not None and visit:
                    # every worker backs off; a 429 without Retry-After means a minute
                    wait = 60.0 if visit.retry_after is None else visit.retry_after
                    wait = min(wait, self.http.settings.backoff_max)
                    if wait > 0:
                        await asyncio.to_thread(host_budget.penalize, self.engine, host, wait)
                        self.budget.expire(host)  # its next request sees the penalty
        except (asyncio.CancelledError, HostTaken):
            raise
        except Exception as exc:  # one bad link must not end the night's run
            log.error("checking %s failed: %r", link.url, exc)
            outcome = Outcome.CONNECTION_FAILED
            visit = None
        seen = visit.seen if visit else None
        await self._results.put(
            Checked(
                node_id=link.node_id,
                url=link.url,
                outcome=outcome,
                checked_at=self.clock.now(),
                state=link.state,
                archived=link.archived,
                head_known=bool((link.attributes.get("linkrot") or {}).get("head")),
                status_code=seen.status_code if seen else None,
                final_url=seen.final_url if seen else None,
                fingerprint=seen.fingerprint if seen else None,
                etag=visit.etag if visit else None,
                last_modified=visit.last_modified if visit else None,
                error=str(seen.error) if seen and seen.error else None,
                prefer_head=visit.prefer_head if visit else None,
                elapsed_ms=int((time.monotonic() - started) * 1000),
            )
        )

    async def _classify(self, link: Link, visit: Visit) -> Outcome:
        seen = visit.seen
        previous = link.state.content_hash
        threshold = self.settings.change_threshold_bits
        outcome = classify(seen, previous, None, threshold)
        if (
            outcome in HEALTHY
            and seen.method == "GET"
            and seen.status_code is not None
            and 200 <= seen.status_code < 300
            and seen.fingerprint
            and split_cached(link.url).path not in ("", "/")
        ):
            # a 200 that might be the host's answer to anything: compare with a path
            # that cannot exist on it
            probe = await self.visitor.probe(link.url)
            outcome = against_probe(seen, outcome, probe)
        return outcome

    async def _with_archived_copies(self, report: Report) -> None:
        """Give dead links the copies the look-ups found after their checks were stored."""
        missing = [
            entry["url"] for entry in report.dead + report.newly_dead if not entry["archived"]
        ]
        if not missing:
            return
        copies = await self._db(leases.archived_copies, self.engine, missing)
        for entry in report.dead + report.newly_dead:
            entry["archived"] = entry["archived"] or copies.get(entry["url"])

    # -- storing -------------------------------------------------------------------------

    async def _write(self, report: Report, total: int) -> None:
        stop = False
        while not stop:
            first = await self._results.get()
            batch: list[Checked] = []
            if first is None:
                stop = True
            else:
                batch.append(first)
                # let a few more arrive: a transaction per handful of results cost more
                # than the results themselves, and a kill loses at most this window;
                # once the checking is over, nothing more is coming
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(STORE_WINDOW):
                        await self._finished.wait()
            while not self._results.empty() and len(batch) < STORE_BATCH:
                item = self._results.get_nowait()
                if item is None:
                    stop = True
                    break
                batch.append(item)
            if not batch:
                continue
            entries = await self.helpers.store(batch)
            for entry in entries:
                report.add(entry)
            if self.progress is not None:
                self.progress(report.checked, total)

    def _open_run(self, started: datetime) -> int:
        with self.store.session() as session:
            row = CheckRun(worker=self.worker, started_at=started, report={})
            session.add(row)
            session.flush()
            assert row.id is not None
            return row.id

    def _close_run(self, run_id: int, report: Report, summary: dict[str, Any]) -> None:
        with self.store.session() as session:
            row = session.get(CheckRun, run_id)
            if row is None:
                return
            row.finished_at = report.finished_at
            row.checked = report.checked
            row.report = summary
            session.add(row)

    async def _post_webhook(self, summary: dict[str, Any]) -> str:
        body = json.dumps(summary, ensure_ascii=False).encode()
        try:
            fetched = await self.http.fetch(
                self.settings.webhook_url,
                method="POST",
                content=body,
                headers={"Content-Type": "application/json"},
            )
        except NetworkError as exc:
            log.warning("webhook %s failed: %s", self.settings.webhook_url, exc)
            return f"failed: {exc}"
        if not fetched.ok:
            return f"failed: HTTP {fetched.status_code}"
        return "sent"


class _Dispatch:
    """One run's dispatcher: it claims due links in batches, queues them by host, and
    keeps every host with queued links served by its checkers, within the politeness
    limits, until no link is left, the deadline passes or the allowance is spent.

    The claiming loop and the checkers share the queues and counters below; they live
    on one object (one event loop, no locks needed) so that each step is a method that
    says what it decides and why.
    """

    def __init__(
        self, runner: CheckRunner, allowance: Allowance | None, deadline: float | None
    ) -> None:
        self.runner = runner
        self.allowance = allowance
        self.deadline = deadline
        policy = runner.http.limits.default
        per_host = policy.concurrency
        self.cap = runner.http.settings.max_concurrency
        # seconds per link a busy host needs at best; a host's queue holds what it can
        # serve well within the lease, and links beyond are deferred instead of leased
        self.pace = max(policy.interval, 0.1) / per_host
        # four checkers per request a host may have in flight: a checker's page is read
        # in the helper after its answer came (at the 90th percentile that takes as long
        # as the request), and meanwhile the other checkers keep the host's slots busy;
        # the HTTP layer's host slots still keep the host to its limit
        self.staff = STAFF_PER_SLOT * per_host
        self.backlog = max(int(runner.settings.lease_seconds / 2 / self.pace), 16)
        # claim again while fewer links wait than would keep every host busy: a few per
        # slot, so a host whose queue runs dry between two claims is the exception (a host
        # idling while others have work is time the run can never win back)
        self.low_water = max(runner.settings.batch_size // 2 + 1, 4 * self.cap)
        # (workers dividing hosts) a worker adds hosts at its first claim, when one of its
        # hosts is done, and every HOST_LOOK while it serves fewer than it could; its
        # other claims take links of its own hosts, leaving free hosts a moment to
        # workers started with it. A host left free would otherwise wait for a worker
        # that can check it while this one's other hosts keep it above the low water.
        self.most = runner._most_hosts()
        self.pending: dict[str, deque[Link]] = {}  # links queued per host
        self.runners: dict[str, int] = {}  # running checkers per host
        self.tasks: set[asyncio.Task[None]] = set()
        self.wake = asyncio.Event()  # a checker ended, or links run low
        self.exhausted = False  # no link is due any more
        self.next_claim = 0.0  # monotonic time before which no claim is tried
        self.next_look = 0.0  # monotonic time of the next look for free hosts
        self.deferred_until = 0.0  # monotonic time when the last deferred link falls due
        self.handed_until = 0.0  # until when links handed to another worker may come back
        self.waiting = 0  # links queued, not yet started
        self.running = 0  # checkers at work (counted in the checker, not its task's callback)

    async def run(self) -> None:
        while True:
            now_mono = time.monotonic()
            stopping = self.deadline is not None and now_mono >= self.deadline
            room = self.allowance is None or self.allowance.left() > 0
            if stopping and self.waiting:
                await self._release_unstarted()
            by_hosts = self.runner._by_hosts
            serving = [host for host, queue in self.pending.items() if queue] if by_hosts else []
            adding = by_hosts and len(serving) < self.most and now_mono >= self.next_look
            if (
                not stopping
                and not self.exhausted
                and room
                and (self.waiting < self.low_water or adding)
                and now_mono >= self.next_claim
            ):
                await self._claim(now_mono, serving, adding)
            self.wake.clear()
            self._staff_hosts()
            if not self.running and not self.waiting:
                await asyncio.gather(*self.tasks)  # their last steps, so none outlives the run
                if self.exhausted or stopping:
                    return
                if not room and not await self._allowance_back():
                    return
                await asyncio.sleep(max(0.0, self.next_claim - time.monotonic()))
                continue
            # until links run low, a checker ends, or it is time to look around
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(0.5):
                    await self.wake.wait()

    async def _allowance_back(self) -> bool:
        """Whether a spent shared allowance comes back within a moment. Another worker's
        claim takes its share before it knows how many links it gets and gives back what
        it did not get: a worker that left when it saw none left could leave the night's
        links unchecked by anyone (both workers of `--limit 5` once checked 0). Bounded, so
        a worker killed during its claim keeps no one waiting."""
        if self.allowance is None or not self.allowance.shared:
            return False
        for _ in range(ALLOWANCE_PATIENCE):
            await asyncio.sleep(0.1)
            if self.allowance.left() > 0:
                return True
        return False

    async def _release_unstarted(self) -> None:
        """The budget is spent: links not yet started go back for the next run."""
        runner = self.runner
        await runner._db(
            leases.release,
            runner.engine,
            runner.worker,
            [link.node_id for queue in self.pending.values() for link in queue],
        )
        for queue in self.pending.values():
            queue.clear()
        self.waiting = 0

    async def _claim(self, now_mono: float, serving: list[str], adding: bool) -> None:
        """Claim a batch of due links (`adding`: hosts may be added to `serving`) and
        queue them; the allowance gets back what the claim did not use."""
        runner = self.runner
        size = runner.settings.batch_size
        if self.allowance is not None:
            size = self.allowance.take(size)
            if size == 0:
                # another worker took the rest since the loop looked: a claim of no links
                # would still lease free hosts a moment, and that worker's claim, finding
                # them held, would get none and end its run (both workers of `--limit 5`
                # then checked 0). The loop waits for the allowance instead.
                self.next_claim = now_mono + 0.1
                return
        now = runner.clock.now()
        links = await runner._db(
            runner._claim, now, size, serving, self.most if adding else 0, aside=True
        )
        if adding:
            self.next_look = now_mono + HOST_LOOK
        if self.allowance is not None:
            self.allowance.give(size - len(links))
        if not links:
            await self._when_none_due(now_mono, now, adding)
        await self._enqueue(links, now, now_mono)

    async def _when_none_due(self, now_mono: float, now: datetime, adding: bool) -> None:
        """A claim found nothing: decide when to claim again, or that the run is done."""
        runner = self.runner
        if now_mono < self.deferred_until:
            self.next_claim = now_mono + 0.5  # deferred links fall due within the run
        elif (
            now_mono < self.handed_until
            and await runner._db(leases.count_due, runner.engine, now) > 0
        ):
            self.next_claim = now_mono + 0.1  # the holder has not claimed them yet
        elif runner._by_hosts and not adding:
            # none of its hosts' links are due, and it may not add a host
            # yet: again once one of its hosts is done, or at the next look
            self.next_claim = now_mono + HOST_LOOK
        else:
            self.exhausted = True

    async def _enqueue(self, links: list[Link], now: datetime, now_mono: float) -> None:
        """Queue claimed links by host; those beyond what a host can serve within the
        lease are deferred (their next due time moved) rather than held."""
        deferred: list[tuple[int, float]] = []
        for link in links:
            queue = self.pending.setdefault(host_of(link.url), deque())
            if len(queue) >= self.backlog:
                deferred.append((link.node_id, len(queue) * self.pace))
                continue
            queue.append(link)
            self.waiting += 1
        if deferred:
            if self.allowance is not None:
                self.allowance.give(len(deferred))
            latest = await self.runner._defer(now, deferred)
            self.deferred_until = max(self.deferred_until, now_mono + latest + 0.5)

    def _staff_hosts(self) -> None:
        """Give hosts with queued links their checkers, within the global cap; forget
        hosts with neither links nor checkers."""
        for host, queue in list(self.pending.items()):
            if not queue:
                if host not in self.runners:
                    del self.pending[host]
                continue
            while (
                self.runners.get(host, 0) < min(self.staff, len(queue))
                and self.running < STAFF_PER_SLOT * self.cap
            ):
                self.runners[host] = self.runners.get(host, 0) + 1
                self.running += 1
                task = asyncio.create_task(self._serve(host, queue))
                task.add_done_callback(self._forget)
                self.tasks.add(task)

    async def _serve(self, host: str, queue: deque[Link]) -> None:
        """One of a host's checkers: its links one after another, until none is left."""
        try:
            while queue:
                link = queue.popleft()
                self.waiting -= 1
                if self.waiting < self.low_water:
                    self.wake.set()  # time to claim more
                try:
                    await self.runner._check(link, host)
                except HostTaken:
                    await self._hand_back(link, queue)
        finally:
            self._checker_ended(host, queue)

    async def _hand_back(self, link: Link, queue: deque[Link]) -> None:
        """Another worker holds the host: its links go back, due now, for that worker to
        claim, and this run stays a moment to claim them should that worker be done."""
        runner = self.runner
        handed = [link, *queue]
        self.waiting -= len(queue)
        queue.clear()
        if self.allowance is not None:
            self.allowance.give(len(handed))  # not checked here after all
        await runner._db(
            leases.defer,
            runner.engine,
            runner.worker,
            [other.node_id for other in handed],
            runner.clock.now(),
        )
        self.handed_until = max(self.handed_until, time.monotonic() + HANDOFF_STAY)
        self.exhausted = False

    def _checker_ended(self, host: str, queue: deque[Link]) -> None:
        if not queue and self.runner._by_hosts:
            self.next_claim = self.next_look = 0.0  # room for another host: look at once
        self.running -= 1
        self.runners[host] -= 1
        if not self.runners[host]:
            del self.runners[host]
            if not queue and self.pending.get(host) is queue:
                del self.pending[host]
        self.wake.set()

    def _forget(self, task: asyncio.Task[None]) -> None:
        self.tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("checking failed: %r", task.exception())


def _opening_url(engine: Engine) -> str | None:
    """The URL another thread or process opens `engine`'s database by; None for a
    database in this process's memory."""
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        return None
    return url.render_as_string(hide_password=False)


def helpers_wanted(settings: CheckSettings, links: int | None = None) -> int:
    """Helper processes for a run of `links` links (see settings); with `links` not
    known yet, for a run long enough to want them."""
    if settings.reader_workers >= 0:
        return settings.reader_workers
    if not spare_cores():
        return 0
    return 1 if links is None or links >= settings.reader_min_links else 0


async def check_links(
    store: Store,
    http: HTTPClient,
    settings: CheckSettings,
    *,
    limit: int | Allowance | None = None,
    time_budget: float | None = None,
    **options: Unpack[RunOptions],
) -> Report:
    """Check the due links once; the library form of `tracer check`, with the run's
    `options` (RunOptions: the look-ups' archive, forked helpers, progress, ...)."""
    runner = CheckRunner(store, http, settings, **options)
    return await runner.run(limit=limit, time_budget=time_budget)
