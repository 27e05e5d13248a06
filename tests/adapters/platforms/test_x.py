"""X/Twitter: every URL form to one identity, and enrichment against X's real shapes."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from adapters.platforms.x import XAdapter, syndication_token
from tests.adapters.platforms.asking import enrich, parsed_as, redirect_target
from tests.adapters.platforms.limits import RETRY_ONCE_QUICKLY
from tests.conftest import SEEDS
from tests.fakeweb import FakeWeb, Response
from tests.fakeweb.x import (
    TOMBSTONE_DELETED,
    TOMBSTONE_SUSPENDED,
    XWorld,
    sent_ids,
)
from tracer.cli import main
from tracer.http.client import HTTPClient
from tracer.plugins.platform import load_adapters
from tracer.store.model import NodeKind, NodeStatus, Precision, Relation

ID = "1817621375373803722"
CANONICAL = f"https://x.com/i/status/{ID}"


def snowflake(at: datetime, worker: int = 77) -> str:
    """An id as X's generator makes it for `at` (the inverse of the decoder under test)."""
    ms = round(at.timestamp() * 1000) - 1288834974657
    return str((ms << 22) | (worker << 12) | 5)


@pytest.mark.parametrize(
    ("url", "handle"),
    [
        (f"https://twitter.com/Tendar/status/{ID}", "Tendar"),
        (f"https://x.com/Tendar/status/{ID}", "Tendar"),
        (f"http://www.twitter.com/Tendar/status/{ID}/", "Tendar"),
        (f"https://mobile.twitter.com/Tendar/status/{ID}", "Tendar"),
        (f"https://mobile.x.com/Tendar/status/{ID}", "Tendar"),
        (f"twitter.com/Tendar/status/{ID}", "Tendar"),
        (f"https://twitter.com/Tendar/status/{ID}?s=20&t=Xb1YwzEkcZ1qTeWe0Yq7Ng", "Tendar"),
        (f"https://twitter.com/Tendar/status/{ID}?ref_src=twsrc%5Etfw", "Tendar"),
        (f"https://twitter.com/Tendar/statuses/{ID}", "Tendar"),
        (f"https://twitter.com/i/web/status/{ID}", None),
        (f"https://x.com/i/status/{ID}", None),
        (f"https://twitter.com/Tendar/status/{ID}/photo/1", "Tendar"),
        (f"https://x.com/Tendar/status/{ID}/video/1", "Tendar"),
        (f"https://x.com/Tendar/status/{ID}/analytics", "Tendar"),
        (f"https://fxtwitter.com/Tendar/status/{ID}", "Tendar"),
        (f"https://vxtwitter.com/Tendar/status/{ID}", "Tendar"),
        (f"https://fixupx.com/Tendar/status/{ID}", "Tendar"),
        (f"https://d.fxtwitter.com/Tendar/status/{ID}", "Tendar"),
        (f"https://nitter.net/Tendar/status/{ID}#m", "Tendar"),
        (f"https://nitter.poast.org/Tendar/status/{ID}", "Tendar"),
        (f"https://xcancel.com/Tendar/status/{ID}", "Tendar"),
        (f"https://twitter.com/#!/Tendar/status/{ID}", "Tendar"),
        (f"https://x.com/@Tendar/status/{ID}", "Tendar"),
        (f"  https://twitter.com/Tendar/status/{ID}?lang=de  ", "Tendar"),
    ],
)
def test_every_post_form_is_one_identity(url: str, handle: str | None) -> None:
    identity = parsed_as(XAdapter(), url, NodeKind.POST, CANONICAL)
    assert identity.platform_id == ID
    assert identity.handle == handle
    assert identity.status == NodeStatus.OFFLINE
    # the snowflake id dates the post offline, to the millisecond
    assert identity.published_at == datetime(2024, 7, 28, 18, 1, 20, 318000, tzinfo=UTC)
    assert identity.published_at_method == "snowflake-id"
    assert identity.precision == Precision.MILLISECOND


