"""Real pages with the embed markup publishers really paste (../shared/real/articles/)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cache

import pytest

from tests.conftest import REAL
from tests.extract.helpers import assert_evidence_exact
from tracer.extract import Document, Reference, extract, read_document
from tracer.extract.urls import snowflake_time
from tracer.store.model import NodeKind, Precision, Relation

ARTICLES = REAL / "articles"
PAGES = sorted(path.name for path in ARTICLES.glob("*.html"))


@cache
def _load(name: str) -> tuple[Document, list[Reference]]:
    document = read_document(str(ARTICLES / name))
    return document, extract(document)


@pytest.fixture
def page() -> Callable[[str], tuple[Document, list[Reference]]]:
    return _load


def embeds(references: list[Reference], platform: str) -> list[Reference]:
    return [r for r in references if r.relation == Relation.EMBEDS and r.platform == platform]


def test_the_real_pages_are_there() -> None:
    assert len(PAGES) >= 7, "../shared/real/articles/ is missing pages"


@pytest.mark.parametrize("name", PAGES)
def test_every_page_reads_with_metadata_and_exact_evidence(name: str) -> None:
    document, references = _load(name)
    assert document.html is not None
    assert len(document.text) > 500
    assert document.title
    assert document.canonical_url and document.canonical_url.startswith("https://")
    assert document.dating is not None and document.dating.method
    assert_evidence_exact(document, references)
    # the page's own site is never one of its references
    host = document.host
    assert host
    assert not [r for r in references if r.url and host in r.url.split("/")[2]]


def test_german_signatures_date_each_tweet_on_the_day_of_its_id(
    page: Callable[[str], tuple[Document, list[Reference]]],
) -> None:
    document, references = page("basicthinking.de.tweets.html")
    tweets = embeds(references, "x")
    assert len(tweets) == 12
    for tweet in tweets:
        assert tweet.url and "/status/" in tweet.url and "?" not in tweet.url
        assert tweet.dating.method == "embed-signature"
        assert tweet.dating.precision == Precision.DAY
        stamp = snowflake_time(tweet.url.rsplit("/", 1)[-1])
        assert stamp is not None and tweet.dating is not None
        assert tweet.dating.at.date() == stamp.date(), tweet.url
        # trafilatura kept the signature, so the tweet has its evidence in the text
        assert (
            tweet.evidence
            and tweet.evidence.startswith("—")
            and f"(@{tweet.handle})" in tweet.evidence
        )
    first = tweets[0]
    assert (first.handle, first.display_name) == ("diktator", "Peter Wittkamp🐬")
    assert first.dating is not None and first.dating.at.date() == date(2018, 9, 25)
    assert (
        "https://pic.twitter.com/qc6VqGZYA2"
        in next(t for t in tweets if t.handle == "AnjaAmaranth").attachments
    )
    # hashtags and mentions inside the tweets belong to the tweets
    assert not [
        r for r in references if r.url and ("/hashtag/" in r.url or r.url.endswith("/DoroBaer"))
    ]
    assert document.dating.method == "json-ld"
    assert document.outlet == "BASIC thinking"


def test_wordpress_wrapped_signature_and_media_links(
    page: Callable[[str], tuple[Document, list[Reference]]],
) -> None:
    _, references = page("timesofisrael.com.washington.html")
    tweets = {t.handle: t for t in embeds(references, "x")}
    assert set(tweets) == {"Rabbi_360", "drewmikkelsenk5"}
    rabbi = tweets["Rabbi_360"]
    assert rabbi.display_name == "Seth Goldstein"
    assert rabbi.dating is not None and rabbi.dating.at.date() == date(2020, 1, 7)
    assert rabbi.text and rabbi.text.startswith("Honored to have offered the benediction")
    assert tweets["drewmikkelsenk5"].attachments == ["https://pic.twitter.com/CIHDX5qmux"]
    links = {r.url for r in references if r.relation == Relation.LINKS}
    assert any(url and url.startswith("https://www.kveller.com/") for url in links)
    assert "https://twitter.com/ShannonKilpatri/status/1214351117548576770" in links
    youtube = next(r for r in references if r.platform == "youtube")
    assert youtube.kind == NodeKind.POST and youtube.evidence and "asked" in youtube.evidence
    # the newsletter sign-up in the middle of the article is the outlet's own
    assert not [url for url in links if url and "signup" in url]


def test_war_reporting_tweets_and_no_follow_us_links(
    page: Callable[[str], tuple[Document, list[Reference]]],
) -> None:
    _, references = page("report24.news-Drohne.html")
    tweets = embeds(references, "x")
    assert {t.handle for t in tweets} == {"Kanthan2030", "IranObserver0", "12_31_84", "MilitaryEye"}
    assert all(t.dating is not None and t.dating.at.date() == date(2023, 11, 5) for t in tweets)
    assert (
        "https://pic.twitter.com/DS8DqPhUud"
        in next(t for t in tweets if t.handle == "Kanthan2030").attachments
    )
    assert not [r for r in references if r.platform in {"telegram", "vk"}]


def test_instagram_blockquotes(page: Callable[[str], tuple[Document, list[Reference]]]) -> None:
    _, references = page("jolie.de.adele.html")
    posts = embeds(references, "instagram")
    assert [p.url for p in posts] == [
        "https://www.instagram.com/p/ByxilPNJK3M/",
        "https://www.instagram.com/p/ByvcEZml3za/",
    ]
    first = posts[0]
    assert first.handle == "spicegirls" and first.display_name == "Spice Girls"
    assert first.dating is not None and first.dating.at.date() == date(2019, 6, 16)


def test_facebook_post(page: Callable[[str], tuple[Document, list[Reference]]]) -> None:
    _, references = page("sportowefakty.wp.pl.falubaz.html")
    posts = embeds(references, "facebook")
    assert [p.url for p in posts] == [
        "https://www.facebook.com/unialesznoks/photos/pcb.3485430601537621/3485430308204317"
    ]
    assert posts[0].kind == NodeKind.POST and posts[0].handle == "unialesznoks"


def test_telegram_comments_widget_is_not_a_cited_post(
    page: Callable[[str], tuple[Document, list[Reference]]],
) -> None:
    _, references = page("unzensuriert.at-Zeche.html")
    assert not [r for r in references if r.platform == "telegram"]
    assert not embeds(references, "telegram")


def test_rumble_player_and_no_youtube_from_scripts(
    page: Callable[[str], tuple[Document, list[Reference]]],
) -> None:
    _, references = page("reitschuster.de-Hass-Demo.html")
    assert [r.url for r in references if r.relation == Relation.EMBEDS] == [
        "https://rumble.com/embed/v3pb7ad/"
    ]
    assert not [r for r in references if r.platform == "youtube"]
