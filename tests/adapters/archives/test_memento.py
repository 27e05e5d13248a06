"""Memento archives by TimeMap template, and archive.today, against fakeweb archives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from adapters.archives.archive_today import ArchiveTodayArchive
from adapters.archives.memento import MementoArchive
from tests.conftest import fast_archive as fast
from tests.fakeweb import FakeWeb, Response
from tests.fakeweb.archives import MementoSite, SlowDown
from tracer.errors import HTTPStatusError
from tracer.http.client import HTTPClient
from tracer.plugins.archive import ArchiveConfig, Window

URL = "http://news.example.com/story?id=7"
START = datetime(2015, 1, 1, tzinfo=UTC)


def memento_archive(site: MementoSite, **changes: object) -> MementoArchive:
    config = ArchiveConfig(
        name="example-archive",
        timemap=f"https://{site.host}{site.prefix}{site.timemap_path}{{url}}",
        timegate=f"https://{site.host}{site.prefix}{site.timegate_path}{{url}}",
    )
    return MementoArchive(fast(config, **changes))


def times(count: int, step: timedelta = timedelta(hours=7)) -> list[datetime]:
    return [START + n * step for n in range(count)]


@pytest.mark.parametrize("next_rel", [False, True], ids=["rel-timemap", "rel-next"])
async def test_paged_timemap_is_followed_to_the_end(
    fakeweb: FakeWeb, http: HTTPClient, next_rel: bool
) -> None:
    written = times(2500)
    site = MementoSite("archive.example.org", {URL: written}, "/wayback", 1000, next_rel)
    fakeweb.add(site.host, site)
    found = await memento_archive(site).captures(URL, http)
    assert len(site.requests) == 3
    assert [m.captured_at for m in found] == written
    assert found[0].url == site.memento_url(URL, written[0])
    assert {m.archive for m in found} == {"example-archive"}
    assert {m.original_url for m in found} == {URL}
    assert all(m.status is None for m in found)  # a TimeMap does not say


async def test_page_limit_bounds_a_runaway_timemap(fakeweb: FakeWeb, http: HTTPClient) -> None:
    site = MementoSite("archive.example.org", {URL: times(50)}, page_size=5)
    fakeweb.add(site.host, site)
    found = await memento_archive(site, max_pages=3).captures(URL, http)
    assert len(site.requests) == 3 and len(found) == 15


async def test_window_filters_the_timemap(fakeweb: FakeWeb, http: HTTPClient) -> None:
    written = times(40, timedelta(days=30))
    site = MementoSite("archive.example.org", {URL: written})
    fakeweb.add(site.host, site)
    window = Window(datetime(2016, 1, 1, tzinfo=UTC), datetime(2017, 1, 1, tzinfo=UTC))
    found = await memento_archive(site).captures(URL, http, window)
    assert [m.captured_at for m in found] == [t for t in written if window.holds(t)]


async def test_no_captures_is_an_empty_list(fakeweb: FakeWeb, http: HTTPClient) -> None:
    site = MementoSite("archive.example.org", {})
    fakeweb.add(site.host, site)
    assert await memento_archive(site).captures(URL, http) == []
    assert await memento_archive(site).nearest(URL, START, http) is None


async def test_timegate_negotiates_the_nearest_capture(fakeweb: FakeWeb, http: HTTPClient) -> None:
    written = times(10, timedelta(days=100))
    site = MementoSite("archive.example.org", {URL: written})
    fakeweb.add(site.host, site)
    archive = memento_archive(site)
    for asked, expected in [
        (START - timedelta(days=999), written[0]),
        (written[3] + timedelta(days=49), written[3]),
        (written[3] + timedelta(days=51), written[4]),
        (START + timedelta(days=99999), written[-1]),
    ]:
        memento = await archive.nearest(URL, asked, http)
        assert memento is not None
        assert memento.captured_at == expected
        assert memento.url == site.memento_url(URL, expected)
    gate_requests = [r for r in site.requests if "/timegate/" in r.path]
    assert gate_requests[0].headers["accept-datetime"].endswith("GMT")


async def test_without_a_timegate_the_timemap_decides(fakeweb: FakeWeb, http: HTTPClient) -> None:
    written = times(5, timedelta(days=10))
    site = MementoSite("archive.example.org", {URL: written})
    fakeweb.add(site.host, site)
    archive = MementoArchive(fast(ArchiveConfig(name="tm-only", timemap=site.timemap_url("{url}"))))
    memento = await archive.nearest(URL, written[2] + timedelta(days=1), http)
    assert memento is not None and memento.captured_at == written[2]


async def test_html_instead_of_a_timemap_is_an_error(fakeweb: FakeWeb, http: HTTPClient) -> None:
    fakeweb.add(
        "archive.example.org",
        lambda request: Response(200, "Please solve this captcha.", content_type="text/html"),
    )
    site = MementoSite("archive.example.org", {})
    with pytest.raises(HTTPStatusError, match="not link-format"):
        await memento_archive(site).captures(URL, http)


async def test_server_error_is_an_error(fakeweb: FakeWeb, http: HTTPClient) -> None:
    fakeweb.add(
        "archive.example.org", lambda request: Response(500, "boom", content_type="text/plain")
    )
    site = MementoSite("archive.example.org", {})
    with pytest.raises(HTTPStatusError, match="HTTP 500"):
        await memento_archive(site).captures(URL, http)


@pytest.mark.usefixtures("steady_heap")
async def test_archive_today_through_its_timemap(fakeweb: FakeWeb, http: HTTPClient) -> None:
    written = times(3, timedelta(days=400))
    site = MementoSite(
        "archive.ph", {URL: written}, timemap_path="/timemap/", timegate_path="/timegate/"
    )
    limited = SlowDown(site, times=1)  # archive.today's 429 carries no Retry-After
    fakeweb.add("archive.ph", limited)
    archive = ArchiveTodayArchive(fast(ArchiveTodayArchive.default_config(), penalty=0.3))
    assert archive.archive_name == "archive_today"
    assert archive.config.variants == "full"
    found = await archive.captures(URL, http)
    assert [m.captured_at for m in found] == written
    assert found[0].url == f"https://archive.ph/{written[0]:%Y%m%d%H%M%S}/{URL}"
    assert limited.requests[1].at - limited.requests[0].at >= 0.25
    memento = await archive.nearest(URL, written[1], http)
    assert memento is not None and memento.captured_at == written[1]
