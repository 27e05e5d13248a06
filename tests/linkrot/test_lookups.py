"""Archive look-ups beside the checks: one listing for a host's many links, one request
each for a few, paced without holding the checks back, carried to the next run, given
up on when the archive cannot be reached, and shared by workers on PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import col, select

from adapters.archives.wayback import WaybackArchive
from tests.fakeweb.linkrot import LinkWorld
from tests.linkrot.conftest import ManualClock
from tests.linkrot.helpers import add, link_client, run_check, state_of, tracer_process, wayback
from tracer.linkrot.preservation import LOOKED_UP
from tracer.linkrot.scheduling.lookupqueue import Due
from tracer.linkrot.scheduling.lookups import listing_prefix, lookup_archive, match_key
from tracer.linkrot.scheduling.run import check_links
from tracer.linkrot.settings import CheckSettings
from tracer.locate.locator import CaptureRecords
from tracer.store.database import normalize_url
from tracer.store.model import ArchiveAttempt, Capture, CaptureLookup
from tracer.store.upserts import Store

STAMP = "20240729101500"
LOOKUPS = CheckSettings(archive_missing=True)


def _articles(host: str, numbers: range) -> list[str]:
    return [f"https://{host}/article/{n}" for n in numbers]


def _watch(
    store: Store, world: LinkWorld, clock: ManualClock, urls: list[str], archived: list[str]
) -> None:
    """`urls` watched, and those of them `archived` with a capture in the archive at STAMP."""
    for url in archived:
        world.archived[url] = STAMP
    add(store, urls, clock)


def _captures(store: Store) -> dict[str, str | None]:
    with store.session() as session:
        return {c.original_url or "": c.found_by for c in session.exec(select(Capture))}


def _lookups(store: Store) -> dict[str, str]:
    with store.session() as session:
        rows = session.exec(select(CaptureLookup).where(col(CaptureLookup.archive) == LOOKED_UP))
        return {row.url: row.outcome for row in rows}


def test_urls_are_matched_as_the_archive_files_them() -> None:
    assert match_key("http://www.News.test:80/a?b=1#c") == "news.test/a?b=1"
    assert match_key("https://news.test") == "news.test/"
    links = [Due(1, "https://news.test/2024/07/a"), Due(2, "http://www.news.test/2024/08/b")]
    assert listing_prefix(links) == "news.test/2024/"
    assert listing_prefix([Due(1, "https://news.test/a"), Due(2, "https://news.test/b")]) == (
        "news.test/"
    )


async def test_a_host_with_many_due_links_is_answered_by_one_listing(
    store: Store, world: LinkWorld, clock: ManualClock
) -> None:
    urls = _articles("news.test", range(12))
    for url in urls[:5]:
        world.archived[url.replace("https://", "http://www.")] = STAMP  # as IA files them
    world.archived["https://news.test/article/other"] = STAMP  # listed, not asked about
    add(store, urls, clock)
    report = await run_check(store, world.web, LOOKUPS, clock)

    assert len(world.cdx.requests) == 1 and world.web.seen("archive.org") == []
    query = world.cdx.requests[0].query
    assert query["url"] == ["news.test/article/*"]
    assert query["fl"] == ["original,timestamp,statuscode"]
    assert query["collapse"] == ["urlkey"] and query["showResumeKey"] == ["true"]
    assert _captures(store) == {
        url.replace("https://", "http://www."): "cdx-listing" for url in urls[:5]
    }
    assert _lookups(store) == {url: "ok" if url in urls[:5] else "empty" for url in urls}
    with store.session() as session:
        needs = sorted(a.url for a in session.exec(select(ArchiveAttempt)))
    assert needs == sorted(urls[5:])
    assert report.lookups is not None
    assert report.lookups.json() == {
        "requests": 1,
        "listings": 1,
        "asked": 12,
        "found": 5,
        "failed": 0,
        "pending": 0,
        "unknown": 7,
        "unreachable": [],
    }
    assert sorted(report.archive_needed) == sorted(urls[5:])
    assert "12 links answered (5 with a capture) in 1 archive requests" in report.markdown()

    # within archive_lookup_days nothing is asked again
    clock.advance(days=1)
    await run_check(store, world.web, LOOKUPS, clock)
    assert len(world.cdx.requests) == 1 and world.web.seen("archive.org") == []


async def test_a_listing_cut_at_its_page_cap_leaves_the_rest_to_single_requests(
    store: Store, world: LinkWorld, clock: ManualClock
) -> None:
    urls = _articles("news.test", range(12))
    world.archived[urls[5]] = world.archived[urls[7]] = STAMP
    for n in range(30):  # a host with many more captures than due links
        world.archived[f"https://news.test/article/x{n}"] = STAMP
    settings = CheckSettings(archive_missing=True, lookup_listing_pages=2)
    archive = lookup_archive(
        settings,
        {
            "wayback": replace(
                WaybackArchive.default_config(), page_size=3, requests_per_minute=6000
            )
        },
    )
    add(store, urls, clock)
    report = await run_check(store, world.web, settings, clock, archive=archive)

    # two pages found two links; the ten others were asked one by one: 12 requests for
    # 12 links, never more
    assert len(world.cdx.requests) == 2
    assert world.cdx.requests[1].query["resumeKey"]
    singles = world.web.seen("archive.org")
    assert sorted(r.arg("url") or "" for r in singles) == sorted(
        u for u in urls if u not in (urls[5], urls[7])
    )
    assert report.lookups is not None and report.lookups.requests == 12
    assert _lookups(store) == {u: "ok" if u in (urls[5], urls[7]) else "empty" for u in urls}

    # the host's listing stopped at its cap, so its next links are asked one by one
    more = _articles("news.test", range(100, 112))
    add(store, more, clock)
    await run_check(store, world.web, settings, clock, archive=archive)
    assert len(world.cdx.requests) == 2
    assert len(world.web.seen("archive.org")) == len(singles) + len(more)


async def test_checks_finish_while_look_ups_are_paced_and_the_rest_carries_over(
    store: Store, world: LinkWorld, clock: ManualClock
) -> None:
    urls = _articles("news.test", range(6))
    add(store, urls, clock)
    settings = CheckSettings(archive_missing=True, lookup_budget=0.3)
    started = time.monotonic()
    # one request every 2 s: asking all six would take 10 s
    report = await run_check(store, world.web, settings, clock, archive=wayback(settings, 30))
    elapsed = time.monotonic() - started

    assert report.checked == 6 and elapsed < 4.0
    assert report.lookups is not None
    asked = report.lookups.asked
    assert asked <= 2 and report.lookups.pending == 6 - asked
    assert f"{6 - asked} look-ups are pending for the next run" in report.markdown()

    # the next run (the checks are not due again yet) asks what was left, and only that
    second = await run_check(store, world.web, LOOKUPS, clock)
    assert second.checked == 0
    assert second.lookups is not None
    assert (second.lookups.asked, second.lookups.pending) == (6 - asked, 0)
    assert Counter(r.arg("url") for r in world.web.seen("archive.org")) == Counter(
        dict.fromkeys(urls, 1)
    )


async def test_no_archive_reachable_the_checks_finish_on_time(
    store: Store, world: LinkWorld, clock: ManualClock
) -> None:
    world.web.fail_dns("archive.org")
    world.web.fail_dns("web.archive.org")
    urls = [*_articles("news.test", range(12)), "https://moved.test/a", "https://soft.test/b"]
    add(store, urls, clock)
    started = time.monotonic()
    # at 6 requests a minute, asking each link would take over two minutes
    report = await run_check(store, world.web, LOOKUPS, clock, archive=wayback(LOOKUPS, 6))

    assert time.monotonic() - started < 5.0
    assert report.checked == len(urls)
    assert report.lookups is not None
    # the first questions (two hosts are asked at once) told the archive is gone
    assert report.lookups.requests <= 2
    assert len(report.lookups.unreachable) == 1
    assert "archive.org" in report.lookups.unreachable[0]
    assert report.lookups.pending == len(urls)
    assert report.markdown().count("archive not asked again in this run") == 1
    assert _lookups(store) == {}


async def test_a_dead_link_is_reported_with_the_copy_its_look_up_found(
    store: Store, world: LinkWorld, clock: ManualClock
) -> None:
    url = "https://news.test/gone"
    _watch(store, world, clock, [url], archived=[url])
    settings = CheckSettings(archive_missing=True, death_failures=1, death_days=0)
    report = await run_check(store, world.web, settings, clock)

    copy = f"https://web.archive.org/web/{STAMP}/{url}"
    assert report.dead == [
        {
            "url": url,
            "outcome": "not-found",
            "archived": copy,
            "dead_since": report.dead[0]["dead_since"],
        }
    ]
    assert report.newly_dead[0]["archived"] == copy
    assert f"[archived copy]({copy})" in report.markdown()
    assert state_of(store, url).dead


@pytest.mark.postgres
@pytest.mark.usefixtures("shared_database")
async def test_two_workers_on_postgresql_never_ask_one_listing_twice(
    store: Store, world: LinkWorld, clock: ManualClock
) -> None:
    hosts = ["news.test", "soft.test", "walls.test", "files.test"]
    urls = [url for host in hosts for url in _articles(host, range(12))]
    _watch(store, world, clock, urls, archived=urls[::3])
    settings = CheckSettings(archive_missing=True, batch_size=8)

    async def worker(name: str) -> None:
        async with link_client(world.web) as http:
            await check_links(
                store, http, settings, clock=clock, worker=name, archive=wayback(settings, 600)
            )

    await asyncio.gather(worker("one"), worker("two"))

    listings = Counter(r.arg("url") for r in world.cdx.requests)
    assert listings == Counter({f"{host}/article/*": 1 for host in hosts})
    assert world.web.seen("archive.org") == []
    assert set(_lookups(store)) == set(urls)


def _tracer(db: str, world: LinkWorld, archives: Path, *args: str) -> subprocess.Popen[str]:
    return tracer_process(db, world.web, *args, TRACER_ARCHIVE_LIST=str(archives))


def _answered(db: str) -> set[str]:
    engine = create_engine(normalize_url(db))
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT url FROM capture_lookup WHERE archive = :archive"), {"archive": LOOKED_UP}
        ).all()
    engine.dispose()
    return {row[0] for row in rows}


def test_kill_9_during_look_ups_loses_nothing(world: LinkWorld, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'kill.db'}"
    urls = _articles("news.test", range(8))  # under ten: asked one by one
    world.archived[urls[0]] = STAMP
    slow, fast = tmp_path / "slow.toml", tmp_path / "fast.toml"
    slow.write_text("[wayback]\nrequests_per_minute = 150\n")  # one every 0.4 s
    fast.write_text("[wayback]\nrequests_per_minute = 6000\n")
    watching = _tracer(db, world, fast, "watch", *urls)
    assert watching.wait(60) == 0, watching.communicate()

    process = _tracer(db, world, slow, "check", "--json")
    deadline = time.monotonic() + 30
    while len(_answered(db)) < 3:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(10)
    stored = _answered(db)
    assert 3 <= len(stored) < len(urls)

    again = _tracer(db, world, fast, "check", "--json")
    out, err = again.communicate(timeout=60)
    assert again.returncode == 0, err
    lookups = json.loads(out)["lookups"]
    assert lookups["asked"] == len(urls) - len(stored) and lookups["pending"] == 0
    assert _answered(db) == set(urls)
    asked = Counter(r.arg("url") for r in world.web.seen("archive.org"))
    for url in stored:  # nothing answered before the kill was asked again
        assert asked[url] == 1


async def test_look_ups_report_their_progress(
    store: Store, world: LinkWorld, clock: ManualClock
) -> None:
    add(store, _articles("news.test", range(3)), clock)
    heard: list[tuple[int, int]] = []
    async with link_client(world.web) as http:
        await check_links(
            store,
            http,
            LOOKUPS,
            clock=clock,
            archive=wayback(LOOKUPS),
            lookup_progress=lambda done, total: heard.append((done, total)),
        )
    assert heard == [(0, 3), (1, 3), (2, 3), (3, 3)]


async def test_a_look_up_is_not_taken_for_the_archive_s_full_list_of_captures(
    store: Store, world: LinkWorld, clock: ManualClock
) -> None:
    url = "https://news.test/article/1"
    _watch(store, world, clock, [url], archived=[url])
    await run_check(store, world.web, LOOKUPS, clock)
    assert _captures(store) == {url: "availability"}
    # `tracer captures` and traces still ask the archive for every capture of the URL
    config = WaybackArchive.default_config()
    _, reused = CaptureRecords(store).fresh(url, None, [config])
    assert reused == {}