def test_media_suffix_is_kept_as_an_attribute() -> None:
    identity = XAdapter().parse(f"https://twitter.com/Tendar/status/{ID}/video/2")
    assert identity is not None
    assert identity.attributes["media_type"] == "video"
    assert identity.attributes["media_index"] == 2


@pytest.mark.parametrize(
    ("url", "canonical", "handle", "user_id"),
    [
        ("https://twitter.com/Tendar", "https://x.com/tendar", "Tendar", None),
        ("https://x.com/tendar/", "https://x.com/tendar", "tendar", None),
        ("https://mobile.twitter.com/Tendar/media", "https://x.com/tendar", "Tendar", None),
        ("https://twitter.com/Tendar/with_replies", "https://x.com/tendar", "Tendar", None),
        (
            "https://twitter.com/intent/user?screen_name=Tendar",
            "https://x.com/tendar",
            "Tendar",
            None,
        ),
        (
            "https://twitter.com/intent/follow?user_id=783214",
            "https://x.com/i/user/783214",
            None,
            "783214",
        ),
        ("https://x.com/i/user/783214", "https://x.com/i/user/783214", None, "783214"),
        ("https://nitter.net/Tendar", "https://x.com/tendar", "Tendar", None),
    ],
)
def test_account_forms(url: str, canonical: str, handle: str | None, user_id: str | None) -> None:
    identity = parsed_as(XAdapter(), url, NodeKind.CHANNEL, canonical)
    assert identity.handle == handle
    assert identity.platform_id == user_id
    assert identity.published_at is None


@pytest.mark.parametrize(
    ("url", "kind", "canonical"),
    [
        ("pic.twitter.com/hIF4H7QWW1", NodeKind.MEDIA, "https://pic.twitter.com/hIF4H7QWW1"),
        ("https://pic.x.com/hIF4H7QWW1", NodeKind.MEDIA, "https://pic.twitter.com/hIF4H7QWW1"),
        ("https://t.co/hIF4H7QWW1", NodeKind.PAGE, "https://t.co/hIF4H7QWW1"),
        ("http://t.co/HMhbyTg18X", NodeKind.PAGE, "https://t.co/HMhbyTg18X"),
    ],
)
def test_short_links_keep_their_case_sensitive_code(
    url: str, kind: NodeKind, canonical: str
) -> None:
    parsed_as(XAdapter(), url, kind, canonical)


def test_pre_snowflake_ids_get_no_time() -> None:
    identity = XAdapter().parse("https://twitter.com/jack/status/20")
    assert identity is not None
    assert identity.platform_id == "20"
    assert identity.published_at is None


def test_syndication_token_matches_the_widget() -> None:
    # a request URL the embed widget made, as published alongside its id
    assert syndication_token("1163218564784017422") == "2ticx4q85hf"


# -- enrichment ----------------------------------------------------------------------------


@pytest.fixture
def world(fakeweb: FakeWeb) -> XWorld:
    return XWorld().install(fakeweb)


HTTP_LIMITS = RETRY_ONCE_QUICKLY


ORIGINAL_AT = datetime(2024, 7, 27, 9, 30, 0, tzinfo=UTC)
POST_AT = datetime(2024, 7, 28, 19, 44, 57, tzinfo=UTC)


@pytest.fixture
def original(world: XWorld) -> dict[str, Any]:
    """An earlier post, which the post a test enriches quotes or replies to."""
    return world.post(
        snowflake(ORIGINAL_AT),
        screen_name="Origin",
        name="Origin Account",
        text="first footage",
        created_at=ORIGINAL_AT,
    )


