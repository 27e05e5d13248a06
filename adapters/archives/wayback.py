"""The Wayback Machine: its CDX server (listings, oldest, newest) and availability API.

The request vocabulary is waybackpy's: its CDX parameter checks (`check_collapses`,
`check_filters`) and its query builder (`full_url`, which repeats `filter` and
`collapse` keys and escapes resume keys the way the CDX server expects). The requests
themselves are not waybackpy's. waybackpy opens its own `requests` sessions inside each
call with the endpoints written into the library, no timeout, retries that ignore 429
and Retry-After, and no hook for a connection guard; run in worker threads it could not
be pointed at a stand-in server, would bypass the private-address guard and the host
penalties that make every worker slow down after a 429, and its record parser fails on
the real listings' "00" days. So every request goes through tracer.http.client under the
archive's pace (adapters.archives.memento.ArchivePace), the one path for network I/O, and the
lines are read by adapters.archives.cdx, which survives the Internet Archive's malformed rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, ClassVar

from adapters.archives.cdx import CDXRecord, distinct, parse_response, parse_text, parse_timestamp
from adapters.archives.memento import MementoArchive, fill_template, status_error, wayback_timestamp
from tracer.errors import HTTPStatusError, InputError, NetworkError
from tracer.http.client import HTTPClient
from tracer.plugins.archive import ArchiveConfig, Memento, Window

CDX_ENDPOINT = "https://web.archive.org/cdx/search/cdx"
AVAILABILITY_ENDPOINT = "https://archive.org/wayback/available"
#: only 2xx captures show that the content existed
OK_FILTER = "statuscode:2.."
#: a capture of an error page is no copy of the content; redirects and revisits are
NO_ERROR_FILTER = "!statuscode:[45].."
#: what a host's listing needs of each capture
LISTING_FIELDS = ("original", "timestamp", "statuscode")


class WaybackArchive(MementoArchive):
    """The Internet Archive's Wayback Machine."""

    name: ClassVar[str] = "wayback"

    @classmethod
    def default_config(cls) -> ArchiveConfig:
        return replace(
            super().default_config(),
            timemap="https://web.archive.org/web/timemap/link/{url}",
            timegate="https://web.archive.org/web/{url}",
            cdx=CDX_ENDPOINT,
            availability=AVAILABILITY_ENDPOINT,
            replay="https://web.archive.org/web/{timestamp}/{url}",
            requests_per_minute=24,
        )

    def _memento(self, record: CDXRecord) -> Memento:
        replay = self.config.replay or "https://web.archive.org/web/{timestamp}/{url}"
        return Memento(
            archive=self.archive_name,
            url=fill_template(replay, record.original, record.timestamp),
            original_url=record.original,
            captured_at=record.captured_at,
            status=record.status,
            digest=record.digest,
            mimetype=record.mimetype,
        )

    def _query(
        self,
        url: str,
        *,
        window: Window | None = None,
        collapse: str = "",
        filters: Sequence[str] = (),
        limit: int | None = None,
        resume_key: str | None = None,
        fields: Sequence[str] = (),
    ) -> str:
        # waybackpy costs a quarter of a second to import: a nightly check that starts
        # with look-ups on pays it at its first listing, not before its first check
        from waybackpy.cdx_utils import check_collapses, check_filters, full_url
        from waybackpy.exceptions import WaybackError

        collapses = [collapse] if collapse else []
        try:
            check_collapses(collapses)
            check_filters(list(filters))
        except WaybackError as exc:
            raise InputError(f"{self.archive_name}: {exc}") from None
        params: dict[str, Any] = {"url": url}
        if fields:
            params["fl"] = ",".join(fields)  # plain-text lines then hold these, in order
        if window is not None and window.start is not None:
            params["from"] = wayback_timestamp(window.start)
        if window is not None and window.end is not None:
            # CDX bounds are inclusive; the window's end is not
            params["to"] = wayback_timestamp(window.end - timedelta(seconds=1))
        for index, expression in enumerate(filters):
            params[f"filter{index}"] = expression
        for index, expression in enumerate(collapses):
            params[f"collapse{index}"] = expression
        params["limit"] = str(limit if limit is not None else self.config.page_size)
        if limit is None:
            params["showResumeKey"] = "true"
        # revisit rows then carry the status and type of the capture they repeat
        params["resolveRevisits"] = "true"
        if resume_key:
            params["resumeKey"] = resume_key
        return str(full_url(self.config.cdx or CDX_ENDPOINT, params))

    async def _records(
        self, query: str, http: HTTPClient, fields: Sequence[str] = ()
    ) -> tuple[list[CDXRecord], str | None]:
        fetched = await self.pace.fetch(http, query)
        if not fetched.ok:
            raise status_error(self.archive_name, fetched, "its CDX search")
        page = parse_text(fetched.text, tuple(fields)) if fields else parse_response(fetched.text)
        if page.skipped and not page.records:
            # a captcha, login or error page answered with 200: not "no captures", which
            # would be remembered as the archive's word for a day
            raise NetworkError(
                f"{self.archive_name} answered its CDX search with something that is not CDX"
                f" ({fetched.content_type or 'no content type'})",
                fetched.url,
            )
        return page.records, page.resume_key

    async def listing(
        self,
        url: str,
        http: HTTPClient,
        window: Window | None = None,
        *,
        collapse: str = "",
        filters: Sequence[str] = (),
    ) -> list[Memento]:
        """The full CDX listing, following resume keys page after page."""
        records: list[CDXRecord] = []
        resume_key: str | None = None
        seen_keys: set[str] = set()
        for _ in range(self.config.max_pages):
            query = self._query(
                url, window=window, collapse=collapse, filters=filters, resume_key=resume_key
            )
            page, resume_key = await self._records(query, http)
            records.extend(page)
            # a key seen before would loop forever on a confused server
            if not resume_key or resume_key in seen_keys:
                break
            seen_keys.add(resume_key)
        mementos = [self._memento(r) for r in distinct(records)]
        return sorted(mementos, key=lambda m: (m.captured_at, m.url))

    async def listing_page(
        self, prefix: str, http: HTTPClient, resume_key: str | None = None
    ) -> tuple[list[Memento], str | None]:
        """One page of the captures under `prefix` ("host/path"): the first capture of each
        URL that is not an error page, with the key of the next page when there is one.

        One such listing answers for every link of a host at once (tracer.linkrot.scheduling.lookups).
        """
        query = self._query(
            f"{prefix}*",
            collapse="urlkey",
            filters=[NO_ERROR_FILTER],
            resume_key=resume_key,
            fields=LISTING_FIELDS,
        )
        records, next_key = await self._records(query, http, LISTING_FIELDS)
        return [self._memento(r) for r in distinct(records)], next_key

    async def captures(
        self, url: str, http: HTTPClient, window: Window | None = None
    ) -> list[Memento]:
        return await self.listing(url, http, window, collapse=self.config.collapse)

    async def oldest(self, url: str, http: HTTPClient, *, ok_only: bool = True) -> Memento | None:
        """The first capture (by default the first 2xx one) in a single CDX request."""
        filters = [OK_FILTER] if ok_only else []
        records, _ = await self._records(self._query(url, filters=filters, limit=1), http)
        return self._memento(records[0]) if records else None

    async def newest(self, url: str, http: HTTPClient, *, ok_only: bool = False) -> Memento | None:
        """The latest capture: a negative limit counts from the end of the index."""
        filters = [OK_FILTER] if ok_only else []
        records, _ = await self._records(self._query(url, filters=filters, limit=-1), http)
        return self._memento(records[-1]) if records else None

    async def availability(
        self, url: str, http: HTTPClient, when: datetime | None = None
    ) -> Memento | None:
        """The availability API's closest capture to `when` (to now without one)."""
        params = {"url": url}
        if when is not None:
            params["timestamp"] = wayback_timestamp(when)
        from waybackpy.cdx_utils import full_url

        query = str(full_url(self.config.availability or AVAILABILITY_ENDPOINT, params))
        fetched = await self.pace.fetch(http, query)
        if not fetched.ok:
            raise status_error(self.archive_name, fetched, "its availability API")
        try:
            data = fetched.json()
        except ValueError:
            raise HTTPStatusError(
                f"{self.archive_name}'s availability API sent something that is not JSON",
                query,
                fetched.status_code,
            ) from None
        closest = (
            (data.get("archived_snapshots") or {}).get("closest")
            if isinstance(data, dict)
            else None
        )
        if not isinstance(closest, dict) or not closest.get("available", True):
            return None
        memento_url = str(closest.get("url") or "")
        captured_at = parse_timestamp(str(closest.get("timestamp") or ""))
        if not memento_url or captured_at is None:
            return None
        status = str(closest.get("status") or "")
        # the API still writes http:// memento URLs; the archive serves them over https
        memento_url = memento_url.replace("http://web.archive.org/", "https://web.archive.org/", 1)
        return Memento(
            self.archive_name,
            memento_url,
            url,
            captured_at,
            status=int(status) if status.isdigit() else None,
        )

    async def nearest(self, url: str, when: datetime, http: HTTPClient) -> Memento | None:
        return await self.availability(url, http, when)
