"""What a preservation test finds stored afterwards, in the order it was stored."""

from __future__ import annotations

from typing import TypeVar

from sqlmodel import col, select

from tracer.store.model import ArchiveAttempt, Snapshot
from tracer.store.upserts import Store

Row = TypeVar("Row", ArchiveAttempt, Snapshot)


def stored(store: Store, model: type[Row]) -> list[Row]:
    """Every row of `model` in `store`, first stored first."""
    with store.session() as session:
        return list(session.exec(select(model).order_by(col(model.id))).all())
