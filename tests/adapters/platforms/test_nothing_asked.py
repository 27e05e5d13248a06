"""What a platform offers no public endpoint for is not asked: the adapter keeps the
offline identity and says, in `enrichment`, why nothing was asked. One table, one test."""

from __future__ import annotations

import pytest

from adapters.platforms.facebook import FacebookAdapter
from adapters.platforms.tiktok import TikTokAdapter
from adapters.platforms.vk import VKAdapter
from adapters.platforms.x import XAdapter
from tests.adapters.platforms.asking import enrich
from tests.fakeweb import FakeWeb
from tracer.http.client import HTTPClient
from tracer.plugins.platform import PlatformAdapter
from tracer.store.model import NodeStatus

NOT_ASKED: list[tuple[type[PlatformAdapter], str]] = [
    (FacebookAdapter, "https://www.facebook.com/rt/posts/10159876543210"),  # a post
    (VKAdapter, "https://vk.com/wall-40316705_123456"),  # a wall post
    (TikTokAdapter, "https://www.tiktok.com/@scout2015"),  # an account
    (XAdapter, "https://x.com/Tendar"),  # an account
]


@pytest.mark.parametrize(("adapter", "url"), NOT_ASKED)
async def test_nothing_is_asked_and_the_identity_says_so(
    http: HTTPClient, fakeweb: FakeWeb, adapter: type[PlatformAdapter], url: str
) -> None:
    enriched = await enrich(adapter(), url, http)
    assert enriched.status == NodeStatus.OFFLINE
    assert enriched.attributes["enrichment"].startswith("none:")
    assert fakeweb.requests == []
