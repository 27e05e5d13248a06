"""The provenance data model. These SQLModel classes are the schema and the API.

Times are stored in UTC. SQLite keeps no offset, so values read back may be naive;
`as_utc` makes them aware again. The closed vocabularies (a node's kind, status and
precision, an edge's relation, a trace's status) are typed by the StrEnums below and
read back as their members, but stored as their words in plain VARCHAR columns
(`Vocabulary`), so adding a word never needs a database enum migration.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Generic, Protocol, Self, TypeVar

from sqlalchemy import JSON, Column, DateTime, Dialect, Index, String, UniqueConstraint
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

if TYPE_CHECKING:
    from tracer.extract.reference import Reference
    from tracer.plugins.platform import Identity


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime | None) -> datetime | None:
    """Attach UTC to a naive datetime read back from SQLite; convert aware ones to UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def row_values(row: SQLModel) -> dict[str, Any]:
    """A row's column values but its id, for an INSERT statement.

    Not `model_dump`: table models are not validated when built, so a vocabulary column
    given a plain word ("cites") holds a str, which pydantic's serializer warns about; the
    column type (`Vocabulary`) checks and converts it on the way to the database.
    """
    return {name: getattr(row, name) for name in type(row).model_fields if name != "id"}


def _when(nullable: bool = True, **kwargs: Any) -> Any:
    return Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=nullable, **kwargs)
    )


Word = TypeVar("Word", bound=StrEnum)


class Vocabulary(TypeDecorator[Word], Generic[Word]):
    """A column of one StrEnum's words: a VARCHAR in the database, the member in Python.

    A word outside the vocabulary is refused on write, where the mistake is made, rather
    than stored for every reader to trip over.
    """

    impl = String
    cache_ok = True

    def __init__(self, words: type[Word], length: int) -> None:
        super().__init__(length)
        self.words = words

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else self.words(value).value

    def process_result_value(self, value: Any, dialect: Dialect) -> Word | None:
        return None if value is None else self.words(value)


def _words(
    words: type[StrEnum],
    length: int,
    default: Any = None,
    *,
    required: bool = False,
    index: bool = False,
) -> Any:
    """A vocabulary column; NOT NULL when it is `required` or has a default."""
    nullable = default is None and not required
    return Field(
        default=default,
        sa_column=Column(Vocabulary(words, length), nullable=nullable, index=index),
    )


class NodeKind(StrEnum):
    ARTICLE = "article"
    POST = "post"
    CHANNEL = "channel"
    OUTLET = "outlet"
    PERSON = "person"
    ORGANIZATION = "organization"
    DOCUMENT = "document"
    MEDIA = "media"
    PAGE = "page"


class NodeStatus(StrEnum):
    RESOLVED = "resolved"
    UNRESOLVED = "unresolved"
    OFFLINE = "offline"
    ERROR = "error"


class Precision(StrEnum):
    SECOND = "second"
    MILLISECOND = "millisecond"
    MINUTE = "minute"
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class Relation(StrEnum):
    EMBEDS = "embeds"
    LINKS = "links"
    CITES = "cites"
    VIA = "via"
    FORWARDED_FROM = "forwarded_from"
    SAME_AS = "same_as"
    REDIRECTS_TO = "redirects_to"
    QUOTES = "quotes"
    REPLIES_TO = "replies_to"
    AUTHORED_BY = "authored_by"
    PUBLISHED_BY = "published_by"
    #: a person speaking for an organisation: "Andriy Yusov, a representative of HUR"
    SPEAKS_FOR = "speaks_for"


class TraceStatus(StrEnum):
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class Dating:
    """When something was published, how we know, and to what precision.

    The three travel together: a time without its method cannot be weighed against an
    archive's capture, and one without its precision claims a second it does not know.
    """

    at: datetime  # UTC
    method: str | None  # e.g. "snowflake-id", "t.me-post-time", "json-ld"; None: not said
    precision: Precision | None  # None: not known

    @classmethod
    def of(cls, at: datetime | None, method: str | None, precision: str | None) -> Dating | None:
        """The dating three separate fields give; None without a time."""
        if at is None:
            return None
        return cls(at, method, Precision(precision) if precision else None)


