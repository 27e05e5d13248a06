"""An archive that cannot be reached is asked once per run, not once per URL after its pacing.

The archives' real pacing is kept (archive.today one submission every 30 s, the Wayback
Machine 4 a minute without keys): a run of a dozen URLs that waited it out for an archive
that is down took minutes (16.5 of them for 34 URLs offline). The bounds below are far
above what the run needs and far below what that pacing would take.
"""

from __future__ import annotations

import contextlib
import json
import os
import pty
import subprocess
import time
from pathlib import Path

from sqlmodel import func, select

from tests.cli import start, tracer
from tests.fakeweb import FakeWeb
from tests.fakeweb.down import closed_port
from tests.preservation.conftest import fast_settings
from tracer.http.client import HTTPClient
from tracer.plugins.saver import Outcome
from tracer.preservation.preserver import preserve_pending
from tracer.preservation.settings import PreserveSettings
from tracer.store.model import ArchiveAttempt, Node, NodeKind
from tracer.store.upserts import Store

#: far below 12 URLs x 30 s of archive.today pacing
BOUND = 30.0


def _pending(store: Store, count: int) -> list[str]:
    urls = [f"https://news.example.com/2024/07/{i}" for i in range(count)]
    with store.session() as session:
        for url in urls:
            store.upsert_node(Node(kind=NodeKind.PAGE, url=url, canonical_url=url), session)
    return urls


def _refusing_world(tmp_path: Path) -> dict[str, str]:
    """Settings under which every host, the archives included, is a loopback port nothing
    listens on."""
    port = closed_port()
    return {
        "TRACER_HTTP__ALLOW_NETWORKS": json.dumps(["127.0.0.1/32"]),
        "TRACER_HTTP__CONNECT_TO": json.dumps(
            {"*:443": f"127.0.0.1:{port}", "*:80": f"127.0.0.1:{port}"}
        ),
        "TRACER_CACHE__ENABLED": "false",
        "TRACER_PRESERVE__SNAPSHOT_DIR": str(tmp_path / "snapshots"),
    }


def test_archive_pending_against_refusing_archives_ends_at_once(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'tracer.db'}"
    store = Store.open(db)
    urls = _pending(store, 12)
    store.close()
    env = _refusing_world(tmp_path)
    started = time.monotonic()
    result = tracer("archive", "--pending", db=db, env=env, timeout=300)
    elapsed = time.monotonic() - started
    assert elapsed < BOUND, elapsed
    assert result.returncode == 1, result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith(f"tracer: no copy anywhere of {len(urls)} URL(s): ")
    assert all(url in line for url in urls)
    not_asked = result.stdout.count("not asked: unreachable in this run")
    assert not_asked >= 2 * (len(urls) - PreserveSettings().concurrency)
    assert f"{len(urls)} URL(s): 0 in a public archive, 0 copied locally" in result.stdout
    # only the submissions that were really sent are on record: the rest can go next run
    store = Store.open(db)
    with store.session() as session:
        attempts = session.exec(select(func.count()).select_from(ArchiveAttempt)).one()
    store.close()
    # at most the URLs worked on at once may each have sent one submission per archive
    assert attempts <= 2 * PreserveSettings().concurrency


async def test_an_archive_whose_name_does_not_resolve_is_asked_once(
    fakeweb: FakeWeb, store: Store, tmp_path: Path
) -> None:
    # the fake world knows none of the archives' names: they do not resolve
    _pending(store, 12)
    settings = fast_settings(
        tmp_path,
        snapshot=False,
        wayback={"anonymous_captures_per_minute": 4, "captures_per_minute": 12},
        archive_today={"interval": 30.0},
    )
    started = time.monotonic()
    async with HTTPClient(
        fakeweb.http_settings(catch_all=False), resolver=fakeweb.resolver
    ) as http:
        results = await preserve_pending(store, http, settings)
        assert set(http.unreachable) == {"web.archive.org", "archive.ph"}
    assert time.monotonic() - started < BOUND
    assert len(results) == 12
    outcomes = [saved for result in results for saved in result.results]
    assert all(saved.outcome == Outcome.FAILED for saved in outcomes)
    asked = [saved for saved in outcomes if saved.submitted]
    assert {saved.archive for saved in asked} == {"wayback", "archive_today"}
    assert all("cannot resolve" in (saved.reason or "") for saved in outcomes)


def test_archive_pending_shows_progress_on_a_terminal(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'tracer.db'}"
    store = Store.open(db)
    urls = _pending(store, 3)
    store.close()
    # stderr is a terminal, stdout a pipe: the bar goes to the person, the results to stdout
    controller, terminal = pty.openpty()
    process = start(
        "archive",
        "--pending",
        db=db,
        env={**_refusing_world(tmp_path), "TERM": "xterm", "COLUMNS": "120"},
        stderr=terminal,
    )
    os.close(terminal)
    drawn = b""
    with contextlib.suppress(OSError):  # EIO once the process has closed the terminal
        while chunk := os.read(controller, 65536):
            drawn += chunk
    os.close(controller)
    stdout = process.stdout.read() if process.stdout else ""
    assert process.wait(timeout=120) == 1
    screen = drawn.decode(errors="replace")
    assert "/3" in screen  # the bar's count of URLs done
    assert "tracer: no copy anywhere of 3 URL(s)" in screen
    assert all(url in stdout for url in urls)
    assert "3 URL(s): 0 in a public archive, 0 copied locally, 3 with no copy anywhere" in stdout


def _run(tmp_path: Path, *args: str, **env: str) -> tuple[subprocess.CompletedProcess[str], float]:
    db = f"sqlite:///{tmp_path / 'tracer.db'}"
    started = time.monotonic()
    result = tracer(*args, db=db, env={**_refusing_world(tmp_path), **env}, timeout=300)
    return result, time.monotonic() - started


def test_captures_against_refusing_archives_ends_at_once(tmp_path: Path) -> None:
    urls = [f"https://news.example.com/2024/07/{i}" for i in range(8)]
    result, elapsed = _run(tmp_path, "captures", *urls)
    assert elapsed < BOUND, elapsed
    assert result.returncode == 1
    assert result.stderr == f"tracer: every archive failed for {', '.join(urls)}\n"
    # each archive was asked once; every later URL was told so at once
    assert result.stdout.count("(not asked again in this run)") >= len(urls) - 1


def test_online_trace_against_refusing_hosts_ends_at_once(tmp_path: Path) -> None:
    article = (
        Path(__file__).resolve().parents[2] / "examples" / "harbour-ledger-grain-terminal.html"
    )
    # a refused connection is retried (with backoff) before its host is given up: each of
    # the dozen hosts would add seconds of retries that are not what this test is about
    result, elapsed = _run(
        tmp_path, "trace", str(article), "-f", "json", TRACER_HTTP__BACKOFF_INITIAL="0.01"
    )
    assert elapsed < BOUND * 2, elapsed  # the trace's own reading takes seconds here
    assert result.returncode == 0, result.stderr
    chain = json.loads(result.stdout)
    # every node the platforms could not be asked about says why, and the trace went on
    errors = [node["error"] for node in chain["nodes"] if node["status"] == "error"]
    assert errors and all("cannot connect to" in error for error in errors)
