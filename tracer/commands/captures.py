"""`tracer captures URL...`: archived copies of each URL, earliest first."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Annotated, Any

import typer

from tracer.api import captures
from tracer.commands.options import archive_names, date_option, json_flag, urls_argument
from tracer.errors import InputError
from tracer.locate.locator import (
    Located,
    load_archive_configs,
    select_archives,
)
from tracer.plugins.archive import ArchiveConfig, Memento, Window
from tracer.runtime import Runtime
from tracer.store.serialize import format_time


def register(parent: typer.Typer) -> None:
    parent.command("captures")(captures_command)


def parse_when(text: str, option: str) -> datetime:
    """A date or date-time given on the command line, in UTC unless it says otherwise."""
    value = text.strip()
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    try:
        if value.isdigit() and 4 <= len(value) <= 14:
            parsed = datetime.strptime(value.ljust(14, "0")[:14], "%Y%m%d%H%M%S")
        else:
            parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option} {text!r} is not a date (try 2024-07-28)") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def archives_asked(runtime: Runtime, archives: Sequence[str] = ()) -> list[ArchiveConfig]:
    """The archives a look-up asks: the named ones, else every enabled one."""
    return select_archives(load_archive_configs(runtime.settings), archives)


def unanswered(found: Sequence[Located], asked: int) -> list[str]:
    """The URLs no archive answered for: every archive asked failed (an archive that
    answered with no captures has answered)."""
    return [x.url for x in found if not x.captures and len(x.errors) >= asked > 0]


def _memento_json(memento: Memento) -> dict[str, Any]:
    return {
        "archive": memento.archive,
        "url": memento.url,
        "captured_at": format_time(memento.captured_at),
        "status": memento.status,
        "digest": memento.digest,
    }


def located_json(located: Located, earliest: bool = False) -> dict[str, Any]:
    """The contract's shape: {"url", "captures": [...], "errors": {archive: reason}}."""
    if earliest:
        first = located.earliest
        captures = [first] if first is not None else []
    else:
        captures = located.captures
    return {
        "url": located.url,
        "captures": [_memento_json(m) for m in captures],
        "errors": dict(sorted(located.errors.items())),
    }


def _render(located: Located, earliest: bool) -> list[str]:
    lines = [located.url]
    first = located.earliest
    if first is not None:
        lines.append(
            f"  first appearance: {format_time(first.captured_at)} in {first.archive}  {first.url}"
        )
    elif not located.captures:
        lines.append("  no captures found")
    if not earliest:
        by_archive: dict[str, list[Memento]] = {}
        for memento in located.captures:
            by_archive.setdefault(memento.archive, []).append(memento)
        for name in sorted(by_archive, key=lambda n: by_archive[n][0].captured_at):
            found = by_archive[name]
            stored = " (stored)" if name in located.stored else ""
            lines.append(f"  {name}: {len(found)} capture{'s' if len(found) != 1 else ''}{stored}")
            for memento in found:
                status = str(memento.status) if memento.status is not None else "-"
                lines.append(f"    {format_time(memento.captured_at)}  {status:>3}  {memento.url}")
    for name, reason in sorted(located.errors.items()):
        lines.append(f"  {name}: error: {reason}")
    return lines


def captures_command(
    ctx: typer.Context,
    urls: Annotated[list[str], urls_argument("URLs to look up.")],
    as_json: Annotated[bool, json_flag("Print JSON.")] = False,
    archive: Annotated[list[str] | None, archive_names()] = None,
    earliest: Annotated[
        bool, typer.Option("--earliest", help="Only the earliest 2xx capture of each URL.")
    ] = False,
    near: Annotated[
        str | None, date_option("--near", "The capture nearest DATE in each archive.")
    ] = None,
    since: Annotated[str | None, date_option("--from", "Captures from DATE on.")] = None,
    until: Annotated[str | None, date_option("--to", "Captures before DATE.")] = None,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Ask the archives even if stored answers are fresh.")
    ] = False,
) -> None:
    """Archived copies of each URL in public web archives, earliest first."""
    runtime: Runtime = ctx.obj
    window = None
    if since or until:
        window = Window(
            parse_when(since, "--from") if since else None,
            parse_when(until, "--to") if until else None,
        )
    when = parse_when(near, "--near") if near else None
    found = captures(
        urls, runtime=runtime, archives=archive or (), window=window, near=when, refresh=refresh
    )
    if as_json:
        typer.echo(json.dumps([located_json(x, earliest) for x in found], indent=2))
    else:
        for index, located in enumerate(found):
            if index:
                typer.echo("")
            typer.echo("\n".join(_render(located, earliest)))
    failed = unanswered(found, len(archives_asked(runtime, archive or ())))
    if failed:
        typer.echo(f"tracer: every archive failed for {', '.join(failed)}", err=True)
        raise typer.Exit(1)
