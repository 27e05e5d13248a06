"""`tracer resolve URL...`: the identity and first appearance of each URL."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from tracer.api import resolve
from tracer.commands.options import date_option, json_flag, urls_argument
from tracer.errors import InputError
from tracer.identity.resolver import identity_node, parse
from tracer.plugins.platform import Identity
from tracer.runtime import Runtime
from tracer.sourcesearch.channel_history import ChannelSearch, search_channel
from tracer.store.readmodel import ChainNode
from tracer.store.serialize import format_time

#: a Telegram username as people type it
USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{3,31}")


def register(parent: typer.Typer) -> None:
    parent.command("resolve")(resolve_command)
    parent.command("search-channel")(search_channel_command)


def identity_json(identity: Identity, node_id: int | None = None) -> dict[str, Any]:
    """The contract's node object for a freshly resolved identity, plus what it points at."""
    node = identity_node(identity)
    node.id = node_id
    data = ChainNode.of(node).to_json()
    if identity.related:
        data["related"] = [
            {
                "relation": str(r.relation),
                "canonical_url": r.identity.canonical_url,
                "name": r.identity.name,
                "evidence": r.evidence,
            }
            for r in identity.related
        ]
    return data


def _appearance(identity: Identity) -> str:
    when = format_time(identity.published_at, identity.precision)
    if when is None:
        return ""
    return f"{when}\n{identity.published_at_method} ({identity.precision})"


def _who(identity: Identity) -> str:
    parts = []
    if identity.handle:
        parts.append(f"@{identity.handle}")
    author = identity.attributes.get("author") or identity.attributes.get("publisher")
    if identity.name and identity.kind != "article":
        parts.append(identity.name)
    elif author:
        parts.append(str(author))
    return "\n".join(parts)


def _table(identities: list[Identity]) -> Table:
    table = Table(show_lines=True)
    for column in (
        "platform",
        "kind",
        "canonical URL",
        "id",
        "handle / author",
        "first appearance",
        "status",
    ):
        table.add_column(column, overflow="fold")
    for identity in identities:
        status = str(identity.status)
        if identity.error:
            status += f": {identity.error}"
        for related in identity.related:
            status += f"\n{related.relation} {related.identity.canonical_url}"
        table.add_row(
            identity.platform,
            str(identity.kind),
            identity.canonical_url,
            identity.platform_id or "",
            _who(identity),
            _appearance(identity),
            status,
        )
    return table


def resolve_command(
    ctx: typer.Context,
    urls: Annotated[list[str], urls_argument("URLs to resolve.")],
    offline: Annotated[
        bool, typer.Option("--offline", help="From the URLs alone; no network.")
    ] = False,
    as_json: Annotated[bool, json_flag("An array of node objects, in input order.")] = False,
) -> None:
    """Identity, canonical URL and first appearance of each URL."""
    runtime: Runtime = ctx.obj
    resolved = resolve(urls, runtime=runtime, offline=offline)
    identities = [identity for identity, _node_id in resolved]
    if as_json:
        payload = [identity_json(identity, node_id) for identity, node_id in resolved]
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    console = Console()
    if not console.is_terminal:
        console = Console(width=max(console.width, 200))  # piped output: keep URLs whole
    console.print(_table(identities))


def _day(value: str | None, end: bool) -> datetime | None:
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"not a date: {value!r} (use YYYY-MM-DD or an ISO 8601 time)") from None
    when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    if end and len(value.strip()) == 10:
        when += timedelta(days=1, microseconds=-1)  # a whole day, to its last instant
    return when


def channel_handle(channel: str) -> str:
    """`grey_zone`, `@grey_zone` or any t.me URL of the channel, as its username."""
    text = channel.strip().lstrip("@")
    if USERNAME.fullmatch(text):
        return text.lower()
    _adapter, identity = parse(text)
    if identity.platform != "telegram" or not identity.handle:
        raise InputError(f"not a public Telegram channel: {channel!r}")
    return identity.handle


def search_json(search: ChannelSearch) -> dict[str, Any]:
    return {
        "channel": search.channel,
        "title": search.title,
        "terms": search.terms,
        "pages": search.pages,
        "stopped": search.stopped,
        "error": search.error,
        "matches": [
            {
                "url": m.post.url,
                "published_at": format_time(m.post.published_at),
                "terms": m.terms,
                "text": m.post.text,
                "forwarded_from": m.post.forwarded_from,
            }
            for m in search.matches
        ],
    }


def search_channel_command(
    ctx: typer.Context,
    channel: Annotated[str, typer.Argument(help="Channel username or t.me URL.")],
    keywords: Annotated[list[str], typer.Argument(metavar="KEYWORD...", help="Words to find.")],
    since: Annotated[str | None, date_option("--since", "Window start (UTC).")] = None,
    until: Annotated[str | None, date_option("--until", "Window end (UTC).")] = None,
    synonym: Annotated[
        list[str] | None,
        typer.Option("--synonym", "-s", metavar="WORD", help="Also match WORD (repeatable)."),
    ] = None,
    max_pages: Annotated[int, typer.Option("--max-pages", min=1, help="Pages to read.")] = 30,
    max_seconds: Annotated[
        float, typer.Option("--max-seconds", min=1, help="Time to spend.")
    ] = 120.0,
    as_json: Annotated[bool, json_flag("One JSON object.")] = False,
) -> int:
    """Earliest posts of a Telegram channel that mention KEYWORD, in a date window.

    Exit code 1 when the channel could not be read to the end of the window."""
    runtime: Runtime = ctx.obj
    handle = channel_handle(channel)
    window = (_day(since, end=False), _day(until, end=True))

    async def run() -> ChannelSearch:
        async with runtime.http(cache=True) as http:
            return await search_channel(
                http,
                handle,
                keywords,
                since=window[0],
                until=window[1],
                synonyms=synonym or (),
                max_pages=max_pages,
                max_seconds=max_seconds,
            )

    search = asyncio.run(run())
    if as_json:
        typer.echo(json.dumps(search_json(search), ensure_ascii=False, indent=2))
    else:
        for match in search.matches:
            when = format_time(match.post.published_at) or "?"
            text = " ".join(match.post.text.split())
            terms = ", ".join(match.terms)
            typer.echo(f"{when}  {match.post.url}  [{terms}]  {text[:120]}")
        summary = f"{len(search.matches)} matching posts in {search.pages} pages of @{handle}; stopped: {search.stopped}"
        typer.echo(summary + (f" ({search.error})" if search.error else ""), err=True)
    return 1 if search.error else 0
