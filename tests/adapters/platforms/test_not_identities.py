"""The URLs each platform adapter must not take for one of its own: its site's pages that
are no post or account, malformed ids, and look-alike hosts. One table, one test: every
adapter is asked the same question."""

from __future__ import annotations

import pytest

from adapters.platforms.facebook import FacebookAdapter
from adapters.platforms.instagram import InstagramAdapter
from adapters.platforms.tiktok import TikTokAdapter
from adapters.platforms.vk import VKAdapter
from adapters.platforms.x import XAdapter
from adapters.platforms.youtube import YouTubeAdapter
from tracer.plugins.platform import PlatformAdapter

NOT_IDENTITIES: dict[type[PlatformAdapter], list[str]] = {
    FacebookAdapter: [
        "https://www.facebook.com/",
        "https://www.facebook.com/login/",
        "https://www.facebook.com/sharer/sharer.php?u=https://example.org",
        "https://www.facebook.com/hashtag/mali",
        "https://www.facebook.com/rt/posts/",
        "https://www.facebook.com/watch/?v=abc",
        "https://example.com/rt/posts/10159876543210",
        "https://www.facebook.com/plugins/post.php?href=x",
    ],
    InstagramAdapter: [
        "https://www.instagram.com/",
        "https://www.instagram.com/explore/tags/mali/",
        "https://www.instagram.com/accounts/login/",
        "https://www.instagram.com/en_US/embeds.js",
        "https://www.instagram.com/p/",
        "https://www.instagram.com/p/ByvcEZml3za/unknown/",
        "https://example.com/p/ByvcEZml3za/",
    ],
    TikTokAdapter: [
        "https://www.tiktok.com/",
        "https://www.tiktok.com/foryou",
        "https://www.tiktok.com/@scout2015/video/notanid",
        "https://www.tiktok.com/tag/mali",
        "https://www.tiktok.com/@/video/123",
        "https://example.com/@scout2015/video/6718335390845095173",
    ],
    VKAdapter: [
        "https://vk.com/",
        "https://vk.com/feed",
        "https://vk.com/im?sel=1",
        "https://vk.com/wall-abc_1",
        "https://vk.com/app1234567",
        "https://vk.com/rt_russian/extra",
        "https://example.com/wall-1_2",
    ],
    XAdapter: [
        "https://x.com/search?q=wagner",
        "https://twitter.com/home",
        "https://twitter.com/hashtag/Mali",
        "https://x.com/i/lists/123",
        "https://twitter.com/Tendar/status/notanumber",
        "https://twitter.com/Tendar/status/123/unknown-tab",
        "https://twitter.com/",
        "https://example.com/Tendar/status/1817621375373803722",
        "https://nottwitter.com/Tendar/status/1817621375373803722",
        "mailto:someone@x.com",
        "",
    ],
    YouTubeAdapter: [
        "https://www.youtube.com/",
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/embed/videoseries?list=PLx",
        "https://www.youtube.com/results?search_query=mali",
        "https://youtu.be/",
        "https://notyoutube.com/watch?v=dQw4w9WgXcQ",
        "https://example.com/embed/dQw4w9WgXcQ",
    ],
}


@pytest.mark.parametrize(
    ("adapter", "url"),
    [(adapter, url) for adapter, urls in NOT_IDENTITIES.items() for url in urls],
)
def test_not_an_identity(adapter: type[PlatformAdapter], url: str) -> None:
    assert adapter().parse(url) is None