class Published:
    """Reads and sets the three publication fields as one Dating value, the same way for
    a stored Node and for a platform's Identity (tracer.plugins.platform), which both keep
    them as separate fields: a row needs its columns, an adapter fills them one by one."""

    if TYPE_CHECKING:  # each class declares the fields itself (a column, a dataclass field)
        published_at: datetime | None
        published_at_method: str | None
        precision: Precision | None

    @property
    def dating(self) -> Dating | None:
        """When it was published, how we know and how precisely, as one value."""
        return Dating.of(self.published_at, self.published_at_method, self.precision)

    def dated(self, dating: Dating | None) -> Self:
        """Itself with `dating` as its publication time (none changes nothing)."""
        if dating is not None:
            self.published_at = dating.at
            self.published_at_method = dating.method
            self.precision = dating.precision
        return self


class Node(Published, SQLModel, table=True):
    """Anything in a chain: an article, a post, a channel, an outlet, a person...

    `identity` is the key upserts meet on: the canonical URL when one is known, else a
    name key (`name:<kind>:<casefolded name>`) so that two traces naming the same
    official share one node.
    """

    id: int | None = Field(default=None, primary_key=True)
    identity: str = Field(default="", sa_column_kwargs={"unique": True}, max_length=2048)
    kind: NodeKind = _words(NodeKind, 32, required=True, index=True)
    platform: str = Field(default="web", index=True, max_length=64)
    name: str | None = None
    url: str | None = None
    canonical_url: str | None = Field(default=None, unique=True, max_length=2048)
    platform_id: str | None = Field(default=None, max_length=256)
    handle: str | None = Field(default=None, max_length=256)
    published_at: datetime | None = _when()
    published_at_method: str | None = Field(default=None, max_length=64)
    precision: Precision | None = _words(Precision, 16)
    first_seen_at: datetime | None = _when()
    updated_at: datetime | None = _when()
    status: NodeStatus = _words(NodeStatus, 16, default=NodeStatus.UNRESOLVED)
    error: str | None = None
    attributes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))

    # -- the few origins of a node ----------------------------------------------------------

    @classmethod
    def from_identity(cls, identity: Identity, **fields: Any) -> Node:
        """The node of a URL's identity on its platform (tracer.plugins.platform.Identity)."""
        node = cls(
            kind=identity.kind,
            platform=identity.platform,
            name=identity.name,
            url=identity.url,
            canonical_url=identity.canonical_url,
            platform_id=identity.platform_id,
            handle=identity.handle,
            status=identity.status,
            error=identity.error,
            attributes=dict(identity.attributes),
        )
        return node.dated(identity.dating).with_fields(fields)

    @classmethod
    def web_page(cls, url: str, **fields: Any) -> Node:
        """A page of the web known only by its address."""
        return cls(kind=NodeKind.PAGE, platform="web", url=url, canonical_url=url).with_fields(
            fields
        )

    @classmethod
    def article(cls, document: Dated, **fields: Any) -> Node:
        """A read article: its publication time as the page gives it, resolved."""
        node = cls(kind=NodeKind.ARTICLE, platform="web", status=NodeStatus.RESOLVED)
        return node.dated(document.dating).with_fields(fields)

    @classmethod
    def media(cls, link: str, platform: str, **fields: Any) -> Node:
        """A picture or video at `link`, shown by some page or post of `platform`."""
        return cls(
            kind=NodeKind.MEDIA, platform=platform, url=link, canonical_url=link
        ).with_fields(fields)

    def with_fields(self, fields: dict[str, Any]) -> Node:
        for key, value in fields.items():
            setattr(self, key, value)
        return self


class Dated(Protocol):
    """What a document says of its own publication (tracer.extract.Document)."""

    @property
    def dating(self) -> Dating | None: ...


class Edge(SQLModel, table=True):
    """A provenance relation between two nodes, with the text that shows it."""

    __table_args__ = (UniqueConstraint("source_id", "target_id", "relation", name="uq_edge"),)

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="node.id", index=True, ondelete="CASCADE")
    target_id: int = Field(foreign_key="node.id", index=True, ondelete="CASCADE")
    relation: Relation = _words(Relation, 32, required=True)
    evidence: str | None = None
    evidence_start: int | None = None
    evidence_end: int | None = None
    confidence: float = 1.0
    extractor: str | None = Field(default=None, max_length=64)
    trace_id: int | None = Field(default=None, foreign_key="trace.id", ondelete="SET NULL")
    created_at: datetime | None = _when()

    @classmethod
    def evidenced(
        cls,
        reference: Reference,
        source: int,
        target: int,
        relation: Relation,
        trace_id: int | None,
        *,
        confidence: float = 1.0,
        extractor: str | None = None,
    ) -> Edge:
        """An edge whose evidence is `reference`'s: its sentence and where it stands in the
        text; its extractor is the one that read the reference unless another is named
        (a search that found the target)."""
        return cls(
            source_id=source,
            target_id=target,
            relation=relation,
            evidence=reference.evidence,
            evidence_start=reference.start,
            evidence_end=reference.end,
            confidence=confidence,
            extractor=extractor or reference.extractor,
            trace_id=trace_id,
        )


