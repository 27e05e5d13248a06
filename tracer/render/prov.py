"""The chain as W3C PROV (PROV-JSON, PROV-N, PROV-O Turtle) with the `prov` library.

The mapping, chosen so standard PROV tools draw the chain the way a verifier reads it:

- documents and posts (article, post, document, media, page) are entities; channels,
  outlets, people and organisations are agents (prov:Person / prov:Organization);
- embeds, quotes and forwarded_from are `wasQuotedFrom` (the words were taken as they
  were); cites and via are `wasDerivedFrom`; links and replies_to are the weaker
  `wasInfluencedBy`; same_as and redirects_to are `alternateOf`; authored_by and
  published_by are `wasAttributedTo`. PROV only allows derivation between entities, so a
  relation with an agent at either end becomes `wasInfluencedBy`, typed with the relation;
- a post with a handle but no author in the chain is attributed to an account agent;
- a node's publication time is a `wasGeneratedBy` with that time and the method;
- each capture is an entity that is a `specializationOf` the node (or, for an agent, of
  the agent's page), generated at the capture time;
- an image (a media entity) carries its fingerprints (`tracer:sha256`, `tracer:phash`,
  ...), its same-image group and the nodes showing it (`tracer:same_image`,
  `tracer:shown_by`, references to the entities) and its first appearance with the method
  (`tracer:first_appearance_at`, `..._method`, `..._evidence`, `..._memento`); same_as
  edges between copies are `alternateOf`, like every same_as;
- the trace itself is an activity that used the chain's root, associated with tracer.

Every relation carries `tracer:relation` and, when known, the evidence sentence.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping
from typing import Any

from prov.constants import (
    PROV_ATTR_ACTIVITY,
    PROV_ATTR_AGENT,
    PROV_ATTR_ALTERNATE1,
    PROV_ATTR_ALTERNATE2,
    PROV_ATTR_DELEGATE,
    PROV_ATTR_ENDER,
    PROV_ATTR_ENTITY,
    PROV_ATTR_GENERAL_ENTITY,
    PROV_ATTR_GENERATED_ENTITY,
    PROV_ATTR_INFLUENCEE,
    PROV_ATTR_INFLUENCER,
    PROV_ATTR_INFORMANT,
    PROV_ATTR_INFORMED,
    PROV_ATTR_PLAN,
    PROV_ATTR_RESPONSIBLE,
    PROV_ATTR_SPECIFIC_ENTITY,
    PROV_ATTR_STARTER,
    PROV_ATTR_TRIGGER,
    PROV_ATTR_USED_ENTITY,
    PROV_LABEL,
    PROV_TYPE,
)
from prov.model import (
    PROV,
    ProvActivity,
    ProvAgent,
    ProvDocument,
    ProvElement,
    ProvEntity,
    ProvException,
    ProvRecord,
    ProvRelation,
)

from tracer import __version__
from tracer.errors import ConfigError, InputError
from tracer.render.view import AGENT_KINDS, ChainEdge, ChainView, chain_time, media_of, one_line
from tracer.store.readmodel import Chain

#: the namespace of tracer's own identifiers and attributes. Node ids are ids in one
#: store, not global names, hence a URN rather than a web address we do not control.
NAMESPACE_PREFIX = "tracer"
NAMESPACE_URI = "urn:x-provenance-tracer:"

QUOTED = frozenset({"embeds", "quotes", "forwarded_from"})
DERIVED = frozenset({"cites", "via"})
ALTERNATE = frozenset({"same_as", "redirects_to"})
ATTRIBUTED = frozenset({"authored_by", "published_by"})

#: the formats `serialize` writes, and the `prov` serializer behind each
FORMATS = {"prov-json": "json", "prov-n": "provn", "prov-ttl": "rdf"}

#: which kind of element each formal argument of a PROV relation must name
_ARGUMENT_KINDS: dict[Any, tuple[type[ProvElement], ...]] = {
    PROV_ATTR_ENTITY: (ProvEntity,),
    PROV_ATTR_GENERATED_ENTITY: (ProvEntity,),
    PROV_ATTR_USED_ENTITY: (ProvEntity,),
    PROV_ATTR_SPECIFIC_ENTITY: (ProvEntity,),
    PROV_ATTR_GENERAL_ENTITY: (ProvEntity,),
    PROV_ATTR_ALTERNATE1: (ProvEntity,),
    PROV_ATTR_ALTERNATE2: (ProvEntity,),
    PROV_ATTR_TRIGGER: (ProvEntity,),
    PROV_ATTR_PLAN: (ProvEntity,),
    PROV_ATTR_ACTIVITY: (ProvActivity,),
    PROV_ATTR_INFORMED: (ProvActivity,),
    PROV_ATTR_INFORMANT: (ProvActivity,),
    PROV_ATTR_STARTER: (ProvActivity,),
    PROV_ATTR_ENDER: (ProvActivity,),
    PROV_ATTR_AGENT: (ProvAgent,),
    PROV_ATTR_DELEGATE: (ProvAgent,),
    PROV_ATTR_RESPONSIBLE: (ProvAgent,),
    PROV_ATTR_INFLUENCEE: (ProvEntity, ProvActivity, ProvAgent),
    PROV_ATTR_INFLUENCER: (ProvEntity, ProvActivity, ProvAgent),
}


def _local(text: str) -> str:
    """A PROV-N-safe local name: letters, digits and underscores, never starting with a digit."""
    name = re.sub(r"[^A-Za-z0-9_]+", "_", text).strip("_") or "x"
    return name if name[0].isalpha() else f"x{name}"


class _ProvChain:
    def __init__(self, chain: Chain | Mapping[str, Any]) -> None:
        self.view = ChainView.of(chain)
        self.chain = self.view.chain
        self.doc = ProvDocument()
        self.ns = self.doc.add_namespace(NAMESPACE_PREFIX, NAMESPACE_URI)
        self.ids: dict[str, str] = {}
        used: set[str] = set()
        for node_id in self.view.nodes:
            local = _local(node_id)
            while local in used:  # two odd ids that sanitise alike stay distinct
                local += "_"
            used.add(local)
            self.ids[node_id] = local
        self.records: dict[str, ProvEntity | ProvAgent] = {}
        self.media = {one_line(m["node"]): m for m in media_of(self.chain)}
        self.accounts: dict[tuple[str, str], ProvAgent] = {}
        self._agents_by_handle: dict[tuple[str, str], ProvAgent] | None = None

    def q(self, local: str) -> Any:
        return self.ns[local]

    def is_agent(self, node_id: str) -> bool:
        return one_line(self.view.nodes[node_id].kind) in AGENT_KINDS

    def build(self) -> ProvDocument:
        for node_id in self.view.nodes:
            self.records[node_id] = self._element(node_id)
        for edge in self.view.edges:
            self._relation(edge)
        for node_id in self.view.nodes:
            self._attribute_to_account(node_id)
            self._captures(node_id)
        self._trace()
        return self.doc

    def _element(self, node_id: str) -> ProvEntity | ProvAgent:
        node = self.view.nodes[node_id]
        kind = one_line(node.kind) or "node"
        attributes: list[tuple[Any, Any]] = [
            (PROV_TYPE, self.q(_local(kind))),
            (PROV_LABEL, self.view.label(node_id)),
            (self.q("node_id"), node_id),
        ]
        described = (
            ("platform", node.platform),
            ("handle", node.handle),
            ("platform_id", node.platform_id),
            ("url", node.url),
            ("canonical_url", node.canonical_url),
            ("status", node.status),
            ("error", node.error),
        )
        for key, value in described:
            if one_line(value):
                attributes.append((self.q(key), one_line(value)))
        identifier = self.q(self.ids[node_id])
        if node_id in self.media:
            attributes += self._image_attributes(self.media[node_id])
        if self.is_agent(node_id):
            if kind == "person":
                attributes.append((PROV_TYPE, PROV["Person"]))
            elif kind in ("outlet", "organization"):
                attributes.append((PROV_TYPE, PROV["Organization"]))
            return self.doc.agent(identifier, attributes)
        entity = self.doc.entity(identifier, attributes)
        published = chain_time(node.published_at)
        if published is not None:
            extra: list[tuple[Any, Any]] = []
            for key, value in (
                ("published_at_method", node.published_at_method),
                ("precision", node.precision),
            ):
                if value:
                    extra.append((self.q(key), one_line(value)))
            self.doc.wasGeneratedBy(entity, None, published, other_attributes=extra or None)
        return entity

    def _image_attributes(self, image: Mapping[str, Any]) -> list[tuple[Any, Any]]:
        found: list[tuple[Any, Any]] = []
        fingerprint = image.get("fingerprint")
        if isinstance(fingerprint, dict):
            for key in ("sha256", "phash", "dhash", "width", "height", "format", "bytes"):
                if fingerprint.get(key) not in (None, ""):
                    value = fingerprint[key]
                    found.append(
                        (self.q(key), value if isinstance(value, int) else one_line(value))
                    )
        if image.get("media_url"):
            found.append((self.q("media_url"), one_line(image["media_url"])))
        for other in image.get("same_image") or []:
            found.append((self.q("same_image"), self._reference(other)))
        for shown in image.get("shown_by") or []:
            if isinstance(shown, dict) and shown.get("node"):
                found.append((self.q("shown_by"), self._reference(shown["node"])))
        first = image.get("first_appearance")
        if isinstance(first, dict):
            at = chain_time(first.get("at"))
            if at is not None:
                found.append((self.q("first_appearance_at"), at))
            if first.get("method"):
                found.append((self.q("first_appearance_method"), one_line(first["method"])))
            if first.get("node"):
                found.append((self.q("first_appearance_evidence"), self._reference(first["node"])))
            if first.get("memento"):
                found.append((self.q("first_appearance_memento"), one_line(first["memento"])))
        claims = image.get("claimed_by_file")
        if isinstance(claims, dict) and claims.get("captured_at"):
            # the file's own claim, named as one: never a generation time
            found.append((self.q("claimed_capture_time"), one_line(claims["captured_at"])))
        return found

    def _reference(self, node_id: Any) -> Any:
        """A node of the chain by its PROV identifier; one outside it by its id, as text."""
        key = one_line(node_id)
        return self.q(self.ids[key]) if key in self.ids else key

    def _relation(self, edge: ChainEdge) -> None:
        source, target = self.records[edge.source], self.records[edge.target]
        attributes: list[tuple[Any, Any]] = [(self.q("relation"), edge.relation)]
        if edge.evidence:
            attributes.append((self.q("evidence"), edge.evidence))
        if edge.start is not None and edge.end is not None:
            attributes += [(self.q("start"), edge.start), (self.q("end"), edge.end)]
        if edge.further_mentions:
            # the first sentence is shown; the chain's JSON lists every one
            attributes.append((self.q("mentions"), len(edge.evidences)))
        if isinstance(source, ProvEntity) and isinstance(target, ProvEntity):
            if edge.relation in QUOTED:
                self.doc.wasQuotedFrom(source, target, other_attributes=attributes)
                return
            if edge.relation in DERIVED:
                self.doc.wasDerivedFrom(source, target, other_attributes=attributes)
                return
            if edge.relation in ALTERNATE:
                # alternateOf takes no attributes; the relation is recoverable from the pair
                self.doc.alternateOf(source, target)
                return
        if (
            isinstance(source, ProvEntity)
            and isinstance(target, ProvAgent)
            and edge.relation in ATTRIBUTED
        ):
            self.doc.wasAttributedTo(source, target, other_attributes=attributes)
            return
        # PROV derives entities only from entities; anything else is an influence
        self.doc.wasInfluencedBy(source, target, other_attributes=attributes)

    def _attribute_to_account(self, node_id: str) -> None:
        """A post with a handle is attributed to that account, unless the chain names its author."""
        node = self.view.nodes[node_id]
        handle = one_line(node.handle).lstrip("@")
        record = self.records[node_id]
        if not handle or not isinstance(record, ProvEntity):
            return
        if any(
            e.relation in ATTRIBUTED and self.is_agent(e.target)
            for e in self.view.outgoing.get(node_id, [])
        ):
            return
        platform = one_line(node.platform) or "web"
        key = (platform.casefold(), handle.casefold())
        agent = self.accounts.get(key) or self._known_agent(key)
        if agent is None:
            agent = self.doc.agent(
                self.q(_local(f"account_{platform}_{handle}")),
                [
                    (PROV_TYPE, self.q("account")),
                    (PROV_LABEL, f"@{handle}"),
                    (self.q("platform"), platform),
                    (self.q("handle"), handle),
                ],
            )
        self.accounts[key] = agent
        self.doc.wasAttributedTo(record, agent, other_attributes=[(self.q("relation"), "handle")])

    def _known_agent(self, key: tuple[str, str]) -> ProvAgent | None:
        """The chain's own agent (a channel, say) with this platform and handle, if any."""
        if self._agents_by_handle is None:
            self._agents_by_handle = {}
            for node_id, node in self.view.nodes.items():
                record = self.records[node_id]
                handle = one_line(node.handle).lstrip("@").casefold()
                if isinstance(record, ProvAgent) and handle:
                    platform = (one_line(node.platform) or "web").casefold()
                    self._agents_by_handle.setdefault((platform, handle), record)
        return self._agents_by_handle.get(key)

    def _captures(self, node_id: str) -> None:
        captures = self.view.captures(node_id)
        record = self.records[node_id]
        if not captures:
            return
        general: ProvEntity
        if isinstance(record, ProvEntity):
            general = record
        else:
            # an archive captures a channel's or outlet's page, not the agent itself
            node = self.view.nodes[node_id]
            page_attributes: list[tuple[Any, Any]] = [
                (PROV_TYPE, self.q("page")),
                (PROV_LABEL, f"page of {self.view.label(node_id)}"),
            ]
            url = one_line(node.address)
            if url:
                page_attributes.append((self.q("url"), url))
            general = self.doc.entity(self.q(f"{self.ids[node_id]}_page"), page_attributes)
            self.doc.wasAttributedTo(general, record)
        for number, capture in enumerate(captures, start=1):
            attributes: list[tuple[Any, Any]] = [(PROV_TYPE, self.q("capture"))]
            for name, value in (("archive", capture.archive), ("memento_url", capture.url)):
                if one_line(value):
                    attributes.append((self.q(name), one_line(value)))
            if capture.status is not None:
                attributes.append((self.q("http_status"), one_line(capture.status)))
            if capture.digest:
                attributes.append((self.q("digest"), one_line(capture.digest)))
            memento = self.doc.entity(self.q(f"{self.ids[node_id]}_capture{number}"), attributes)
            self.doc.specializationOf(memento, general)
            captured = chain_time(capture.captured_at)
            if captured is not None:
                self.doc.wasGeneratedBy(memento, None, captured)

    def _trace(self) -> None:
        attributes: list[tuple[Any, Any]] = [
            (PROV_TYPE, self.q("trace")),
            (PROV_LABEL, f"trace of {one_line(self.chain.input) or 'the store'}"),
        ]
        if self.chain.input:
            attributes.append((self.q("input"), one_line(self.chain.input)))
        first = self.view.first_appearance
        if first is not None:
            attributes.append((self.q("first_appearance"), self.q(self.ids[first.node])))
            if first.method:
                attributes.append((self.q("first_appearance_method"), one_line(first.method)))
            at = chain_time(first.at)
            if at is not None:
                attributes.append((self.q("first_appearance_at"), at))
        # the chain carries no run times: the activity is the trace that found what it shows
        activity = self.doc.activity(self.q("trace"), None, None, attributes)
        software = self.doc.agent(
            self.q("tracer"),
            [
                (PROV_TYPE, PROV["SoftwareAgent"]),
                (PROV_LABEL, "tracer"),
                (self.q("version"), __version__),
            ],
        )
        self.doc.wasAssociatedWith(activity, software)
        root = self.records.get(self.view.root or "")
        if isinstance(root, ProvEntity):
            self.doc.used(activity, root)


