"""Preserving cited posts: public archives (Save Page Now, archive.today) and local WARCs.

`preserve(urls, ...)` asks every configured saver to capture each URL and takes a local
snapshot; `preserve_pending(...)` does the same for every stored node that has no recent
capture. Both are idempotent and resumable through the store: an ArchiveAttempt row is
written the moment a submission is about to leave (outcome "pending"), then finished
with ok / refused / failed and the reason, so a run killed at any point is continued by
the next one, which resumes unfinished jobs instead of submitting them again.

The savers are found like the archives: by the `tracer.savers` entry-point group, with
the built-in ones as a fallback while that group is not declared, so the core names no
specific archive in code.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypedDict, Unpack
from urllib.parse import urlsplit

from sqlmodel import Session, col, select

from tracer.errors import ConfigError, InputError, NetworkError
from tracer.http.client import HTTPClient
from tracer.plugins.loader import SAVERS, build, installed
from tracer.plugins.saver import Outcome, Saver, SaveResult, Unfinished
from tracer.preservation.settings import PreserveSettings
from tracer.settings import Settings
from tracer.store.model import ArchiveAttempt, Capture, Node, NodeStatus, Snapshot, as_utc, utcnow
from tracer.store.serialize import format_time
from tracer.store.upserts import Store
from tracer.urls import host_of

# -- settings --------------------------------------------------------------------------


def preserve_settings(settings: Settings) -> PreserveSettings:
    """The [preserve] section of the effective settings."""
    return settings.preserve


# -- results ---------------------------------------------------------------------------


@dataclass
class ArchiveResult:
    """Everything done to preserve one URL: one result per archive, and the local copy."""

    url: str
    node_id: int | None
    results: list[SaveResult] = field(default_factory=list)
    snapshot: Snapshot | None = None
    snapshot_error: str | None = None

    def as_json(self) -> dict[str, Any]:
        snapshot = None
        if self.snapshot is not None:
            snapshot = {"sha256": self.snapshot.sha256, "warc": self.snapshot.warc_path}
        return {
            "url": self.url,
            "results": [r.as_json() for r in self.results],
            "snapshot": snapshot,
        }


def load_savers(settings: PreserveSettings, names: Sequence[str] | None = None) -> dict[str, Saver]:
    """The savers named in the settings (or `names`), configured."""
    wanted = list(names if names is not None else settings.archives)
    found = installed(SAVERS)
    savers: dict[str, Saver] = {}
    for name in wanted:
        if name not in found:
            known = ", ".join(sorted(found))
            raise InputError(f"unknown archive {name!r} to save to (known: {known})")
        saver = build(found[name], Saver, lambda factory: factory.from_settings(settings))
        if saver is None:
            raise ConfigError(f"saver {name!r} cannot be loaded or is not a Saver")
        savers[name] = saver
    return savers


# -- the store side --------------------------------------------------------------------


class _AttemptJournal:
    """Writes one ArchiveAttempt row through the life of one submission."""

    def __init__(
        self, store: Store, node_id: int | None, url: str, archive: str, row_id: int | None
    ) -> None:
        self.store, self.node_id, self.url, self.archive = store, node_id, url, archive
        self.row_id = row_id

    def _row(self, session: Session, outcome: str) -> ArchiveAttempt:
        """The submission's stored row, or a new one (submitted now) when it has none yet,
        or when its row is gone."""
        row = session.get(ArchiveAttempt, self.row_id) if self.row_id else None
        if row is None:
            row = ArchiveAttempt(
                node_id=self.node_id,
                url=self.url,
                archive=self.archive,
                outcome=outcome,
                submitted_at=utcnow(),
            )
        return row

    def submitting(self) -> None:
        with self.store.session() as session:
            row = self._row(session, Outcome.PENDING)
            row.outcome, row.reason = Outcome.PENDING, "submitted; no answer yet"
            row.job_id, row.submitted_at, row.finished_at = None, utcnow(), None
            session.add(row)
            session.flush()
            self.row_id = row.id

    def submitted(self, job_id: str | None) -> None:
        if self.row_id is None:
            self.submitting()
        with self.store.session() as session:
            row = session.get(ArchiveAttempt, self.row_id)
            if row is not None:
                row.job_id = job_id
                session.add(row)

    def finish(self, result: SaveResult) -> None:
        with self.store.session() as session:
            row = self._row(session, str(result.outcome))
            row.outcome, row.reason = str(result.outcome), result.reason
            row.memento_url = result.url
            row.job_id = result.job_id or row.job_id
            row.finished_at = None if result.outcome == Outcome.PENDING else utcnow()
            session.add(row)
            if result.outcome == Outcome.OK and result.url and self.node_id is not None:
                self.store.upsert_capture(
                    Capture(
                        node_id=self.node_id,
                        archive=self.archive,
                        memento_url=result.url,
                        original_url=self.url,
                        captured_at=result.captured_at or utcnow(),
                        found_by="save",
                    ),
                    session,
                )


@dataclass
class _History:
    """What the store knows of one URL in one archive."""

    captured: Capture | None = None  # the newest capture within the window
    latest: ArchiveAttempt | None = None
    failures: int = 0  # failed attempts since the last success


def _history(
    store: Store, node_id: int | None, url: str, archive: str, since: datetime
) -> _History:
    history = _History()
    with store.session() as session:
        if node_id is not None:
            history.captured = session.exec(
                select(Capture)
                .where(
                    col(Capture.node_id) == node_id,
                    col(Capture.archive) == archive,
                    col(Capture.captured_at) >= since,
                )
                .order_by(col(Capture.captured_at).desc())
            ).first()
        attempts = session.exec(
            select(ArchiveAttempt)
            .where(col(ArchiveAttempt.url) == url, col(ArchiveAttempt.archive) == archive)
            .order_by(col(ArchiveAttempt.id).desc())
        ).all()
    if attempts:
        history.latest = attempts[0]
    for attempt in attempts:
        if attempt.outcome == Outcome.OK:
            break
        if attempt.outcome == Outcome.FAILED:
            history.failures += 1
    return history


def _given_up(history: _History, settings: PreserveSettings, now: datetime) -> str | None:
    """Why --pending leaves this URL alone in this archive, or None to go ahead."""
    latest = history.latest
    if latest is None:
        return None
    if latest.outcome == Outcome.REFUSED:
        finished = as_utc(latest.finished_at) or now
        if now - finished < timedelta(seconds=settings.refusal_cooldown):
            return f"refused {finished:%Y-%m-%d}: {latest.reason}"
    if history.failures >= settings.max_failures:
        return f"gave up after {history.failures} failures; last: {latest.reason}"
    return None


def node_for_url(store: Store, url: str) -> Node:
    """The stored node of `url`, created as a plain page when the store has none."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"not a web URL: {url!r}")
    with store.session() as session:
        found = session.exec(
            select(Node).where(
                (col(Node.canonical_url) == url)
                | (col(Node.url) == url)
                | (col(Node.identity) == url)
            )
        ).first()
    if found is not None:
        return found
    return store.upsert_node(_identify(url))


