"""The scalar forms of the command-line contract (DESIGN.md): times and node ids.

Every `--json` output writes times and node references this way, so scripts can rely on
one shape. Times are ISO 8601 in UTC; a day-precision date is YYYY-MM-DD. The objects
built from them (a node, an edge, a chain) are the read models of tracer.store.readmodel.
"""

from __future__ import annotations

from datetime import datetime

from tracer.store.model import Precision, as_utc


def format_time(value: datetime | None, precision: str | None = None) -> str | None:
    value = as_utc(value)
    if value is None:
        return None
    if precision in (Precision.DAY, Precision.MONTH, Precision.YEAR):
        return value.date().isoformat()
    if precision == Precision.MINUTE:
        return value.isoformat(timespec="minutes").replace("+00:00", "Z")
    if precision == Precision.MILLISECOND:
        return value.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return value.isoformat(timespec="seconds").replace("+00:00", "Z")


def node_ref(node_id: int) -> str:
    """A stored node's id as the outputs write it: `n12`."""
    return f"n{node_id}"


def parse_node_id(text: str) -> int | None:
    """`n12` or `12` as a stored node id; None when `text` is not an id."""
    digits = text[1:] if text[:1] in ("n", "N") else text
    return int(digits) if digits.isdigit() else None