def prov_document(chain: Chain | Mapping[str, Any]) -> ProvDocument:
    """The chain as a `prov` document."""
    return _ProvChain(chain).build()


def serialize(chain: Chain | Mapping[str, Any], fmt: str) -> str:
    """The chain in one of FORMATS (prov-json, prov-n, prov-ttl)."""
    if fmt not in FORMATS:
        raise InputError(f"unknown PROV format {fmt!r}; use one of {', '.join(FORMATS)}")
    document = prov_document(chain)
    if fmt == "prov-json":
        return str(document.serialize(format="json", indent=2))
    if fmt == "prov-n":
        return str(document.serialize(format="provn"))
    _need_rdflib()
    with warnings.catch_warnings():
        # rdflib 7.x deprecates an API that prov's RDF serializer still calls
        warnings.simplefilter("ignore", DeprecationWarning)
        return str(document.serialize(format="rdf", rdf_format="turtle"))


def load(text: str, fmt: str) -> ProvDocument:
    """Read PROV text back (as a PROV tool would), turning parse failures into InputError."""
    if fmt not in FORMATS:
        raise InputError(f"unknown PROV format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt == "prov-ttl":
        _need_rdflib()
    try:
        if fmt == "prov-ttl":
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                return ProvDocument.deserialize(content=text, format="rdf", rdf_format="turtle")
        return ProvDocument.deserialize(content=text, format=FORMATS[fmt])
    except (ProvException, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"not valid {fmt}: {exc}") from exc


def problems(document: ProvDocument) -> list[str]:
    """What makes `document` invalid PROV, empty when nothing does.

    `prov` parses and models PROV but has no validator, so this checks what PROV-DM and
    PROV-CONSTRAINTS require of the records a chain produces: every relation names
    declared elements of the right kind (derivation between entities, attribution from
    an entity to an agent, ...), identifiers are not declared twice as different kinds,
    and the document unifies (no identifier with conflicting attributes).
    """
    found: list[str] = []
    declared: dict[Any, ProvElement] = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for record in document.get_records():
            if isinstance(record, ProvElement):
                earlier = declared.get(record.identifier)
                if earlier is not None and type(earlier) is not type(record):
                    found.append(
                        f"{record.identifier} is declared as both "
                        f"{earlier.get_type()} and {record.get_type()}"
                    )
                declared[record.identifier] = record
        for record in document.get_records():
            if isinstance(record, ProvRelation):
                found += _relation_problems(record, declared)
        try:
            document.unified()
        except ProvException as exc:
            found.append(f"does not unify: {exc}")
    found += [f"prov warned: {w.message}" for w in caught]
    return found


def _relation_problems(record: ProvRecord, declared: dict[Any, ProvElement]) -> list[str]:
    found = []
    for name, value in record.formal_attributes:
        kinds = _ARGUMENT_KINDS.get(name)
        if kinds is None or value is None:
            continue
        element = declared.get(value)
        if element is None:
            found.append(f"{record.get_type()} names {value}, which is not declared")
        elif not isinstance(element, kinds):
            found.append(
                f"{record.get_type()} needs {'/'.join(k.__name__ for k in kinds)} as {name}, "
                f"got {element.get_type()} {value}"
            )
    return found


def _need_rdflib() -> None:
    try:
        import rdflib  # noqa: F401
    except ImportError as exc:
        raise ConfigError("PROV-O Turtle needs rdflib: pip install 'prov[rdf]'") from exc
