"""How a tracer process lets Python's garbage collector run.

A command imports a few hundred thousand long-lived objects (SQLAlchemy, pydantic, the
model, lxml's bindings) before its work starts, and then allocates short-lived objects
at a high rate (a link check makes dozens). With the interpreter's defaults every 700
allocations start a young collection and every few thousand an older one that walks
everything imported: measured on `tracer check` over 10,000 links, a second of CPU in
the collector and another half second tearing the heap down at exit.

What startup built is moved out of the collector's sight (it lives as long as the
process), and young collections run per thousands of allocations instead of hundreds.
Reference counting still frees almost everything at once; the collector only finds
cycles (SQLAlchemy builds some per statement), and a cycle now waits a little longer.
Not much longer: the count is of allocations net of deallocations, which a busy check
run raises by only a few hundred a second, so a threshold of 50,000 let a minute's
cycles pile up (4 MB every 30 s in each process of a long run, measured); 5,000 keeps
the memory of a million-link run flat at the same speed.
"""

from __future__ import annotations

import gc

#: allocations (net of deallocations) between two young collections; the default is 700
YOUNG_THRESHOLD = 5_000
#: young collections between two middle ones, and middle ones between two full ones
MIDDLE_THRESHOLD = 20
OLD_THRESHOLD = 10


def settle() -> None:
    """Call once imports are done and before the work begins."""
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, MIDDLE_THRESHOLD, OLD_THRESHOLD)


__all__ = ["settle"]
