"""archive.today (archive.ph, archive.is, archive.md), through its Memento TimeMap.

archive.today has no CDX and no public API beyond Memento: its TimeMap lists every
capture with its time, and its TimeGate picks one by Accept-Datetime. It files URLs as
they were submitted, so the http/https and www spellings are asked separately, and it
answers a 404 when it holds nothing. It throttles hard (429 pages without Retry-After),
hence the slow default pace.
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from adapters.archives.memento import MementoArchive
from tracer.plugins.archive import ArchiveConfig


class ArchiveTodayArchive(MementoArchive):
    name: ClassVar[str] = "archive_today"

    @classmethod
    def default_config(cls) -> ArchiveConfig:
        return replace(
            super().default_config(),
            timemap="https://archive.ph/timemap/{url}",
            timegate="https://archive.ph/timegate/{url}",
            requests_per_minute=6,
            variants="full",
        )
