"""Archive before loss, the best archived copy of each dead link, and the webhook."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlmodel import col, select

from tests.fakeweb import FakeRequest, Response
from tests.fakeweb.linkrot import LinkWorld
from tests.linkrot.conftest import ManualClock
from tests.linkrot.helpers import add, outcomes, run_check, state_of
from tracer.linkrot.preservation import NEED_REASON
from tracer.linkrot.settings import CheckSettings
from tracer.store.model import ArchiveAttempt, Capture, CaptureLookup, CheckRun
from tracer.store.upserts import Store

ARCHIVED = "https://news.test/article/archived"
UNARCHIVED = "https://news.test/article/unarchived"


async def test_links_without_capture_are_looked_up_and_needs_recorded(
    store: Store, world: LinkWorld, clock: ManualClock
) -> None:
    world.archived[ARCHIVED] = "20240729101500"
    add(store, [ARCHIVED, UNARCHIVED], clock)
    settings = CheckSettings(archive_missing=True)
    report = await run_check(store, world.web, settings, clock)

    # two links of one host are asked one by one (a listing pays from ten)
    assert report.lookups is not None
    assert (report.lookups.requests, report.lookups.listings) == (2, 0)
    assert (report.lookups.asked, report.lookups.found) == (2, 1)
    assert (report.lookups.pending, report.lookups.unknown) == (0, 1)
    assert report.archive_needed == [UNARCHIVED]
    with store.session() as session:
        capture = session.exec(select(Capture)).one()
        assert capture.found_by == "availability" and capture.status == 200
        assert capture.captured_at is not None
        assert capture.captured_at.replace(tzinfo=UTC) == datetime(2024, 7, 29, 10, 15, tzinfo=UTC)
        need = session.exec(select(ArchiveAttempt)).one()
        assert (need.url, need.outcome, need.reason) == (UNARCHIVED, "pending", NEED_REASON)
        lookups = {row.url: row.outcome for row in session.exec(select(CaptureLookup))}
        assert lookups == {ARCHIVED: "ok", UNARCHIVED: "empty"}

    # the next night asks the archive nothing: one link has a capture, the other was
    # asked recently
    clock.advance(days=1)
    await run_check(store, world.web, settings, clock)
    assert len(world.web.seen("archive.org")) == 2


async def test_dead_links_list_their_best_archived_copy(
    store: Store, world: LinkWorld, clock: ManualClock
) -> None:
    url = "https://news.test/gone"
    add(store, [url], clock)
    node_id = state_of(store, url).node_id
    for stamp, status in (
        ("20230101000000", 200),
        ("20240101000000", 200),
        ("20250101000000", 404),
    ):
        store.upsert_capture(
            Capture(
                node_id=node_id,
                archive="wayback",
                memento_url=f"https://web.archive.org/web/{stamp}/{url}",
                captured_at=datetime.strptime(stamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC),
                status=status,
            )
        )
    settings = CheckSettings(archive_missing=True, death_failures=1, death_days=0)
    report = await run_check(store, world.web, settings, clock)

    best = f"https://web.archive.org/web/20240101000000/{url}"  # the latest good capture
    assert report.newly_dead == [{"url": url, "outcome": "not-found", "archived": best}]
    assert report.dead[0]["archived"] == best
    assert "[archived copy](" + best + ")" in report.markdown()
    assert world.web.seen("archive.org") == []  # it has captures: nothing to ask
    assert report.failed(["new-dead", "dead", "not-found", "alive"]) == [
        "new-dead",
        "dead",
        "not-found",
    ]


async def test_webhook_receives_the_report_and_the_run_is_stored(
    store: Store, world: LinkWorld, clock: ManualClock
) -> None:
    received: list[dict[str, object]] = []

    def hook(request: FakeRequest) -> Response:
        received.append(json.loads(request.body))
        return Response(204, b"")

    world.web.add("hooks.test", hook)
    add(store, ["https://news.test/article/1", "https://news.test/gone"], clock)
    settings = CheckSettings(archive_missing=False, webhook_url="https://hooks.test/linkrot")
    report = await run_check(store, world.web, settings, clock)

    assert len(received) == 1
    body = received[0]
    assert body["checked"] == 2
    assert body["outcomes"] == report.summary()["outcomes"]
    assert isinstance(body["outcomes"], dict) and body["outcomes"]["not-found"] == 1
    with store.session() as session:
        run = session.exec(select(CheckRun).order_by(col(CheckRun.id))).one()
        assert run.checked == 2 and run.finished_at is not None
        assert run.report["webhook"] == "sent"
        assert run.report["outcomes"]["alive"] == 1


async def test_limit_stops_and_the_next_run_continues(
    store: Store, world: LinkWorld, clock: ManualClock, check_settings: CheckSettings
) -> None:
    urls = [f"https://news.test/article/{n}" for n in range(7)]
    add(store, urls, clock)
    first = await run_check(store, world.web, check_settings, clock, limit=3)
    assert first.checked == 3 and first.remaining == 4
    second = await run_check(store, world.web, check_settings, clock)
    assert second.checked == 4 and second.remaining == 0
    assert set(outcomes(first)) | set(outcomes(second)) == set(urls)
    assert not set(outcomes(first)) & set(outcomes(second))


async def test_time_budget_stops_cleanly_and_gives_back_the_rest(
    store: Store, world: LinkWorld, clock: ManualClock, check_settings: CheckSettings
) -> None:
    world.web.add("slow.test", lambda request: Response(200, "<p>slow</p>", delay=0.2))
    urls = [f"https://slow.test/story/{n}" for n in range(20)]
    add(store, urls, clock)
    settings = check_settings.model_copy(update={"time_budget": 0.3})
    first = await run_check(store, world.web, settings, clock)
    # 2 at a time for 0.3 s: a few checked, the rest still due and not leased
    assert 0 < first.checked < len(urls)
    assert first.remaining == len(urls) - first.checked
    assert all(state_of(store, url).lease_owner is None for url in urls)
    rest = await run_check(store, world.web, check_settings, clock)
    assert rest.checked == len(urls) - first.checked
