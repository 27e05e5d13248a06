"""Which URLs a report may turn into links.

Every URL in a chain came from a page somebody else wrote. A report links only plain
http(s) URLs; anything else (javascript:, data:, a relative path) is shown as text, so
opening a report and clicking around can never run or fetch something a page chose.
"""

from __future__ import annotations

from urllib.parse import urlsplit

_SAFE_SCHEMES = ("http", "https")


def linkable(url: object) -> str | None:
    """`url` if a report may link it, else None."""
    if not isinstance(url, str):
        return None
    text = url.strip()
    # browsers drop tabs and newlines inside URLs, which would let "java\nscript:" through
    # a naive check; refuse any control character or space outright
    if not text or any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in _SAFE_SCHEMES or not parts.netloc:
        return None
    return text
