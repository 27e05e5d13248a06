"""Server faults on every network path: each ends in a recorded outcome, the run goes on.

The faults (tests/fakeweb/hostile.py): a slowloris body, a reset mid-body, truncated
gzip, a redirect loop, a captcha and a login wall answered with 200, a 503, bytes that
are not HTTP, and a host that refuses connections for the whole run.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli import tracer
from tests.fakeweb import FakeRequest, FakeWeb, Response
from tests.fakeweb.down import closed_port
from tests.fakeweb.hostile import article, faults, install_faults
from tests.hostile.cli import environment, ok_json, rows
from tracer.http.client import HTTPClient
from tracer.identity.resolver import resolve_url
from tracer.store.model import NodeStatus

#: one URL per platform adapter, and the hosts their enrich asks
SAMPLES = [
    "https://x.com/Tendar/status/1817654321098765432",
    "https://t.co/hIF4H7QWW1",
    "https://t.me/grey_zone/23150",
    "https://t.me/grey_zone",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://www.tiktok.com/@user/video/7234567890123456789",
    "https://www.instagram.com/p/C9abcdEFghi/",
    "https://www.facebook.com/someone/posts/123456789",
    "https://vk.com/wall-1_2",
    "https://news.example/a",
]
PLATFORM_HOSTS = [
    "x.com",
    "twitter.com",
    "cdn.syndication.twimg.com",
    "publish.twitter.com",
    "t.co",
    "t.me",
    "www.youtube.com",
    "youtube.com",
    "www.tiktok.com",
    "www.instagram.com",
    "www.facebook.com",
    "vk.com",
    "news.example",
]
FAULTS = list(faults("x.example"))


def _always(response: Response) -> Callable[[FakeRequest], Response]:
    return lambda request: response


@pytest.mark.parametrize("fault", FAULTS)
async def test_platform_adapters_record_every_fault(fakeweb: FakeWeb, fault: str) -> None:
    for host in PLATFORM_HOSTS:
        fakeweb.add(host, _always(faults(host)[fault]))
    async with fakeweb.client(
        catch_all=True, max_attempts=2, total_timeout=0.5, timeout=0.5
    ) as http:
        identities = await asyncio.gather(*(resolve_url(url, http) for url in SAMPLES))
    for url, identity in zip(SAMPLES, identities, strict=True):
        if identity.status == NodeStatus.OFFLINE:
            continue  # adapters that ask no one (Instagram, Facebook, VK) stay offline
        if fault == "redirect-loop" and url.startswith("https://t.co/"):
            continue  # a t.co redirect is the answer, read without following it
        assert identity.status == NodeStatus.ERROR, (fault, url, identity)
        assert identity.error and "\n" not in identity.error
    assert {r.host for r in fakeweb.seen()} <= set(PLATFORM_HOSTS)


async def test_a_host_down_for_the_whole_run_is_an_error_per_platform(
    fakeweb: FakeWeb,
) -> None:
    port = closed_port()
    settings = fakeweb.http_settings(
        catch_all=False,
        connect_to={"*:443": f"127.0.0.1:{port}", "*:80": f"127.0.0.1:{port}"},
        max_attempts=2,
        backoff_initial=0.01,
    )
    async with HTTPClient(settings) as http:
        identities = await asyncio.gather(*(resolve_url(url, http) for url in SAMPLES))
    enriched = [i for i in identities if i.status != NodeStatus.OFFLINE]
    assert len(enriched) >= 6
    assert all(i.status == NodeStatus.ERROR and "connect" in (i.error or "") for i in enriched)


def test_trace_check_and_archive_complete_through_every_fault(
    fakeweb: FakeWeb, tmp_path: Path
) -> None:
    fault_urls = install_faults(fakeweb, "faulty.example")
    down = "https://down.example/story"
    root = "https://news.example/2024/07/29/faults"
    fakeweb.page(
        root,
        article(
            root,
            "Sources that fail",
            [f'Officials <a href="{url}">said</a> so on Monday.' for url in [*fault_urls, down]],
        ),
    )
    db = f"sqlite:///{tmp_path / 'tracer.db'}"
    connect_to = fakeweb.connect_to(catch_all=True) | {
        "down.example:443": f"127.0.0.1:{closed_port()}"
    }
    env = environment(
        fakeweb,
        tmp_path,
        TRACER_HTTP__CONNECT_TO=json.dumps(connect_to),
        TRACER_HTTP__TOTAL_TIMEOUT="1",
        TRACER_HTTP__MAX_ATTEMPTS="2",
    )
    traced = ok_json(tracer("trace", root, "--format", "json", "--depth", "1", db=db, env=env))
    nodes = {n["canonical_url"]: n for n in traced["nodes"]}
    for url in [*fault_urls, down]:
        node = nodes[url]
        assert node["status"] == "error" and node["error"], node
    assert rows(db, "SELECT status FROM trace") == [("done",)]

    checked = ok_json(tracer("check", "--json", db=db, env=env))
    outcomes = {link["url"]: link["outcome"] for link in checked["links"]}
    assert outcomes[root] == "alive"
    expected = {
        "slowloris": "timeout",
        "reset": "connection-failed",
        "truncated-gzip": "connection-failed",
        "redirect-loop": "server-error",
        "captcha": "blocked",
        "login-wall": "blocked",
        "unavailable": "server-error",
        "not-http": "connection-failed",
    }
    for url in fault_urls:
        assert outcomes[url] == expected[url.rsplit("/", 1)[1]], (url, outcomes[url])
    assert outcomes[down] == "connection-failed"
    # every check is stored, one per link
    assert rows(db, 'SELECT COUNT(*), COUNT(DISTINCT node_id) FROM "check"')[0][0] == len(outcomes)

    archived = ok_json(tracer("archive", "--pending", "--json", db=db, env=env))
    snapshots = {entry["url"]: entry["snapshot"] for entry in archived}
    for url in [*fault_urls, down]:
        if url.endswith(("captcha", "login-wall")):
            continue  # a wall is a page: its snapshot is the evidence of the wall
        assert snapshots.get(url) is None, url
    assert snapshots[root] is not None


@pytest.mark.parametrize("fault", FAULTS)
def test_archive_lookups_and_saves_record_every_fault(
    fakeweb: FakeWeb,
    tmp_path: Path,
    fault: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tracer.cli import main

    url = "https://news.example/2024/07/29/story"
    fakeweb.page(url, article(url, "Story", ["Words."]))
    for host in ("web.archive.org", "archive.org", "archive.ph"):
        fakeweb.add(host, _always(faults(host)[fault]))
    env = environment(
        fakeweb,
        tmp_path,
        TRACER_ARCHIVES__WAYBACK__ENABLED="true",
        TRACER_ARCHIVES__WAYBACK__REQUESTS_PER_MINUTE="60000",
        TRACER_ARCHIVES__WAYBACK__MAX_ATTEMPTS="1",
        TRACER_ARCHIVES__WAYBACK__TIMEOUT="1",
        TRACER_HTTP__TOTAL_TIMEOUT="1",
        TRACER_PRESERVE__ARCHIVES='["wayback", "archive_today"]',
        TRACER_PRESERVE__WAYBACK__MAX_RETRIES="0",
        TRACER_PRESERVE__WAYBACK__JOB_TIMEOUT="1",
        TRACER_PRESERVE__WAYBACK__POLL_INTERVAL="0.05",
        TRACER_PRESERVE__WAYBACK__ANONYMOUS_CAPTURES_PER_MINUTE="60000",
        TRACER_PRESERVE__ARCHIVE_TODAY__INTERVAL="0",
    )
    for name, value in env.items():
        if name.startswith("TRACER_"):
            monkeypatch.setenv(name, value)
    db = f"sqlite:///{tmp_path / 'tracer.db'}"

    assert main(["--db", db, "captures", url, "--json"]) in (0, 1)
    [found] = json.loads(capsys.readouterr().out)
    assert found["captures"] == [] and found["errors"].get("wayback"), found

    assert main(["--db", db, "archive", url, "--json"]) == 0
    [saved] = json.loads(capsys.readouterr().out)
    outcomes = {r["archive"]: (r["outcome"], r["reason"]) for r in saved["results"]}
    assert set(outcomes) == {"wayback", "archive_today"}
    for archive, (outcome, reason) in outcomes.items():
        assert outcome in ("failed", "refused", "pending") and reason, (archive, outcome, reason)
    assert saved["snapshot"] is not None  # the page itself was fine
    attempts = rows(db, "SELECT archive, outcome, reason FROM archive_attempt")
    assert {a for a, _o, _r in attempts} == {"wayback", "archive_today"}
    assert all(reason for _a, _o, reason in attempts)
