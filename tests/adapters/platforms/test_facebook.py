"""Facebook: every URL form to one identity; share links followed one hop."""

from __future__ import annotations

import pytest

from adapters.platforms.facebook import FacebookAdapter
from tests.adapters.platforms.asking import enrich, parsed_as, redirect_target
from tests.fakeweb import FakeWeb, redirect
from tracer.http.client import HTTPClient
from tracer.store.model import NodeKind, NodeStatus

POST = "https://www.facebook.com/rt/posts/10159876543210"
OWNER_POST = "https://www.facebook.com/100064572816381/posts/10159876543210"
PFBID = "pfbid02Xk6Ugq3rHzcV8tfQmT1uvwRBnsYLR7aQTGHpZ5ksx3Jxyz"
VIDEO = "https://www.facebook.com/watch/?v=1234567890123"
PHOTO = "https://www.facebook.com/photo/?fbid=3485430308204317"


@pytest.mark.parametrize(
    ("url", "kind", "canonical", "platform_id"),
    [
        ("https://www.facebook.com/rt/posts/10159876543210", NodeKind.POST, POST, "10159876543210"),
        (
            "https://m.facebook.com/rt/posts/10159876543210/?fbclid=IwAR0abc",
            NodeKind.POST,
            POST,
            "10159876543210",
        ),
        (
            "https://web.facebook.com/RT/posts/10159876543210?__cft__[0]=AZU&__tn__=%2CO%2CP-R",
            NodeKind.POST,
            POST,
            "10159876543210",
        ),
        (
            "https://mbasic.facebook.com/rt/posts/10159876543210?mibextid=Nif5oz",
            NodeKind.POST,
            POST,
            "10159876543210",
        ),
        (
            "https://www.facebook.com/permalink.php?story_fbid=10159876543210&id=100064572816381",
            NodeKind.POST,
            OWNER_POST,
            "10159876543210",
        ),
        (
            "https://m.facebook.com/story.php?story_fbid=10159876543210&id=100064572816381&mibextid=Nif5oz",
            NodeKind.POST,
            OWNER_POST,
            "10159876543210",
        ),
        (
            f"https://www.facebook.com/rt/posts/{PFBID}",
            NodeKind.POST,
            f"https://www.facebook.com/rt/posts/{PFBID}",
            PFBID,
        ),
        ("https://www.facebook.com/watch/?v=1234567890123", NodeKind.POST, VIDEO, "1234567890123"),
        (
            "https://www.facebook.com/watch?v=1234567890123&ref=sharing",
            NodeKind.POST,
            VIDEO,
            "1234567890123",
        ),
        (
            "https://www.facebook.com/rt/videos/1234567890123/",
            NodeKind.POST,
            VIDEO,
            "1234567890123",
        ),
        (
            "https://www.facebook.com/rt/videos/some-title-slug/1234567890123/",
            NodeKind.POST,
            VIDEO,
            "1234567890123",
        ),
        (
            "https://www.facebook.com/video.php?v=1234567890123",
            NodeKind.POST,
            VIDEO,
            "1234567890123",
        ),
        (
            "https://www.facebook.com/reel/987654321098765",
            NodeKind.POST,
            "https://www.facebook.com/reel/987654321098765",
            "987654321098765",
        ),
        (
            "https://www.facebook.com/unialesznoks/photos/pcb.3485430601537621/3485430308204317",
            NodeKind.MEDIA,
            PHOTO,
            "3485430308204317",
        ),
        (
            "https://www.facebook.com/unialesznoks/photos/a.123456/3485430308204317/?type=3",
            NodeKind.MEDIA,
            PHOTO,
            "3485430308204317",
        ),
        (
            "https://www.facebook.com/photo.php?fbid=3485430308204317&set=a.1&type=3",
            NodeKind.MEDIA,
            PHOTO,
            "3485430308204317",
        ),
        (
            "https://www.facebook.com/photo/?fbid=3485430308204317&set=pcb.1",
            NodeKind.MEDIA,
            PHOTO,
            "3485430308204317",
        ),
        (
            "https://www.facebook.com/groups/123456789/posts/987654321/",
            NodeKind.POST,
            "https://www.facebook.com/groups/123456789/posts/987654321",
            "987654321",
        ),
        (
            "https://www.facebook.com/groups/123456789/permalink/987654321/",
            NodeKind.POST,
            "https://www.facebook.com/groups/123456789/posts/987654321",
            "987654321",
        ),
        (
            "https://www.facebook.com/SportoweFakty",
            NodeKind.CHANNEL,
            "https://www.facebook.com/sportowefakty",
            None,
        ),
        (
            "https://www.facebook.com/SportoweFakty/about",
            NodeKind.CHANNEL,
            "https://www.facebook.com/sportowefakty",
            None,
        ),
        (
            "https://www.facebook.com/profile.php?id=100064572816381",
            NodeKind.CHANNEL,
            "https://www.facebook.com/profile.php?id=100064572816381",
            "100064572816381",
        ),
        (
            "https://www.facebook.com/pages/Some-Page/123456789",
            NodeKind.CHANNEL,
            "https://www.facebook.com/123456789",
            "123456789",
        ),
        ("https://fb.com/rt/posts/10159876543210", NodeKind.POST, POST, "10159876543210"),
    ],
)
def test_url_forms(url: str, kind: NodeKind, canonical: str, platform_id: str | None) -> None:
    identity = parsed_as(FacebookAdapter(), url, kind, canonical)
    assert identity.platform_id == platform_id
    # Facebook ids carry no time
    assert identity.published_at is None


