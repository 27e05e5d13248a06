"""The content-addressed snapshot store: local copies of pages as WARC records.

Each payload is stored once, in `<dir>/<sha256[:2]>/<sha256>.warc.gz`, named by the
sha256 of the payload bytes (the body as decoded by the HTTP layer). The file holds the
response record with the request that fetched it (and any redirect hops on the way). The
same payload seen again at another URL gets only a small `revisit` record (the WARC
standard's identical-payload-digest profile) in a file of its own, so every URL stays
replayable while the bytes are kept once.

Files are written whole to a temporary name and renamed into place, so a crash never
leaves a torn record; a file found without its Snapshot row (a crash between the two)
is adopted rather than written again.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

from sqlmodel import col, select
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tracer.errors import HTTPStatusError
from tracer.http.client import ACCEPT_ENCODING, Fetched, HTTPClient
from tracer.store.model import Snapshot, as_utc, utcnow
from tracer.store.upserts import Store

#: headers describing the transfer, not the payload the record holds (the HTTP layer
#: hands over decoded bodies, so a stored Content-Encoding would lie to a replayer)
_TRANSFER_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})
_REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 303: "See Other",
            307: "Temporary Redirect", 308: "Permanent Redirect"}  # fmt: skip


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def warc_digest(data: bytes) -> str:
    """The payload digest as warcio and pywb write and match it (sha1, base32)."""
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def _bodiless(
    writer: WARCWriter, url: str, record_type: str, headers: StatusAndHeaders, at: datetime
) -> object:
    """A record of HTTP headers alone: a request, or a redirect hop's response."""
    return writer.create_warc_record(
        url,
        record_type,
        payload=BytesIO(b""),
        length=0,
        http_headers=headers,
        warc_headers_dict={"WARC-Date": _warc_date(at)},
    )


def _warc_date(at: datetime) -> str:
    return f"{as_utc(at):%Y-%m-%dT%H:%M:%SZ}"


@dataclass(frozen=True)
class _Planned:
    """A file about to be written, and where in it the snapshot's own record starts."""

    content: bytes
    offset: int


