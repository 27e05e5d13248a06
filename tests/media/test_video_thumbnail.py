"""A YouTube video's picture is its thumbnail: the address its oEmbed names, or the
same hqdefault form built from the id when the oEmbed answer names none."""

from __future__ import annotations

import json

import pytest

from adapters.platforms.youtube import YouTubeAdapter
from tests.fakeweb.server import FakeWeb, Response
from tests.fakeweb.youtube import Video, YouTubeWorld
from tracer.http.client import HTTPClient
from tracer.plugins.platform import Identity

VIDEO_ID = "dQw4w9WgXcQ"


#: one attempt, answered soon: the thumbnail tests see endpoints fail
HTTP_LIMITS = {"max_attempts": 1, "timeout": 1.0, "total_timeout": 3.0}


@pytest.fixture
def world(fakeweb: FakeWeb) -> YouTubeWorld:
    world = YouTubeWorld().install(fakeweb)
    world.add(Video(VIDEO_ID, "Rocket launch", "Space Channel", "space", "UC" + "a" * 22))
    return world


async def _enrich(http: HTTPClient) -> Identity:
    adapter = YouTubeAdapter()
    identity = adapter.parse(f"https://youtu.be/{VIDEO_ID}")
    assert identity is not None
    return await adapter.enrich(identity, http)


async def test_the_thumbnail_oembed_names_is_the_videos_picture(
    world: YouTubeWorld, http: HTTPClient
) -> None:
    enriched = await _enrich(http)
    assert enriched.attributes["images"] == [f"https://i.ytimg.com/vi/{VIDEO_ID}/hqdefault.jpg"]


async def test_without_thumbnail_url_the_picture_is_built_from_the_id(
    world: YouTubeWorld, http: HTTPClient
) -> None:
    answer = {"title": "Rocket launch", "author_name": "Space Channel", "type": "video"}
    world.fail(
        "oembed", VIDEO_ID, Response(200, json.dumps(answer), content_type="application/json")
    )
    enriched = await _enrich(http)
    assert enriched.attributes["thumbnail"] == f"https://i.ytimg.com/vi/{VIDEO_ID}/hqdefault.jpg"
    assert enriched.attributes["images"] == [enriched.attributes["thumbnail"]]


async def test_a_private_video_shows_no_picture(world: YouTubeWorld, http: HTTPClient) -> None:
    world.videos[VIDEO_ID].private = True
    enriched = await _enrich(http)
    assert "images" not in enriched.attributes  # no placeholder is fingerprinted as its picture