def test_numeric_owner_is_not_a_handle() -> None:
    identity = FacebookAdapter().parse(
        "https://www.facebook.com/permalink.php?story_fbid=1&id=100064572816381"
    )
    assert identity is not None
    assert identity.handle is None
    assert identity.attributes["owner_id"] == "100064572816381"


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (
            "https://www.facebook.com/share/p/1AbCdEfGhI/",
            "https://www.facebook.com/share/p/1AbCdEfGhI/",
        ),
        (
            "https://www.facebook.com/share/v/1XyZ12345/?mibextid=abc",
            "https://www.facebook.com/share/v/1XyZ12345/",
        ),
        (
            "https://www.facebook.com/share/r/1QwErTy12/",
            "https://www.facebook.com/share/r/1QwErTy12/",
        ),
        ("https://fb.watch/nT3xAbC1_d/", "https://fb.watch/nT3xAbC1_d/"),
    ],
)
def test_share_links(url: str, canonical: str) -> None:
    parsed_as(FacebookAdapter(), url, NodeKind.PAGE, canonical)


def test_outbound_wrapper_names_its_target_offline() -> None:
    identity = FacebookAdapter().parse(
        "https://l.facebook.com/l.php?u=https%3A%2F%2Fwww.rt.com%2Fafrica%2F601234%3Ffbclid%3DIwAR1&h=AT0x"
    )
    assert identity is not None
    assert redirect_target(identity).canonical_url == "https://www.rt.com/africa/601234"
    # one node per target, whatever the per-click parameters
    other = FacebookAdapter().parse(
        "https://l.facebook.com/l.php?u=https%3A%2F%2Fwww.rt.com%2Fafrica%2F601234&h=AT9y&s=1"
    )
    assert other is not None and other.canonical_url == identity.canonical_url


@pytest.fixture
def http(http: HTTPClient, fakeweb: FakeWeb) -> HTTPClient:
    """The shared client, with the answers of the share links that lead to a post."""
    fakeweb.page(
        "https://www.facebook.com/share/p/1AbCdEfGhI/",
        redirect("https://www.facebook.com/rt/posts/10159876543210/?mibextid=x", 301),
    )
    fakeweb.page(
        "https://fb.watch/nT3xAbC1_d/",
        redirect("https://www.facebook.com/watch/?v=1234567890123&ref=sharing", 302),
    )
    return http


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("https://www.facebook.com/share/p/1AbCdEfGhI/", POST),
        ("https://fb.watch/nT3xAbC1_d/", VIDEO),
    ],
)
async def test_share_link_leads_to_the_post(http: HTTPClient, url: str, target: str) -> None:
    enriched = await enrich(FacebookAdapter(), url, http)
    assert enriched.status == NodeStatus.RESOLVED, enriched.error
    assert redirect_target(enriched).canonical_url == target
