"""Per-host spacing (tracer.http.politeness) measured where the client decides: at the slot.

The server's view of the same promise is in tests/hostile/test_storms.py. Here the event
loop is stalled on purpose, so that a waiting request wakes late (a busy machine does that
by itself), and the requests behind it must not make up the lost time in a burst.
"""

from __future__ import annotations

import asyncio
import itertools
import time

from tracer.http.politeness import HostLimits, HostPolicy

INTERVAL = 0.1


async def slot_starts(limits: HostLimits, host: str, count: int) -> list[float]:
    starts: list[float] = []

    async def one() -> None:
        async with limits.slot(host):
            starts.append(time.monotonic())

    await asyncio.gather(*(one() for _ in range(count)))
    return sorted(starts)


async def test_a_late_wake_up_is_not_made_up_by_a_burst() -> None:
    limits = HostLimits(10, HostPolicy(concurrency=4, interval=INTERVAL))
    loop = asyncio.get_running_loop()
    # the loop is stuck from 0.05 s to 0.18 s: the second request, due at 0.1 s, starts at
    # ~0.18 s; the third must still wait a whole interval after it, not start at 0.2 s
    loop.call_later(0.05, time.sleep, 0.13)
    starts = await slot_starts(limits, "slow.example", 3)
    gaps = [later - earlier for earlier, later in itertools.pairwise(starts)]
    assert starts[1] - starts[0] >= 0.17, gaps
    assert min(gaps) >= INTERVAL - 0.002, gaps


async def test_a_penalty_holds_every_waiting_request_and_spacing_resumes_after_it() -> None:
    limits = HostLimits(10, HostPolicy(concurrency=4, interval=INTERVAL))
    began = time.monotonic()
    limits.penalize("held.example", 0.3)
    starts = await slot_starts(limits, "held.example", 3)
    assert starts[0] - began >= 0.3 - 0.002
    gaps = [later - earlier for earlier, later in itertools.pairwise(starts)]
    assert min(gaps) >= INTERVAL - 0.002, gaps
