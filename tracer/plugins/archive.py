"""The archive-adapter protocol: where is a URL archived, and since when.

An archive adapter lists the captures (mementos) one web archive holds of a URL. The
core's aggregator asks every enabled archive in parallel and merges their answers; it
never imports a specific archive. Adapters are found like platform adapters, through the
`tracer.archives` entry-point group, and configured by their [archives.NAME] settings table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar, Protocol, runtime_checkable
from urllib.parse import urlsplit

from tracer.store.model import Capture

if TYPE_CHECKING:
    from tracer.http.client import HTTPClient


@dataclass(frozen=True)
class Memento:
    """One archived copy of a URL."""

    archive: str
    url: str  # the memento URL a person can open
    original_url: str
    captured_at: datetime  # UTC
    status: int | None = None  # HTTP status of the capture, where the archive says
    digest: str | None = None
    mimetype: str | None = None


def capture_of(memento: Memento, node_id: int, found_by: str) -> Capture:
    """The Capture row of `memento` for the node of its URL; `found_by` says how."""
    return Capture(
        node_id=node_id,
        archive=memento.archive,
        memento_url=memento.url,
        original_url=memento.original_url,
        captured_at=memento.captured_at,
        status=memento.status,
        digest=memento.digest,
        mimetype=memento.mimetype,
        found_by=found_by,
    )


@dataclass(frozen=True)
class ArchiveConfig:
    """One archive's endpoints and limits. Templates take {url} (and {timestamp})."""

    name: str
    kind: str = "memento"  # which adapter: an entry point of the tracer.archives group
    enabled: bool = True
    timemap: str = ""
    timegate: str = ""
    cdx: str = ""  # a CDX endpoint, where the archive has one: it carries capture statuses
    availability: str = ""  # the Wayback availability API
    replay: str = ""  # memento URL from a CDX record: {timestamp} and {url}
    timeout: float = 30.0  # seconds one request may take once it is this archive's turn
    requests_per_minute: float = 12.0
    concurrency: int = 1
    penalty: float = 60.0  # seconds every worker holds back after a 429 without Retry-After
    max_attempts: int = 3  # tries of one request through 429s, 503s and broken connections
    max_pages: int = 50  # pages of a paged TimeMap or CDX listing followed
    page_size: int = 5000  # CDX rows asked per page
    collapse: str = ""  # CDX collapse, e.g. "digest": one row per run of identical content
    variants: str = "host"  # "host": the archive folds scheme and www; "full": it does not
    ttl: float = 86400.0  # seconds a stored answer is reused before the archive is asked again

    @property
    def interval(self) -> float:
        return 60.0 / self.requests_per_minute if self.requests_per_minute > 0 else 0.0

    def hosts(self) -> set[str]:
        found: set[str] = set()
        for template in (self.timemap, self.timegate, self.cdx, self.availability):
            if template:
                host = urlsplit(template.replace("{url}", "x")).hostname
                if host:
                    found.add(host.lower())
        return found


@dataclass(frozen=True)
class Window:
    """A date window for listings: captures at or after `start` and before `end`."""

    start: datetime | None = None
    end: datetime | None = None

    def holds(self, when: datetime) -> bool:
        return (self.start is None or when >= self.start) and (self.end is None or when < self.end)

    @property
    def unbounded(self) -> bool:
        return self.start is None and self.end is None


@runtime_checkable
class ArchiveClient(Protocol):
    """An archive adapter configured for one archive: what every module in adapters/archives/
    implements. Built as `factory(config)` from its entry point."""

    name: ClassVar[str]
    config: ArchiveConfig

    def prepare(self, http: HTTPClient) -> None:
        """Give the HTTP layer this archive's limits."""
        ...

    async def captures(
        self, url: str, http: HTTPClient, window: Window | None = None
    ) -> list[Memento]: ...

    async def nearest(self, url: str, when: datetime, http: HTTPClient) -> Memento | None: ...
