"""A run killed with kill -9 loses nothing and re-checks nothing it stored; two workers
on PostgreSQL share the night's links without checking one twice, politely."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.fakeweb import FakeRequest, FakeWeb, Response
from tests.fakeweb.linkrot import article
from tests.linkrot.helpers import running, tracer_process
from tracer.store.database import normalize_url


def _tracer(db: str, web: FakeWeb, *args: str, **env: str) -> subprocess.Popen[str]:
    return tracer_process(db, web, *args, TRACER_CHECK__ARCHIVE_MISSING="false", **env)


def _run(db: str, web: FakeWeb, *args: str) -> str:
    process = _tracer(db, web, *args)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    return out


def _slow_host(web: FakeWeb, host: str, delay: float) -> None:
    def answer(request: FakeRequest) -> Response:
        if request.path.endswith("-tracer-probe"):
            return Response(404, "no", delay=delay)
        return Response(200, article(f"Story {request.path}", len(request.path)), delay=delay)

    web.add(host, answer)


def _watch_slow_hosts(
    db: str, web: FakeWeb, hosts: list[str], per_host: int, delay: float
) -> list[str]:
    """`per_host` stories on each of `hosts`, answered after `delay` and watched in `db`."""
    for host in hosts:
        _slow_host(web, host, delay)
    urls = [f"https://{host}/story/{n}" for host in hosts for n in range(per_host)]
    _run(db, web, "db", "upgrade")
    _run(db, web, "watch", *urls)
    return urls


def _checks_per_url(db: str) -> Counter[str]:
    engine = create_engine(normalize_url(db))
    with engine.connect() as connection:
        rows = connection.execute(
            text('SELECT node.url FROM "check" JOIN node ON node.id = "check".node_id')
        ).all()
    engine.dispose()
    return Counter(row[0] for row in rows)


def _each_asked_once_politely(web: FakeWeb, hosts: list[str], stories: int, delay: float) -> None:
    """Each host was asked for each of its stories once, and never had more than 2
    requests in flight at once (the host budget in the database holds across workers)."""
    for host in hosts:
        requests = [r for r in web.seen(host) if not r.path.endswith("-tracer-probe")]
        assert Counter(r.path for r in requests) == Counter(
            dict.fromkeys((f"/story/{n}" for n in range(stories)), 1)
        )
        starts = sorted(r.at for r in web.seen(host))
        most = max(sum(1 for s in starts if t <= s < t + delay * 0.9) for t in starts)
        assert most <= 2, f"{host} had {most} requests in flight at once"


def _children(pid: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _command(pid: int) -> bytes:
    return Path(f"/proc/{pid}/cmdline").read_bytes()


# "1": the check forks its helper process, which stores the checks
@pytest.mark.parametrize("helpers", ["0", "1"])
def test_kill_9_and_restart(fakeweb: FakeWeb, tmp_path: Path, helpers: str) -> None:
    db = f"sqlite:///{tmp_path / 'kill.db'}"
    _slow_host(fakeweb, "slow.test", 0.2)
    urls = [f"https://slow.test/story/{n}" for n in range(30)]
    _run(db, fakeweb, "watch", *urls)

    process = _tracer(db, fakeweb, "check", "--json", TRACER_CHECK__READER_WORKERS=helpers)
    deadline = time.monotonic() + 30
    while sum(_checks_per_url(db).values()) < 6:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    children = _children(process.pid)
    assert len(children) == int(helpers)
    for child in children:  # forked, not a new interpreter importing tracer again
        assert _command(child) == _command(process.pid)
        # and not holding the check's output open
        assert os.readlink(f"/proc/{child}/fd/1") == os.devnull
    os.kill(process.pid, signal.SIGKILL)
    process.wait(10)
    # a helper sees its input end, finishes its batch and exits: no orphan
    deadline = time.monotonic() + 10
    while any(running(child) for child in children):
        assert time.monotonic() < deadline, "a helper outlived its killed parent"
        time.sleep(0.05)
    stored = _checks_per_url(db)
    assert 6 <= sum(stored.values()) < len(urls)
    asked_before = Counter(r.path for r in fakeweb.seen("slow.test"))

    out = _run(db, fakeweb, "check", "--json")
    report = json.loads(out)
    after = _checks_per_url(db)
    # every link has exactly one check: none lost, none done twice
    assert after == Counter(dict.fromkeys(urls, 1))
    assert report["checked"] == len(urls) - sum(stored.values())
    # nothing stored before the kill was asked about again
    asked = Counter(r.path for r in fakeweb.seen("slow.test"))
    for url in stored:
        path = url.removeprefix("https://slow.test")
        assert asked[path] == asked_before[path] == 1


@pytest.mark.postgres
@pytest.mark.usefixtures("shared_database")
def test_two_workers_on_postgresql_never_check_a_link_twice(
    fakeweb: FakeWeb, database_url: str
) -> None:
    hosts = ["a.test", "b.test", "c.test"]
    delay = 0.15
    urls = _watch_slow_hosts(database_url, fakeweb, hosts, 16, delay)

    # one stores through its forked helper process, the other in its event loop; each
    # serves one host at a time (2 requests in flight, 2 to a host), so the first to
    # claim cannot take every host and the other has hosts to claim
    workers = [
        _tracer(
            database_url,
            fakeweb,
            "check",
            "--json",
            TRACER_CHECK__BATCH_SIZE="4",
            TRACER_CHECK__READER_WORKERS=helpers,
            TRACER_HTTP__MAX_CONCURRENCY="2",
        )
        for helpers in ("1", "0")
    ]
    outputs = [w.communicate(timeout=90) for w in workers]
    assert [w.returncode for w in workers] == [0, 0], [err for _, err in outputs]
    reports = [json.loads(out) for out, _ in outputs]
    assert all(r["checked"] > 0 for r in reports), "both workers took part"
    assert sum(r["checked"] for r in reports) == len(urls)
    assert _checks_per_url(database_url) == Counter(dict.fromkeys(urls, 1))
    _each_asked_once_politely(fakeweb, hosts, 16, delay)


@pytest.mark.postgres
@pytest.mark.usefixtures("shared_database")
def test_workers_forked_from_one_start_check_each_link_once_and_report_together(
    fakeweb: FakeWeb, database_url: str
) -> None:
    hosts = ["a.test", "b.test", "c.test", "d.test"]
    delay = 0.15
    urls = _watch_slow_hosts(database_url, fakeweb, hosts, 12, delay)

    out = _run(database_url, fakeweb, "check", "--json", "--workers", "3")
    report = json.loads(out)
    # one report for the night: every worker's links, each once
    assert report["checked"] == len(urls)
    assert sorted(link["url"] for link in report["links"]) == sorted(urls)
    assert report["outcomes"]["alive"] == len(urls)
    assert len(report["worker"].split(", ")) == 3
    assert report["remaining"] == 0
    assert _checks_per_url(database_url) == Counter(dict.fromkeys(urls, 1))
    _each_asked_once_politely(fakeweb, hosts, 12, delay)


@pytest.mark.postgres
@pytest.mark.usefixtures("shared_database")
def test_workers_keep_to_the_limit_together(fakeweb: FakeWeb, database_url: str) -> None:
    _watch_slow_hosts(database_url, fakeweb, ["a.test"], 10, 0.01)
    report = json.loads(
        _run(database_url, fakeweb, "check", "--json", "--workers", "2", "--limit", "5")
    )
    assert report["checked"] == 5
    assert report["remaining"] == 5


def test_workers_need_postgresql(fakeweb: FakeWeb, tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'one.db'}"
    _run(database, fakeweb, "watch", "https://a.test/story/1")
    process = _tracer(database, fakeweb, "check", "--workers", "2")
    out, err = process.communicate(timeout=60)
    assert process.returncode == 2
    assert err.strip().splitlines() == [
        "tracer: error: --workers 2 needs a PostgreSQL database: on SQLite one worker checks"
    ]
    assert out == ""
