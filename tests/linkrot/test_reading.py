"""Pages read in a worker process: the same readings, nothing lost when it dies, no orphans."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.fakeweb.linkrot import LinkWorld
from tests.linkrot.conftest import ManualClock, UntrustedTLS
from tests.linkrot.helpers import add, outcomes, run_check
from tests.linkrot.test_outcomes import EXPECTED
from tracer.linkrot import reading
from tracer.linkrot.reading import PageReader, read
from tracer.linkrot.settings import CheckSettings
from tracer.store import Store

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


async def _started(reader: PageReader) -> None:
    await reader.start(1)
    for _ in range(200):  # the worker says when it is ready (well under a second)
        if reader.workers and reader.workers[0].ready:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the reading worker never became ready")


async def test_worker_readings_equal_in_process_readings() -> None:
    reader = PageReader()
    await _started(reader)
    try:
        readings = await asyncio.gather(*(reader.read(page) for page in PAGES * 20))
        assert reader.workers[0].alive  # they did go through the worker
    finally:
        await reader.close()
    assert readings == [read(page) for page in PAGES * 20]
    assert readings[0].fingerprint and "convoy" in readings[0].text


async def test_a_dying_worker_loses_no_page() -> None:
    reader = PageReader()
    await _started(reader)
    worker = reader.workers[0]
    try:
        first = asyncio.gather(*(reader.read(page) for page in PAGES * 40))
        await asyncio.sleep(0)
        worker.process.kill()
        readings = await asyncio.wait_for(first, 10)
        later = await reader.read(PAGES[0])  # and reading goes on, in this process
    finally:
        await reader.close()
    assert readings == [read(page) for page in PAGES * 40]
    assert later == read(PAGES[0])
    assert not worker.alive


def test_the_worker_exits_when_its_parent_is_killed(tmp_path: Path) -> None:
    script = tmp_path / "parent.py"
    script.write_text(
        textwrap.dedent(
            """
            import asyncio, sys
            from tracer.linkrot.reading import PageReader

            async def main():
                reader = PageReader()
                await reader.start(1)
                while not reader.workers[0].ready:
                    await asyncio.sleep(0.01)
                print(reader.workers[0].process.pid, flush=True)
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
    try:
        assert parent.stdout is not None
        worker_pid = int(parent.stdout.readline())
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(5)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _running(worker_pid):
            time.sleep(0.05)
        assert not _running(worker_pid), "the reading worker outlived its killed parent"
    finally:
        if parent.poll() is None:
            parent.kill()


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie has exited; only its entry waits for a parent that reaps it
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] == "Z")


async def test_a_run_reading_in_a_worker_has_the_same_outcomes(
    store: Store,
    world: LinkWorld,
    clock: ManualClock,
    check_settings: CheckSettings,
    untrusted_tls: UntrustedTLS,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add(store, EXPECTED, clock)
    settings = check_settings.model_copy(update={"reader_workers": 1})
    read_here = []
    monkeypatch.setattr(reading, "read", lambda content: read_here.append(content) or read(content))
    report = await run_check(store, world.web, settings, clock, tls=untrusted_tls)
    assert outcomes(report) == EXPECTED
    assert read_here == []  # every page went to the worker
