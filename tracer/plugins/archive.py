"""The archive-adapter protocol: where is a URL archived, and since when.

An archive adapter lists the captures (mementos) one web archive holds of a URL. The
core's aggregator asks every enabled archive in parallel and merges their answers; it
never imports a specific archive. Adapters are found like platform adapters, through the
`tracer.archives` entry-point group, and configured by their [archives.NAME] settings table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar, Protocol, runtime_checkable

from tracer.http.client import HTTPClient
from tracer.store.model import Capture

ENTRY_POINT_GROUP = "tracer.archives"


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


@runtime_checkable
class ArchiveAdapter(Protocol):
    name: ClassVar[str]

    async def captures(self, url: str, http: HTTPClient) -> list[Memento]:
        """Every capture of `url`, earliest first. Raises NetworkError when unreachable."""
        ...
