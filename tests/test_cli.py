"""The command line's contract: versions, upgrades, exit codes and one-line errors."""

from __future__ import annotations

import contextlib
import subprocess
from pathlib import Path

import pytest

from tests.cli import start, tracer
from tracer import __version__


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


def test_a_file_that_is_not_a_database_is_one_line_and_left_alone(tmp_path: Path) -> None:
    notes = tmp_path / "notes.db"
    notes.write_bytes(b"my notes, not a database\n" * 100)
    db = f"sqlite:///{notes}"
    for args in (("db", "upgrade"), ("show", "n1"), ("trace", "--offline", "-")):
        line = _one_line_error(tracer("--db", db, *args))
        assert "file is not a database" in line, args
    assert notes.read_bytes() == b"my notes, not a database\n" * 100


def test_an_interrupt_is_exit_2_and_one_line(tmp_path: Path) -> None:
    import signal
    import time

    process = start(
        "trace",
        "-",
        db=f"sqlite:///{tmp_path / 't.db'}",
        stdin=subprocess.PIPE,
        stdout=None,
        # a shell's background job ignores SIGINT, and its children inherit that
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    # wait until it blocks reading stdin (Linux: syscall 0 is read, on fd 0)
    syscall = Path(f"/proc/{process.pid}/syscall")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if syscall.read_text().startswith("0 0x0 "):
                break
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 2
    assert stderr.strip().splitlines() == ["tracer: error: interrupted"]


def test_an_internal_error_is_exit_2_and_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tracer import cli

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug\nwith a second line")

    monkeypatch.setattr(cli, "load_commands", broken)
    assert cli.main(["db", "status"]) == 2
    assert capsys.readouterr().err == (
        "tracer: error: internal error (RuntimeError: a bug); run with -v for details\n"
    )


def test_help_names_values_and_suggests_only_what_is_close() -> None:
    for command in ("", "trace", "show", "export", "captures", "archive", "resolve", "watch"):
        result = tracer(*command.split(), "--help")
        assert result.returncode == 0
        assert "<" not in result.stdout, (command, result.stdout)
    assert "--keywords WORD" in tracer("trace", "--help").stdout
    line = _one_line_error(tracer("trace", "--bogus", "x"))
    assert "Possible options" not in line and "did you mean" not in line
    assert "--offline?" in _one_line_error(tracer("trace", "--ofline", "x"))


def test_the_help_list_matches_each_command(capsys: pytest.CaptureFixture[str]) -> None:
    from tracer.cli import COMMANDS, app, main

    for name, (_, line) in COMMANDS.items():
        assert main([name, "--help"]) == 0
        assert " ".join(line.split()) in " ".join(capsys.readouterr().out.split()), name
    assert app.info.help


def test_trace_out_says_what_it_wrote(tmp_path: Path) -> None:
    out = tmp_path / "chain.json"
    article = (
        Path(__file__).resolve().parents[1] / "examples" / "harbour-ledger-grain-terminal.html"
    )
    db = f"sqlite:///{tmp_path / 't.db'}"
    result = tracer("--db", db, "trace", "--offline", str(article), "-f", "json", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"wrote {out} (json, ") and out.is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "--format", "bogus"], "unknown format 'bogus'"),
        (["export", "--format", "csv"], "csv has two tables"),
        (["watch", "--from", "/nonexistent/links.csv"], "/nonexistent/links.csv does not exist"),
        (["resolve", "notaurl"], "not a URL: 'notaurl'"),
        (["resolve", "ftp://x"], "not a web URL"),
        (["captures", "--near", "tomorrow", "http://a.example/"], "is not a date"),
        (["show", "n999999"], "no stored node with id n999999"),
        (["show"], "Missing argument 'URL|ID'"),
        (["trace"], "Missing argument 'SOURCE'"),
        (["archive", "ftp://x"], "not a web URL"),
        (["--config", "/nonexistent.toml", "db", "status"], "does not exist"),
        (["frobnicate"], "No such command 'frobnicate'"),
    ],
)
def test_every_user_error_is_exit_2_and_one_line(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tracer.cli import main

    assert main(["--db", f"sqlite:///{tmp_path / 't.db'}", *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("tracer: error: ") and message in err, err
