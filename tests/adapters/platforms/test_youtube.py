"""YouTube: every URL form to one identity; oEmbed and the watch page's publish date."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.platforms.youtube import YouTubeAdapter, parse_publish_date
from tests.adapters.platforms.asking import enrich, parsed_as
from tests.adapters.platforms.limits import RETRY_ONCE_QUICKLY
from tests.fakeweb import FakeWeb, Response
from tests.fakeweb.youtube import Video, YouTubeWorld
from tracer.extract import document_from_bytes, extract
from tracer.http.client import HTTPClient
from tracer.store.model import NodeKind, NodeStatus, Precision, Relation

VID = "dQw4w9WgXcQ"
WATCH = f"https://www.youtube.com/watch?v={VID}"
CHANNEL_ID = "UCuAXFkgsw1L7xaCfnd5JJOw"


@pytest.mark.parametrize(
    ("url", "form"),
    [
        (f"https://www.youtube.com/watch?v={VID}", None),
        (f"https://youtube.com/watch?v={VID}&feature=youtu.be", None),
        (f"http://m.youtube.com/watch?v={VID}&t=42s", None),
        (f"https://www.youtube.com/watch?app=desktop&v={VID}&si=Abc123xyz", None),
        (f"https://youtu.be/{VID}", None),
        (f"https://youtu.be/{VID}?si=Abc123xyz&t=90", None),
        (f"youtu.be/{VID}", None),
        (f"https://www.youtube.com/shorts/{VID}", "shorts"),
        (f"https://youtube.com/shorts/{VID}?feature=share", "shorts"),
        (f"https://www.youtube.com/live/{VID}?si=x", "live"),
        (f"https://www.youtube.com/embed/{VID}?start=10", "embed"),
        (f"https://www.youtube-nocookie.com/embed/{VID}", "embed"),
        (f"https://www.youtube.com/v/{VID}", "embed"),
        (f"https://music.youtube.com/watch?v={VID}&list=RDAMVM{VID}", None),
        (
            f"https://www.youtube.com/watch?v={VID}&list=PL590L5WQmH8fJ54F369BLDSqIwcs-TCfs&index=2",
            None,
        ),
        (
            f"https://www.youtube.com/attribution_link?a=x&u=/watch%3Fv%3D{VID}%26feature%3Dshare",
            None,
        ),
        (f"https://www.youtube.de/watch?v={VID}", None),
    ],
)
def test_every_video_form_is_one_identity(url: str, form: str | None) -> None:
    identity = parsed_as(YouTubeAdapter(), url, NodeKind.POST, WATCH)
    assert identity.platform_id == VID
    assert identity.attributes.get("form") == form
    # video ids carry no time
    assert identity.published_at is None


def test_start_time_and_playlist_are_attributes() -> None:
    identity = YouTubeAdapter().parse(f"https://youtu.be/{VID}?t=1h2m3s&list=PLx")
    assert identity is not None
    assert identity.attributes["start"] == 3723
    assert identity.attributes["playlist"] == "PLx"


@pytest.mark.parametrize(
    ("url", "canonical", "platform_id", "handle"),
    [
        (
            f"https://www.youtube.com/channel/{CHANNEL_ID}",
            f"https://www.youtube.com/channel/{CHANNEL_ID}",
            CHANNEL_ID,
            None,
        ),
        (
            f"https://m.youtube.com/channel/{CHANNEL_ID}/videos",
            f"https://www.youtube.com/channel/{CHANNEL_ID}",
            CHANNEL_ID,
            None,
        ),
        (
            "https://www.youtube.com/@RickAstleyYT",
            "https://www.youtube.com/@rickastleyyt",
            None,
            "RickAstleyYT",
        ),
        (
            "https://youtube.com/@RickAstleyYT/videos?si=1",
            "https://www.youtube.com/@rickastleyyt",
            None,
            "RickAstleyYT",
        ),
        (
            "https://www.youtube.com/c/RickAstley",
            "https://www.youtube.com/c/RickAstley",
            None,
            "RickAstley",
        ),
        (
            "https://www.youtube.com/user/RickAstleyVEVO",
            "https://www.youtube.com/user/RickAstleyVEVO",
            None,
            "RickAstleyVEVO",
        ),
    ],
)
def test_channel_forms(
    url: str, canonical: str, platform_id: str | None, handle: str | None
) -> None:
    identity = parsed_as(YouTubeAdapter(), url, NodeKind.CHANNEL, canonical)
    assert identity.platform_id == platform_id
    assert identity.handle == handle


@pytest.mark.parametrize(
    ("value", "expected", "precision"),
    [
        ("2009-10-24", datetime(2009, 10, 24, tzinfo=UTC), Precision.DAY),
        (
            "2024-07-28T05:00:11-07:00",
            datetime(2024, 7, 28, 12, 0, 11, tzinfo=UTC),
            Precision.SECOND,
        ),
        ("2024-07-28T23:30:00+02:00", datetime(2024, 7, 28, 21, 30, tzinfo=UTC), Precision.SECOND),
        ("2024-07-28T05:00:11", datetime(2024, 7, 28, tzinfo=UTC), Precision.DAY),
    ],
)
def test_publish_date_forms(value: str, expected: datetime, precision: Precision) -> None:
    assert parse_publish_date(value) == (expected, precision)


def test_publish_date_rejects_junk() -> None:
    assert parse_publish_date("yesterday") is None


# -- enrichment ----------------------------------------------------------------------------


@pytest.fixture
def world(fakeweb: FakeWeb) -> YouTubeWorld:
    return YouTubeWorld().install(fakeweb)


HTTP_LIMITS = RETRY_ONCE_QUICKLY


def video(**overrides: object) -> Video:
    values: dict[str, object] = {
        "video_id": VID,
        "title": "Footage from Tinzaouaten",
        "channel_name": "Some Channel",
        "handle": "SomeChannel",
        "channel_id": CHANNEL_ID,
    }
    values.update(overrides)
    return Video(**values)  # type: ignore[arg-type]


async def test_video_with_a_timed_publish_date(world: YouTubeWorld, http: HTTPClient) -> None:
    world.add(video())
    enriched = await enrich(YouTubeAdapter(), f"https://youtu.be/{VID}?si=x", http)
    assert enriched.status == NodeStatus.RESOLVED, enriched.error
    assert enriched.name == "Footage from Tinzaouaten"
    assert enriched.handle == "SomeChannel"
    assert enriched.attributes["author_name"] == "Some Channel"
    assert enriched.attributes["channel_id"] == CHANNEL_ID
    assert enriched.published_at == datetime(2024, 7, 28, 12, 0, 11, tzinfo=UTC)
    assert enriched.precision == Precision.SECOND
    assert enriched.published_at_method == "youtube-publish-date"
    assert enriched.attributes["sources"] == ["oembed", "watch-page"]


async def test_legacy_watch_page_gives_a_day(world: YouTubeWorld, http: HTTPClient) -> None:
    world.add(video(date_style="legacy", published="2019-06-16T00:00:00+00:00"))
    enriched = await enrich(YouTubeAdapter(), WATCH, http)
    assert enriched.published_at == datetime(2019, 6, 16, tzinfo=UTC)
    assert enriched.precision == Precision.DAY


async def test_date_from_the_player_json_alone(world: YouTubeWorld, http: HTTPClient) -> None:
    world.add(video(date_style="json"))
    enriched = await enrich(YouTubeAdapter(), WATCH, http)
    assert enriched.published_at == datetime(2024, 7, 28, 12, 0, 11, tzinfo=UTC)
    assert enriched.attributes["channel_id"] == CHANNEL_ID


async def test_no_date_keeps_the_video_resolved_and_says_why(
    world: YouTubeWorld, http: HTTPClient
) -> None:
    world.add(video(date_style="none"))
    enriched = await enrich(YouTubeAdapter(), WATCH, http)
    assert enriched.status == NodeStatus.RESOLVED
    assert enriched.published_at is None
    assert "no publish date" in enriched.attributes["date_error"]


async def test_consent_wall(world: YouTubeWorld, http: HTTPClient) -> None:
    world.add(video())
    world.consent_wall = True
    enriched = await enrich(YouTubeAdapter(), WATCH, http)
    assert enriched.status == NodeStatus.RESOLVED
    assert enriched.published_at is None
    assert "consent" in enriched.attributes["date_error"]


@pytest.mark.parametrize(
    ("setup", "words"),
    [
        ("missing", "does not exist or was removed"),
        ("private", "private"),
        ("rate", "429"),
        ("malformed", "malformed"),
    ],
)
async def test_oembed_failures(
    world: YouTubeWorld, http: HTTPClient, setup: str, words: str
) -> None:
    if setup == "private":
        world.add(video(private=True))
    elif setup == "rate":
        world.add(video())
        world.fail(
            "oembed", VID, Response(429, "", {"Retry-After": "0"}, content_type="text/plain")
        )
    elif setup == "malformed":
        world.add(video())
        world.fail("oembed", VID, Response(200, '{"title": ', content_type="application/json"))
    enriched = await enrich(YouTubeAdapter(), WATCH, http)
    assert enriched.status == NodeStatus.ERROR
    assert words in (enriched.error or "")


async def test_channel_by_handle_resolves_to_its_id(world: YouTubeWorld, http: HTTPClient) -> None:
    world.add(video())
    enriched = await enrich(YouTubeAdapter(), "https://www.youtube.com/@SomeChannel", http)
    assert enriched.status == NodeStatus.RESOLVED, enriched.error
    assert enriched.name == "Some Channel"
    assert enriched.platform_id == CHANNEL_ID
    assert enriched.canonical_url == f"https://www.youtube.com/channel/{CHANNEL_ID}"
    assert enriched.attributes["named_url"] == "https://www.youtube.com/@somechannel"


async def test_missing_channel(world: YouTubeWorld, http: HTTPClient) -> None:
    enriched = await enrich(YouTubeAdapter(), "https://www.youtube.com/@nobody", http)
    assert enriched.status == NodeStatus.ERROR
    assert "404" in (enriched.error or "")


async def test_timeout_is_an_error(world: YouTubeWorld, fakeweb: FakeWeb) -> None:
    world.fail("oembed", VID, Response(200, "{}", content_type="application/json", delay=2.0))
    async with fakeweb.client(max_attempts=1, timeout=0.3, total_timeout=0.5) as http:
        enriched = await enrich(YouTubeAdapter(), WATCH, http)
    assert enriched.status == NodeStatus.ERROR
    assert enriched.error


@pytest.mark.parametrize(
    "src",
    [
        "https://www.youtube.com/embed/videoseries?list=PLab12cd34&rel=0",
        "//www.youtube-nocookie.com/embed/videoseries?list=PLab12cd34",
    ],
)
def test_an_embedded_playlist_is_the_playlist_not_a_video(src: str) -> None:
    # publishers embed a channel's uploads or a playlist this way; the path's second
    # segment is the player's word for "a list", not a video id
    page = (
        "<html><body><article><p>The council published its sessions online.</p>"
        f"<iframe src='{src}' title='Council sessions'></iframe></article></body></html>"
    )
    document = document_from_bytes(page.encode(), source="page.html")
    embeds = [r for r in extract(document) if r.relation == Relation.EMBEDS]
    assert [(e.platform, e.url) for e in embeds] == [
        ("youtube", "https://www.youtube.com/playlist?list=PLab12cd34")
    ]
    assert embeds[0].display_name == "Council sessions"