async def test_post_from_syndication(
    world: XWorld, original: dict[str, Any], http: HTTPClient, fakeweb: FakeWeb
) -> None:
    original_id = original["id_str"]
    post_id = snowflake(POST_AT)
    world.post(
        post_id,
        screen_name="Tendar",
        name="(((Tendar)))",
        text="More footage of the incident",
        created_at=POST_AT,
        user_id="4242",
        media=[XWorld.video("hIF4H7QWW1", "Origin", original_id)],
        quoted=original,
    )
    adapter = XAdapter()
    identity = adapter.parse(f"https://twitter.com/tendar/status/{post_id}?s=20")
    assert identity is not None
    enriched = await adapter.enrich(identity, http)

    assert enriched.status == NodeStatus.RESOLVED, enriched.error
    assert enriched.handle == "Tendar"
    assert enriched.attributes["author_name"] == "(((Tendar)))"
    assert enriched.attributes["author_id"] == "4242"
    assert enriched.attributes["text"] == "More footage of the incident"
    assert enriched.attributes["created_at"] == "2024-07-28T19:44:57Z"
    assert enriched.attributes["sources"] == ["syndication"]
    assert "time_conflict" not in enriched.attributes
    # the id's millisecond time stays; created_at agrees with it
    assert enriched.published_at is not None
    assert abs((enriched.published_at - POST_AT).total_seconds()) < 1
    assert enriched.published_at_method == "snowflake-id"
    [media] = enriched.attributes["media"]
    assert media["type"] == "video"
    assert media["video"].endswith("-1280.mp4")  # the best mp4 variant

    relations = {(r.relation, r.identity.platform_id) for r in enriched.related}
    assert (Relation.QUOTES, original_id) in relations
    # the media names the post that first carried it: provenance
    assert (Relation.EMBEDS, original_id) in relations
    quote = next(r.identity for r in enriched.related if r.relation == Relation.QUOTES)
    assert quote.handle == "Origin"
    assert quote.attributes["text"] == "first footage"
    assert quote.canonical_url == f"https://x.com/i/status/{original_id}"

    # the request carried the widget's token, and the input was not changed
    [request] = fakeweb.seen("cdn.syndication.twimg.com", "/tweet-result")
    assert request.arg("token") == syndication_token(post_id)
    assert identity.status == NodeStatus.OFFLINE and identity.related == []


async def test_reply_names_its_parent(
    world: XWorld, original: dict[str, Any], http: HTTPClient
) -> None:
    reply_id = snowflake(POST_AT)
    world.post(
        reply_id, screen_name="Answer", name="A", text="Mali", created_at=POST_AT, reply_to=original
    )
    enriched = await enrich(XAdapter(), f"https://x.com/i/status/{reply_id}", http)
    [related] = enriched.related
    assert related.relation == Relation.REPLIES_TO
    assert related.identity.platform_id == original["id_str"]
    assert related.identity.handle == "Origin"


@pytest.mark.parametrize(
    ("words", "shown"),
    [
        (TOMBSTONE_DELETED, "This Post was deleted by the Post author."),
        (TOMBSTONE_SUSPENDED, "This Post is from a suspended account."),
    ],
)
async def test_tombstone_is_an_error_with_its_reason(
    world: XWorld, http: HTTPClient, fakeweb: FakeWeb, words: str, shown: str
) -> None:
    tweet_id = snowflake(POST_AT)
    world.tombstone(tweet_id, words)
    enriched = await enrich(XAdapter(), f"https://x.com/a/status/{tweet_id}", http)
    assert enriched.status == NodeStatus.ERROR
    assert shown in (enriched.error or "")
    assert enriched.attributes["unavailable"] == "tombstone"
    # the id still dates what is gone
    assert enriched.published_at is not None and enriched.published_at.date() == POST_AT.date()
    assert fakeweb.seen("publish.twitter.com") == []


async def test_unknown_post_is_not_found(world: XWorld, http: HTTPClient) -> None:
    enriched = await enrich(XAdapter(), f"https://x.com/a/status/{snowflake(POST_AT)}", http)
    assert enriched.status == NodeStatus.ERROR
    assert "not found" in (enriched.error or "")
    assert enriched.attributes["unavailable"] == "not_found"


async def test_protected_post(world: XWorld, http: HTTPClient) -> None:
    tweet_id = snowflake(POST_AT)
    world.protected.add(tweet_id)
    enriched = await enrich(XAdapter(), f"https://x.com/a/status/{tweet_id}", http)
    assert enriched.status == NodeStatus.ERROR
    assert "protected or suspended" in (enriched.error or "")


