"""The command line's contract: versions, upgrades, exit codes and one-line errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tracer import __version__


def tracer(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tracer", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def test_version_and_help() -> None:
    assert tracer("--version").stdout.strip() == f"tracer {__version__}"
    result = tracer("--help")
    assert result.returncode == 0
    assert "db" in result.stdout


def test_db_upgrade_twice(database_url: str) -> None:
    for _ in range(2):
        result = tracer("--db", database_url, "db", "upgrade")
        assert result.returncode == 0, result.stderr
        assert "is at revision" in result.stdout
    assert "revision" in tracer("--db", database_url, "db", "status").stdout


def test_db_url_from_environment(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'env.db'}"
    assert tracer("db", "upgrade", env={"TRACER_DB_URL": url}).returncode == 0
    assert (tmp_path / "env.db").exists()


def test_embedded_default_lives_in_the_user_data_directory(tmp_path: Path) -> None:
    # the autouse fixture sets XDG_DATA_HOME to tmp_path / "data"
    assert tracer("db", "upgrade").returncode == 0
    assert (tmp_path / "data" / "tracer" / "tracer.db").exists()


def _one_line_error(result: subprocess.CompletedProcess[str], code: int = 2) -> str:
    assert result.returncode == code
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("tracer: error: ")
    assert "Traceback" not in result.stderr
    return lines[0]


def test_usage_errors_are_one_line() -> None:
    assert "No such command" in _one_line_error(tracer("frobnicate"))
    assert "No such option" in _one_line_error(tracer("db", "upgrade", "--nope"))


def test_bad_settings_are_one_line(tmp_path: Path) -> None:
    line = _one_line_error(tracer("db", "upgrade", env={"TRACER_HTTP__TIMEOUT": "soon"}))
    assert "http.timeout" in line
    broken = tmp_path / "broken.toml"
    broken.write_text("[database\n")
    assert "not valid TOML" in _one_line_error(tracer("--config", str(broken), "db", "upgrade"))


def test_bad_database_is_one_line_and_verbose_shows_the_traceback(tmp_path: Path) -> None:
    assert "not supported" in _one_line_error(tracer("--db", "mysql://x/y", "db", "upgrade"))
    unreachable = "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2"
    _one_line_error(tracer("--db", unreachable, "db", "upgrade"))
    verbose = tracer("-v", "--db", "mysql://x/y", "db", "upgrade")
    assert verbose.returncode == 2
    assert "Traceback" in verbose.stderr


def test_password_in_database_url_is_never_printed(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        return
    with_password = database_url.replace("postgres@", "postgres:s3cr3t-pass@")
    result = tracer("--db", with_password, "db", "upgrade")
    assert "s3cr3t-pass" not in result.stdout + result.stderr
