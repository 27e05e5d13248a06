"""Archive listings by URL prefix or domain, in a date window: the searchable part of an
archive's index.

Only archives whose adapter can list captures by prefix (a CDX server: the Wayback
Machine) are usable; they are found among the configured archives by what they offer,
so the core names no archive. Each is copied with the search's own page limits, so a
search never walks the 50 pages a capture look-up may.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from tracer.errors import InputError, NetworkError
from tracer.plugins.archive import ArchiveClient, ArchiveConfig, Memento, Window

if TYPE_CHECKING:
    from tracer.http.client import HTTPClient


@runtime_checkable
class PrefixListing(Protocol):
    """An archive adapter that lists captures matching a CDX URL pattern, with filters."""

    config: ArchiveConfig

    def prepare(self, http: HTTPClient) -> None: ...

    async def listing(
        self,
        url: str,
        http: HTTPClient,
        window: Window | None = None,
        *,
        collapse: str = "",
        filters: Sequence[str] = (),
    ) -> list[Memento]: ...


def searchable(archives: Sequence[ArchiveClient], rows: int, pages: int) -> list[PrefixListing]:
    """The archives that can be searched by prefix, limited to `rows` x `pages` per query."""
    found: list[PrefixListing] = []
    for archive in archives:
        if isinstance(archive, PrefixListing) and archive.config.cdx:
            config = replace(archive.config, page_size=rows, max_pages=pages)
            found.append(type(archive)(config))  # type: ignore[call-arg]
    return found


class ListingFailed(Exception):
    """Every searchable archive failed; the reasons, by archive."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {reason}" for name, reason in errors.items()))
        self.errors = errors


async def list_captures(
    archives: Sequence[PrefixListing],
    pattern: str,
    http: HTTPClient,
    window: Window | None,
    filters: Sequence[str] = (),
) -> tuple[list[Memento], dict[str, str]]:
    """Captures matching `pattern` ("*.rt.com", "x.com/handle/status/*") in every archive.

    Returns what was found and each failing archive's reason; raises ListingFailed when
    none answered, so "nothing there" and "nobody could say" stay different.
    """
    found: list[Memento] = []
    errors: dict[str, str] = {}
    for archive in archives:
        archive.prepare(http)
        try:
            found.extend(
                await archive.listing(pattern, http, window, collapse="urlkey", filters=filters)
            )
        except (NetworkError, InputError) as exc:
            errors[archive.config.name] = (str(exc) or type(exc).__name__).splitlines()[0][:300]
    if archives and len(errors) == len(archives):
        raise ListingFailed(errors)
    return found, errors
