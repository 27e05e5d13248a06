"""A real web archive for the tests: WARC files written with warcio, served by pywb.

pywb pins old releases of redis and werkzeug, so it lives in a virtual environment of
its own, whose bin directory the environment variable TRACER_TEST_PYWB names (the
Makefile's test target sets it). The archive is started with pywb's own tools, as a user
would: `wb-manager init`, `wb-manager add`, `wayback -b 127.0.0.1 -p PORT`.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ENV_PYWB = "TRACER_TEST_PYWB"
COLLECTION = "C"


@dataclass(frozen=True)
class Written:
    """One capture the harness wrote: what a correct archive client must report."""

    url: str
    at: datetime  # UTC, whole seconds (WARC-Date precision)
    status: int
    body: bytes = b""
    location: str | None = None
    content_type: str = "text/html; charset=utf-8"

    @property
    def timestamp(self) -> str:
        return self.at.strftime("%Y%m%d%H%M%S")


@dataclass
class PywbArchive:
    """A running pywb over the written captures."""

    root: Path
    port: int
    captures: list[Written]
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/{COLLECTION}"

    @property
    def timemap_template(self) -> str:
        return f"{self.base}/timemap/link/{{url}}"

    @property
    def timegate_template(self) -> str:
        return f"{self.base}/{{url}}"

    @property
    def cdx_endpoint(self) -> str:
        return f"{self.base}/cdx"

    def archive_list_entry(self, **settings: float) -> str:
        """This archive as the [pywb] table of an archive list (TRACER_ARCHIVE_LIST): its
        TimeMap and CDX endpoints, then `settings`."""
        lines = ["[pywb]", f'timemap = "{self.timemap_template}"', f'cdx = "{self.cdx_endpoint}"']
        lines += [f"{key} = {value}" for key, value in settings.items()]
        return "\n".join(lines) + "\n"

    def of(self, url: str) -> list[Written]:
        return sorted((c for c in self.captures if c.url == url), key=lambda c: c.at)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def pywb_bin() -> Path | None:
    """pywb's bin directory, or None when this run has no pywb."""
    value = os.environ.get(ENV_PYWB)
    if not value:
        return None
    path = Path(value)
    return path if (path / "wayback").is_file() and (path / "wb-manager").is_file() else None


def skip_reason() -> str:
    value = os.environ.get(ENV_PYWB)
    if not value:
        return f"{ENV_PYWB} is not set (make test sets it to the pywb virtual environment)"
    return f"{ENV_PYWB}={value} has no wayback and wb-manager programs"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_warc(path: Path, captures: Sequence[Written]) -> None:
    """One gzipped WARC with a response record per capture."""
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for capture in captures:
            reason = {200: "OK", 301: "Moved Permanently", 302: "Found", 404: "Not Found"}
            headers = [("Content-Type", capture.content_type)]
            if capture.location:
                headers.append(("Location", capture.location))
            headers.append(("Content-Length", str(len(capture.body))))
            http_headers = StatusAndHeaders(
                f"{capture.status} {reason.get(capture.status, 'Status')}",
                headers,
                protocol="HTTP/1.1",
            )
            record = writer.create_warc_record(
                capture.url,
                "response",
                payload=BytesIO(capture.body),
                http_headers=http_headers,
                warc_headers_dict={
                    "WARC-Date": capture.at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                },
            )
            writer.write_record(record)


def _run(bin_dir: Path, cwd: Path, *args: str) -> None:
    subprocess.run(
        [str(bin_dir / args[0]), *args[1:]],
        cwd=cwd,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        timeout=120,
    )


def start_pywb(root: Path, captures: Sequence[Written], bin_dir: Path) -> PywbArchive:
    """Write the WARC, build the collection and start `wayback` on a free loopback port."""
    root.mkdir(parents=True, exist_ok=True)
    warc = root / "captures.warc.gz"
    write_warc(warc, captures)
    if (root / "collections").exists():
        shutil.rmtree(root / "collections")
    _run(bin_dir, root, "wb-manager", "init", COLLECTION)
    _run(bin_dir, root, "wb-manager", "add", COLLECTION, str(warc))
    port = free_port()
    log = (root / "wayback.log").open("wb")
    process = subprocess.Popen(
        [str(bin_dir / "wayback"), "-b", "127.0.0.1", "-p", str(port)],
        cwd=root,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    archive = PywbArchive(root, port, list(captures), process)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"pywb exited: {(root / 'wayback.log').read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                return archive
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    archive.stop()
    raise RuntimeError("pywb did not start within 60 s")


def at_stamp(text: str) -> datetime:
    """The time a 14-digit archive timestamp (20240727120000) names, in UTC."""
    return datetime.strptime(text, "%Y%m%d%H%M%S").replace(tzinfo=UTC)


def sample_captures() -> list[Written]:
    """Several URLs with several captures each, a redirect capture and a 404 capture.

    The earliest capture of the news page is a 404 and the next a redirect, so the
    earliest 2xx capture is the third: a client that takes the first memento of the
    TimeMap as the first appearance gets it wrong.
    """
    news = "http://news.example.com/story/1"
    blog = "http://blog.example.org/post/42"
    feed = "http://feed.example.net/"
    return [
        Written(news, at_stamp("20190301101500"), 404, b"<html>not yet</html>"),
        Written(news, at_stamp("20190302080000"), 302, b"", location="http://news.example.com/s/1"),
        Written(news, at_stamp("20190303120000"), 200, b"<html>the story, first version</html>"),
        Written(news, at_stamp("20200115000001"), 200, b"<html>the story, updated</html>"),
        Written(news, at_stamp("20220606060606"), 200, b"<html>the story, updated</html>"),
        Written(blog, at_stamp("20150505050505"), 200, b"<html>post 42</html>"),
        Written(blog, at_stamp("20160606060606"), 200, b"<html>post 42, edited</html>"),
        Written(
            blog, at_stamp("20170707070707"), 301, b"", location="http://blog.example.org/posts/42"
        ),
        Written(feed, at_stamp("20110101000000"), 200, b"<html>feed v1</html>"),
        Written(feed, at_stamp("20120101000000"), 200, b"<html>feed v2</html>"),
    ]


def pywb_archive(
    root: Path, captures: Sequence[Written] | None = None, bin_dir: Path | None = None
) -> Iterator[PywbArchive]:
    """Start pywb over `captures` (the sample by default); stop it when done."""
    bin_dir = bin_dir or pywb_bin()
    if bin_dir is None:
        raise RuntimeError(skip_reason())
    archive = start_pywb(root, captures if captures is not None else sample_captures(), bin_dir)
    try:
        yield archive
    finally:
        archive.stop()
