"""What a running command has at hand: the effective settings, the store, the HTTP client.

Commands receive a `Runtime` instead of reaching for globals, so every command is also a
function a library user or a test can call with settings of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracer.settings import Settings, load_settings, user_cache_dir
from tracer.store.database import database_url
from tracer.store.upserts import Store

if TYPE_CHECKING:
    from tracer.http.client import HTTPClient


@dataclass
class Runtime:
    settings: Settings
    verbose: int = 0
    quiet: bool = False
    _store: Store | None = field(default=None, repr=False)

    @classmethod
    def from_options(
        cls,
        config_file: str | None = None,
        db_url: str | None = None,
        verbose: int = 0,
        quiet: bool = False,
    ) -> Runtime:
        overrides: dict[str, Any] = {}
        if db_url:
            overrides["database"] = {"url": db_url}
        return cls(load_settings(config_file, overrides=overrides), verbose, quiet)

    @property
    def database_url(self) -> str:
        return database_url(self.settings)

    @property
    def store(self) -> Store:
        """The store, opened (and for SQLite, migrated) on first use."""
        if self._store is None:
            self._store = Store.open(self.database_url)
        return self._store

    def http(self, *, cache: bool = True) -> HTTPClient:
        """A new HTTP client under the settings' limits, with the response cache if enabled."""
        # imported here: an offline trace never makes one, and httpx with its transport
        # stack is 0.07 s of a start
        from tracer.http.client import HTTPClient

        cache_transport = None
        if cache and self.settings.cache.enabled:
            from cache.responses import response_cache

            path = Path(self.settings.cache.path or user_cache_dir() / "responses.db")
            cache_transport = response_cache(path, self.settings.cache.ttl)
        return HTTPClient(self.settings.http, cache_transport=cache_transport)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
