"""`tracer media FILE|URL`: fingerprint one image and find it among every stored media node."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from tracer.commands.options import json_flag
from tracer.errors import InputError, MediaError
from tracer.runtime import Runtime


def register(parent: typer.Typer) -> None:
    parent.command("media")(media_command)


def media_command(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(metavar="FILE|URL", help="An image file or URL.")],
    as_json: Annotated[bool, json_flag("One JSON object.")] = False,
) -> None:
    """Fingerprint an image and find it among the media of every stored chain."""
    from tracer.media.fingerprint import Fingerprint
    from tracer.media.hashing import fingerprint
    from tracer.media.lookup import similar
    from tracer.media.report import match_json

    runtime: Runtime = ctx.obj
    settings = runtime.settings.media
    found: Fingerprint
    if source.lower().startswith(("http://", "https://")):
        found = asyncio.run(_fetch(runtime, source))
    else:
        found = fingerprint(_read(Path(source), settings.max_bytes), settings.max_pixels)
    with runtime.store.session() as session:
        matches = similar(session, found, settings.same_image_distance)
        rows = [match_json(session, match) for match in matches]
    if as_json:
        payload: dict[str, Any] = {
            "input": source,
            "fingerprint": found.as_json(),
            "exif": found.exif,
            "c2pa": found.c2pa,
            "threshold": settings.same_image_distance,
            "matches": rows,
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    typer.echo(
        f"{source}: {found.width}x{found.height} {found.format}, sha256 {found.sha256[:16]}…, "
        f"pHash {found.phash}"
    )
    for key, value in found.exif.items():
        typer.echo(f"  EXIF {key.replace('_', ' ')} (claimed by the file): {value}")
    if found.c2pa:
        typer.echo(f"  C2PA: {json.dumps(found.c2pa, ensure_ascii=False)}")
    for row in rows:
        typer.echo(_line(row))
    if not rows:
        typer.echo(f"no stored image within {settings.same_image_distance} bits", err=True)


def _line(row: dict[str, Any]) -> str:
    node = row["node"]
    how = "same file" if row["exact"] else f"distance {row['distance']}"
    chains = "; ".join(f"{c['name'] or c['url']} ({c['root']})" for c in row["chains"])
    first = row.get("first_appearance")
    seen = f"  first seen {first['at']} ({first['method']})" if first else ""
    return (
        f"{node['id']}  {how}  {node['canonical_url'] or node['url']}  in: {chains or 'no chain'}"
        f"{seen}"
    )


def _read(path: Path, limit: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > limit:
            raise MediaError(f"{path}: {size} bytes, larger than media.max_bytes ({limit})")
        return path.read_bytes()
    except IsADirectoryError:
        raise InputError(f"{path} is a directory, not an image file") from None
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or exc}") from None


async def _fetch(runtime: Runtime, url: str) -> Any:
    from tracer.media.fetch import fetch_media

    async with runtime.http(cache=False) as http:
        fetched = await fetch_media(http, url, runtime.settings.media)
    return fetched.fingerprint
