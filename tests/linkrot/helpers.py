"""Running a check in-process against fakeweb, for the link-rot tests."""

from __future__ import annotations

import subprocess
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from adapters.archives.wayback import WaybackArchive
from tests.cli import start
from tests.fakeweb import FakeWeb
from tests.linkrot.conftest import ManualClock, UntrustedTLS, http_settings
from tracer.http.client import HTTPClient
from tracer.linkrot.report import Report
from tracer.linkrot.scheduling.lookups import LookupArchive, lookup_archive
from tracer.linkrot.scheduling.run import check_links
from tracer.linkrot.settings import CheckSettings
from tracer.linkrot.watchlist import watch
from tracer.store.model import Check, CheckState, Node
from tracer.store.upserts import Store


def tracer_process(db: str, web: FakeWeb, *args: str, **env: str) -> subprocess.Popen[str]:
    """`tracer --db DB ARGS...` in a process of its own that sees `web`, one try per request."""
    return start(*args, db=db, env=web.env(TRACER_HTTP__MAX_ATTEMPTS="1", **env))


def running(pid: int) -> bool:
    """Whether process `pid` is still running: a zombie has exited, and only its entry
    waits for a parent that reaps it."""
    stat = Path(f"/proc/{pid}/stat")
    try:
        return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:  # gone, entry and all
        return False


def add(store: Store, urls: Iterable[str], clock: ManualClock) -> None:
    watch(store, list(urls), [], clock.now())


def wayback(settings: CheckSettings, per_minute: float = 6000.0) -> LookupArchive:
    """The Wayback Machine of the archive list at `per_minute` requests a minute (the real
    pace, 24, would make each look-up of a test wait 2.5 s)."""
    config = replace(
        WaybackArchive.default_config(), requests_per_minute=per_minute, max_attempts=1
    )
    return lookup_archive(settings, {"wayback": config})


@asynccontextmanager
async def link_client(
    web: FakeWeb, tls: UntrustedTLS | None = None, **http_overrides: Any
) -> AsyncIterator[HTTPClient]:
    """A client of the suite's `http_settings`: fakeweb only, one try per request."""
    async with HTTPClient(http_settings(web, tls, **http_overrides), resolver=web.resolver) as http:
        yield http


async def run_check(
    store: Store,
    web: FakeWeb,
    settings: CheckSettings,
    clock: ManualClock,
    *,
    tls: UntrustedTLS | None = None,
    adapters: Iterable[Any] = (),
    limit: int | None = None,
    archive: LookupArchive | None = None,
    **http_overrides: Any,
) -> Report:
    async with link_client(web, tls, **http_overrides) as http:
        return await check_links(
            store,
            http,
            settings,
            clock=clock,
            adapters=list(adapters),
            limit=limit,
            archive=archive or wayback(settings),
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
