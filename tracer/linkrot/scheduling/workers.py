"""Several check workers on one machine from one start-up (`tracer check --workers N`).

Workers share a night through the database: each claims due links in batches, and on
PostgreSQL the hosts they check are leased, so N `tracer check` processes divide the
work without asking a link twice or a host too often. Started one by one, though, each
imports Python's database and HTTP libraries first (about 0.4 s of CPU), which on a
small machine competes with the checking. Forked after the imports, before the event
loop, the database and any thread exist (as the helper is: tracer.linkrot.scheduling.forking), the
other workers start at once; `--limit` is one allowance in shared memory for all of them. Each saves its report to a file; the first process, its
own run done, waits for them and absorbs theirs, so the command prints one report for
the night, and one progress bar counts every worker's checks.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import struct
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from tracer.linkrot.report import Report
from tracer.linkrot.scheduling.run import Progress

#: how often the first process looks for finished workers (and moves the bar)
POLL = 0.02


@dataclass(frozen=True)
class Worker:
    """A worker forked from this process: its pid and the file its report goes to."""

    pid: int
    report: Path


class Tally:
    """The links each worker has checked so far, in memory every forked worker shares
    (an anonymous shared mapping, made before the fork)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._memory = mmap.mmap(-1, 8 * workers)
        self._due = 0  # links due when the first process's run started

    def count(self, index: int, done: int) -> None:
        struct.pack_into("q", self._memory, 8 * index, done)

    def total(self) -> int:
        return sum(struct.unpack_from(f"{self.workers}q", self._memory))

    def counter(self, index: int, bar: Progress | None = None) -> Progress:
        """Worker `index`'s progress callback; with `bar`, the bar shows every worker's."""

        def checked(done: int, due: int) -> None:
            self.count(index, done)
            self._due = max(self._due, due)
            if bar is not None:
                bar(self.total(), self._due)

        return checked

    def mover(self, bar: Progress | None) -> Callable[[], None]:
        """Moves `bar` to every worker's count (while the first process waits for them)."""

        def move() -> None:
            if bar is not None:
                bar(self.total(), self._due)

        return move


def fork_workers(count: int, directory: Path) -> tuple[int, list[Worker]]:
    """Fork `count` more workers. Returns (0, the workers) in this process and (i, [])
    in worker i; none are forked where this process may not fork safely (a thread runs)."""
    if count <= 0 or not hasattr(os, "fork") or threading.active_count() > 1:
        return 0, []
    _import_driver()
    workers: list[Worker] = []
    for index in range(1, count + 1):
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            return index, []
        workers.append(Worker(pid, directory / f"worker-{index}.report"))
    return 0, workers


def _import_driver() -> None:
    """Import PostgreSQL's driver (the workers share a PostgreSQL database) before the
    fork, once: each worker would import it on its first connection otherwise, about
    0.1 s of CPU each and all at the same moment, which on a small machine held up the
    start of every worker's checks (--workers 4: 4.11 s -> 3.81 s, one worker 3.84 s)."""
    with contextlib.suppress(ImportError):
        import psycopg  # noqa: F401
        import sqlalchemy.dialects.postgresql.psycopg  # noqa: F401


def finish_forked(index: int, report: Report, directory: Path) -> NoReturn:
    """A forked worker's end: its report saved for the first process, then exit. It
    never returns into the command's code, which would print a report of its own."""
    code = 0
    try:
        with (directory / f"worker-{index}.report").open("w", encoding="utf-8") as out:
            report.save(out)
    except BaseException:  # the first process says this worker left no report
        code = 1
    finally:
        report.close()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def collect(workers: list[Worker], report: Report, moved: Callable[[], None]) -> list[str]:
    """Wait for every forked worker and absorb its report into `report`; `moved` is
    called while waiting (the progress bar). Returns what went wrong, a line each."""
    waiting = {worker.pid: worker for worker in workers}
    problems: list[str] = []
    while waiting:
        for pid, worker in list(waiting.items()):
            done, status = os.waitpid(pid, os.WNOHANG)
            if done == 0:
                continue
            del waiting[pid]
            code = os.waitstatus_to_exitcode(status)
            try:
                with worker.report.open(encoding="utf-8") as saved:
                    report.absorb(saved)
            except (OSError, ValueError, KeyError) as exc:
                problems.append(f"worker {pid} left no report (exit {code}: {exc})")
        moved()
        if waiting:
            time.sleep(POLL)
    return problems


__all__ = ["Tally", "Worker", "collect", "finish_forked", "fork_workers"]
