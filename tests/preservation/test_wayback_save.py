"""Save Page Now, anonymous and SPN2 with keys, against the fake web.archive.org."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from sqlmodel import select

from adapters.savers.wayback import WaybackSaver, classify
from tests.fakeweb import FakeWeb
from tests.fakeweb.save import WAYBACK, FakeWayback
from tests.fakeweb.spacing import assert_spaced
from tests.preservation.conftest import ACCESS, SECRET, fast_settings
from tests.preservation.stored import stored
from tracer.http.client import HTTPClient
from tracer.plugins.saver import Outcome, Unfinished
from tracer.preservation.preserver import preserve, preserve_pending
from tracer.preservation.settings import PreserveSettings
from tracer.store.model import ArchiveAttempt, Capture, utcnow
from tracer.store.upserts import Store

POST = "https://news.example.com/world/2024/07/29/story"


def _keyed(tmp_path: Path, **wayback: object) -> PreserveSettings:
    return fast_settings(
        tmp_path,
        archives=["wayback"],
        snapshot=False,
        wayback={"access_key": ACCESS, "secret_key": SECRET, **wayback},
    )


def _captures(store: Store) -> list[Capture]:
    with store.session() as session:
        return list(session.exec(select(Capture)).all())


async def test_anonymous_save_reads_the_capture_from_content_location(
    fakeweb: FakeWeb, http: HTTPClient, store: Store, tmp_path: Path
) -> None:
    wayback = FakeWayback().install(fakeweb)
    settings = fast_settings(tmp_path, archives=["wayback"], snapshot=False)

    [result] = await preserve([POST], store, http, settings)

    [saved] = result.results
    stamp = wayback.captures[POST][0][0]
    assert saved.outcome == Outcome.OK
    assert saved.url == f"https://web.archive.org/web/{stamp}/{POST}"
    assert saved.captured_at is not None and saved.captured_at.strftime("%Y%m%d%H%M%S") == stamp
    [request] = fakeweb.seen(WAYBACK, f"/save/{POST}")
    assert "authorization" not in request.headers
    [capture] = _captures(store)
    assert (capture.archive, capture.memento_url, capture.found_by) == (
        "wayback",
        saved.url,
        "save",
    )
    [attempt] = stored(store, ArchiveAttempt)
    assert (attempt.outcome, attempt.memento_url) == ("ok", saved.url)
    assert attempt.finished_at is not None


async def test_anonymous_save_that_answers_with_a_job_is_polled(
    fakeweb: FakeWeb, http: HTTPClient, store: Store, tmp_path: Path
) -> None:
    wayback = FakeWayback(anonymous_job=True, pending_polls=2).install(fakeweb)
    settings = fast_settings(tmp_path, archives=["wayback"], snapshot=False)

    [result] = await preserve([POST], store, http, settings)

    [job_id] = wayback.jobs
    assert result.results[0].outcome == Outcome.OK
    assert result.results[0].job_id == job_id
    assert len(fakeweb.seen(WAYBACK, f"/save/status/{job_id}")) == 3
    assert stored(store, ArchiveAttempt)[0].job_id == job_id


async def test_spn2_submits_with_keys_and_options_then_polls_until_success(
    fakeweb: FakeWeb, http: HTTPClient, store: Store, tmp_path: Path
) -> None:
    wayback = FakeWayback(keys=(ACCESS, SECRET), pending_polls=3).install(fakeweb)
    settings = _keyed(tmp_path, capture_outlinks=True, if_not_archived_within="3h")

    [result] = await preserve([POST], store, http, settings)

    [submit] = fakeweb.seen(WAYBACK, "/save")
    assert submit.method == "POST"
    assert submit.headers["authorization"] == f"LOW {ACCESS}:{SECRET}"
    form = {k: v[0] for k, v in parse_qs(submit.body.decode()).items()}
    assert form["url"] == POST
    assert form["if_not_archived_within"] == "3h"
    assert form["capture_outlinks"] == "1"
    assert form["skip_first_archive"] == "1"
    assert "capture_screenshot" not in form
    [job_id] = wayback.jobs
    polls = fakeweb.seen(WAYBACK, f"/save/status/{job_id}")
    assert len(polls) == 4  # three "pending", then "success"
    assert all(p.headers["authorization"] == f"LOW {ACCESS}:{SECRET}" for p in polls)
    saved = result.results[0]
    stamp = wayback.captures[POST][0][0]
    assert (saved.outcome, saved.url) == (Outcome.OK, f"https://web.archive.org/web/{stamp}/{POST}")
    [attempt] = stored(store, ArchiveAttempt)
    assert (attempt.outcome, attempt.job_id) == ("ok", job_id)
    assert len(_captures(store)) == 1


async def test_if_not_archived_within_defaults_to_the_window(
    fakeweb: FakeWeb, http: HTTPClient, store: Store, tmp_path: Path
) -> None:
    FakeWayback(keys=(ACCESS, SECRET)).install(fakeweb)
    settings = _keyed(tmp_path)
    settings.window = 7200

    await preserve([POST], store, http, settings)

    [submit] = fakeweb.seen(WAYBACK, "/save")
    assert parse_qs(submit.body.decode())["if_not_archived_within"] == ["7200"]


async def test_blocked_url_is_a_refusal_that_pending_runs_do_not_repeat(
    fakeweb: FakeWeb, http: HTTPClient, store: Store, tmp_path: Path
) -> None:
    FakeWayback(keys=(ACCESS, SECRET), job_error="error:blocked-url").install(fakeweb)
    settings = _keyed(tmp_path)

    [result] = await preserve([POST], store, http, settings)
    saved = result.results[0]
    assert saved.outcome == Outcome.REFUSED
    assert saved.reason is not None and saved.reason.startswith("error:blocked-url")
    assert not saved.retryable
    assert not fakeweb.seen(WAYBACK, "/cdx/search/cdx")  # a refusal needs no confirmation

    again = await preserve_pending(store, http, settings)
    assert again == []  # nothing pending: refused, within the cooldown
    assert len(fakeweb.seen(WAYBACK, "/save")) == 1
    [attempt] = stored(store, ArchiveAttempt)
    assert attempt.outcome == "refused" and "blocked-url" in (attempt.reason or "")


async def test_a_failure_cdx_does_not_know_is_recorded_failed_and_retried_later(
    fakeweb: FakeWeb, http: HTTPClient, store: Store, tmp_path: Path
) -> None:
    FakeWayback(keys=(ACCESS, SECRET), job_error="error:soft-time-limit-exceeded").install(fakeweb)
    settings = _keyed(tmp_path, max_retries=0)
    settings.max_failures = 2

    [result] = await preserve([POST], store, http, settings)
    saved = result.results[0]
    assert (saved.outcome, saved.retryable) == (Outcome.FAILED, True)
    assert "soft-time-limit-exceeded" in (saved.reason or "")
    assert len(fakeweb.seen(WAYBACK, "/cdx/search/cdx")) == 1
    assert _captures(store) == []

    # a later --pending run tries again, up to max_failures, then leaves it alone
    second = await preserve_pending(store, http, settings)
    assert [r.results[0].outcome for r in second] == [Outcome.FAILED]
    assert await preserve_pending(store, http, settings) == []
    assert len(fakeweb.seen(WAYBACK, "/save")) == 2
    assert [a.outcome for a in stored(store, ArchiveAttempt)] == ["failed", "failed"]


async def test_a_reported_failure_that_cdx_shows_captured_is_ok(
    fakeweb: FakeWeb, http: HTTPClient, store: Store, tmp_path: Path
) -> None:
    wayback = FakeWayback(
        keys=(ACCESS, SECRET), job_error="error:soft-time-limit-exceeded", captured_anyway=True
    ).install(fakeweb)

    [result] = await preserve([POST], store, http, _keyed(tmp_path))

    saved = result.results[0]
    stamp = wayback.captures[POST][0][0]
    assert saved.outcome == Outcome.OK
    assert saved.url == f"https://web.archive.org/web/{stamp}/{POST}"
    assert "confirmed through CDX" in (saved.reason or "")
    assert "soft-time-limit-exceeded" in (saved.reason or "")
    [cdx] = fakeweb.seen(WAYBACK, "/cdx/search/cdx")
    assert cdx.arg("url") == POST
    assert len(_captures(store)) == 1


async def test_a_job_whose_status_expired_is_settled_through_cdx(
    fakeweb: FakeWeb, http: HTTPClient, store: Store, tmp_path: Path
) -> None:
    FakeWayback(keys=(ACCESS, SECRET), never_finishes=True).install(fakeweb)

    [result] = await preserve([POST], store, http, _keyed(tmp_path, job_timeout=0.3))

    saved = result.results[0]
    assert saved.outcome == Outcome.OK
    assert "pending after" in (saved.reason or "")


async def test_an_expired_job_cdx_does_not_know_stays_pending(
    fakeweb: FakeWeb, http: HTTPClient, store: Store, tmp_path: Path
) -> None:
    # the capture is not in the CDX index yet
    FakeWayback(keys=(ACCESS, SECRET), never_finishes=True, indexed=False).install(fakeweb)
    settings = _keyed(tmp_path, job_timeout=0.3)

    [result] = await preserve([POST], store, http, settings)

    assert result.results[0].outcome == Outcome.PENDING
    [attempt] = stored(store, ArchiveAttempt)
    assert attempt.outcome == "pending" and attempt.job_id
    assert attempt.finished_at is None


@pytest.mark.usefixtures("steady_heap")
async def test_429_with_retry_after_is_waited_out_and_submitted_again(
    fakeweb: FakeWeb, http: HTTPClient, store: Store, tmp_path: Path
) -> None:
    FakeWayback(keys=(ACCESS, SECRET), busy=1, retry_after="1").install(fakeweb)

    [result] = await preserve([POST], store, http, _keyed(tmp_path))

    assert result.results[0].outcome == Outcome.OK
    first, second = fakeweb.seen(WAYBACK, "/save")
    assert second.at - first.at >= 0.95  # Retry-After: 1 was honoured
    assert len(stored(store, ArchiveAttempt)) == 1  # one attempt, sent twice


async def test_429_without_end_is_a_failure_after_max_retries(
    fakeweb: FakeWeb, http: HTTPClient, store: Store, tmp_path: Path
) -> None:
    FakeWayback(keys=(ACCESS, SECRET), busy=100, retry_after=None).install(fakeweb)

    [result] = await preserve([POST], store, http, _keyed(tmp_path, max_retries=2))

    saved = result.results[0]
    assert (saved.outcome, saved.retryable) == (Outcome.FAILED, True)
    assert "429" in (saved.reason or "")
    assert len(fakeweb.seen(WAYBACK, "/save")) == 3


async def test_an_error_at_submission_is_classified(
    fakeweb: FakeWeb, http: HTTPClient, store: Store, tmp_path: Path
) -> None:
    FakeWayback(
        keys=(ACCESS, SECRET),
        submit_error=(
            "error:too-many-daily-captures",
            "This URL has been captured 10 times today.",
        ),
    ).install(fakeweb)

    [result] = await preserve([POST], store, http, _keyed(tmp_path))

    saved = result.results[0]
    assert (saved.outcome, saved.retryable) == (Outcome.FAILED, True)
    assert saved.reason == (
        "error:too-many-daily-captures: This URL has been captured 10 times today."
    )


async def test_wrong_keys_fail_without_naming_them(
    fakeweb: FakeWeb, http: HTTPClient, store: Store, tmp_path: Path
) -> None:
    FakeWayback(keys=("other", "pair")).install(fakeweb)

    [result] = await preserve([POST], store, http, _keyed(tmp_path))

    saved = result.results[0]
    assert saved.outcome == Outcome.FAILED
    assert "401" in (saved.reason or "")
    assert ACCESS not in repr(result) and SECRET not in repr(result)


async def test_a_url_captured_within_the_window_is_not_submitted_again(
    fakeweb: FakeWeb, http: HTTPClient, store: Store, tmp_path: Path
) -> None:
    FakeWayback(keys=(ACCESS, SECRET)).install(fakeweb)
    settings = _keyed(tmp_path)

    first = await preserve([POST], store, http, settings)
    second = await preserve([POST], store, http, settings)

    assert len(fakeweb.seen(WAYBACK, "/save")) == 1
    assert second[0].results[0].outcome == Outcome.OK
    assert second[0].results[0].url == first[0].results[0].url
    assert not second[0].results[0].submitted
    assert len(stored(store, ArchiveAttempt)) == 1


@pytest.mark.usefixtures("steady_heap")
async def test_concurrent_jobs_and_submission_rate_are_limited(
    fakeweb: FakeWeb, http: HTTPClient, store: Store, tmp_path: Path
) -> None:
    # jobs outlast the submission interval, so more than two would overlap if allowed.
    # The client must see every job end: one it stops polling at job_timeout (50 polls
    # take longer than the usual 2 s on a loaded machine) runs on in the archive, and
    # the fake rightly counts it as still active
    wayback = FakeWayback(keys=(ACCESS, SECRET), pending_polls=50).install(fakeweb)
    settings = _keyed(tmp_path, concurrent_jobs=2, captures_per_minute=300, job_timeout=60.0)
    settings.concurrency = 6
    urls = [f"https://news.example.com/p/{i}" for i in range(5)]

    results = await preserve(urls, store, http, settings)

    assert [r.results[0].outcome for r in results] == [Outcome.OK] * 5
    assert wayback.max_active == 2
    assert_spaced(fakeweb.seen(WAYBACK, "/save"), 0.2)  # 300 a minute: one every 0.2 s


def test_status_ext_codes_are_classified() -> None:
    assert classify("error:blocked-url") == (Outcome.REFUSED, False)
    assert classify("error:invalid-url-syntax") == (Outcome.FAILED, False)
    assert classify("error:soft-time-limit-exceeded") == (Outcome.FAILED, True)
    assert classify("error:too-many-daily-captures") == (Outcome.FAILED, True)
    assert classify("error:something-new") == (Outcome.FAILED, True)


async def test_an_unfinished_submission_is_resumed_not_resent(
    fakeweb: FakeWeb, http: HTTPClient, tmp_path: Path
) -> None:
    wayback = FakeWayback(keys=(ACCESS, SECRET), pending_polls=0).install(fakeweb)
    saver = WaybackSaver(_keyed(tmp_path).wayback)
    before = utcnow()
    job_id = wayback.new_job(POST)  # a job an earlier, killed run submitted

    by_job = await saver.resume(POST, http, Unfinished(job_id, before))
    assert by_job is not None and by_job.outcome == Outcome.OK and by_job.job_id == job_id
    # without the job id (killed before the answer came), CDX tells
    by_cdx = await saver.resume(POST, http, Unfinished(None, before))
    assert by_cdx is not None and by_cdx.url == by_job.url
    # nothing anywhere: pending while the job could still run, then submit again
    other = "https://news.example.com/never-arrived"
    waiting = await saver.resume(other, http, Unfinished(None, utcnow()))
    assert waiting is not None and waiting.outcome == Outcome.PENDING
    assert await saver.resume(other, http, Unfinished(None, utcnow() - timedelta(hours=1))) is None
    assert fakeweb.seen(WAYBACK, "/save") == []
