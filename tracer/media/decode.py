"""Decoding an untrusted image file with Pillow, without letting it hurt the process.

Media come from pages anyone can write: a file may be a decompression bomb (a few
kilobytes that claim gigapixels), truncated, or not an image at all. The header is read
first and the pixel count checked against `media.max_pixels` before any pixel is
decoded; only the common web formats are tried, so a file cannot reach Pillow's rarer
decoders; and every decoder failure becomes a MediaError with one line of reason.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps

from tracer.errors import MediaError

#: formats web pages and platforms serve photos and thumbnails in (phone MPO files open as JPEG)
WEB_FORMATS = ("JPEG", "PNG", "GIF", "WEBP", "BMP", "TIFF")


@dataclass
class Decoded:
    """A decoded image, upright, with the file's format and its EXIF tags."""

    image: Image.Image
    format: str
    exif: Image.Exif


def open_image(data: bytes, max_pixels: int) -> Decoded:
    """The image in `data`, decoded and upright (EXIF orientation applied).

    Raises MediaError for anything that is not a readable image within the pixel cap.
    """
    if not data:
        raise MediaError("the file is empty")
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb check warns before it refuses; ours decides, so a
            # warning must not leak to stderr
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=WEB_FORMATS)
            width, height = image.size
            if width * height > max_pixels:
                raise MediaError(
                    f"the image claims {width}x{height} pixels, more than media.max_pixels "
                    f"({max_pixels}): refused as a possible decompression bomb"
                )
            image.load()
            exif = image.getexif()
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
    return Decoded(upright if upright is not None else image, image.format or "unknown", exif)
