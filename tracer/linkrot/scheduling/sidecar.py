"""The check's sidecar, a helper process: reads fetched pages and stores finished checks, so the
event loop only talks to hosts.

Reading a page (parse, main text, fingerprint) and storing a batch of checks (one
transaction, two rows a link) are pure CPU, and together most of what checking a link
costs; the event loop, the wire and the claims must stay in one thread. On a machine
with a spare core a long run hands both to a helper: the loop pays a little pickling
per page and per batch instead.

`tracer check` forks its helper before the event loop starts, so the helper has every
module already imported and is ready at once (tracer.linkrot.scheduling.forking); where it cannot
fork, the helper is a new interpreter (`python -m tracer.linkrot.scheduling.sidecar`). Either way it talks
over two pipes, read and written by the event loop itself: no helper threads. It
answers jobs in the order they came. Until it says it is ready, and again if it dies,
the loop does the work itself: a dead helper's unanswered pages are read here and its
unanswered batches stored here, skipping what it had committed (see
tracer.linkrot.storing), so nothing is lost or stored twice. A helper whose parent is
killed sees its input end, finishes the batch it holds and exits.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import pickle
import sys
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from tracer import heap
from tracer.linkrot.reading import PageReading, read
from tracer.linkrot.scheduling.forking import Forked, ForkedProcess, release_forked

if TYPE_CHECKING:  # a reading helper does not import the database side
    from tracer.linkrot.report import LinkEntry
    from tracer.linkrot.settings import CheckSettings
    from tracer.linkrot.storing import Checked

log = logging.getLogger(__name__)

#: pages sent at once at most, and how long the first waits for company
BATCH_PAGES = 64
BATCH_WAIT = 0.003
#: what a helper writes once it can take jobs
READY = b"ready\n"
#: what a helper answers for a batch it could not store (the loop stores it instead)
FAILED = "failed"

#: stores a batch of checks in this process; `recovering`: a helper may have stored some
LocalStore = Callable[[list["Checked"], bool], Awaitable[list["LinkEntry"]]]


@dataclass(frozen=True)
class Opening:
    """What a helper needs to store checks: the database and the run's settings."""

    database_url: str
    settings: CheckSettings
    worker: str  # the run's worker name, written on every check row


def _frame(payload: bytes) -> bytes:
    return len(payload).to_bytes(4, "big") + payload


def _next_frame(source: BinaryIO) -> Any:
    head = source.read(4)
    if len(head) < 4:
        return None
    return pickle.loads(source.read(int.from_bytes(head, "big")))


def serve(source: BinaryIO, sink: BinaryIO) -> None:
    """The helper: an opening, then jobs in and answers out, until the input ends."""
    opening: Opening | None = _next_frame(source)
    writer = None
    if opening is not None and opening.database_url:
        from tracer.linkrot.storing import ResultWriter  # only a storing helper needs it
        from tracer.store.upserts import Store

        writer = ResultWriter(Store.open(opening.database_url), opening.settings, opening.worker)
    sink.write(READY)
    sink.flush()
    while (job := _next_frame(source)) is not None:
        kind, payload = job
        answer: Any
        if kind == "read":
            answer = [read(content) for content in payload]
        else:
            try:
                assert writer is not None
                answer = writer.write(payload)
            except Exception as exc:  # the loop stores the batch itself and reports errors
                log.warning("the helper could not store a batch: %s", exc)
                answer = FAILED
        sink.write(_frame(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)))
        sink.flush()
    if writer is not None:
        writer.store.close()


def _environment() -> dict[str, str]:
    """This environment, with this copy of tracer first on the helper's import path."""
    source = str(Path(__file__).resolve().parents[2])
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": source + (os.pathsep + path if path else "")}


@dataclass
class _Job:
    deliver: Callable[[Any], None]  # hands the helper's answer on
    redo: Callable[[], None]  # does the job here instead (the helper is gone)