async def test_rate_limited_syndication_falls_back_to_oembed(
    world: XWorld, http: HTTPClient, fakeweb: FakeWeb
) -> None:
    tweet_id = snowflake(POST_AT)
    world.post(
        tweet_id, screen_name="Tendar", name="(((Tendar)))", text="line one", created_at=POST_AT
    )
    world.fail(
        "syndication", tweet_id, Response(429, "", {"Retry-After": "0"}, content_type="text/plain")
    )
    enriched = await enrich(XAdapter(), f"https://x.com/i/status/{tweet_id}", http)
    assert enriched.status == NodeStatus.RESOLVED
    assert enriched.attributes["sources"] == ["oembed"]
    assert "429" in enriched.attributes["syndication_error"]
    assert enriched.handle == "Tendar"
    assert enriched.attributes["text"] == "line one"
    assert enriched.attributes["signature_date"] == "2024-07-28"
    # the layer retried the 429 before giving up on it
    assert len(sent_ids(fakeweb)) == 2


async def test_both_endpoints_failing_is_an_error_not_a_crash(
    world: XWorld, http: HTTPClient
) -> None:
    tweet_id = snowflake(POST_AT)
    world.fail(
        "syndication", tweet_id, Response(429, "", {"Retry-After": "0"}, content_type="text/plain")
    )
    world.fail("oembed", tweet_id, Response(503, "down", content_type="text/plain"))
    enriched = await enrich(XAdapter(), f"https://x.com/i/status/{tweet_id}", http)
    assert enriched.status == NodeStatus.ERROR
    assert "429" in (enriched.error or "") and "503" in (enriched.error or "")


@pytest.mark.parametrize(
    "body", ['{"__typename": "Tweet", "id_str": ', "<html>oops</html>", "[1, 2]"]
)
async def test_malformed_payloads(world: XWorld, http: HTTPClient, body: str) -> None:
    tweet_id = snowflake(POST_AT)
    world.fail("syndication", tweet_id, Response(200, body, content_type="application/json"))
    world.fail("oembed", tweet_id, Response(200, '{"html": ', content_type="application/json"))
    enriched = await enrich(XAdapter(), f"https://x.com/i/status/{tweet_id}", http)
    assert enriched.status == NodeStatus.ERROR
    assert "malformed" in (enriched.error or "") or "not a post" in (enriched.error or "")


async def test_timeout_is_an_error(world: XWorld, fakeweb: FakeWeb) -> None:
    tweet_id = snowflake(POST_AT)
    slow = Response(200, "{}", content_type="application/json", delay=2.0)
    world.fail("syndication", tweet_id, slow)
    world.fail("oembed", tweet_id, slow)
    async with fakeweb.client(max_attempts=1, timeout=0.3, total_timeout=0.5) as http:
        enriched = await enrich(XAdapter(), f"https://x.com/i/status/{tweet_id}", http)
    assert enriched.status == NodeStatus.ERROR
    assert enriched.error


async def test_unreachable_host_is_an_error(fakeweb: FakeWeb) -> None:
    for host in ("cdn.syndication.twimg.com", "publish.twitter.com"):
        fakeweb.fail_dns(host)
    async with fakeweb.client(catch_all=False, max_attempts=1) as http:
        enriched = await enrich(XAdapter(), f"https://x.com/i/status/{ID}", http)
    assert enriched.status == NodeStatus.ERROR
    assert "resolve" in (enriched.error or "")


