"""The check's helper process: the same readings and stored checks as in-process, nothing
lost or stored twice when it dies, no orphans."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from tests.fakeweb.linkrot import LinkWorld
from tests.linkrot.conftest import ManualClock, UntrustedTLS
from tests.linkrot.helpers import add, outcomes, run_check, running
from tests.linkrot.test_outcomes import EXPECTED
from tracer.linkrot.outcomes import Outcome
from tracer.linkrot.reading import read
from tracer.linkrot.scheduling import forking, leases
from tracer.linkrot.scheduling import sidecar as helper
from tracer.linkrot.scheduling.sidecar import Helpers, Opening
from tracer.linkrot.settings import CheckSettings
from tracer.linkrot.storing import Checked, ResultWriter
from tracer.store.model import Check
from tracer.store.upserts import Store

ROOT = Path(__file__).resolve().parents[2]

PAGES = [
    b"<html><head><title>Story 1</title></head><body><nav>Home</nav>"
    b"<main><h1>Drones over the port</h1><p>"
    + b"Officials said the convoy left. " * 30
    + b"</p></main></body></html>",
    b"<html><body><p>Page not found</p></body></html>",
    b"",
    "<p>Сторінку не знайдено — \xff bytes</p>".encode("utf-8", "surrogateescape") + b"\xff\xfe",
    b"<div>" * 300 + b"deep" + b"</div>" * 300,
]


async def _started(helpers: Helpers, **options: Any) -> None:
    await helpers.start(1, **options)
    for _ in range(500):  # the helper says when it is ready (about a second)
        if helpers.helpers and helpers.helpers[0].ready:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the helper never became ready")


async def test_helper_readings_equal_in_process_readings() -> None:
    helpers = Helpers()
    await _started(helpers)
    try:
        readings = await asyncio.gather(*(helpers.read(page) for page in PAGES * 20))
        assert helpers.helpers[0].alive  # they did go through the helper
    finally:
        await helpers.close()
    assert readings == [read(page) for page in PAGES * 20]
    assert readings[0].fingerprint and readings[0].title.startswith("Story 1")
    assert [r.not_found for r in readings[:2]] == [False, True]


async def test_a_dying_helper_loses_no_page() -> None:
    helpers = Helpers()
    await _started(helpers)
    worker = helpers.helpers[0]
    try:
        first = asyncio.gather(*(helpers.read(page) for page in PAGES * 40))
        await asyncio.sleep(0)
        worker.process.kill()
        readings = await asyncio.wait_for(first, 10)
        later = await helpers.read(PAGES[0])  # and reading goes on, in this process
    finally:
        await helpers.close()
    assert readings == [read(page) for page in PAGES * 40]
    assert later == read(PAGES[0])
    assert not worker.alive


def test_the_helper_exits_when_its_parent_is_killed(tmp_path: Path) -> None:
    script = tmp_path / "parent.py"
    script.write_text(
        textwrap.dedent(
            """
            import asyncio, sys
            from tracer.linkrot.scheduling.sidecar import Helpers

            async def main():
                helpers = Helpers()
                await helpers.start(1)
                while not helpers.helpers[0].ready:
                    await asyncio.sleep(0.01)
                print(helpers.helpers[0].process.pid, flush=True)
                await asyncio.sleep(60)

            asyncio.run(main())
            """
        )
    )
    parent = subprocess.Popen(
        [sys.executable, str(script)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    _kill_and_see_the_helper_go(parent)


def _kill_and_see_the_helper_go(parent: subprocess.Popen[str]) -> None:
    """Kill -9 `parent` once it printed its helper's pid: the helper must exit."""
    try:
        assert parent.stdout is not None
        worker_pid = int(parent.stdout.readline())
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(5)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and running(worker_pid):
            time.sleep(0.05)
        assert not running(worker_pid), "the helper outlived its killed parent"
    finally:
        if parent.poll() is None:
            parent.kill()


FORKED_PARENT = """
import asyncio, os, sys, threading
from tracer.linkrot.scheduling.forking import fork_helpers, release_forked
from tracer.linkrot.scheduling.sidecar import Helpers, serve
from tracer.linkrot.reading import read

PAGES = {pages!r}
forked = fork_helpers(2, serve)
assert len(forked) == 2, forked

async def main():
    helpers = Helpers()
    await helpers.start(1, forked=forked)  # the second is let go at once
    helper = helpers.helpers[0]
    while not helper.ready:
        await asyncio.sleep(0.01)
    assert helper.process.pid == forked[0].pid
    readings = await asyncio.gather(*(helpers.read(page) for page in PAGES * 20))
    assert helper.alive and readings == [read(page) for page in PAGES * 20]
    if sys.argv[1] == "wait":
        print(helper.process.pid, flush=True)
        await asyncio.sleep(60)
    await helpers.close()

asyncio.run(main())
release_forked(forked)  # takes nothing the run took
for each in forked:
    try:
        os.waitpid(each.pid, os.WNOHANG)
    except ChildProcessError:
        continue  # reaped
    print("not reaped", each.pid)
print("done")
"""


