"""The Wayback Machine adapter against fakeweb replaying real Internet Archive answers."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from adapters.archives.cdx import parse_text
from adapters.archives.wayback import WaybackArchive
from tests.conftest import fast_archive as fast
from tests.fakeweb import FakeWeb, Response
from tests.fakeweb.archives import (
    AVAILABILITY_HOST,
    WAYBACK_HOST,
    Availability,
    SlowDown,
    WaybackCDX,
    cdx_lines,
    load_cassette,
    serve_cdx_text,
)
from tests.fakeweb.spacing import assert_spaced
from tracer.errors import HTTPStatusError
from tracer.http.client import HTTPClient
from tracer.plugins.archive import Window


def wayback(**changes: object) -> WaybackArchive:
    return WaybackArchive(fast(WaybackArchive.default_config(), **changes))


async def test_listing_follows_fifteen_pages_of_resume_keys(
    fakeweb: FakeWeb, http: HTTPClient
) -> None:
    cdx = WaybackCDX.replaying("test_search_multipage")
    fakeweb.add(WAYBACK_HOST, cdx)
    archive = wayback(page_size=25)
    window = Window(datetime(2001, 4, 10, tzinfo=UTC), datetime(2001, 5, 10, 0, 0, 1, tzinfo=UTC))
    found = await archive.listing("cnn.com", http, window)
    assert len(cdx.requests) == 15
    sent_keys = [r.arg("resumeKey") for r in cdx.requests[1:]]
    assert sent_keys == [i.query["resumeKey"][0] for i in cdx.interactions[1:]]
    expected = set()
    for interaction in cdx.interactions:
        for record in parse_text(interaction.body.decode()).records:
            expected.add((record.timestamp, record.original, record.digest))
    assert {
        (m.url.split("/web/")[1].split("/")[0], m.original_url, m.digest) for m in found
    } == expected
    assert [m.captured_at for m in found] == sorted(m.captured_at for m in found)
    assert found[0].url.startswith("https://web.archive.org/web/20010410")
    assert {m.status for m in found} == {200, 302}


async def test_date_window_is_sent_as_cdx_bounds(fakeweb: FakeWeb, http: HTTPClient) -> None:
    cdx = WaybackCDX.replaying("test_search_with_date")
    fakeweb.add(WAYBACK_HOST, cdx)
    window = Window(datetime(2019, 10, 1, tzinfo=UTC), datetime(2020, 3, 1, 0, 0, 1, tzinfo=UTC))
    found = await wayback().listing("dw.com", http, window)
    assert cdx.requests[0].arg("from") == "20191001000000"
    assert cdx.requests[0].arg("to") == "20200301000000"
    assert len(cdx.requests) == len(cdx.interactions) == 3
    assert found and all(window.holds(m.captured_at) for m in found)


async def test_collapse_and_filters_reach_the_server(fakeweb: FakeWeb, http: HTTPClient) -> None:
    cdx = WaybackCDX()
    fakeweb.add(WAYBACK_HOST, cdx)
    await wayback(collapse="digest").captures("example.com/page", http)
    assert cdx.requests[0].query["collapse"] == ["digest"]
    assert cdx.requests[0].arg("resolveRevisits") == "true"
    assert cdx.requests[0].arg("showResumeKey") == "true"
    with pytest.raises(Exception, match="collapse"):
        await wayback(collapse="no-such-field").captures("example.com/page", http)


async def test_blocked_site_is_reported(fakeweb: FakeWeb, http: HTTPClient) -> None:
    recorded = load_cassette("test_search_raises_for_blocked_urls")[0]
    assert recorded.status == 403
    fakeweb.add(WAYBACK_HOST, lambda request: recorded.response())
    with pytest.raises(HTTPStatusError, match="blocks this site") as caught:
        await wayback().captures("https://nationalpost.com/health", http)
    assert caught.value.status_code == 403


async def test_empty_listing(fakeweb: FakeWeb, http: HTTPClient) -> None:
    fakeweb.add(WAYBACK_HOST, WaybackCDX())
    assert await wayback().captures("never-archived.example/", http) == []
    assert await wayback().oldest("never-archived.example/", http) is None


async def test_malformed_lines_do_not_end_the_listing(fakeweb: FakeWeb, http: HTTPClient) -> None:
    fakeweb.add(WAYBACK_HOST, serve_cdx_text(cdx_lines("malformed_cdx.txt")))
    found = await wayback().captures("epa.gov", http)
    assert len(found) == len(cdx_lines("malformed_cdx.txt").decode().splitlines()) - 1
    assert {m.status for m in found} == {200, 301, 404}


async def test_oldest_asks_for_the_first_2xx_and_newest_for_the_last(
    fakeweb: FakeWeb, http: HTTPClient
) -> None:
    cdx = WaybackCDX(listings={"cnn.com": cdx_lines("zero_length_cdx.txt")})
    fakeweb.add(WAYBACK_HOST, cdx)
    archive = wayback()
    oldest = await archive.oldest("cnn.com", http)
    newest = await archive.newest("cnn.com", http)
    assert cdx.requests[0].arg("limit") == "1"
    assert cdx.requests[0].query["filter"] == ["statuscode:2.."]
    assert cdx.requests[1].arg("limit") == "-1"
    lines = cdx_lines("zero_length_cdx.txt").decode().splitlines()
    assert oldest is not None and oldest.url.endswith(
        f"/web/{lines[0].split()[1]}/http://www.cnn.com/"
    )
    assert newest is not None and newest.captured_at == parse_text(lines[-1]).records[0].captured_at


async def test_availability_api(fakeweb: FakeWeb, http: HTTPClient) -> None:
    api = Availability({"example.com/a": [("20100101000000", 200), ("20200101000000", 404)]})
    fakeweb.add(AVAILABILITY_HOST, api)
    archive = wayback()
    near = await archive.nearest("example.com/a", datetime(2011, 6, 1, tzinfo=UTC), http)
    assert near is not None
    assert near.url == "https://web.archive.org/web/20100101000000/example.com/a"
    assert near.captured_at == datetime(2010, 1, 1, tzinfo=UTC) and near.status == 200
    latest = await archive.availability("example.com/a", http)
    assert latest is not None and latest.status == 404
    assert await archive.availability("example.com/none", http) is None
    fakeweb.add(
        AVAILABILITY_HOST, lambda request: Response(200, "<html>", content_type="text/html")
    )
    with pytest.raises(HTTPStatusError, match="not JSON"):
        await archive.availability("example.com/a", http)


async def test_user_agent_comes_from_settings(fakeweb: FakeWeb) -> None:
    cdx = WaybackCDX()
    fakeweb.add(WAYBACK_HOST, cdx)
    async with fakeweb.client(user_agent="tester/{version} (+mailto:t@example.org)") as client:
        await wayback().captures("example.com", client)
    agent = cdx.requests[0].headers["user-agent"]
    assert agent.startswith("tester/") and agent.endswith("(+mailto:t@example.org)")


@pytest.mark.usefixtures("steady_heap")
async def test_429_with_retry_after_waits_and_retries(fakeweb: FakeWeb, http: HTTPClient) -> None:
    limited = SlowDown(WaybackCDX(listings={"cnn.com": cdx_lines("zero_length_cdx.txt")}), 1, "1")
    fakeweb.add(WAYBACK_HOST, limited)
    found = await wayback().captures("cnn.com", http)
    assert len(found) == 5
    assert len(limited.requests) == 2
    assert limited.requests[1].at - limited.requests[0].at >= 0.95


@pytest.mark.usefixtures("steady_heap")
async def test_429_without_retry_after_slows_every_worker(
    fakeweb: FakeWeb, http: HTTPClient
) -> None:
    limited = SlowDown(WaybackCDX(), times=1)
    fakeweb.add(WAYBACK_HOST, limited)
    archive = wayback(penalty=0.6, concurrency=4)
    await asyncio.gather(*(archive.captures(f"example.com/{n}", http) for n in range(6)))
    first = limited.requests[0]
    later = limited.requests[1:]
    # everything that started after the 429 waited out the pause, not only the one told
    after = [r for r in later if r.at > first.at + 0.05]
    assert len(limited.requests) == 7
    assert after and all(r.at - first.at >= 0.55 for r in after)


async def test_429_for_good_is_reported(fakeweb: FakeWeb, http: HTTPClient) -> None:
    limited = SlowDown(WaybackCDX(), times=100)
    fakeweb.add(WAYBACK_HOST, limited)
    with pytest.raises(HTTPStatusError, match="rate limiting"):
        await wayback(penalty=0.05, max_attempts=3).captures("example.com", http)
    assert len(limited.requests) == 3


@pytest.mark.usefixtures("steady_heap")
async def test_rate_limit_spaces_requests(fakeweb: FakeWeb, http: HTTPClient) -> None:
    cdx = WaybackCDX()
    fakeweb.add(WAYBACK_HOST, cdx)
    archive = wayback(requests_per_minute=600, concurrency=1)  # one every 0.1 s
    archive.prepare(http)
    await asyncio.gather(*(archive.captures(f"example.com/{n}", http) for n in range(5)))
    assert_spaced(cdx.requests, 0.1)
