"""Our WARCs in a real web archive: pywb replays the exact payload bytes we stored.

pywb lives in a virtual environment of its own (it pins old redis and werkzeug), whose
bin directory TRACER_TEST_PYWB names. It is run the way a user would run it:
`wb-manager init`, `wb-manager add`, `wayback -b 127.0.0.1 -p PORT`.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from cache.snapshots import SnapshotStore
from cache.warc_export import export_warc
from tests.fakeweb import FakeWeb, Response
from tracer.http.client import HTTPClient
from tracer.store.upserts import Store

#: read at import: the per-test fixture strips TRACER_* variables from the environment
PYWB_BIN = os.environ.get("TRACER_TEST_PYWB", "")

pytestmark = [
    pytest.mark.pywb,
    pytest.mark.skipif(
        not PYWB_BIN or not (Path(PYWB_BIN) / "wayback").is_file(),
        reason="TRACER_TEST_PYWB is not set to the bin directory of a pywb virtualenv",
    ),
]

PAGE = "https://news.example.com/story/1"
MIRROR = "https://mirror.example.org/copy-of-story"
BINARY = "https://cdn.example.com/photo.jpg"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _tool(root: Path, *args: str) -> None:
    subprocess.run(
        [str(Path(PYWB_BIN) / args[0]), *args[1:]],
        cwd=root,
        check=True,
        capture_output=True,
        timeout=120,
    )


def _start(root: Path, warc: Path) -> Iterator[str]:
    _tool(root, "wb-manager", "init", "C")
    _tool(root, "wb-manager", "add", "C", str(warc))
    port = _free_port()
    with (root / "wayback.log").open("wb") as log:
        process = subprocess.Popen(
            [str(Path(PYWB_BIN) / "wayback"), "-b", "127.0.0.1", "-p", str(port)],
            cwd=root,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError((root / "wayback.log").read_text()[-2000:])
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                    break
            except (urllib.error.URLError, OSError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}/C"
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


async def test_pywb_replays_the_exported_snapshots_byte_for_byte(
    fakeweb: FakeWeb, http: HTTPClient, store: Store, tmp_path: Path
) -> None:
    page = "<html><body><p>Tuareg rebels said… «ambush»</p></body></html>".encode()
    photo = bytes(range(256)) * 40
    fakeweb.page(PAGE, page)
    fakeweb.page(MIRROR, page)
    fakeweb.page(BINARY, Response(200, photo, content_type="image/jpeg"))
    snapshots = SnapshotStore(tmp_path / "snaps", store)
    taken = [await snapshots.capture(url, http) for url in (PAGE, MIRROR, BINARY)]
    assert [s.record_type for s in taken] == ["response", "revisit", "response"]
    bundle = tmp_path / "bundle.warc.gz"
    export_warc(store, bundle)

    root = tmp_path / "pywb"
    root.mkdir()
    for base in _start(root, bundle):
        for snap, expected in zip(taken, (page, page, photo), strict=True):
            stamp = f"{snap.fetched_at:%Y%m%d%H%M%S}"
            status, body = _get(f"{base}/{stamp}id_/{snap.url}")
            assert status == 200, snap.url
            assert body == expected, snap.url
        # the index pywb built from our records
        status, lines = _get(f"{base}/cdx?url={PAGE}&output=json")
        assert status == 200
        [entry] = [json.loads(line) for line in lines.splitlines()]
        assert entry["status"] == "200" and entry["mime"].startswith("text/html")
