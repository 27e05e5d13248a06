"""Named sources searched for, not guessed: an outlet's pages in the archive's index, and
tweets known only by their signature among their handle's archived statuses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from adapters.archives.wayback import WaybackArchive
from tests.fakeweb.server import FakeWeb
from tests.fakeweb.world import (
    EVIDENCE,
    Tweet,
    World,
    archive_list,
    mali_story,
    run_trace,
    snowflake,
    utc,
    world_runtime,
)
from tracer.http.client import HTTPClient
from tracer.sourcesearch.candidate import SearchOutcome
from tracer.sourcesearch.claim import Claim, evidence_keywords, make_claim
from tracer.sourcesearch.listing import searchable
from tracer.sourcesearch.outlet import search_outlet
from tracer.sourcesearch.settings import SearchSettings
from tracer.sourcesearch.signature import similarity


def wayback_listing() -> list[Any]:
    config = replace(WaybackArchive.default_config(), requests_per_minute=60000, max_attempts=1)
    return list(searchable([WaybackArchive(config)], rows=100, pages=1))


def week_claim(
    keywords: list[str], evidence: str | None, names: list[str], citing_date: datetime
) -> Claim:
    """A claim searched from a week before the citing article to a day after it."""
    return make_claim(
        keywords, evidence, names, citing_date, before_days=7, after_days=1, max_keywords=8
    )


async def search_rt(claim: Claim, http: HTTPClient) -> SearchOutcome:
    """RT's pages in the fake Wayback listing, searched for `claim`."""
    return await search_outlet("rt.com", claim, http, wayback_listing(), SearchSettings())


def test_claim_words_leave_out_the_source_and_attribution_words() -> None:
    words = evidence_keywords(EVIDENCE, ["RT", "Russia Today"], 8)
    folded = {w.casefold() for w in words}
    assert {"tuareg", "hur", "ukraine", "wagner"} <= folded and len(words) == 8
    assert not folded & {"russia", "today", "rt", "said", "citing", "channel", "telegram"}
    claim = week_claim(["drones"], EVIDENCE, ["RT", "Russia Today"], utc(2024, 7, 29, 10))
    assert claim.keywords == ["drones"] and "drones" not in claim.words
    assert claim.window is not None
    assert claim.window.start == utc(2024, 7, 22) and claim.window.end == utc(2024, 7, 31)
    # a keyword counts more than a word of the sentence; plurals match singulars
    with_keyword, _ = claim.text_score("A drone and nothing else")
    without, _ = claim.text_score("Tuareg and nothing else")
    assert with_keyword > without > 0


async def test_outlet_search_finds_the_matching_article_and_lists_the_other(
    fakeweb: FakeWeb, http: HTTPClient
) -> None:
    story = mali_story()
    story.world.install(fakeweb)
    claim = week_claim([], EVIDENCE, ["RT", "Russia Today"], story.root_published)
    outcome = await search_rt(claim, http)
    assert outcome.status == "searched"
    scores = {c.url: c.score for c in outcome.candidates}
    # the January page is outside the window; the heatwave page has no claim word in its URL
    assert set(scores) == {story.rt_article, story.rt_other}
    assert scores[story.rt_article] >= SearchSettings().candidate_threshold > scores[story.rt_other]
    best = outcome.candidates[0]
    assert best.url == story.rt_article and best.document is not None
    assert "Tuareg" in best.reason and "inside the window" in best.reason
    query = story.world.wayback.queries[0]
    assert query["url"] == ["*.rt.com"] and query["collapse"] == ["urlkey"]
    assert query["from"] == ["20240722000000"] and query["to"] == ["20240730235959"]
    assert "statuscode:200" in query["filter"]


async def test_outlet_search_reads_the_window_when_no_url_holds_a_claim_word(
    fakeweb: FakeWeb, http: HTTPClient
) -> None:
    story = mali_story()
    story.world.install(fakeweb)
    outcome = await search_rt(week_claim(["heat record"], None, ["RT"], story.root_published), http)
    # "heat" and "record" are in the heatwave page's URL and text
    assert outcome.candidates[0].url == story.rt_unrelated
    assert outcome.candidates[0].score == 1.0


async def test_outlet_search_with_the_archive_down_says_so(
    fakeweb: FakeWeb, http: HTTPClient
) -> None:
    story = mali_story()
    story.world.wayback.down = True
    story.world.install(fakeweb)
    outcome = await search_rt(week_claim([], EVIDENCE, ["RT"], story.root_published), http)
    assert outcome.status == "error" and "wayback" in (outcome.reason or "")
    assert outcome.candidates == []


# -- tweets known by their signature -------------------------------------------------------


EMBED = "Destroyed Wagner column near Tinzaouaten, northern Mali"


def sahel_watch(text: str, at: datetime) -> Tweet:
    """A post of @sahel_watch at `at`, its id the snowflake of that time."""
    return Tweet(snowflake(at), "sahel_watch", "Sahel Watch", text, at)


