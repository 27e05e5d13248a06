"""Looking at one link over the network: the request, its fallbacks, and the host probe.

Repeat checks are cheap: stored validators go out as If-None-Match / If-Modified-Since,
and a 304 ends the check. Resources that are not pages (a PDF, a video) are checked
with HEAD once tracer has seen what they are, unless the host answers HEAD wrongly
(405, or a status its GET contradicts), which is remembered for the rest of the run.
A connection that cannot be made is not tried again within the run, as lychee does not:
the outcome is connection-failed either way, and a death is confirmed over days.
"""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from dataclasses import dataclass
from urllib.parse import urlunsplit

from tracer.errors import BodyTooLargeError, NetworkError
from tracer.http.client import Fetched, HTTPClient, parse_retry_after
from tracer.linkrot.classify import HostProbe, Observation
from tracer.linkrot.scheduling.sidecar import Helpers
from tracer.urls import host_of, split_cached

_PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "")


@dataclass
class Visit:
    """An observation plus what to remember for the next check."""

    seen: Observation
    etag: str | None = None
    last_modified: str | None = None
    prefer_head: bool | None = None  # None: no news about the method
    retry_after: float | None = None  # seconds a 429/503 asked us to wait


class Visitor:
    def __init__(self, http: HTTPClient, max_body: int, helpers: Helpers | None = None) -> None:
        self.http = http
        self.helpers = helpers or Helpers()  # not started: pages are read in-process
        self.max_body = max_body
        self.head_broken: set[str] = set()
        self._probes: dict[str, HostProbe] = {}
        self._probe_locks: dict[str, asyncio.Lock] = {}

    async def visit(
        self,
        url: str,
        etag: str | None = None,
        last_modified: str | None = None,
        prefer_head: bool = False,
    ) -> Visit:
        conditional: dict[str, str] = {}
        if etag:
            conditional["If-None-Match"] = etag
        if last_modified:
            conditional["If-Modified-Since"] = last_modified
        if prefer_head and host_of(url) not in self.head_broken:
            head = await self._head(url, conditional)
            if head is not None:
                return head
        try:
            fetched = await self._fetch(url, headers=conditional, max_body=self.max_body)
        except BodyTooLargeError:
            head = await self._head(url, conditional, trusted=True)
            if head is not None:
                head.prefer_head = True
                return head
            return Visit(Observation(url, "GET", error=None, status_code=200), prefer_head=True)
        except NetworkError as exc:
            return Visit(Observation(url, "GET", error=exc))
        return await self._visit_of(fetched, "GET")

    async def _fetch(
        self,
        url: str,
        *,
        method: str = "GET",
        headers: dict[str, str] | None = None,
        max_body: int | None = None,
    ) -> Fetched:
        """Every request of a check: the lean path, and a connection that cannot be made
        taken as the answer (see the module's docstring)."""
        return await self.http.fetch(
            url, method=method, headers=headers, max_body=max_body, lean=True, retry_connect=False
        )

    async def _head(
        self, url: str, conditional: dict[str, str], trusted: bool = False
    ) -> Visit | None:
        """A HEAD check, or None when its answer must be confirmed with GET."""
        try:
            fetched = await self._fetch(url, method="HEAD", headers=conditional)
        except NetworkError as exc:
            return Visit(Observation(url, "HEAD", error=exc))
        if fetched.ok or fetched.status_code == 304 or trusted:
            return await self._visit_of(fetched, "HEAD")
        # 405/501 and friends often mean "HEAD not supported", not "gone": ask with GET
        self.head_broken.add(host_of(url))
        return None

    async def _visit_of(self, fetched: Fetched, method: str) -> Visit:
        content_type = fetched.content_type
        seen = Observation(
            url=fetched.url,
            method=method,
            status_code=fetched.status_code,
            final_url=fetched.final_url,
            history=list(fetched.history),
            content_type=content_type,
        )
        prefer_head: bool | None = None
        if method == "GET" and fetched.ok:
            if content_type in _PAGE_TYPES:
                reading = await self.helpers.read(fetched.content)
                seen.title, seen.fingerprint = reading.title, reading.fingerprint
                seen.reads_as_not_found, seen.reads_as_wall = reading.not_found, reading.walled
                prefer_head = False
            else:
                # not a page: a byte hash tells changes apart; HEAD suffices next time
                seen.fingerprint = hashlib.sha256(fetched.content).hexdigest()[:16]
                prefer_head = True
        return Visit(
            seen,
            etag=fetched.headers.get("etag"),
            last_modified=fetched.headers.get("last-modified"),
            prefer_head=prefer_head,
            retry_after=parse_retry_after(fetched.headers.get("retry-after")),
        )

    async def probe(self, url: str) -> HostProbe:
        """How the link's host answers a path that cannot exist (asked once per run)."""
        parts = split_cached(url)
        key = f"{parts.scheme}://{parts.netloc}".lower()
        if key in self._probes:
            return self._probes[key]
        lock = self._probe_locks.setdefault(key, asyncio.Lock())
        async with lock:
            if key not in self._probes:
                impossible = urlunsplit(
                    (parts.scheme, parts.netloc, f"/{uuid.uuid4().hex}-tracer-probe", "", "")
                )
                try:
                    fetched = await self._fetch(impossible, max_body=self.max_body)
                except NetworkError:
                    self._probes[key] = HostProbe(None, None, None)
                else:
                    # read like the host's pages, so the two fingerprints compare
                    reading = await self.helpers.read(fetched.content) if fetched.ok else None
                    self._probes[key] = HostProbe(
                        fetched.status_code,
                        fetched.final_url,
                        reading.fingerprint if reading else None,
                    )
        return self._probes[key]
