"""`tracer watch URL... | --from FILE`: add URLs to the link-rot watch list."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from tracer.commands.options import file_option, json_flag, urls_argument
from tracer.errors import InputError
from tracer.linkrot.clock import SystemClock
from tracer.linkrot.watchlist import read_watch_file, watch
from tracer.plugins.installed import platform_adapters
from tracer.runtime import Runtime


def register(app: typer.Typer) -> None:
    app.command("watch")(watch_command)


def watch_command(
    ctx: typer.Context,
    urls: Annotated[list[str] | None, urls_argument("URLs to watch.")] = None,
    from_file: Annotated[
        Path | None,
        file_option("--from", help="A file of URLs: one a line, or CSV with a url column."),
    ] = None,
    as_json: Annotated[bool, json_flag("Print the watched links as JSON.")] = False,
) -> None:
    """Add URLs to the link-rot watch list; `tracer check` checks them from now on."""
    runtime: Runtime = ctx.obj
    wanted = list(urls or [])
    if from_file is not None:
        wanted += read_watch_file(from_file)
    if not wanted:
        raise InputError("give URLs to watch, or --from FILE")
    watched = watch(runtime.store, wanted, platform_adapters(), SystemClock().now())
    if as_json:
        typer.echo(
            json.dumps(
                [
                    {"url": w.url, "id": f"n{w.node_id}", "platform": w.platform, "new": w.new}
                    for w in watched
                ]
            )
        )
    elif not runtime.quiet:
        new = sum(1 for w in watched if w.new)
        typer.echo(f"watching {len(watched)} links ({new} newly added)")
