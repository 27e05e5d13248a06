"""Computing an image file's fingerprint (tracer.media.fingerprint says what it holds).

The perceptual hashes are imagehash's (pHash, dHash on Pillow). A plain pHash survives
resizing and re-encoding but not the edits reposted photos get most: a caption bar added
above or below, a crop. So the hashes are taken of the image as a person sees the photo:
first, bars of one flat colour at the top or bottom are trimmed (a caption bar's text
leaves most of its rows flat); then pHashes are kept for a few windows (the whole image,
centred crops of 5% and 10% each side, and 8% and 15% off each side in turn), which
`distance` compares against the other image whole.

Cost: all of it is computed from one small grey copy (256 pixels on the long side) that
the decoder makes as cheaply as it can (a JPEG's luma at a reduced DCT scale), each
window averaged down to pHash's 32x32 input straight from it. Fingerprinting a file so
costs about what one `imagehash.phash` of the file costs (benchmarks/media_bench.py).
"""

from __future__ import annotations

import hashlib

import imagehash
import numpy as np
from PIL import Image

from tracer.media.credentials import c2pa_claims
from tracer.media.decode import open_image
from tracer.media.exif import exif_claims
from tracer.media.fingerprint import Fingerprint

#: the window of each stored pHash: fractions cut from (left, top, right, bottom)
WINDOWS: dict[str, tuple[float, float, float, float]] = {
    "full": (0.0, 0.0, 0.0, 0.0),
    "c90": (0.05, 0.05, 0.05, 0.05),
    "c80": (0.1, 0.1, 0.1, 0.1),
    "l15": (0.15, 0.0, 0.0, 0.0),
    "r15": (0.0, 0.0, 0.15, 0.0),
    "t15": (0.0, 0.15, 0.0, 0.0),
    "b15": (0.0, 0.0, 0.0, 0.15),
    "l8": (0.08, 0.0, 0.0, 0.0),
    "r8": (0.0, 0.0, 0.08, 0.0),
    "t8": (0.0, 0.08, 0.0, 0.0),
    "b8": (0.0, 0.0, 0.0, 0.08),
}
#: hashing works on a small grey copy: pHash looks at 32x32 pixels anyway
_WORKING_SIZE = 256
#: imagehash's pHash reads a 32x32 grey image (hash size 8, high-frequency factor 4)
_PHASH_INPUT = 32
#: a bar row: this share of its pixels within _FLAT_TOLERANCE of the row's median grey
_FLAT_SHARE = 0.6
_FLAT_TOLERANCE = 12
#: how far a bar row's median grey may be from the edge row's
_BAR_DRIFT = 3
#: a bar is at least this share of the height
_MIN_BAR = 0.05
#: bars are trimmed from at most this share of the height at each end
_MAX_BAR = 1 / 3
#: the tallest line of caption text, as a share of the height, that a bar may hold
_MAX_TEXT_LINE = 0.08


def fingerprint(data: bytes, max_pixels: int) -> Fingerprint:
    """Fingerprint an image file. Raises MediaError when it is not a readable image."""
    decoded = open_image(data, max_pixels, fit=_WORKING_SIZE, grey=True)
    grey = _working_copy(decoded.image)
    windows = {name: _phash(grey, _box(grey, cut)) for name, cut in WINDOWS.items()}
    windows["trimmed"] = _phash(grey, _trimmed_box(grey))
    return Fingerprint(
        sha256=hashlib.sha256(data).hexdigest(),
        phash=windows["full"],
        dhash=str(imagehash.dhash(grey)),
        width=decoded.width,
        height=decoded.height,
        format=decoded.format,
        size=len(data),
        windows=windows,
        exif=exif_claims(decoded.exif),
        c2pa=c2pa_claims(data, decoded.format),
    )


def _working_copy(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        # transparent pixels show the page behind them: white, as most pages are
        backdrop = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(backdrop, image.convert("RGBA"))
    return image.convert("L")


def _phash(grey: Image.Image, box: tuple[int, int, int, int]) -> str:
    """imagehash's pHash of one window of the working copy. The window is averaged down
    to pHash's 32x32 input straight from the copy (no cropped copy made; a box filter,
    since the copy is already smooth, costs a seventh of a Lanczos one), which imagehash
    then takes as it is: its own resize of a 32x32 image is a copy."""
    side = _PHASH_INPUT
    return str(imagehash.phash(grey.resize((side, side), Image.Resampling.BOX, box=box)))


def _trimmed_box(grey: Image.Image) -> tuple[int, int, int, int]:
    """The image without bars of one flat colour at its top and bottom (caption bars,
    letterboxing). A bar's rows are flat and share the edge row's grey; a sky's rows are
    flat too, but their grey drifts, so a gradient ends the bar within a few rows. A
    caption's text lines are not flat, so rows of text between bar rows are passed over
    (up to `_MAX_TEXT_LINE` of the height at a time)."""
    pixels = np.asarray(grey, dtype=np.int16)
    height = pixels.shape[0]
    medians = np.median(pixels, axis=1)
    flat = np.mean(np.abs(pixels - medians[:, None]) <= _FLAT_TOLERANCE, axis=1) >= _FLAT_SHARE
    limit = int(height * _MAX_BAR)
    gap = max(1, int(height * _MAX_TEXT_LINE))
    top = _bar_rows(flat & (np.abs(medians - medians[0]) <= _BAR_DRIFT), limit, gap)
    bottom = height - _bar_rows(
        (flat & (np.abs(medians - medians[-1]) <= _BAR_DRIFT))[::-1], limit, gap
    )
    # a run of a few flat rows is the photo's own edge (a sky), not a bar: trimming it
    # in one copy and not in a cropped one would shift the two apart
    if top < height * _MIN_BAR:
        top = 0
    if height - bottom < height * _MIN_BAR:
        bottom = height
    if bottom - top < 8:
        return (0, 0, grey.width, height)  # a flat image is its own content
    return (0, top, grey.width, bottom)


def _bar_rows(bar_like: np.ndarray, limit: int, gap: int) -> int:
    """How many rows from the edge a bar covers: it starts at the edge with a bar-like
    row and ends at the last bar-like row before `gap` rows in a row that are not."""
    if not bar_like[0]:
        return 0
    end = missing = 0
    for row in range(min(limit, len(bar_like))):
        if bar_like[row]:
            end, missing = row + 1, 0
        else:
            missing += 1
            if missing > gap:
                break
    return end


def _box(grey: Image.Image, cut: tuple[float, float, float, float]) -> tuple[int, int, int, int]:
    left, top, right, bottom = cut
    width, height = grey.size
    return (
        int(width * left),
        int(height * top),
        width - int(width * right),
        height - int(height * bottom),
    )
