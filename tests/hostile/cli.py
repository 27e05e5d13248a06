"""The world of `tracer` run in a subprocess against fakeweb, as a night job would run it
(the runs themselves: tests.cli)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from tests import cli
from tests.fakeweb import FakeWeb
from tracer.store.database import normalize_url


def fakeweb_environment(web: FakeWeb, directory: Path, **extra: str) -> dict[str, str]:
    """The parent's environment without TRACER_* settings, plus fakeweb's: no cache, one
    attempt per request, and no archive asked unless `extra` turns one on."""
    from tests.fakeweb.hostile import archives_off

    return cli.environment(
        {
            **web.env(),
            "TRACER_CACHE__ENABLED": "false",
            "TRACER_HTTP__MAX_ATTEMPTS": "1",
            "TRACER_CHECK__ARCHIVE_MISSING": "false",
            "TRACER_PRESERVE__ARCHIVES": "[]",
            "TRACER_PRESERVE__SNAPSHOT_DIR": str(directory / "snapshots"),
            "TRACER_ARCHIVE_LIST": str(archives_off(directory / "archives.toml")),
            "TRACER_ARCHIVES__WAYBACK__ENABLED": "false",
            **extra,
        }
    )


def environment(web: FakeWeb, tmp_path: Path, **extra: str) -> dict[str, str]:
    """The fakeweb environment with fast timeouts, for the tests."""
    fast = {"TRACER_HTTP__TIMEOUT": "5", "TRACER_HTTP__TOTAL_TIMEOUT": "10"}
    return fakeweb_environment(web, tmp_path, **{**fast, **extra})


def ok_json(done: subprocess.CompletedProcess[str]) -> Any:
    assert done.returncode in (0, 1), done.stderr[-2000:]
    return json.loads(done.stdout)


def rows(db: str, query: str) -> list[tuple[Any, ...]]:
    engine = create_engine(normalize_url(db))
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(query)).all()]
    finally:
        engine.dispose()
