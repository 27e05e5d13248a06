"""What a file's EXIF tags claim: capture time, camera, software.

These are the file's own words, which anyone can write: a capture time here is reported
as "claimed by the file", never as when the image first appeared.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from PIL import Image

_EXIF_IFD = 0x8769
_MAKE, _MODEL, _SOFTWARE, _DATETIME = 0x010F, 0x0110, 0x0131, 0x0132
_DATETIME_ORIGINAL, _DATETIME_DIGITIZED = 0x9003, 0x9004
_OFFSET_TIME_ORIGINAL = 0x9011


def exif_claims(exif: Image.Exif) -> dict[str, Any]:
    """`captured_at` (ISO 8601; with an offset only when the file gives one), `camera`,
    `software`, each only when present."""
    details = exif.get_ifd(_EXIF_IFD)
    claims: dict[str, Any] = {}
    stamp = _text(details.get(_DATETIME_ORIGINAL)) or _text(details.get(_DATETIME_DIGITIZED))
    stamp = stamp or _text(exif.get(_DATETIME))
    captured = _time(stamp, _text(details.get(_OFFSET_TIME_ORIGINAL)))
    if captured:
        claims["captured_at"] = captured
    camera = " ".join(p for p in (_text(exif.get(_MAKE)), _text(exif.get(_MODEL))) if p)
    if camera:
        claims["camera"] = camera
    software = _text(exif.get(_SOFTWARE))
    if software:
        claims["software"] = software
    return claims


def _text(value: Any) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return None
    cleaned = " ".join(value.replace("\x00", " ").split())
    return cleaned or None


def _time(stamp: str | None, offset: str | None) -> str | None:
    """EXIF's "YYYY:MM:DD HH:MM:SS" as ISO 8601; cameras write zeros for unknown times."""
    if not stamp:
        return None
    try:
        when = datetime.strptime(stamp[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    if offset and len(offset) == 6 and offset[0] in "+-" and offset[3] == ":":
        try:
            hours, minutes = int(offset[1:3]), int(offset[4:6])
        except ValueError:
            return when.isoformat()
        sign = 1 if offset[0] == "+" else -1
        zone = timezone(sign * timedelta(hours=hours, minutes=minutes))
        return when.replace(tzinfo=zone).isoformat()
    # a camera's clock without a zone: local time of an unknown place, kept as written
    return when.isoformat()
