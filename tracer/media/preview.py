"""A small preview of an image, kept with its fingerprint so that reports can show the
picture without the file: the HTML report inlines it as a data: URI (self-contained,
no request to the image's host when the report is opened)."""

from __future__ import annotations

import base64
import io

from PIL import Image

from tracer.errors import MediaError
from tracer.media.decode import open_image

#: the preview's longest side in pixels, and its JPEG quality: a few kilobytes each
PREVIEW_SIDE = 120
_QUALITY = 70


def preview_uri(data: bytes, max_pixels: int) -> str | None:
    """A JPEG data: URI of the image fitted within PREVIEW_SIDE pixels, or None when the
    file cannot be decoded."""
    try:
        image = open_image(data, max_pixels, fit=PREVIEW_SIDE).image
    except MediaError:
        return None
    if image.mode in ("RGBA", "LA", "PA"):
        # transparent pixels show the page behind them: white, as most pages are
        backdrop = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(backdrop, image.convert("RGBA"))
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=_QUALITY, optimize=True)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