async def test_media_link_leads_to_the_post_that_first_had_it(
    world: XWorld, http: HTTPClient
) -> None:
    original_id = snowflake(ORIGINAL_AT)
    world.shortlink("hIF4H7QWW1", f"https://twitter.com/Origin/status/{original_id}/photo/1")
    adapter = XAdapter()
    identity = adapter.parse("pic.twitter.com/hIF4H7QWW1")
    assert identity is not None
    enriched = await adapter.enrich(identity, http)
    assert enriched.status == NodeStatus.RESOLVED
    target = redirect_target(enriched)
    assert target.kind == NodeKind.POST
    assert target.platform_id == original_id
    assert target.attributes["media_index"] == 1
    assert enriched.handle == "Origin"
    assert enriched.published_at_method == "snowflake-id-of-first-post"
    assert enriched.published_at is not None
    assert abs((enriched.published_at - ORIGINAL_AT).total_seconds()) < 1


async def test_tco_link_to_the_web(world: XWorld, http: HTTPClient) -> None:
    world.shortlink("G6sGeIxGWc", "https://example.org/story?utm_source=twitter")
    enriched = await enrich(XAdapter(), "https://t.co/G6sGeIxGWc", http)
    [related] = enriched.related
    assert related.identity.platform == "web"
    assert related.identity.canonical_url == "https://example.org/story"
    assert enriched.attributes["expanded_url"] == "https://example.org/story?utm_source=twitter"


async def test_tco_answering_with_a_refresh_page(world: XWorld, http: HTTPClient) -> None:
    page = '<head><meta name="referrer" content="always"><noscript><META http-equiv="refresh" content="0;URL=https://example.org/a"></noscript><title>https://example.org/a</title></head>'
    world.fail("t.co", "abcdEFGH12", Response(200, page))
    enriched = await enrich(XAdapter(), "https://t.co/abcdEFGH12", http)
    assert enriched.attributes["expanded_url"] == "https://example.org/a"


async def test_missing_short_link(world: XWorld, http: HTTPClient) -> None:
    enriched = await enrich(XAdapter(), "https://t.co/zzzzzzzzzz", http)
    assert enriched.status == NodeStatus.ERROR
    assert "does not exist" in (enriched.error or "")


def test_resolve_command_enriches_posts_and_media_links(
    fakeweb: FakeWeb,
    world: XWorld,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """What a user runs: `tracer resolve --json` on a post and a media link."""
    original_id = snowflake(ORIGINAL_AT)
    post_id = snowflake(POST_AT)
    world.post(
        post_id, screen_name="Tendar", name="(((Tendar)))", text="More footage", created_at=POST_AT
    )
    world.shortlink("hIF4H7QWW1", f"https://x.com/Origin/status/{original_id}/photo/1")
    for name, value in fakeweb.env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("TRACER_DB_URL", f"sqlite:///{tmp_path / 'tracer.db'}")
    code = main(
        [
            "resolve",
            f"https://twitter.com/Tendar/status/{post_id}?s=20",
            "pic.twitter.com/hIF4H7QWW1",
            "--json",
        ]
    )
    assert code == 0
    post, media = json.loads(capsys.readouterr().out)
    assert post["canonical_url"] == f"https://x.com/i/status/{post_id}"
    assert post["status"] == "resolved"
    assert post["handle"] == "Tendar"
    assert post["published_at"].startswith("2024-07-28T19:44:57")
    assert post["published_at_method"] == "snowflake-id"
    assert media["status"] == "resolved"
    assert media["published_at"].startswith("2024-07-27T09:30:00")
    assert [r["relation"] for r in media["related"]] == ["redirects_to"]


def test_seed_media_link_is_an_x_media_identity() -> None:
    """The seed article keeps the tweet's media link; it parses as X media, case intact."""
    text = (SEEDS / "000_a004ba6b9b170559.txt").read_text(encoding="utf-8")
    links = re.findall(r"pic\.twitter\.com/\w+", text)
    assert links
    for link in links:
        identity = XAdapter().parse(link)
        assert identity is not None
        assert identity.kind == NodeKind.MEDIA
        assert identity.canonical_url == "https://" + link


def test_every_adapter_of_this_family_is_installed() -> None:
    names = [adapter.name for adapter in load_adapters()]
    for name in ("x", "youtube", "tiktok", "instagram", "facebook", "vk"):
        assert name in names
