"""Save Page Now: asking the Wayback Machine to capture a URL.

Two modes. Without access keys, the anonymous endpoint waybackpy uses (GET /save/<url>),
whose answer names the capture in Content-Location, a memento Link or the final URL of its
redirect, or names a job to poll. With keys (`Authorization: LOW access:secret`), SPN2:
POST /save with the capture options, then poll /save/status/<job_id> until success,
error or timeout.

Why not waybackpy itself: its WaybackMachineSaveAPI hard-codes https://web.archive.org,
talks through its own `requests` session (so neither the private-address guard nor
`connect_to` nor our CA bundle applies), retries with fixed sleeps of 5-10 s inside
`time.sleep`, and has no SPN2 (keys, options, job status). Pointing it elsewhere would
mean patching its internals, so this module sends the same requests through the one
HTTP layer and keeps waybackpy's reading of the anonymous answer.

The archive's published limits are kept by a submission gate: about 12 captures a
minute with keys and 4 without, a bounded number of jobs in flight, and a pause for
every request after a 429 (Retry-After, else 60 s). SPN sometimes reports a failure for
a capture that succeeded, and forgets a job's status after about an hour ("pending"),
so every failure and every timeout is checked against CDX before it is believed.

Access keys travel only in the Authorization header; they never appear in a reason,
an exception or a log line.
"""

from __future__ import annotations

import asyncio
import re
import time
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import quote, urlencode, urlsplit

from adapters.answers import json_object
from tracer.errors import NetworkError
from tracer.http.client import Fetched, HTTPClient, parse_retry_after
from tracer.plugins.saver import Journal, Outcome, SaveResult, Unfinished
from tracer.preservation.settings import PreserveSettings, WaybackSaveSettings
from tracer.store.model import utcnow

ARCHIVE = "wayback"

#: the archive will not take the URL: asking again does not help
REFUSALS = frozenset(
    {
        "error:blocked",
        "error:blocked-url",
        "error:blocked-client-ip",
        "error:no-access",
        "error:unauthorized",
        "error:filesize-limit",
        "error:ftp-access-denied",
    }
)
#: the capture cannot work for this URL as it is
PERMANENT_FAILURES = frozenset(
    {
        "error:invalid-url-syntax",
        "error:invalid-host-resolution",
        "error:not-found",
        "error:method-not-allowed",
        "error:too-many-redirects",
        "error:invalid-ssl-cert",
        "error:http-version-not-supported",
        "error:not-implemented",
        "error:network-authentication-required",
        "error:capture-location-error",
    }
)
#: the archive is busy: wait a little and submit again within this run
RETRY_NOW = frozenset(
    {
        "error:too-many-requests",
        "error:user-session-limit",
        "error:no-browsers-available",
        "error:celery",
        "error:service-unavailable",
        "error:bandwidth-limit-exceeded",
    }
)
# Every other code (error:soft-time-limit-exceeded, error:read-timeout, error:bad-gateway,
# error:too-many-daily-captures, ...) is a failure a later run may retry.

_JOB_IN_PAGE = re.compile(r"""watchJob\(\s*["'](spn2-[0-9a-f]+)["']""")
_TIMESTAMP_IN_URL = re.compile(r"/web/(\d{14})[a-z_]*/(.+)$")


def classify(status_ext: str | None) -> tuple[Outcome, bool]:
    """(outcome, retryable) for an SPN2 error code."""
    code = (status_ext or "").strip().lower()
    if code in REFUSALS:
        return Outcome.REFUSED, False
    if code in PERMANENT_FAILURES:
        return Outcome.FAILED, False
    return Outcome.FAILED, True


