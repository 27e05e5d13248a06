"""`extract(document)`: every reference of a document, merged, in reading order.

Markup embeds, links in the main text, what embeds leave behind in text, and prose
attributions are found separately and merged here: a tweet found both as a blockquote
and as its signature in the text is one reference (URL from the markup, evidence from
the text); a URL found both as an anchor and as bare text is one reference. Links that
promote the outlet itself ("follow us on Telegram", its own pages and accounts) are not
references of the article.
"""

from __future__ import annotations

import re
from dataclasses import fields
from functools import cache
from typing import Any

from tracer.extract.attributions import AttributionFinder
from tracer.extract.cues import Lexicon, cues_for, load_cues
from tracer.extract.document import Document
from tracer.extract.embeds import read_embeds
from tracer.extract.lazypattern import LazyPattern
from tracer.extract.page import parse_tree
from tracer.extract.reference import Reference
from tracer.extract.sentences import Sentences
from tracer.extract.textpatterns import text_references
from tracer.extract.urls import handle_matches_outlet, is_share_link, site_host
from tracer.store.model import NodeKind, Relation


@cache
def _finder(lexicon: Lexicon) -> AttributionFinder:
    return AttributionFinder(lexicon)


def _markup(document: Document, lexicon: Lexicon) -> list[Reference]:
    if document.markup_references is not None:
        return [_copy(reference) for reference in document.markup_references]
    if document.html is None:
        return []
    tree = parse_tree(document.html)
    if tree is None:
        return []
    base = document.canonical_url or document.url
    return read_embeds(tree, lexicon, base).references


_FIELDS = tuple(item.name for item in fields(Reference))


def _copy(reference: Reference) -> Reference:
    # extraction adjusts evidence in place; the document's own list stays as loaded.
    # Field by field: `copy.copy` of a slotted dataclass goes through __reduce_ex__,
    # several times slower, and pages hold dozens of markup references
    duplicate = object.__new__(Reference)
    for name in _FIELDS:
        setattr(duplicate, name, getattr(reference, name))
    duplicate.aliases = list(reference.aliases)
    duplicate.descriptors = list(reference.descriptors)
    duplicate.attachments = list(reference.attachments)
    duplicate.mentions = list(reference.mentions)
    return duplicate


def _own_names(document: Document) -> list[str]:
    names = [name for name in (document.outlet,) if name]
    host = document.host
    if host:
        names.append(host)
        names.append(host.split(".")[0])
    return names


@cache
def _follow_phrases(lexicon: Lexicon) -> re.Pattern[str]:
    """Any of the lexicons' "follow us" phrases, case-folded, as one prefix tree: hundreds
    of substring tests per link cost more than one search of the tree."""
    trie: dict[str, Any] = {}
    for phrase in lexicon.list("follow"):
        node = trie
        for char in phrase.casefold():
            node = node.setdefault(char, {})
        node[""] = {}
    return LazyPattern(_any_phrase(trie)).compiled  # through the compiled-pattern cache


def _any_phrase(node: dict[str, Any]) -> str:
    if "" in node:
        return ""  # a phrase ends here: whatever follows, one of them stands in the text
    branches = [re.escape(char) + _any_phrase(node[char]) for char in sorted(node)]
    if not branches:
        return "(?!)"
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


class _Filter:
    """Decides which links are the outlet's own chrome rather than the article's sources."""

    def __init__(self, document: Document, lexicon: Lexicon) -> None:
        self.host = document.host
        self.outlet = document.outlet
        self.follow = _follow_phrases(lexicon)
        self.text = document.text

    def promotional(self, reference: Reference, sentence: str) -> bool:
        url = reference.url or ""
        if is_share_link(url):
            return True
        host = site_host(url)
        if self.host and (host == self.host or host.endswith("." + self.host)):
            return True
        if (
            reference.kind == NodeKind.CHANNEL
            and reference.handle
            and handle_matches_outlet(reference.handle, self.outlet, self.host)
        ):
            return True
        context = f"{reference.name or ''} {sentence}".casefold()
        return self.follow.search(context) is not None


def _merge_tweets(markup: list[Reference], signatures: list[Reference]) -> list[Reference]:
    """Give markup tweets the evidence of their signatures; return unmatched signatures."""
    tweets = [
        r
        for r in markup
        if r.platform == "x" and r.kind == NodeKind.POST and r.relation == Relation.EMBEDS
    ]
    unmatched: list[Reference] = []
    for signature in signatures:
        handle = (signature.handle or "").casefold()
        match = next(
            (
                tweet
                for tweet in tweets
                if tweet.evidence is None
                and (tweet.handle or "").casefold() == handle
                and (
                    tweet.dating is None
                    or signature.dating is None
                    or tweet.dating.method != signature.dating.method
                    or tweet.dating.at == signature.dating.at
                )
            ),
            None,
        )
        if match is None:
            unmatched.append(signature)
            continue
        match.evidence, match.start, match.end = signature.evidence, signature.start, signature.end
        match.display_name = match.display_name or signature.display_name
        match.name = match.name or signature.name
        match.text = match.text or signature.text
        for attachment in signature.attachments:
            if attachment not in match.attachments:
                match.attachments.append(attachment)
        match.attachment_spans.update(signature.attachment_spans)
        if signature.dating is not None and (
            match.dating is None or match.dating.method != signature.dating.method
        ):
            match.dating = signature.dating
    return unmatched


