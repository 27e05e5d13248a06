"""Content decoding with a hard bound on its output.

A response body is counted after decompression, so a small gzip bomb cannot outgrow the
body cap: output is produced in bounded steps and the cap is checked before more memory
is spent.
"""

from __future__ import annotations

import zlib

from tracer.errors import BodyTooLargeError, NetworkError

#: only encodings we can inflate with a bound, so a compression bomb cannot outgrow the cap
ACCEPT_ENCODING = "gzip, deflate"
_CHUNK = 65536


class Inflater:
    """Content decoding with a hard bound on output, whatever the input ratio."""

    def __init__(self, encoding: str, limit: int, url: str) -> None:
        encoding = encoding.strip().lower()
        self.limit, self.url, self.size = limit, url, 0
        self.parts: list[bytes] = []
        if encoding in ("", "identity"):
            self._inflate: zlib._Decompress | None = None
        elif encoding in ("gzip", "x-gzip"):
            self._inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._inflate = zlib.decompressobj()
        else:
            raise NetworkError(f"unsupported content encoding {encoding!r}", url)

    def _add(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.limit:
            raise BodyTooLargeError(
                f"body of {self.url} is larger than {self.limit} bytes", self.url
            )
        self.parts.append(data)

    def feed(self, chunk: bytes) -> None:
        if self._inflate is None:
            self._add(chunk)
            return
        data = chunk
        try:
            # at most _CHUNK bytes of output per step: input that would inflate further
            # waits in unconsumed_tail, so the cap is checked before memory is spent
            while data and not self._inflate.eof:
                self._add(self._inflate.decompress(data, _CHUNK))
                data = self._inflate.unconsumed_tail
        except zlib.error as exc:
            raise NetworkError(
                f"body of {self.url} is not valid compressed data: {exc}", self.url
            ) from None

    def finish(self) -> bytes:
        if self._inflate is not None:
            try:
                self._add(self._inflate.flush())
            except zlib.error as exc:
                raise NetworkError(f"body of {self.url} is truncated: {exc}", self.url) from None
            if not self._inflate.eof and self.size:
                raise NetworkError(f"body of {self.url} is truncated compressed data", self.url)
        return b"".join(self.parts)
