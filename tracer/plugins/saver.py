"""The saver protocol: how a public archive is asked to capture a URL now.

A saver submits one URL to one archive (Save Page Now, archive.today) and waits for the
outcome. Before the submission leaves it tells its `Journal`, so a run killed while the
archive works is resumed by the next run (`resume`) instead of submitting again. Savers
are found through the `tracer.savers` entry-point group and built by
`factory.from_settings(preserve_settings)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar, Protocol, runtime_checkable

from tracer.http.client import HTTPClient


class Outcome(StrEnum):
    OK = "ok"
    PENDING = "pending"  # submitted, result not known yet
    REFUSED = "refused"  # the archive will not take it (blocked, captcha)
    FAILED = "failed"


@dataclass
class SaveResult:
    """How one archive answered one URL."""

    archive: str
    outcome: Outcome
    url: str | None = None  # the memento URL
    reason: str | None = None
    captured_at: datetime | None = None
    job_id: str | None = None
    #: a failure that may go away if the same URL is submitted again later
    retryable: bool = False
    #: True when this run asked the archive; False when the store already knew the answer
    submitted: bool = True

    def as_json(self) -> dict[str, Any]:
        return {
            "archive": self.archive,
            "outcome": str(self.outcome),
            "url": self.url,
            "reason": self.reason,
        }


class Journal(Protocol):
    """Where a saver writes down what it sent, before the answer is known."""

    def submitting(self) -> None:
        """The submission is about to leave: from now on a rerun must not resend blindly."""
        ...

    def submitted(self, job_id: str | None) -> None:
        """The archive accepted the submission as job `job_id`."""
        ...


@dataclass(frozen=True)
class Unfinished:
    """A submission an earlier run sent and never saw the end of."""

    job_id: str | None
    submitted_at: datetime


@runtime_checkable
class Saver(Protocol):
    name: ClassVar[str]

    async def save(self, url: str, http: HTTPClient, journal: Journal) -> SaveResult:
        """Submit `url` and wait for the outcome. Never raises for the archive's answers."""
        ...

    async def resume(self, url: str, http: HTTPClient, unfinished: Unfinished) -> SaveResult | None:
        """The outcome of an earlier submission, or None when submitting again is right."""
        ...
