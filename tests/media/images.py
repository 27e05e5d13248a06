"""Photographs for the tests, and the copies people make of them when they repost.

Two kinds: real photographs, the ones scikit-image ships as package data (a test
dependency; nothing is fetched), and seeded scenes (a sky-to-ground gradient,
overlapping shapes, blur and sensor noise) where a test needs many different pictures
or a chosen size.
"""

from __future__ import annotations

import io
import random
import struct
import zlib
from datetime import datetime

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

#: scikit-image's bundled photographs. chelsea and cat are one photo, so only one is
#: taken; "motorcycle" is the left view of the stereo pair (the right one would be a
#: near-duplicate of it)
REAL_PHOTOGRAPHS = (
    "astronaut",
    "camera",
    "coffee",
    "chelsea",
    "rocket",
    "hubble_deep_field",
    "immunohistochemistry",
    "retina",
    "brick",
    "grass",
    "gravel",
    "moon",
    "coins",
    "cell",
    "clock",
    "page",
    "motorcycle",
)


def real_photograph(name: str) -> Image.Image:
    """One of REAL_PHOTOGRAPHS, as an RGB image."""
    from skimage import data

    pixels = data.stereo_motorcycle()[0] if name == "motorcycle" else getattr(data, name)()
    return Image.fromarray(np.asarray(pixels)).convert("RGB")


def photograph(seed: int, size: tuple[int, int] = (800, 600)) -> Image.Image:
    rng = random.Random(seed)
    width, height = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    top = tuple(rng.randrange(256) for _ in range(3))
    bottom = tuple(rng.randrange(256) for _ in range(3))
    for y in range(height):
        t = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(int(a * (1 - t) + b * t) for a, b in zip(top, bottom, strict=True)),
        )
    for _ in range(25):
        x0, y0 = rng.randrange(width), rng.randrange(height)
        box = [x0, y0, x0 + rng.randrange(40, width // 2), y0 + rng.randrange(40, height // 2)]
        colour = tuple(rng.randrange(256) for _ in range(3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(box, fill=colour)
    image = image.filter(ImageFilter.GaussianBlur(2))
    noise = Image.effect_noise(size, 24).convert("RGB")
    return Image.blend(image, noise, 0.12)


def encoded(image: Image.Image, fmt: str = "JPEG", **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def jpeg(image: Image.Image, quality: int = 90, exif: bytes | None = None) -> bytes:
    if exif is not None:
        return encoded(image, "JPEG", quality=quality, exif=exif)
    return encoded(image, "JPEG", quality=quality)


def resized(image: Image.Image, factor: float) -> Image.Image:
    return image.resize((int(image.width * factor), int(image.height * factor)))


def cropped(
    image: Image.Image, left: float, top: float, right: float, bottom: float
) -> Image.Image:
    w, h = image.size
    return image.crop((int(w * left), int(h * top), w - int(w * right), h - int(h * bottom)))


def captioned(
    image: Image.Image, share: float = 0.15, *, above: bool = False, colour: str = "white"
) -> Image.Image:
    """A caption bar added below (or above) the photo, with a line of text on it."""
    bar = int(image.height * share)
    out = Image.new("RGB", (image.width, image.height + bar), colour)
    out.paste(image, (0, bar if above else 0))
    ink = "black" if colour == "white" else "white"
    y = (bar // 4) if above else image.height + bar // 4
    # text as large as half the bar, and longer than a small photo is wide: its rows
    # are not flat, as a bar's other rows are
    ImageDraw.Draw(out).text(
        (8, y),
        "EXCLUSIVE: the photo they did not want you to see",
        fill=ink,
        font=ImageFont.load_default(size=max(10, bar // 2)),
    )
    return out


def exif_block(taken: datetime, camera: tuple[str, str], software: str) -> bytes:
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x0131] = camera[0], camera[1], software
    exif.get_ifd(0x8769)[0x9003] = taken.strftime("%Y:%m:%d %H:%M:%S")
    exif.get_ifd(0x8769)[0x9011] = "+03:00"
    return exif.tobytes()


def png_bomb(width: int, height: int) -> bytes:
    """A valid PNG header claiming width x height, with a tiny compressed body."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\0" * (width + 1) * 16, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )
