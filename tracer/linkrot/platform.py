"""Platform states (post-deleted, account-suspended, ...) told by the platform adapters.

A deleted tweet's URL still answers 200, so for a platform's links the adapter is asked
first. The contract with adapters is small: after `enrich`, an identity whose content is
gone carries `attributes["availability"]` set to one of the platform-state words; the
built-in adapters' own signs are read too (X: a TweetTombstone from the syndication
endpoint, `unavailable: tombstone`, is "post-deleted"; t.me's "post not found"; YouTube's
"video is private"). An identity enriched without error means the platform shows the
content. Anything else (no adapter, an adapter that cannot tell, an adapter error such
as a timeout) leaves the link to the plain HTTP check.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from tracer.errors import NetworkError
from tracer.http.client import HTTPClient
from tracer.linkrot.outcomes import PLATFORM_STATES, Outcome
from tracer.plugins.platform import ENTRY_POINT_GROUP, PlatformAdapter
from tracer.store.model import NodeStatus

log = logging.getLogger(__name__)


def _load(entry: EntryPoint) -> PlatformAdapter | None:
    try:
        adapter = entry.load()()
    except Exception as exc:  # a third-party adapter must not stop the nightly run
        log.debug("platform adapter %s not loaded: %s", entry.name, exc)
        return None
    return adapter if isinstance(adapter, PlatformAdapter) else None


def installed_adapters() -> list[PlatformAdapter]:
    """Every platform adapter that loads; one that is broken or missing is skipped."""
    found = [a for a in map(_load, entry_points(group=ENTRY_POINT_GROUP)) if a is not None]
    found.sort(key=lambda adapter: adapter.name == "web")
    return found


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
                entry.name: entry
                for entry in entry_points(group=ENTRY_POINT_GROUP)
                if entry.name != "web"
            }
        else:
            self.adapters = {a.name: a for a in adapters if a.name != "web"}

    def handles(self, platform: str) -> bool:
        if platform not in self.adapters and platform in self._installed:
            adapter = _load(self._installed.pop(platform))
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


#: what the built-in adapters leave in `attributes["unavailable"]` (X)
_UNAVAILABLE = {
    "tombstone": Outcome.POST_DELETED,
    "not_found": Outcome.POST_DELETED,
    "forbidden": Outcome.ACCOUNT_SUSPENDED,  # oEmbed 403: protected or suspended
}
#: reasons the built-in adapters give in `error`, most specific first
_REASONS = (
    ("suspended account", Outcome.ACCOUNT_SUSPENDED),
    ("account is suspended", Outcome.ACCOUNT_SUSPENDED),
    ("post not found on t.me", Outcome.POST_DELETED),
    ("the video is private", Outcome.VIDEO_UNAVAILABLE),
    ("the video does not exist or was removed", Outcome.VIDEO_UNAVAILABLE),
    ("the channel does not exist or was removed", Outcome.ACCOUNT_SUSPENDED),
)


def platform_state(identity: Any) -> Outcome | None:
    """The platform state an enriched identity shows, ALIVE, or None when it cannot tell."""
    attributes = identity.attributes or {}
    said = attributes.get("availability")
    if said in PLATFORM_STATES:
        return Outcome(said)
    error = (identity.error or "").lower()
    for word in PLATFORM_STATES:
        if word in error:
            return Outcome(word)
    for phrase, outcome in _REASONS:
        if phrase in error:
            return outcome
    if attributes.get("unavailable") in _UNAVAILABLE:
        return _UNAVAILABLE[attributes["unavailable"]]
    if attributes.get("private") is True:
        return Outcome.CHANNEL_PRIVATE  # a private Telegram channel: no public page to check
    if identity.status == NodeStatus.RESOLVED and not identity.error:
        return Outcome.ALIVE
    return None
