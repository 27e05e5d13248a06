"""A loopback stand-in for the outside world, played by Host header.

Tests register virtual hosts with handlers; the HTTP layer's `connect_to` sends every
such host here (plain HTTP on one port, TLS with a throw-away CA on another), and the
server records what it observed so tests can assert on it.
"""

from tests.fakeweb.server import (
    FakeRequest,
    FakeWeb,
    Response,
    gzip_bomb,
    redirect,
)

__all__ = ["FakeRequest", "FakeWeb", "Response", "gzip_bomb", "redirect"]