def _identify(url: str) -> Node:
    """A node for a URL given on the command line, canonical if a platform adapter knows it."""
    from tracer.plugins.installed import platform_adapters

    # the adapters are loaded once per process, not once per URL; a broken one is skipped
    for adapter in platform_adapters():
        identity = adapter.parse(url)
        if identity is not None:
            return Node.from_identity(identity, url=url, status=NodeStatus.UNRESOLVED)
    return Node.web_page(url)


def node_url(node: Node) -> str | None:
    return node.canonical_url or node.url


# -- orchestration ---------------------------------------------------------------------


def snapshot_directory(settings: PreserveSettings) -> Path:
    from tracer.settings import user_data_dir

    return (
        Path(settings.snapshot_dir).expanduser()
        if settings.snapshot_dir
        else (user_data_dir() / "snapshots")
    )


@dataclass
class _Run:
    store: Store
    http: HTTPClient
    settings: PreserveSettings
    savers: dict[str, Saver]
    snapshot: bool
    pending_mode: bool
    now: datetime
    #: archives found unreachable in this run (name -> why); each one is set when found,
    #: so submissions queued behind an archive's pacing stop waiting for it at once
    down: dict[str, str] = field(default_factory=dict)
    _went_down: dict[str, asyncio.Event] = field(default_factory=dict)

    @classmethod
    def start(
        cls,
        store: Store,
        http: HTTPClient,
        settings: PreserveSettings | None,
        choices: Choices,
        *,
        pending_mode: bool,
    ) -> _Run:
        """A run as `preserve` and `preserve_pending` are asked for it: what is not given
        (settings, savers, whether to snapshot) comes from the settings."""
        settings = settings or PreserveSettings()
        savers, snapshot = choices.get("savers"), choices.get("snapshot")
        return cls(
            store,
            http,
            settings,
            dict(savers) if savers is not None else load_savers(settings, choices.get("archives")),
            settings.snapshot if snapshot is None else snapshot,
            pending_mode=pending_mode,
            now=utcnow(),
        )

    @property
    def since(self) -> datetime:
        return self.now - timedelta(seconds=self.settings.window)

    def went_down(self, name: str) -> asyncio.Event:
        return self._went_down.setdefault(name, asyncio.Event())

    def mark_down(self, name: str, error: NetworkError) -> bool:
        """Remember `name` as down when `error`'s host is one the HTTP client gave up on
        (no such name, connection refused); True if it is."""
        unreachable = self.http.unreachable
        reason = unreachable.get(host_of(error.url)) if error.url else None
        if reason is None:
            # the failure that made the client give up may carry no URL: its message does
            message = str(error)
            reason = next((r for r in unreachable.values() if message.startswith(r)), None)
        if reason is None:
            return False
        self.down.setdefault(name, reason)
        self.went_down(name).set()
        return True

    def not_asked(self, name: str) -> SaveResult:
        """The answer for an archive found down earlier in this run; nothing is stored, since
        the archive was never asked."""
        reason = f"not asked: unreachable in this run ({self.down[name]})"
        return SaveResult(name, Outcome.FAILED, reason=reason, retryable=True, submitted=False)


