"""Reading fetched pages (title, main text, fingerprint), in a worker process when it pays.

Parsing a page and computing its simhash is pure CPU, about a third of what checking a
link costs the process; the rest (the event loop, the wire, the store) must stay in one
thread. On a machine with a spare core a long run hands the pages to a worker process in
small batches: the loop pays a little pickling per page instead of the reading.

The worker is a plain child process (`python -m tracer.linkrot.reading`) talking over
its stdin and stdout, read and written by the event loop itself: no helper threads, and
it imports only what reading needs. Pages are read in the loop until the worker says it
is ready, and again if it dies (its unanswered batches are read here, nothing is lost).
A worker whose parent is killed sees its stdin end and exits.

Short runs and one-core machines read in the loop, where a worker's start-up would cost
more than it saves.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import pickle
import sys
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from tracer import heap
from tracer.linkrot.maintext import fingerprint, read_page

log = logging.getLogger(__name__)

#: pages sent to a worker at once at most, and how long the first waits for company
BATCH_PAGES = 64
BATCH_WAIT = 0.003
#: what a worker writes once it can read pages
READY = b"ready\n"

Reading = tuple[str, str, str | None]  # title, main text, fingerprint


@dataclass(frozen=True)
class PageReading:
    title: str
    text: str
    fingerprint: str | None


def read(content: bytes) -> PageReading:
    """One page's title, main text and the text's fingerprint."""
    title, text = read_page(content) if content else ("", "")
    return PageReading(title, text, fingerprint(text) if text else None)


def read_batch(contents: list[bytes]) -> list[Reading]:
    readings: list[Reading] = []
    for content in contents:
        reading = read(content)
        readings.append((reading.title, reading.text, reading.fingerprint))
    return readings


def spare_cores() -> int:
    """Cores this process may use beyond the one its event loop runs on."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count() or 1
    return max(0, usable - 1)


def _worker_environment() -> dict[str, str]:
    """This environment, with this copy of tracer first on the worker's import path."""
    source = str(Path(__file__).resolve().parents[2])
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": source + (os.pathsep + path if path else "")}


def _frame(payload: bytes) -> bytes:
    return len(payload).to_bytes(4, "big") + payload


def serve(source: BinaryIO, sink: BinaryIO) -> None:
    """The worker: batches of pages in, their readings out, until the input ends."""
    sink.write(READY)
    sink.flush()
    while True:
        head = source.read(4)
        if len(head) < 4:
            return
        contents = pickle.loads(source.read(int.from_bytes(head, "big")))
        sink.write(_frame(pickle.dumps(read_batch(contents), protocol=pickle.HIGHEST_PROTOCOL)))
        sink.flush()


Batch = list[tuple[bytes, "asyncio.Future[PageReading]"]]


