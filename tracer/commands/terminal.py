"""What a long command shows a person at a terminal while it works: a progress bar on
stderr, never in a pipe, with --json or with --quiet (`archive`, `check`)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import Progress

    from tracer.runtime import Runtime


def shows_progress(runtime: Runtime, as_json: bool) -> bool:
    """Whether the command shows a progress bar: only to a person, who reads stderr at a
    terminal, and not when asked for JSON or for quiet."""
    return not as_json and not runtime.quiet and sys.stderr.isatty()


@contextmanager
def progress_bar() -> Iterator[Progress]:
    """A bar on stderr (what it is doing, the bar, done of total, time taken) that is
    gone once the command ends, leaving its own output alone on the screen."""
    # imported here: a run with no one watching (a nightly check) loads no console library
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        yield bar
