"""VK: every URL form to one identity; vk.cc short links followed one hop."""

from __future__ import annotations

import pytest

from adapters.platforms.vk import VKAdapter
from tests.adapters.platforms.asking import enrich, parsed_as, redirect_target
from tests.fakeweb import FakeWeb, redirect
from tracer.http.client import HTTPClient
from tracer.store.model import NodeKind, NodeStatus

WALL = "https://vk.com/wall-40316705_123456"


@pytest.mark.parametrize(
    ("url", "kind", "canonical", "platform_id"),
    [
        ("https://vk.com/wall-40316705_123456", NodeKind.POST, WALL, "-40316705_123456"),
        ("https://m.vk.com/wall-40316705_123456", NodeKind.POST, WALL, "-40316705_123456"),
        ("https://vk.ru/wall-40316705_123456", NodeKind.POST, WALL, "-40316705_123456"),
        ("http://vkontakte.ru/wall-40316705_123456", NodeKind.POST, WALL, "-40316705_123456"),
        (
            "https://new.vk.com/wall-40316705_123456?from=feed",
            NodeKind.POST,
            WALL,
            "-40316705_123456",
        ),
        (
            "https://vk.com/rt_russian?w=wall-40316705_123456",
            NodeKind.POST,
            WALL,
            "-40316705_123456",
        ),
        (
            "https://vk.com/feed?w=wall-40316705_123456%2Fall",
            NodeKind.POST,
            WALL,
            "-40316705_123456",
        ),
        (
            "https://vk.com/wall-40316705_123456?reply=789&thread=700",
            NodeKind.POST,
            WALL,
            "-40316705_123456",
        ),
        ("https://vk.com/wall1_45616", NodeKind.POST, "https://vk.com/wall1_45616", "1_45616"),
        (
            "https://vk.com/video-40316705_456239017",
            NodeKind.POST,
            "https://vk.com/video-40316705_456239017",
            "-40316705_456239017",
        ),
        (
            "https://vk.com/clip-40316705_456239017",
            NodeKind.POST,
            "https://vk.com/video-40316705_456239017",
            "-40316705_456239017",
        ),
        (
            "https://vk.com/video?z=video-40316705_456239017%2Fpl_cat_trends",
            NodeKind.POST,
            "https://vk.com/video-40316705_456239017",
            "-40316705_456239017",
        ),
        (
            "https://vk.com/photo-40316705_457240001",
            NodeKind.MEDIA,
            "https://vk.com/photo-40316705_457240001",
            "-40316705_457240001",
        ),
        (
            "https://vk.com/rt_russian?z=photo-40316705_457240001%2Fwall-40316705_123456",
            NodeKind.MEDIA,
            "https://vk.com/photo-40316705_457240001",
            "-40316705_457240001",
        ),
        (
            "https://vk.com/club40316705",
            NodeKind.CHANNEL,
            "https://vk.com/club40316705",
            "-40316705",
        ),
        (
            "https://vk.com/public40316705",
            NodeKind.CHANNEL,
            "https://vk.com/club40316705",
            "-40316705",
        ),
        ("https://vk.com/id1", NodeKind.CHANNEL, "https://vk.com/id1", "1"),
        ("https://vk.com/RT_Russian", NodeKind.CHANNEL, "https://vk.com/rt_russian", None),
    ],
)
def test_url_forms(url: str, kind: NodeKind, canonical: str, platform_id: str | None) -> None:
    identity = parsed_as(VKAdapter(), url, kind, canonical)
    assert identity.platform_id == platform_id
    assert identity.published_at is None  # VK ids carry no time


def test_community_owner_is_recorded() -> None:
    identity = VKAdapter().parse("https://vk.com/wall-40316705_123456?reply=789")
    assert identity is not None
    assert identity.attributes["owner_id"] == "-40316705"
    assert identity.attributes["reply"] == "789"


def test_away_wrapper_names_its_target() -> None:
    identity = VKAdapter().parse(
        "https://vk.com/away.php?to=https%3A%2F%2Ft.me%2Fgreyzone%2F1234&cc_key="
    )
    assert identity is not None
    assert redirect_target(identity).canonical_url == "https://t.me/greyzone/1234"


@pytest.fixture
def http(http: HTTPClient, fakeweb: FakeWeb) -> HTTPClient:
    """The shared client, with the short link's redirect served."""
    fakeweb.page("https://vk.cc/cAbCdE", redirect(f"{WALL}?utm_source=vkcc", 301))
    return http


async def test_short_link(http: HTTPClient) -> None:
    adapter = VKAdapter()
    identity = adapter.parse("https://vk.cc/cAbCdE")
    assert identity is not None and identity.kind == NodeKind.PAGE
    enriched = await adapter.enrich(identity, http)
    assert enriched.status == NodeStatus.RESOLVED
    [related] = enriched.related
    assert related.identity.canonical_url == WALL


async def test_missing_short_link(http: HTTPClient) -> None:
    enriched = await enrich(VKAdapter(), "https://vk.cc/zzzzzz", http)
    assert enriched.status == NodeStatus.ERROR
    assert "not a redirect" in (enriched.error or "")
