"""The main text of a page: trafilatura's fast cascade first, its full one only when needed.

trafilatura's default extraction runs its own extractor and then, on every page, asks
readability and justext for a second opinion: about a third of its time, and on an
ordinary article the second opinion changes nothing. So the page goes through trafilatura
in fast mode first (its own extractor, no comparison) and through the full cascade only
when the fast result shows the signs the comparison exists for:

- *short*: under trafilatura's own minimum for an extraction (MIN_EXTRACTED_SIZE, 250
  characters), below which its full cascade lets readability and justext compete.
- *partial*: less than half the text the page holds in paragraphs. readability replaces
  trafilatura's result when it finds more than twice as much, and paragraphs are what it
  collects: an article that runs on into a block trafilatura discards ("related",
  "sidebar", "share", a run of links) shows up here.
- *outside*: more than twice the page's paragraph text, so most of it stands outside
  paragraphs (text in <div>s and <br>s, lists): where trafilatura's own extractor is
  weakest, and where, finding nothing, its fast mode returns its last-resort reading of
  the whole page, navigation included, which the full cascade replaces with justext's.
- *thin*: under ESCALATION_LENGTH characters and under ESCALATION_SHARE of the page's
  visible text: trafilatura's own test for an extraction that covers too little of the
  page, on which the full cascade also tries justext.
- *unstructured*: no paragraph text, or more tables than paragraphs (readability's rule
  for an extraction it may replace), or elements trafilatura's comparison counts as
  unclean (then it consults justext).

The page measures over-count (whitespace, text trafilatura prunes first), so *partial*
and *thin* err towards the full cascade. What none of the tests sees: an article that runs
on outside paragraphs (table cells, list items, bare <div> text) in blocks trafilatura
discards, while the fast result still holds half the page's paragraph text; readability
would read those blocks. Counting every paragraph-like block catches more of these, but
it also fires on most real pages (menus, cookie banners), where a page then costs the
fast pass and the full cascade both, more than the full cascade alone.
"""

from __future__ import annotations

import re
from copy import copy
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from lxml import etree
from lxml.html import HtmlElement

#: trafilatura's recall escalation (core.ESCALATION_MAX_LENGTH, ESCALATION_PAGE_SHARE)
ESCALATION_LENGTH = 3000
ESCALATION_SHARE = 0.2

TextPath = Literal["fast", "full", "page"]

#: deeper than this, a page is read as all its visible text: trafilatura walks every
#: element's ancestors, so its time grows with the cube of the nesting (a thousand nested
#: tables took 7 s, a few thousand more than five minutes); real articles nest a few dozen
MAX_DEPTH = 200
_TOO_DEEP = etree.XPath("boolean(" + "/*" * (MAX_DEPTH + 1) + ")")
_SPACE = re.compile(r"\s+")
_PARAGRAPH_TEXT = etree.XPath("//body//p//text()", smart_strings=False)
_HAS_PARAGRAPH_TEXT = etree.XPath("boolean(.//p//text())")
_VISIBLE = (
    "//body//text()[not(ancestor::script) and not(ancestor::style) and not(ancestor::noscript)]"
)
_VISIBLE_TEXT = etree.XPath(_VISIBLE, smart_strings=False)
# for a length, blank runs between tags are left out in C: pretty-printed pages hold many
_VISIBLE_WORDS = etree.XPath(f"{_VISIBLE}[normalize-space()]", smart_strings=False)
#: what trafilatura's comparison calls an unclean result (external.SANITIZED_XPATH)
_UNCLEAN_TAGS = (
    "aside",
    "audio",
    "button",
    "fencedframe",
    "fieldset",
    "figure",
    "footer",
    "iframe",
    "input",
    "label",
    "link",
    "nav",
    "noindex",
    "noscript",
    "object",
    "option",
    "select",
    "source",
    "svg",
    "time",
)
_UNCLEAN = etree.XPath("|".join(f".//{tag}" for tag in _UNCLEAN_TAGS))


@dataclass(frozen=True, slots=True)
class MainText:
    """A page's main text and the path that found it.

    `path` is "fast" (trafilatura's own extractor), "full" (its whole cascade, with
    readability and justext) or "page" (all visible text: trafilatura found none, or the
    page nests deeper than MAX_DEPTH);
    `reason` says why the fast result was not kept.
    """

    text: str
    path: TextPath
    reason: str | None = None


@cache
def _minimum() -> int:
    """trafilatura's MIN_EXTRACTED_SIZE: below it, its full cascade looks elsewhere."""
    from trafilatura.settings import DEFAULT_CONFIG

    return DEFAULT_CONFIG.getint("DEFAULT", "MIN_EXTRACTED_SIZE")


@cache
def _options(fast: bool) -> Any:
    """trafilatura's options for one kind of pass, built once: building them reads its
    configuration again, a twentieth of a fast pass."""
    from trafilatura.settings import DEFAULT_CONFIG, Extractor

    # links are found in the original tree (page._content_links): asking trafilatura for
    # them makes it render Markdown links and costs a quarter of its time again
    return Extractor(
        config=DEFAULT_CONFIG,
        output_format="python",
        fast=fast,
        comments=False,
        links=False,
        images=False,
        tables=True,
    )


def _extract(tree: HtmlElement, url: str | None, *, fast: bool) -> Any:
    from trafilatura import bare_extraction

    options = copy(_options(fast))  # a copy per page: the url is the page's own
    options.url = options.source = url
    try:
        return bare_extraction(tree, options=options)
    except Exception:  # a page trafilatura chokes on still has text
        return None


def _length(parts: list[Any]) -> int:
    return sum(len(part) for part in parts)


def shortfall(result: Any, tree: HtmlElement) -> str | None:
    """Why the fast result may have missed the article (see the module), or None."""
    text = (getattr(result, "text", None) or "") if result is not None else ""
    body = getattr(result, "body", None)
    length = len(text)
    if length < _minimum() or body is None:
        return "short"
    paragraphs = _length(_PARAGRAPH_TEXT(tree))
    if 2 * length < paragraphs:
        return "partial"
    if length > 2 * paragraphs:
        return "outside"
    if length < ESCALATION_LENGTH and length < ESCALATION_SHARE * _length(_VISIBLE_WORDS(tree)):
        return "thin"
    if not _HAS_PARAGRAPH_TEXT(body) or len(body.findall(".//table")) > len(body.findall(".//p")):
        return "unstructured"
    if _UNCLEAN(body):
        return "unstructured"
    return None


def visible_text(tree: HtmlElement) -> str:
    """All visible text, one line per text node, for a page trafilatura finds no text in."""
    lines = (_SPACE.sub(" ", str(part)).strip() for part in _VISIBLE_TEXT(tree))
    return "\n".join(line for line in lines if line)


def main_text(tree: HtmlElement, url: str | None) -> MainText:
    """The main text of the parsed page `tree` (left as it is: trafilatura works on a copy)."""
    if _TOO_DEEP(tree):
        return MainText(visible_text(tree), "page", "deep")
    probe = _extract(tree, url, fast=True)
    reason = shortfall(probe, tree)
    if reason is None:
        return MainText(str(probe.text), "fast")
    result = _extract(tree, url, fast=False)
    text = getattr(result, "text", None) if result is not None else None
    if text and text.strip():
        return MainText(str(text), "full", reason)
    return MainText(visible_text(tree), "page", reason)
