"""429 storms: per-host backoff keeps every path under the configured rate, measured at
the server from the arrival time of each request, with and without Retry-After.

The figures (requests, span, fastest gap, most requests in any one second, shortfall)
are printed with `pytest -s`; tests/fakeweb/spacing.py says what slack the stamps need.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.cli import tracer
from tests.fakeweb import FakeRequest, FakeWeb
from tests.fakeweb.hostile import Storm, article
from tests.fakeweb.spacing import assert_spaced
from tests.hostile.cli import environment, ok_json
from tracer.http.client import HTTPClient

INTERVAL = 0.2  # seconds between two requests to one host: at most 5 a second


def assert_under_rate(requests: list[FakeRequest], interval: float = INTERVAL) -> None:
    figures = assert_spaced(requests, interval)
    assert figures["max_per_second"] <= int(1 / interval) + 1, figures


@pytest.mark.usefixtures("steady_heap")
@pytest.mark.parametrize("retry_after", [None, "1"])
async def test_http_layer_keeps_the_rate_through_a_storm(
    fakeweb: FakeWeb, retry_after: str | None
) -> None:
    Storm(retry_after=retry_after).install(fakeweb, "storm.example")
    settings = fakeweb.http_settings(
        catch_all=False,
        per_host_interval=INTERVAL,
        per_host_concurrency=4,
        max_attempts=3,
        backoff_initial=0.01,
        backoff_max=2.0,
    )
    # a Retry-After of a second holds the host a second per request: fewer of them
    urls, attempts = (8, 3) if retry_after is None else (3, 2)
    settings.max_attempts = attempts
    async with HTTPClient(settings, resolver=fakeweb.resolver) as http:
        answers = await asyncio.gather(
            *(http.fetch(f"http://storm.example/{n}") for n in range(urls))
        )
    assert all(a.status_code == 429 for a in answers)
    requests = fakeweb.seen("storm.example")
    assert len(requests) == urls * attempts
    assert_under_rate(requests)
    if retry_after:
        # after the first 429, nobody asked again before Retry-After had passed
        arrivals = sorted(r.at for r in requests)
        first_retry = [t for t in arrivals if t > arrivals[0] + 0.5]
        assert first_retry and first_retry[0] - arrivals[0] >= 0.95


@pytest.mark.usefixtures("steady_heap")
async def test_a_storm_that_ends_lets_requests_through(fakeweb: FakeWeb) -> None:
    Storm(retry_after="1", limited=3).install(fakeweb, "storm.example")
    async with fakeweb.client(catch_all=False, per_host_interval=INTERVAL, max_attempts=3) as http:
        answers = await asyncio.gather(*(http.fetch(f"http://storm.example/{n}") for n in range(6)))
    assert [a.status_code for a in answers] == [200] * 6
    assert_under_rate(fakeweb.seen("storm.example"))


@pytest.mark.parametrize("retry_after", [None, "1"])
def test_trace_check_and_archive_keep_the_rate_in_a_storm(
    fakeweb: FakeWeb, tmp_path: Path, retry_after: str | None
) -> None:
    storm = [f"https://storm.example/story/{n}" for n in range(6 if retry_after is None else 2)]
    root = "https://news.example/2024/07/29/storm"
    fakeweb.page(
        root,
        article(
            root, "Sources behind a limit", [f'<a href="{u}">Report {u}</a> said.' for u in storm]
        ),
    )
    Storm(retry_after=retry_after).install(fakeweb, "storm.example")
    db = f"sqlite:///{tmp_path / 'tracer.db'}"
    env = environment(
        fakeweb,
        tmp_path,
        TRACER_HTTP__PER_HOST_INTERVAL=str(INTERVAL),
        # with Retry-After every request holds the host a second: one try each is enough
        TRACER_HTTP__MAX_ATTEMPTS="2" if retry_after is None else "1",
        TRACER_HTTP__BACKOFF_MAX="1",
    )
    traced = ok_json(tracer("trace", root, "--format", "json", "--depth", "1", db=db, env=env))
    errors = {n["canonical_url"]: n["error"] for n in traced["nodes"] if n["status"] == "error"}
    assert set(storm) <= set(errors) and all("429" in errors[u] for u in storm)
    assert_under_rate(fakeweb.seen("storm.example"))

    before = len(fakeweb.seen("storm.example"))
    checked = ok_json(tracer("check", "--json", db=db, env=env))
    outcomes = {link["url"]: link["outcome"] for link in checked["links"]}
    assert {outcomes[u] for u in storm} == {"rate-limited"}
    check_requests = fakeweb.seen("storm.example")[before:]
    assert_under_rate(check_requests)

    before = len(fakeweb.seen("storm.example"))
    archived = ok_json(tracer("archive", "--pending", "--json", db=db, env=env))
    snapshots = {entry["url"]: entry["snapshot"] for entry in archived}
    assert all(snapshots.get(u) is None for u in storm)
    assert_under_rate(fakeweb.seen("storm.example")[before:])
