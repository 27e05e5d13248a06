"""Embedded posts in markup: the blockquotes, widget scripts and iframes publishers paste.

Read from the original tree (before the main-text extraction prunes it), in document
order, in one pass over the tags some platform adapter can read an embed from (each
adapter knows its own markup: tracer.plugins.platform.EmbedReader). Each embed becomes
an `embeds` reference; the links inside an embed belong to the embedded post, so they
are reported back for the link pass to skip.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tracer.extract.reference import Reference
from tracer.plugins.platform import Embedded, EmbedPage
from tracer.store.model import Relation

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from tracer.extract.cues import Lexicon
    from tracer.plugins.installed import EmbedPlan


@dataclass(slots=True)
class Embeds:
    references: list[Reference] = field(default_factory=list)
    #: every href inside an embed: the embedded post's own links, not the article's
    inner_hrefs: set[str] = field(default_factory=set)
    _seen: set[str] = field(default_factory=set)
    #: (platform, post id) of the posts found: one post may be embedded twice, e.g. as
    #: the blockquote a publisher pasted and the iframe the platform's widget made of it
    _posts: set[tuple[str, str]] = field(default_factory=set)

    def add(self, embedded: Embedded) -> None:
        key = embedded.url or ""
        if key and key in self._seen:
            return
        post = (embedded.platform, embedded.post_id) if embedded.post_id else None
        if post is not None and post in self._posts:
            return
        self._seen.add(key)
        if post is not None:
            self._posts.add(post)
        self.references.append(_reference(embedded))


def _reference(embedded: Embedded) -> Reference:
    return Reference(
        relation=Relation.EMBEDS,
        kind=embedded.kind,
        extractor=embedded.form,
        platform=embedded.platform,
        url=embedded.url,
        handle=embedded.handle,
        name=embedded.name,
        display_name=embedded.display_name,
        text=embedded.text,
        dating=embedded.dating,
        attachments=list(embedded.attachments),
    )


def read_embeds(tree: HtmlElement, lexicon: Lexicon, base: str | None = None) -> Embeds:
    """Every embedded post in the page, in document order."""
    embeds = Embeds()
    plan = _plan()
    if plan is None:
        return embeds
    page = EmbedPage(base, lexicon, embeds.inner_hrefs)
    for element in plan.candidates(tree):
        for reader in plan.readers.get(element.tag, ()):
            for embedded in reader.read_embed(element, page):
                embeds.add(embedded)
    return embeds


def _plan() -> EmbedPlan | None:
    # imported on the first page, not with extraction: text-only runs load no adapter
    from tracer.plugins.installed import embed_plan

    return embed_plan()
