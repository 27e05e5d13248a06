"""A page's main text, its fingerprint, and whether it reads like a "not found" page
or a wall (captcha, login) in front of the content.

The fingerprint is a 64-bit simhash over word shingles: a rotating ad slot or a new
comment moves a few bits, a rewritten article moves many, so "changed" can be a
threshold rather than any byte of difference.
"""

from __future__ import annotations

import hashlib
import re

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

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


def _parse(html: str | bytes) -> HtmlElement | None:
    if not html.strip():
        return None
    try:
        return lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return None


#: compiled once: an XPath given as a string is compiled again on every call
_TITLE_PARTS = etree.XPath("//title//text()|//h1//text()")
_MAIN_SCOPES = etree.XPath("//main|//article|//*[@role='main']")


def _title_of(root: HtmlElement) -> str:
    parts = _TITLE_PARTS(root)
    return " ".join(" ".join(str(p) for p in parts).split())


def _main_text_of(root: HtmlElement) -> str:
    etree.strip_elements(root, *_BOILERPLATE, etree.Comment, with_tail=False)
    found = _MAIN_SCOPES(root)
    scope = found[0] if found else root
    return " ".join(scope.text_content().split())


_OUTSIDE_BOILERPLATE = (
    "not(ancestor-or-self::*[" + " or ".join(f"self::{t}" for t in _BOILERPLATE) + "])"
)
#: what `_main_text_of` reads, found without stripping anything: the first scope that
#: stripping would keep, and the text nodes outside the boilerplate (a stripped element's
#: tail is its parent's text node, so it stays, as `strip_elements(with_tail=False)` keeps it)
_KEPT_SCOPES = etree.XPath(f"(//main|//article|//*[@role='main'])[{_OUTSIDE_BOILERPLATE}]")
_KEPT_TEXT = etree.XPath(
    ".//text()[not(ancestor::*[" + " or ".join(f"self::{t}" for t in _BOILERPLATE) + "])]"
)


def read_tree(root: HtmlElement) -> tuple[str, str]:
    """`read_page` of a page parsed already, whose tree it leaves as it is: the web
    adapter shares its one parse of a page with the metadata and the trace's extraction."""
    found = _KEPT_SCOPES(root)
    scope = found[0] if found else root
    return _title_of(root), " ".join("".join(str(part) for part in _KEPT_TEXT(scope)).split())


def read_page(html: str | bytes) -> tuple[str, str]:
    """A page's title (with its h1) and its main text, from one parse."""
    root = _parse(html)
    if root is None:
        return "", ""
    title = _title_of(root)  # before the boilerplate (a header may hold the h1) goes
    return title, _main_text_of(root)


Word = str | bytes
#: word -> three independent 64-bit hashes (for each place in a shingle), 24 bytes; an
#: ASCII text's words are bytes (see _words), others' str: both hash their UTF-8 bytes
_WORD_HASHES: dict[Word, bytes] = {}
#: words remembered at most; article words repeat across pages, the cache pays off early
_WORD_CACHE_SIZE = 50_000
#: one byte with bit b set, for b = 0..7
_BYTE_BITS = [bytes([1 << b]) for b in range(8)]


#: ASCII bytes to themselves lower-cased if they are word characters (\\w), else to a space
_ASCII_WORD_BYTES = bytes(
    c if chr(c).isascii() and (chr(c).isalnum() or c == ord("_")) else ord(" ") for c in range(256)
).lower()


def _words(text: str) -> list[Word]:
    """The case-folded words (\\w+) of `text`.

    Most pages checked are ASCII, where a byte table and a split find the same words as
    the regular expression five times faster (casefold is lower there, and \\w is
    [A-Za-z0-9_]).
    """
    if text.isascii():
        return list(text.encode("ascii").translate(_ASCII_WORD_BYTES).split())
    return list(_WORD.findall(text.casefold()))


def _hash_words(words: list[Word]) -> bytes:
    """The words' cached 24-byte hashes, end to end."""
    known = _WORD_HASHES
    missing = set(words).difference(known)
    if missing:
        if len(known) + len(missing) > _WORD_CACHE_SIZE:
            known.clear()
            missing = set(words)
        for word in missing:
            known[word] = hashlib.blake2b(
                word if isinstance(word, bytes) else word.encode(),
                digest_size=24,
                person=b"tracer-shingle",
            ).digest()
    return b"".join(map(known.__getitem__, words))


def _joined(words: list[Word]) -> Word:
    if isinstance(words[0], bytes):
        return b" ".join(w for w in words if isinstance(w, bytes))
    return " ".join(w for w in words if isinstance(w, str))


def simhash(text: str) -> int:
    """A 64-bit simhash of `text`'s three-word shingles.

    A shingle's hash is h0(first word) ^ h1(second) ^ h2(third), with three independent
    hashes per word, so each word is hashed once (and cached) rather than every shingle.
    All shingle hashes are laid side by side in one big integer and XORed there at once;
    then, for each of a hash's 8 byte positions, that byte of every shingle is gathered
    into one integer, and a mask and a popcount count the shingles setting each bit: 64
    C-level steps a page instead of 64 Python additions a shingle. A bit of the result is
    set when most shingles set it.
    """
    words = _words(text)
    if not words:
        return 0
    if len(words) < 3:
        words = [_joined(words)] * 3  # one shingle of what there is
    count = len(words) - 2
    # word i's three hashes are 64-bit lanes 3i, 3i+1, 3i+2: take every third lane
    lanes = memoryview(_hash_words(words)).cast("Q")
    first = int.from_bytes(lanes[0::3].tobytes(), "little")
    second = int.from_bytes(lanes[1::3].tobytes(), "little") >> 64
    third = int.from_bytes(lanes[2::3].tobytes(), "little") >> 128
    shingles = (first ^ second ^ third).to_bytes(8 * len(words), "little")
    masks = [int.from_bytes(bit * count, "little") for bit in _BYTE_BITS]
    half = count // 2
    result = 0
    position = 0
    for offset in range(8):
        column = int.from_bytes(shingles[offset : 8 * count : 8], "little")
        for mask in masks:
            if (column & mask).bit_count() > half:
                result |= 1 << position
            position += 1
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
    if len(text) >= 2000:
        return False
    folded = text.casefold()
    return any(p in folded for p in NOT_FOUND_PHRASES)


#: challenge and wall pages that stand between a checker and the content
_WALL_PHRASES = (
    "verify you are human",
    "are you a robot",
    "captcha",
    "checking your browser",
    "just a moment...",
    "enable javascript and cookies to continue",
    "log in to continue",
    "sign in to continue",
    "please log in",
    "access denied",
)


def reads_walled(title: str, text: str) -> bool:
    """Whether a 200 page is a captcha or login wall standing in front of the content."""
    if len(text) > 3000:
        return False  # a real article that mentions a captcha
    seen = f"{title} {text}".casefold()
    return any(phrase in seen for phrase in _WALL_PHRASES)
