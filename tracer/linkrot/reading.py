"""Reading a fetched page: its title, the fingerprint of its main text, and what the text
says of the page (an error page, a wall in front of the content).

The main text itself stays here: the classification needs only these verdicts, so a
page read in the check's helper process (tracer.linkrot.scheduling.sidecar) sends back a few words
instead of its text.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from tracer.linkrot.maintext import fingerprint, read_page, reads_not_found, reads_walled


@dataclass(frozen=True)
class PageReading:
    title: str
    fingerprint: str | None
    not_found: bool  # the page says "not found" in so many words
    walled: bool  # a captcha or login wall stands in front of the content


def read(content: bytes) -> PageReading:
    """One page's reading."""
    title, text = read_page(content) if content else ("", "")
    return PageReading(
        title,
        fingerprint(text) if text else None,
        reads_not_found(title, text),
        reads_walled(title, text),
    )


def spare_cores() -> int:
    """Cores this process may use beyond the one its event loop runs on."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count() or 1
    return max(0, usable - 1)


__all__ = ["PageReading", "read", "spare_cores"]
