"""Parsing a fetched page with BeautifulSoup, imported on first use.

Every command loads every adapter, and importing bs4 (soupsieve compiles its CSS
grammar on import) costs a command that parses no page, such as an offline trace, a
noticeable share of its start. The adapters parse through here instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeGuard

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag


def parse_html(html: str | bytes) -> BeautifulSoup:
    """`html` parsed by lxml into a BeautifulSoup tree."""
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "lxml")


def is_tag(element: object) -> TypeGuard[Tag]:
    """Whether `element` is an element (not a string, not None): what `find` may return."""
    from bs4 import Tag

    return isinstance(element, Tag)
