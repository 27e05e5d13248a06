"""A reference: one thing an article points at, with the text that shows it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tracer.store.model import Dating, NodeKind, Relation

if TYPE_CHECKING:
    from tracer.plugins.platform import LinkShape


@dataclass(slots=True, frozen=True)
class Mention:
    """One place the text names a reference: the surface form and the sentence around it.

    `text[start:end] == surface` and `text[evidence_start:evidence_end]` is the sentence.
    """

    surface: str
    start: int
    end: int
    evidence_start: int
    evidence_end: int


@dataclass(slots=True, eq=False)
class Reference:
    """Something the document embeds, links to or cites.

    `evidence` is an exact substring of `Document.text`: `text[start:end] == evidence`.
    It is None only for markup (an embed, a link) whose text the main-text extraction
    dropped. `cited_by` is set on the far end of a via chain ("RT said ..., citing the
    Telegram channel GREY ZONE": GREY ZONE is cited by RT, not by the article).
    """

    relation: Relation
    kind: NodeKind
    extractor: str
    platform: str | None = None
    url: str | None = None
    name: str | None = None
    handle: str | None = None
    display_name: str | None = None
    aliases: list[str] = field(default_factory=list)
    affiliation: str | None = None
    descriptors: list[str] = field(default_factory=list)
    text: str | None = None
    #: when the referenced post was published, as its embed or signature dates it
    dating: Dating | None = None
    evidence: str | None = None
    start: int | None = None
    end: int | None = None
    cited_by: Reference | None = None
    attachments: list[str] = field(default_factory=list)
    #: where each attachment stands in `Document.text`, when it does: url -> (start, end)
    attachment_spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    confidence: float = 1.0
    #: every place the text names this source, the first one first (evidence, start and
    #: end above are the first mention's sentence)
    mentions: list[Mention] = field(default_factory=list)

    @classmethod
    def link(cls, shape: LinkShape, extractor: str, **fields: Any) -> Reference:
        """The reference of a link the text holds, as its shape (`classify`) reads it; `fields`
        add the evidence and may replace the shape's URL."""
        fields.setdefault("url", shape.url)
        return cls(
            relation=Relation.LINKS,
            kind=shape.kind,
            extractor=extractor,
            platform=shape.platform,
            handle=shape.handle,
            **fields,
        )

    @property
    def label(self) -> str:
        """A short human name: the name, else @handle, else the URL."""
        if self.name:
            return self.name
        if self.handle:
            return f"@{self.handle}"
        return self.url or self.kind.value

    def to_dict(self, index: dict[int, int] | None = None) -> dict[str, Any]:
        """A JSON-ready dict; `index` maps id(reference) to its position for `cited_by`."""
        cited_by: int | None = None
        if self.cited_by is not None and index is not None:
            cited_by = index.get(id(self.cited_by))
        return {
            "relation": self.relation.value,
            "kind": self.kind.value,
            "platform": self.platform,
            "url": self.url,
            "name": self.name,
            "handle": self.handle,
            "display_name": self.display_name,
            "aliases": list(self.aliases),
            "affiliation": self.affiliation,
            "descriptors": list(self.descriptors),
            "text": self.text,
            **_dating_fields(self.dating),
            "evidence": self.evidence,
            "start": self.start,
            "end": self.end,
            "cited_by": cited_by,
            "attachments": [
                {"url": url, "start": span[0], "end": span[1]}
                if (span := self.attachment_spans.get(url))
                else {"url": url, "start": None, "end": None}
                for url in self.attachments
            ],
            "extractor": self.extractor,
            "confidence": self.confidence,
            "mentions": [
                {
                    "surface": m.surface,
                    "start": m.start,
                    "end": m.end,
                    "evidence_start": m.evidence_start,
                    "evidence_end": m.evidence_end,
                }
                for m in self.mentions
            ],
        }


def _dating_fields(dating: Dating | None) -> dict[str, str | None]:
    """The three keys the JSON has always carried, each None when the dating is."""
    if dating is None:
        return {"published_at": None, "published_at_method": None, "precision": None}
    return {
        "published_at": dating.at.isoformat(),
        "published_at_method": dating.method,
        "precision": dating.precision.value if dating.precision else None,
    }


def references_as_dicts(references: list[Reference]) -> list[dict[str, Any]]:
    """Serialise a list, turning `cited_by` into the position of the citing reference."""
    index = {id(reference): position for position, reference in enumerate(references)}
    return [reference.to_dict(index) for reference in references]
