"""Photographs made by the tests, and the copies people make of them when they repost.

A "photograph" is a seeded scene: a sky-to-ground gradient, overlapping shapes, blur and
sensor noise, so its texture behaves like a photo's under resizing and JPEG. Nothing is
copied from anywhere and nothing is fetched.
"""

from __future__ import annotations

import io
import random
from datetime import datetime

from PIL import Image, ImageDraw, ImageFilter, ImageFont


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
    y = (bar // 3) if above else image.height + bar // 3
    ImageDraw.Draw(out).text(
        (12, y),
        "EXCLUSIVE: the photo from the front line",
        fill=ink,
        font=ImageFont.load_default(size=26),
    )
    return out


def exif_block(taken: datetime, camera: tuple[str, str], software: str) -> bytes:
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x0131] = camera[0], camera[1], software
    exif.get_ifd(0x8769)[0x9003] = taken.strftime("%Y:%m:%d %H:%M:%S")
    exif.get_ifd(0x8769)[0x9011] = "+03:00"
    return exif.tobytes()
