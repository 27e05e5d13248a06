"""Any Memento archive (RFC 7089), by its TimeMap URL template.

Listing reads the archive's TimeMap and follows its further pages (rel="timemap" or
rel="next" links: large archives page their TimeMaps, and aggregators that stop at the
first page miss the early captures that matter most). Where the archive also has a CDX
endpoint (pywb-based archives do), the statuses and digests of the captures are taken
from it, because a TimeMap lists a 404 capture like any other. `nearest` negotiates with
the TimeGate (Accept-Datetime) for the capture nearest a date.

Every request of an archive goes through `ArchivePace`: the archive's concurrency, a
per-request deadline that starts when it is the request's turn, and a shared pause after
a 429, so that one worker told to slow down slows all of them.
"""

from __future__ import annotations

import asyncio
import random
import re
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import ClassVar
from urllib.parse import urlencode, urlsplit

from adapters.archives.cdx import CDXRecord, parse_response
from adapters.archives.link_format import Link, format_http_date, http_date, parse_links
from tracer.errors import HTTPStatusError, NetworkError, TimeoutError_
from tracer.http.client import Fetched, HTTPClient, parse_retry_after
from tracer.plugins.archive import ArchiveConfig, Memento, Window
from tracer.urls import joined_url

#: statuses that mean "not now": the request is tried again after a pause
_SLOW_DOWN = frozenset({429, 503})
_TIMESTAMP_IN_URL = re.compile(r"/(\d{14})(?:[a-z]{2}_|\*)?/")


class ArchivePace:
    """One archive's limits, shared by every worker that asks it."""

    def __init__(self, config: ArchiveConfig) -> None:
        self.config = config
        self._slots: asyncio.Semaphore | None = None
        self._paused_until = 0.0

    @property
    def slots(self) -> asyncio.Semaphore:
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.config.concurrency)
        return self._slots

    def prepare(self, http: HTTPClient) -> None:
        """The HTTP layer spaces the requests to each of the archive's hosts."""
        for host in self.config.hosts():
            http.set_host_policy(host, self.config.concurrency, self.config.interval)

    def pause(self, http: HTTPClient, url: str, seconds: float) -> None:
        """Hold back every request to the archive, in this worker and every other."""
        self._paused_until = max(self._paused_until, time.monotonic() + seconds)
        host = urlsplit(url).hostname
        if host:
            http.limits.penalize(host, seconds)

    async def fetch(
        self,
        http: HTTPClient,
        url: str,
        *,
        method: str = "GET",
        headers: Mapping[str, str] | None = None,
        follow_redirects: bool = True,
    ) -> Fetched:
        """One request under the archive's limits; 429/503 and broken connections retried.

        Returns the last answer when the archive still says "slow down" after every try,
        so the caller can report it.
        """
        name = self.config.name
        attempts = max(1, self.config.max_attempts)
        fetched: Fetched | None = None
        for attempt in range(attempts):
            async with self.slots:
                while (wait := self._paused_until - time.monotonic()) > 0:
                    await asyncio.sleep(wait)
                # the deadline starts at our turn: queueing behind the rate limit is not
                # the archive being slow (one interval of the host gate is allowed for)
                deadline = self.config.timeout + self.config.interval
                try:
                    async with asyncio.timeout(deadline):
                        fetched = await http.fetch(
                            url,
                            method=method,
                            headers=headers,
                            follow_redirects=follow_redirects,
                            retry=False,
                        )
                except TimeoutError:
                    raise TimeoutError_(
                        f"{name} did not answer within {self.config.timeout:g}s", url
                    ) from None
                except NetworkError as exc:
                    if not exc.transient or attempt + 1 >= attempts:
                        raise
                    await asyncio.sleep(_backoff(http, attempt))
                    continue
            if fetched.status_code not in _SLOW_DOWN:
                return fetched
            told = parse_retry_after(fetched.headers.get("retry-after"))
            if told is not None:
                delay = told
            elif fetched.status_code == 429:
                # the Internet Archive's rule: a 429 without Retry-After means wait 60 s
                delay = self.config.penalty
            else:
                delay = _backoff(http, attempt)
            if attempt + 1 < attempts:
                self.pause(http, url, delay)
        assert fetched is not None
        return fetched


