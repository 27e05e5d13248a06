"""The one way plug-ins are found: Python entry points, by group.

Built-in adapters are registered in pyproject.toml exactly as a third-party package
registers its own, so the core never names an adapter module. Every plug-in kind (platform
adapters, archives, savers) is loaded here; a plug-in that fails to import or to build is
logged and skipped, because one broken package must not take every platform down.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from importlib.metadata import EntryPoint, entry_points
from typing import Any, TypeVar

log = logging.getLogger(__name__)

#: platform adapters (tracer.plugins.platform.PlatformAdapter), named by their platform
PLATFORMS = "tracer.adapters"
#: archive adapters (tracer.plugins.archive.ArchiveClient), named by their kind
ARCHIVES = "tracer.archives"
#: savers (tracer.plugins.saver.Saver), named by the archive they save to
SAVERS = "tracer.savers"

P = TypeVar("P")


def installed(group: str) -> dict[str, EntryPoint]:
    """The entry points of `group` by name, without importing any of them."""
    return {entry.name: entry for entry in entry_points(group=group)}


def build(
    entry: EntryPoint,
    protocol: type[P],
    make: Callable[[Any], Any] = lambda factory: factory(),
) -> P | None:
    """The plug-in `entry` names, built by `make(factory)`; None (and a log line) when it
    cannot be imported or built, or is not a `protocol`."""
    try:
        plugin = make(entry.load())
    except Exception as exc:  # a third-party plug-in's bug is its own, not the run's
        log.warning("plug-in %s (%s) cannot be loaded: %s", entry.name, entry.value, exc)
        return None
    if not isinstance(plugin, protocol):  # the protocols are runtime_checkable
        log.warning("plug-in %s (%s) is not a %s", entry.name, entry.value, protocol.__name__)
        return None
    return plugin


def build_all(group: str, protocol: type[P]) -> list[P]:
    """Every plug-in of `group` that loads, in entry-point order."""
    built = (build(entry, protocol) for entry in installed(group).values())
    return [plugin for plugin in built if plugin is not None]


__all__ = ["ARCHIVES", "PLATFORMS", "SAVERS", "build", "build_all", "installed"]
