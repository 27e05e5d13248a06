"""A page's main text, its fingerprint, and whether it reads like a "not found" page.

The fingerprint is a 64-bit simhash over word shingles: a rotating ad slot or a new
comment moves a few bits, a rewritten article moves many, so "changed" can be a
threshold rather than any byte of difference.
"""

from __future__ import annotations

import hashlib
import re

import lxml.html
from lxml import etree

#: elements around the main text that change on every visit or carry no content
_BOILERPLATE = (
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
)
_WORD = re.compile(r"\w+", re.UNICODE)

#: phrasing of "not found" pages, in the languages tracer's sources are written in
NOT_FOUND_PHRASES = (
    "page not found",
    "page cannot be found",
    "page could not be found",
    "page you requested could not be found",
    "page you were looking for",
    "page you are looking for doesn",
    "page does not exist",
    "page doesn't exist",
    "page no longer exists",
    "this page isn't available",
    "this page is not available",
    "content is no longer available",
    "article is no longer available",
    "no longer available",
    "nothing was found",
    "error 404",
    "404 not found",
    "seite nicht gefunden",
    "seite wurde nicht gefunden",
    "page introuvable",
    "página no encontrada",
    "pagina non trovata",
    "страница не найдена",
    "сторінку не знайдено",
    "сторінка не знайдена",
    "странице не найдено",
)


def main_text(html: str | bytes) -> str:
    """The visible text of a page's main content, whitespace-normalised."""
    if not html.strip():
        return ""
    try:
        root = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return ""
    etree.strip_elements(root, *_BOILERPLATE, etree.Comment, with_tail=False)
    found = root.xpath("//main|//article|//*[@role='main']")
    scope = found[0] if found else root
    return " ".join(scope.text_content().split())


def title_text(html: str | bytes) -> str:
    try:
        root = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return ""
    parts = root.xpath("//title//text()|//h1//text()")
    return " ".join(" ".join(str(p) for p in parts).split())


#: byte value -> its 8 bits spread into 8 counter fields of _FIELD bits each
_FIELD = 20
_SPREAD = [sum(((b >> i) & 1) << (_FIELD * i) for i in range(8)) for b in range(256)]
_MASK = (1 << _FIELD) - 1
#: shingles counted at most; the fields must not overflow
_MAX_SHINGLES = (1 << (_FIELD - 1)) - 1


def simhash(text: str) -> int:
    """A 64-bit simhash of `text`'s three-word shingles.

    Instead of 64 Python additions per shingle, each hash's bits are spread into 64
    counter fields of one big integer (a table per byte), so one big-integer addition
    counts all 64 bits at once; a bit of the result is set when most shingles set it.
    """
    words = _WORD.findall(text.casefold())
    if not words:
        return 0
    count = min(max(1, len(words) - 2), _MAX_SHINGLES)
    width = 8 * _FIELD
    totals = 0
    for i in range(count):
        digest = hashlib.blake2b(" ".join(words[i : i + 3]).encode(), digest_size=8).digest()
        totals += (
            _SPREAD[digest[7]]
            | _SPREAD[digest[6]] << width
            | _SPREAD[digest[5]] << 2 * width
            | _SPREAD[digest[4]] << 3 * width
            | _SPREAD[digest[3]] << 4 * width
            | _SPREAD[digest[2]] << 5 * width
            | _SPREAD[digest[1]] << 6 * width
            | _SPREAD[digest[0]] << 7 * width
        )
    result = 0
    for bit in range(64):
        if ((totals >> (_FIELD * bit)) & _MASK) * 2 > count:
            result |= 1 << bit
    return result


def fingerprint(text: str) -> str:
    """The stored form of a main text's simhash: 16 hex digits."""
    return f"{simhash(text):016x}"


def distance(a: str, b: str) -> int:
    """Bits that differ between two stored fingerprints (64 when either is not one)."""
    try:
        return (int(a, 16) ^ int(b, 16)).bit_count()
    except ValueError:
        return 64


#: "404 - Page Not Here", "Error 404", "Page 404" in a title; not "Story 404"
_TITLE_404 = re.compile(r"^\W*404\b|\b(error|page|fehler|erreur|ошибка)\W+404\b", re.I)


def reads_not_found(title: str, text: str) -> bool:
    """A page whose title or short body says "not found" in so many words."""
    title = title.casefold()
    if any(p in title for p in NOT_FOUND_PHRASES) or _TITLE_404.search(title):
        return True
    # a long article may quote the phrase; a real error page says little else
    return len(text) < 2000 and any(p in text.casefold() for p in NOT_FOUND_PHRASES)