def _forked_parent(tmp_path: Path, mode: str) -> subprocess.Popen[str]:
    script = tmp_path / "forking.py"
    script.write_text(FORKED_PARENT.format(pages=PAGES))
    return subprocess.Popen(
        [sys.executable, str(script), mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_a_forked_helper_reads_like_this_process_and_is_reaped(tmp_path: Path) -> None:
    parent = _forked_parent(tmp_path, "close")
    out, err = parent.communicate(timeout=60)
    assert parent.returncode == 0, err
    assert out.split() == ["done"]


def test_a_forked_helper_exits_when_its_parent_is_killed(tmp_path: Path) -> None:
    _kill_and_see_the_helper_go(_forked_parent(tmp_path, "wait"))


def test_no_fork_beside_a_thread() -> None:
    # a thread may hold a lock the child would inherit held: the helper is started anew
    started = threading.Event()
    stop = threading.Event()

    def idle() -> None:
        started.set()
        stop.wait(10)

    thread = threading.Thread(target=idle)
    thread.start()
    started.wait(5)
    try:
        assert forking.fork_helpers(1, helper.serve) == []
    finally:
        stop.set()
        thread.join()


async def test_a_run_through_a_helper_has_the_same_outcomes_and_history(
    store: Store,
    world: LinkWorld,
    clock: ManualClock,
    check_settings: CheckSettings,
    untrusted_tls: UntrustedTLS,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add(store, EXPECTED, clock)
    settings = check_settings.model_copy(update={"reader_workers": 1})
    read_here: list[bytes] = []
    stored_here: list[int] = []
    monkeypatch.setattr(helper, "read", lambda content: read_here.append(content) or read(content))
    write = ResultWriter.write
    monkeypatch.setattr(
        ResultWriter,
        "write",
        lambda self, batch, recovering=False: (
            stored_here.append(len(batch)) or write(self, batch, recovering)
        ),
    )
    report = await run_check(store, world.web, settings, clock, tls=untrusted_tls)
    assert outcomes(report) == EXPECTED
    assert read_here == []  # every page went to the helper
    assert stored_here == []  # and every check was stored there
    with store.session() as session:
        assert len(session.exec(select(Check)).all()) == len(EXPECTED)
    again = await run_check(store, world.web, settings, clock, tls=untrusted_tls)
    assert again.checked == 0  # what the helper stored moved every link on


def _claimed(store: Store, count: int, clock: ManualClock) -> list[Checked]:
    add(store, [f"https://example.org/story/{n}" for n in range(count)], clock)
    links = leases.claim(store.engine, "w", clock.now(), 600, count)
    return [
        Checked(
            node_id=link.node_id,
            url=link.url,
            outcome=Outcome.ALIVE,
            checked_at=clock.now(),
            state=link.state,
            status_code=200,
            fingerprint="00ff00ff00ff00ff",
        )
        for link in links
    ]


def _check_rows(store: Store) -> dict[int, int]:
    with store.session() as session:
        rows = session.exec(select(Check.node_id)).all()
    return {node: rows.count(node) for node in set(rows)}


def test_a_batch_stored_again_after_its_helper_died_is_not_stored_twice(
    store: Store, clock: ManualClock, check_settings: CheckSettings
) -> None:
    batch = _claimed(store, 30, clock)
    writer = ResultWriter(store, check_settings, "w")
    first = writer.write(batch[:20])  # what the helper committed before it died
    again = writer.write([dataclasses.replace(c, state=None) for c in batch], recovering=True)
    assert [e.url for e in again] == [c.url for c in batch]  # every check has its entry
    assert [e.outcome for e in again] == [Outcome.ALIVE] * 30
    assert len(first) == 20
    assert _check_rows(store) == {c.node_id: 1 for c in batch}


async def test_a_storing_helper_killed_mid_run_loses_nothing_and_repeats_nothing(
    store: Store, clock: ManualClock, check_settings: CheckSettings, database_url: str
) -> None:
    batch = _claimed(store, 400, clock)
    writer = ResultWriter(store, check_settings, "w")
    stored_here: list[bool] = []

    async def here(part: list[Checked], recovering: bool) -> list[Any]:
        stored_here.append(recovering)
        return writer.write(part, recovering)

    helpers = Helpers()
    opening = Opening(database_url, check_settings, "w")
    await _started(helpers, opening=opening, local_store=here)
    assert helpers.stores()
    try:
        parts = [batch[n : n + 20] for n in range(0, len(batch), 20)]
        answers = [asyncio.ensure_future(helpers.store(part)) for part in parts]
        await asyncio.wait(answers, return_when=asyncio.FIRST_COMPLETED)
        helpers.helpers[0].process.kill()
        entries = await asyncio.wait_for(asyncio.gather(*answers), 30)
    finally:
        await helpers.close()
    assert [e.url for part in entries for e in part] == [c.url for c in batch]
    assert stored_here and all(stored_here)  # the rest was stored here, carefully
    assert _check_rows(store) == {c.node_id: 1 for c in batch}