class SnapshotStore:
    """Local snapshots under one directory, indexed by Snapshot rows in the store."""

    def __init__(self, directory: Path, store: Store) -> None:
        self.directory = Path(directory)
        self.store = store

    # -- queries -------------------------------------------------------------------------

    def recent(self, url: str, since: datetime) -> Snapshot | None:
        """The newest page snapshot of `url` taken at or after `since`."""
        with self.store.session() as session:
            return session.exec(
                select(Snapshot)
                .where(
                    col(Snapshot.url) == url,
                    col(Snapshot.fetched_at) >= since,
                    col(Snapshot.record_type).in_(("response", "revisit")),
                )
                .order_by(col(Snapshot.fetched_at).desc())
            ).first()

    def _same(self, url: str, sha256: str) -> Snapshot | None:
        with self.store.session() as session:
            return session.exec(
                select(Snapshot).where(col(Snapshot.url) == url, col(Snapshot.sha256) == sha256)
            ).first()

    def _original(self, sha256: str) -> Snapshot | None:
        """The snapshot that holds the bytes of this payload (not a revisit of it)."""
        with self.store.session() as session:
            return session.exec(
                select(Snapshot)
                .where(col(Snapshot.sha256) == sha256, col(Snapshot.record_type) != "revisit")
                .order_by(col(Snapshot.id))
            ).first()

    # -- taking snapshots ----------------------------------------------------------------

    async def capture(self, url: str, http: HTTPClient, *, node_id: int | None = None) -> Snapshot:
        """Fetch `url` through the HTTP layer and keep a successful answer.

        Raises NetworkError, HTTPStatusError for an error page: the error page of a
        deleted post is not a copy of it.
        """
        fetched = await http.fetch(url, cache=False)
        if not fetched.ok:
            raise HTTPStatusError(
                f"{url} answered HTTP {fetched.status_code}; nothing kept",
                url,
                fetched.status_code,
            )
        return self.keep(fetched, http.user_agent, node_id=node_id)

    def keep(self, fetched: Fetched, user_agent: str, *, node_id: int | None = None) -> Snapshot:
        """Store a fetched response as request + response records (once per payload)."""
        body = fetched.content
        sha = sha256_hex(body)
        at = utcnow()
        existing = self._same(fetched.url, sha)
        if existing is not None:
            return existing
        original = self._original(sha)
        headers = self._http_headers(fetched)
        if original is not None and original.record_type == "response":
            path = self._path(sha, revisit_of=fetched.url)
            record_type = "revisit"
        else:
            original = None  # a revisit points at a response record, never at a revisit
            path = self._path(sha)
            record_type = "response"
        planned = self._plan(fetched, original, headers, at, user_agent)
        offset = self._write(path, planned, fetched.final_url)
        return self._add_row(
            Snapshot(
                node_id=node_id,
                url=fetched.url,
                sha256=sha,
                warc_path=str(path),
                warc_offset=offset,
                record_type=record_type,
                content_type=fetched.headers.get("content-type"),
                size=len(body),
                fetched_at=at,
            )
        )

    def record_data(
        self,
        url: str,
        data: bytes,
        *,
        content_type: str = "application/json",
        record_type: str = "metadata",
        node_id: int | None = None,
    ) -> Snapshot:
        """Keep structured data about `url` (a post's JSON, say) as a metadata or
        resource record, content-addressed like pages."""
        if record_type not in ("metadata", "resource"):
            raise ValueError(f"record type {record_type!r} is not metadata or resource")
        sha = sha256_hex(data)
        existing = self._same(url, sha)
        if existing is not None:
            return existing
        at = utcnow()
        path = self._path(sha) if self._original(sha) is None else self._path(sha, revisit_of=url)
        buffer = BytesIO()
        writer = WARCWriter(buffer, gzip=True)
        record = writer.create_warc_record(
            url,
            record_type,
            payload=BytesIO(data),
            length=len(data),
            warc_content_type=content_type,
            warc_headers_dict={"WARC-Date": _warc_date(at)},
        )
        writer.write_record(record)
        offset = self._write(path, _Planned(buffer.getvalue(), 0), url)
        return self._add_row(
            Snapshot(
                node_id=node_id,
                url=url,
                sha256=sha,
                warc_path=str(path),
                warc_offset=offset,
                record_type=record_type,
                content_type=content_type,
                size=len(data),
                fetched_at=at,
            )
        )

    # -- records -------------------------------------------------------------------------

    def _http_headers(self, fetched: Fetched) -> StatusAndHeaders:
        headers = [(k, v) for k, v in fetched.headers.multi_items() if k not in _TRANSFER_HEADERS]
        headers.append(("Content-Length", str(len(fetched.content))))
        status = fetched.status_code
        reason = _REASONS.get(status, "Status")
        return StatusAndHeaders(f"{status} {reason}", headers, protocol="HTTP/1.1")

    def _request_record(
        self, writer: WARCWriter, url: str, at: datetime, user_agent: str
    ) -> object:
        # the HTTP layer does not hand back the request it sent; these are its headers
        parts = urlsplit(url)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        request = StatusAndHeaders(
            f"GET {target} HTTP/1.1",
            [
                ("Host", parts.netloc),
                ("User-Agent", user_agent),
                ("Accept-Encoding", ACCEPT_ENCODING),
            ],
            is_http_request=True,
        )
        return _bodiless(writer, url, "request", request, at)

    def _redirects(self, writer: WARCWriter, fetched: Fetched, at: datetime) -> None:
        """Each redirect hop as a small response record, so a replay of the URL as cited
        reaches the final page the way the fetch did."""
        hops = [*fetched.history, (fetched.final_url, fetched.status_code)]
        for (hop_url, status), (next_url, _) in itertools.pairwise(hops):
            headers = StatusAndHeaders(
                f"{status} {_REASONS.get(status, 'Redirect')}",
                [("Location", next_url), ("Content-Length", "0")],
                protocol="HTTP/1.1",
            )
            writer.write_record(_bodiless(writer, hop_url, "response", headers, at))

    def _plan(
        self,
        fetched: Fetched,
        original: Snapshot | None,
        headers: StatusAndHeaders,
        at: datetime,
        user_agent: str,
    ) -> _Planned:
        """The file's records: the redirects that led to the page, the page itself (a
        response, or a revisit of `original`, which holds the same payload), and the
        request that fetched it."""
        buffer = BytesIO()
        writer = WARCWriter(buffer, gzip=True)
        self._redirects(writer, fetched, at)
        offset = buffer.tell()
        warc_headers = {"WARC-Date": _warc_date(at)}
        if original is None:
            record = writer.create_warc_record(
                fetched.final_url,
                "response",
                payload=BytesIO(fetched.content),
                length=len(fetched.content),
                http_headers=headers,
                warc_headers_dict=warc_headers,
            )
        else:
            record = writer.create_revisit_record(
                fetched.final_url,
                warc_digest(fetched.content),
                _target_of(original),
                _warc_date(as_utc(original.fetched_at) or at),
                http_headers=headers,
                warc_headers_dict=warc_headers,
            )
        request = self._request_record(writer, fetched.final_url, at, user_agent)
        writer.write_request_response_pair(request, record)
        return _Planned(buffer.getvalue(), offset)

    # -- files ---------------------------------------------------------------------------

    def _path(self, sha: str, revisit_of: str | None = None) -> Path:
        folder = self.directory / sha[:2]
        if revisit_of is None:
            return folder / f"{sha}.warc.gz"
        return folder / f"{sha}.{sha256_hex(revisit_of.encode())[:16]}.warc.gz"

    def _write(self, path: Path, planned: _Planned, target_uri: str) -> int:
        """Put the file in place atomically; returns the offset of the snapshot's record."""
        if path.exists():
            # a crash after the rename and before the row: the file is ours, adopt it
            found = _offset_of(path, target_uri)
            if found is not None:
                return found
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".partial-", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(planned.content)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return planned.offset

    def _add_row(self, snapshot: Snapshot) -> Snapshot:
        with self.store.session() as session:
            session.add(snapshot)
            session.flush()
            session.refresh(snapshot)
        return snapshot


def _target_of(snapshot: Snapshot) -> str:
    """The URI of the record that holds a snapshot's payload (after its redirects)."""
    path = Path(snapshot.warc_path)
    with path.open("rb") as stream:
        stream.seek(snapshot.warc_offset or 0)
        for record in ArchiveIterator(stream):
            return str(record.rec_headers.get_header("WARC-Target-URI"))
    return snapshot.url


def _offset_of(path: Path, target_uri: str) -> int | None:
    """Where the record holding the payload for `target_uri` starts in a file."""
    kinds = ("response", "revisit", "metadata", "resource")
    try:
        with path.open("rb") as stream:
            iterator = ArchiveIterator(stream)
            for record in iterator:
                uri = record.rec_headers.get_header("WARC-Target-URI")
                if record.rec_type in kinds and uri == target_uri:
                    return int(iterator.get_record_offset())
    except (OSError, ValueError):
        return None
    return None


__all__ = ["SnapshotStore", "sha256_hex", "warc_digest"]
