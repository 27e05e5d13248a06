"""Every way a link answers ends in its outcome word, on SQLite and PostgreSQL."""

from __future__ import annotations

from tests.fakeweb.linkrot import LinkWorld
from tests.linkrot.conftest import ManualClock, UntrustedTLS
from tests.linkrot.helpers import add, history, outcomes, run_check, state_of
from tracer.linkrot.settings import CheckSettings
from tracer.store.upserts import Store

EXPECTED = {
    "https://news.test/article/1": "alive",
    "https://news.test/gone": "not-found",
    "https://news.test/no-such-article": "not-found",
    "https://news.test/forbidden": "blocked",
    "https://news.test/busy": "rate-limited",
    "https://news.test/broken": "server-error",
    "https://news.test/says-not-found": "soft-404",
    "https://moved.test/2024/07/tuareg-rebels-ambush": "redirected",
    "https://moved.test/old-story": "moved-to-unrelated",
    "https://moved.test/story-elsewhere": "moved-to-unrelated",
    "https://moved.test/missing-story": "soft-404",
    "https://soft.test/some-missing-story": "soft-404",
    "https://soft.test/real-story": "alive",
    "https://walls.test/captcha": "blocked",
    "https://walls.test/members-only": "blocked",
    "https://walls.test/legal": "blocked",
    "https://gone.test/anything": "dns-gone",
    "https://faults.test/slow": "timeout",
    "https://faults.test/reset": "connection-failed",
    "https://faults.test/garbage": "connection-failed",
    "https://tls.test/secure": "tls-error",
    "https://files.test/report.pdf": "alive",
}


async def test_each_answer_has_its_outcome(
    store: Store,
    world: LinkWorld,
    clock: ManualClock,
    check_settings: CheckSettings,
    untrusted_tls: UntrustedTLS,
) -> None:
    add(store, EXPECTED, clock)
    report = await run_check(store, world.web, check_settings, clock, tls=untrusted_tls)

    assert outcomes(report) == EXPECTED
    assert report.checked == len(EXPECTED)
    counts = report.summary()["outcomes"]
    assert counts["soft-404"] == 3 and counts["blocked"] == 4 and counts["alive"] == 3
    # the redirect's final URL and the status are kept with the check
    moved = history(store, "https://moved.test/2024/07/tuareg-rebels-ambush")[0]
    assert moved.final_url == "https://moved.test/world/africa/tuareg-rebels-ambush"
    assert moved.status_code == 200
    assert history(store, "https://news.test/gone")[0].status_code == 410
    assert "resolve" in (history(store, "https://gone.test/anything")[0].error or "")
    # one probe of an impossible path per host, not one per link
    probes = [r for r in world.web.seen("soft.test") if r.path.endswith("-tracer-probe")]
    assert len(probes) == 1


async def test_one_failure_is_not_death(
    store: Store, world: LinkWorld, clock: ManualClock, check_settings: CheckSettings
) -> None:
    add(store, ["https://news.test/gone"], clock)
    report = await run_check(store, world.web, check_settings, clock)
    state = state_of(store, "https://news.test/gone")
    assert not state.dead and state.consecutive_failures == 1
    assert report.newly_dead == [] and report.dead == []
