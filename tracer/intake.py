"""What a trace accepts as an article, refused before anything is stored.

A trace stores what it reads, and later `check` and `archive --pending` runs work on what
is stored: an executable read as text left junk "links" (`gnu.org/licenses/gpl.htmlWritten`)
for every later night to check. So the input is judged first, by its content (a binary
may be called .txt; an article may have no extension): empty, binary, or without a single
readable word is refused with one line, and so is an address in a scheme nobody can fetch.
"""

from __future__ import annotations

import re
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from tracer.errors import InputError
from tracer.extract import Document, load_document
from tracer.extract.source import document_from_bytes

if TYPE_CHECKING:
    from tracer.http.client import HTTPClient

#: bytes read to judge a file: enough for any format's signature and a fair sample
SNIFF_BYTES = 8192
#: what stdin is called in messages, and the origin shown for pasted text
STDIN = "stdin"
#: signatures of formats that are never an article, whatever their first 8 KB hold
_SIGNATURES = {
    b"%PDF-": "a PDF",
    b"\x7fELF": "an executable",
    b"MZ": "an executable",
    b"PK\x03\x04": "a ZIP archive",
    b"\x1f\x8b": "gzip-compressed",
    b"\x89PNG": "an image",
    b"\xff\xd8\xff": "an image",
    b"GIF8": "an image",
    b"SQLite format 3\x00": "a database",
}
#: byte-order marks of UTF-16 and UTF-32 text, whose ASCII holds NUL bytes
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff")
#: control bytes other than tab, newline, form feed and carriage return
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*)://", re.IGNORECASE)
#: a word: two letters in a row (digits and punctuation alone say nothing)
_WORD = re.compile(r"[^\W\d_]{2}")


#: how many words of its opening line name an article that has no title
NAME_WORDS = 10


def origin(source: str) -> str:
    """What the user traced, as shown and recorded: a path, a URL, or `stdin`."""
    return STDIN if source.strip() == "-" else source


def article_name(document: Document) -> str:
    """An article's name: its title or outlet, else the opening words of its text (pasted
    text and text files), else its address. Never the path it was read from: the same
    article read from another file would be renamed after it."""
    if document.title or document.outlet:
        return document.title or document.outlet or ""
    if document.url is None:
        line = next((ln for ln in document.text.splitlines() if _WORD.search(ln)), "")
        words = line.split()
        if words:
            return " ".join(words[:NAME_WORDS]) + ("…" if len(words) > NAME_WORDS else "")
    return document.source


def refuse_scheme(source: str) -> None:
    """An address in a scheme other than http(s) cannot be traced."""
    match = _SCHEME.match(source.strip())
    if match and match.group(1).lower() not in ("http", "https"):
        raise InputError(
            f"unsupported scheme {match.group(1).lower()}: give an http(s) URL, a file, or -"
        )


def refuse_content(head: bytes, name: str) -> None:
    """Refuse an input whose opening bytes show it is empty or binary."""
    if not head.strip():
        raise InputError(f"{name} is empty: nothing to trace")
    for signature, kind in _SIGNATURES.items():
        if head.startswith(signature):
            raise InputError(f"{name} is {kind}, not an article")
    if head.startswith(_WIDE_BOMS):
        return
    controls = len(head) - len(head.translate(None, _CONTROL))
    # text has no NUL at all and next to no control bytes; binaries are full of both
    if b"\x00" in head or controls > len(head) // 100:
        raise InputError(f"{name} is binary, not an article")


def refuse_wordless(document: Document, name: str) -> None:
    """Refuse a document in which not one word can be read (symbols, numbers, markup only)."""
    if not document.text.strip():
        raise InputError(f"{name} has no text to trace")
    if _WORD.search(document.text) is None:
        raise InputError(f"{name} has no readable words")


@contextmanager
def _interruptible() -> Iterator[None]:
    """Let Ctrl-C end a blocking read inside the event loop.

    asyncio.run answers SIGINT by cancelling its task, which happens only once the task
    gives control back: a person waiting at `tracer trace -` had to type Ctrl-D first.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


async def read_article(source: str, http: HTTPClient | None) -> Document:
    """The article `source` names (a URL, a file, or - for stdin), or InputError saying why
    it is not one."""
    refuse_scheme(source)
    if source.strip() == "-":
        with _interruptible():
            content = sys.stdin.buffer.read()
        refuse_content(content[:SNIFF_BYTES], STDIN)
        document = document_from_bytes(content, source="-")
        refuse_wordless(document, STDIN)
        return document
    path = Path(source).expanduser()
    if path.is_file():
        try:
            with path.open("rb") as file:
                refuse_content(file.read(SNIFF_BYTES), source)
        except OSError:
            pass  # reading it again says why, in the reader's words
    document = await load_document(source, http)
    refuse_wordless(document, source)
    return document


__all__ = [
    "STDIN",
    "article_name",
    "origin",
    "read_article",
    "refuse_content",
    "refuse_scheme",
    "refuse_wordless",
]
