"""Named sources searched for, not guessed: the search step of a trace.

A document's references that name a source without linking it are looked for online:

- an outlet ("RT said ..."): its pages around the citing document's date (outlet.py);
- a Telegram channel ("citing the Telegram channel GREY ZONE"): its posts over the
  same window (channel.py);
- a tweet known by its signature: archived statuses of its handle on its day
  (signature.py).

Every candidate is stored as a Candidate row with its score and reason; those at or
above the threshold (for a signature: the one certain candidate) also become nodes and
edges: `cites` from the outlet or channel to the page or post found, `same_as` from the
signature to the status. The signature node is kept rather than rewritten: it is what
the article shows, and the status is what was found for it, with the evidence on the
edge. Nodes found are returned so the trace follows them like any cited source.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel
from sqlmodel import Session, col, select

from tracer.errors import InputError, TracerError
from tracer.extract import Document, Reference
from tracer.identity.resolver import parse, record, resolve_url
from tracer.locate.locator import build_archives, load_archive_configs, select_archives
from tracer.plugins.archive import ArchiveClient
from tracer.plugins.platform import Identity
from tracer.settings import Settings
from tracer.sourcesearch.candidate import Scored, SearchOutcome
from tracer.sourcesearch.channel import search_channel_posts
from tracer.sourcesearch.claim import make_claim
from tracer.sourcesearch.listing import searchable
from tracer.sourcesearch.outlet import outlet_domain, search_outlet
from tracer.sourcesearch.settings import SearchSettings
from tracer.sourcesearch.signature import certain, search_signature
from tracer.store.model import (
    Candidate,
    Edge,
    Node,
    NodeKind,
    Relation,
    as_utc,
    utcnow,
)
from tracer.store.upserts import Store

if TYPE_CHECKING:
    from tracer.http.client import HTTPClient
    from tracer.runtime import Runtime


@dataclass
class Found:
    """A node the search added, and its document when it was read (to follow it)."""

    node: Node
    document: Document | None = None


@dataclass
class _Task:
    reference: Reference
    node: Node
    kind: str  # outlet, channel, signature


def _kind(reference: Reference, node: Node) -> str | None:
    """Which search a stored reference needs, if any: only names without a link."""
    if reference.url:
        return None
    if node.kind == NodeKind.OUTLET and node.platform == "web" and node.canonical_url:
        return "outlet"
    if node.kind == NodeKind.CHANNEL and node.platform == "telegram" and node.handle:
        return "channel"
    if (
        node.kind == NodeKind.POST
        and node.platform == "x"
        and node.handle
        and node.published_at is not None
        and (node.identity or "").startswith("signature:")
    ):
        return "signature"
    return None


def _names(reference: Reference, node: Node) -> list[str]:
    names = [reference.name, reference.display_name, reference.handle, node.name, node.handle]
    names.extend(reference.aliases)
    registry = (node.attributes or {}).get("registry_name")
    if isinstance(registry, str):
        names.append(registry)
    return [n for n in names if n]


def _canonical(url: str) -> str:
    try:
        return parse(url)[1].canonical_url
    except InputError:
        return url


def _page_node(scored: Scored, document: Document) -> Node:
    url = _canonical(document.canonical_url or scored.url)
    attributes: dict[str, Any] = {"found_by": scored.method}
    for key in ("outlet", "author", "language", "title"):
        value = getattr(document, key)
        if value:
            attributes[key] = value
    return Node.article(
        document,
        name=document.title or url,
        url=scored.url,
        canonical_url=url,
        attributes=attributes,
    )


class NamedSearch:
    """Looks for named sources online and stores what it found, scored."""

    def __init__(
        self, store: Store, archives: Sequence[ArchiveClient], settings: SearchSettings
    ) -> None:
        self.store = store
        self.settings = settings
        self.listings = searchable(archives, settings.cdx_rows, settings.cdx_pages)
        # (named node, citing node) pairs searched in this run: one search per citation
        self._done: set[tuple[int, int]] = set()

    async def run(
        self,
        http: HTTPClient,
        citing_id: int,
        pairs: Sequence[tuple[Reference, Node]],
        keywords: Sequence[str],
        trace_id: int | None,
        seen: set[str],
    ) -> list[Found]:
        """Search the named references of one document; returns the nodes found.

        `seen` holds the canonical URLs read in this run: a page found here that is in
        it is linked but not returned for reading, and one returned is added to it.
        """
        if not self.settings.search:
            return []
        tasks: dict[int, _Task] = {}
        for reference, node in pairs:
            kind = _kind(reference, node)
            if kind is not None and node.id is not None and (node.id, citing_id) not in self._done:
                tasks.setdefault(node.id, _Task(reference, node, kind))
        if not tasks:
            return []
        with self.store.session() as session:
            citing = session.get(Node, citing_id)
            citing_date = as_utc(citing.published_at) if citing is not None else None
        outcomes = await asyncio.gather(
            *(self._search(task, keywords, citing_date, http) for task in tasks.values())
        )
        accepted = await asyncio.gather(
            *(
                self._accept(task, outcome, http)
                for task, outcome in zip(tasks.values(), outcomes, strict=True)
            )
        )
        found: list[Found] = []
        with self.store.session() as session:
            for task, outcome, chosen in zip(tasks.values(), outcomes, accepted, strict=True):
                assert task.node.id is not None
                self._done.add((task.node.id, citing_id))
                found.extend(
                    self._record(session, task, outcome, chosen, citing_id, trace_id, seen)
                )
        return found

    async def _search(
        self,
        task: _Task,
        keywords: Sequence[str],
        citing_date: datetime | None,
        http: HTTPClient,
    ) -> SearchOutcome:
        """One search; a failure is the outcome's, never the trace's."""
        node, reference = task.node, task.reference
        try:
            if task.kind == "signature":
                day = as_utc(node.published_at)
                assert node.handle is not None and day is not None
                text = (node.attributes or {}).get("text") or reference.text
                return await search_signature(
                    node.handle,
                    day,
                    text if isinstance(text, str) else None,
                    http,
                    self.listings,
                    self.settings,
                )
            claim = make_claim(
                keywords,
                reference.evidence,
                _names(reference, node),
                citing_date,
                before_days=self.settings.search_window_before_days,
                after_days=self.settings.search_window_after_days,
                max_keywords=self.settings.claim_keywords,
            )
            if task.kind == "outlet":
                domain = outlet_domain(node.canonical_url)
                assert domain is not None
                return await search_outlet(domain, claim, http, self.listings, self.settings)
            assert node.handle is not None
            return await search_channel_posts(node.handle, claim, http, self.settings)
        except TracerError as exc:
            reason = (str(exc) or type(exc).__name__).splitlines()[0]
            return SearchOutcome(f"{task.kind}-search", status="error", reason=reason)

    async def _accept(
        self, task: _Task, outcome: SearchOutcome, http: HTTPClient
    ) -> list[tuple[Scored, Identity | Document]]:
        """The candidates that become edges, with what their nodes are made from."""
        if task.kind == "signature":
            one = certain(outcome, self.settings)
            return [(one, one.identity)] if one is not None and one.identity is not None else []
        passing = [c for c in outcome.candidates if c.score >= self.settings.candidate_threshold]
        chosen: list[tuple[Scored, Identity | Document]] = []
        for scored in passing[: self.settings.max_edges_per_source]:
            if scored.document is not None:
                chosen.append((scored, scored.document))
            elif task.kind == "channel":
                # the post's own page: its time, author and "forwarded from" (provenance)
                chosen.append((scored, await resolve_url(scored.url, http)))
        return chosen

    def _record(
        self,
        session: Session,
        task: _Task,
        outcome: SearchOutcome,
        chosen: list[tuple[Scored, Identity | Document]],
        citing_id: int,
        trace_id: int | None,
        seen: set[str],
    ) -> list[Found]:
        named = task.node
        assert named.id is not None
        accepted_urls = {scored.url for scored, _ in chosen}
        for scored in outcome.candidates:
            self._candidate(session, named.id, citing_id, scored, scored.url in accepted_urls)
        stored = session.get(Node, named.id)
        if stored is not None:
            attributes = {**(stored.attributes or {}), "search": outcome.note()}
            if attributes != stored.attributes:
                stored.attributes = attributes
                session.add(stored)
        relation = Relation.SAME_AS if task.kind == "signature" else Relation.CITES
        found: list[Found] = []
        for scored, made_from in chosen:
            document = made_from if isinstance(made_from, Document) else None
            if document is not None:
                node = self.store.upsert_node(_page_node(scored, document), session)
            else:
                assert isinstance(made_from, Identity)
                node = record(self.store, made_from, session)
            assert node.id is not None
            if node.id == named.id:
                continue
            self.store.upsert_edge(
                Edge.evidenced(
                    task.reference,
                    named.id,
                    node.id,
                    relation,
                    trace_id,
                    confidence=scored.score,
                    extractor=f"search:{scored.method}",
                ),
                session,
            )
            url = node.canonical_url
            if document is not None and url and url not in seen:
                seen.add(url)  # read already: the trace follows it from this document
                found.append(Found(node, document))
            else:
                found.append(Found(node))
        return found

    def _candidate(
        self, session: Session, named_id: int, citing_id: int, scored: Scored, accepted: bool
    ) -> None:
        row = session.exec(
            select(Candidate).where(
                col(Candidate.node_id) == named_id, col(Candidate.url) == scored.url
            )
        ).first()
        values: dict[str, Any] = {
            "cited_by_id": citing_id,
            "score": scored.score,
            "method": scored.method,
            "reason": scored.reason,
            "published_at": scored.published_at,
            "accepted": accepted,
        }
        if row is None:
            session.add(Candidate(node_id=named_id, url=scored.url, found_at=utcnow(), **values))
            session.flush()
            return
        # unchanged answers leave the row alone, so a re-run changes nothing
        current = {key: getattr(row, key) for key in values}
        current["published_at"] = as_utc(row.published_at)
        if current != values:
            for key, value in values.items():
                setattr(row, key, value)
            session.add(row)


def search_settings(settings: Settings) -> SearchSettings:
    """The search's keys of the settings' [trace] section; defaults for keys it lacks."""
    section = getattr(settings, "trace", None)
    if isinstance(section, SearchSettings):
        return section
    values = section.model_dump() if isinstance(section, BaseModel) else section
    if not isinstance(values, dict):
        return SearchSettings()
    # the section also holds the trace's own keys (max_depth, ...): take ours only
    return SearchSettings.model_validate(
        {key: value for key, value in values.items() if key in SearchSettings.model_fields}
    )


def named_search(runtime: Runtime, settings: SearchSettings | None = None) -> NamedSearch:
    """The search step for a trace run with this runtime's settings and archives."""
    archives = build_archives(select_archives(load_archive_configs(runtime.settings)))
    return NamedSearch(
        runtime.store,
        archives,
        settings if settings is not None else search_settings(runtime.settings),
    )