class EdgeMention(SQLModel, table=True):
    """One place a document names an edge's target, with the sentence around it.

    An edge is stored once per (source, target, relation) and keeps its first evidence;
    a source named in five sentences has five mentions, so every sentence that cites it
    stays provable. `start`/`end` are the name's offsets in the source document's text
    (the whole sentence's when the name's place is not known, then `surface` is None);
    `evidence` is `text[evidence_start:evidence_end]`. Unique per edge, sentence and
    name position, so tracing the same input again adds nothing.
    """

    __tablename__ = "mention"
    __table_args__ = (UniqueConstraint("edge_id", "evidence_start", "start", name="uq_mention"),)

    id: int | None = Field(default=None, primary_key=True)
    edge_id: int = Field(foreign_key="edge.id", index=True, ondelete="CASCADE")
    surface: str | None = None
    start: int
    end: int
    evidence: str
    evidence_start: int
    evidence_end: int
    trace_id: int | None = Field(default=None, foreign_key="trace.id", ondelete="SET NULL")


class Capture(SQLModel, table=True):
    """An archived copy (memento) of a node's URL in a public archive."""

    __table_args__ = (
        UniqueConstraint("archive", "memento_url", name="uq_capture"),
        Index("ix_capture_node_time", "node_id", "captured_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    node_id: int = Field(foreign_key="node.id", ondelete="CASCADE")
    archive: str = Field(max_length=64)
    memento_url: str = Field(max_length=4096)
    original_url: str | None = None
    captured_at: datetime | None = _when()
    status: int | None = None
    digest: str | None = Field(default=None, max_length=128)
    mimetype: str | None = Field(default=None, max_length=128)
    found_by: str | None = Field(default=None, max_length=64)
    found_at: datetime | None = _when()


class CaptureLookup(SQLModel, table=True):
    """When an archive was last asked about a URL, so repeats within a TTL stay local."""

    __tablename__ = "capture_lookup"
    __table_args__ = (UniqueConstraint("url", "archive", name="uq_capture_lookup"),)

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(max_length=2048)
    archive: str = Field(max_length=64)
    looked_up_at: datetime | None = _when()
    outcome: str = Field(default="ok", max_length=16)  # ok, empty, error
    error: str | None = None
    count: int = 0


class ArchiveAttempt(SQLModel, table=True):
    """One request to preserve a URL in an archive, and how it ended."""

    __tablename__ = "archive_attempt"
    __table_args__ = (Index("ix_archive_attempt_url", "url", "archive"),)

    id: int | None = Field(default=None, primary_key=True)
    node_id: int | None = Field(default=None, foreign_key="node.id", ondelete="SET NULL")
    url: str = Field(max_length=2048)
    archive: str = Field(max_length=64)
    outcome: str = Field(max_length=16)  # ok, pending, refused, failed
    reason: str | None = None
    memento_url: str | None = None
    job_id: str | None = Field(default=None, max_length=256)
    submitted_at: datetime | None = _when()
    finished_at: datetime | None = _when()


class Snapshot(SQLModel, table=True):
    """A local copy of a payload, stored once per sha256 in a WARC file."""

    id: int | None = Field(default=None, primary_key=True)
    node_id: int | None = Field(
        default=None, foreign_key="node.id", index=True, ondelete="SET NULL"
    )
    url: str
    sha256: str = Field(index=True, max_length=64)
    warc_path: str
    warc_offset: int | None = None
    record_type: str = Field(default="response", max_length=32)
    content_type: str | None = Field(default=None, max_length=255)
    size: int = 0
    fetched_at: datetime | None = _when()


class Check(SQLModel, table=True):
    """One link-rot check of a node's URL. Every check is kept as history."""

    __table_args__ = (Index("ix_check_node_time", "node_id", "checked_at"),)

    id: int | None = Field(default=None, primary_key=True)
    node_id: int = Field(foreign_key="node.id", ondelete="CASCADE")
    checked_at: datetime | None = _when()
    outcome: str = Field(max_length=32)
    status_code: int | None = None
    final_url: str | None = None
    content_hash: str | None = Field(default=None, max_length=64)
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    elapsed_ms: int | None = None
    worker: str | None = Field(default=None, max_length=128)


class CheckState(SQLModel, table=True):
    """Per-node link-rot state: when the next check is due, and who holds the lease."""

    __tablename__ = "check_state"

    node_id: int = Field(primary_key=True, foreign_key="node.id", ondelete="CASCADE")
    watched: bool = True
    next_due_at: datetime | None = _when(index=True)
    last_checked_at: datetime | None = _when()
    last_outcome: str | None = Field(default=None, max_length=32)
    consecutive_failures: int = 0
    first_failure_at: datetime | None = _when()
    dead: bool = False
    dead_since: datetime | None = _when()
    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = Field(default=None, max_length=64)
    lease_owner: str | None = Field(default=None, max_length=128)
    lease_expires_at: datetime | None = _when()


class HostBudget(SQLModel, table=True):
    """Per-host politeness shared by every worker: when the host may next be asked."""

    __tablename__ = "host_budget"

    host: str = Field(primary_key=True, max_length=255)
    next_allowed_at: datetime | None = _when()
    in_flight: int = 0
    penalty_until: datetime | None = _when()


class HostLease(SQLModel, table=True):
    """A worker's lease on a share of one host, so workers divide hosts instead of asking
    the database before every request.

    `key` names what is leased: "check HOST SLOT" is one of the requests a host may have in
    flight (tracer.linkrot.scheduling.budget), "lookup HOST" the archive look-ups of a host's links
    (tracer.linkrot.scheduling.lookupqueue). A lease that is not renewed runs out at `expires_at`.
    """

    __tablename__ = "host_lease"

    key: str = Field(primary_key=True, max_length=320)
    owner: str = Field(max_length=255)
    expires_at: datetime | None = _when()


class CheckRun(SQLModel, table=True):
    """One run of `tracer check` by one worker, with its report."""

    __tablename__ = "check_run"

    id: int | None = Field(default=None, primary_key=True)
    worker: str | None = Field(default=None, max_length=128)
    started_at: datetime | None = _when()
    finished_at: datetime | None = _when()
    checked: int = 0
    report: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class Candidate(SQLModel, table=True):
    """A possible target for a named source, found by searching, with its score.

    Only candidates above the configured threshold become edges; the rest stay here so a
    verifier can see what was considered.
    """

    __table_args__ = (UniqueConstraint("node_id", "url", name="uq_candidate"),)

    id: int | None = Field(default=None, primary_key=True)
    node_id: int = Field(foreign_key="node.id", index=True, ondelete="CASCADE")
    cited_by_id: int | None = Field(default=None, foreign_key="node.id", ondelete="SET NULL")
    url: str = Field(max_length=2048)
    score: float = 0.0
    method: str | None = Field(default=None, max_length=64)
    reason: str | None = None
    published_at: datetime | None = _when()
    accepted: bool = False
    found_at: datetime | None = _when()


class Trace(SQLModel, table=True):
    """One run of `tracer trace`."""

    id: int | None = Field(default=None, primary_key=True)
    input: str
    options: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    root_node_id: int | None = Field(default=None, foreign_key="node.id", ondelete="SET NULL")
    started_at: datetime | None = _when()
    finished_at: datetime | None = _when()
    status: TraceStatus = _words(TraceStatus, 16, default=TraceStatus.RUNNING)
    error: str | None = None


__all__ = [
    "ArchiveAttempt",
    "Candidate",
    "Capture",
    "CaptureLookup",
    "Check",
    "CheckRun",
    "CheckState",
    "Dating",
    "Edge",
    "EdgeMention",
    "HostBudget",
    "Node",
    "NodeKind",
    "NodeStatus",
    "Precision",
    "Relation",
    "Snapshot",
    "Trace",
    "TraceStatus",
    "as_utc",
    "row_values",
    "utcnow",
]
