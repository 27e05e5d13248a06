"""A candidate target of a named source: what was found, how well it fits, and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from tracer.extract import Document
from tracer.plugins.platform import Identity


@dataclass
class Scored:
    """One page or post that may be what a named source refers to."""

    url: str
    score: float
    method: str  # how it was found: "wayback-cdx", "channel-search", "signature-cdx"
    reason: str  # what the score rests on, for a verifier to read
    published_at: datetime | None = None
    document: Document | None = None  # the page read to check it, kept to follow it
    identity: Identity | None = None  # a post's identity, when it was resolved


@dataclass
class SearchOutcome:
    """The result of searching for one named source."""

    method: str
    candidates: list[Scored] = field(default_factory=list)
    status: str = "searched"  # searched, error, skipped
    reason: str | None = None  # why it was skipped or failed
    queries: int = 0

    def note(self) -> dict[str, object]:
        """What the named node keeps about the search (no run times: re-runs change nothing)."""
        note: dict[str, object] = {
            "method": self.method,
            "status": self.status,
            "candidates": len(self.candidates),
        }
        if self.reason:
            note["reason"] = self.reason
        return note
