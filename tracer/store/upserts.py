"""The store: sessions over the database and the idempotent upserts every job uses.

Upserts meet on natural keys (a node's identity, an edge's source/target/relation, a
mention's edge and place in the text, a capture's archive and memento URL), so
re-running a trace changes nothing and two traces that reach the same tweet share one
node. They insert with ON CONFLICT DO NOTHING and then merge in Python, which behaves
the same on SQLite and PostgreSQL and is safe when several workers write at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, SQLModel, col, select

from tracer.errors import StorageError
from tracer.store.database import create_database_engine, ensure_schema, insert_or_ignore
from tracer.store.model import (
    Capture,
    Edge,
    EdgeMention,
    Node,
    NodeStatus,
    Relation,
    row_values,
    utcnow,
)

Row = TypeVar("Row", bound=SQLModel)

#: a later status of lower rank never overwrites a stored one of higher rank
#: (an offline re-run must not forget what an online run resolved)
_STATUS_RANK = {
    NodeStatus.OFFLINE: 0,
    NodeStatus.UNRESOLVED: 1,
    NodeStatus.ERROR: 2,
    NodeStatus.RESOLVED: 3,
}


def name_identity(kind: str, name: str) -> str:
    """The identity of a node known only by name, e.g. a person named in the prose."""
    return f"name:{kind}:{' '.join(name.casefold().split())}"


def node_identity(node: Node) -> str:
    if node.identity:
        return node.identity
    if node.canonical_url:
        return node.canonical_url
    if node.name:
        return name_identity(node.kind, node.name)
    raise StorageError("a node needs a canonical URL or a name to be stored")


def _strip_nul(row: SQLModel) -> None:
    """Drop NUL characters from a row's text columns, in place.

    Pages and platform JSON can carry U+0000 (a `\\u0000` escape, a mangled title);
    PostgreSQL refuses it in text columns while SQLite stores it, so one NUL would fail
    a whole document's writes on one backend only. It carries no meaning in any field.
    """
    fields = type(row).model_fields
    for name, value in list(row.__dict__.items()):
        if isinstance(value, str) and "\x00" in value:
            cleaned: str | None = value.replace("\x00", "")
            if not cleaned and name in fields and fields[name].default is None:
                cleaned = None  # nothing left: unknown, not an empty key that collides
            setattr(row, name, cleaned)


class Store:
    """A database opened for tracer's jobs."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str) -> Store:
        engine = create_database_engine(url)
        ensure_schema(engine)
        return cls(engine)

    @classmethod
    def open_upgraded(cls, url: str) -> Store:
        """Open any database, applying migrations first (what `tracer db upgrade` does)."""
        from tracer.store.database import upgrade

        engine = create_database_engine(url)
        upgrade(engine)
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session committed on success and rolled back on any error."""
        session = Session(self.engine, expire_on_commit=False)
        try:
            yield session
            session.commit()
        except SQLAlchemyError as exc:
            session.rollback()
            raise StorageError(f"database error: {_first_line(exc)}") from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def joined(self, session: Session | None) -> Iterator[Session]:
        """The caller's session, or one of its own for a job that stores a row alone."""
        if session is not None:
            yield session
            return
        with self.session() as own:
            yield own

    def _insert(self, session: Session, model: type[SQLModel], values: dict[str, Any]) -> Any:
        table = model.__table__  # type: ignore[attr-defined]
        return insert_or_ignore(session.get_bind(), table).values(**values)

    def _insert_once(
        self,
        session: Session,
        model: type[Row],
        values: dict[str, Any],
        key: list[ColumnElement[bool]],
        what: str,
    ) -> Row:
        """Insert a row unless one with the same unique `key` is stored (a concurrent
        writer may have stored it first), and read back the stored row."""
        session.execute(self._insert(session, model, values))
        row = session.exec(select(model).where(*key)).first()
        if row is None:
            raise StorageError(f"{what} vanished while being stored")
        return row

    def _insert_row(
        self,
        session: Session,
        row: Row,
        unique: tuple[str, ...],
        what: str,
        *,
        stamped: str,
    ) -> Row:
        """`_insert_once` for a row as it stands, keyed on its `unique` columns (read once
        its NULs are stripped: see `_strip_nul`); its `stamped` time column, when empty,
        takes the time it is stored."""
        _strip_nul(row)
        model = type(row)
        key = [col(getattr(model, name)) == getattr(row, name) for name in unique]
        values = row_values(row)
        values[stamped] = values.get(stamped) or utcnow()
        return self._insert_once(session, type(row), values, key, what)

    # -- nodes ---------------------------------------------------------------------------

    def upsert_node(self, node: Node, session: Session | None = None) -> Node:
        """Insert `node` or merge it into the stored node with the same identity.

        Known values are never replaced by unknown ones; attributes are merged key by key.
        Returns the stored row.
        """
        with self.joined(session) as session:
            _strip_nul(node)
            if node.canonical_url == "":
                node.canonical_url = None  # "" is no address; stored, two would collide as one
            identity = node_identity(node)
            now = utcnow()
            values = row_values(node)
            values["identity"] = identity
            values["first_seen_at"] = values.get("first_seen_at") or now
            values["updated_at"] = now
            if node.canonical_url:
                # a row stored under a name key before its URL was known takes the URL now
                by_url = session.exec(
                    select(Node).where(col(Node.canonical_url) == node.canonical_url)
                ).first()
                if by_url is not None:
                    return self._merge_node(session, by_url, node, now)
            key = [col(Node.identity) == identity]
            row = self._insert_once(session, Node, values, key, f"node {identity}")
            return self._merge_node(session, row, node, now)

    def _merge_node(self, session: Session, row: Node, node: Node, now: datetime) -> Node:
        changed = False
        for field in (
            "kind",
            "platform",
            "name",
            "url",
            "canonical_url",
            "platform_id",
            "handle",
            "published_at",
            "published_at_method",
            "precision",
        ):
            new = getattr(node, field)
            if new is not None and new != getattr(row, field):
                if field == "platform" and new == "web" and row.platform != "web":
                    continue  # a generic guess never overrides a platform adapter's answer
                setattr(row, field, new)
                changed = True
        if _STATUS_RANK.get(NodeStatus(node.status), 0) >= _STATUS_RANK.get(
            NodeStatus(row.status), 0
        ) and (node.status, node.error) != (row.status, row.error):
            row.status, row.error = node.status, node.error
            changed = True
        if node.attributes:
            merged = {**(row.attributes or {}), **node.attributes}
            if merged != row.attributes:
                row.attributes = merged
                changed = True
        if changed:
            row.updated_at = now
            session.add(row)
            session.flush()
        return row

    # -- edges ---------------------------------------------------------------------------

    def upsert_edge(self, edge: Edge, session: Session | None = None) -> Edge:
        """Insert an edge once per (source, target, relation); the first evidence is kept."""
        with self.joined(session) as session:
            unique = ("source_id", "target_id", "relation")
            row = self._insert_row(session, edge, unique, "edge", stamped="created_at")
            if row.evidence is None and edge.evidence is not None:
                row.evidence = edge.evidence
                row.evidence_start, row.evidence_end = edge.evidence_start, edge.evidence_end
                session.add(row)
                session.flush()
            return row

    def add_embed(
        self,
        shown_by: int,
        shown: int,
        session: Session,
        *,
        extractor: str,
        trace_id: int | None,
        evidence: str | None,
        span: tuple[int, int] | None = None,
    ) -> None:
        """Store that `shown_by` embeds `shown` (a post its media, a page its pictures),
        with the text that shows it and its offsets; nothing when the two are one node,
        as when a picture's own address is all that shows it."""
        if shown == shown_by:
            return
        edge = Edge(
            source_id=shown_by,
            target_id=shown,
            relation=Relation.EMBEDS,
            evidence=evidence,
            evidence_start=span[0] if span else None,
            evidence_end=span[1] if span else None,
            extractor=extractor,
            trace_id=trace_id,
        )
        self.upsert_edge(edge, session)

    def add_mention(self, mention: EdgeMention, session: Session) -> None:
        """Store one mention of an edge unless the same one (edge, sentence, name
        position) is stored already: a re-trace of the same text adds nothing."""
        _strip_nul(mention)
        session.execute(self._insert(session, EdgeMention, row_values(mention)))

    # -- captures ------------------------------------------------------------------------

    def upsert_capture(self, capture: Capture, session: Session | None = None) -> Capture:
        """Insert a capture once per (archive, memento URL); later look-ups fill gaps."""
        with self.joined(session) as session:
            unique = ("archive", "memento_url")
            row = self._insert_row(session, capture, unique, "capture", stamped="found_at")
            changed = False
            for field in ("captured_at", "status", "digest", "mimetype", "original_url"):
                new = getattr(capture, field)
                if new is not None and getattr(row, field) is None:
                    setattr(row, field, new)
                    changed = True
            if changed:
                session.add(row)
                session.flush()
            return row


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
