"""`tracer db ...`: the schema of the database."""

from __future__ import annotations

import typer
from sqlalchemy.engine import make_url

from tracer.runtime import Runtime
from tracer.store.database import create_database_engine, current_revision, head_revision, upgrade

app = typer.Typer(help="Manage the database schema.", no_args_is_help=True, rich_markup_mode=None)


def register(parent: typer.Typer) -> None:
    parent.add_typer(app, name="db")


def upgrade_database(runtime: Runtime) -> str | None:
    """Apply every migration to the configured database. Safe to run again."""
    engine = create_database_engine(runtime.database_url)
    try:
        return upgrade(engine)
    finally:
        engine.dispose()


@app.command("upgrade")
def upgrade_command(ctx: typer.Context) -> None:
    """Create or migrate the database schema to the newest revision."""
    runtime: Runtime = ctx.obj
    revision = upgrade_database(runtime)
    if not runtime.quiet:
        shown = make_url(runtime.database_url).render_as_string(hide_password=True)
        typer.echo(f"database {shown} is at revision {revision} (newest: {head_revision()})")


@app.command("status")
def status_command(ctx: typer.Context) -> None:
    """Show the schema revision of the database."""
    runtime: Runtime = ctx.obj
    engine = create_database_engine(runtime.database_url)
    try:
        current = current_revision(engine)
    finally:
        engine.dispose()
    typer.echo(f"revision {current or 'none'} (newest: {head_revision()})")
