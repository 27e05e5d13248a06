"""Channel search over t.me/s/<channel>?before= pages served from the real channel page."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from adapters.platforms.telegram import TelegramAdapter
from tests.adapters.platforms.limits import ONE_ATTEMPT
from tests.fakeweb import FakeWeb
from tests.fakeweb.telegram import CHANNEL, TelegramWorld
from tracer.cli import main
from tracer.errors import InputError
from tracer.http.client import HTTPClient
from tracer.plugins.platform import ChannelHistory
from tracer.sourcesearch.channel_history import (
    fold,
    history_source,
    matching_terms,
    search_channel,
)

#: in the real page, post 70996 (2023-02-28) tells of "ЧВК «Вагнер»" near Bakhmut; the
#: fake history repeats the page one day (and 20 ids) earlier per page
WAGNER = "Вагнер"


def day(text: str, end: bool = False) -> datetime:
    value = datetime.fromisoformat(text).replace(tzinfo=UTC)
    return value.replace(hour=23, minute=59, second=59) if end else value


@pytest.fixture
def world(fakeweb: FakeWeb) -> TelegramWorld:
    return TelegramWorld(history_pages=10).install(fakeweb)


HTTP_LIMITS = ONE_ATTEMPT


@pytest.fixture
def http(http: HTTPClient, world: TelegramWorld) -> HTTPClient:
    """The shared client, with the Telegram world served."""
    return http


def test_the_telegram_adapter_offers_channel_history() -> None:
    assert isinstance(TelegramAdapter(), ChannelHistory)
    assert history_source("telegram").name == "telegram"
    with pytest.raises(InputError):
        history_source("nowhere")


def test_matching_ignores_case_and_diacritics() -> None:
    assert fold("Ёлка") == fold("елка")
    assert matching_terms("ЧВК «ВАГНЕР» подошли", ["вагнер", "wagner"]) == ["вагнер"]
    assert matching_terms("nothing here", ["вагнер"]) == []


async def test_window_search_reports_earliest_first(http: HTTPClient, fakeweb: FakeWeb) -> None:
    search = await search_channel(
        http, CHANNEL, [WAGNER.upper()], since=day("2023-02-25"), until=day("2023-02-28", end=True)
    )
    assert search.error is None
    assert search.stopped == "window"
    assert search.title == "Военное обозрение"
    dates = [m.post.published_at.date().isoformat() for m in search.matches if m.post.published_at]
    assert dates == ["2023-02-25", "2023-02-26", "2023-02-27", "2023-02-28"]
    assert [m.post.post_id for m in search.matches] == [70936, 70956, 70976, 70996]
    assert search.matches[0].post.url == "https://t.me/topwar_official/70936"
    assert search.matches[0].terms == [WAGNER.upper()]
    # newest page, then three older ones inside the window, then the one that leaves it
    assert search.pages == 5
    befores = [r.arg("before") for r in fakeweb.seen("t.me", f"/s/{CHANNEL}")]
    assert befores == [None, "70989", "70969", "70949", "70929"]


async def test_synonyms_find_the_channel_language(http: HTTPClient) -> None:
    since, until = day("2023-02-28"), day("2023-02-28", end=True)
    english = await search_channel(http, CHANNEL, ["Wagner"], since=since, until=until)
    assert english.matches == []
    both = await search_channel(
        http, CHANNEL, ["Wagner"], synonyms=[WAGNER, "Бахмут"], since=since, until=until
    )
    [match] = both.matches
    assert match.post.post_id == 70996
    assert match.terms == [WAGNER, "Бахмут"]


async def test_old_window_is_found_by_bisecting_ids(http: HTTPClient, fakeweb: FakeWeb) -> None:
    search = await search_channel(
        http, CHANNEL, [WAGNER], since=day("2023-02-20"), until=day("2023-02-21", end=True)
    )
    assert search.error is None
    assert [
        m.post.published_at.date().isoformat() for m in search.matches if m.post.published_at
    ] == [
        "2023-02-20",
        "2023-02-21",
    ]
    # walking back day by day would read 10 pages; bisecting skips most of them
    assert search.pages < 10
    assert search.stopped == "window"


async def test_search_is_bounded_in_pages(http: HTTPClient) -> None:
    search = await search_channel(http, CHANNEL, [WAGNER], max_pages=3)
    assert (search.stopped, search.pages) == ("pages", 3)
    assert len(search.matches) == 3


async def test_search_stops_at_the_channel_start(fakeweb: FakeWeb) -> None:
    TelegramWorld(history_pages=2).install(fakeweb)
    async with HTTPClient(fakeweb.http_settings(), resolver=fakeweb.resolver) as http:
        search = await search_channel(http, CHANNEL, [WAGNER])
    assert search.stopped == "start"
    assert len(search.matches) == 3


async def test_search_is_bounded_in_time(http: HTTPClient) -> None:
    search = await search_channel(http, CHANNEL, [WAGNER], max_seconds=0.0001)
    assert search.stopped == "time"
    assert search.pages == 1


async def test_channel_without_history_is_an_error(http: HTTPClient, world: TelegramWorld) -> None:
    world.no_preview["grey_zone"] = "Grey Zone"
    search = await search_channel(http, "grey_zone", ["Wagner"])
    assert (search.stopped, search.matches) == ("error", [])
    assert search.error and "no public history" in search.error


async def test_rate_limit_ends_the_search_with_a_reason(
    http: HTTPClient, world: TelegramWorld
) -> None:
    world.rate_limited = True
    search = await search_channel(http, CHANNEL, [WAGNER])
    assert search.stopped == "error"
    assert search.error and "429" in search.error


async def test_bad_requests_are_input_errors(http: HTTPClient) -> None:
    with pytest.raises(InputError):
        await search_channel(http, CHANNEL, ["  "])
    with pytest.raises(InputError):
        await search_channel(http, CHANNEL, ["x"], since=day("2024-02-01"), until=day("2024-01-01"))


def test_search_channel_command(
    fakeweb: FakeWeb,
    world: TelegramWorld,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name, value in fakeweb.env().items():
        monkeypatch.setenv(name, value)
    code = main(
        ["search-channel", "https://t.me/s/TopWar_Official", "бахмут", "--since", "2023-02-27",
         "--until", "2023-02-28", "--json"]
    )  # fmt: skip
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    assert result["channel"] == CHANNEL
    assert [m["url"] for m in result["matches"]] == [
        "https://t.me/topwar_official/70976",
        "https://t.me/topwar_official/70996",
    ]
    assert result["matches"][0]["published_at"] == "2023-02-27T09:06:02Z"
    assert result["stopped"] == "window"


def test_search_channel_command_refuses_bad_dates(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search-channel", "grey_zone", "x", "--since", "last week"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a date" in err


async def test_deep_history_is_reached_in_few_pages(fakeweb: FakeWeb) -> None:
    TelegramWorld(history_pages=200).install(fakeweb)  # 200 days of posts
    async with HTTPClient(fakeweb.http_settings(), resolver=fakeweb.resolver) as http:
        search = await search_channel(
            http, CHANNEL, [WAGNER], since=day("2022-09-01"), until=day("2022-09-02", end=True)
        )
    dates = [m.post.published_at.date().isoformat() for m in search.matches if m.post.published_at]
    assert dates == ["2022-09-01", "2022-09-02"]
    assert search.stopped == "window"
    assert search.pages <= 16  # 180 pages back, found by interpolating ids against times


def test_search_channel_command_text_and_failure(
    fakeweb: FakeWeb,
    world: TelegramWorld,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name, value in fakeweb.env(TRACER_HTTP__MAX_ATTEMPTS="1").items():
        monkeypatch.setenv(name, value)
    assert main(["search-channel", "@topwar_official", "Вагнер", "--since", "2023-02-28"]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines()[0].startswith(
        "2023-02-28T09:06:02Z  https://t.me/topwar_official/70996  [Вагнер]"
    )
    assert "1 matching posts in 2 pages" in captured.err
    world.no_preview["grey_zone"] = "Grey Zone"
    assert main(["search-channel", "t.me/grey_zone", "Wagner"]) == 1
    assert "no public history" in capsys.readouterr().err
