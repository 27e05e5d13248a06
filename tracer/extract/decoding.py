"""Bytes to text: the charset the HTTP header, a BOM or a meta tag declares, never failing.

Order of trust: a byte-order mark (it cannot lie about itself), then the HTTP header,
then a `<meta charset>` in the first bytes, then strict UTF-8, then a statistical guess.
Whatever is chosen, undecodable bytes become U+FFFD instead of an exception.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE
)
#: browsers read the charset declaration only from the head of the file
_SNIFF_BYTES = 4096


def _usable(name: str | None) -> str | None:
    if not name:
        return None
    try:
        codec = codecs.lookup(name.strip().strip("\"'"))
    except LookupError:
        return None
    # a page that declares UTF-16 in a meta tag but has no BOM is ASCII-compatible bytes
    if codec.name.startswith(("utf-16", "utf-32")):
        return None
    return codec.name


def sniff_encoding(content: bytes, declared: str | None = None) -> str:
    """The encoding to decode `content` with, by BOM, declared charset, meta tag, guess."""
    for bom, name in _BOMS:
        if content.startswith(bom):
            return name
    header = _usable(declared)
    if header:
        return header
    match = _META_CHARSET.search(content[:_SNIFF_BYTES])
    if match:
        meta = _usable(match.group(1).decode("ascii", "replace"))
        if meta:
            # pages labelled latin-1 are windows-1252 in practice (the WHATWG rule)
            return "cp1252" if meta in {"latin-1", "iso8859-1", "ascii"} else meta
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    from charset_normalizer import from_bytes

    best = from_bytes(content[:65536]).best()
    if best is not None and _usable(best.encoding):
        return str(_usable(best.encoding))
    return "cp1252"


def decode(content: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode `content`; returns (text, encoding used), its characters composed (NFC).
    Never raises.

    Text written on some systems spells an accented letter as the letter and a combining
    mark ("Ve\u0301cu"); the mark is no word character, so a name read from such text
    stopped at it ("Ve"), and the same name in two spellings were two sources."""
    encoding = sniff_encoding(content, declared)
    try:
        text = content.decode(encoding, errors="replace")
    except LookupError:  # pragma: no cover - sniff_encoding only returns known codecs
        encoding = "utf-8"
        text = content.decode(encoding, errors="replace")
    return composed(text), encoding


def composed(text: str) -> str:
    """`text` without NUL characters (no field means anything by one, and PostgreSQL
    refuses them), its characters composed (NFC): see `decode`."""
    text = text.replace("\x00", "")
    if unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


_HTML_SIGNS = re.compile(
    r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<(?:p|div|article|blockquote|meta|title|a)\b[^<>]*>",
    re.IGNORECASE,
)


def looks_like_html(text: str) -> bool:
    """Whether text is markup, judged by its content rather than a file name.

    Pasted article text may quote a stray `<` or two; markup has a document shell or
    several block tags early on.
    """
    head = text[:8192]
    stripped = head.lstrip()
    if stripped[:15].lower().startswith(("<!doctype html", "<html")):
        return True
    return len(_HTML_SIGNS.findall(head)) >= 3
