"""A hostile corner of the fakeweb world: pages written to turn tracer against its own
network, servers that fail in every way a night run meets, and rate-limited hosts that
record when each request arrived.

- `hostile_article`: a news page whose links point into private address space in every
  spelling, through a redirector and through a t.co short link;
- `ShortLinks`: t.co as X serves it (301 with Location), pointing wherever the test says;
- `Storm`: a host answering 429 (with or without Retry-After) to every request, or to
  the first N, keeping the arrival times the rate is measured from;
- `FAULTS`: one response per way a server breaks (slowloris body, reset mid-body,
  truncated gzip, redirect loop, captcha and login walls served as 200, 503).
"""

from __future__ import annotations

import gzip
import html
import itertools
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from tests.fakeweb.server import FakeRequest, FakeWeb, Response, redirect
from tests.fakeweb.world import article_html

# -- pages ---------------------------------------------------------------------------------


def article(url: str, title: str, paragraphs: Iterable[str], published: str = "2024-07-29") -> str:
    """A news page (world.article_html) published at 10:00 UTC on the day `published`."""
    at = datetime.fromisoformat(f"{published}T10:00:00+00:00")
    return article_html(url, title, "Example News", at, paragraphs)


def hostile_article(url: str, links: Iterable[str], short_code: str | None = None) -> str:
    """A page citing `links` as sources, and a pic.twitter.com media link."""
    paragraphs = [
        f'The ministry <a href="{html.escape(link)}">published the figures</a> on Monday.'
        for link in links
    ]
    if short_code:
        paragraphs.append(f"Footage of the convoy: pic.twitter.com/{short_code}")
    return article(url, "Figures that lead inside", paragraphs)


CAPTCHA = """<!DOCTYPE html><html><head><title>Just a moment...</title></head>
<body><h1>Checking your browser before accessing the site.</h1>
<p>Please complete the security check to access this page. Enable JavaScript and cookies to
continue.</p><div class="cf-browser-verification cf-im-under-attack"></div>
<form id="challenge-form" action="/cdn-cgi/l/chk_captcha" method="get"></form>
</body></html>"""

LOGIN_WALL = """<!DOCTYPE html><html><head><title>Log in or sign up to view</title></head>
<body><h1>Log in to continue</h1><p>You must log in to see this page.</p>
<form action="/login" method="post"><input name="username"><input type="password"></form>
</body></html>"""


# -- services ------------------------------------------------------------------------------


@dataclass
class ShortLinks:
    """t.co: each code answers 301 to its target, as X's shortener does."""

    targets: dict[str, str] = field(default_factory=dict)

    def install(self, web: FakeWeb) -> ShortLinks:
        web.add("t.co", self.handle)
        return self

    def handle(self, request: FakeRequest) -> Response:
        target = self.targets.get(request.path.strip("/"))
        if target is None:
            return Response(404, "<html>Not Found</html>")
        return redirect(target, 301)


@dataclass
class Storm:
    """A rate-limited host: 429 to the first `limited` requests (all when None)."""

    retry_after: str | None = None
    limited: int | None = None
    body: str = "<html><body>Too Many Requests</body></html>"
    count: itertools.count[int] = field(default_factory=itertools.count)

    def install(self, web: FakeWeb, host: str) -> Storm:
        web.add(host, self.handle)
        return self

    def handle(self, request: FakeRequest) -> Response:
        number = next(self.count)
        if self.limited is None or number < self.limited:
            headers = {"Retry-After": self.retry_after} if self.retry_after else {}
            return Response(429, self.body, headers)
        return Response(200, article(request.url, f"Story {request.path}", ["Recovered."]))


def _truncated_gzip() -> Response:
    packed = gzip.compress(article("https://x/", "cut", ["words " * 2000]).encode())
    return Response(200, packed[: len(packed) // 2], {"Content-Encoding": "gzip"})


def faults(loop_host: str) -> dict[str, Response]:
    """One response per way a server breaks, by a name the tests report it under."""
    return {
        "slowloris": Response(200, "x" * 4000, chunk_size=10, chunk_delay=0.2),
        "reset": Response(200, "y" * 50_000, reset_after=2000),
        "truncated-gzip": _truncated_gzip(),
        "redirect-loop": redirect(f"https://{loop_host}/redirect-loop"),
        "captcha": Response(200, CAPTCHA),
        "login-wall": Response(200, LOGIN_WALL),
        "unavailable": Response(503, "<html>Service Unavailable</html>"),
        "not-http": Response(raw=b"\x16\x03\x01garbage that is not HTTP\r\n\r\n"),
    }


def install_faults(web: FakeWeb, host: str) -> list[str]:
    """Serve every fault under https://HOST/NAME; returns the URLs."""
    urls = []
    for name, response in faults(host).items():
        url = f"https://{host}/{name}"
        web.page(url, response)
        urls.append(url)
    return urls


def archives_off(path: Path) -> Path:
    """An archive list with every archive disabled, for TRACER_ARCHIVE_LIST."""
    from tracer.locate.locator import load_archive_configs
    from tracer.settings import load_settings

    names = load_archive_configs(load_settings(env={}), env={})
    path.write_text("".join(f"[{name}]\nenabled = false\n" for name in names), "utf-8")
    return path


def json_response(value: object, status: int = 200) -> Response:
    return Response(status, json.dumps(value), content_type="application/json")