def _backoff(http: HTTPClient, attempt: int) -> float:
    """Exponential backoff with jitter, on the HTTP settings' scale."""
    settings = http.settings
    delay = min(settings.backoff_initial * 2.0**attempt, settings.backoff_max)
    return delay * (0.5 + random.random())


def status_error(name: str, fetched: Fetched, what: str) -> HTTPStatusError:
    """A one-line reason for an archive's refusal, with the archive's own words if short."""
    code = fetched.status_code
    if code == 429:
        reason = f"{name} is rate limiting us (HTTP 429)"
    elif code == 403 and "Blocked Site" in fetched.text:
        reason = f"{name} blocks this site (HTTP 403, Blocked Site Error)"
    else:
        detail = (
            " ".join(fetched.text.split())[:120] if "text/plain" in fetched.content_type else ""
        )
        reason = f"{name} answered HTTP {code} for {what}" + (f": {detail}" if detail else "")
    return HTTPStatusError(reason, fetched.url, code)


def fill_template(template: str, url: str, timestamp: str = "") -> str:
    # archives take the URL raw after their prefix, as a browser would type it
    return template.replace("{url}", url).replace("{timestamp}", timestamp)


def wayback_timestamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y%m%d%H%M%S")


def _is_page_link(link: Link) -> bool:
    rels = link.rels
    if "memento" in rels or "self" in rels:
        return False
    kind = link.params.get("type", "application/link-format").lower()
    return ("timemap" in rels or "next" in rels) and "link-format" in kind


