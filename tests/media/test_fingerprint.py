"""Fingerprints: the same photograph through the edits reposts make stays within the
threshold, different photographs stay apart, and hostile files are refused in one line."""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from datetime import datetime

import pytest
from PIL import Image

from tests.media.images import (
    captioned,
    cropped,
    encoded,
    exif_block,
    jpeg,
    photograph,
    png_bomb,
    real_photograph,
    resized,
)
from tracer.errors import MediaError
from tracer.media.decode import open_image
from tracer.media.fingerprint import Fingerprint, distance
from tracer.media.hashing import fingerprint
from tracer.media.settings import MediaSettings

THRESHOLD = MediaSettings().same_image_distance
MAX_PIXELS = MediaSettings().max_pixels

#: the copies people make of a photo when they repost it
EDITS: dict[str, Callable[[Image.Image], bytes]] = {
    "resized to half": lambda p: jpeg(resized(p, 0.5)),
    "resized up": lambda p: jpeg(resized(p, 1.5)),
    "re-encoded at JPEG quality 20": lambda p: jpeg(p, 20),
    "saved as PNG": lambda p: encoded(p, "PNG"),
    "saved as WebP": lambda p: encoded(p, "WEBP", quality=60),
    "cropped 5% each side": lambda p: jpeg(cropped(p, 0.05, 0.05, 0.05, 0.05)),
    "cropped 10% each side": lambda p: jpeg(cropped(p, 0.1, 0.1, 0.1, 0.1)),
    "cropped 12% off the left": lambda p: jpeg(cropped(p, 0.12, 0, 0, 0)),
    "cropped 10% off the bottom": lambda p: jpeg(cropped(p, 0, 0, 0, 0.1)),
    "caption bar below": lambda p: jpeg(captioned(p)),
    "black caption bar above": lambda p: jpeg(captioned(p, 0.12, above=True, colour="black")),
}
SEEDS = range(6)


def fp(data: bytes) -> Fingerprint:
    return fingerprint(data, MAX_PIXELS)


@pytest.fixture(scope="module")
def originals() -> dict[int, tuple[Image.Image, Fingerprint]]:
    found = {}
    for seed in SEEDS:
        photo = photograph(seed)
        found[seed] = (photo, fp(jpeg(photo)))
    return found


@pytest.mark.parametrize("edit", list(EDITS))
def test_an_edited_copy_is_the_same_image(
    edit: str, originals: dict[int, tuple[Image.Image, Fingerprint]]
) -> None:
    distances = [
        distance(original, fp(EDITS[edit](photo))) for photo, original in originals.values()
    ]
    assert max(distances) <= THRESHOLD, distances


def test_different_photographs_stay_apart(
    originals: dict[int, tuple[Image.Image, Fingerprint]],
) -> None:
    prints = [original for _photo, original in originals.values()]
    prints += [fp(jpeg(photograph(1000 + seed))) for seed in range(40)]
    closest = min(distance(a, b) for i, a in enumerate(prints) for b in prints[i + 1 :])
    assert closest > THRESHOLD


def test_fingerprint_fields_and_exact_identity() -> None:
    data = jpeg(photograph(7))
    found = fp(data)
    assert (found.width, found.height, found.format, found.size) == (800, 600, "JPEG", len(data))
    assert len(found.sha256) == 64 and len(found.phash) == 16 and len(found.dhash) == 16
    assert set(found.windows) >= {"full", "trimmed", "c90"}
    assert Fingerprint.from_json(found.as_json()) == Fingerprint(
        **{**found.__dict__, "exif": {}, "c2pa": None}
    )
    assert distance(found, fp(data)) == 0
    assert fp(jpeg(photograph(7), 50)).sha256 != found.sha256  # re-encoded: not the same file


def test_exif_claims_are_read() -> None:
    block = exif_block(datetime(2024, 7, 27, 14, 5, 9), ("Canon", "EOS R6"), "Adobe Photoshop 25.0")
    found = fp(jpeg(photograph(8), exif=block))
    assert found.exif == {
        "captured_at": "2024-07-27T14:05:09+03:00",
        "camera": "Canon EOS R6",
        "software": "Adobe Photoshop 25.0",
    }
    assert fp(jpeg(photograph(8))).exif == {}


def test_a_file_without_a_c2pa_manifest_has_none() -> None:
    assert fp(jpeg(photograph(9))).c2pa is None
    # the label alone (say, in a comment) makes the reader look, and find nothing usable
    labelled = jpeg(photograph(9)) + b"c2pa"
    claims = fp(labelled).c2pa
    assert claims is None or set(claims) == {"error"}


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"<html><body>Log in to see this photo</body></html>", "not an image"),
        (jpeg(photograph(3))[:5000], "cannot be decoded"),
        (png_bomb(100_000, 100_000), "decompression bomb"),
        (b"\x89PNG\r\n\x1a\n" + b"\xff" * 200, "not an image"),
        (b"GIF89a" + b"\x00" * 20, "not an image"),
    ],
    ids=["empty", "html", "truncated-jpeg", "png-bomb", "broken-png", "broken-gif"],
)
def test_hostile_files_are_refused_with_a_reason(data: bytes, reason: str) -> None:
    started = time.monotonic()
    with pytest.raises(MediaError) as refused:
        fp(data)
    assert reason in str(refused.value) and "\n" not in str(refused.value)
    assert time.monotonic() - started < 2.0  # nothing was decoded at the claimed size


def test_the_pixel_cap_is_a_setting() -> None:
    data = jpeg(photograph(4))
    with pytest.raises(MediaError, match="max_pixels"):
        fingerprint(data, 800 * 600 - 1)


def test_transparency_is_seen_on_white() -> None:
    photo = photograph(5)
    clear = Image.new("RGBA", (photo.width, photo.height + 80), (0, 0, 0, 0))
    clear.paste(photo, (0, 0))
    assert distance(fp(encoded(clear, "PNG")), fp(jpeg(photo))) <= THRESHOLD
    buffer = io.BytesIO()
    photo.convert("P").save(buffer, "GIF")
    assert distance(fp(buffer.getvalue()), fp(jpeg(photo))) <= THRESHOLD


def test_a_large_photo_is_decoded_small() -> None:
    # a 24-megapixel JPEG is decoded at a reduced DCT scale, grey, then fitted: the
    # fingerprint never holds the full picture (benchmarks/media_bench.py measures memory)
    big = resized(real_photograph("coffee"), 10)  # 6000x4000
    decoded = open_image(jpeg(big), MAX_PIXELS, fit=256, grey=True)
    assert (decoded.width, decoded.height) == (6000, 4000)
    assert max(decoded.image.size) == 256 and decoded.image.mode == "L"
    found = fp(jpeg(big))
    assert (found.width, found.height) == (6000, 4000)
    assert distance(found, fp(jpeg(real_photograph("coffee")))) <= THRESHOLD


def test_a_turned_photo_is_fingerprinted_upright() -> None:
    photo = real_photograph("rocket")  # 640x427
    exif = Image.Exif()
    exif[0x0112] = 6  # stored turned a quarter: a viewer turns it back
    turned = jpeg(photo.transpose(Image.Transpose.ROTATE_90), exif=exif.tobytes())
    found = fp(turned)
    assert (found.width, found.height) == (640, 427)
    assert distance(found, fp(jpeg(photo))) <= THRESHOLD
