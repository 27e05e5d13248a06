"""Archive before loss: a link with no capture anywhere is looked up in the Wayback
Machine's availability API, and when it has none there either, the need is recorded
as a pending archive attempt that the preserve step (`tracer archive --pending`) acts on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from tracer.errors import NetworkError

if TYPE_CHECKING:  # the check's helper process stores lookups and needs no HTTP client
    from tracer.http import HTTPClient
from tracer.model import ArchiveAttempt, Capture, CaptureLookup

NEED_REASON = "no capture in any archive (link-rot check)"


@dataclass
class Availability:
    """The answer about one URL: a capture found, none, or the question failed."""

    capture: Capture | None = None
    error: str | None = None

    @property
    def outcome(self) -> str:
        if self.error:
            return "error"
        return "ok" if self.capture is not None else "empty"


def parse_timestamp(stamp: str) -> datetime | None:
    try:
        return datetime.strptime(stamp[:14].ljust(14, "0"), "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None


async def wayback_availability(
    http: HTTPClient, endpoint: str, url: str, node_id: int
) -> Availability:
    """Ask https://archive.org/wayback/available?url=... for the closest capture."""
    try:
        fetched = await http.fetch(f"{endpoint}?{urlencode({'url': url})}", retry=True)
        if not fetched.ok:
            return Availability(error=f"HTTP {fetched.status_code}")
        data = fetched.json()
    except NetworkError as exc:
        return Availability(error=str(exc))
    except ValueError:
        return Availability(error="availability answer is not JSON")
    closest = ((data or {}).get("archived_snapshots") or {}).get("closest") or {}
    if not closest.get("available") or not closest.get("url"):
        return Availability()
    status = str(closest.get("status", ""))
    memento = str(closest["url"]).replace("http://web.archive.org/", "https://web.archive.org/")
    return Availability(
        Capture(
            node_id=node_id,
            archive="wayback",
            memento_url=memento,
            original_url=url,
            captured_at=parse_timestamp(str(closest.get("timestamp", ""))),
            status=int(status) if status.isdigit() else None,
            found_by="availability",
        )
    )


def lookup_row(url: str, answer: Availability, now: datetime) -> CaptureLookup:
    return CaptureLookup(
        url=url,
        archive="wayback",
        looked_up_at=now,
        outcome=answer.outcome,
        error=answer.error,
        count=1 if answer.capture is not None else 0,
    )


def need_row(node_id: int, url: str, now: datetime) -> ArchiveAttempt:
    return ArchiveAttempt(
        node_id=node_id,
        url=url,
        archive="wayback",
        outcome="pending",
        reason=NEED_REASON,
        submitted_at=now,
    )
