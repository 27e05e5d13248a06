"""The trace: from one article to the provenance chain behind it, stored.

fetch -> extract -> resolve -> locate -> follow -> record. Each document is read once,
its references become nodes (through platform adapters for URLs, the source registry
for names), edges carry the exact evidence, and cited nodes that are documents are read
in turn up to the depth asked. Everything is upserted, so running the same trace again
changes nothing and two traces that meet share their nodes.

Offline, nothing touches the network: nodes that would need it are stored with status
offline. Online, a failing platform or archive marks its node and the trace goes on.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from sqlmodel import Session, col, select

from tracer.errors import InputError, NetworkError, TracerError
from tracer.extract import Document, Reference, extract, load_document, text_document
from tracer.extract.cues import load_cues
from tracer.extract.language import guess_language
from tracer.extract.page import ParsedPage, page_document
from tracer.identity.registry import Outcome, SourceRegistry, load_registry
from tracer.identity.resolver import parse, record, resolve_url
from tracer.intake import article_name, origin, read_article
from tracer.media.page_images import text_pictures
from tracer.media.pictures import share_images
from tracer.plugins.installed import profiles
from tracer.plugins.platform import Identity, Profile, Related
from tracer.sourcesearch.named import Found, NamedSearch
from tracer.store.model import (
    Edge,
    EdgeMention,
    Node,
    NodeKind,
    NodeStatus,
    Precision,
    Relation,
    Trace,
    TraceStatus,
    utcnow,
)
from tracer.store.upserts import Store, name_identity, node_identity

if TYPE_CHECKING:
    from tracer.http.client import HTTPClient

log = logging.getLogger(__name__)

#: a function that finds and stores the archived copies of a stored node
Locate = Callable[[Node, "HTTPClient"], Awaitable[None]]
#: a function told what the trace is doing, for progress displays
Report = Callable[[str], None]
#: a function that fetches, fingerprints and stores the images stored nodes show
Media = Callable[["HTTPClient", Sequence[Node], int], Awaitable[None]]

#: kinds whose pages are documents that cite further sources and can be followed
FOLLOWED_KINDS = frozenset({NodeKind.ARTICLE, NodeKind.POST, NodeKind.DOCUMENT, NodeKind.PAGE})
#: kinds worth asking archives about: things that can vanish, not an outlet's home page
LOCATED_KINDS = frozenset(
    {NodeKind.ARTICLE, NodeKind.POST, NodeKind.DOCUMENT, NodeKind.PAGE, NodeKind.MEDIA}
)


def _author_profile(post: Node, reference: Reference) -> Profile | None:
    """The profile of the account an embedded post names as its author, when the post's
    own URL does not name it (an X post is stored as x.com/i/status/<id>, a Telegram post
    under its channel's name): that account is stored with an authored_by edge."""
    if not reference.handle or post.kind != NodeKind.POST or post.platform is None:
        return None
    profile = profiles().get(post.platform)
    if profile is None:
        return None
    path = urlsplit(post.canonical_url or "").path
    named = {segment.casefold() for segment in path.split("/")}
    return None if reference.handle.casefold() in named else profile


@dataclass
class TraceOptions:
    depth: int = 2
    offline: bool = False
    keywords: list[str] = field(default_factory=list)
    max_references: int = 500  # per document: a page listing thousands of links is not a source
    time_budget: float = 0.0  # seconds before no further documents are read (0: no limit)
    max_depth: int | None = None  # the deepest depth accepted (settings: trace.max_depth)

    def as_json(self) -> dict[str, Any]:
        return {"depth": self.depth, "offline": self.offline, "keywords": list(self.keywords)}


@dataclass
class TraceResult:
    trace_id: int
    root_node_id: int
    documents: int
    references: int


@dataclass
class _Visit:
    """One document to read: where it came from in the chain, and how deep it is."""

    node_id: int
    document: Document
    depth: int


class Tracer:
    """Runs traces against one store, with or without the network."""

    def __init__(
        self,
        store: Store,
        http: HTTPClient | None,
        *,
        registry: SourceRegistry | None = None,
        locate: Locate | None = None,
        report: Report | None = None,
        search: NamedSearch | None = None,
        media: Media | None = None,
    ) -> None:
        self.store = store
        self.media = media  # tracer.media.step.MediaStep, online only
        self.http = http
        self.registry = registry if registry is not None else load_registry()
        self.locate = locate
        self.report = report or (lambda message: None)
        self.search = search  # looks for named sources online (tracer.sourcesearch)
        self._seen: set[str] = set()  # canonical URLs read (or being read) in this run
        self._located: set[int] = set()
        self._references = 0
        self._documents = 0

    async def run(self, source: str, options: TraceOptions) -> TraceResult:
        """Trace `source` (URL, file path or "-") and store the chain."""
        if options.depth < 0:
            raise InputError("--depth must be 0 or more")
        if options.max_depth is not None and options.depth > options.max_depth:
            raise InputError(
                f"--depth {options.depth} is deeper than trace.max_depth ({options.max_depth})"
            )
        if options.offline:
            self.http = None
        started = utcnow()
        self.report(f"reading {source}")
        # what is not an article is refused before the trace leaves any trace in the store
        document = await self._load(source)
        with self.store.session() as session:
            trace = Trace(input=origin(source), options=options.as_json(), started_at=started)
            session.add(trace)
            session.flush()
            trace_id = trace.id
        assert trace_id is not None
        try:
            root = self._record_root(document, trace_id)
            stopped = await self._follow(_Visit(root, document, options.depth), options, trace_id)
            if stopped:
                self._note_stop(trace_id, stopped)
        except BaseException as exc:
            self._finish(trace_id, TraceStatus.FAILED, None, str(exc) or type(exc).__name__)
            raise
        self._finish(trace_id, TraceStatus.DONE, root, None)
        return TraceResult(trace_id, root, self._documents, self._references)

    # -- reading ----------------------------------------------------------------------------

    async def _load(self, source: str) -> Document:
        if self.http is None and source.lower().startswith(("http://", "https://")):
            raise InputError(f"{source} is a URL: it cannot be read with --offline")
        try:
            return await read_article(source, self.http)
        except NetworkError as exc:
            raise InputError(f"cannot fetch {source}: {exc}") from None

    def _record_root(self, document: Document, trace_id: int) -> int:
        url = document.canonical_url or document.url
        node = Node.article(
            document,
            name=article_name(document),
            url=document.url,
            canonical_url=_clean(url) if url else None,
            attributes=_document_attributes(document, pictures=self.media is not None),
        )
        if node.canonical_url is None:
            # pasted text has no address: it is known by its content
            digest = hashlib.sha256(document.text.encode("utf-8", "replace")).hexdigest()
            node.identity = f"text:{digest[:40]}"
        with self.store.session() as session:
            known = session.exec(
                select(Node).where(col(Node.identity) == node_identity(node))
            ).first()
            if known is not None and known.name:
                node.name = None  # an article keeps the name it was first stored with
            stored = self.store.upsert_node(node, session)
            assert stored.id is not None
            _record_input(stored, origin(document.source))
            session.add(stored)
            if stored.canonical_url:
                self._seen.add(stored.canonical_url)
            session.get(Trace, trace_id).root_node_id = stored.id  # type: ignore[union-attr]
            return stored.id

    async def _follow(self, first: _Visit, options: TraceOptions, trace_id: int) -> str | None:
        """Read the documents layer by layer, each layer's documents at once (the HTTP
        layer keeps every host polite). Returns why it stopped early, or None."""
        started = time.monotonic()
        layer = [first]
        while layer:
            if options.time_budget and time.monotonic() - started > options.time_budget:
                return f"time budget of {options.time_budget:g}s spent; {len(layer)} documents not read"
            self._documents += len(layer)
            children = await asyncio.gather(
                *(self._trace_document(visit, options, trace_id) for visit in layer)
            )
            layer = [child for found in children for child in found]
        return None

    def _note_stop(self, trace_id: int, reason: str) -> None:
        with self.store.session() as session:
            trace = session.get(Trace, trace_id)
            if trace is not None:
                trace.options = {**trace.options, "stopped": reason}

    async def _trace_document(
        self, visit: _Visit, options: TraceOptions, trace_id: int
    ) -> list[_Visit]:
        references = extract(visit.document)[: options.max_references]
        self._references += len(references)
        self.report(f"resolving {len(references)} references of {visit.document.source}")
        nodes = await asyncio.gather(*(self._resolve(reference) for reference in references))
        await asyncio.gather(*(self._enrich_related(n) for n in nodes if isinstance(n, Identity)))
        by_reference: dict[int, int] = {}
        stored: list[Node] = []
        related: list[Node] = []
        # the pages platforms read while resolving, by node: a followed page's Document is
        # built from that parse (none are kept where nothing is followed)
        pages: dict[int, ParsedPage] = {}
        with self.store.session() as session:
            document_node = session.get(Node, visit.node_id)
            for reference, resolved in zip(references, nodes, strict=True):
                node = self._store_resolved(session, resolved, related)
                assert node.id is not None
                by_reference[id(reference)] = node.id
                stored.append(node)
                if isinstance(resolved, Identity):
                    if resolved.page is not None and visit.depth > 0:
                        pages.setdefault(node.id, resolved.page)
                    resolved.page = None
            for reference, node in zip(references, stored, strict=True):
                self._store_edges(session, visit, reference, node, by_reference, trace_id)
                for attachment in reference.attachments:
                    span = reference.attachment_spans.get(attachment)
                    self._store_attachment(
                        session, node, attachment, trace_id, visit.document.text, span
                    )
        found = await self._search_named(visit, references, stored, options, trace_id)
        stored.extend(item.node for item in found)
        # what the platforms say a post forwards or quotes is provenance too: those
        # nodes are located and followed like cited ones
        stored.extend(related)
        if self.http is not None and self.locate is not None:
            await self._locate([document_node, *stored] if document_node else stored)
        if self.http is not None and self.media is not None:
            await self.media(
                self.http, [document_node, *stored] if document_node else stored, trace_id
            )
        if visit.depth <= 0:
            return []
        children = [
            _Visit(item.node.id, item.document, visit.depth - 1)
            for item in found
            if item.document is not None and item.node.id is not None
        ]
        for node in stored:
            child = await self._open(node, pages.pop(node.id, None) if node.id else None)
            if child is not None:
                assert node.id is not None
                children.append(_Visit(node.id, child, visit.depth - 1))
        # a post too short to tell its language, and declaring none, is read in the
        # language of what cites it, not with every lexicon (seconds to build)
        language = visit.document.language or guess_language(visit.document.text)
        for child_visit in children:
            if child_visit.document.language is None:
                child_visit.document.language = language
        return children

    # -- resolving references -------------------------------------------------------------

    async def _resolve(self, reference: Reference) -> Identity | Node:
        """What a reference points at: an identity from its URL, else a node by name."""
        if reference.url:
            try:
                identity = await resolve_url(reference.url, self.http)
            except InputError as exc:
                return _named_node(reference, NodeStatus.ERROR, str(exc))
            _annotate(identity, reference)
            return identity
        if reference.platform == "x" and reference.kind == NodeKind.POST and reference.handle:
            return _signature_post(reference)
        return await self._resolve_name(reference)

    async def _resolve_name(self, reference: Reference) -> Identity | Node:
        name = reference.name or reference.display_name or reference.handle
        if not name:
            return _named_node(reference, NodeStatus.UNRESOLVED, "no name")
        # a near spelling may stand for an outlet or a channel the prose named loosely;
        # for people, places and organisations it finds a different source ("Republicans"
        # is not La Repubblica, "Russia" is not Rossiya 1): those match exactly or not at all
        found = self.registry.lookup(
            name,
            platform=reference.platform,
            fuzzy=reference.kind in (NodeKind.OUTLET, NodeKind.CHANNEL),
        )
        match = found.match
        if found.outcome != Outcome.MATCHED or match is None or match.canonical_url is None:
            node = _named_node(reference, NodeStatus.UNRESOLVED, None)
            if found.outcome == Outcome.AMBIGUOUS:
                node.attributes["registry_candidates"] = [m.name for m in found.candidates]
            return node
        try:
            identity = await resolve_url(match.canonical_url, self.http)
        except InputError as exc:
            return _named_node(reference, NodeStatus.ERROR, str(exc))
        # named as the article names it ("УНІАН", "AP", "Erdogan"): that is what a reader
        # finds in the text, in its language; the registry's own name stays beside it
        # (attributes.registry_name), and an account keeps its handle
        identity.name = reference.name or identity.name or match.name
        identity.kind = match.kind if identity.platform == "web" else identity.kind
        identity.attributes.update(match.attributes())
        identity.attributes["registry_match"] = {
            "name": match.name,
            "method": str(match.method),
            "confidence": round(match.confidence, 3),
        }
        _annotate(identity, reference)
        return identity

    def _store_resolved(
        self, session: Session, resolved: Identity | Node, related: list[Node]
    ) -> Node:
        if isinstance(resolved, Identity):
            return record(self.store, resolved, session, related)
        return self.store.upsert_node(resolved, session)

    async def _enrich_related(self, identity: Identity, hops: int = 3) -> None:
        """Ask the platforms about what an identity forwards, quotes or replies to (and
        what those do, a few hops deep): adapters name them from the URL alone."""
        if self.http is None or hops <= 0:
            return
        http = self.http

        async def one(item: Related) -> None:
            if item.identity.status == NodeStatus.OFFLINE:
                try:
                    item.identity = await resolve_url(item.identity.canonical_url, http)
                except InputError:
                    return
            await self._enrich_related(item.identity, hops - 1)

        await asyncio.gather(*(one(item) for item in identity.related))

    def _store_edges(
        self,
        session: Session,
        visit: _Visit,
        reference: Reference,
        node: Node,
        by_reference: dict[int, int],
        trace_id: int,
    ) -> None:
        assert node.id is not None
        source = visit.node_id
        if reference.cited_by is not None and id(reference.cited_by) in by_reference:
            source = by_reference[id(reference.cited_by)]
        if source == node.id:
            return  # an article naming its own outlet is no citation
        edge = self.store.upsert_edge(
            Edge.evidenced(
                reference,
                source,
                node.id,
                reference.relation,
                trace_id,
                confidence=reference.confidence,
            ),
            session,
        )
        assert edge.id is not None
        # the edge keeps its first sentence; every sentence naming the source is kept here
        for mention in _mentions(reference, visit.document.text, edge.id, trace_id):
            self.store.add_mention(mention, session)
        profile = _author_profile(node, reference)
        if profile is not None:
            assert reference.handle is not None
            account = self.store.upsert_node(
                Node(
                    kind=NodeKind.CHANNEL,
                    platform=node.platform,
                    handle=reference.handle,
                    name=reference.display_name or f"@{reference.handle}",
                    canonical_url=profile.url.format(handle=reference.handle),
                    status=NodeStatus.OFFLINE,
                ),
                session,
            )
            assert account.id is not None
            self.store.upsert_edge(
                Edge.evidenced(reference, node.id, account.id, Relation.AUTHORED_BY, trace_id),
                session,
            )

    def _store_attachment(
        self,
        session: Session,
        post: Node,
        url: str,
        trace_id: int,
        text: str,
        span: tuple[int, int] | None,
    ) -> None:
        """A post's media: the edge's evidence is the link as the text writes it
        ("pic.twitter.com/…" without a scheme), with its offsets, or none when the text
        does not show it: evidence is never text the input does not hold."""
        evidence = text[span[0] : span[1]] if span else None
        try:
            _adapter, identity = parse(url)
        except InputError:
            return
        identity.status = NodeStatus.OFFLINE
        media = record(self.store, identity, session)
        assert post.id is not None and media.id is not None
        self.store.add_embed(
            post.id,
            media.id,
            session,
            extractor="attachment",
            trace_id=trace_id,
            evidence=evidence,
            span=span,
        )

    async def _search_named(
        self,
        visit: _Visit,
        references: Sequence[Reference],
        stored: Sequence[Node],
        options: TraceOptions,
        trace_id: int,
    ) -> list[Found]:
        """Sources named without a link, looked for online (outlets, channels, signatures)."""
        if self.search is None or self.http is None:
            return []
        pairs = list(zip(references, stored, strict=True))
        self.report(f"searching for named sources of {visit.document.source}")
        return await self.search.run(
            self.http, visit.node_id, pairs, options.keywords, trace_id, self._seen
        )

    # -- archives and following -------------------------------------------------------------

    async def _locate(self, nodes: Sequence[Node]) -> None:
        assert self.http is not None and self.locate is not None
        wanted = [
            n
            for n in nodes
            if n.canonical_url and n.kind in LOCATED_KINDS and n.id not in self._located
        ]
        self._located.update(n.id for n in wanted if n.id is not None)
        if wanted:
            self.report(f"looking for archived copies of {len(wanted)} nodes")
        locate, http = self.locate, self.http
        await asyncio.gather(*(locate(node, http) for node in wanted))

    async def _open(self, node: Node, page: ParsedPage | None = None) -> Document | None:
        """The document behind a cited node, once per run; None when it is not one.
        `page` is the node's page as its platform read it while resolving it."""
        url = node.canonical_url
        if url is None or node.kind not in FOLLOWED_KINDS or url in self._seen:
            return None
        self._seen.add(url)
        text = node.attributes.get("text") if node.attributes else None
        if isinstance(text, str) and text.strip():
            # a post's own text came with its identity: no page to fetch
            return text_document(text, source=url, url=url)
        if self.http is None or node.platform != "web" or node.status == NodeStatus.ERROR:
            # an error from the page's own enrichment is its answer: asking again would
            # only double the requests to a failing or rate-limited host
            return None
        self.report(f"following {url}")
        if page is not None and page.answers(url):
            # what fetching `url` again would give: built from the parse the platform made
            return page_document(page, source=url, lexicon=load_cues())
        try:
            return await load_document(url, self.http)
        except TracerError as exc:
            with self.store.session() as session:
                stored = session.get(Node, node.id)
                if stored is not None and stored.status != NodeStatus.ERROR:
                    stored.attributes = {**stored.attributes, "follow_error": str(exc)}
            return None

    def _finish(
        self, trace_id: int, status: TraceStatus, root: int | None, error: str | None
    ) -> None:
        with self.store.session() as session:
            trace = session.get(Trace, trace_id)
            if trace is not None:
                trace.status = status
                trace.finished_at = utcnow()
                trace.error = error
                if root is not None:
                    trace.root_node_id = root


# -- references that are not URLs ----------------------------------------------------------


def _clean(url: str) -> str:
    try:
        _adapter, identity = parse(url)
    except InputError:
        return url
    return identity.canonical_url


def _annotate(identity: Identity, reference: Reference) -> None:
    """Carry what the citing text says about the target into its identity."""
    if reference.descriptors:
        identity.attributes["descriptors"] = list(reference.descriptors)
    if reference.affiliation:
        identity.attributes["affiliation"] = reference.affiliation
    if reference.text and "text" not in identity.attributes:
        identity.attributes["text"] = reference.text
    if identity.published_at is None:
        identity.dated(reference.dating)
    if identity.name is None:
        identity.name = reference.display_name or reference.name


def _mentions(reference: Reference, text: str, edge_id: int, trace_id: int) -> list[EdgeMention]:
    """Every place `text` names the reference's source, as mention rows of its edge.

    A reference whose extractor lists no mentions has its evidence sentence as its only
    mention; where the name stands in it is not known, so the name's span is the
    sentence's and `surface` is None.
    """
    spans: list[tuple[str | None, int, int, int, int]] = [
        (m.surface, m.start, m.end, m.evidence_start, m.evidence_end) for m in reference.mentions
    ]
    first, last = reference.start, reference.end
    # only a sentence the text holds at its offsets: evidence taken from markup the main
    # text dropped stays the edge's evidence alone
    if (
        not spans
        and first is not None
        and last is not None
        and reference.evidence
        and text[first:last] == reference.evidence
    ):
        spans = [(None, first, last, first, last)]
    rows = []
    for surface, start, end, evidence_start, evidence_end in spans:
        if not 0 <= evidence_start < evidence_end <= len(text):
            # offsets from another text would store a sentence the document does not hold
            log.debug(
                "mention of %s outside the text: %d-%d",
                reference.label,
                evidence_start,
                evidence_end,
            )
            continue
        rows.append(
            EdgeMention(
                edge_id=edge_id,
                surface=surface,
                start=start,
                end=end,
                evidence=text[evidence_start:evidence_end],
                evidence_start=evidence_start,
                evidence_end=evidence_end,
                trace_id=trace_id,
            )
        )
    return rows


def _named_node(reference: Reference, status: NodeStatus, error: str | None) -> Node:
    name = reference.name or reference.display_name or reference.handle or "unnamed source"
    attributes: dict[str, Any] = {}
    if reference.descriptors:
        attributes["descriptors"] = list(reference.descriptors)
    if reference.affiliation:
        attributes["affiliation"] = reference.affiliation
    if reference.platform:
        attributes["platform_hint"] = reference.platform
    if reference.aliases:
        attributes["aliases"] = list(reference.aliases)
    return Node(
        kind=reference.kind,
        platform=reference.platform or "web",
        name=name,
        identity=name_identity(reference.kind, name),
        status=status,
        error=error,
        attributes=attributes,
    )


def _signature_post(reference: Reference) -> Node:
    """A tweet known only by its embed's signature: its author and day, nothing invented."""
    assert reference.handle
    day = reference.dating.at.date().isoformat() if reference.dating else "undated"
    attributes: dict[str, Any] = {"signature": reference.evidence}
    if reference.text:
        attributes["text"] = reference.text
    # a signature says its day in words: that is how (and how precisely) the node is
    # dated, and it says so even of a signature whose date did not parse
    node = Node(
        kind=NodeKind.POST,
        platform="x",
        handle=reference.handle,
        name=reference.display_name or f"@{reference.handle}",
        identity=f"signature:x:{reference.handle.casefold()}:{day}:{_short_hash(reference.text)}",
        published_at_method="embed-signature",
        precision=Precision.DAY,
        status=NodeStatus.UNRESOLVED,
        attributes=attributes,
    )
    return node.dated(reference.dating)


def _short_hash(text: str | None) -> str:
    return hashlib.sha256((text or "").encode()).hexdigest()[:12]


def _document_attributes(document: Document, *, pictures: bool = False) -> dict[str, Any]:
    attributes: dict[str, Any] = {}
    for key in ("outlet", "author", "language", "title"):
        value = getattr(document, key)
        if value:
            attributes[key] = value
    if document.html:
        # the picture the article is shared with, for the media step, as a page's
        images = share_images(document.html, document.canonical_url or document.url)
        if images:
            attributes["images"] = images
        if pictures and document.tree is not None:  # for an online trace's media step
            base = document.canonical_url or document.url or ""
            in_text = text_pictures(document.tree, base, skip=images)
            if in_text:
                attributes["page_images"] = in_text
    return attributes


def _record_input(node: Node, source: str) -> None:
    """Add `source` to the paths, URLs and `stdin` the article was traced from, first first."""
    inputs = list(node.attributes.get("inputs") or [])
    if source not in inputs:
        node.attributes = {**node.attributes, "inputs": [*inputs, source]}
