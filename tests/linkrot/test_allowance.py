"""The night's allowance (`check --limit` with several workers), shared by the workers."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from tracer.linkrot.scheduling.run import Allowance, _Dispatch


def _dispatch(allowance: Allowance) -> _Dispatch:
    # only the allowance matters to the wait; the dispatcher's run state is not built
    dispatch = object.__new__(_Dispatch)
    dispatch.allowance = allowance
    return dispatch


def test_a_worker_waits_for_an_allowance_another_worker_takes_back() -> None:
    # another worker took the whole allowance for a claim that found fewer links
    allowance = Allowance(5, shared=True)
    assert allowance.take(5) == 5 and allowance.left() == 0

    async def scenario() -> bool:
        loop = asyncio.get_running_loop()
        loop.call_later(0.3, allowance.give, 5)
        return await _dispatch(allowance)._allowance_back()

    assert asyncio.run(scenario()) is True
    assert allowance.left() == 5


def test_a_spent_allowance_ends_the_run() -> None:
    shared = Allowance(2, shared=True)
    shared.take(2)
    assert asyncio.run(_dispatch(shared)._allowance_back()) is False
    # one worker alone has no one to give any back: no wait at all
    alone = Allowance(2)
    alone.take(2)
    assert asyncio.run(_dispatch(alone)._allowance_back()) is False


def test_a_worker_whose_share_went_to_another_claims_nothing() -> None:
    # the loop saw some allowance left; the other worker took it before this claim did
    allowance = Allowance(5, shared=True)
    dispatch = _dispatch(allowance)
    # a runner with a batch size and nothing else: a claim of links would fail on it
    dispatch.runner = SimpleNamespace(settings=SimpleNamespace(batch_size=50))  # type: ignore[assignment]
    dispatch.exhausted = False
    dispatch.next_claim = 0.0
    allowance.take(5)
    asyncio.run(dispatch._claim(100.0, [], adding=True))
    # no host was leased for a claim of no links, and the run is not over: it waits
    assert dispatch.exhausted is False
    assert dispatch.next_claim > 100.0
    assert allowance.left() == 0
