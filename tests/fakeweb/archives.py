"""Fakeweb handlers that play web archives: the Wayback CDX server and availability API,
archive.today and other Memento archives, and the ways they fail.

The Wayback handlers replay the REAL responses recorded from the Internet Archive
(../shared/real/wayback/cassettes/*.yaml, vcrpy format) and the real CDX lines in
../shared/real/wayback/cdx/, read in place when a test runs; nothing of them is copied
here. Where no recording exists (availability, archive.today's TimeMap) the handlers
write the services' documented formats from the captures a test gives them.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import parse_qs, quote_plus, unquote_plus, urlsplit

import yaml

from tests.conftest import REAL
from tests.fakeweb.server import FakeRequest, Response

WAYBACK = REAL / "wayback"
CASSETTES = WAYBACK / "cassettes"
CDX_LINES = WAYBACK / "cdx"
WAYBACK_HOST = "web.archive.org"
AVAILABILITY_HOST = "archive.org"

Handler = Callable[[FakeRequest], Response]


# -- recorded interactions ------------------------------------------------------------------


@dataclass(frozen=True)
class Interaction:
    """One recorded request and the response the real service sent."""

    method: str
    uri: str
    status: int
    headers: dict[str, list[str]]
    body: bytes

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.uri).query, keep_blank_values=True)

    @property
    def path(self) -> str:
        return urlsplit(self.uri).path

    def header(self, name: str) -> str | None:
        for key, values in self.headers.items():
            if key.lower() == name.lower() and values:
                return values[0]
        return None

    def response(self) -> Response:
        """The recorded answer, body already inflated (so without its content-encoding)."""
        keep = {}
        for key, values in self.headers.items():
            if key.lower() in ("content-encoding", "transfer-encoding", "content-length"):
                continue
            if key.lower() in ("connection", "content-type"):
                continue
            keep[key] = values[0]
        return Response(
            self.status, self.body, keep, content_type=self.header("content-type") or None
        )


def load_cassette(name: str) -> list[Interaction]:
    """The interactions of ../shared/real/wayback/cassettes/NAME.yaml, bodies inflated."""
    with (CASSETTES / f"{name}.yaml").open("rb") as handle:
        data = yaml.safe_load(handle)
    found: list[Interaction] = []
    for item in data["interactions"]:
        response = item["response"]
        headers = {str(k): [str(v) for v in vs] for k, vs in response["headers"].items()}
        body = response["body"]["string"]
        if isinstance(body, str):
            body = body.encode("utf-8")
        if any(k.lower() == "content-encoding" and "gzip" in vs for k, vs in headers.items()):
            body = gzip.decompress(body)
        found.append(
            Interaction(
                item["request"]["method"],
                item["request"]["uri"],
                int(response["status"]["code"]),
                headers,
                body,
            )
        )
    return found


def cdx_lines(name: str) -> bytes:
    """A real CDX listing from ../shared/real/wayback/cdx/, as the server sent it."""
    return (CDX_LINES / name).read_bytes()


# -- the Wayback CDX server ----------------------------------------------------------------

#: parameters that pick a recorded answer; the others (limit, output flags) do not
_MATCHED = ("url", "from", "to", "resumeKey", "filter", "matchType")


def _signature(query: dict[str, list[str]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((k, tuple(sorted(query.get(k, [])))) for k in _MATCHED)


@dataclass
class WaybackCDX:
    """The CDX server replaying recorded answers; unknown queries list nothing, as IA does."""

    interactions: list[Interaction] = field(default_factory=list)
    listings: dict[str, bytes] = field(default_factory=dict)  # url param -> CDX body
    requests: list[FakeRequest] = field(default_factory=list)

    @classmethod
    def replaying(cls, *cassettes: str) -> WaybackCDX:
        found: list[Interaction] = []
        for name in cassettes:
            found.extend(i for i in load_cassette(name) if i.path == "/cdx/search/cdx")
        return cls(found)

    def __call__(self, request: FakeRequest) -> Response:
        self.requests.append(request)
        if request.path != "/cdx/search/cdx":
            return Response(404, "not found", content_type="text/plain")
        wanted = _signature(request.query)
        for interaction in self.interactions:
            if _signature(interaction.query) == wanted:
                return interaction.response()
        url = request.arg("url") or ""
        if url in self.listings:
            return Response(200, self.listings[url], content_type="text/plain")
        return Response(200, b"", content_type="text/plain;charset=UTF-8")


def surt(url: str) -> str:
    """The CDX server's urlkey: host reversed without www, then the path (lower-cased)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    if parts.port and parts.port not in (80, 443):
        host += f":{parts.port}"
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return ",".join(reversed(host.split("."))) + ")" + path.lower()


