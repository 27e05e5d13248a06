"""The installed platform adapters, loaded once per process, and what they tell offline.

Extraction, resolution and the registry ask here instead of holding platform knowledge:
which adapter serves a host, which read a page's embeds, how a platform's accounts are
addressed. Each table is built on first use, so a command that never meets a platform
link imports no adapter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from tracer.plugins.platform import (
    EmbedReader,
    LinkShapes,
    PlatformAdapter,
    Profile,
    Profiles,
    ProseNames,
    load_adapters,
)

if TYPE_CHECKING:
    from lxml.etree import XPath


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


@dataclass(frozen=True)
class EmbedPlan:
    """How a page's embeds are found: one XPath for every reader's elements (in document
    order: each path is walked once however many readers ask for it), and who reads what."""

    candidates: XPath
    readers: Mapping[str, tuple[EmbedReader, ...]]  # by tag


#: the tag an embed path selects: `.//TAG[...]`
_PATH_TAG = re.compile(r"\.//([\w-]+)")


@lru_cache(maxsize=1)
def embed_plan() -> EmbedPlan | None:
    """The installed adapters' embed readers, planned once; None when there are none."""
    from lxml.etree import XPath

    paths: dict[str, None] = {}
    readers: dict[str, list[EmbedReader]] = {}
    for adapter in platform_adapters():
        if not isinstance(adapter, EmbedReader):
            continue
        for path in adapter.embed_paths:
            tag = _PATH_TAG.match(path)
            if tag is None:
                raise ValueError(f"{adapter.name}: embed path {path!r} is not .//TAG[...]")
            paths[path] = None
            wanting = readers.setdefault(tag.group(1), [])
            if adapter not in wanting:
                wanting.append(adapter)
    if not paths:
        return None
    return EmbedPlan(
        XPath(" | ".join(paths)), {tag: tuple(found) for tag, found in readers.items()}
    )


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


@lru_cache(maxsize=1)
def prose_names() -> Mapping[str, Mapping[str, tuple[str, ...]]]:
    """How prose names each platform: platform name -> language code -> names."""
    return {
        adapter.name: adapter.prose
        for adapter in platform_adapters()
        if isinstance(adapter, ProseNames)
    }


__all__ = [
    "EmbedPlan",
    "embed_plan",
    "link_hosts",
    "platform_adapters",
    "platform_names",
    "profiles",
    "prose_names",
]