class Choices(TypedDict, total=False):
    """What the caller of `preserve` or `preserve_pending` may choose; None, or a key left
    out, leaves it to the settings."""

    #: the archives to save in, by name (default: the settings' `archives`)
    archives: Sequence[str] | None
    #: whether to take a local WARC snapshot as well (default: the settings' `snapshot`)
    snapshot: bool | None
    #: the savers by archive name, instead of the installed ones (tests, embedding)
    savers: Mapping[str, Saver] | None
    #: told each URL's outcome as soon as it is known
    on_result: Callable[[ArchiveResult], None] | None


async def preserve(
    urls: Sequence[str],
    store: Store,
    http: HTTPClient,
    settings: PreserveSettings | None = None,
    **choices: Unpack[Choices],
) -> list[ArchiveResult]:
    """Preserve each URL in every configured archive and locally; results in input order.

    A URL captured within the window is not submitted again (its stored capture is
    reported), and a submission an interrupted run left unfinished is resumed.
    """
    nodes = [node_for_url(store, url) for url in urls]
    run = _Run.start(store, http, settings, choices, pending_mode=False)
    return await _preserve_nodes(
        [(node, url) for node, url in zip(nodes, urls, strict=True)], run, choices.get("on_result")
    )


async def preserve_pending(
    store: Store,
    http: HTTPClient,
    settings: PreserveSettings | None = None,
    *,
    on_start: Callable[[int], None] | None = None,
    **choices: Unpack[Choices],
) -> list[ArchiveResult]:
    """Preserve every stored node with a URL and no capture within the window;
    `on_start` is told how many there are before the first is preserved."""
    run = _Run.start(store, http, settings, choices, pending_mode=True)
    todo = pending_nodes(run)
    if on_start is not None:
        on_start(len(todo))
    return await _preserve_nodes(todo, run, choices.get("on_result"))


def pending_nodes(run: _Run) -> list[tuple[Node, str]]:
    """Stored nodes with a URL that some archive (or the local store) still lacks."""
    with run.store.session() as session:
        nodes = session.exec(
            select(Node)
            .where((col(Node.canonical_url).is_not(None)) | (col(Node.url).is_not(None)))
            .order_by(col(Node.id))
        ).all()
        recent = session.exec(
            select(Capture.node_id, Capture.archive).where(col(Capture.captured_at) >= run.since)
        ).all()
        snapped = set(
            session.exec(
                select(Snapshot.url).where(
                    col(Snapshot.fetched_at) >= run.since,
                    col(Snapshot.record_type).in_(("response", "revisit")),
                )
            ).all()
        )
    captured = {(node_id, archive) for node_id, archive in recent}
    todo: list[tuple[Node, str]] = []
    for node in nodes:
        url = node_url(node)
        if not url or not url.lower().startswith(("http://", "https://")):
            continue
        needs = run.snapshot and url not in snapped
        for name in run.savers:
            if needs:
                break
            if (node.id, name) in captured:
                continue
            history = _history(run.store, node.id, url, name, run.since)
            unfinished = history.latest is not None and history.latest.outcome == Outcome.PENDING
            needs = unfinished or _given_up(history, run.settings, run.now) is None
        if needs:
            todo.append((node, url))
    return todo


async def _preserve_nodes(
    todo: Sequence[tuple[Node, str]],
    run: _Run,
    on_result: Callable[[ArchiveResult], None] | None,
) -> list[ArchiveResult]:
    gate = asyncio.Semaphore(run.settings.concurrency)

    async def one(node: Node, url: str) -> ArchiveResult:
        async with gate:
            result = await _preserve_one(node, url, run)
        if on_result is not None:
            on_result(result)
        return result

    return list(await asyncio.gather(*(one(node, url) for node, url in todo)))


