"""An image's fingerprints, and the distance that says whether two images are the same.

The perceptual hashes are imagehash's (pHash, dHash on Pillow). A plain pHash survives
resizing and re-encoding but not the edits reposted photos get most: a caption bar added
above or below, a crop. So the hashes are taken of the image as a person sees the photo:
first, bars of one flat colour at the top or bottom are trimmed (a caption bar's text
leaves most of its rows flat); then pHashes are kept for a few windows (the whole image,
centred crops of 5% and 10% each side, and 15% off each side in turn). Two images are
compared whole against each other's windows, so a moderate crop of one meets the other's
matching window. The distance is the smallest Hamming distance of those pairs, in bits
of a 64-bit pHash; `media.same_image_distance` is the threshold.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import imagehash
import numpy as np
from PIL import Image

from tracer.media.credentials import c2pa_claims
from tracer.media.decode import open_image
from tracer.media.exif import exif_claims

#: the window of each stored pHash: fractions cut from (left, top, right, bottom)
WINDOWS: dict[str, tuple[float, float, float, float]] = {
    "full": (0.0, 0.0, 0.0, 0.0),
    "c90": (0.05, 0.05, 0.05, 0.05),
    "c80": (0.1, 0.1, 0.1, 0.1),
    "l15": (0.15, 0.0, 0.0, 0.0),
    "r15": (0.0, 0.0, 0.15, 0.0),
    "t15": (0.0, 0.15, 0.0, 0.0),
    "b15": (0.0, 0.0, 0.0, 0.15),
}
#: hashing works on a small grey copy: pHash looks at 32x32 pixels anyway
_WORKING_SIZE = 256
#: a bar row: this share of its pixels within _FLAT_TOLERANCE of the row's median grey
_FLAT_SHARE = 0.6
_FLAT_TOLERANCE = 12
#: how far a bar row's median grey may be from the edge row's
_BAR_DRIFT = 3
#: a bar is at least this share of the height
_MIN_BAR = 0.05
#: bars are trimmed from at most this share of the height at each end
_MAX_BAR = 1 / 3


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


def fingerprint(data: bytes, max_pixels: int) -> Fingerprint:
    """Fingerprint an image file. Raises MediaError when it is not a readable image."""
    decoded = open_image(data, max_pixels)
    grey = _working_copy(decoded.image)
    windows = {name: str(imagehash.phash(_window(grey, cut))) for name, cut in WINDOWS.items()}
    windows["trimmed"] = str(imagehash.phash(_trim_bars(grey)))
    return Fingerprint(
        sha256=hashlib.sha256(data).hexdigest(),
        phash=windows["full"],
        dhash=str(imagehash.dhash(grey)),
        width=decoded.image.width,
        height=decoded.image.height,
        format=decoded.format,
        size=len(data),
        windows=windows,
        exif=exif_claims(decoded.exif),
        c2pa=c2pa_claims(data, decoded.format),
    )


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


def _working_copy(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        # transparent pixels show the page behind them: white, as most pages are
        backdrop = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(backdrop, image.convert("RGBA"))
    grey = image.convert("L")
    grey.thumbnail((_WORKING_SIZE, _WORKING_SIZE), Image.Resampling.LANCZOS)
    return grey


def _trim_bars(grey: Image.Image) -> Image.Image:
    """The image without bars of one flat colour at its top and bottom (caption bars,
    letterboxing). A bar's rows are flat and share the edge row's grey; a sky's rows are
    flat too, but their grey drifts, so a gradient ends the bar within a few rows."""
    pixels = np.asarray(grey, dtype=np.int16)
    height = pixels.shape[0]
    medians = np.median(pixels, axis=1)
    flat = np.mean(np.abs(pixels - medians[:, None]) <= _FLAT_TOLERANCE, axis=1) >= _FLAT_SHARE
    limit = int(height * _MAX_BAR)
    top = 0
    while top < limit and flat[top] and abs(medians[top] - medians[0]) <= _BAR_DRIFT:
        top += 1
    bottom = height
    while (
        bottom > height - limit
        and flat[bottom - 1]
        and abs(medians[bottom - 1] - medians[-1]) <= _BAR_DRIFT
    ):
        bottom -= 1
    # a run of a few flat rows is the photo's own edge (a sky), not a bar: trimming it
    # in one copy and not in a cropped one would shift the two apart
    if top < height * _MIN_BAR:
        top = 0
    if height - bottom < height * _MIN_BAR:
        bottom = height
    if bottom - top < 8:
        return grey  # a flat image is its own content
    return grey.crop((0, top, grey.width, bottom))


def _window(grey: Image.Image, cut: tuple[float, float, float, float]) -> Image.Image:
    left, top, right, bottom = cut
    width, height = grey.size
    box = (
        int(width * left),
        int(height * top),
        width - int(width * right),
        height - int(height * bottom),
    )
    return grey.crop(box)
