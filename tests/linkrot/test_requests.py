"""Repeat checks are cheap (conditional requests, HEAD for files) and HEAD is only
trusted where a host answers it correctly."""

from __future__ import annotations

from tests.fakeweb import Response
from tests.fakeweb.down import RefusingHost
from tests.fakeweb.linkrot import LinkWorld
from tests.linkrot.conftest import ManualClock, http_settings
from tests.linkrot.helpers import add, history, outcomes, run_check, state_of
from tracer.http.client import HTTPClient
from tracer.linkrot.scheduling.run import check_links
from tracer.linkrot.settings import CheckSettings
from tracer.store.upserts import Store


async def test_repeat_check_is_conditional_and_304_is_alive(
    store: Store, world: LinkWorld, clock: ManualClock, check_settings: CheckSettings
) -> None:
    url = "https://news.test/article/7"
    add(store, [url], clock)
    await run_check(store, world.web, check_settings, clock)
    etag = state_of(store, url).etag
    assert etag
    clock.advance(days=1)
    report = await run_check(store, world.web, check_settings, clock)

    assert outcomes(report) == {url: "alive"}
    first, second = world.web.seen("news.test", "/article/7")
    assert "if-none-match" not in first.headers
    assert second.headers["if-none-match"] == etag
    checks = history(store, url)
    assert [c.status_code for c in checks] == [200, 304]
    # the fingerprint of the content survives a 304
    assert state_of(store, url).content_hash == checks[0].content_hash


async def test_files_are_checked_with_head_once_known(
    store: Store, world: LinkWorld, clock: ManualClock, check_settings: CheckSettings
) -> None:
    url = "https://files.test/report.pdf"
    add(store, [url], clock)
    for _ in range(2):
        assert outcomes(await run_check(store, world.web, check_settings, clock)) == {url: "alive"}
        clock.advance(days=1)
    assert [r.method for r in world.web.seen("files.test", "/report.pdf")] == ["GET", "HEAD"]
    # If-Modified-Since went out with the HEAD
    assert world.web.seen("files.test", "/report.pdf")[1].headers["if-modified-since"]


async def test_host_answering_head_wrongly_gets_get(
    store: Store, world: LinkWorld, clock: ManualClock, check_settings: CheckSettings
) -> None:
    url = "https://nohead.test/data.csv"
    add(store, [url], clock)
    await run_check(store, world.web, check_settings, clock)  # learns: not a page
    clock.advance(days=1)
    report = await run_check(store, world.web, check_settings, clock)
    assert outcomes(report) == {url: "alive"}  # the 405 to HEAD is not "gone"
    assert [r.method for r in world.web.seen("nohead.test", "/data.csv")] == ["GET", "HEAD", "GET"]


async def test_too_large_body_is_checked_with_head(
    store: Store, world: LinkWorld, clock: ManualClock
) -> None:
    url = "https://files.test/huge.html"
    world.web.page(url, Response(200, "<p>" + "x" * 40_000 + "</p>"))
    add(store, [url], clock)
    settings = CheckSettings(archive_missing=False, max_body_bytes=8_192)
    report = await run_check(store, world.web, settings, clock)
    assert outcomes(report) == {url: "alive"}
    assert [r.method for r in world.web.seen("files.test", "/huge.html")] == ["GET", "HEAD"]


async def test_a_host_that_refuses_is_asked_once_per_check(
    store: Store, world: LinkWorld, clock: ManualClock, check_settings: CheckSettings
) -> None:
    """lychee's lesson: a refused connection is not retried (timeouts and 5xx are)."""
    url = "http://down.test/story"
    add(store, [url], clock)
    down = RefusingHost("down.test")
    options = http_settings(world.web, connect_to=down.connect_to, max_attempts=4)
    async with HTTPClient(options, resolver=down.resolve) as http:
        report = await check_links(store, http, check_settings, clock=clock, adapters=[])

    assert outcomes(report) == {url: "connection-failed"}
    assert down.lookups == [down.target]  # one connection attempt
    assert "cannot connect" in (history(store, url)[0].error or "")
