"""The JSON shapes of the command-line contract (DESIGN.md), in one place.

Every `--json` output uses the same node object, so scripts can rely on one shape.
Times are ISO 8601 in UTC; a day-precision date is YYYY-MM-DD.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from tracer.store.model import Capture, Node, Precision, as_utc


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


def capture_json(capture: Capture) -> dict[str, Any]:
    return {
        "archive": capture.archive,
        "url": capture.memento_url,
        "captured_at": format_time(capture.captured_at),
        "status": capture.status,
        "digest": capture.digest,
    }


def node_json(node: Node, captures: Iterable[Capture] = ()) -> dict[str, Any]:
    """A stored node as the contract's node object; `id` is the stored id ("n<id>")."""
    data: dict[str, Any] = {
        "id": f"n{node.id}" if node.id is not None else None,
        "kind": node.kind,
        "platform": node.platform,
        "name": node.name,
        "url": node.url,
        "canonical_url": node.canonical_url,
        "handle": node.handle,
        "platform_id": node.platform_id,
        "published_at": format_time(node.published_at, node.precision),
        "published_at_method": node.published_at_method,
        "precision": node.precision,
        "captures": [
            capture_json(c)
            for c in sorted(
                captures, key=lambda c: (as_utc(c.captured_at) is None, as_utc(c.captured_at) or 0)
            )
        ],
        "status": node.status,
    }
    if node.error:
        data["error"] = node.error
    if node.attributes:
        data["attributes"] = node.attributes
    return data


def parse_node_id(text: str) -> int | None:
    """`n12` or `12` as a stored node id; None when `text` is not an id."""
    digits = text[1:] if text[:1] in ("n", "N") else text
    return int(digits) if digits.isdigit() else None
