"""archive.today submission (archive.ph, archive.is, ... are one archive).

It has no API: the front page carries a form with a one-time `submitid`, and the page
is submitted by posting it with the URL to /submit/. The answer names the new capture
in a redirect (Location or Refresh), as "work in progress" (/wip/<id>, which becomes
/<id>), or lists an existing recent capture.

archive.today meets automation with captchas, sometimes with status 200, so every
answer's body is read before it is believed. A captcha or a block is recorded as a
refusal with its reason, and the saver stops asking for the rest of the run: hammering a
captcha only lengthens the block.
"""

from __future__ import annotations

import asyncio
import re
import time
from datetime import datetime, timedelta
from typing import ClassVar
from urllib.parse import quote, urljoin, urlsplit

from adapters.archives.link_format import parse_links
from tracer.errors import NetworkError
from tracer.http.client import Fetched, HTTPClient
from tracer.plugins.saver import Journal, Outcome, SaveResult, Unfinished
from tracer.preservation.settings import ArchiveTodaySaveSettings, PreserveSettings
from tracer.store.model import utcnow

ARCHIVE = "archive_today"

_SUBMITID = re.compile(
    r"""<input[^>]*name=["']submitid["'][^>]*value=["']([^"']+)["']"""
    r"""|<input[^>]*value=["']([^"']+)["'][^>]*name=["']submitid["']""",
    re.IGNORECASE,
)
#: parts of the captcha widgets archive.today has used (reCAPTCHA, hCaptcha, Cloudflare)
_CAPTCHA_WIDGETS = (
    "g-recaptcha",
    "h-captcha",
    "hcaptcha.com",
    "cf-turnstile",
    "/cdn-cgi/challenge-platform",
)
_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\";\s]+)", re.IGNORECASE)
_ALREADY = re.compile(r"id=[\"']DIVALREADY[\"']", re.IGNORECASE)
_MEMENTO_PATH = re.compile(r"^/(wip/)?([A-Za-z0-9]{4,10})/?$")


def refusal(fetched: Fetched) -> str | None:
    """Why this answer is a refusal (a captcha or a block), or None when it is not."""
    body = fetched.text.lower()
    widget = any(marker in body for marker in _CAPTCHA_WIDGETS)
    # the bare word counts only on a page without the submit form, which may mention it
    if widget or ("captcha" in body and _SUBMITID.search(fetched.text) is None):
        return f"archive.today asked for a captcha (HTTP {fetched.status_code})"
    if fetched.status_code in (403, 429, 451):
        return f"archive.today refused the request (HTTP {fetched.status_code})"
    return None


class ArchiveTodaySaver:
    name: ClassVar[str] = ARCHIVE

    def __init__(self, settings: ArchiveTodaySaveSettings) -> None:
        self.settings = settings
        self.base = settings.base_url.rstrip("/")
        self.host = (urlsplit(self.base).hostname or "").lower()
        self._lock = asyncio.Lock()
        self._next = 0.0
        #: set on the first captcha or block: the rest of the run does not ask again
        self.refused: str | None = None

    @classmethod
    def from_settings(cls, settings: PreserveSettings) -> ArchiveTodaySaver:
        return cls(settings.archive_today)

    async def save(self, url: str, http: HTTPClient, journal: Journal) -> SaveResult:
        # one submission at a time, spaced: archive.today blocks bursts
        async with self._lock:
            if self.refused is not None:
                return SaveResult(ARCHIVE, Outcome.REFUSED, reason=f"not asked: {self.refused}")
            while (delay := self._next - time.monotonic()) > 0:
                await asyncio.sleep(delay)
            try:
                return await self._submit(url, http, journal)
            finally:
                self._next = time.monotonic() + self.settings.interval

    async def _submit(self, url: str, http: HTTPClient, journal: Journal) -> SaveResult:
        front = await http.fetch(f"{self.base}/", retry=False)
        refused = refusal(front)
        if refused is not None:
            return self._refuse(refused)
        match = _SUBMITID.search(front.text)
        if not front.ok or match is None:
            return SaveResult(
                ARCHIVE,
                Outcome.FAILED,
                reason=f"no submitid on the archive.today front page (HTTP {front.status_code})",
                retryable=True,
            )
        submitid = match.group(1) or match.group(2)
        journal.submitting()
        answer = await http.fetch(
            f"{self.base}/submit/",
            method="POST",
            data={"url": url, "submitid": submitid},
            headers={"Referer": f"{self.base}/"},
            follow_redirects=False,
            retry=False,
        )
        journal.submitted(None)
        refused = refusal(answer)
        if refused is not None:
            return self._refuse(refused)
        memento = self._memento(answer)
        if memento is not None:
            return memento
        return SaveResult(
            ARCHIVE,
            Outcome.FAILED,
            reason=f"archive.today answered HTTP {answer.status_code} without naming a capture",
            retryable=True,
        )

    def _refuse(self, reason: str) -> SaveResult:
        self.refused = reason
        return SaveResult(ARCHIVE, Outcome.REFUSED, reason=reason)

    def _memento(self, answer: Fetched) -> SaveResult | None:
        candidates = [
            answer.headers.get("location", ""),
            *(_REFRESH_URL.findall(answer.headers.get("refresh", ""))),
        ]
        already = bool(_ALREADY.search(answer.text))
        if already:
            candidates.extend(re.findall(r"""href=["']([^"']+)["']""", answer.text))
        for candidate in candidates:
            if not candidate:
                continue
            target = urljoin(f"{self.base}/", candidate)
            parts = urlsplit(target)
            if (parts.hostname or "").lower() != self.host:
                continue
            found = _MEMENTO_PATH.match(parts.path)
            if found is None or found.group(2) in ("submit", "timemap", "wip"):
                continue
            memento = f"{self.base}/{found.group(2)}"
            if already:
                reason = "already archived recently"
            elif found.group(1):
                reason = "capture in progress"
            else:
                reason = None
            return SaveResult(ARCHIVE, Outcome.OK, memento, reason, captured_at=utcnow())
        return None

    async def resume(self, url: str, http: HTTPClient, unfinished: Unfinished) -> SaveResult | None:
        """An earlier submission's capture, looked up in the TimeMap."""
        newest = await self._timemap_since(url, http, unfinished.submitted_at)
        if newest is not None:
            return newest
        if utcnow() - unfinished.submitted_at < timedelta(seconds=self.settings.job_timeout):
            return SaveResult(
                ARCHIVE, Outcome.PENDING, reason="an earlier submission may still be running"
            )
        return None

    async def _timemap_since(
        self, url: str, http: HTTPClient, since: datetime
    ) -> SaveResult | None:
        try:
            fetched = await http.fetch(f"{self.base}/timemap/{quote(url, safe=':/?=&%')}")
        except NetworkError:
            return None
        if not fetched.ok:
            return None
        slack = since - timedelta(seconds=60)
        best: tuple[datetime, str] | None = None
        for link in parse_links(fetched.text):
            at = link.datetime
            if not link.has_rel("memento") or at is None or at < slack:
                continue
            if best is None or at > best[0]:
                best = (at, link.target)
        if best is None:
            return None
        return SaveResult(
            ARCHIVE, Outcome.OK, best[1], "confirmed through the TimeMap", captured_at=best[0]
        )


__all__ = ["ArchiveTodaySaver", "refusal"]