@dataclass
class CDXIndex:
    """A CDX server over given captures, answering the queries of a host listing the way
    the Internet Archive does: `url` exact or ending in `*` (a prefix), `fl`, `collapse=
    urlkey` (the first capture of each URL), `filter=[!]statuscode:REGEX`, `limit`, and
    pages that end in a blank line and a resume key (see the real ones in
    ../shared/real/wayback/cassettes/test_search_multipage.yaml)."""

    captures: Callable[[], Iterable[tuple[str, str, int]]]  # (url, timestamp, status)
    requests: list[FakeRequest] = field(default_factory=list)

    def __call__(self, request: FakeRequest) -> Response:
        self.requests.append(request)
        if request.path != "/cdx/search/cdx":
            return Response(404, "not found", content_type="text/plain")
        asked = request.arg("url") or ""
        prefix = asked.endswith("*")
        wanted = surt("http://" + asked.rstrip("*").split("://")[-1])
        rows = sorted(
            (surt(url), stamp, url, status)
            for url, stamp, status in self.captures()
            if (surt(url).startswith(wanted) if prefix else surt(url) == wanted)
        )
        for expression in request.query.get("filter", []):
            negate = expression.startswith("!")
            name, _, pattern = expression.lstrip("!").partition(":")
            if name == "statuscode":
                rows = [r for r in rows if bool(re.fullmatch(pattern, str(r[3]))) != negate]
        if "urlkey" in request.query.get("collapse", []):
            firsts: dict[str, tuple[str, str, str, int]] = {}
            for row in rows:
                firsts.setdefault(row[0], row)
            rows = sorted(firsts.values())
        resume = request.arg("resumeKey")
        if resume:
            key, _, stamp = unquote_plus(resume).partition(" ")
            rows = [r for r in rows if (r[0], r[1]) >= (key, stamp)]
        limit = int(request.arg("limit") or "0") or len(rows)
        page, rest = rows[:limit], rows[limit:]
        names = (request.arg("fl") or "urlkey,timestamp,original,statuscode").split(",")
        lines = []
        for urlkey, stamp, url, status in page:
            values = {"urlkey": urlkey, "timestamp": stamp, "original": url, "statuscode": status}
            lines.append(" ".join(str(values.get(name, "-")) for name in names))
        body = "".join(line + "\n" for line in lines)
        if rest and request.arg("showResumeKey") == "true":
            body += "\n" + quote_plus(f"{rest[0][0]} {rest[0][1]}") + "\n"
        return Response(200, body, content_type="text/plain")


# -- the availability API ------------------------------------------------------------------


@dataclass
class Availability:
    """archive.org/wayback/available in its documented JSON shape, over given timestamps."""

    captures: dict[str, list[tuple[str, int]]]  # url -> [(timestamp, status)]

    def __call__(self, request: FakeRequest) -> Response:
        if request.path != "/wayback/available":
            return Response(404, "not found", content_type="text/plain")
        url = request.arg("url") or ""
        stamps = sorted(self.captures.get(url, []))
        body: dict[str, object] = {"url": url, "archived_snapshots": {}}
        if stamps:
            wanted = (request.arg("timestamp") or "99991231235959").ljust(14, "0")
            timestamp, status = min(stamps, key=lambda s: abs(int(s[0]) - int(wanted)))
            body["archived_snapshots"] = {
                "closest": {
                    "status": str(status),
                    "available": True,
                    "url": f"http://web.archive.org/web/{timestamp}/{url}",
                    "timestamp": timestamp,
                }
            }
        if request.arg("timestamp"):
            body["timestamp"] = request.arg("timestamp")
        return Response(200, json.dumps(body), content_type="application/json")


# -- Memento archives ----------------------------------------------------------------------


def http_date(when: datetime) -> str:
    return format_datetime(when.astimezone(UTC), usegmt=True)


def stamp(when: datetime) -> str:
    """The 14-digit timestamp archives file a capture at `when` under."""
    return when.astimezone(UTC).strftime("%Y%m%d%H%M%S")


