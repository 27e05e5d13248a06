"""Headless Chromium for the report tests, without CDP: --dump-dom and --screenshot.

Every run gets a fresh profile and sends all its traffic to a `RecordingProxy` on
loopback, so a test can tell whether a page asked for anything (the proxy answers 403
and never forwards). The screenshot PNG is decoded here (zlib and the five PNG filters)
to check what was painted, since Pillow is not a dependency.
"""

from __future__ import annotations

import shutil
import socket
import struct
import subprocess
import tempfile
import threading
import zlib
from pathlib import Path
from types import TracebackType

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--hide-scrollbars",
    "--mute-audio",
]


class RecordingProxy:
    """An HTTP proxy on 127.0.0.1 that records request lines and forwards nothing."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self._server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(16)
        self._server.settimeout(0.2)
        self.port = self._server.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> RecordingProxy:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._server.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with connection:
                connection.settimeout(2)
                try:
                    line = connection.recv(4096).split(b"\r\n", 1)[0]
                except OSError:
                    continue
                if line:
                    self.requests.append(line.decode("latin-1"))
                connection.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")


def _run(args: list[str], proxy: RecordingProxy, timeout: float = 60) -> str:
    assert CHROMIUM is not None
    with tempfile.TemporaryDirectory(prefix="tracer-chromium-") as profile:
        command = [
            CHROMIUM,
            *FLAGS,
            f"--user-data-dir={profile}",
            f"--proxy-server=http://127.0.0.1:{proxy.port}",
            # send loopback through the proxy too: nothing may leave the page at all
            "--proxy-bypass-list=<-loopback>",
            *args,
        ]
        done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    return done.stdout.decode("utf-8", errors="replace")


def dump_dom(page: Path, proxy: RecordingProxy) -> str:
    """The DOM after the page loaded and any script on it ran (with a little virtual time)."""
    return _run(["--virtual-time-budget=3000", "--dump-dom", page.as_uri()], proxy)


def screenshot(page: Path, out: Path, proxy: RecordingProxy, width: int, height: int) -> Path:
    _run(
        [f"--window-size={width},{height}", f"--screenshot={out}", page.as_uri()],
        proxy,
    )
    assert out.exists(), f"chromium wrote no screenshot to {out}"
    return out


def print_pdf(page: Path, out: Path, proxy: RecordingProxy) -> Path:
    """The page as printed (print media styles), as a PDF."""
    _run([f"--print-to-pdf={out}", "--no-pdf-header-footer", page.as_uri()], proxy)
    assert out.exists(), f"chromium wrote no PDF to {out}"
    return out


def png_pixels(path: Path) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of RGB(A) bytes) of an 8-bit, non-interlaced PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    offset, chunks, header = 8, [], b""
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        offset += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and interlace == 0 and colour in (2, 6), "unsupported PNG layout"
    channels = 4 if colour == 6 else 3
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    position = 0
    for _ in range(height):
        filter_type = raw[position]
        line = bytearray(raw[position + 1 : position + 1 + stride])
        position += 1 + stride
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if filter_type == 1:
                line[i] = (line[i] + left) & 0xFF
            elif filter_type == 2:
                line[i] = (line[i] + up) & 0xFF
            elif filter_type == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif filter_type == 4:
                estimate = left + up - corner
                pa, pb, pc = abs(estimate - left), abs(estimate - up), abs(estimate - corner)
                best = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + best) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, rows if channels == 3 else [_rgb(row) for row in rows]


def _rgb(row: bytes) -> bytes:
    return bytes(b for i, b in enumerate(row) if i % 4 != 3)


def colours(path: Path) -> set[tuple[int, int, int]]:
    """Every RGB colour painted in the screenshot."""
    _, _, rows = png_pixels(path)
    found: set[tuple[int, int, int]] = set()
    for row in rows:
        found.update(zip(row[0::3], row[1::3], row[2::3], strict=True))
    return found
