"""The pictures in a page's main text: the photos an article shows beside its words,
not the chrome around them (logos, icons, avatars, tracking pixels, navigation).

Read from the lxml tree the caller already has (`tracer.extract.page.parse_tree`): the
web adapter parses every page it reads once, for its metadata, its text and these
images, and the traced article keeps its one parse on its Document (`Document.tree`);
the tree is only read, never changed.

The main content is found here, not taken from `tracer.extract`: extraction keeps the
text of the main content, not its element. A small finder is
enough for pictures: an <article>, <main> or role="main" element when the page names
one, else the element whose own <p> children hold the most text.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from tracer.urls import joined_url

if TYPE_CHECKING:
    from lxml.html import HtmlElement

#: pictures kept per page at most; the media step fetches `media.page_images` of them
MAX_FOUND = 50
#: below this many pixels wide or high (as the markup states it) a picture is an icon,
#: a pixel or a button, not a photo worth fingerprinting
MIN_SIDE = 100
#: elements whose pictures are the site's, not the story's
_CHROME = frozenset({"nav", "header", "footer", "aside", "form", "button"})
#: words in a picture's class, id, alt or file name that mark it as chrome
_CHROME_WORDS = re.compile(
    r"(?<![a-z])(?:logo|icon|favicon|avatar|gravatar|sprite|badge|emoji|pixel|spacer|"
    r"beacon|placeholder|profile-pic|author-photo)s?(?![a-z])",
    re.IGNORECASE,
)
#: attributes lazy loaders keep the real address in, tried before `src` (which then
#: holds a placeholder)
_LAZY = ("data-src", "data-lazy-src", "data-original", "data-lazy", "data-url")


def text_pictures(
    tree: HtmlElement, base_url: str, *, skip: Collection[str] = (), limit: int = MAX_FOUND
) -> list[str]:
    """The absolute http(s) URLs of the pictures in the page's main text, in page order,
    without those in `skip` (the page's share picture, already found)."""
    container = main_content(tree)
    found: list[str] = []
    for img in container.iterdescendants("img"):
        if len(found) >= limit:
            break
        if _is_chrome(img, container):
            continue
        url = _address(img, base_url)
        if url is not None and url not in skip and url not in found:
            found.append(url)
    return found


def main_content(tree: HtmlElement) -> HtmlElement:
    """The element holding the page's main text."""
    named = [*tree.iterdescendants("article", "main"), *tree.iterfind(".//*[@role='main']")]
    if named:
        # several <article>s (a story and its "related" teasers): the one with most text;
        # a page whose only <article>s are text-less cards has its story elsewhere
        best = max(named, key=_paragraph_text)
        if _paragraph_text(best) > 0:
            return best
    # the element is its own key: lxml hands back the same proxy while one is held
    scores: dict[HtmlElement, int] = {}
    for paragraph in tree.iterdescendants("p"):
        parent = paragraph.getparent()
        if parent is not None:
            scores[parent] = scores.get(parent, 0) + len(paragraph.text_content())
    if scores:
        return max(scores.items(), key=lambda item: item[1])[0]
    # a fragment (an embed's markup) has no <body>: its root holds all of it
    return next(tree.iter("body"), tree)


def _paragraph_text(tag: HtmlElement) -> int:
    return sum(len(p.text_content()) for p in tag.iterdescendants("p"))


def _is_chrome(img: HtmlElement, container: HtmlElement) -> bool:
    for side in ("width", "height"):
        size = _pixels(img.get(side))
        if size is not None and size < MIN_SIDE:
            return True
    words = [*_names(img), str(img.get("alt") or ""), _file_name(img)]
    if _CHROME_WORDS.search(" ".join(words)):
        return True
    for parent in _between(img, container):
        if parent.tag in _CHROME and not (parent.tag == "header" and _in_article(parent)):
            return True  # an <article>'s own <header> holds its lead photo: content
        if _CHROME_WORDS.search(" ".join(_names(parent))):
            return True  # <div class="author-avatar">, <figure class="site-logo">
    return False


def _names(tag: HtmlElement) -> list[str]:
    """The class names and id of an element."""
    return [*(tag.get("class") or "").split(), tag.get("id") or ""]


def _between(tag: HtmlElement, container: HtmlElement) -> Iterator[HtmlElement]:
    """The elements between `tag` and `container`: the container's own class or the
    <body>'s ("has-logo") says nothing of one picture."""
    for parent in tag.iterancestors():
        if parent is container:
            return
        yield parent


def _in_article(tag: HtmlElement) -> bool:
    return next(tag.iterancestors("article"), None) is not None


def _pixels(value: object) -> int | None:
    match = re.match(r"\s*(\d+)\s*(?:px)?\s*$", str(value)) if value is not None else None
    return int(match.group(1)) if match else None


def _file_name(img: HtmlElement) -> str:
    source = next((str(img.get(name)) for name in (*_LAZY, "src") if img.get(name)), "")
    return urlsplit(source).path.rsplit("/", 1)[-1] if "://" in source or "/" in source else source


def _address(img: HtmlElement, base_url: str) -> str | None:
    """The picture's address: a lazy loader's, else `src`, else the widest candidate of
    a `srcset` (the <img>'s or its <picture>'s <source>s)."""
    candidates = [str(img.get(name) or "") for name in (*_LAZY, "src")]
    candidates.append(_widest(str(img.get("srcset") or img.get("data-srcset") or "")))
    # libxml2's HTML parser does not know <source> is empty: the <img> may end up inside
    # it, so the <picture> is looked for among all its ancestors
    picture = next(img.iterancestors("picture"), None)
    if picture is not None:
        for source in picture.iterdescendants("source"):
            candidates.append(_widest(str(source.get("srcset") or source.get("data-srcset") or "")))
    for candidate in candidates:
        value = candidate.strip()
        if not value or value.lower().startswith("data:"):
            continue
        url = joined_url(base_url, value)
        if url is None:
            continue
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and not parts.path.lower().endswith(".svg"):
            return url  # an SVG is a drawing (a logo, an icon), never a photograph
    return None


def _widest(srcset: str) -> str:
    """The candidate of a srcset with the largest width (or density) descriptor."""
    best, best_size = "", -1.0
    for entry in srcset.split(","):
        parts = entry.split()
        if not parts:
            continue
        size = 0.0
        if len(parts) > 1 and re.fullmatch(r"\d+(?:\.\d+)?[wx]", parts[1]):
            size = float(parts[1][:-1])
        if size > best_size:
            best, best_size = parts[0], size
    return best
