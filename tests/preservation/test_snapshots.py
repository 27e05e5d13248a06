"""Local snapshots: WARC records written with warcio, read back with warcio."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from cache.snapshots import SnapshotStore, warc_digest
from cache.warc_export import export_warc
from tests.fakeweb import FakeWeb, Response, redirect
from tests.preservation.conftest import fast_settings
from tests.preservation.stored import stored
from tracer.http.client import HTTPClient
from tracer.preservation.preserver import preserve
from tracer.store.model import Node, Snapshot
from tracer.store.upserts import Store

PAGE = "https://news.example.com/story/1"
MIRROR = "https://mirror.example.org/copy-of-story"
BODY = "<html><body><p>Wagner-affiliated channel GREY ZONE said…</p></body></html>".encode()


def _records(path: str | Path) -> list[tuple[str, str | None, bytes]]:
    found = []
    with open(path, "rb") as stream:
        for record in ArchiveIterator(stream):
            found.append(
                (
                    record.rec_type,
                    record.rec_headers.get_header("WARC-Target-URI"),
                    record.content_stream().read(),
                )
            )
    return found


async def test_a_snapshot_is_a_request_and_response_pair_named_by_its_sha256(
    fakeweb: FakeWeb, http: HTTPClient, store: Store, tmp_path: Path
) -> None:
    fakeweb.page(PAGE, Response(200, BODY, {"X-Served-By": "fake"}))
    snapshots = SnapshotStore(tmp_path / "snaps", store)

    snap = await snapshots.capture(PAGE, http)

    sha = hashlib.sha256(BODY).hexdigest()
    assert (snap.sha256, snap.size, snap.record_type) == (sha, len(BODY), "response")
    assert snap.content_type == "text/html; charset=utf-8"
    assert Path(snap.warc_path) == tmp_path / "snaps" / sha[:2] / f"{sha}.warc.gz"
    records = _records(snap.warc_path)
    assert [(kind, uri) for kind, uri, _ in records] == [("response", PAGE), ("request", PAGE)]
    assert records[0][2] == BODY
    with open(snap.warc_path, "rb") as stream:
        stream.seek(snap.warc_offset or 0)
        record = next(iter(ArchiveIterator(stream)))
        assert record.rec_type == "response"
        assert record.http_headers.get_statuscode() == "200"
        assert record.http_headers.get_header("X-Served-By") == "fake"
        assert record.rec_headers.get_header("WARC-Payload-Digest") == warc_digest(BODY)
    request = next(r for r in records if r[0] == "request")
    assert request[2] == b""
    assert not list((tmp_path / "snaps").rglob(".partial-*"))


async def test_a_compressed_answer_is_stored_as_the_bytes_it_stands_for(
    fakeweb: FakeWeb, http: HTTPClient, store: Store, tmp_path: Path
) -> None:
    fakeweb.page(PAGE, Response(200, gzip.compress(BODY), {"Content-Encoding": "gzip"}))

    snap = await SnapshotStore(tmp_path, store).capture(PAGE, http)

    assert snap.sha256 == hashlib.sha256(BODY).hexdigest()
    with open(snap.warc_path, "rb") as stream:
        record = next(iter(ArchiveIterator(stream)))
        assert record.http_headers.get_header("Content-Encoding") is None
        assert record.http_headers.get_header("Content-Length") == str(len(BODY))
        assert record.content_stream().read() == BODY


async def test_identical_content_is_stored_once(
    fakeweb: FakeWeb, http: HTTPClient, store: Store, tmp_path: Path
) -> None:
    fakeweb.page(PAGE, BODY)
    fakeweb.page(MIRROR, BODY)
    snapshots = SnapshotStore(tmp_path / "snaps", store)

    first = await snapshots.capture(PAGE, http)
    again = await snapshots.capture(PAGE, http)
    mirror = await snapshots.capture(MIRROR, http)

    assert again.id == first.id  # same URL, same bytes: nothing new
    assert mirror.sha256 == first.sha256 and mirror.record_type == "revisit"
    assert mirror.warc_path != first.warc_path
    assert len(stored(store, Snapshot)) == 2
    revisit = _records(mirror.warc_path)
    assert [(kind, uri) for kind, uri, _ in revisit] == [("revisit", MIRROR), ("request", MIRROR)]
    # the bytes themselves are in one file only
    holding = [p for p in (tmp_path / "snaps").rglob("*.warc.gz") if BODY in _payloads(p)]
    assert holding == [Path(first.warc_path)]
    with open(mirror.warc_path, "rb") as stream:
        record = next(iter(ArchiveIterator(stream)))
        assert record.rec_headers.get_header("WARC-Refers-To-Target-URI") == PAGE
        assert record.rec_headers.get_header("WARC-Payload-Digest") == warc_digest(BODY)


def _payloads(path: Path) -> bytes:
    return b"".join(payload for _, _, payload in _records(path))


async def test_redirects_are_recorded_hop_by_hop(
    fakeweb: FakeWeb, http: HTTPClient, store: Store, tmp_path: Path
) -> None:
    fakeweb.page("https://t.co/abc", redirect(PAGE, 301))
    fakeweb.page(PAGE, BODY)

    snap = await SnapshotStore(tmp_path, store).capture("https://t.co/abc", http)

    assert snap.url == "https://t.co/abc"
    records = _records(snap.warc_path)
    assert [(kind, uri) for kind, uri, _ in records] == [
        ("response", "https://t.co/abc"),
        ("response", PAGE),
        ("request", PAGE),
    ]
    with open(snap.warc_path, "rb") as stream:
        stream.seek(snap.warc_offset or 0)
        assert next(iter(ArchiveIterator(stream))).rec_headers.get_header("WARC-Target-URI") == PAGE


async def test_a_file_left_without_its_row_by_a_crash_is_adopted(
    fakeweb: FakeWeb, http: HTTPClient, store: Store, tmp_path: Path
) -> None:
    fakeweb.page(PAGE, BODY)
    snapshots = SnapshotStore(tmp_path, store)
    first = await snapshots.capture(PAGE, http)
    with store.session() as session:
        session.delete(session.get(Snapshot, first.id))
    written = Path(first.warc_path).stat().st_mtime_ns

    again = await snapshots.capture(PAGE, http)

    assert (again.warc_path, again.warc_offset) == (first.warc_path, first.warc_offset)
    assert Path(again.warc_path).stat().st_mtime_ns == written


async def test_structured_data_is_a_metadata_record(store: Store, tmp_path: Path) -> None:
    data = json.dumps({"id": "1817665656405709012", "text": "…"}).encode()
    snapshots = SnapshotStore(tmp_path, store)

    snap = snapshots.record_data("https://x.com/Tendar/status/1817665656405709012", data)
    again = snapshots.record_data("https://x.com/Tendar/status/1817665656405709012", data)

    assert again.id == snap.id
    assert (snap.record_type, snap.content_type, snap.size) == (
        "metadata",
        "application/json",
        len(data),
    )
    [(kind, uri, payload)] = _records(snap.warc_path)
    assert (kind, uri, payload) == ("metadata", snap.url, data)


async def test_preserve_keeps_a_post_and_its_structured_data(
    fakeweb: FakeWeb, http: HTTPClient, store: Store, tmp_path: Path
) -> None:
    url = "https://x.com/Tendar/status/1817665656405709012"
    fakeweb.page(url, BODY)
    store.upsert_node(
        Node(
            kind="post",
            platform="x",
            url=url,
            canonical_url=url,
            handle="Tendar",
            attributes={"text": "a tweet", "lang": "en"},
        )
    )
    settings = fast_settings(tmp_path, archives=[])

    [result] = await preserve([url], store, http, settings)

    assert result.snapshot is not None
    assert result.as_json()["snapshot"] == {
        "sha256": hashlib.sha256(BODY).hexdigest(),
        "warc": result.snapshot.warc_path,
    }
    kinds = {row.record_type for row in stored(store, Snapshot)}
    assert kinds == {"response", "metadata"}
    [meta] = [row for row in stored(store, Snapshot) if row.record_type == "metadata"]
    [(_, _, payload)] = _records(meta.warc_path)
    document = json.loads(payload)
    assert document["handle"] == "Tendar" and document["attributes"]["lang"] == "en"


async def test_a_failed_fetch_leaves_no_snapshot_and_says_why(
    fakeweb: FakeWeb, http: HTTPClient, store: Store, tmp_path: Path
) -> None:
    fakeweb.page(PAGE, Response(200, b"x" * 10, reset_after=3))
    fakeweb.page(MIRROR, Response(404, b"<html>This post was deleted</html>"))
    settings = fast_settings(tmp_path, archives=[])

    broken, deleted = await preserve([PAGE, MIRROR], store, http, settings)

    assert broken.snapshot is None and "broke" in (broken.snapshot_error or "")
    assert broken.as_json()["snapshot"] is None
    assert deleted.snapshot is None
    assert deleted.snapshot_error == f"{MIRROR} answered HTTP 404; nothing kept"
    assert stored(store, Snapshot) == []
    assert not list(tmp_path.rglob("*.warc.gz"))


async def test_export_bundles_every_snapshot_into_one_warc(
    fakeweb: FakeWeb, http: HTTPClient, store: Store, tmp_path: Path
) -> None:
    fakeweb.page(PAGE, BODY)
    fakeweb.page(MIRROR, BODY)
    fakeweb.page("https://other.example.net/", b"<html>other</html>")
    snapshots = SnapshotStore(tmp_path / "snaps", store)
    for url in (PAGE, MIRROR, "https://other.example.net/"):
        await snapshots.capture(url, http)
    snapshots.record_data(PAGE, b'{"a": 1}')

    for name in ("bundle.warc.gz", "bundle.warc"):
        count = export_warc(store, tmp_path / name)
        records = _records(tmp_path / name)
        assert count == 7 == len(records) - 1
        assert records[0][0] == "warcinfo"
        assert [(kind, uri) for kind, uri, _ in records[1:]] == [
            ("response", PAGE),
            ("request", PAGE),
            ("revisit", MIRROR),
            ("request", MIRROR),
            ("response", "https://other.example.net/"),
            ("request", "https://other.example.net/"),
            ("metadata", PAGE),
        ]
    assert (tmp_path / "bundle.warc").read_bytes()[:8] == b"WARC/1.0"
