"""How hard tracer may push: a global cap, and per-host concurrency and spacing.

Every request waits for a global slot, then for its host's slot, then until the host's
next allowed moment. A 429 or 503 with Retry-After pushes that moment back for every
request to the host, not just the one that was told, because archives punish clients
whose other workers keep going.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field


@dataclass
class HostPolicy:
    concurrency: int
    interval: float  # seconds between the starts of two requests to the host
    #: seconds every request to the host holds back after a 429 without Retry-After
    #: (the Internet Archive asks for 60); 0 leaves it to the retrying request's backoff
    penalty: float = 0.0


@dataclass
class _HostState:
    policy: HostPolicy
    slots: asyncio.Semaphore
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_start: float = 0.0


class HostLimits:
    """Global and per-host limits for one event loop."""

    def __init__(
        self,
        max_concurrency: int,
        default: HostPolicy,
        overrides: dict[str, HostPolicy] | None = None,
    ) -> None:
        self._global = asyncio.Semaphore(max_concurrency)
        self.default = default
        self.overrides = dict(overrides or {})
        self._hosts: dict[str, _HostState] = {}

    def policy_for(self, host: str) -> HostPolicy:
        host = host.lower()
        if host in self.overrides:
            return self.overrides[host]
        # a policy for example.org also covers www.example.org and api.example.org
        for name, policy in self.overrides.items():
            if host.endswith("." + name):
                return policy
        return self.default

    def set_policy(self, host: str, policy: HostPolicy) -> None:
        self.overrides[host.lower()] = policy
        self._hosts.pop(host.lower(), None)

    def _state(self, host: str) -> _HostState:
        host = host.lower()
        state = self._hosts.get(host)
        if state is None:
            policy = self.policy_for(host)
            state = _HostState(policy, asyncio.Semaphore(policy.concurrency))
            self._hosts[host] = state
        return state

    def penalize(self, host: str, seconds: float) -> None:
        """No request to `host` starts for `seconds` from now."""
        state = self._state(host)
        state.next_start = max(state.next_start, time.monotonic() + seconds)

    def slot(self, host: str) -> HostSlot:
        """`async with limits.slot(host):` one request's turn at `host`."""
        return HostSlot(self._global, self._state(host))


class HostSlot:
    """One request's turn: the host's slot, its moment, then a global slot."""

    __slots__ = ("_global", "_state")

    def __init__(self, global_slots: asyncio.Semaphore, state: _HostState) -> None:
        self._global = global_slots
        self._state = state

    async def __aenter__(self) -> None:
        state = self._state
        # the host's turn is taken before a global slot, so a slow host waiting out its
        # interval never holds slots that requests to other hosts could use
        await state.slots.acquire()
        try:
            if state.lock.locked() or state.next_start > time.monotonic():
                async with state.lock:
                    # a penalty may arrive while we sleep: look again until the moment holds
                    while (delay := state.next_start - time.monotonic()) > 0:
                        await asyncio.sleep(delay)
                    # spacing counts from the slot's planned start, not from when the
                    # sleep happened to end, so oversleeping never accumulates into the rate
                    start = max(state.next_start, time.monotonic())
                    state.next_start = start + state.policy.interval
            else:
                # nobody waits and the moment has passed: the turn is ours without the lock
                # (nothing awaits between the look and the claim)
                state.next_start = time.monotonic() + state.policy.interval
            await self._global.acquire()
        except BaseException:
            state.slots.release()
            raise

    async def __aexit__(self, *exc_info: object) -> None:
        self._global.release()
        self._state.slots.release()
