"""archive.today submission against the fake archive.ph."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from adapters.savers.archive_today import ArchiveTodaySaver
from tests.fakeweb import FakeWeb
from tests.fakeweb.save import ARCHIVE_TODAY, FakeArchiveToday
from tests.preservation.conftest import fast_settings
from tests.preservation.stored import stored
from tracer.http.client import HTTPClient
from tracer.plugins.saver import Outcome, SaveResult, Unfinished
from tracer.preservation.preserver import preserve, preserve_pending
from tracer.preservation.settings import PreserveSettings
from tracer.store.model import ArchiveAttempt, Capture, utcnow
from tracer.store.upserts import Store

POST = "https://t.me/greyzone/12345"
OTHER = "https://t.me/greyzone/12346"


def _settings(tmp_path: Path) -> PreserveSettings:
    return fast_settings(tmp_path, archives=["archive_today"], snapshot=False)


async def _save_post(store: Store, http: HTTPClient, tmp_path: Path) -> SaveResult:
    """What archive.today answered when POST alone was preserved."""
    [result] = await preserve([POST], store, http, _settings(tmp_path))
    return result.results[0]


async def test_submission_posts_the_scraped_submitid_and_follows_the_wip_redirect(
    fakeweb: FakeWeb, http: HTTPClient, store: Store, tmp_path: Path
) -> None:
    archive = FakeArchiveToday().install(fakeweb)

    saved = await _save_post(store, http, tmp_path)

    assert archive.posted == [{"url": POST, "submitid": archive.issued[0]}]
    memento_id = archive.captures[POST][0][1]
    assert (saved.outcome, saved.url) == (Outcome.OK, f"https://archive.ph/{memento_id}")
    assert saved.reason == "capture in progress"
    with store.session() as session:
        [capture] = session.exec(select(Capture)).all()
    assert (capture.archive, capture.memento_url) == ("archive_today", saved.url)


# a Refresh header naming the capture; an answer that a recent capture exists
@pytest.mark.parametrize(
    ("submit", "reason"), [("refresh", None), ("already", "already archived recently")]
)
async def test_an_answer_naming_the_capture_is_reported(
    fakeweb: FakeWeb,
    http: HTTPClient,
    store: Store,
    tmp_path: Path,
    submit: str,
    reason: str | None,
) -> None:
    archive = FakeArchiveToday(submit=submit).install(fakeweb)

    saved = await _save_post(store, http, tmp_path)

    memento_id = archive.captures[POST][0][1]
    assert (saved.outcome, saved.url) == (Outcome.OK, f"https://archive.ph/{memento_id}")
    assert saved.reason == reason


async def test_a_captcha_with_status_200_is_a_refusal_and_stops_the_run(
    fakeweb: FakeWeb, http: HTTPClient, store: Store, tmp_path: Path
) -> None:
    archive = FakeArchiveToday(submit="captcha").install(fakeweb)
    settings = _settings(tmp_path)
    settings.concurrency = 1

    results = await preserve([POST, OTHER], store, http, settings)

    first, second = (r.results[0] for r in results)
    assert first.outcome == Outcome.REFUSED
    assert first.reason == "archive.today asked for a captcha (HTTP 200)"
    assert second.outcome == Outcome.REFUSED
    assert second.reason == "not asked: archive.today asked for a captcha (HTTP 200)"
    assert len(archive.posted) == 1  # the captcha ended submissions for this run
    assert [(a.url, a.outcome) for a in stored(store, ArchiveAttempt)] == [
        (POST, "refused"),
        (OTHER, "refused"),
    ]

    # a refusal is not retried by --pending until the cooldown has passed
    assert await preserve_pending(store, http, settings) == []
    assert len(fakeweb.seen(ARCHIVE_TODAY, "/submit/")) == 1


async def test_a_refusal_is_retried_once_the_cooldown_has_passed(
    fakeweb: FakeWeb, http: HTTPClient, store: Store, tmp_path: Path
) -> None:
    archive = FakeArchiveToday(submit="captcha").install(fakeweb)
    settings = _settings(tmp_path)
    await preserve([POST], store, http, settings)
    with store.session() as session:
        for attempt in session.exec(select(ArchiveAttempt)).all():
            attempt.finished_at = utcnow() - timedelta(days=8)
            session.add(attempt)
    archive.submit = "redirect"

    [result] = await preserve_pending(store, http, settings)

    assert result.results[0].outcome == Outcome.OK
    assert [a.outcome for a in stored(store, ArchiveAttempt)] == ["refused", "ok"]


async def test_a_captcha_on_the_front_page_submits_nothing(
    fakeweb: FakeWeb, http: HTTPClient, store: Store, tmp_path: Path
) -> None:
    archive = FakeArchiveToday(front="captcha").install(fakeweb)

    saved = await _save_post(store, http, tmp_path)

    assert saved.outcome == Outcome.REFUSED
    assert "captcha" in (saved.reason or "")
    assert archive.posted == []


@pytest.mark.parametrize(
    ("blocked", "status"),
    [({"front": "blocked"}, 429), ({"submit": "blocked"}, 403)],
    ids=["front page", "submission"],
)
async def test_a_block_is_a_refusal_with_its_status(
    fakeweb: FakeWeb,
    http: HTTPClient,
    store: Store,
    tmp_path: Path,
    blocked: dict[str, str],
    status: int,
) -> None:
    FakeArchiveToday(**blocked).install(fakeweb)

    saved = await _save_post(store, http, tmp_path)

    assert saved.outcome == Outcome.REFUSED
    assert saved.reason == f"archive.today refused the request (HTTP {status})"
    assert len(fakeweb.seen(ARCHIVE_TODAY, "/")) == 1  # a block is not hammered


async def test_an_unfinished_submission_is_found_in_the_timemap(
    fakeweb: FakeWeb, http: HTTPClient, tmp_path: Path
) -> None:
    archive = FakeArchiveToday().install(fakeweb)
    saver = ArchiveTodaySaver(_settings(tmp_path).archive_today)
    before = utcnow()
    archive.issued.append("sid")
    await http.fetch(
        f"https://{ARCHIVE_TODAY}/submit/", method="POST", data={"url": POST, "submitid": "sid"}
    )

    found = await saver.resume(POST, http, Unfinished(None, before))
    assert found is not None and found.outcome == Outcome.OK
    assert found.url == f"https://archive.ph/{archive.captures[POST][0][1]}"

    # nothing in the TimeMap: pending while it may still run, then submitted again
    assert (await saver.resume(OTHER, http, Unfinished(None, utcnow()))).outcome == (  # type: ignore[union-attr]
        Outcome.PENDING
    )
    long_ago = utcnow() - timedelta(hours=2)
    assert await saver.resume(OTHER, http, Unfinished(None, long_ago)) is None
