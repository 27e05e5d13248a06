"""Content Credentials (C2PA manifests) embedded in a file, read with c2pa-python.

Most web images carry none (platforms strip metadata), so the native reader is only
started when the file holds the JUMBF label "c2pa" at all; its claims are summarised
(who signed, with what tool, what was done) and its validation state kept, because an
unsigned or tampered manifest claims nothing.
"""

from __future__ import annotations

import io
import json
import logging
from typing import Any

log = logging.getLogger(__name__)

_MIME = {
    "JPEG": "image/jpeg",
    "MPO": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/webp",
    "TIFF": "image/tiff",
    "GIF": "image/gif",
}


def c2pa_claims(data: bytes, image_format: str) -> dict[str, Any] | None:
    """The active manifest's claims, `{"error": ...}` when one is present but unreadable,
    or None when the file carries no manifest."""
    mime = _MIME.get(image_format)
    if mime is None or b"c2pa" not in data:
        return None
    try:
        import c2pa
    except ImportError:  # the native library is missing on this platform
        return {"error": "c2pa-python is not installed: the manifest was not read"}
    try:
        with c2pa.Reader(mime, io.BytesIO(data)) as reader:
            store = json.loads(reader.json())
            state = reader.get_validation_state()
    except Exception as exc:  # the reader raises its own error types for bad manifests
        text = " ".join(str(exc).split())
        if "ManifestNotFound" in text or "no JUMBF" in text.casefold():
            return None
        return {"error": f"manifest unreadable: {text or type(exc).__name__}"}
    return _summary(store, state)


def _summary(store: dict[str, Any], state: Any) -> dict[str, Any]:
    manifests = store.get("manifests") or {}
    active = manifests.get(store.get("active_manifest") or "") or {}
    signature = active.get("signature_info") or {}
    actions: list[str] = []
    for assertion in active.get("assertions") or []:
        if str(assertion.get("label", "")).startswith("c2pa.actions"):
            for action in (assertion.get("data") or {}).get("actions") or []:
                if isinstance(action, dict) and action.get("action"):
                    actions.append(str(action["action"]))
    summary: dict[str, Any] = {
        "claim_generator": active.get("claim_generator")
        or next(
            (g.get("name") for g in active.get("claim_generator_info") or [] if g.get("name")),
            None,
        ),
        "title": active.get("title"),
        "signed_by": signature.get("issuer") or signature.get("common_name"),
        "signed_at": signature.get("time"),
        "actions": actions,
        "ingredients": len(active.get("ingredients") or []),
        "validation_state": str(state) if state is not None else None,
    }
    return {key: value for key, value in summary.items() if value not in (None, [], "")}
