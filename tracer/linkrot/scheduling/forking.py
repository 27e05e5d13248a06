"""Starting the check's helper process by forking this one (see tracer.linkrot.scheduling.sidecar).

A forked helper has every module this process imported, so it is ready at once, where a
new interpreter spends most of a second importing the reading and storing machinery on
a core the checking needs. `tracer check` forks before its event loop, its database and
any thread exist; the loop later attaches to the child's pipes as it would to a started
process's stdin and stdout.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

log = logging.getLogger(__name__)

#: a helper's whole work: jobs read from the first stream, answers written to the second
#: (tracer.linkrot.scheduling.sidecar.serve; passed in, so this module needs nothing of the helper's)
Serve = Callable[[BinaryIO, BinaryIO], None]


@dataclass(frozen=True)
class Forked:
    """A helper forked from this process before its event loop runs: the child's pid,
    the pipe its jobs go down and the pipe its answers come up (see fork_helpers)."""

    pid: int
    jobs: int
    answers: int


#: parent-side pipe ends of helpers forked so far (a later child must not hold them open)
_parent_ends: set[int] = set()


def fork_helpers(count: int, serve: Serve) -> list[Forked]:
    """Fork `count` helpers now, or none where this process cannot fork safely: only
    before the event loop, the database and any thread exist may it, for the child must
    inherit no lock held elsewhere and no connection it could close under the parent."""
    if count <= 0 or not hasattr(os, "fork") or threading.active_count() > 1:
        return []
    forked: list[Forked] = []
    for _ in range(count):
        try:
            child_jobs, jobs = os.pipe()
            answers, child_answers = os.pipe()
        except OSError as exc:
            log.warning("no helper process (%s); reading and storing in-process", exc)
            break
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the helper
            _serve_forked(serve, child_jobs, child_answers, {jobs, answers, *_parent_ends})
        os.close(child_jobs)
        os.close(child_answers)
        _parent_ends.update((jobs, answers))
        forked.append(Forked(pid, jobs, answers))
    return forked


def _serve_forked(serve: Serve, jobs: int, answers: int, foreign: set[int]) -> None:
    """The forked helper's whole life; it never returns into the parent's code."""
    code = 1
    try:
        for fd in foreign:
            os.close(fd)  # so the helper sees its input end when the parent dies
        # nor may it hold the parent's standard input and output open (a reader of
        # `tracer check --json` waits for every writer to close); errors still show
        quiet = os.open(os.devnull, os.O_RDWR)
        os.dup2(quiet, 0)
        os.dup2(quiet, 1)
        os.close(quiet)
        # Ctrl-C on a terminal reaches the whole group; the parent decides, the helper
        # finishes its batch when its input ends
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        with open(jobs, "rb") as source, open(answers, "wb") as sink:
            serve(source, sink)
        code = 0
    except BrokenPipeError:
        code = 0  # the parent let the helper go unused, or is gone: nobody to answer
    except BaseException as exc:  # nothing may unwind into the parent's code
        with contextlib.suppress(Exception):
            log.warning("the helper stopped: %r", exc)
    finally:
        os._exit(code)


class ForkedProcess:
    """The event loop's side of a forked helper, shaped like asyncio's Process."""

    def __init__(self, pid: int, stdin: asyncio.StreamWriter, stdout: asyncio.StreamReader):
        self.pid = pid
        self.stdin: asyncio.StreamWriter | None = stdin
        self.stdout: asyncio.StreamReader | None = stdout
        self._returncode: int | None = None

    @classmethod
    async def attach(cls, forked: Forked) -> ForkedProcess:
        loop = asyncio.get_running_loop()
        _parent_ends.difference_update((forked.jobs, forked.answers))
        # the transports own the pipes from here on, and close them
        answers = open(forked.answers, "rb", 0)  # noqa: SIM115
        jobs = open(forked.jobs, "wb", 0)  # noqa: SIM115
        reader = asyncio.StreamReader()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), answers)
        transport, protocol = await loop.connect_write_pipe(
            lambda: asyncio.streams.FlowControlMixin(), jobs
        )
        writer = asyncio.StreamWriter(transport, protocol, None, loop)
        return cls(forked.pid, writer, reader)

    def _reap(self, flags: int) -> int | None:
        if self._returncode is None:
            try:
                pid, status = os.waitpid(self.pid, flags)
            except ChildProcessError:
                self._returncode = -1  # reaped elsewhere
            else:
                if pid:
                    self._returncode = os.waitstatus_to_exitcode(status)
        return self._returncode

    @property
    def returncode(self) -> int | None:
        return self._reap(os.WNOHANG)

    def kill(self) -> None:
        if self.returncode is None:
            os.kill(self.pid, signal.SIGKILL)

    async def wait(self) -> int:
        while (code := self.returncode) is None:
            await asyncio.sleep(0.005)
        return code


def release_forked(forked: list[Forked]) -> None:
    """Let helpers forked for a run that does not use them go (their input ends);
    those the run took are its own to stop."""
    for helper in forked:
        if helper.jobs not in _parent_ends:
            continue
        for fd in (helper.jobs, helper.answers):
            _parent_ends.discard(fd)
            with contextlib.suppress(OSError):
                os.close(fd)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(helper.pid, 0)


__all__ = ["Forked", "ForkedProcess", "fork_helpers", "release_forked"]