def _locate_embeds(embeds: list[Reference], text: str, sentences: Sentences) -> None:
    """Evidence for embeds the main text kept a trace of: the line holding their text."""
    for embed in embeds:
        if embed.evidence is not None or not embed.text:
            continue
        probe = embed.text[:80]
        position = text.find(probe)
        if position < 0:
            continue
        line_start = text.rfind("\n", 0, position) + 1
        line_end = text.find("\n", position)
        line_end = len(text) if line_end < 0 else line_end
        embed.evidence = text[line_start:line_end]
        embed.start, embed.end = line_start, line_end


def _locate_attachments(references: list[Reference], text: str) -> None:
    """Spans for attachments the text shows ("pic.twitter.com/…" without its scheme)."""
    for reference in references:
        for url in reference.attachments:
            if url in reference.attachment_spans:
                continue
            bare = url.split("://", 1)[-1]
            near = max(0, (reference.start or 0) - 1000)
            position = text.find(bare, near)
            if position < 0:
                position = text.find(bare)
            if position >= 0:
                if text[max(0, position - 8) : position].endswith(("https://", "http://")):
                    scheme = 8 if text[max(0, position - 8) : position].endswith("https://") else 7
                    position -= scheme
                    bare = text[position : position + scheme] + bare
                reference.attachment_spans[url] = (position, position + len(bare))


def _url_key(url: str | None) -> str:
    if not url:
        return ""
    key = url.split("#")[0].rstrip("/").casefold()
    return key.removeprefix("https://").removeprefix("http://").removeprefix("www.")


def extract(document: Document, *, cues: Lexicon | None = None) -> list[Reference]:
    """Every reference of `document`: embeds, links and cited sources, in reading order.

    Evidence is always an exact substring of `document.text` at [start, end).
    """
    lexicon = cues or load_cues()
    text = document.text
    sentences = Sentences(text)
    found_in_text = text_references(text, lexicon, sentences)
    signatures = [r for r in found_in_text if r.extractor == "text-signature"]
    handles_in_text = [r for r in found_in_text if r.extractor == "text-handle"]
    urls_in_text = [
        r for r in found_in_text if r.extractor not in {"text-signature", "text-handle"}
    ]
    markup = _markup(document, lexicon)
    embeds = [r for r in markup if r.relation == Relation.EMBEDS]
    anchors = [r for r in markup if r.relation != Relation.EMBEDS]
    loose_signatures = _merge_tweets(embeds, signatures)

    _locate_embeds(embeds, text, sentences)
    keep = _Filter(document, lexicon)
    taken: set[str] = {_url_key(r.url) for r in embeds if r.url}
    for reference in [*embeds, *loose_signatures]:
        taken.update(_url_key(a) for a in reference.attachments)
    links: list[Reference] = []
    for reference in anchors:
        if reference.start is not None and reference.end is not None:
            sentence = sentences.covering(reference.start, reference.end)
            reference.evidence = text[sentence.start : sentence.end]
            reference.start, reference.end = sentence.start, sentence.end
        key = _url_key(reference.url)
        if key in taken or keep.promotional(reference, reference.evidence or ""):
            continue
        taken.add(key)
        links.append(reference)
    for reference in urls_in_text:
        key = _url_key(reference.url)
        if key in taken or keep.promotional(reference, reference.evidence or ""):
            continue
        taken.add(key)
        links.append(reference)

    # prose is read with the lexicons of the languages the text is written in: compiling
    # and trying every language's cues would cost more than the rest of extraction
    prose = _finder(cues or cues_for(text, declared=document.language)).find(
        text, sentences, _own_names(document)
    )
    handles = {(r.handle or "").casefold() for r in [*embeds, *loose_signatures] if r.handle}
    credited: list[Reference] = []
    for reference in [*prose, *handles_in_text]:
        handle = (reference.handle or "").casefold()
        if handle and (
            handle in handles or handle_matches_outlet(handle, document.outlet, document.host)
        ):
            continue  # an embed's author, or the outlet's own account
        if handle:
            handles.add(handle)
        credited.append(reference)
    prose = credited

    references = [*embeds, *loose_signatures, *links, *prose]
    _locate_attachments(references, text)
    for reference in references:
        if reference.evidence is not None and (
            reference.start is None or text[reference.start : reference.end] != reference.evidence
        ):
            # never hand out evidence that does not point at itself
            reference.evidence = reference.start = reference.end = None
    order = {id(reference): position for position, reference in enumerate(references)}
    references.sort(
        key=lambda r: (r.start is None, r.start if r.start is not None else 0, order[id(r)])
    )
    return references
