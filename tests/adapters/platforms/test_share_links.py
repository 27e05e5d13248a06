"""A share link that leads to no post (a login page) or answers with an error is enriched
to an error that says which. One table, one test, for the platforms whose share links
are plain redirects; where a link leads to a post is each platform's own test."""

from __future__ import annotations

import pytest

from adapters.platforms.facebook import FacebookAdapter
from adapters.platforms.instagram import InstagramAdapter
from tests.adapters.platforms.asking import enrich
from tests.fakeweb import FakeWeb, Response, redirect
from tracer.http.client import HTTPClient
from tracer.plugins.platform import PlatformAdapter
from tracer.store.model import NodeStatus

#: the adapter, its share link, what the platform answers, words the error must carry
FAILING: list[tuple[type[PlatformAdapter], str, Response, str]] = [
    (
        FacebookAdapter,
        "https://www.facebook.com/share/v/1XyZ12345/",
        redirect(
            "https://www.facebook.com/login/?next=https%3A%2F%2Fwww.facebook.com%2Fshare%2Fv%2F1XyZ12345%2F",
            302,
        ),
        "not a post",
    ),
    (
        FacebookAdapter,
        "https://www.facebook.com/share/r/1QwErTy12/",
        Response(500, "", content_type="text/plain"),
        "HTTP 500",
    ),
    (
        InstagramAdapter,
        "https://www.instagram.com/share/reel/BLogin123/",
        redirect("https://www.instagram.com/accounts/login/?next=%2Fshare%2F", 302),
        "not a post",
    ),
    (
        InstagramAdapter,
        "https://www.instagram.com/share/BGone1234/",
        Response(404, ""),
        "HTTP 404",
    ),
]


@pytest.mark.parametrize(("adapter", "url", "answer", "words"), FAILING)
async def test_share_link_failures(
    http: HTTPClient,
    fakeweb: FakeWeb,
    adapter: type[PlatformAdapter],
    url: str,
    answer: Response,
    words: str,
) -> None:
    fakeweb.page(url, answer)
    enriched = await enrich(adapter(), url, http)
    assert enriched.status == NodeStatus.ERROR
    assert words in (enriched.error or "")
