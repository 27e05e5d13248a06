"""Reading the input a verifier gives: a URL, an HTML or text file, Markdown, or stdin.

HTML or text is decided by the content (a saved page may be called .txt, pasted markup
may come on stdin); the extension only breaks ties in favour of HTML.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tracer.errors import InputError
from tracer.extract.cues import Lexicon, load_cues
from tracer.extract.decoding import composed, decode, looks_like_html
from tracer.extract.document import Document
from tracer.extract.language import guess_language
from tracer.extract.metadata import parse_datetime
from tracer.extract.page import ParsedPage, html_document, parse_page
from tracer.extract.textpatterns import date_pattern, parse_date
from tracer.store.model import Dating, Precision

if TYPE_CHECKING:
    from tracer.http.client import Fetched, HTTPClient

_HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_TEXT_TYPES = frozenset({"text/plain", "text/markdown", "text/x-markdown", ""})
_SCHEMELESS = re.compile(
    r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,24}(?:[/?#]\S*)?$", re.IGNORECASE
)
_ISO_DATE = re.compile(
    r"(?<!\d)(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?(?!\d)"
)
_MARKDOWN_TITLE = re.compile(r"^\s*#\s+(.+)$", re.MULTILINE)
#: how far into pasted text a dateline may stand
_DATELINE_CHARS = 300


def is_url(source: str) -> bool:
    return bool(re.match(r"https?://", source, re.IGNORECASE))


def text_document(
    text: str,
    *,
    source: str,
    url: str | None = None,
    encoding: str | None = None,
    lexicon: Lexicon | None = None,
) -> Document:
    """A Document from plain text or Markdown, with the dateline and title it opens with."""
    text = composed(text.replace("\r\n", "\n").replace("\r", "\n"))
    document = Document(source=source, text=text, url=url, canonical_url=url, encoding=encoding)
    head = text[:_DATELINE_CHARS]
    iso = _ISO_DATE.search(head)
    parsed = parse_datetime(iso.group()) if iso else None
    if parsed:
        document.dating = Dating(parsed[0], "text-dateline", parsed[1])
    else:
        match = date_pattern(lexicon or load_cues()).search(head)
        date = parse_date(match, lexicon or load_cues()) if match else None
        when = date.as_datetime() if date else None
        if when is not None:
            document.dating = Dating(when, "text-dateline", Precision.DAY)
    title = _MARKDOWN_TITLE.search(text[:2000])
    if title:
        document.title = title.group(1).strip()
    document.language = guess_language(text)
    return document


def document_from_bytes(
    content: bytes,
    *,
    source: str,
    url: str | None = None,
    charset: str | None = None,
    content_type: str | None = None,
    html_hint: bool = False,
    lexicon: Lexicon | None = None,
) -> Document:
    """Decode `content` and build an HTML or a text Document, judged by the content."""
    text, encoding = decode(content, charset)
    lexicon = lexicon or load_cues()
    if _reads_as_html(text, content_type, html_hint=html_hint):
        return html_document(text, source=source, lexicon=lexicon, url=url, encoding=encoding)
    return text_document(text, source=source, url=url, encoding=encoding, lexicon=lexicon)


def _reads_as_html(text: str, content_type: str | None, *, html_hint: bool = False) -> bool:
    kind = (content_type or "").split(";")[0].strip().lower()
    return kind in _HTML_TYPES or looks_like_html(text) or (html_hint and "<" in text[:4096])


def fetched_page(fetched: Fetched, requested: str) -> ParsedPage:
    """A page fetched for `requested` (through the HTTP layer), decoded and parsed as
    `fetch_document` reads it: whoever reads its markup first (the web adapter) keeps the
    parse for its Document (`page_document`)."""
    text, encoding = decode(fetched.content, fetched.charset)
    return parse_page(
        text,
        url=fetched.final_url or requested,
        encoding=encoding,
        requested=requested,
        markup=_reads_as_html(text, fetched.content_type),
    )


def read_document(source: str, *, lexicon: Lexicon | None = None) -> Document:
    """A Document from a file path or `-` (stdin). URLs need `load_document`."""
    if source == "-":
        content = sys.stdin.buffer.read()
        return document_from_bytes(content, source="-", lexicon=lexicon)
    path = Path(source).expanduser()
    if not path.exists():
        raise InputError(f"no such file: {source}")
    if path.is_dir():
        raise InputError(f"{source} is a directory, not an article")
    try:
        content = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read {source}: {error.strerror or error}") from None
    return document_from_bytes(
        content, source=source, html_hint=path.suffix.lower() in _HTML_SUFFIXES, lexicon=lexicon
    )


async def fetch_document(url: str, http: HTTPClient, *, lexicon: Lexicon | None = None) -> Document:
    """Fetch `url` through the HTTP layer and build its Document."""
    fetched = await http.fetch(url, cache=True)
    if not fetched.ok:
        raise InputError(f"{url} answered HTTP {fetched.status_code}")
    kind = fetched.content_type
    if (
        kind
        and kind not in _HTML_TYPES
        and kind not in _TEXT_TYPES
        and not kind.startswith("text/")
    ):
        raise InputError(f"{url} is {kind}, not an article")
    return document_from_bytes(
        fetched.content,
        source=url,
        url=fetched.final_url or url,
        charset=fetched.charset,
        content_type=kind,
        lexicon=lexicon,
    )


async def load_document(
    source: str, http: HTTPClient | None = None, *, lexicon: Lexicon | None = None
) -> Document:
    """A Document from a URL (through `http`), an .html/.txt/.md file, or `-` for stdin.

    A scheme-less address ("example.com/a") that is not a file is read as https.
    Without `http`, a client is made from the user's settings for this one fetch.
    """
    source = source.strip()
    if (
        not is_url(source)
        and source != "-"
        and not Path(source).expanduser().exists()
        and _SCHEMELESS.match(source)
    ):
        source = f"https://{source}"
    if not is_url(source):
        return read_document(source, lexicon=lexicon)
    if http is not None:
        return await fetch_document(source, http, lexicon=lexicon)
    from tracer.http.client import HTTPClient
    from tracer.settings import load_settings

    async with HTTPClient(load_settings().http) as client:
        return await fetch_document(source, client, lexicon=lexicon)
