"""Instagram: every URL form to one identity, dated by its shortcode; share links."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from adapters.platforms.instagram import InstagramAdapter
from tests.adapters.platforms.asking import enrich, parsed_as, redirect_target
from tests.conftest import REAL
from tests.fakeweb import FakeWeb, redirect
from tracer.http.client import HTTPClient
from tracer.store.model import NodeKind, NodeStatus, Precision

CODE = "ByvcEZml3za"
CANONICAL = f"https://www.instagram.com/p/{CODE}/"


@pytest.mark.parametrize(
    ("url", "handle", "form"),
    [
        (f"https://www.instagram.com/p/{CODE}/", None, None),
        (f"https://instagram.com/p/{CODE}", None, None),
        (f"http://www.instagram.com/p/{CODE}/?utm_source=ig_web_copy_link", None, None),
        (f"https://www.instagram.com/p/{CODE}/?igshid=MzRlODBiNWFlZA==", None, None),
        (f"https://www.instagram.com/p/{CODE}/?igsh=MTc4MmM1YmI2Ng%3D%3D&img_index=2", None, None),
        (f"https://www.instagram.com/p/{CODE}/embed/", None, None),
        (f"https://www.instagram.com/p/{CODE}/embed/captioned/?cr=1&v=14", None, None),
        (f"https://www.instagram.com/reel/{CODE}/", None, "reel"),
        (f"https://www.instagram.com/reels/{CODE}/", None, "reel"),
        (f"https://www.instagram.com/tv/{CODE}/", None, "tv"),
        (f"https://www.instagram.com/jolie_redaktion/p/{CODE}/", "jolie_redaktion", None),
        (f"https://www.instagram.com/jolie_redaktion/reel/{CODE}/", "jolie_redaktion", "reel"),
        (f"https://instagr.am/p/{CODE}/", None, None),
        (f"https://m.instagram.com/p/{CODE}/", None, None),
        (f"instagram.com/p/{CODE}", None, None),
    ],
)
def test_every_post_form_is_one_identity(url: str, handle: str | None, form: str | None) -> None:
    identity = parsed_as(InstagramAdapter(), url, NodeKind.POST, CANONICAL)
    assert identity.platform_id == CODE
    assert identity.handle == handle
    assert identity.attributes.get("form") == form
    assert identity.published_at_method == "instagram-shortcode"
    assert identity.precision == Precision.MILLISECOND


def test_embeds_in_a_real_page_are_dated_by_their_shortcodes() -> None:
    """The real blockquotes carry their post time; the shortcode alone gives the same time."""
    page = (REAL / "articles" / "jolie.de.adele.html").read_text(encoding="utf-8")
    found = 0
    for blockquote in re.findall(
        r"<blockquote class=\"instagram-media\".*?</blockquote>", page, re.S
    ):
        link = re.search(r"https://www\.instagram\.com/p/[A-Za-z0-9_-]+/", blockquote)
        stamp = re.search(r'datetime="([^"]+)"', blockquote)
        assert link and stamp
        identity = InstagramAdapter().parse(link.group(0))
        assert identity is not None and identity.published_at is not None
        stated = datetime.fromisoformat(stamp.group(1))
        # the embed states whole seconds; the id has the milliseconds
        assert identity.published_at.replace(microsecond=0) == stated
        found += 1
    assert found == 2


def test_stories_are_dated_by_their_media_id() -> None:
    identity = InstagramAdapter().parse(
        "https://www.instagram.com/stories/natgeo/2384288897814875714/?utm_source=ig_story_item_share"
    )
    assert identity is not None
    assert identity.kind == NodeKind.POST
    assert identity.canonical_url == "https://www.instagram.com/stories/natgeo/2384288897814875714/"
    assert identity.handle == "natgeo"
    assert identity.published_at is not None
    assert identity.published_at.replace(microsecond=0) == datetime(
        2020, 8, 26, 13, 43, 27, tzinfo=UTC
    )
    assert identity.published_at_method == "instagram-id"


def test_private_account_shortcodes_get_no_time() -> None:
    long_code = CODE + "x" * 28
    identity = InstagramAdapter().parse(f"https://www.instagram.com/p/{long_code}/")
    assert identity is not None
    assert identity.platform_id == long_code
    assert identity.published_at is None


@pytest.mark.parametrize(
    "url",
    [
        "https://www.instagram.com/jolie_redaktion/",
        "https://instagram.com/Jolie_Redaktion?igshid=x",
        "https://www.instagram.com/jolie_redaktion/reels/",
    ],
)
def test_accounts(url: str) -> None:
    parsed_as(
        InstagramAdapter(), url, NodeKind.CHANNEL, "https://www.instagram.com/jolie_redaktion/"
    )


@pytest.fixture
def http(http: HTTPClient, fakeweb: FakeWeb) -> HTTPClient:
    """The shared client, with the answers of the share links that lead to a post."""
    fakeweb.page(
        "https://www.instagram.com/share/p/BAbc123xyz/",
        redirect(f"https://www.instagram.com/p/{CODE}/?igsh=abc", 302),
    )
    return http


async def test_posts_keep_the_offline_identity_and_say_so(
    http: HTTPClient, fakeweb: FakeWeb
) -> None:
    adapter = InstagramAdapter()
    identity = adapter.parse(CANONICAL)
    assert identity is not None
    enriched = await adapter.enrich(identity, http)
    assert enriched.status == NodeStatus.OFFLINE
    assert enriched.attributes["enrichment"].startswith("none:")
    assert enriched.published_at == identity.published_at
    assert fakeweb.requests == []


async def test_share_link_leads_to_the_post(http: HTTPClient) -> None:
    enriched = await enrich(
        InstagramAdapter(), "https://www.instagram.com/share/p/BAbc123xyz/", http
    )
    assert enriched.status == NodeStatus.RESOLVED
    target = redirect_target(enriched)
    assert target.canonical_url == CANONICAL
    assert target.published_at is not None
