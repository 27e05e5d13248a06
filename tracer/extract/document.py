"""The document a trace starts from: its main text, and what it says about itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tracer.store.model import Dating

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from tracer.extract.reference import Reference


@dataclass(slots=True)
class Document:
    """An article (or any page or pasted text) ready for extraction.

    `text` is the extracted main text; every evidence offset of a `Reference` indexes
    into it. `html` is the markup it came from, or None for plain text and Markdown.
    """

    source: str
    text: str
    url: str | None = None
    canonical_url: str | None = None
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    language: str | None = None
    dating: Dating | None = None
    html: str | None = None
    encoding: str | None = None
    #: references read from the markup while it was parsed, so `extract` never parses
    #: the HTML a second time; None when the document was built without that pass
    markup_references: list[Reference] | None = field(default=None, repr=False, compare=False)
    #: the parsed markup, kept (read only) for what else reads the page after its text:
    #: an online trace's media step takes the photos of its text from it
    tree: HtmlElement | None = field(default=None, repr=False, compare=False)

    @property
    def is_html(self) -> bool:
        return self.html is not None

    @property
    def host(self) -> str | None:
        """The host the document lives on, without a leading `www.`."""
        from urllib.parse import urlsplit

        for candidate in (self.canonical_url, self.url):
            if candidate and "://" in candidate:
                host = (urlsplit(candidate).hostname or "").lower()
                if host:
                    return host.removeprefix("www.")
        return None
