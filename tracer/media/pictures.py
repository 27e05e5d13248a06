"""The pictures a page names, read from its markup.

Two readings: `share_images`, the picture a page is shared with (og:image,
twitter:image), read from its <meta> tags with a regular expression, cheap enough for
every article a trace reads (its markup is already parsed once, for its text, and
not again for this); and `pictures_named`, that picture and every <img> of the page,
parsed with lxml, for an archived copy whose picture may be in its body only.
"""

from __future__ import annotations

import html as html_text
import re
from urllib.parse import urlsplit

from tracer.urls import joined_url

#: the <meta> names a page gives its share picture under
SHARE_NAMES = ("og:image", "og:image:secure_url", "twitter:image", "twitter:image:src")
#: a page's <meta> tags are in its head: the first bytes are enough
_HEAD_CHARS = 300_000
_META = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([a-zA-Z:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")


def share_images(markup: str, base_url: str | None) -> list[str]:
    """The absolute http(s) URLs of a page's share pictures, in the order it names them."""
    found: list[str] = []
    for tag in _META.finditer(markup[:_HEAD_CHARS]):
        attributes = {
            name.lower(): html_text.unescape(a or b or c)
            for name, a, b, c in _ATTRIBUTE.findall(tag.group(0))
        }
        name = (attributes.get("property") or attributes.get("name") or "").lower()
        if name in SHARE_NAMES and attributes.get("content", "").strip():
            _add(found, joined_url(base_url or "", attributes["content"].strip()))
    return found


def pictures_named(html: bytes, base_url: str, limit: int) -> list[str]:
    """The pictures a page names: its share image (og:image, twitter:image), then the
    images of its body, as absolute URLs in page order."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        root = lxml_html.fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    found: list[str] = []
    candidates = [
        str(meta.get("content") or "")
        for meta in root.iter("meta")
        if (meta.get("property") or meta.get("name") or "").lower() in SHARE_NAMES
    ]
    candidates += [str(img.get("src") or "") for img in root.iter("img")]
    for value in candidates:
        _add(found, joined_url(base_url, value.strip()))
        if len(found) >= limit:
            break
    return found


def _add(found: list[str], url: str | None) -> None:
    if url is not None and urlsplit(url).scheme in ("http", "https") and url not in found:
        found.append(url)