class _Worker:
    """One worker process and the batches it has not answered yet, oldest first."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.waiting: deque[Batch] = deque()
        self.ready = False
        self.alive = True


class PageReader:
    """Reads pages in the loop, or batched in worker processes once they are up."""

    def __init__(self) -> None:
        self.workers: list[_Worker] = []
        self._pending: Batch = []
        self._flush: asyncio.TimerHandle | None = None
        self._turn = 0
        self._listeners: list[asyncio.Task[None]] = []
        self._closing = False

    async def start(self, workers: int, wait: bool = False) -> None:
        """Start `workers` worker processes; pages are read here until they are ready,
        or, with `wait`, once they are (up to a few seconds)."""
        for _ in range(workers):
            try:
                process = await asyncio.create_subprocess_exec(
                    sys.executable,
                    "-m",
                    "tracer.linkrot.reading",
                    stdin=asyncio.subprocess.PIPE,
                    stdout=asyncio.subprocess.PIPE,
                    env=_worker_environment(),
                )
            except OSError as exc:
                log.warning("no page reading worker (%s); reading pages in-process", exc)
                return
            worker = _Worker(process)
            self.workers.append(worker)
            self._listeners.append(asyncio.create_task(self._listen(worker)))
        if wait and self.workers:
            for _ in range(500):
                if all(w.ready or not w.alive for w in self.workers):
                    return
                await asyncio.sleep(0.01)
            log.warning("page reading workers are slow to start; reading in-process meanwhile")

    def _ready(self) -> list[_Worker]:
        return [w for w in self.workers if w.ready and w.alive]

    async def read(self, content: bytes) -> PageReading:
        if not self._ready():
            return read(content)
        waiter: asyncio.Future[PageReading] = asyncio.get_running_loop().create_future()
        self._pending.append((content, waiter))
        if len(self._pending) >= BATCH_PAGES:
            self._send()
        elif self._flush is None:
            self._flush = asyncio.get_running_loop().call_later(BATCH_WAIT, self._send)
        return await waiter

    def _send(self) -> None:
        if self._flush is not None:
            self._flush.cancel()
            self._flush = None
        batch, self._pending = self._pending, []
        if not batch:
            return
        ready = self._ready()
        if not ready:
            self._read_here(batch)
            return
        self._turn = (self._turn + 1) % len(ready)
        worker = ready[self._turn]
        stdin = worker.process.stdin
        assert stdin is not None
        payload = pickle.dumps([content for content, _ in batch], protocol=pickle.HIGHEST_PROTOCOL)
        worker.waiting.append(batch)
        try:
            stdin.write(_frame(payload))  # buffered by the transport; the worker keeps up
        except (ConnectionError, RuntimeError):
            self._lost(worker)

    async def _listen(self, worker: _Worker) -> None:
        stdout = worker.process.stdout
        assert stdout is not None
        try:
            if await stdout.readline() != READY:
                raise ConnectionError("the worker did not start")
            worker.ready = True
            while True:
                head = await stdout.readexactly(4)
                readings: list[Reading] = pickle.loads(
                    await stdout.readexactly(int.from_bytes(head, "big"))
                )
                batch = worker.waiting.popleft()
                for (_, waiter), (title, text, print_) in zip(batch, readings, strict=True):
                    if not waiter.done():
                        waiter.set_result(PageReading(title, text, print_))
        except (asyncio.IncompleteReadError, ConnectionError, pickle.UnpicklingError, ValueError):
            self._lost(worker)
        except asyncio.CancelledError:
            raise

    def _lost(self, worker: _Worker) -> None:
        """A worker died or broke: what it owed is read here."""
        if not worker.alive:
            return
        worker.alive = False
        if worker.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                worker.process.kill()
        if worker.ready and not self._closing:
            log.warning("a page reading worker stopped; reading its pages in-process")
        while worker.waiting:
            self._read_here(worker.waiting.popleft())

    def _read_here(self, batch: Batch) -> None:
        for content, waiter in batch:
            if not waiter.done():
                waiter.set_result(read(content))

    async def close(self) -> None:
        """Answer what is pending and stop the workers (none outlives the run)."""
        if self._flush is not None:
            self._flush.cancel()
            self._flush = None
        if self._pending:
            self._read_here(self._pending)
            self._pending = []
        self._closing = True
        for worker in self.workers:
            if worker.process.stdin is not None:
                worker.process.stdin.close()  # the worker answers what it has, then exits
        for worker, listener in zip(self.workers, self._listeners, strict=True):
            try:
                await asyncio.wait_for(worker.process.wait(), 5)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    worker.process.kill()
                await worker.process.wait()
            await asyncio.wait([listener], timeout=5)  # the last answers, then the end
            listener.cancel()
            self._lost(worker)
        self.workers.clear()
        self._listeners.clear()


if __name__ == "__main__":
    heap.settle()
    serve(sys.stdin.buffer, sys.stdout.buffer)


__all__ = ["PageReader", "PageReading", "read", "serve", "spare_cores"]
