"""Shared fixtures: the fakeweb world, and the databases (and stores) the tests run on."""

from __future__ import annotations

import gc
import os
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tests.fakeweb import FakeWeb
from tracer.http.client import HTTPClient
from tracer.plugins.archive import ArchiveConfig
from tracer.settings import user_cache_dir
from tracer.store.upserts import Store

#: ../shared/real/ and ../shared/seeds/: real pages and responses, read in place
SHARED = Path(__file__).resolve().parents[2] / "shared"
REAL = SHARED / "real"
SEEDS = SHARED / "seeds"
POSTGRES_URL = os.environ.get("TRACER_TEST_DATABASE_URL")


@pytest.fixture(scope="session")
def _fakeweb_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeWeb]:
    with FakeWeb(tmp_path_factory.mktemp("fakeweb")) as web:
        yield web


@pytest.fixture
def fakeweb(_fakeweb_server: FakeWeb) -> Iterator[FakeWeb]:
    """The fakeweb server with an empty world; each test builds its own."""
    _fakeweb_server.reset()
    yield _fakeweb_server
    _fakeweb_server.reset()


@pytest.fixture
def http_limits(request: pytest.FixtureRequest) -> dict[str, Any]:
    """The HTTP settings `http` changes: the test module's `HTTP_LIMITS`, none where it sets
    none. A module that wants failures answered sooner sets them; a package may override
    this fixture for the default of its modules."""
    return getattr(request.module, "HTTP_LIMITS", {})


@pytest.fixture
async def http(fakeweb: FakeWeb, http_limits: dict[str, Any]) -> AsyncIterator[HTTPClient]:
    """An HTTP client whose every host is fakeweb, with the limits of `http_limits`."""
    async with fakeweb.client(**http_limits) as client:
        yield client


def fast_archive(config: ArchiveConfig, **changes: Any) -> ArchiveConfig:
    """An archive's real shape with limits fast enough for a test."""
    values: dict[str, Any] = {
        "requests_per_minute": 60000.0,
        "concurrency": 4,
        "penalty": 0.3,
        "timeout": 5.0,
    }
    values.update(changes)
    return replace(config, **values)


@pytest.fixture
def make_config() -> Callable[..., ArchiveConfig]:
    """Archive configs for the archive and locate tests: `make_config(config, **limits)`."""
    return fast_archive


@pytest.fixture
def steady_heap() -> Iterator[None]:
    """For tests that time requests at fakeweb in this process: fakeweb stamps arrivals
    on its own thread, and a full collection of the test process's heap (up to ~0.3 s late
    in a run) holds the GIL and so delays the stamp, not the request. Frozen objects are
    not scanned again, so the test's own collections stay short."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test's settings, database and cache out of the real user directories."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    for name in list(os.environ):
        if name.startswith("TRACER_") and name != "TRACER_TEST_DATABASE_URL":
            monkeypatch.delenv(name)


@pytest.fixture
def own_cache(_isolated_user_dirs: None) -> Path:
    """The test's own user cache folder (under the XDG_CACHE_HOME `_isolated_user_dirs`
    gives each test), where tracer keeps compiled patterns and parsed TOML files."""
    return user_cache_dir()


def _database_params() -> list[object]:
    params: list[object] = ["sqlite"]
    params.append(
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(
                not POSTGRES_URL, reason="TRACER_TEST_DATABASE_URL is not set"
            ),
        )
    )
    return params


@pytest.fixture(params=_database_params())
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database on each backend the run has."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'tracer.db'}"
        return
    assert POSTGRES_URL
    from sqlalchemy import create_engine, text

    from tracer.store.database import normalize_url

    # one schema per test, dropped afterwards, so tests never see each other's rows
    schema = f"t_{os.getpid()}_{abs(hash(request.node.nodeid)) % 10**8}"
    engine = create_engine(normalize_url(POSTGRES_URL))
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    yield f"{normalize_url(POSTGRES_URL)}{separator}options=-csearch_path%3D{schema}"
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    """A store on a fresh database of each backend, migrated as `tracer db upgrade` does
    (PostgreSQL is not upgraded by itself)."""
    opened = Store.open_upgraded(database_url)
    yield opened
    opened.close()


@pytest.fixture
def shared_database(database_url: str) -> None:
    """For tests of several workers sharing one database: skipped on SQLite, whose one
    writer cannot serve them, run on PostgreSQL."""
    if not database_url.startswith("postgresql"):
        pytest.skip("several workers share a PostgreSQL database")
