"""What the platforms' and archives' JSON endpoints answer, read the one forgiving way."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tracer.http.client import Fetched


def json_object(fetched: Fetched) -> dict[str, Any] | None:
    """The JSON object a response holds; None when its body is not JSON or not an object
    (an endpoint that fails often answers an HTML page, or a bare string, instead)."""
    try:
        value = fetched.json()
    except ValueError:
        return None
    return value if isinstance(value, dict) else None
