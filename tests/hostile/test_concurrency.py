"""Several `tracer check` processes at once on one database: two on a SQLite file, four on
PostgreSQL. No link is checked twice (neither stored twice nor asked twice at its host),
no result is lost, and every process finishes cleanly.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.cli import start, tracer
from tests.fakeweb import FakeRequest, FakeWeb, Response
from tests.fakeweb.hostile import article
from tests.hostile.cli import environment, ok_json, rows

HOSTS = ["a.test", "b.test", "c.test", "d.test"]
PER_HOST = 10
DELAY = 0.1


def _world(web: FakeWeb) -> list[str]:
    def answer(request: FakeRequest) -> Response:
        if request.path.endswith("-tracer-probe"):
            return Response(404, "no", delay=DELAY)
        return Response(200, article(request.url, f"Story {request.path}", ["Words."]), delay=DELAY)

    for host in HOSTS:
        web.add(host, answer)
    return [f"https://{host}/story/{n}" for host in HOSTS for n in range(PER_HOST)]


def _workers(db: str, web: FakeWeb, tmp_path: Path, count: int) -> list[dict[str, Any]]:
    env = environment(web, tmp_path, TRACER_CHECK__BATCH_SIZE="3")
    processes = []
    for n in range(count):
        with (tmp_path / f"w{n}.log").open("w") as log:
            processes.append(start("check", "--json", db=db, env=env, stderr=log))
    reports = []
    for n, process in enumerate(processes):
        out, _ = process.communicate(timeout=120)
        assert process.returncode == 0, (tmp_path / f"w{n}.log").read_text()[-2000:]
        reports.append(json.loads(out))
    return reports


def _assert_each_link_once(
    db: str, web: FakeWeb, urls: list[str], reports: list[dict[str, Any]]
) -> None:
    checked = Counter(
        url
        for (url,) in rows(
            db, 'SELECT node.url FROM "check" JOIN node ON node.id = "check".node_id'
        )
    )
    assert checked == Counter(dict.fromkeys(urls, 1)), "each link stored exactly once"
    assert sum(r["checked"] for r in reports) == len(urls), "no result lost or counted twice"
    reported = Counter(link["url"] for r in reports for link in r["links"])
    assert reported == Counter(dict.fromkeys(urls, 1))
    asked = Counter(
        f"https://{r.host}{r.path}" for r in web.seen() if not r.path.endswith("-tracer-probe")
    )
    assert asked == Counter(dict.fromkeys(urls, 1)), "each link asked once at its host"


def test_two_checkers_on_one_sqlite_file(fakeweb: FakeWeb, tmp_path: Path) -> None:
    urls = _world(fakeweb)
    db = f"sqlite:///{tmp_path / 'tracer.db'}"
    env = environment(fakeweb, tmp_path)
    assert tracer("watch", *urls, db=db, env=env).returncode == 0
    reports = _workers(db, fakeweb, tmp_path, 2)
    _assert_each_link_once(db, fakeweb, urls, reports)
    # a second night finds nothing due: both results are on record
    again = ok_json(tracer("check", "--json", db=db, env=env))
    assert again["checked"] == 0
    integrity = rows(db, "PRAGMA integrity_check")
    assert integrity == [("ok",)]


@pytest.mark.postgres
@pytest.mark.usefixtures("shared_database")
def test_four_checkers_on_postgresql(fakeweb: FakeWeb, tmp_path: Path, database_url: str) -> None:
    urls = _world(fakeweb)
    env = environment(fakeweb, tmp_path)
    assert tracer("db", "upgrade", db=database_url, env=env).returncode == 0
    assert tracer("watch", *urls, db=database_url, env=env).returncode == 0
    reports = _workers(database_url, fakeweb, tmp_path, 4)
    assert sum(1 for r in reports if r["checked"] > 0) >= 2, "the work was shared"
    _assert_each_link_once(database_url, fakeweb, urls, reports)
    again = ok_json(tracer("check", "--json", db=database_url, env=env))
    assert again["checked"] == 0
