"""The installed platform adapters, loaded once per process, and what they tell offline.

Extraction, resolution and the registry ask here instead of holding platform knowledge:
which adapter serves a host, which read a page's embeds, how a platform's accounts are
addressed. Each table is built on first use, so a command that never meets a platform
link imports no adapter.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from tracer.plugins.platform import (
    EmbedReader,
    LinkShapes,
    PlatformAdapter,
    Profile,
    Profiles,
    load_adapters,
)

if TYPE_CHECKING:
    from collections.abc import Mapping


@lru_cache(maxsize=1)
def platform_adapters() -> tuple[PlatformAdapter, ...]:
    """Every installed platform adapter, most specific first, the generic web one last."""
    return tuple(load_adapters())


@lru_cache(maxsize=1)
def link_hosts() -> Mapping[str, LinkShapes]:
    """The adapter that shapes links to each host (the first installed one claiming it)."""
    table: dict[str, LinkShapes] = {}
    for adapter in platform_adapters():
        if isinstance(adapter, LinkShapes):
            for host in adapter.hosts:
                table.setdefault(host, adapter)
    return table


@lru_cache(maxsize=1)
def embed_readers() -> Mapping[str, tuple[EmbedReader, ...]]:
    """The adapters that read embeds, by the tags they look at."""
    table: dict[str, list[EmbedReader]] = {}
    for adapter in platform_adapters():
        if isinstance(adapter, EmbedReader):
            for tag in adapter.embed_tags:
                table.setdefault(tag, []).append(adapter)
    return {tag: tuple(readers) for tag, readers in table.items()}


@lru_cache(maxsize=1)
def profiles() -> Mapping[str, Profile]:
    """How accounts are addressed, by platform name."""
    return {
        adapter.name: adapter.profile
        for adapter in platform_adapters()
        if isinstance(adapter, Profiles)
    }


@lru_cache(maxsize=1)
def platform_names() -> Mapping[str, str]:
    """Every name people call a platform with accounts by ("twitter", "tg"), lower case,
    to the platform's stored name."""
    names: dict[str, str] = {}
    for platform, profile in profiles().items():
        names[platform] = platform
        for alias in profile.aliases:
            names.setdefault(alias.lower(), platform)
    return names


__all__ = ["embed_readers", "link_hosts", "platform_adapters", "platform_names", "profiles"]
