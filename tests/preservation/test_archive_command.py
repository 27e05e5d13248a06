"""`tracer archive` from the command line: JSON contract, errors, secrets, kill and resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from sqlmodel import select

from tests.cli import start, tracer
from tests.fakeweb import FakeWeb
from tests.fakeweb.save import ARCHIVE_TODAY, WAYBACK, FakeArchiveToday, FakeWayback
from tests.preservation.conftest import ACCESS, SECRET
from tracer.cli import main
from tracer.preservation.preserver import preserve_settings, snapshot_directory
from tracer.preservation.settings import PreserveSettings
from tracer.settings import load_settings
from tracer.store.model import ArchiveAttempt, Capture, Node, Snapshot
from tracer.store.upserts import Store

FAST = {
    "TRACER_PRESERVE__WAYBACK__CAPTURES_PER_MINUTE": "60000",
    "TRACER_PRESERVE__WAYBACK__ANONYMOUS_CAPTURES_PER_MINUTE": "60000",
    "TRACER_PRESERVE__WAYBACK__POLL_INTERVAL": "0.01",
    "TRACER_PRESERVE__WAYBACK__JOB_TIMEOUT": "30",
    "TRACER_PRESERVE__ARCHIVE_TODAY__INTERVAL": "0",
}
KEYS = {
    "TRACER_PRESERVE__WAYBACK__ACCESS_KEY": ACCESS,
    "TRACER_PRESERVE__WAYBACK__SECRET_KEY": SECRET,
}


def _env(fakeweb: FakeWeb, tmp_path: Path, **extra: str) -> dict[str, str]:
    """The settings of a run against fakeweb, over what `tracer` gives every run."""
    return {
        **fakeweb.env(),
        **FAST,
        "TRACER_PRESERVE__SNAPSHOT_DIR": str(tmp_path / "snapshots"),
        "TRACER_CACHE__ENABLED": "false",
        **extra,
    }


def _pages(fakeweb: FakeWeb, count: int) -> list[str]:
    urls = [f"https://news.example.com/2024/07/{i}" for i in range(count)]
    for i, url in enumerate(urls):
        fakeweb.page(url, f"<html><body>story {i}</body></html>")
    return urls


def test_archive_json_follows_the_contract(
    fakeweb: FakeWeb,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    wayback = FakeWayback(keys=(ACCESS, SECRET)).install(fakeweb)
    archive = FakeArchiveToday().install(fakeweb)
    [url] = _pages(fakeweb, 1)
    for name, value in _env(fakeweb, tmp_path, **KEYS).items():
        monkeypatch.setenv(name, value)
    db = f"sqlite:///{tmp_path / 'tracer.db'}"

    assert main(["--db", db, "archive", url, "--json"]) == 0

    out = capsys.readouterr()
    [entry] = json.loads(out.out)
    assert set(entry) == {"url", "results", "snapshot"}
    assert entry["url"] == url
    stamp = wayback.captures[url][0][0]
    assert entry["results"] == [
        {
            "archive": "wayback",
            "outcome": "ok",
            "url": f"https://web.archive.org/web/{stamp}/{url}",
            "reason": None,
        },
        {
            "archive": "archive_today",
            "outcome": "ok",
            "url": f"https://archive.ph/{archive.captures[url][0][1]}",
            "reason": "capture in progress",
        },
    ]
    assert set(entry["snapshot"]) == {"sha256", "warc"}
    assert Path(entry["snapshot"]["warc"]).is_file()
    assert Path(entry["snapshot"]["warc"]).is_relative_to(tmp_path / "snapshots")
    assert out.err == ""  # quiet with --json

    # text output, and the second run reports the stored captures without submitting
    assert main(["--db", db, "archive", url]) == 0
    text = capsys.readouterr().out
    assert "wayback" in text and "already captured" in text and entry["snapshot"]["sha256"] in text
    assert len(fakeweb.seen(WAYBACK, "/save")) == 1
    assert len(fakeweb.seen(ARCHIVE_TODAY, "/submit/")) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["archive"], "give URLs to archive, or --pending"),
        (["archive", "--pending", "https://a.example/"], "give URLs or --pending, not both"),
        (["archive", "ftp://a.example/x"], "not a web URL"),
        (["archive", "--archive", "nowhere", "https://a.example/"], "unknown archive 'nowhere'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", f"sqlite:///{tmp_path / 't.db'}", *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


def test_a_bad_preserve_setting_is_reported_without_its_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TRACER_PRESERVE__WAYBACK__CONCURRENT_JOBS", "none-please")
    assert main(["--db", f"sqlite:///{tmp_path / 't.db'}", "archive", "https://a.example/"]) == 2
    err = capsys.readouterr().err
    assert "setting preserve.wayback.concurrent_jobs" in err and "none-please" not in err


def test_access_keys_never_appear_in_outputs_logs_or_records(
    fakeweb: FakeWeb, tmp_path: Path
) -> None:
    # the archive rejects the keys; then accepts them; with -v, text and JSON output
    FakeWayback(keys=("someone", "else")).install(fakeweb)
    FakeArchiveToday(submit="captcha").install(fakeweb)
    urls = _pages(fakeweb, 2)
    db = f"sqlite:///{tmp_path / 'tracer.db'}"
    env = _env(fakeweb, tmp_path, **KEYS)
    outputs = [tracer("-v", "archive", urls[0], db=db, env=env)]
    FakeWayback(keys=(ACCESS, SECRET), job_error="error:blocked-url").install(fakeweb)
    outputs.append(tracer("-v", "archive", urls[1], "--json", db=db, env=env))
    outputs.append(tracer("-v", "archive", "--pending", db=db, env=env))
    env["TRACER_PRESERVE__WAYBACK__POLL_INTERVAL"] = "oops"  # an error naming the section
    outputs.append(tracer("-v", "archive", urls[0], db=db, env=env))

    assert "rejected the access keys (HTTP 401)" in outputs[0].stdout
    assert "error:blocked-url" in outputs[1].stdout
    assert outputs[3].returncode == 2
    for done in outputs:
        for secret in (ACCESS, SECRET):
            assert secret not in done.stdout and secret not in done.stderr
    store = Store.open(db)
    with store.session() as session:
        stored = [a.model_dump_json() for a in session.exec(select(ArchiveAttempt)).all()]
        stored += [n.model_dump_json() for n in session.exec(select(Node)).all()]
    store.close()
    assert stored and not any(ACCESS in row or SECRET in row for row in stored)
    for warc in (tmp_path / "snapshots").rglob("*.warc.gz"):
        import gzip

        content = gzip.decompress(warc.read_bytes())
        assert ACCESS.encode() not in content and SECRET.encode() not in content
    # but they were sent, where they belong
    assert fakeweb.seen(WAYBACK, "/save")[-1].headers["authorization"] == f"LOW {ACCESS}:{SECRET}"
    settings = preserve_settings(
        load_settings(env=env | {"TRACER_PRESERVE__WAYBACK__POLL_INTERVAL": "1"})
    )
    assert ACCESS not in repr(settings) and SECRET not in str(settings.model_dump())


def test_preserve_settings_come_from_the_environment() -> None:
    settings = preserve_settings(
        load_settings(
            env={
                "TRACER_PRESERVE__WINDOW": "3600",
                "TRACER_PRESERVE__ARCHIVES": '["wayback"]',
                "TRACER_PRESERVE__WAYBACK__ACCESS_KEY": "12345",
                "TRACER_PRESERVE__WAYBACK__SECRET_KEY": "abc",
            }
        )
    )
    assert settings.window == 3600 and settings.archives == ["wayback"]
    assert settings.wayback.keyed and settings.wayback.access_key.get_secret_value() == "12345"
    assert not PreserveSettings().wayback.keyed


def test_snapshots_live_in_the_user_data_directory_unless_configured(tmp_path: Path) -> None:
    # the autouse fixture points XDG_DATA_HOME into tmp_path
    assert snapshot_directory(PreserveSettings()) == tmp_path / "data" / "tracer" / "snapshots"
    configured = PreserveSettings(snapshot_dir=str(tmp_path / "elsewhere"))
    assert snapshot_directory(configured) == tmp_path / "elsewhere"


def _store_nodes(db: str, urls: list[str]) -> None:
    store = Store.open(db)
    for url in urls:
        store.upsert_node(Node(kind="post", platform="web", url=url, canonical_url=url))
    # a node without a URL is never pending
    store.upsert_node(Node(kind="person", name="Andriy Yusov"))
    store.close()


def _submitted(fakeweb: FakeWeb) -> dict[str, int]:
    counts: dict[str, int] = {}
    for request in fakeweb.seen(WAYBACK, "/save"):
        url = parse_qs(request.body.decode())["url"][0]
        counts[f"wayback {url}"] = counts.get(f"wayback {url}", 0) + 1
    for request in fakeweb.seen(ARCHIVE_TODAY, "/submit/"):
        url = parse_qs(request.body.decode())["url"][0]
        counts[f"archive_today {url}"] = counts.get(f"archive_today {url}", 0) + 1
    return counts


def test_a_killed_pending_run_is_continued_without_submitting_twice(
    fakeweb: FakeWeb, tmp_path: Path
) -> None:
    wayback = FakeWayback(keys=(ACCESS, SECRET), save_delay=0.4).install(fakeweb)
    archive = FakeArchiveToday(submit_delay=0.4).install(fakeweb)
    urls = _pages(fakeweb, 8)
    db = f"sqlite:///{tmp_path / 'tracer.db'}"
    _store_nodes(db, urls)
    env = _env(fakeweb, tmp_path, **KEYS, TRACER_PRESERVE__CONCURRENCY="2")

    log = tmp_path / "first-run.log"
    with log.open("w") as sink:
        process = start(
            "archive", "--pending", "--json", db=db, env=env, stdout=subprocess.DEVNULL, stderr=sink
        )
    deadline = time.monotonic() + 60
    while len(fakeweb.seen(WAYBACK, "/save")) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(10)
    assert process.returncode == -signal.SIGKILL, log.read_text()
    before = _submitted(fakeweb)
    assert 3 <= len([k for k in before if k.startswith("wayback")]) < len(urls), before

    # the rerun: submissions whose outcome is unknown are settled through CDX / TimeMap;
    # one that never left (killed between the journal and the wire) is sent after the
    # job timeout, which this run sets short
    time.sleep(0.6)
    wayback.save_delay = archive.submit_delay = 0.0
    rerun = tracer(
        "archive",
        "--pending",
        "--json",
        db=db,
        env=env
        | {
            "TRACER_PRESERVE__WAYBACK__JOB_TIMEOUT": "0.5",
            "TRACER_PRESERVE__ARCHIVE_TODAY__JOB_TIMEOUT": "0.5",
        },
    )
    assert rerun.returncode == 0, rerun.stderr
    done = json.loads(rerun.stdout)
    assert {entry["url"] for entry in done} <= set(urls)

    after = _submitted(fakeweb)
    assert set(after) == {f"{a} {u}" for a in ("wayback", "archive_today") for u in urls}
    assert all(count == 1 for count in after.values()), after
    store = Store.open(db)
    with store.session() as session:
        captures = session.exec(select(Capture)).all()
        attempts = session.exec(select(ArchiveAttempt)).all()
        snapshots = session.exec(select(Snapshot)).all()
    store.close()
    assert {(c.archive, c.original_url) for c in captures} == {
        (a, u) for a in ("wayback", "archive_today") for u in urls
    }
    assert all(a.outcome == "ok" for a in attempts)
    assert {s.url for s in snapshots} == set(urls)
    # every capture the client recorded is one the archive really made
    for capture in captures:
        if capture.archive == "wayback":
            stamps = [stamp for stamp, _ in wayback.captures[capture.original_url or ""]]
            assert capture.memento_url.split("/web/")[1][:14] in stamps

    # and a third run finds nothing left to do
    third = tracer("archive", "--pending", "--json", db=db, env=env)
    assert json.loads(third.stdout) == []
    assert _submitted(fakeweb) == after