@dataclass
class MementoSite:
    """A Memento archive with TimeMap and TimeGate, paged like large archives page them.

    `page_size` mementos go on each TimeMap page; later pages are linked with
    rel="timemap" (and from/until), or rel="next" when `next_rel` is set.
    """

    host: str
    captures: dict[str, list[datetime]]
    prefix: str = ""  # path before /timemap/, e.g. "/wayback"
    page_size: int = 1000
    next_rel: bool = False
    timemap_path: str = "/timemap/link/"
    timegate_path: str = "/timegate/"
    requests: list[FakeRequest] = field(default_factory=list)

    def memento_url(self, url: str, when: datetime) -> str:
        return f"https://{self.host}{self.prefix}/{stamp(when)}/{url}"

    def timemap_url(self, url: str, page: int = 0) -> str:
        suffix = f"?page={page}" if page else ""
        return f"https://{self.host}{self.prefix}{self.timemap_path}{url}{suffix}"

    def _target(self, request: FakeRequest, path: str) -> str:
        # the asked URL follows the prefix raw; its own query string comes along
        target = request.target[len(self.prefix + path) :]
        return target.split("?page=", 1)[0]

    def __call__(self, request: FakeRequest) -> Response:
        self.requests.append(request)
        if request.target.startswith(self.prefix + self.timemap_path):
            return self.timemap(request)
        if request.target.startswith(self.prefix + self.timegate_path):
            return self.timegate(request)
        return Response(404, "not found", content_type="text/plain")

    def timemap(self, request: FakeRequest) -> Response:
        url = self._target(request, self.timemap_path)
        times = sorted(self.captures.get(url, []))
        if not times:
            return Response(404, "TimeMap does not exist", content_type="text/plain")
        # the page number follows the asked URL, whose own query may hold a "?" already
        tail = request.target.rsplit("?page=", 1)
        page = int(tail[1]) if len(tail) == 2 and tail[1].isdigit() else 0
        chunk = times[page * self.page_size : (page + 1) * self.page_size]
        lines = [
            f'<{url}>; rel="original"',
            f'<{self.timemap_url(url, page)}>; rel="self"; type="application/link-format"; '
            f'from="{http_date(chunk[0])}"; until="{http_date(chunk[-1])}"',
            f'<https://{self.host}{self.prefix}{self.timegate_path}{url}>; rel="timegate"',
        ]
        if (page + 1) * self.page_size < len(times):
            following = times[(page + 1) * self.page_size]
            rel = "next" if self.next_rel else "timemap"
            lines.append(
                f'<{self.timemap_url(url, page + 1)}>; rel="{rel}"; '
                f'type="application/link-format"; from="{http_date(following)}"'
            )
        for index, when in enumerate(chunk):
            rel = "memento"
            if page == 0 and index == 0:
                rel = "first memento"
            lines.append(
                f'<{self.memento_url(url, when)}>; rel="{rel}"; datetime="{http_date(when)}"'
            )
        return Response(200, ",\n".join(lines) + "\n", content_type="application/link-format")

    def timegate(self, request: FakeRequest) -> Response:
        url = self._target(request, self.timegate_path)
        times = sorted(self.captures.get(url, []))
        if not times:
            return Response(404, "no mementos", content_type="text/plain")
        from email.utils import parsedate_to_datetime

        asked = request.headers.get("accept-datetime")
        when = parsedate_to_datetime(asked) if asked else times[-1]
        chosen = min(times, key=lambda t: abs((t - when).total_seconds()))
        link = (
            f'<{url}>; rel="original", '
            f'<{self.timemap_url(url)}>; rel="timemap"; type="application/link-format"'
        )
        return Response(
            302,
            b"",
            {"Location": self.memento_url(url, chosen), "Vary": "accept-datetime", "Link": link},
            content_type=None,
        )


# -- faults --------------------------------------------------------------------------------


@dataclass
class SlowDown:
    """Answers 429 to the first `times` requests (with Retry-After when given), then passes."""

    inner: Handler
    times: int = 1
    retry_after: str | None = None
    status: int = 429
    requests: list[FakeRequest] = field(default_factory=list)

    def __call__(self, request: FakeRequest) -> Response:
        self.requests.append(request)
        if len(self.requests) <= self.times:
            headers = {"Retry-After": self.retry_after} if self.retry_after is not None else {}
            return Response(
                self.status, "<html>Too Many Requests</html>", headers, content_type="text/html"
            )
        return self.inner(request)


def serve_cdx_text(body: bytes) -> Handler:
    """A CDX endpoint that answers every query with `body` (e.g. real malformed lines)."""

    def handler(request: FakeRequest) -> Response:
        return Response(200, body, content_type="text/plain")

    return handler


def timestamps(lines: Iterable[str]) -> list[str]:
    return [line.split()[1] for line in lines if len(line.split()) > 1]


def wayback_record_lines(interactions: Sequence[Interaction]) -> list[str]:
    """The CDX rows (not resume keys) of recorded responses, for comparing with results."""
    rows: list[str] = []
    for interaction in interactions:
        for line in interaction.body.decode("utf-8", "replace").splitlines():
            if len(line.split(" ")) >= 7:
                rows.append(line)
    return rows
