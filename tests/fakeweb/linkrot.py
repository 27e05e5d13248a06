"""Hosts that answer link checks in every way a link can rot, and change over "days".

`LinkWorld.day` is read by every handler on each request, so a test moves the world
forward together with its injectable clock and sees the same URL alive one day, gone
the next and back the day after.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.fakeweb.archives import CDXIndex
from tests.fakeweb.server import FakeRequest, FakeWeb, Response, redirect

ARTICLE = """<!doctype html><html><head><title>{title}</title></head><body>
<nav>Home | World | Politics | Contact</nav>
<main><h1>{title}</h1>{paragraphs}</main>
<footer>Copyright the outlet, all rights reserved</footer></body></html>"""

#: words to build distinct article texts from, so simhashes of different articles differ
_WORDS = [
    "rebels",
    "convoy",
    "desert",
    "ambush",
    "drones",
    "wagner",
    "mali",
    "northern",
    "region",
    "telegram",
    "channel",
    "report",
    "officials",
    "confirmed",
    "footage",
    "claims",
    "verified",
    "sources",
    "witnesses",
    "statement",
    "ministry",
    "defence",
]


def article(title: str, seed: int = 0, paragraphs: int = 6) -> str:
    body = []
    for p in range(paragraphs):
        words = [_WORDS[(seed * 7 + p * 3 + i * (seed + 5)) % len(_WORDS)] for i in range(40)]
        body.append(f"<p>{title} {p} {' '.join(words)}.</p>")
    return ARTICLE.format(title=title, paragraphs="".join(body))


def not_found_template(path: str) -> str:
    # a CMS that answers every unknown path with 200 and a search box, without the
    # usual phrasing: only the probe of a random path can tell
    return ARTICLE.format(
        title="Search our site",
        paragraphs="<p>Try our search box or browse the latest stories from our newsroom "
        "using the menu above, and subscribe to our newsletter for daily updates.</p>",
    ).replace("{path}", path)


#: moved.test by path: what never changes from day to day
_MOVED = {
    "/2024/07/tuareg-rebels-ambush": redirect(
        "https://moved.test/world/africa/tuareg-rebels-ambush", 301
    ),
    "/world/africa/tuareg-rebels-ambush": Response(200, article("Tuareg rebels ambush", 11)),
    "/old-story": redirect("/", 301),
    "/missing-story": redirect("/errors/404.html", 302),
    "/errors/404.html": Response(200, article("Oops", 12)),
    "/story-elsewhere": redirect("https://moved.test/category/world", 301),
    "/category/world": Response(200, article("World news", 13)),
    "/": Response(200, article("Moved home", 14)),
}


@dataclass
class LinkWorld:
    """The hosts of a link-check test and the day it is for them."""

    web: FakeWeb
    day: int = 0
    #: per-path overrides: path -> function(day) -> Response
    schedule: dict[str, Callable[[int], Response]] = field(default_factory=dict)

    def install(self) -> LinkWorld:
        web = self.web
        web.add("news.test", self._news)
        web.add("moved.test", self._moved)
        web.add("soft.test", self._soft)
        web.add("walls.test", self._walls)
        web.add("faults.test", self._faults)
        web.add("files.test", self._files)
        web.add("nohead.test", self._nohead)
        web.add("archive.org", self._availability)
        web.add("web.archive.org", self.cdx)
        web.fail_dns("gone.test")
        return self

    # news.test: ordinary articles with validators; some paths change over the days
    def _news(self, request: FakeRequest) -> Response:
        path = request.path
        if path in self.schedule:
            return self.schedule[path](self.day)
        if path.startswith("/article/"):
            seed = sum(map(ord, path))
            etag = f'"{seed}"'
            if request.headers.get("if-none-match") == etag:
                return Response(304, b"", {"ETag": etag}, content_type=None)
            return Response(200, article(f"Story {path}", seed), {"ETag": etag})
        if path == "/changing":
            return Response(200, article("Changing story", 1 if self.day < 2 else 99))
        if path == "/gone":
            return Response(410, "gone")
        if path == "/forbidden":
            return Response(403, "forbidden")
        if path == "/busy":
            return Response(429, "slow down", {"Retry-After": "0"})
        if path == "/broken":
            return Response(503, "maintenance")
        if path == "/says-not-found":
            return Response(
                200,
                "<html><head><title>Page not found | News</title></head>"
                "<body><main><p>Sorry.</p></main></body></html>",
            )
        if path == "/":
            return Response(200, article("News home", 3))
        return Response(404, "<html><body><h1>Not Found</h1></body></html>")

    # moved.test: permanent moves to the same article, and redirects to unrelated pages
    def _moved(self, request: FakeRequest) -> Response:
        return _MOVED.get(request.path) or Response(404, "not here")

    # soft.test: every path answers 200; only /real-story is real
    def _soft(self, request: FakeRequest) -> Response:
        if request.path == "/real-story":
            return Response(200, article("A real story on soft", 21))
        return Response(200, not_found_template(request.path))

    # walls.test: captcha pages and login walls
    def _walls(self, request: FakeRequest) -> Response:
        if request.path == "/captcha":
            return Response(
                200,
                "<html><head><title>Just a moment...</title></head><body>"
                "<p>Verify you are human by completing the action below.</p></body></html>",
            )
        if request.path == "/members-only":
            return redirect("/login?next=/members-only", 302)
        if request.path == "/login":
            return Response(200, article("Log in", 31))
        if request.path == "/legal":
            return Response(451, "unavailable for legal reasons")
        return Response(404, "no")

    # faults.test: a host that breaks in transport ways
    def _faults(self, request: FakeRequest) -> Response:
        if request.path == "/slow":
            return Response(200, article("Slow", 41), delay=3.0)
        if request.path == "/reset":
            return Response(200, article("Reset", 42), reset_after=10)
        if request.path == "/garbage":
            return Response(raw=b"this is not http\r\n\r\n")
        return Response(200, article("Fault-free", 43))

    # files.test: a large PDF, checked with HEAD once known
    def _files(self, request: FakeRequest) -> Response:
        if request.path == "/report.pdf":
            headers = {"Last-Modified": "Mon, 29 Jul 2024 10:00:00 GMT"}
            body = b"%PDF-1.4 " + b"0" * 20_000
            return Response(200, body, headers, content_type="application/pdf")
        return Response(404, "no")

    # nohead.test: answers HEAD with 405 although the resource is there
    def _nohead(self, request: FakeRequest) -> Response:
        if request.method == "HEAD":
            return Response(405, "", content_type=None)
        if request.path == "/data.csv":
            return Response(200, "a,b\n1,2\n", content_type="text/csv")
        return Response(404, "no")

    # archive.org: the Wayback availability API in its real shape
    #   {"url": ..., "archived_snapshots": {"closest": {"status": "200", "available": true,
    #    "url": "http://web.archive.org/web/<timestamp>/<url>", "timestamp": "<14 digits>"}}}
    archived: dict[str, str] = field(default_factory=dict)  # url -> timestamp
    #: web.archive.org: the CDX server over the same captures
    cdx: CDXIndex = field(init=False)

    def __post_init__(self) -> None:
        self.cdx = CDXIndex(lambda: [(url, stamp, 200) for url, stamp in self.archived.items()])

    def _availability(self, request: FakeRequest) -> Response:
        if request.path != "/wayback/available":
            return Response(404, "no")
        url = request.arg("url") or ""
        snapshots: dict[str, object] = {}
        if url in self.archived:
            stamp = self.archived[url]
            snapshots["closest"] = {
                "status": "200",
                "available": True,
                "url": f"http://web.archive.org/web/{stamp}/{url}",
                "timestamp": stamp,
            }
        return Response(
            200,
            json.dumps({"url": url, "archived_snapshots": snapshots}),
            content_type="application/json",
        )
