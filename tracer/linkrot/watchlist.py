"""The watch list: URLs a user asked to have checked, besides every stored node's URL."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import update
from sqlmodel import Session, col, select

from tracer.errors import InputError
from tracer.linkrot.platform import platform_of
from tracer.store.database import insert_or_ignore
from tracer.store.model import CheckState, Node, NodeStatus
from tracer.store.upserts import Store

STATE = CheckState.__table__  # type: ignore[attr-defined]


@dataclass
class Watched:
    url: str
    node_id: int
    platform: str
    new: bool  # the URL was not watched before


def canonical_web_url(url: str) -> str:
    """The URL as one node: scheme and host lower-cased, fragment dropped."""
    text = url.strip()
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InputError(f"not a web URL: {url!r} (give http:// or https:// URLs)")
    netloc = parts.netloc.rsplit("@", 1)[-1].lower()
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))


def read_watch_file(path: Path) -> list[str]:
    """URLs from a file: one a line, or a CSV with a `url` column."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path} cannot be read: {exc}") from None
    first = text.lstrip().splitlines()[0] if text.strip() else ""
    if "," in first or first.strip().lower() == "url":
        reader = csv.DictReader(io.StringIO(text))
        column = next(
            (name for name in reader.fieldnames or [] if name.strip().lower() == "url"), None
        )
        if column is None:
            raise InputError(f"{path}: a CSV file needs a 'url' column")
        return [row[column].strip() for row in reader if (row.get(column) or "").strip()]
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def watch(
    store: Store, urls: Iterable[str], adapters: Iterable[Any], now: datetime
) -> list[Watched]:
    """Store a node for each URL (unless one exists) and put it on the watch list, due now."""
    adapters = list(adapters)
    wanted: list[tuple[str, Node]] = []
    for url in urls:
        known = platform_of(url.strip(), adapters)
        if known is not None:
            name, identity = known
            node = Node.from_identity(
                identity, platform=name, url=url.strip(), status=NodeStatus.UNRESOLVED
            )
        else:
            canonical = canonical_web_url(url)
            node = Node.web_page(url.strip(), canonical_url=canonical)
        wanted.append((url.strip(), node))
    watched: list[Watched] = []
    with store.session() as session:
        for url, node in wanted:
            row = session.exec(
                select(Node).where(col(Node.canonical_url) == node.canonical_url)
            ).first()
            if row is None:
                row = store.upsert_node(node, session)
            assert row.id is not None
            watched.append(Watched(url, row.id, row.platform, _enlist(session, row.id, now)))
    return watched


def _enlist(session: Session, node_id: int, now: datetime) -> bool:
    created = session.execute(
        insert_or_ignore(session.get_bind(), STATE).values(
            node_id=node_id, watched=True, next_due_at=now, consecutive_failures=0, dead=False
        )
    )
    if created.rowcount:  # type: ignore[attr-defined]
        return True
    result = session.execute(
        update(STATE)
        .where(STATE.c.node_id == node_id, STATE.c.watched.is_(False))
        .values(watched=True, next_due_at=now)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
