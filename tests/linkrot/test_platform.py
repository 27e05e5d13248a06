"""Platform links are asked of their adapter: a deleted post answers 200 on the web."""

from __future__ import annotations

from typing import ClassVar
from urllib.parse import urlsplit

import pytest

from tests.fakeweb import Response
from tests.fakeweb.linkrot import LinkWorld
from tests.linkrot.conftest import ManualClock
from tests.linkrot.helpers import outcomes, run_check, state_of
from tracer.http.client import HTTPClient
from tracer.linkrot.settings import CheckSettings
from tracer.linkrot.watchlist import watch
from tracer.plugins.platform import Availability, Identity, PlatformAdapter
from tracer.store.model import NodeKind, NodeStatus
from tracer.store.upserts import Store

#: post id -> what the fake platform says about it (None: it cannot tell)
STATES = {
    "1": "post-deleted",
    "2": "account-suspended",
    "3": "channel-private",
    "4": "video-unavailable",
    "5": "available",
    "6": None,
}


class FakeXAdapter:
    """Behaves like a platform adapter: parse offline, enrich from the platform."""

    name: ClassVar[str] = "x"

    def __init__(self) -> None:
        self.enriched: list[str] = []

    def parse(self, url: str) -> Identity | None:
        parts = urlsplit(url)
        if parts.hostname != "x.test":
            return None
        post = parts.path.rsplit("/", 1)[-1]
        return Identity("x", NodeKind.POST, f"https://x.test/user/status/{post}", url, post)

    async def enrich(self, identity: Identity, http: HTTPClient) -> Identity:
        assert identity.platform_id is not None
        self.enriched.append(identity.platform_id)
        state = STATES[identity.platform_id]
        if state is None:
            identity.status, identity.error = NodeStatus.ERROR, "syndication endpoint said 500"
        elif state == "available":
            identity.status = NodeStatus.RESOLVED
        else:
            identity.status = NodeStatus.RESOLVED
            identity.availability = Availability(state)
        return identity


async def test_platform_states_come_from_the_adapter(
    store: Store, world: LinkWorld, clock: ManualClock, check_settings: CheckSettings
) -> None:
    adapter = FakeXAdapter()
    assert isinstance(adapter, PlatformAdapter)
    # like X, the web answers 200 for every post, deleted or not
    world.web.add("x.test", lambda request: Response(200, "<html><body>X</body></html>"))
    urls = [f"https://x.test/user/status/{post}" for post in STATES]
    watched = watch(store, urls, [adapter], clock.now())
    assert {w.platform for w in watched} == {"x"}

    report = await run_check(store, world.web, check_settings, clock, adapters=[adapter])

    assert outcomes(report) == {
        urls[0]: "post-deleted",
        urls[1]: "account-suspended",
        urls[2]: "channel-private",
        urls[3]: "video-unavailable",
        urls[4]: "alive",
        # the adapter could not tell, so the web check decided: the page is the same as
        # for a path that cannot exist, which is all the web can say about such a post
        urls[5]: "soft-404",
    }
    # the web was asked only about the post the adapter could not tell about
    assert [r.path for r in world.web.seen("x.test") if "probe" not in r.path] == ["/user/status/6"]
    assert state_of(store, urls[0]).consecutive_failures == 1


async def test_the_x_adapter_tombstone_is_post_deleted(
    store: Store, world: LinkWorld, clock: ManualClock, check_settings: CheckSettings
) -> None:
    x = pytest.importorskip("adapters.platforms.x")
    from tests.fakeweb.x import TOMBSTONE_DELETED, TOMBSTONE_SUSPENDED, XWorld

    posts = XWorld()
    posts.tombstone("1817639424557035558", TOMBSTONE_DELETED)
    posts.tombstone("1817639424557035559", TOMBSTONE_SUSPENDED)
    posts.install(world.web)
    adapter = x.XAdapter()
    deleted = "https://twitter.com/Tendar/status/1817639424557035558"
    suspended = "https://x.com/someone/status/1817639424557035559"
    watch(store, [deleted, suspended], [adapter], clock.now())
    report = await run_check(store, world.web, check_settings, clock, adapters=[adapter])
    assert outcomes(report) == {deleted: "post-deleted", suspended: "account-suspended"}
