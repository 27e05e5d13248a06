"""Deaths are confirmed over days, transient failures never kill, links come back;
every check is history, and the next-due time backs off for stable links."""

from __future__ import annotations

from datetime import timedelta

from tests.fakeweb import Response
from tests.fakeweb.linkrot import LinkWorld, article
from tests.linkrot.conftest import START, ManualClock
from tests.linkrot.helpers import add, history, outcomes, run_check, state_of
from tracer.linkrot.settings import CheckSettings
from tracer.store.model import as_utc
from tracer.store.upserts import Store

DYING = "https://news.test/dying"
TRANSIENT = "https://news.test/flaky"
MIXED = "https://news.test/mixed"


def _dying(day: int) -> Response:
    # alive on day 0, gone from day 1 to day 5, back on day 6
    if day == 0 or day >= 6:
        return Response(200, article("Dying story", 5))
    return Response(404, "gone")


def _flaky(day: int) -> Response:
    return Response(503, "maintenance") if day >= 1 else Response(200, article("Flaky", 6))


def _mixed(day: int) -> Response:
    if day == 0:
        return Response(200, article("Mixed", 7))
    return Response(404, "gone") if day % 2 else Response(503, "maintenance")


async def test_death_is_confirmed_over_days_and_recovery_revives(
    store: Store, world: LinkWorld, clock: ManualClock, check_settings: CheckSettings
) -> None:
    world.schedule.update({"/dying": _dying, "/flaky": _flaky, "/mixed": _mixed})
    add(store, [DYING, TRANSIENT, MIXED], clock)
    seen: list[dict[str, str]] = []
    newly_dead: list[list[str]] = []
    recovered: list[list[str]] = []
    for day in range(7):
        assert world.day == day
        report = await run_check(store, world.web, check_settings, clock)
        seen.append(outcomes(report))
        newly_dead.append([i["url"] for i in report.newly_dead])
        recovered.append([i["url"] for i in report.recovered])
        dying = state_of(store, DYING)
        if day < 4:
            assert not dying.dead, f"dead too early on day {day}"
        clock.advance(days=1)

    assert [s[DYING] for s in seen] == ["alive"] + ["not-found"] * 5 + ["alive"]
    # 3 failures by day 3, but only 2 days apart: dead on day 4, once
    assert newly_dead[4] == [DYING] and all(
        DYING not in d for i, d in enumerate(newly_dead) if i != 4
    )
    assert recovered[6] == [DYING]
    state = state_of(store, DYING)
    assert not state.dead and state.dead_since is None and state.consecutive_failures == 0
    assert len(history(store, DYING)) == 7

    # five days of 503 never make a dead link
    assert [s[TRANSIENT] for s in seen][1:] == ["server-error"] * 6
    assert not state_of(store, TRANSIENT).dead
    assert state_of(store, TRANSIENT).consecutive_failures == 0

    # 404s separated by 503s still add up: transient checks neither count nor reset
    mixed = state_of(store, MIXED)
    assert [s[MIXED] for s in seen][1:] == ["not-found", "server-error"] * 3
    assert mixed.dead and mixed.consecutive_failures == 3
    assert as_utc(mixed.dead_since) == START + timedelta(days=5)


async def test_next_due_backs_off_for_stable_links_and_not_for_failing(
    store: Store, world: LinkWorld, clock: ManualClock, check_settings: CheckSettings
) -> None:
    stable, failing = "https://news.test/article/stable", "https://news.test/gone"
    add(store, [stable, failing], clock)
    checked_days: list[int] = []
    for day in range(8):
        report = await run_check(store, world.web, check_settings, clock)
        if stable in outcomes(report):
            checked_days.append(day)
        # a failing link is looked at again within a day, every day
        assert as_utc(state_of(store, failing).next_due_at) == clock.now() + timedelta(hours=20)
        clock.advance(days=1)
    # 20 h, then 40 h, then 80 h, then 160 h between checks of the stable link
    assert checked_days == [0, 1, 3, 7]
    state = state_of(store, stable)
    assert as_utc(state.next_due_at) - as_utc(state.last_checked_at) == timedelta(hours=160)
    assert len(history(store, failing)) == 8


async def test_content_change_is_reported(
    store: Store, world: LinkWorld, clock: ManualClock, check_settings: CheckSettings
) -> None:
    url = "https://news.test/changing"
    add(store, [url], clock)
    found = []
    for _ in range(4):
        report = await run_check(store, world.web, check_settings, clock)
        found.append(outcomes(report)[url])
        if found[-1] == "content-changed":
            assert report.changed == [{"url": url, "outcome": "content-changed", "archived": None}]
        clock.advance(days=2)  # changing links are due again in 20 h; the story changes on day 2
    assert found == ["alive", "content-changed", "alive", "alive"]
    hashes = [c.content_hash for c in history(store, url)]
    assert hashes[0] != hashes[1] and hashes[1] == hashes[2]
