"""Running a check in-process against fakeweb, for the link-rot tests."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlmodel import col, select

from tests.fakeweb import FakeWeb
from tests.linkrot.conftest import ManualClock, UntrustedTLS, http_settings
from tracer.http import HTTPClient
from tracer.linkrot.report import Report
from tracer.linkrot.run import check_links
from tracer.linkrot.settings import CheckSettings
from tracer.linkrot.watchlist import watch
from tracer.model import Check, CheckState, Node
from tracer.settings import HTTPSettings
from tracer.store import Store


def add(store: Store, urls: Iterable[str], clock: ManualClock) -> None:
    watch(store, list(urls), [], clock.now())


async def run_check(
    store: Store,
    web: FakeWeb,
    settings: CheckSettings,
    clock: ManualClock,
    *,
    tls: UntrustedTLS | None = None,
    adapters: Iterable[Any] = (),
    limit: int | None = None,
    **http_overrides: Any,
) -> Report:
    options = http_settings(web, tls, **http_overrides)
    assert isinstance(options, HTTPSettings)
    async with HTTPClient(options, resolver=web.resolver) as http:
        return await check_links(
            store, http, settings, clock=clock, adapters=list(adapters), limit=limit
        )


def outcomes(report: Report) -> dict[str, str]:
    return {link["url"]: link["outcome"] for link in report.links()}


def state_of(store: Store, url: str) -> CheckState:
    with store.session() as session:
        node = session.exec(select(Node).where(col(Node.url) == url)).one()
        state = session.get(CheckState, node.id)
        assert state is not None
        return state


def history(store: Store, url: str) -> list[Check]:
    with store.session() as session:
        node = session.exec(select(Node).where(col(Node.url) == url)).one()
        return list(
            session.exec(
                select(Check).where(col(Check.node_id) == node.id).order_by(col(Check.id))
            ).all()
        )
