"""A link's life across checks: confirmed deaths, recoveries, and when to look again.

One failed check proves little (a deploy, a bad night at the host). A link is declared
dead only after `death_failures` failed checks whose first and last are at least
`death_days` apart, as InternetArchiveBot does. Transient outcomes neither count nor
break a streak; a healthy answer ends it, and brings a dead link back to life.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tracer.linkrot.outcomes import FAILURES, HEALTHY, Outcome
from tracer.linkrot.settings import CheckSettings
from tracer.store.model import CheckState, as_utc


@dataclass
class LinkState:
    """The fields of a CheckState row a check reads and writes (a plain copy, so a batch
    of results is folded in without ORM bookkeeping and written back in one statement)."""

    node_id: int
    next_due_at: datetime | None = None
    last_checked_at: datetime | None = None
    last_outcome: str | None = None
    consecutive_failures: int = 0
    first_failure_at: datetime | None = None
    dead: bool = False
    dead_since: datetime | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None
    lease_owner: str | None = None
    lease_expires_at: datetime | None = None


#: the CheckState columns a LinkState carries
STATE_FIELDS = tuple(LinkState.__dataclass_fields__)


@dataclass(frozen=True)
class Transition:
    """What one check changed about a link."""

    newly_dead: bool = False
    recovered: bool = False


def advance(
    state: LinkState | CheckState, outcome: Outcome, now: datetime, settings: CheckSettings
) -> Transition:
    """Fold one check's outcome into `state` (in place) and schedule the next check."""
    previous_due = as_utc(state.next_due_at)
    previous_checked = as_utc(state.last_checked_at)
    previous_outcome = state.last_outcome
    transition = Transition()
    if outcome in HEALTHY:
        if state.dead:
            transition = Transition(recovered=True)
        state.dead, state.dead_since = False, None
        state.consecutive_failures, state.first_failure_at = 0, None
    elif outcome in FAILURES:
        state.consecutive_failures += 1
        if state.first_failure_at is None:
            state.first_failure_at = now
        first = as_utc(state.first_failure_at) or now
        if (
            not state.dead
            and state.consecutive_failures >= settings.death_failures
            and now - first >= timedelta(days=settings.death_days)
        ):
            state.dead, state.dead_since = True, now
            transition = Transition(newly_dead=True)
    state.last_checked_at = now
    state.last_outcome = outcome
    state.next_due_at = now + interval(
        outcome, previous_outcome, previous_checked, previous_due, settings
    )
    state.lease_owner, state.lease_expires_at = None, None
    return transition


def interval(
    outcome: Outcome,
    previous_outcome: str | None,
    previous_checked: datetime | None,
    previous_due: datetime | None,
    settings: CheckSettings,
) -> timedelta:
    """Backoff for links that keep answering the same; soon again for anything else."""
    first = timedelta(hours=settings.recheck_hours)
    if outcome not in (Outcome.ALIVE, Outcome.REDIRECTED):
        if outcome == Outcome.CONTENT_CHANGED:
            return first  # it moves: keep an eye on it
        return timedelta(hours=settings.failing_recheck_hours)
    if previous_outcome not in (Outcome.ALIVE, Outcome.REDIRECTED):
        return first
    if previous_checked is None or previous_due is None or previous_due <= previous_checked:
        return first
    grown = (previous_due - previous_checked) * settings.backoff_factor
    return min(max(grown, first), timedelta(days=settings.max_interval_days))
