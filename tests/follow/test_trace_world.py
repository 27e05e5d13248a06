"""End to end: an online trace of a small world on fakeweb, compared with how it was built.

The world (tests/fakeweb/world.py): an article that embeds a tweet and names RT without
a link, RT's article (found in the archive's index, not guessed) linking a GREY ZONE post,
that post forwarded from a Sahel Front post, and Wayback captures at known times.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from tests.cli import tracer
from tests.fakeweb.server import FakeWeb
from tests.fakeweb.world import MaliStory, archive_list, mali_story, run_trace, world_runtime
from tests.follow.stored import stored_rows
from tracer.locate.locator import normalize_url
from tracer.settings import load_settings
from tracer.sourcesearch.named import search_settings
from tracer.sourcesearch.settings import SearchSettings
from tracer.store.upserts import Store


@pytest.fixture
def story(fakeweb: FakeWeb, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> MaliStory:
    built = mali_story()
    built.world.install(fakeweb)
    monkeypatch.setenv("TRACER_ARCHIVE_LIST", str(archive_list(tmp_path / "archives.toml")))
    return built


def node_by_url(chain: dict[str, Any], url: str) -> dict[str, Any]:
    wanted = normalize_url(url).rstrip("/")
    for node in chain["nodes"]:
        for candidate in (node["canonical_url"], node["url"]):
            if candidate and normalize_url(candidate).rstrip("/") == wanted:
                return node
    raise AssertionError(f"no node for {url}")


def edges(chain: dict[str, Any], source: str, target: str) -> set[str]:
    return {
        e["relation"] for e in chain["edges"] if e["source"] == source and e["target"] == target
    }


def test_chain_matches_the_world(story: MaliStory, fakeweb: FakeWeb, database_url: str) -> None:
    with world_runtime(fakeweb, database_url) as runtime:
        chain = run_trace(runtime, story.root_url)
    root = chain["root"]
    article = node_by_url(chain, story.root_url)
    assert article["id"] == root and article["published_at"] == "2024-07-29T10:00:00Z"

    tweet = node_by_url(chain, f"https://x.com/i/status/{story.tweet.tweet_id}")
    assert edges(chain, root, tweet["id"]) == {"embeds"}
    assert tweet["published_at"] == "2024-07-28T19:44:57.000Z"
    assert tweet["published_at_method"] == "snowflake-id"

    rt = next(n for n in chain["nodes"] if n["kind"] == "outlet")
    assert rt["canonical_url"] == "https://rt.com/"
    assert edges(chain, root, rt["id"]) == {"cites"}

    # RT's article was searched for in the archive's index around the citing date
    rt_article = node_by_url(chain, story.rt_article)
    assert edges(chain, rt["id"], rt_article["id"]) == {"cites"}
    assert rt_article["published_at"] == "2024-07-28T09:00:00Z"
    cdx = [q for q in story.world.wayback.queries if q.get("url") == ["*.rt.com"]]
    assert cdx and cdx[0]["from"] == ["20240722000000"] and cdx[0]["to"] == ["20240730235959"]
    assert any(f.startswith("original:") for f in cdx[0]["filter"])
    by_url = {c["url"]: c for c in chain["candidates"] if c["node"] == rt["id"]}
    assert by_url[story.rt_article]["accepted"] and by_url[story.rt_article]["cited_by"] == root
    assert not by_url[story.rt_other]["accepted"]
    assert by_url[story.rt_other]["score"] < by_url[story.rt_article]["score"]
    for url in {story.rt_other} | {u for u in by_url if u != story.rt_article}:
        assert not any(n["canonical_url"] == url for n in chain["nodes"])

    # GREY ZONE, named through RT, searched in its history; RT's article links the post
    grey_zone = next(n for n in chain["nodes"] if n["canonical_url"] == "https://t.me/grey_zone")
    assert edges(chain, rt["id"], grey_zone["id"]) == {"cites"}
    grey_post = node_by_url(chain, story.grey_post.url)
    assert edges(chain, grey_zone["id"], grey_post["id"]) == {"cites"}
    assert edges(chain, rt_article["id"], grey_post["id"]) == {"links"}
    assert grey_post["published_at"] == "2024-07-27T18:05:00Z"
    channel_candidates = [c for c in chain["candidates"] if c["node"] == grey_zone["id"]]
    assert [c["url"] for c in channel_candidates] == [story.grey_post.url]
    assert channel_candidates[0]["accepted"]

    origin = node_by_url(chain, story.origin_post.url)
    assert edges(chain, grey_post["id"], origin["id"]) == {"forwarded_from"}

    # captures at the times the archive holds them
    for url in (story.rt_article, story.grey_post.url):
        node = node_by_url(chain, url)
        times = [c["captured_at"] for c in node["captures"]]
        assert times == [story.captures[url].strftime("%Y-%m-%dT%H:%M:%SZ")], url

    # the first appearance: the earliest post time known in the chain
    dated_posts = [
        n for n in chain["nodes"] if n["kind"] == "post" and n["published_at"] is not None
    ]
    earliest = min(dated_posts, key=lambda n: n["published_at"])
    # the forwarded-from post is asked about too, and it is the origin
    assert earliest["id"] == origin["id"]
    expected = story.origin_post
    assert chain["first_appearance"]["node"] == earliest["id"]
    assert chain["first_appearance"]["at"] == expected.at.strftime("%Y-%m-%dT%H:%M:%SZ")
    path = chain["path"]
    assert path[0] == root and path[-1] == earliest["id"]
    for source, target in itertools.pairwise(path):
        assert edges(chain, source, target), (source, target)
    assert rt["id"] in path  # reached through RT, as the world was built


def test_running_twice_changes_nothing(
    story: MaliStory, fakeweb: FakeWeb, database_url: str
) -> None:
    with world_runtime(fakeweb, database_url) as runtime:
        first = run_trace(runtime, story.root_url)
        before = stored_rows(database_url)
        second = run_trace(runtime, story.root_url)
    assert stored_rows(database_url) == before
    assert first["nodes"] == second["nodes"] and first["edges"] == second["edges"]
    assert first["candidates"] == second["candidates"]


def test_archive_down_completes_and_marks_what_it_could_not_check(
    story: MaliStory, fakeweb: FakeWeb, database_url: str
) -> None:
    story.world.wayback.down = True
    with world_runtime(fakeweb, database_url) as runtime:
        chain = run_trace(runtime, story.root_url)
    rt = next(n for n in chain["nodes"] if n["kind"] == "outlet")
    search = rt["attributes"]["search"]
    assert search["status"] == "error" and "503" in search["reason"]
    assert not any(n["canonical_url"] == story.rt_article for n in chain["nodes"])
    # the channel's own history is not an archive: GREY ZONE's post is still found
    grey_post = node_by_url(chain, story.grey_post.url)
    assert grey_post["captures"] == []
    store = Store.open_upgraded(database_url)
    with store.engine.connect() as connection:
        lookups = connection.execute(
            text("SELECT url, outcome, error FROM capture_lookup")
        ).fetchall()
    store.close()
    assert lookups and all(row.outcome == "error" and row.error for row in lookups)


def test_cli_with_an_archive_down_exits_zero(
    story: MaliStory, fakeweb: FakeWeb, tmp_path: Path
) -> None:
    story.world.wayback.down = True
    env = {
        **fakeweb.env(),
        "TRACER_ARCHIVE_LIST": str(tmp_path / "archives.toml"),
        "TRACER_CACHE__ENABLED": "false",
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "PATH": "/usr/bin:/bin",
    }
    result = tracer(
        "trace",
        "-f",
        "json",
        story.root_url,
        db=f"sqlite:///{tmp_path / 'cli.db'}",
        env=env,
        inherit=False,
    )
    assert result.returncode == 0, result.stderr
    chain = json.loads(result.stdout)
    tweet = node_by_url(chain, f"https://x.com/i/status/{story.tweet.tweet_id}")
    assert tweet["published_at"] == "2024-07-28T19:44:57.000Z"
    assert all(n["captures"] == [] for n in chain["nodes"])


def test_candidates_below_the_threshold_are_listed_not_linked(
    story: MaliStory, fakeweb: FakeWeb, database_url: str
) -> None:
    with world_runtime(fakeweb, database_url) as runtime:
        chain = run_trace(
            runtime, story.root_url, depth=1, search=SearchSettings(candidate_threshold=0.95)
        )
    rt = next(n for n in chain["nodes"] if n["kind"] == "outlet")
    listed = {c["url"]: c for c in chain["candidates"] if c["node"] == rt["id"]}
    assert story.rt_article in listed and not listed[story.rt_article]["accepted"]
    assert 0.6 <= listed[story.rt_article]["score"] < 0.95
    assert not any(n["canonical_url"] == story.rt_article for n in chain["nodes"])
    grey_zone = next(n for n in chain["nodes"] if n["canonical_url"] == "https://t.me/grey_zone")
    cited_by_rt = {e["target"] for e in chain["edges"] if e["source"] == rt["id"]}
    assert cited_by_rt == {grey_zone["id"]}


def test_search_settings_come_from_the_trace_section() -> None:
    defaults = search_settings(load_settings(env={}))
    assert (
        SearchSettings.model_validate(defaults.model_dump(include=set(SearchSettings.model_fields)))
        == SearchSettings()
    )
    configured = load_settings(env={"TRACER_TRACE__CANDIDATE_THRESHOLD": "0.9"})
    assert search_settings(configured).candidate_threshold == 0.9