class MementoArchive:
    """A Memento archive configured by an [archives.NAME] table."""

    name: ClassVar[str] = "memento"

    def __init__(self, config: ArchiveConfig | None = None) -> None:
        self.config = config or self.default_config()
        self.pace = ArchivePace(self.config)

    @classmethod
    def default_config(cls) -> ArchiveConfig:
        """The archive's endpoints and pace when no archive list configures it: named
        after the adapter, the rest ArchiveConfig's defaults (each archive lays its own
        over these)."""
        return ArchiveConfig(name=cls.name, kind=cls.name)

    @property
    def archive_name(self) -> str:
        return self.config.name

    def prepare(self, http: HTTPClient) -> None:
        self.pace.prepare(http)

    # -- listing ---------------------------------------------------------------------------

    async def captures(
        self, url: str, http: HTTPClient, window: Window | None = None
    ) -> list[Memento]:
        """Every memento the TimeMap lists (all pages), with CDX statuses where available."""
        if not self.config.timemap:
            raise HTTPStatusError(f"{self.archive_name} has no TimeMap template", url)
        mementos = await self.timemap(url, http)
        if window is not None:
            mementos = [m for m in mementos if window.holds(m.captured_at)]
        if self.config.cdx and mementos:
            mementos = await self._with_statuses(url, mementos, http)
        return sorted(mementos, key=lambda m: (m.captured_at, m.url))

    async def timemap(self, url: str, http: HTTPClient) -> list[Memento]:
        first = fill_template(self.config.timemap, url)
        queue, seen = [first], {first}
        found: dict[str, Memento] = {}
        original = url
        pages = 0
        while queue and pages < self.config.max_pages:
            page_url = queue.pop(0)
            pages += 1
            fetched = await self.pace.fetch(http, page_url)
            if fetched.status_code in (404, 410):
                continue  # no captures (pywb, archive.today) or a page that expired
            if not fetched.ok:
                raise status_error(self.archive_name, fetched, "its TimeMap")
            links = parse_links(fetched.text)
            # HTML (a CAPTCHA, an error page) also has <...>; only real links carry a rel
            if fetched.text.strip() and not any("rel" in link.params for link in links):
                raise HTTPStatusError(
                    f"{self.archive_name} sent a TimeMap that is not link-format "
                    f"({fetched.content_type or 'no content type'})",
                    page_url,
                    fetched.status_code,
                )
            for link in links:
                if link.has_rel("original"):
                    original = link.target
            for link in links:
                target = joined_url(fetched.final_url, link.target)
                if target is None:
                    continue  # an address no parser takes ("http://x.com[")
                if "memento" in link.rels:
                    when = link.datetime
                    if when is None or target in found:
                        continue
                    found[target] = Memento(self.archive_name, target, original, when)
                elif (
                    _is_page_link(link)
                    and target not in seen
                    and target.lower().startswith(("http://", "https://"))
                ):
                    seen.add(target)
                    queue.append(target)
        return list(found.values())

    async def _with_statuses(
        self, url: str, mementos: list[Memento], http: HTTPClient
    ) -> list[Memento]:
        """Statuses and digests from the archive's CDX, matched by capture time."""
        records = await self.cdx_records(url, http)
        by_time: dict[datetime, list[CDXRecord]] = {}
        for record in records:
            by_time.setdefault(record.captured_at, []).append(record)
        enriched: list[Memento] = []
        for memento in mementos:
            candidates = by_time.get(memento.captured_at, [])
            match = next(
                (r for r in candidates if r.original == memento.original_url),
                candidates[0] if candidates else None,
            )
            if match is None:
                enriched.append(memento)
                continue
            enriched.append(
                Memento(
                    memento.archive,
                    memento.url,
                    memento.original_url,
                    memento.captured_at,
                    status=match.status,
                    digest=match.digest,
                    mimetype=match.mimetype,
                )
            )
        return enriched

    async def cdx_records(self, url: str, http: HTTPClient) -> list[CDXRecord]:
        """pywb-style CDX: one JSON object a line (`output=json`), no paging needed."""
        query = f"{self.config.cdx}?{urlencode({'url': url, 'output': 'json'})}"
        fetched = await self.pace.fetch(http, query)
        if fetched.status_code == 404:
            return []
        if not fetched.ok:
            raise status_error(self.archive_name, fetched, "its CDX index")
        return parse_response(fetched.text).records

    # -- negotiation -----------------------------------------------------------------------

    async def nearest(self, url: str, when: datetime, http: HTTPClient) -> Memento | None:
        """The memento the TimeGate picks for `when`; the TimeMap decides without one."""
        if not self.config.timegate:
            mementos = await self.timemap(url, http)
            if not mementos:
                return None
            return min(mementos, key=lambda m: abs((m.captured_at - when).total_seconds()))
        gate = fill_template(self.config.timegate, url)
        headers = {"Accept-Datetime": format_http_date(when)}
        fetched = await self.pace.fetch(http, gate, headers=headers, follow_redirects=False)
        if fetched.status_code in (404, 410):
            return None
        links = parse_links(", ".join(fetched.headers.get_list("link")))
        original = next((lk.target for lk in links if lk.has_rel("original")), url)
        location = fetched.headers.get("location")
        redirect = joined_url(gate, location.strip()) if location else None
        if 300 <= fetched.status_code < 400 and redirect:
            return await self._memento_at(redirect, original, links, http)
        if not fetched.ok:
            raise status_error(self.archive_name, fetched, "its TimeGate")
        stamped = http_date(fetched.headers.get("memento-datetime"))
        located = joined_url(gate, fetched.headers.get("content-location") or gate)
        if stamped is not None and located is not None:
            return Memento(self.archive_name, located, original, stamped)
        # a framing replay (pywb) answers 200 and names the chosen memento in Link
        chosen = [lk for lk in links if lk.rels == {"memento"} and lk.datetime is not None]
        if not chosen:
            chosen = [lk for lk in links if "memento" in lk.rels and lk.datetime is not None]
        if not chosen:
            return None
        best = min(chosen, key=lambda lk: abs((lk.datetime or when) - when))
        assert best.datetime is not None
        located = joined_url(gate, best.target)
        if located is None:
            return None
        return Memento(self.archive_name, located, original, best.datetime)

    async def _memento_at(
        self, target: str, original: str, links: list[Link], http: HTTPClient
    ) -> Memento:
        for link in links:
            if (
                "memento" in link.rels
                and link.datetime
                and joined_url(target, link.target) == target
            ):
                return Memento(self.archive_name, target, original, link.datetime)
        stamp = _TIMESTAMP_IN_URL.search(urlsplit(target).path + "/")
        if stamp:
            when = datetime.strptime(stamp.group(1), "%Y%m%d%H%M%S").replace(tzinfo=UTC)
            return Memento(self.archive_name, target, original, when)
        head = await self.pace.fetch(http, target, method="HEAD", follow_redirects=False)
        stamped = http_date(head.headers.get("memento-datetime"))
        if stamped is None:
            raise HTTPStatusError(
                f"{self.archive_name}'s TimeGate sent us to {target}, which is not a memento",
                target,
                head.status_code,
            )
        return Memento(self.archive_name, target, original, stamped)
