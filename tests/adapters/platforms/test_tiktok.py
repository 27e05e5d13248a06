"""TikTok: every URL form to one identity, the id's time, oEmbed and short links."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from adapters.platforms.tiktok import TikTokAdapter
from tests.adapters.platforms.asking import enrich, parsed_as, redirect_target
from tests.adapters.platforms.limits import RETRY_ONCE_QUICKLY
from tests.fakeweb import FakeRequest, FakeWeb, Response, redirect
from tracer.http.client import HTTPClient
from tracer.store.model import NodeKind, NodeStatus, Precision

#: the video in TikTok's own oEmbed documentation
VID = "6718335390845095173"
CANONICAL = f"https://www.tiktok.com/@/video/{VID}"


@pytest.mark.parametrize(
    ("url", "handle", "form"),
    [
        (f"https://www.tiktok.com/@scout2015/video/{VID}", "scout2015", None),
        (
            f"https://tiktok.com/@scout2015/video/{VID}?is_from_webapp=1&sender_device=pc&web_id=123",
            "scout2015",
            None,
        ),
        (f"https://m.tiktok.com/@scout2015/video/{VID}?_r=1&_t=8abc", "scout2015", None),
        (f"https://www.tiktok.com/@Scout2015/video/{VID}?lang=en", "Scout2015", None),
        (f"https://www.tiktok.com/@/video/{VID}", None, None),
        (f"https://m.tiktok.com/v/{VID}.html", None, None),
        (f"https://www.tiktok.com/embed/v2/{VID}", None, "embed"),
        (f"https://www.tiktok.com/embed/{VID}", None, "embed"),
        (f"https://www.tiktok.com/player/v1/{VID}?autoplay=1", None, "player"),
        (f"https://www.tiktok.com/share/video/{VID}", None, None),
        (f"tiktok.com/@scout2015/video/{VID}", "scout2015", None),
    ],
)
def test_every_video_form_is_one_identity(url: str, handle: str | None, form: str | None) -> None:
    identity = parsed_as(TikTokAdapter(), url, NodeKind.POST, CANONICAL)
    assert identity.platform_id == VID
    assert identity.handle == handle
    assert identity.attributes.get("form") == form
    assert identity.published_at == datetime(2019, 7, 27, 13, 32, 33, tzinfo=UTC)
    assert identity.published_at_method == "tiktok-id"
    assert identity.precision == Precision.MINUTE


def test_photo_posts() -> None:
    identity = TikTokAdapter().parse(f"https://www.tiktok.com/@someone/photo/{VID}")
    assert identity is not None
    assert identity.canonical_url == f"https://www.tiktok.com/@/photo/{VID}"
    assert identity.attributes["form"] == "photo"


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("https://vm.tiktok.com/ZMeAbCdEf/", "https://vm.tiktok.com/ZMeAbCdEf/"),
        ("https://vt.tiktok.com/ZSYxWvU1/", "https://vm.tiktok.com/ZSYxWvU1/"),
        ("https://www.tiktok.com/t/ZTRabcdef/", "https://vm.tiktok.com/ZTRabcdef/"),
    ],
)
def test_short_links(url: str, canonical: str) -> None:
    parsed_as(TikTokAdapter(), url, NodeKind.PAGE, canonical)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.tiktok.com/@scout2015",
        "https://www.tiktok.com/@Scout2015?lang=en",
        "https://www.tiktok.com/@scout2015/live",
    ],
)
def test_accounts(url: str) -> None:
    parsed_as(TikTokAdapter(), url, NodeKind.CHANNEL, "https://www.tiktok.com/@scout2015")


# -- enrichment ----------------------------------------------------------------------------

OEMBED = {
    "version": "1.0",
    "type": "video",
    "title": "Scramble up ur name & I'll try to guess it",
    "author_url": "https://www.tiktok.com/@scout2015",
    "author_name": "Scout, Suki & Stella",
    "width": "100%",
    "height": "100%",
    "html": f'<blockquote class="tiktok-embed" cite="https://www.tiktok.com/@scout2015/video/{VID}" data-video-id="{VID}" style="max-width: 605px;min-width: 325px;"><section></section></blockquote>',
    "thumbnail_width": 720,
    "thumbnail_height": 1280,
    "thumbnail_url": "https://p16-sign-va.tiktokcdn.com/obj/cover.jpeg",
    "provider_url": "https://www.tiktok.com",
    "provider_name": "TikTok",
    "author_unique_id": "scout2015",
    "embed_product_id": VID,
    "embed_type": "video",
}


class TikTokWorld:
    def __init__(self) -> None:
        self.oembed: Response = Response(200, json.dumps(OEMBED), content_type="application/json")

    def www(self, request: FakeRequest) -> Response:
        if request.path == "/oembed":
            return self.oembed
        return Response(404, "")

    @staticmethod
    def short(request: FakeRequest) -> Response:
        if request.path == "/ZMeAbCdEf/":
            return redirect(f"https://www.tiktok.com/@scout2015/video/{VID}?_r=1&_t=8kX", 301)
        if request.path == "/ZMlogin12/":
            return redirect("https://www.tiktok.com/login", 302)
        return Response(404, "")


@pytest.fixture
def world(fakeweb: FakeWeb) -> TikTokWorld:
    world = TikTokWorld()
    fakeweb.add("www.tiktok.com", world.www)
    fakeweb.add("vm.tiktok.com", world.short)
    return world


HTTP_LIMITS = RETRY_ONCE_QUICKLY


async def test_post_from_oembed(world: TikTokWorld, http: HTTPClient, fakeweb: FakeWeb) -> None:
    enriched = await enrich(TikTokAdapter(), f"https://www.tiktok.com/embed/v2/{VID}", http)
    assert enriched.status == NodeStatus.RESOLVED, enriched.error
    assert enriched.handle == "scout2015"
    assert enriched.attributes["author_name"] == "Scout, Suki & Stella"
    assert enriched.name == OEMBED["title"]
    # the id's time stays: oEmbed gives none
    assert enriched.published_at_method == "tiktok-id"
    [request] = fakeweb.seen("www.tiktok.com", "/oembed")
    assert request.arg("url") == CANONICAL


@pytest.mark.parametrize(
    ("response", "words"),
    [
        (
            Response(
                400,
                '{"code":400,"message":"Something went wrong","status_msg":"Something went wrong"}',
                content_type="application/json",
            ),
            "Something went wrong",
        ),
        (Response(404, "", content_type="text/html"), "404"),
        (Response(429, "", {"Retry-After": "0"}, content_type="text/plain"), "429"),
        (Response(200, '{"title": "x"', content_type="application/json"), "malformed"),
        (
            Response(
                200,
                json.dumps({**OEMBED, "embed_product_id": "7000000000000000000"}),
                content_type="application/json",
            ),
            "another post",
        ),
    ],
)
async def test_oembed_failures(
    world: TikTokWorld, http: HTTPClient, response: Response, words: str
) -> None:
    world.oembed = response
    enriched = await enrich(TikTokAdapter(), f"https://www.tiktok.com/@scout2015/video/{VID}", http)
    assert enriched.status == NodeStatus.ERROR
    assert words in (enriched.error or "")


async def test_short_link_leads_to_the_post(world: TikTokWorld, http: HTTPClient) -> None:
    enriched = await enrich(TikTokAdapter(), "https://vm.tiktok.com/ZMeAbCdEf/", http)
    assert enriched.status == NodeStatus.RESOLVED, enriched.error
    target = redirect_target(enriched)
    assert target.canonical_url == CANONICAL
    assert target.status == NodeStatus.RESOLVED
    assert target.handle == "scout2015"


@pytest.mark.parametrize(
    ("code", "words"), [("ZMlogin12", "not a TikTok post"), ("ZMmissing1", "does not exist")]
)
async def test_short_link_failures(
    world: TikTokWorld, http: HTTPClient, code: str, words: str
) -> None:
    enriched = await enrich(TikTokAdapter(), f"https://vm.tiktok.com/{code}/", http)
    assert enriched.status == NodeStatus.ERROR
    assert words in (enriched.error or "")
