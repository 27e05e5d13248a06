"""Platform states (post-deleted, account-suspended, ...) told by the platform adapters.

A deleted tweet's URL still answers 200, so for a platform's links the adapter is asked
first. The contract with adapters is small: after `enrich`, an identity whose content is
gone carries its `availability` (tracer.plugins.platform.Availability: an X tombstone is
POST_DELETED, a private Telegram channel CHANNEL_PRIVATE, a removed YouTube video
VIDEO_UNAVAILABLE). An identity enriched without error means the platform shows the
content. Anything else (no adapter, an adapter that cannot tell, an adapter error such
as a timeout) leaves the link to the plain HTTP check.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from importlib.metadata import EntryPoint
from typing import Any

from tracer.errors import NetworkError
from tracer.http.client import HTTPClient
from tracer.linkrot.outcomes import PLATFORM_STATES, Outcome
from tracer.plugins.loader import PLATFORMS, build, installed
from tracer.plugins.platform import Availability, Identity, PlatformAdapter
from tracer.store.model import NodeStatus

log = logging.getLogger(__name__)

# an adapter's availability is the link-rot outcome of the same name
assert {Outcome(state.value) for state in Availability} == PLATFORM_STATES


def platform_of(url: str, adapters: Iterable[Any]) -> tuple[str, Any] | None:
    """The first adapter (not the generic web one) that knows `url`, with its identity."""
    for adapter in adapters:
        if adapter.name == "web":
            continue
        try:
            identity = adapter.parse(url)
        except Exception:
            continue
        if identity is not None:
            return adapter.name, identity
    return None


class PlatformStates:
    """Asks a link's platform adapter whether its content is still there."""

    def __init__(self, adapters: Iterable[Any] | None = None) -> None:
        """`adapters`, or None for the installed ones, each imported when a link of its
        platform first comes (a night of plain web links imports none of them)."""
        self.adapters: dict[str, Any] = {}
        self._installed: dict[str, EntryPoint] = {}
        if adapters is None:
            # an adapter registers under its platform's name
            self._installed = {
                name: entry for name, entry in installed(PLATFORMS).items() if name != "web"
            }
        else:
            self.adapters = {a.name: a for a in adapters if a.name != "web"}

    def handles(self, platform: str) -> bool:
        if platform not in self.adapters and platform in self._installed:
            adapter = build(self._installed.pop(platform), PlatformAdapter)
            if adapter is not None:
                self.adapters[adapter.name] = adapter
        return platform in self.adapters

    async def state(self, platform: str, url: str, http: HTTPClient) -> Outcome | None:
        adapter = self.adapters.get(platform)
        if adapter is None:
            return None
        try:
            identity = adapter.parse(url)
            if identity is None:
                return None
            identity = await adapter.enrich(identity, http)
        except NetworkError:
            return None
        except Exception as exc:  # an adapter bug must not cost the other links their check
            log.warning("platform adapter %s failed on %s: %s", platform, url, exc)
            return None
        return platform_state(identity)


def platform_state(identity: Identity) -> Outcome | None:
    """The platform state an enriched identity shows, ALIVE, or None when it cannot tell."""
    if identity.availability is not None:
        return Outcome(identity.availability.value)
    if identity.status == NodeStatus.RESOLVED and not identity.error:
        return Outcome.ALIVE
    return None