def _timestamp(value: str) -> datetime | None:
    try:
        return datetime.strptime(value[:14], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None


class _Busy(Exception):
    """The archive asked us to wait `delay` seconds and submit again."""

    def __init__(self, delay: float, reason: str) -> None:
        super().__init__(reason)
        self.delay, self.reason = delay, reason


class SubmitGate:
    """Jobs in flight, spacing between submissions, and pauses after a 429."""

    def __init__(self, per_minute: float, concurrent: int) -> None:
        self.interval = 60.0 / per_minute
        self.jobs = asyncio.Semaphore(concurrent)
        self._lock = asyncio.Lock()
        self._next = 0.0

    async def turn(self) -> None:
        """Wait until the next submission may leave."""
        async with self._lock:
            while (delay := self._next - time.monotonic()) > 0:
                await asyncio.sleep(delay)
            self._next = time.monotonic() + self.interval

    def pause(self, seconds: float) -> None:
        self._next = max(self._next, time.monotonic() + seconds)


class WaybackSaver:
    name: ClassVar[str] = ARCHIVE

    def __init__(self, settings: WaybackSaveSettings, window: float = 86400.0) -> None:
        self.settings = settings
        self.window = window
        per_minute = (
            settings.captures_per_minute
            if settings.keyed
            else settings.anonymous_captures_per_minute
        )
        self.gate = SubmitGate(per_minute, settings.concurrent_jobs)
        parts = urlsplit(settings.save_url)
        self.origin = f"{parts.scheme}://{parts.netloc}"

    @classmethod
    def from_settings(cls, settings: PreserveSettings) -> WaybackSaver:
        return cls(settings.wayback, settings.window)

    # -- the protocol --------------------------------------------------------------------

    async def save(self, url: str, http: HTTPClient, journal: Journal) -> SaveResult:
        started = utcnow()
        tries = 0
        while True:
            tries += 1
            async with self.gate.jobs:
                await self.gate.turn()
                try:
                    journal.submitting()
                    if self.settings.keyed:
                        result = await self._save_keyed(url, http, journal)
                    else:
                        result = await self._save_anonymous(url, http, journal)
                except _Busy as busy:
                    self.gate.pause(busy.delay)
                    if tries > self.settings.max_retries:
                        return SaveResult(
                            ARCHIVE, Outcome.FAILED, reason=busy.reason, retryable=True
                        )
                    continue
            if result.outcome == Outcome.PENDING and not result.job_id:
                # "already captured N minutes ago": the capture predates our request
                since = started - timedelta(seconds=self.window)
                return await self._confirm(url, http, result, since)
            if result.outcome in (Outcome.FAILED, Outcome.PENDING):
                return await self._confirm(url, http, result, started)
            return result

    async def resume(self, url: str, http: HTTPClient, unfinished: Unfinished) -> SaveResult | None:
        since = unfinished.submitted_at
        if unfinished.job_id:
            result = await self._poll(url, http, unfinished.job_id)
            if result.outcome != Outcome.PENDING and result.outcome != Outcome.FAILED:
                return result
        found = await self._cdx_capture(url, http, since)
        if found is not None:
            return found
        if utcnow() - since < timedelta(seconds=self.settings.job_timeout):
            return SaveResult(
                ARCHIVE,
                Outcome.PENDING,
                reason="an earlier submission may still be running",
                job_id=unfinished.job_id,
            )
        return None  # long gone and never captured: submitting again is right

    # -- anonymous -----------------------------------------------------------------------

    async def _save_anonymous(self, url: str, http: HTTPClient, journal: Journal) -> SaveResult:
        fetched = await http.fetch(
            f"{self.settings.save_url}/{url}",
            headers={"Accept": "text/html,application/json"},
            retry=False,
        )
        self._raise_if_busy(fetched)
        memento = self._memento_from_answer(fetched)
        if memento is not None:
            journal.submitted(None)
            return memento
        job = _JOB_IN_PAGE.search(fetched.text)
        if job is not None:
            journal.submitted(job.group(1))
            return await self._poll(url, http, job.group(1))
        journal.submitted(None)
        return self._failure_from_answer(fetched)

    def _memento_from_answer(self, fetched: Fetched) -> SaveResult | None:
        """waybackpy's reading: Content-Location, a memento Link, or the final URL."""
        if not fetched.ok:
            return None
        candidates = [fetched.headers.get("content-location", "")]
        for part in fetched.headers.get("link", "").split(","):
            if "memento" in part:
                candidates.append(part.split(";", 1)[0].strip(" <>"))
        candidates.append(fetched.final_url)
        for candidate in candidates:
            match = _TIMESTAMP_IN_URL.search(candidate)
            if match is None:
                continue
            memento = f"{self.origin}/web/{match.group(1)}/{match.group(2)}"
            return SaveResult(ARCHIVE, Outcome.OK, memento, captured_at=_timestamp(match.group(1)))
        return None

    # -- SPN2 with keys ------------------------------------------------------------------

    def _auth(self) -> dict[str, str]:
        access = self.settings.access_key.get_secret_value()
        secret = self.settings.secret_key.get_secret_value()
        return {"Authorization": f"LOW {access}:{secret}", "Accept": "application/json"}

    def _options(self, url: str) -> dict[str, str]:
        options = {"url": url}
        within = self.settings.if_not_archived_within or f"{int(self.window)}"
        if within and within != "0":
            options["if_not_archived_within"] = within
        for name in (
            "capture_all",
            "capture_outlinks",
            "capture_screenshot",
            "skip_first_archive",
            "force_get",
            "delay_wb_availability",
        ):
            if getattr(self.settings, name):
                options[name] = "1"
        if self.settings.js_behavior_timeout:
            options["js_behavior_timeout"] = str(self.settings.js_behavior_timeout)
        return options

    async def _save_keyed(self, url: str, http: HTTPClient, journal: Journal) -> SaveResult:
        fetched = await http.fetch(
            self.settings.save_url,
            method="POST",
            headers=self._auth(),
            data=self._options(url),
            retry=False,  # a resent POST could start a second capture
        )
        self._raise_if_busy(fetched)
        answer = json_object(fetched)
        if answer is None:
            journal.submitted(None)
            return self._failure_from_answer(fetched)
        job_id = answer.get("job_id")
        if answer.get("status") == "error" or not fetched.ok:
            journal.submitted(job_id)
            return self._error(answer, fetched.status_code)
        journal.submitted(job_id)
        if not job_id:
            # e.g. "The same snapshot had been made 12 minutes ago": no job, CDX knows it
            return SaveResult(
                ARCHIVE,
                Outcome.PENDING,
                reason=str(answer.get("message") or "no job id in the answer"),
            )
        return await self._poll(url, http, str(job_id))

    async def _poll(self, url: str, http: HTTPClient, job_id: str) -> SaveResult:
        deadline = time.monotonic() + self.settings.job_timeout
        headers = self._auth() if self.settings.keyed else {"Accept": "application/json"}
        while True:
            fetched = await http.fetch(
                f"{self.settings.save_url}/status/{quote(job_id, safe='')}", headers=headers
            )
            answer = json_object(fetched) or {}
            status = answer.get("status")
            if status == "success":
                stamp = str(answer.get("timestamp") or "")
                original = str(answer.get("original_url") or url)
                return SaveResult(
                    ARCHIVE,
                    Outcome.OK,
                    f"{self.origin}/web/{stamp}/{original}",
                    captured_at=_timestamp(stamp),
                    job_id=job_id,
                )
            if status == "error":
                result = self._error(answer, fetched.status_code)
                result.job_id = job_id
                return result
            if time.monotonic() >= deadline:
                return SaveResult(
                    ARCHIVE,
                    Outcome.PENDING,
                    reason=f"job still pending after {self.settings.job_timeout:g} s",
                    job_id=job_id,
                )
            await asyncio.sleep(self.settings.poll_interval)

    # -- answers -------------------------------------------------------------------------

    def _raise_if_busy(self, fetched: Fetched) -> None:
        if fetched.status_code == 429:
            delay = parse_retry_after(fetched.headers.get("retry-after"))
            if delay is None:
                delay = self.settings.retry_after_default
            raise _Busy(
                min(delay, self.settings.max_wait), "Save Page Now: too many requests (HTTP 429)"
            )
        answer = json_object(fetched) if fetched.content_type == "application/json" else None
        if answer and answer.get("status") == "error":
            code = str(answer.get("status_ext") or "")
            if code in RETRY_NOW:
                delay = parse_retry_after(fetched.headers.get("retry-after"))
                if delay is None:
                    delay = self.settings.retry_after_default
                raise _Busy(min(delay, self.settings.max_wait), _reason(answer))

    def _error(self, answer: dict[str, Any], status_code: int) -> SaveResult:
        code = answer.get("status_ext")
        if not code and status_code in (401, 403):
            return SaveResult(
                ARCHIVE,
                Outcome.FAILED,
                reason=f"Save Page Now rejected the access keys (HTTP {status_code})",
            )
        outcome, retryable = classify(code)
        return SaveResult(ARCHIVE, outcome, reason=_reason(answer), retryable=retryable)

    def _failure_from_answer(self, fetched: Fetched) -> SaveResult:
        status = fetched.status_code
        # SPN's own error page statuses: 520 unknown, 523 origin unreachable, 524 timeout
        retryable = status >= 500 or status in (408, 425)
        return SaveResult(
            ARCHIVE,
            Outcome.FAILED,
            reason=f"Save Page Now answered HTTP {status} without a capture",
            retryable=retryable,
        )

    # -- CDX -----------------------------------------------------------------------------

    async def _confirm(
        self, url: str, http: HTTPClient, result: SaveResult, since: datetime
    ) -> SaveResult:
        """Believe a failure or a timeout only when CDX has no capture since we asked."""
        if result.outcome == Outcome.REFUSED:
            return result
        try:
            found = await self._cdx_capture(url, http, since)
        except NetworkError:
            return result
        if found is None:
            return result
        found.job_id = result.job_id
        found.reason = f"confirmed through CDX after: {result.reason}"
        return found

    async def _cdx_capture(self, url: str, http: HTTPClient, since: datetime) -> SaveResult | None:
        # a minute of slack: the capture's timestamp is the crawler's, not our clock's
        start = (since - timedelta(seconds=60)).astimezone(UTC)
        query = urlencode({"url": url, "from": f"{start:%Y%m%d%H%M%S}", "limit": "-5"})
        fetched = await http.fetch(f"{self.settings.cdx_url}?{query}")
        if not fetched.ok:
            return None
        newest: tuple[str, str] | None = None
        for line in fetched.text.splitlines():
            fields = line.split()
            # urlkey timestamp original mimetype statuscode digest length
            if len(fields) < 5 or not fields[1].isdigit():
                continue
            if fields[4].startswith("5"):
                continue  # the capture of an error page is not the post
            if newest is None or fields[1] > newest[0]:
                newest = (fields[1], fields[2])
        if newest is None:
            return None
        stamp, original = newest
        return SaveResult(
            ARCHIVE,
            Outcome.OK,
            f"{self.origin}/web/{stamp}/{original}",
            reason="confirmed through CDX",
            captured_at=_timestamp(stamp),
        )


def _reason(answer: dict[str, Any]) -> str:
    code = str(answer.get("status_ext") or "error")
    message = " ".join(str(answer.get("message") or "").split())
    return f"{code}: {message}" if message else code


__all__ = ["REFUSALS", "RETRY_NOW", "SubmitGate", "WaybackSaver", "classify"]