class _Helper:
    """One helper process and the jobs it has not answered yet, oldest first."""

    def __init__(self, process: asyncio.subprocess.Process | ForkedProcess, stores: bool) -> None:
        self.process = process
        self.stores = stores
        self.waiting: deque[_Job] = deque()
        self.ready = False
        self.alive = True


PageBatch = list[tuple[bytes, "asyncio.Future[PageReading]"]]


class Helpers:
    """Reads pages and stores batches in helper processes once they are up, else here."""

    def __init__(self) -> None:
        self.helpers: list[_Helper] = []
        self._pending: PageBatch = []
        self._flush: asyncio.TimerHandle | None = None
        self._turn = 0
        self._listeners: list[asyncio.Task[None]] = []
        self._closing = False
        self._local_store: LocalStore | None = None
        self._redone: set[asyncio.Task[None]] = set()

    async def start(
        self,
        count: int,
        opening: Opening | None = None,
        local_store: LocalStore | None = None,
        wait: bool = False,
        forked: list[Forked] | None = None,
    ) -> None:
        """Start `count` helpers; with an `opening` they also store, and `local_store`
        stores what a dead one left. Work is done here until they are ready, or, with
        `wait`, they are waited for (a few seconds at most). Helpers `forked` before
        the loop ran are used first; those beyond `count` are let go."""
        self._local_store = local_store
        stores = opening is not None and local_store is not None
        forked = list(forked or ())
        release_forked(forked[count:])
        for n in range(count):
            process: asyncio.subprocess.Process | ForkedProcess
            try:
                if n < len(forked):
                    process = await ForkedProcess.attach(forked[n])
                else:
                    process = await asyncio.create_subprocess_exec(
                        sys.executable,
                        "-m",
                        "tracer.linkrot.scheduling.sidecar",
                        stdin=asyncio.subprocess.PIPE,
                        stdout=asyncio.subprocess.PIPE,
                        env=_environment(),
                    )
            except OSError as exc:
                log.warning("no helper process (%s); reading and storing in-process", exc)
                return
            helper = _Helper(process, stores)
            assert process.stdin is not None
            process.stdin.write(_frame(pickle.dumps(opening if stores else None)))
            self.helpers.append(helper)
            self._listeners.append(asyncio.create_task(self._listen(helper)))
        if wait and self.helpers:
            for _ in range(1000):
                if all(h.ready or not h.alive for h in self.helpers):
                    return
                await asyncio.sleep(0.01)
            log.warning("helper processes are slow to start; working in-process meanwhile")

    def _ready(self, storing: bool = False) -> list[_Helper]:
        return [h for h in self.helpers if h.ready and h.alive and (h.stores or not storing)]

    # -- reading ---------------------------------------------------------------------

    async def read(self, content: bytes) -> PageReading:
        if not self._ready():
            return read(content)
        waiter: asyncio.Future[PageReading] = asyncio.get_running_loop().create_future()
        self._pending.append((content, waiter))
        if len(self._pending) >= BATCH_PAGES:
            self._send_pages()
        elif self._flush is None:
            self._flush = asyncio.get_running_loop().call_later(BATCH_WAIT, self._send_pages)
        return await waiter

    def _send_pages(self) -> None:
        if self._flush is not None:
            self._flush.cancel()
            self._flush = None
        batch, self._pending = self._pending, []
        if not batch:
            return

        def deliver(readings: list[PageReading]) -> None:
            for (_, waiter), reading in zip(batch, readings, strict=True):
                if not waiter.done():
                    waiter.set_result(reading)

        self._send("read", [content for content, _ in batch], deliver, lambda: _read_here(batch))

    # -- storing ---------------------------------------------------------------------

    def stores(self) -> bool:
        """Whether a helper takes batches to store now."""
        return bool(self._ready(storing=True))

    async def store(self, batch: list[Checked]) -> list[LinkEntry]:
        """Store `batch` (tracer.linkrot.storing.Checked) in a helper, or here when none
        is ready or it fails; the report's entries for it."""
        assert self._local_store is not None
        if not self.stores():
            return await self._local_store(batch, False)
        answer: asyncio.Future[list[LinkEntry]] = asyncio.get_running_loop().create_future()
        local_store = self._local_store

        def redo() -> None:
            async def here() -> None:
                try:
                    entries = await local_store(batch, True)
                except Exception as exc:
                    if not answer.done():
                        answer.set_exception(exc)
                else:
                    if not answer.done():
                        answer.set_result(entries)

            task = asyncio.get_running_loop().create_task(here())
            self._redone.add(task)
            task.add_done_callback(self._redone.discard)

        def deliver(entries: Any) -> None:
            if entries == FAILED:
                redo()
            elif not answer.done():
                answer.set_result(entries)

        self._send("store", batch, deliver, redo, storing=True)
        return await answer

    # -- the helpers -----------------------------------------------------------------

    def _send(
        self,
        kind: str,
        payload: Any,
        deliver: Callable[[Any], None],
        redo: Callable[[], None],
        storing: bool = False,
    ) -> None:
        ready = self._ready(storing)
        if not ready:
            redo()
            return
        self._turn = (self._turn + 1) % len(ready)
        helper = ready[self._turn]
        stdin = helper.process.stdin
        assert stdin is not None
        helper.waiting.append(_Job(deliver, redo))
        try:
            # buffered by the transport; the helper keeps up
            stdin.write(_frame(pickle.dumps((kind, payload), protocol=pickle.HIGHEST_PROTOCOL)))
        except (ConnectionError, RuntimeError):
            self._lost(helper)

    async def _listen(self, helper: _Helper) -> None:
        stdout = helper.process.stdout
        assert stdout is not None
        try:
            if await stdout.readline() != READY:
                raise ConnectionError("the helper did not start")
            helper.ready = True
            while True:
                head = await stdout.readexactly(4)
                answer = pickle.loads(await stdout.readexactly(int.from_bytes(head, "big")))
                helper.waiting.popleft().deliver(answer)
        except (asyncio.IncompleteReadError, ConnectionError, pickle.UnpicklingError, ValueError):
            self._lost(helper)
        except asyncio.CancelledError:
            raise

    def _lost(self, helper: _Helper) -> None:
        """A helper died or broke: what it owed is done here."""
        if not helper.alive:
            return
        helper.alive = False
        if helper.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                helper.process.kill()
        if helper.ready and not self._closing:
            log.warning("a helper process stopped; reading and storing in-process")
        while helper.waiting:
            helper.waiting.popleft().redo()

    async def close(self) -> None:
        """Answer what is pending and stop the helpers (none outlives the run)."""
        if self._flush is not None:
            self._flush.cancel()
            self._flush = None
        if self._pending:
            _read_here(self._pending)
            self._pending = []
        self._closing = True
        for helper in self.helpers:
            if helper.process.stdin is not None:
                helper.process.stdin.close()  # the helper answers what it has, then exits
        for helper, listener in zip(self.helpers, self._listeners, strict=True):
            try:
                await asyncio.wait_for(helper.process.wait(), 30)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    helper.process.kill()
                await helper.process.wait()
            await asyncio.wait([listener], timeout=5)  # the last answers, then the end
            listener.cancel()
            self._lost(helper)
        if self._redone:
            await asyncio.gather(*self._redone, return_exceptions=True)
        self.helpers.clear()
        self._listeners.clear()


def _read_here(batch: PageBatch) -> None:
    for content, waiter in batch:
        if not waiter.done():
            waiter.set_result(read(content))


if __name__ == "__main__":
    heap.settle()
    serve(sys.stdin.buffer, sys.stdout.buffer)


__all__ = ["Helpers", "Opening", "serve"]