def signature_world() -> tuple[World, dict[str, Tweet]]:
    world = World()
    tweets = {
        "match": sahel_watch(EMBED + " https://t.co/AbCdEf", utc(2024, 7, 28, 6, 10)),
        "same_day": sahel_watch(
            "Good morning from Kidal, the market is open again", utc(2024, 7, 28, 21, 0)
        ),
        "day_before": sahel_watch(EMBED, utc(2024, 7, 27, 23, 50)),
        "captured_late": sahel_watch(EMBED, utc(2024, 7, 28, 12, 0)),
    }
    for tweet in tweets.values():
        world.tweet(tweet)
    status = "https://twitter.com/sahel_watch/status/{}"
    world.wayback.capture(status.format(tweets["match"].tweet_id), utc(2024, 7, 28, 7))
    world.wayback.capture(
        f"https://x.com/Sahel_Watch/status/{tweets['match'].tweet_id}", utc(2024, 7, 30)
    )
    world.wayback.capture(
        f"https://x.com/sahel_watch/status/{tweets['same_day'].tweet_id}?s=20", utc(2024, 7, 29)
    )
    world.wayback.capture(status.format(tweets["day_before"].tweet_id), utc(2024, 7, 28, 1))
    # captured two months later: outside the capture window
    world.wayback.capture(status.format(tweets["captured_late"].tweet_id), utc(2024, 9, 30))
    return world, tweets


@pytest.fixture
def signatures(
    fakeweb: FakeWeb, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> tuple[World, dict[str, Tweet]]:
    world, tweets = signature_world()
    world.install(fakeweb)
    monkeypatch.setenv("TRACER_ARCHIVE_LIST", str(archive_list(tmp_path / "archives.toml")))
    return world, tweets


@pytest.fixture
def trace_signature(
    fakeweb: FakeWeb, database_url: str, tmp_path: Path
) -> Callable[[str], dict[str, Any]]:
    """The chain of a short article whose embedded tweet is left as its signature line."""

    def trace(signature: str) -> dict[str, Any]:
        source = tmp_path / "article.txt"
        source.write_text(
            "Bamako, 29 July 2024\n\nFootage of the convoy spread quickly.\n"
            f"{signature}\nMore details followed.\n",
            encoding="utf-8",
        )
        with world_runtime(fakeweb, database_url) as runtime:
            return run_trace(runtime, str(source), depth=1)

    return trace


def _signature_node(chain: dict[str, Any]) -> dict[str, Any]:
    return next(
        n
        for n in chain["nodes"]
        if n["kind"] == "post" and n["platform"] == "x" and n["canonical_url"] is None
    )


def test_signature_with_one_certain_candidate_becomes_same_as(
    signatures: tuple[World, dict[str, Tweet]],
    trace_signature: Callable[[str], dict[str, Any]],
) -> None:
    world, tweets = signatures
    chain = trace_signature(f"{EMBED}— Sahel Watch (@sahel_watch) July 28, 2024")
    signature = _signature_node(chain)
    assert signature["status"] == "unresolved" and signature["published_at"] == "2024-07-28"
    match_url = f"https://x.com/i/status/{tweets['match'].tweet_id}"
    status = next(n for n in chain["nodes"] if n["canonical_url"] == match_url)
    same_as = [
        e for e in chain["edges"] if e["source"] == signature["id"] and e["relation"] == "same_as"
    ]
    assert [e["target"] for e in same_as] == [status["id"]]
    assert status["published_at"] == "2024-07-28T06:10:00.000Z"
    # (the day-precision signature still wins the first appearance over the status's
    # exact time on the same day: see the report on tracer/store/chain.py)
    assert chain["first_appearance"]["at"].startswith("2024-07-28")
    candidates = {c["url"]: c for c in chain["candidates"] if c["node"] == signature["id"]}
    same_day_url = f"https://x.com/i/status/{tweets['same_day'].tweet_id}"
    assert set(candidates) == {match_url, same_day_url}
    assert candidates[match_url]["accepted"] and not candidates[same_day_url]["accepted"]
    assert candidates[match_url]["score"] > candidates[same_day_url]["score"]
    assert "2024-07-28" in candidates[match_url]["reason"]
    prefixes = {q["url"][0] for q in world.wayback.queries if "status/*" in q["url"][0]}
    assert prefixes == {"twitter.com/sahel_watch/status/*", "x.com/sahel_watch/status/*"}


def test_signature_without_text_stays_unresolved_with_its_candidates(
    signatures: tuple[World, dict[str, Tweet]],
    trace_signature: Callable[[str], dict[str, Any]],
) -> None:
    _world, tweets = signatures
    chain = trace_signature("— Sahel Watch (@sahel_watch) July 28, 2024")
    signature = _signature_node(chain)
    assert signature["status"] == "unresolved"
    assert not [e for e in chain["edges"] if e["relation"] == "same_as"]
    candidates = [c for c in chain["candidates"] if c["node"] == signature["id"]]
    assert {c["url"].rsplit("/", 1)[1] for c in candidates} == {
        tweets["match"].tweet_id,
        tweets["same_day"].tweet_id,
    }
    assert all(not c["accepted"] and c["score"] == 0.5 for c in candidates)
    assert signature["attributes"]["search"]["status"] == "searched"


def test_similarity_ignores_links_and_case() -> None:
    assert similarity(EMBED, EMBED.upper() + " https://t.co/x pic.twitter.com/y") == 1.0
    assert similarity(EMBED, "Good morning from Kidal") < 0.5
