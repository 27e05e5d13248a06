"""Archive before loss: a link with no capture anywhere is looked up in the Wayback
Machine (tracer.linkrot.scheduling.lookups), and when it has none there either, the need is
recorded as a pending archive attempt that the preserve step (`tracer archive
--pending`) acts on. These are the rows that record both.
"""

from __future__ import annotations

from datetime import datetime

from tracer.store.model import ArchiveAttempt, CaptureLookup

NEED_REASON = "no capture in any archive (link-rot check)"
#: the "archive" a link-rot look-up's answer is recorded under: whether the Wayback
#: Machine holds the URL at all, with one capture; not the full list of its captures that
#: `tracer captures` keeps under "wayback" and may reuse as such
LOOKED_UP = "wayback-exists"


def lookup_row(url: str, now: datetime, *, found: bool, error: str | None) -> CaptureLookup:
    """The record of one availability answer: a capture found ("ok"), none ("empty"),
    or the question failed ("error", which settles nothing)."""
    return CaptureLookup(
        url=url,
        archive=LOOKED_UP,
        looked_up_at=now,
        outcome="error" if error else "ok" if found else "empty",
        error=error,
        count=1 if found and not error else 0,
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
