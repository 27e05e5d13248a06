"""Telegram: every URL form to one identity; posts and channels read from t.me's real markup."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.platforms.telegram import TelegramAdapter, parse_telegram_url, title_matches
from adapters.platforms.telegram_pages import (
    PageError,
    decode_data_view,
    parse_channel,
    parse_count,
    parse_embed,
    parse_posts,
)
from tests.adapters.platforms.asking import enrich
from tests.conftest import REAL
from tests.fakeweb import FakeWeb
from tests.fakeweb.telegram import CHANNEL, TelegramWorld, card_page
from tracer.http.client import HTTPClient
from tracer.store.model import NodeKind, NodeStatus, Relation

TELEGRAM = REAL / "telegram"

# (url as found, kind, canonical URL, platform_id, handle)
URL_FORMS = [
    ("https://t.me/grey_zone", "channel", "https://t.me/grey_zone", None, "grey_zone"),
    ("t.me/grey_zone", "channel", "https://t.me/grey_zone", None, "grey_zone"),
    ("http://telegram.me/Grey_Zone/", "channel", "https://t.me/grey_zone", None, "grey_zone"),
    ("https://telegram.dog/grey_zone", "channel", "https://t.me/grey_zone", None, "grey_zone"),
    ("https://www.t.me/grey_zone?utm_source=x", "channel", "https://t.me/grey_zone", None, "grey_zone"),
    ("https://t.me/s/grey_zone", "channel", "https://t.me/grey_zone", None, "grey_zone"),
    ("https://t.me/grey_zone/23456", "post", "https://t.me/grey_zone/23456", "grey_zone/23456", "grey_zone"),
    ("https://t.me/s/grey_zone/23456", "post", "https://t.me/grey_zone/23456", "grey_zone/23456", "grey_zone"),
    ("https://t.me/grey_zone/23456?single", "post", "https://t.me/grey_zone/23456", "grey_zone/23456", "grey_zone"),
    ("https://t.me/grey_zone/23456?embed=1&mode=tme", "post", "https://t.me/grey_zone/23456", "grey_zone/23456", "grey_zone"),
    ("https://t.me/grey_zone/23456?comment=99", "post", "https://t.me/grey_zone/23456", "grey_zone/23456", "grey_zone"),
    ("https://t.me/Grey_Zone/23456#top", "post", "https://t.me/grey_zone/23456", "grey_zone/23456", "grey_zone"),
    ("https://telegram.me/grey_zone/23456", "post", "https://t.me/grey_zone/23456", "grey_zone/23456", "grey_zone"),
    ("https://t.me/somegroup/12/345", "post", "https://t.me/somegroup/345", "somegroup/345", "somegroup"),
    ("https://grey_zone.t.me/", "channel", "https://t.me/grey_zone", None, "grey_zone"),
    ("https://t.me/c/1234567890/55", "post", "https://t.me/c/1234567890/55", "c/1234567890/55", None),
    ("https://t.me/c/1234567890/7/55", "post", "https://t.me/c/1234567890/55", "c/1234567890/55", None),
    ("https://t.me/c/1234567890", "channel", "https://t.me/c/1234567890", "1234567890", None),
    ("https://t.me/+AbCdEfGh12345678", "channel", "https://t.me/+AbCdEfGh12345678", None, None),
    ("https://t.me/joinchat/AbCdEfGh12345678", "channel", "https://t.me/+AbCdEfGh12345678", None, None),
    ("tg://resolve?domain=grey_zone", "channel", "https://t.me/grey_zone", None, "grey_zone"),
    ("tg://resolve?domain=grey_zone&post=23456", "post", "https://t.me/grey_zone/23456", "grey_zone/23456", "grey_zone"),
    ("tg://privatepost?channel=1234567890&post=55", "post", "https://t.me/c/1234567890/55", "c/1234567890/55", None),
    ("tg://join?invite=AbCdEfGh12345678", "channel", "https://t.me/+AbCdEfGh12345678", None, None),
]  # fmt: skip

NOT_TELEGRAM = [
    "https://example.com/grey_zone",
    "https://t.me/",
    "https://t.me/share/url?url=https://example.com",
    "https://t.me/addstickers/SomePack",
    "https://t.me/+4915112345678",  # a phone number, not an invite
    "https://t.me/abc",  # too short for a username
    "https://t.me/c/notanumber/5",
    "https://t.me/grey_zone/notapost",
    "tg://msg?text=hello",
    "ftp://t.me/grey_zone",
    "https://nott.me/grey_zone",
]


@pytest.mark.parametrize(("url", "kind", "canonical", "platform_id", "handle"), URL_FORMS)
def test_url_forms_parse_to_one_identity(
    url: str, kind: str, canonical: str, platform_id: str | None, handle: str | None
) -> None:
    identity = parse_telegram_url(url)
    assert identity is not None
    assert (identity.platform, identity.kind, identity.canonical_url) == (
        "telegram",
        kind,
        canonical,
    )
    assert (identity.platform_id, identity.handle) == (platform_id, handle)
    assert identity.url == url
    assert identity.status == NodeStatus.OFFLINE
    assert identity.published_at is None  # Telegram ids carry no time


@pytest.mark.parametrize("url", NOT_TELEGRAM)
def test_other_urls_are_not_telegram(url: str) -> None:
    assert parse_telegram_url(url) is None


# -- the page parsers against the real pages ------------------------------------------------


def test_channel_page_real_markup() -> None:
    page = parse_channel((TELEGRAM / "full.html").read_text(encoding="utf-8"))
    assert page.has_preview
    assert page.handle == CHANNEL
    assert page.title == "Военное обозрение"
    assert page.description is not None and page.description.startswith("Официальный канал")
    assert page.channel_id == 1084368520  # from data-view, survives renames
    assert page.subscribers == "109K"
    assert page.before == 70989  # the "older" cursor
    ids = [p.post_id for p in page.posts]
    assert ids == sorted(ids) and len(ids) == 12 and ids[0] == 70989 and ids[-1] == 71008
    # video durations are <time> elements too; the post time is the date link's
    assert all(
        p.published_at and p.published_at.date().isoformat() == "2023-02-28" for p in page.posts
    )
    forwards = {p.post_id: p.forwarded_from_url for p in page.posts if p.forwarded_from_url}
    assert forwards[71006] == "https://t.me/vysokygovorit/10899"
    assert len(forwards) == 5


def test_single_message_snippets() -> None:
    forwarded = parse_posts((TELEGRAM / "message_media_forwarded_from.html").read_text())[0]
    assert (forwarded.channel, forwarded.post_id) == ("oper_goblin", 22358)
    assert forwarded.published_at == datetime(2023, 2, 27, 7, 20, 50, tzinfo=UTC)
    assert forwarded.views == 214400 and forwarded.views_text == "214.4K"
    assert forwarded.forwarded_from_url == "https://t.me/dimsmirnov175/44604"
    assert forwarded.forwarded_from_name == "Пул N3"
    assert forwarded.media == ["photo"]
    signed = parse_posts((TELEGRAM / "message_with_from_author.html").read_text())[0]
    assert signed.signature and signed.signature.endswith("rkadiy Ivanov")
    assert signed.author == "Channel title"
    # a forward from a user who hides their account: a name, no link
    voice = parse_posts((TELEGRAM / "message_voice.html").read_text())[0]
    assert voice.forwarded_from_url is None and voice.forwarded_from_name == "Спортивный Екб"
    assert "voice" in voice.media


@pytest.mark.parametrize(
    ("text", "count"),
    [("214.4K", 214400), ("1", 1), ("1.2M", 1200000), ("", None), ("many", None)],
)
def test_view_counts(text: str, count: int | None) -> None:
    assert parse_count(text) == count


def test_data_view_decoding_tolerates_junk() -> None:
    assert decode_data_view("not base64 json") is None
    assert decode_data_view(None) is None


def test_embed_error_and_malformed_pages() -> None:
    with pytest.raises(PageError, match="Post not found"):
        parse_embed('<div class="tgme_widget_message_error">Post not found</div>')
    with pytest.raises(PageError, match=r"not a t\.me post page"):
        parse_embed("<html><body>maintenance</body></html>")
    with pytest.raises(PageError):
        parse_channel(card_page("nobody_here", None))


def test_title_matching() -> None:
    assert title_matches("Grey Zone", "GREY ZONE")
    assert title_matches("GREY ZONE | Wagner", "grey zone")
    assert not title_matches("Rybar", "GREY ZONE")
    assert not title_matches(None, "GREY ZONE")


# -- enrichment through fakeweb ---------------------------------------------------------------


@pytest.fixture
def world(fakeweb: FakeWeb) -> TelegramWorld:
    return TelegramWorld(history_pages=3).install(fakeweb)


HTTP_LIMITS = {"max_attempts": 2}


@pytest.fixture
def http(http: HTTPClient, world: TelegramWorld) -> HTTPClient:
    """The shared client, with the Telegram world served."""
    return http


async def test_post_through_its_embed_page(http: HTTPClient, fakeweb: FakeWeb) -> None:
    post = await enrich(TelegramAdapter(), "https://t.me/s/topwar_official/70991?single", http)
    assert post.status == NodeStatus.RESOLVED, post.error
    assert post.published_at == datetime(2023, 2, 28, 8, 48, 1, tzinfo=UTC)
    assert (post.published_at_method, post.precision) == ("t.me-post-time", "second")
    assert post.name == "Военное обозрение"
    assert post.attributes["views"] == 33400
    assert post.attributes["channel_id"] == 1084368520
    assert post.attributes["text"].startswith("Неопознанный летающий объект")
    assert post.related == []
    assert [r.target for r in fakeweb.seen("t.me")] == ["/topwar_official/70991?embed=1"]


async def test_forwarded_post_points_at_its_source(http: HTTPClient) -> None:
    post = await enrich(TelegramAdapter(), "https://t.me/topwar_official/71006", http)
    assert post.status == NodeStatus.RESOLVED
    [source] = post.related
    assert source.relation == Relation.FORWARDED_FROM
    assert source.identity.canonical_url == "https://t.me/vysokygovorit/10899"
    assert source.identity.kind == NodeKind.POST
    assert source.evidence and source.evidence.startswith("Forwarded from ")


async def test_forward_from_a_hidden_user_keeps_the_name(http: HTTPClient) -> None:
    post = await enrich(TelegramAdapter(), "https://t.me/oper_goblin/939", http)
    assert post.related == []
    assert post.attributes["forwarded_from_name"] == "Спортивный Екб"
    assert post.published_at == datetime(2018, 4, 24, 15, 28, 46, tzinfo=UTC)


async def test_deleted_post_is_an_error_with_reason(http: HTTPClient, world: TelegramWorld) -> None:
    world.deleted.add("topwar_official/70991")
    post = await enrich(TelegramAdapter(), "https://t.me/topwar_official/70991", http)
    assert post.status == NodeStatus.ERROR
    assert post.error and "Post not found" in post.error
    absent = await enrich(TelegramAdapter(), "https://t.me/topwar_official/99999999", http)
    assert absent.status == NodeStatus.ERROR and "not found" in (absent.error or "")


async def test_channel_through_its_preview_page(http: HTTPClient) -> None:
    channel = await enrich(TelegramAdapter(), "https://t.me/TopWar_Official", http)
    assert channel.status == NodeStatus.RESOLVED, channel.error
    assert channel.name == "Военное обозрение"
    assert channel.platform_id == "1084368520"
    assert channel.attributes["public_preview"] is True
    assert channel.attributes["latest_post_id"] == 71008
    assert channel.attributes["description"].startswith("Официальный канал")
    assert channel.canonical_url == "https://t.me/topwar_official"


async def test_channel_without_preview_uses_its_card(
    http: HTTPClient, world: TelegramWorld
) -> None:
    world.no_preview["grey_zone"] = "Grey Zone"
    channel = await enrich(TelegramAdapter(), "https://t.me/grey_zone", http)
    assert channel.status == NodeStatus.RESOLVED, channel.error
    assert channel.name == "Grey Zone"
    assert channel.attributes["public_preview"] is False
    assert title_matches(channel.name, "GREY ZONE")


async def test_unknown_channel_is_an_error(http: HTTPClient) -> None:
    channel = await enrich(TelegramAdapter(), "https://t.me/no_such_channel_here", http)
    assert channel.status == NodeStatus.ERROR
    assert channel.error and "no_such_channel_here" in channel.error


async def test_private_links_are_not_fetched(http: HTTPClient, fakeweb: FakeWeb) -> None:
    for url in ("https://t.me/c/1234567890/55", "https://t.me/+AbCdEfGh12345678"):
        identity = await enrich(TelegramAdapter(), url, http)
        assert identity.status == NodeStatus.ERROR
        assert identity.error and "private channel" in identity.error
    assert fakeweb.seen("t.me") == []


async def test_rate_limit_is_an_error_not_a_crash(
    http: HTTPClient, world: TelegramWorld, fakeweb: FakeWeb
) -> None:
    world.rate_limited = True
    post = await enrich(TelegramAdapter(), "https://t.me/topwar_official/70991", http)
    assert post.status == NodeStatus.ERROR
    assert post.error and "429" in post.error
    assert len(fakeweb.seen("t.me")) == 2  # retried within the layer's limits, then gave up
    channel = await enrich(TelegramAdapter(), "https://t.me/topwar_official", http)
    assert channel.status == NodeStatus.ERROR and "rate limit" in (channel.error or "")


async def test_malformed_pages_are_errors(http: HTTPClient, world: TelegramWorld) -> None:
    world.malformed = True
    post = await enrich(TelegramAdapter(), "https://t.me/topwar_official/70991", http)
    assert post.status == NodeStatus.ERROR and post.error
    channel = await enrich(TelegramAdapter(), "https://t.me/topwar_official", http)
    assert channel.status == NodeStatus.ERROR and channel.error


async def test_unreachable_t_me_is_an_error(fakeweb: FakeWeb) -> None:
    fakeweb.fail_dns("t.me")
    async with HTTPClient(
        fakeweb.http_settings(catch_all=False), resolver=fakeweb.resolver
    ) as http:
        post = await enrich(TelegramAdapter(), "https://t.me/topwar_official/70991", http)
    assert post.status == NodeStatus.ERROR
    assert post.error and "resolve" in post.error
