"""Secrets never leave: archive access keys and database passwords appear in no output,
log (-v), error, report, export, snapshot or stored row of a run that used them.

Every command of a night is run with both secrets set, with -v, and every byte it wrote
(stdout, stderr, report files, exports, WARCs, the database's rows) is searched.
"""

from __future__ import annotations

import gzip
import subprocess
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.cli import tracer
from tests.conftest import POSTGRES_URL
from tests.fakeweb import FakeWeb
from tests.fakeweb.hostile import article
from tests.fakeweb.save import WAYBACK, FakeArchiveToday, FakeWayback
from tests.hostile.cli import environment, rows

ACCESS = "AKhostile7c1f0a"
SECRET = "SKhostile9d2e4b"
PASSWORD = "pwHostile5e8a"
SECRETS = (ACCESS, SECRET, PASSWORD)
ROOT = "https://news.example/2024/07/29/keys"


def _leaks(text: str | bytes) -> list[str]:
    data = text if isinstance(text, str) else text.decode("utf-8", "replace")
    return [secret for secret in SECRETS if secret in data]


def _with_password(url: str, password: str = PASSWORD) -> str:
    return make_url(url).set(password=password).render_as_string(hide_password=False)


def _night(db: str, web: FakeWeb, tmp_path: Path) -> list[subprocess.CompletedProcess[str]]:
    """Every command of a night's work, with both secrets in the environment, -v."""
    FakeWayback(keys=(ACCESS, SECRET)).install(web)
    FakeArchiveToday().install(web)
    source = "https://ministry.example/statement"
    web.page(source, article(source, "Statement", ["The figures."]))
    web.page(ROOT, article(ROOT, "Keys", [f'The ministry <a href="{source}">said so</a> today.']))
    env = environment(
        web,
        tmp_path,
        TRACER_PRESERVE__ARCHIVES='["wayback", "archive_today"]',
        TRACER_PRESERVE__WAYBACK__ACCESS_KEY=ACCESS,
        TRACER_PRESERVE__WAYBACK__SECRET_KEY=SECRET,
        TRACER_PRESERVE__WAYBACK__CAPTURES_PER_MINUTE="60000",
        TRACER_PRESERVE__WAYBACK__POLL_INTERVAL="0.01",
        TRACER_PRESERVE__ARCHIVE_TODAY__INTERVAL="0",
    )
    out = tmp_path / "out"
    out.mkdir()
    steps = [
        ["-v", "db", "upgrade"],
        ["-v", "trace", ROOT, "--archive", "--format", "json"],
        ["-vv", "trace", ROOT, "--format", "md", "--out", str(out / "chain.md")],
        ["-v", "archive", "--pending", "--json"],
        ["-v", "archive", source],
        ["-v", "watch", source],
        ["-v", "check", "--json", "--report", str(out / "report.json")],
        ["-v", "check", "--report", str(out / "report.md")],
        ["-v", "show", ROOT, "--format", "html"],
        ["-v", "export", "--warc", str(out / "all.warc.gz")],
    ]
    steps += [
        ["-v", "export", "--format", f, "--out", str(out / f"export.{f}")]
        for f in ("jsonl", "csv", "graphml", "prov-json", "prov-n", "html", "json")
    ]
    done = [tracer(*step, db=db, env=env) for step in steps]
    # and a bad value in the keys' own section: the error must not echo the section
    env["TRACER_PRESERVE__WAYBACK__POLL_INTERVAL"] = "often"
    done.append(tracer("-v", "archive", source, db=db, env=env))
    assert done[-1].returncode == 2
    assert any(r.path == "/save" for r in web.seen(WAYBACK)), "the keys were used"
    return done


def _files_leak(directory: Path) -> list[str]:
    found = []
    for path in directory.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".gz":
                data = gzip.decompress(data)
            found += [f"{path.name}: {s}" for s in _leaks(data)]
    return found


def _rows_leak(db: str) -> list[str]:
    found = []
    for table in ("node", "edge", "capture", "archive_attempt", "snapshot", '"check"', "trace"):
        for row in rows(db, f"SELECT * FROM {table}"):
            found += [f"{table}: {s}" for s in _leaks(repr(row))]
    return found


def _assert_a_night_leaks_nothing(db: str, fakeweb: FakeWeb, tmp_path: Path) -> None:
    """A night's commands on `db` run, and no secret shows in their output, the files they
    wrote or the rows they stored."""
    done = _night(db, fakeweb, tmp_path)
    assert all(d.returncode in (0, 1) for d in done[:-1]), [d.stderr[-500:] for d in done]
    for step in done:
        assert _leaks(step.stdout) == [] and _leaks(step.stderr) == [], step.args
    assert _files_leak(tmp_path) == []
    assert _rows_leak(db) == []


def test_archive_keys_never_leave(fakeweb: FakeWeb, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'tracer.db'}"
    _assert_a_night_leaks_nothing(db, fakeweb, tmp_path)


@pytest.mark.skipif(not POSTGRES_URL, reason="TRACER_TEST_DATABASE_URL is not set")
def test_database_password_never_leaves(
    fakeweb: FakeWeb, tmp_path: Path, database_url: str
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("a password belongs to a PostgreSQL URL")
    # trust authentication ignores the password, so the URL carrying it works
    db = _with_password(database_url)
    assert PASSWORD in db
    _assert_a_night_leaks_nothing(db, fakeweb, tmp_path)


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://postgres:{pw}@127.0.0.1:1/test",  # nothing listens
        "postgresql+psycopg://postgres:{pw}@127.0.0.1:notaport/test",  # no port
        "postgresql+psycopg://postgres:{pw}@[::1/test",  # broken IPv6 literal
        "postgres://postgres:{pw}@127.0.0.1:5432/test?sslmode=bogus",
        "postgresql+nodriver://postgres:{pw}@127.0.0.1/test",
        "mysql://root:{pw}@127.0.0.1/test",
    ],
)
def test_failing_connections_never_show_the_password(
    url: str, fakeweb: FakeWeb, tmp_path: Path
) -> None:
    env = environment(fakeweb, tmp_path)
    # with -v (tracebacks) and without (the one line a cron mail shows)
    for args in (["-v", "db", "upgrade"], ["check", "--json"]):
        done = tracer(*args, db=url.format(pw=PASSWORD), env=env, timeout=60)
        assert done.returncode == 2, done.stderr
        assert "internal error" not in done.stderr
        assert _leaks(done.stdout + done.stderr) == [], done.stderr
        if "-v" not in args:
            assert done.stderr.count("\n") == 1