async def _preserve_one(node: Node, url: str, run: _Run) -> ArchiveResult:
    result = ArchiveResult(url=url, node_id=node.id)
    tasks = [_save_one(node, url, name, saver, run) for name, saver in run.savers.items()]
    if run.snapshot:
        snapshot_task = asyncio.ensure_future(_snapshot_one(node, url, run))
    result.results = list(await asyncio.gather(*tasks))
    if run.snapshot:
        result.snapshot, result.snapshot_error = await snapshot_task
    return result


async def _save_one(node: Node, url: str, name: str, saver: Saver, run: _Run) -> SaveResult:
    if name in run.down:
        return run.not_asked(name)
    history = _history(run.store, node.id, url, name, run.since)
    if history.captured is not None:
        at = as_utc(history.captured.captured_at)
        return SaveResult(
            name,
            Outcome.OK,
            history.captured.memento_url,
            f"already captured {at:%Y-%m-%dT%H:%M:%SZ}, within the window",
            captured_at=at,
            submitted=False,
        )
    latest = history.latest
    journal = _AttemptJournal(run.store, node.id, url, name, None)
    if latest is not None and latest.outcome == Outcome.PENDING:
        journal.row_id = latest.id
        unfinished = Unfinished(latest.job_id, as_utc(latest.submitted_at) or run.now)
        resumed = await _guarded(name, saver.resume(url, run.http, unfinished), run)
        if resumed is not None and not _skipped(resumed):
            journal.finish(resumed)
            return resumed
    elif run.pending_mode:
        reason = _given_up(history, run.settings, run.now)
        if reason is not None and latest is not None:
            return SaveResult(
                name, Outcome(latest.outcome), latest.memento_url, reason, submitted=False
            )
    result = await _guarded(name, saver.save(url, run.http, journal), run)
    assert result is not None
    if not _skipped(result):
        journal.finish(result)
    return result


def _skipped(result: SaveResult) -> bool:
    return result.outcome == Outcome.FAILED and not result.submitted


async def _guarded(name: str, work: Awaitable[SaveResult | None], run: _Run) -> SaveResult | None:
    """A saver's network failure is an outcome of that archive, not of the whole run.

    Once an archive is found unreachable, work still waiting for it (behind its pacing,
    which is minutes for a run of URLs) is called off and answered as not asked.
    """
    if name in run.down:
        return run.not_asked(name)
    task = asyncio.ensure_future(work)
    down = asyncio.ensure_future(run.went_down(name).wait())
    try:
        await asyncio.wait((task, down), return_when=asyncio.FIRST_COMPLETED)
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, NetworkError, InputError):
                await task
            return run.not_asked(name)
        return task.result()
    except NetworkError as exc:
        if run.mark_down(name, exc):
            return SaveResult(name, Outcome.FAILED, reason=str(exc), retryable=True)
        return SaveResult(name, Outcome.FAILED, reason=str(exc), retryable=exc.transient)
    except InputError as exc:  # a stored URL the HTTP layer cannot even send
        return SaveResult(name, Outcome.FAILED, reason=str(exc))
    finally:
        down.cancel()
        if not task.done():
            task.cancel()


async def _snapshot_one(node: Node, url: str, run: _Run) -> tuple[Snapshot | None, str | None]:
    from cache.snapshots import SnapshotStore

    snapshots = SnapshotStore(snapshot_directory(run.settings), run.store)
    try:
        snap = snapshots.recent(url, run.since)
        if snap is None:
            snap = await snapshots.capture(url, run.http, node_id=node.id)
        if node.platform != "web" or node.attributes:
            # a post's structured data is often the only copy: X keeps the crawler out
            snapshots.record_data(node_url(node) or url, _node_document(node), node_id=node.id)
    except (NetworkError, InputError) as exc:
        # InputError: a URL from a page that the HTTP layer refuses to send (a dotted
        # quad in octal); it is this URL's failure, never the whole run's
        return None, str(exc)
    return snap, None


def _node_document(node: Node) -> bytes:
    document = {
        "url": node.url,
        "canonical_url": node.canonical_url,
        "platform": node.platform,
        "kind": node.kind,
        "platform_id": node.platform_id,
        "handle": node.handle,
        "name": node.name,
        "published_at": format_time(node.published_at),
        "published_at_method": node.published_at_method,
        "attributes": node.attributes or {},
    }
    return json.dumps(document, sort_keys=True, ensure_ascii=False, default=str).encode()


__all__ = [
    "ArchiveResult",
    "Choices",
    "load_savers",
    "node_for_url",
    "preserve",
    "preserve_pending",
    "preserve_settings",
]
