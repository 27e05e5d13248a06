"""The exceptions tracer raises on purpose.

Everything a user can cause (bad input, bad settings, an unreachable host) is a
`TracerError`; the CLI turns one into a single line on stderr and an exit code.
Anything else escaping is a bug and is reported as such.
"""

from __future__ import annotations


class TracerError(Exception):
    """Base of every error tracer raises deliberately."""

    #: exit code the command line uses when this error ends a command
    exit_code: int = 2


class ConfigError(TracerError):
    """A setting is missing, unknown or has a value of the wrong shape."""


class InputError(TracerError):
    """The thing the user asked us to read cannot be read or understood."""


class MediaError(InputError):
    """A media file is too large, or not an image the decoder can read safely."""


class StorageError(TracerError):
    """The database cannot be opened, migrated or written."""


class NetworkError(TracerError):
    """A request could not be completed. `url` names the request that failed.

    `transient` says whether the same request may succeed if tried again later.
    """

    transient: bool = False

    def __init__(self, message: str, url: str | None = None) -> None:
        super().__init__(message)
        self.url = url


class BlockedAddressError(NetworkError):
    """The destination resolves to an address the private-address guard refuses."""


class DNSError(NetworkError):
    """The host name does not resolve."""


class ConnectError(NetworkError):
    """The TCP or TLS connection could not be made."""

    transient = True


class ConnectionBrokenError(NetworkError):
    """The connection was reset or closed before the response was complete."""

    transient = True


class TLSError(ConnectError):
    """The TLS handshake or certificate check failed."""

    transient = False


class TimeoutError_(NetworkError):
    """A connect, read or total deadline passed."""

    transient = True


class BodyTooLargeError(NetworkError):
    """The response body (after decompression) is larger than the configured cap."""


class RedirectError(NetworkError):
    """Too many redirects, a redirect loop, or a redirect without a usable Location."""


class HTTPStatusError(NetworkError):
    """The server answered with a status the caller treats as failure."""

    def __init__(self, message: str, url: str | None = None, status_code: int = 0) -> None:
        super().__init__(message, url)
        self.status_code = status_code


__all__ = [
    "BlockedAddressError",
    "BodyTooLargeError",
    "ConfigError",
    "ConnectError",
    "ConnectionBrokenError",
    "DNSError",
    "HTTPStatusError",
    "InputError",
    "MediaError",
    "NetworkError",
    "RedirectError",
    "StorageError",
    "TLSError",
    "TimeoutError_",
    "TracerError",
]
