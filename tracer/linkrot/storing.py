"""Storing finished checks: one transaction per batch, the checks kept as history and the
links' states moved on.

A finished check travels as a `Checked` record of plain values, so the same batch can
be stored by the run's event loop or by its helper process (tracer.linkrot.scheduling.sidecar), which
opens the database itself. Stored twice is never a risk: a batch whose helper died
before answering is stored again with `recovering`, which skips every check the helper
did commit (the link's state already carries that check's time).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlmodel import Session

from tracer.linkrot.confirmation import STATE_FIELDS, LinkState, advance
from tracer.linkrot.outcomes import HEALTHY, Outcome
from tracer.linkrot.report import LinkEntry
from tracer.linkrot.scheduling.bulk import BulkStatement
from tracer.linkrot.settings import CheckSettings
from tracer.store.model import Check, CheckState, Node, as_utc
from tracer.store.upserts import Store

CHECK = Check.__table__  # type: ignore[attr-defined]
STATE = CheckState.__table__  # type: ignore[attr-defined]
#: a check row's columns, in the order _check_row gives them
CHECK_COLUMNS = (
    "node_id",
    "checked_at",
    "outcome",
    "status_code",
    "final_url",
    "content_hash",
    "etag",
    "last_modified",
    "error",
    "elapsed_ms",
    "worker",
)
_INSERT_CHECKS = BulkStatement(
    insert(CHECK).values({name: bindparam(f"_{name}") for name in CHECK_COLUMNS}),
    [f"_{name}" for name in CHECK_COLUMNS],
)
_UPDATE_STATES = BulkStatement(
    update(STATE)
    .where(STATE.c.node_id == bindparam("_node_id"))
    .values({name: bindparam(f"_{name}") for name in STATE_FIELDS[1:]}),
    [f"_{name}" for name in STATE_FIELDS],
)


@dataclass
class Checked:
    """One finished check, as the store needs it."""

    node_id: int
    url: str
    outcome: Outcome
    checked_at: datetime
    #: the link's state as claimed (None: read it from the database)
    state: LinkState | None = None
    archived: str | None = None  # the best capture known when the link was claimed
    head_known: bool = False  # whether the link was known to be checked with HEAD
    status_code: int | None = None
    final_url: str | None = None
    fingerprint: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    prefer_head: bool | None = None  # None: no news about the method
    elapsed_ms: int | None = None


class ResultWriter:
    """Stores batches of finished checks for one worker of a run."""

    def __init__(self, store: Store, settings: CheckSettings, worker: str) -> None:
        self.store = store
        self.settings = settings
        self.worker = worker

    def write(self, batch: list[Checked], recovering: bool = False) -> list[LinkEntry]:
        """One transaction for a batch; the report's entries for what it stored."""
        entries: list[LinkEntry] = []
        checks: list[tuple[Any, ...]] = []
        with self.store.session() as session:
            ids = [c.node_id for c in batch]
            present = set(
                session.execute(select(STATE.c.node_id).where(STATE.c.node_id.in_(ids))).scalars()
            )
            # the state as claimed (the lease kept other workers off it); read it again for
            # a link that came without one, and for all when a helper may have stored some
            states = (
                {}
                if recovering
                else {
                    c.node_id: c.state
                    for c in batch
                    if c.state is not None and c.node_id in present
                }
            )
            unknown = [i for i in present if i not in states]
            if unknown:
                rows = session.execute(
                    select(*(STATE.c[name] for name in STATE_FIELDS)).where(
                        STATE.c.node_id.in_(unknown)
                    )
                ).all()
                states.update((row[0], LinkState(*row)) for row in rows)
            moved: dict[int, LinkState] = {}
            for checked in batch:
                state = states.get(checked.node_id)
                if state is None:
                    continue  # the node was deleted while we checked it
                if recovering and _stored(state, checked):
                    entries.append(_entry(checked, state, archived=checked.archived))
                    continue
                checks.append(self._check_row(checked))
                entries.append(self._fold(session, state, checked))
                moved[checked.node_id] = state
            if checks:
                connection = session.connection()
                _INSERT_CHECKS.execute(connection, checks)
                _UPDATE_STATES.execute(
                    connection,
                    [[getattr(state, name) for name in STATE_FIELDS] for state in moved.values()],
                )
        return entries

    def _check_row(self, checked: Checked) -> tuple[Any, ...]:
        """The check's row, in CHECK_COLUMNS order."""
        return (
            checked.node_id,
            checked.checked_at,
            checked.outcome.value,
            checked.status_code,
            checked.final_url,
            checked.fingerprint,
            checked.etag,
            checked.last_modified,
            checked.error,
            checked.elapsed_ms,
            self.worker,
        )

    def _fold(self, session: Session, state: LinkState, checked: Checked) -> LinkEntry:
        """Move the link's state on by one check, and say what the report needs of it."""
        transition = advance(state, checked.outcome, checked.checked_at, self.settings)
        if checked.status_code and 200 <= checked.status_code < 300:
            # validators describe the content we hashed; a 304 keeps the old ones
            state.etag, state.last_modified = checked.etag, checked.last_modified
        if checked.fingerprint and checked.outcome in HEALTHY:
            state.content_hash = checked.fingerprint
        if checked.prefer_head is not None and checked.prefer_head != checked.head_known:
            node = session.get(Node, checked.node_id)
            if node is not None:
                attributes = dict(node.attributes or {})
                attributes["linkrot"] = {
                    **(attributes.get("linkrot") or {}),
                    "head": checked.prefer_head,
                }
                node.attributes = attributes
                session.add(node)
        return _entry(
            checked,
            state,
            archived=checked.archived,
            newly_dead=transition.newly_dead,
            recovered=transition.recovered,
        )


def _stored(state: LinkState, checked: Checked) -> bool:
    """Whether the state already carries this check (a helper committed it, then died)."""
    last, this = as_utc(state.last_checked_at), as_utc(checked.checked_at)
    return last is not None and this is not None and last >= this


def _entry(
    checked: Checked,
    state: LinkState,
    *,
    archived: str | None,
    newly_dead: bool = False,
    recovered: bool = False,
) -> LinkEntry:
    return LinkEntry(
        url=checked.url,
        outcome=checked.outcome,
        status_code=checked.status_code,
        final_url=checked.final_url,
        dead=state.dead,
        archived=archived,
        newly_dead=newly_dead,
        recovered=recovered,
        dead_since=as_utc(state.dead_since),
    )


__all__ = ["CHECK_COLUMNS", "Checked", "ResultWriter"]
