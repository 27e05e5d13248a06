"""An image's fingerprints, and the distance that says whether two images are the same.

A fingerprint holds the file's sha256 and imagehash's perceptual hashes (pHash, dHash)
of the image and of a few windows of it (see tracer.media.hashing, which computes them).
A plain pHash survives resizing and re-encoding but not the edits reposted photos get
most, a caption bar or a crop; so two images are compared whole against each other's
windows, and a moderate crop of one meets the other's matching window. The distance is
the smallest Hamming distance of those pairs, in bits of a 64-bit pHash;
`media.same_image_distance` is the threshold.

This module needs neither Pillow nor numpy: a chain's media section and `tracer media`
compare stored fingerprints, and a command that only reads them should not import the
image stack (an eighth of a second).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Fingerprint:
    """What identifies one image file, exactly (sha256) and perceptually."""

    sha256: str
    phash: str  # the whole image's pHash, 16 hex digits
    dhash: str
    width: int
    height: int
    format: str
    size: int  # bytes
    windows: dict[str, str] = field(default_factory=dict)  # window name -> pHash hex
    exif: dict[str, Any] = field(default_factory=dict)
    c2pa: dict[str, Any] | None = None

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "sha256": self.sha256,
            "phash": self.phash,
            "dhash": self.dhash,
            "width": self.width,
            "height": self.height,
            "format": self.format,
            "bytes": self.size,
            "windows": dict(self.windows),
        }
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Fingerprint | None:
        """A stored fingerprint, or None when `data` is not one (an older or foreign shape)."""
        try:
            return cls(
                sha256=str(data["sha256"]),
                phash=str(data["phash"]),
                dhash=str(data["dhash"]),
                width=int(data["width"]),
                height=int(data["height"]),
                format=str(data.get("format") or "unknown"),
                size=int(data.get("bytes") or 0),
                windows={str(k): str(v) for k, v in (data.get("windows") or {}).items()},
            )
        except (KeyError, TypeError, ValueError):
            return None


def distance(a: Fingerprint, b: Fingerprint) -> int:
    """Bits apart (0..64): the closest of one image whole against the other's windows."""
    if a.sha256 == b.sha256:
        return 0
    best = 64
    for one, other in ((a, b), (b, a)):
        # one image whole (as shot, or without its bars) against the other's windows
        for whole in {one.phash, one.windows.get("trimmed", one.phash)}:
            for window in other.windows.values():
                best = min(best, (int(whole, 16) ^ int(window, 16)).bit_count())
    return best
