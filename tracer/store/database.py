"""Opening the database: the embedded SQLite default or PostgreSQL by URL, and migrations.

SQLite gets WAL (readers never block the writer), foreign keys and a busy timeout on
every connection. PostgreSQL URLs are steered to psycopg 3 whatever driver they name.
The embedded database upgrades its own schema on first use; a shared PostgreSQL
database is upgraded explicitly with `tracer db upgrade`, since many workers may share it.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

from tracer.errors import StorageError
from tracer.settings import Settings, user_data_dir

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
#: the newest migration's revision. Every command opens the store, and asking alembic
#: (importing it, reading the migration scripts) costs more than a night's first checks;
#: a test keeps this equal to the head alembic finds in MIGRATIONS_DIR.
SCHEMA_REVISION = "0003"
#: the password of a URL's userinfo: scheme://user:PASSWORD@host (up to the last @)
_PASSWORD = re.compile(r"(://[^/?#@:]*:)[^/?#]*@")


def default_database_url() -> str:
    return f"sqlite:///{user_data_dir() / 'tracer.db'}"


def database_url(settings: Settings) -> str:
    return settings.database.url or default_database_url()


def normalize_url(url: str) -> str:
    """Accept the URL spellings users paste (postgres://, postgresql://) and use psycopg 3."""
    for prefix in ("postgres://", "postgresql://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def masked_url(url: str) -> str:
    """`url` with any password replaced by ***, even when the URL does not parse:
    error lines end up in cron mail and CI logs."""
    return _PASSWORD.sub(r"\1***@", url)


#: seconds a first open waits for another process creating the same SQLite file
LOCKED_WAIT = 30.0


def insert_for(bind: Engine | Connection) -> Any:
    """The dialect's INSERT construct, the one that knows ON CONFLICT (PostgreSQL's or
    SQLite's). The dialects are imported here, on first use: importing PostgreSQL's costs
    a command that only opens SQLite a noticeable share of its start."""
    if bind.dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert
    from sqlalchemy.dialects import sqlite

    return sqlite.insert


def insert_or_ignore(bind: Engine | Connection, table: Any) -> Any:
    """An INSERT of `table` that leaves a row already there alone (ON CONFLICT DO NOTHING)."""
    return insert_for(bind)(table).on_conflict_do_nothing()


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_database_engine(url: str) -> Engine:
    """An engine for `url`; creates the SQLite file's directory when needed."""
    url = normalize_url(url)
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise StorageError(f"database URL {masked_url(url)!r} is not a valid URL") from None
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            try:
                Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StorageError(f"cannot create the directory of {database}: {exc}") from None
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() != "postgresql":
        raise StorageError(
            f"database backend {parsed.get_backend_name()!r} is not supported (use sqlite or postgresql)"
        )
    try:
        return create_engine(url, pool_pre_ping=True)
    except (SQLAlchemyError, ImportError) as exc:
        raise StorageError(f"cannot use database {parsed.render_as_string()}: {exc}") from None


def _alembic_config() -> Any:
    from alembic.config import Config  # alembic is imported only to migrate

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str | None:
    """The newest revision among the migration scripts, as alembic reads them."""
    from alembic.script import ScriptDirectory

    head: str | None = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (alembic's version table), None when unversioned."""
    # A new SQLite file that another process is turning to WAL and migrating can answer
    # "database is locked" at once, without the busy timeout's wait: wait here instead.
    deadline = time.monotonic() + LOCKED_WAIT
    while True:
        try:
            with engine.connect() as connection:
                if not inspect(connection).has_table("alembic_version"):
                    return None
                return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except OperationalError as exc:
            if "locked" in str(exc) and time.monotonic() < deadline:
                time.sleep(0.05)
                continue
            raise StorageError(
                f"cannot open the database {_where(engine)}: {_first_line(exc)}"
            ) from None
        except SQLAlchemyError as exc:  # also a file that is not a database at all
            raise StorageError(
                f"cannot open the database {_where(engine)}: {_first_line(exc)}"
            ) from None


def _where(engine: Engine) -> str:
    return masked_url(engine.url.render_as_string(hide_password=False))


def upgrade(engine: Engine, revision: str = "head") -> str | None:
    """Apply migrations up to `revision`; safe to run again. Returns the new revision.

    All of it is one transaction, so a migration killed halfway leaves the schema as it
    was, and a second process upgrading at the same moment waits, then finds nothing to
    do (see _one_transaction).
    """
    from alembic import command

    config = _alembic_config()
    try:
        with engine.connect() as connection, _one_transaction(connection):
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    except SQLAlchemyError as exc:
        raise StorageError(f"cannot upgrade the database: {_first_line(exc)}") from None
    return current_revision(engine)


@contextmanager
def _one_transaction(connection: Connection) -> Iterator[None]:
    """Hold one transaction around the block; on SQLite a write transaction from the start.

    Python's sqlite3 opens its implicit transactions only before INSERT, UPDATE and
    DELETE: each CREATE TABLE of a migration committed on its own, and a kill between
    two of them left tables without a schema version, which no later upgrade could get
    past ("table ... already exists"). SQLite's DDL is transactional when asked: the
    driver is told to leave this connection's transactions to us, and BEGIN IMMEDIATE
    takes the write lock before alembic reads the version, so a second process waits.
    """
    if not is_sqlite(connection.engine):
        with connection.begin():
            yield
        return
    driver = connection.connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    implicit = driver.isolation_level
    driver.isolation_level = None  # no implicit BEGIN or COMMIT from the driver
    try:
        # alembic finds the transaction open and runs every migration inside it
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        yield
    except BaseException:
        if driver.in_transaction:
            driver.rollback()
        raise
    else:
        driver.commit()
    finally:
        connection.rollback()  # SQLAlchemy's own bookkeeping; the driver has ended it
        driver.isolation_level = implicit


#: alembic's own table, as alembic creates it
_VERSION_TABLE = (
    "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
    "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
)


def create_fresh(engine: Engine) -> bool:
    """Create the newest schema in an empty SQLite database from the models, stamped
    with SCHEMA_REVISION; False (nothing done) when the database holds any table.

    Alembic's documented way to start a new database at head. Importing alembic and
    running every migration took an eighth of a second of a newcomer's first command;
    a test keeps the schema made here equal to the one the migrations make.
    """
    from sqlmodel import SQLModel

    import tracer.store.model  # noqa: F401  (every table is declared on SQLModel.metadata)

    with engine.connect() as connection, _one_transaction(connection):
        # checked under the write lock: another process may have made it meanwhile
        if inspect(connection).get_table_names():
            return False
        SQLModel.metadata.create_all(connection)
        connection.execute(text(_VERSION_TABLE))
        connection.execute(
            text("INSERT INTO alembic_version (version_num) VALUES (:revision)"),
            {"revision": SCHEMA_REVISION},
        )
    return True


def ensure_schema(engine: Engine) -> None:
    """Bring SQLite up to date by itself; ask for `tracer db upgrade` on PostgreSQL."""
    current = current_revision(engine)
    if current == SCHEMA_REVISION:
        return
    if is_sqlite(engine):
        if current is None and create_fresh(engine):
            return
        upgrade(engine)
        return
    raise StorageError(
        f"the database schema is at {current or 'nothing'}, not {SCHEMA_REVISION}: "
        "run `tracer db upgrade` first"
    )


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__
