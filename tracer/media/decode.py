"""Decoding an untrusted image file with Pillow, without letting it hurt the process.

Media come from pages anyone can write: a file may be a decompression bomb (a few
kilobytes that claim gigapixels), truncated, or not an image at all. The header is read
first and the pixel count checked against `media.max_pixels` before any pixel is
decoded; only the common web formats are tried, so a file cannot reach Pillow's rarer
decoders; and every decoder failure becomes a MediaError with one line of reason.

Fingerprints look at a small copy, so the decoder is asked for no more than that: a
JPEG is decoded at a reduced scale (its DCT scaling, Pillow's draft mode), other formats
are box-reduced right after decoding, and the orientation is applied to the small copy.
A 40-megapixel photo then costs a few megabytes instead of several copies of 120 MB,
and most of the decoding time is saved.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps

from tracer.errors import MediaError

#: formats web pages and platforms serve photos and thumbnails in (phone MPO files open as JPEG)
WEB_FORMATS = ("JPEG", "PNG", "GIF", "WEBP", "BMP", "TIFF")


#: EXIF orientations that turn the picture a quarter: its upright width is the stored height
_QUARTER_TURNS = {5, 6, 7, 8}
_ORIENTATION = 0x0112


@dataclass
class Decoded:
    """A decoded image, upright, with its full upright size, the file's format and its
    EXIF tags. `image` may be smaller than `width` x `height` (see `fit`)."""

    image: Image.Image
    width: int
    height: int
    format: str
    exif: Image.Exif


def open_image(
    data: bytes, max_pixels: int, fit: int | None = None, *, grey: bool = False
) -> Decoded:
    """The image in `data`, decoded and upright (EXIF orientation applied); with `fit`,
    shrunk to fit within `fit` x `fit` pixels, as cheaply as the format allows; with
    `grey`, a JPEG's colour is not decoded at all (its luma channel is the grey image).

    Raises MediaError for anything that is not a readable image within the pixel cap.
    """
    if not data:
        raise MediaError("the file is empty")
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb check warns before it refuses; ours decides, so a
            # warning must not leak to stderr
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(io.BytesIO(data), formats=WEB_FORMATS)
            file_format = image.format or "unknown"
            width, height = image.size
            if width * height > max_pixels:
                raise MediaError(
                    f"the image claims {width}x{height} pixels, more than media.max_pixels "
                    f"({max_pixels}): refused as a possible decompression bomb"
                )
            exif = image.getexif()
            if exif.get(_ORIENTATION) in _QUARTER_TURNS:
                width, height = height, width
            if fit is not None:
                image = _shrink(image, fit, grey)
            image.load()
            upright = ImageOps.exif_transpose(image)
    except MediaError:
        raise
    except Image.UnidentifiedImageError:
        raise MediaError(
            "not an image that can be read as JPEG, PNG, GIF, WebP, BMP or TIFF"
        ) from None
    except Image.DecompressionBombError as exc:
        raise MediaError(f"refused as a decompression bomb: {exc}") from None
    except Exception as exc:
        # decoders raise OSError, SyntaxError, ValueError, struct.error, ... on hostile
        # input: whichever it is, the file is unreadable, not the program broken
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise MediaError(f"the image cannot be decoded: {reason}") from None
    return Decoded(upright if upright is not None else image, width, height, file_format, exif)


def _shrink(image: Image.Image, fit: int, grey: bool) -> Image.Image:
    """`image` shrunk to fit `fit` x `fit`: a JPEG is decoded at the smallest DCT scale
    still twice that size, other formats are box-reduced first (Pillow's thumbnail)."""
    if grey and image.format == "JPEG":
        image.draft("L", (fit * 2, fit * 2))
    if image.mode in ("1", "P"):
        # palette images would be shrunk by nearest neighbour; as colours they are averaged
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    image.thumbnail((fit, fit), Image.Resampling.BOX)
    return image
