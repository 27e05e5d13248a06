"""Running `tracer` in a subprocess against fakeweb, as a night job would run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from tests.fakeweb import FakeWeb
from tracer.store.database import normalize_url

ROOT = Path(__file__).resolve().parents[2]


def fakeweb_environment(web: FakeWeb, directory: Path, **extra: str) -> dict[str, str]:
    """The parent's environment without TRACER_* settings, plus fakeweb's: no cache, one
    attempt per request, and no archive asked unless `extra` turns one on."""
    from tests.fakeweb.hostile import archives_off

    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACER_")}
    env.update(web.env())
    env.update(
        {
            "TRACER_CACHE__ENABLED": "false",
            "TRACER_HTTP__MAX_ATTEMPTS": "1",
            "TRACER_CHECK__ARCHIVE_MISSING": "false",
            "TRACER_PRESERVE__ARCHIVES": "[]",
            "TRACER_PRESERVE__SNAPSHOT_DIR": str(directory / "snapshots"),
            "TRACER_ARCHIVE_LIST": str(archives_off(directory / "archives.toml")),
            "TRACER_ARCHIVES__WAYBACK__ENABLED": "false",
        }
    )
    env.update(extra)
    return env


def environment(web: FakeWeb, tmp_path: Path, **extra: str) -> dict[str, str]:
    """The fakeweb environment with fast timeouts, for the tests."""
    fast = {"TRACER_HTTP__TIMEOUT": "5", "TRACER_HTTP__TOTAL_TIMEOUT": "10"}
    return fakeweb_environment(web, tmp_path, **{**fast, **extra})


def command(db: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "tracer.cli", "--db", db, *args]


def run(
    db: str, *args: str, env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command(db, *args), env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


def start(
    db: str, *args: str, env: dict[str, str], log: Path | None = None
) -> subprocess.Popen[str]:
    sink: Any = log.open("w") if log is not None else subprocess.DEVNULL
    return subprocess.Popen(
        command(db, *args), env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=sink, text=True
    )


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
