"""Fixtures of the link-rot suite: a world that changes by day and a clock that follows it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from tests.fakeweb import FakeWeb
from tests.fakeweb.linkrot import LinkWorld
from tracer.http.settings import HTTPSettings
from tracer.linkrot.settings import CheckSettings

START = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)


@dataclass
class ManualClock:
    """A clock tests move by hand; `world` (when given) moves to the same day."""

    at: datetime = START
    world: LinkWorld | None = field(default=None, repr=False)

    def now(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)
        if self.world is not None:
            self.world.day = (self.at - START).days


@pytest.fixture
def world(fakeweb: FakeWeb) -> LinkWorld:
    return LinkWorld(fakeweb).install()


@pytest.fixture
def clock(world: LinkWorld) -> ManualClock:
    return ManualClock(world=world)


@pytest.fixture
def check_settings() -> CheckSettings:
    return CheckSettings(
        archive_missing=False, availability_url="https://archive.org/wayback/available"
    )


@dataclass
class UntrustedTLS:
    """A TLS server whose certificate no configured authority signed: a tls-error host."""

    port: int


@pytest.fixture
def untrusted_tls() -> Iterator[UntrustedTLS]:
    import socket
    import ssl
    import threading

    import trustme

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    trustme.CA().issue_cert("tls.test").configure_cert(context)
    listener = socket.create_server(("127.0.0.1", 0))
    stopping = threading.Event()

    def serve() -> None:
        listener.settimeout(0.2)
        while not stopping.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                continue
            try:
                with context.wrap_socket(connection, server_side=True):
                    pass
            except (OSError, ssl.SSLError):
                pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield UntrustedTLS(listener.getsockname()[1])
    stopping.set()
    thread.join(2)
    listener.close()


def http_settings(
    web: FakeWeb, tls: UntrustedTLS | None = None, **overrides: object
) -> HTTPSettings:
    """Settings reaching fakeweb only: unknown hosts fail DNS, one try per request."""
    connect_to = web.connect_to(catch_all=False)
    if tls is not None:
        connect_to["tls.test:443"] = f"127.0.0.1:{tls.port}"
    values: dict[str, object] = {
        "connect_to": connect_to,
        "max_attempts": 1,
        "timeout": 1.0,
        "total_timeout": 1.5,
        "max_concurrency": 32,
    }
    values.update(overrides)
    return web.http_settings(catch_all=False, **values)
