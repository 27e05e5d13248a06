"""Fixtures of the preservation tests: a store, an HTTP client into fakeweb, fast limits."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tracer.preservation.settings import PreserveSettings
from tracer.store.database import create_database_engine, upgrade
from tracer.store.upserts import Store

ACCESS, SECRET = "AKEY7q2Zr9", "SKEYx81Lp4"


def fast_settings(tmp_path: Path, **overrides: Any) -> PreserveSettings:
    """Preserve settings that keep every behaviour but wait milliseconds, not minutes."""
    wayback = {
        "captures_per_minute": 60000,
        "anonymous_captures_per_minute": 60000,
        "poll_interval": 0.01,
        "job_timeout": 2.0,
        "retry_after_default": 0.2,
        **overrides.pop("wayback", {}),
    }
    archive_today = {"interval": 0.0, "job_timeout": 2.0, **overrides.pop("archive_today", {})}
    values: dict[str, Any] = {
        "snapshot_dir": str(tmp_path / "snapshots"),
        "wayback": wayback,
        "archive_today": archive_today,
        **overrides,
    }
    return PreserveSettings.model_validate(values)


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    """A fresh store on SQLite, and on PostgreSQL when the run has one."""
    engine = create_database_engine(database_url)
    upgrade(engine)  # PostgreSQL is migrated by `tracer db upgrade`, as a user would
    engine.dispose()
    opened = Store.open(database_url)
    yield opened
    opened.close()
