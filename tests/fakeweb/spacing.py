"""Spacing of requests as fakeweb saw them: are they at least `interval` apart?

The client paces the *start* of each request; fakeweb stamps a request when its head has
arrived and its thread has read it. Between the two lie a new connection's TCP and TLS
set-up (the first requests to a host open connections, later ones reuse them) and the
server thread's turn at the GIL and the CPU. On this two-core machine under a full test
run, a stamp lands up to ~25 ms late and the next gap is that much short. So one gap may
fall short of the interval by SLACK; and every run of k + 1 arrivals must still span k
intervals less that same SLACK, so a client that sent faster on average, or in bursts,
fails even when each of its gaps stays within the slack. Where a test's requests need no
TLS and no new connection per request, it passes a tighter slack.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from tests.fakeweb.server import FakeRequest

SLACK = 0.05  # seconds a stamp may land after the request's turn began (see above)


def spacing_figures(requests: Iterable[FakeRequest], interval: float) -> dict[str, float]:
    """requests, span, the shortest gap, the most in any one second, and the shortfall:
    how far the tightest run of consecutive arrivals falls short of its intervals."""
    arrivals = sorted(r.at for r in requests)
    gaps = [b - a for a, b in itertools.pairwise(arrivals)]
    shortfall = max(
        (
            k * interval - (arrivals[i + k] - arrivals[i])
            for k in range(1, len(arrivals))
            for i in range(len(arrivals) - k)
        ),
        default=0.0,
    )
    busiest = max((sum(1 for t in arrivals if s <= t < s + 1.0) for s in arrivals), default=0)
    return {
        "requests": len(arrivals),
        "span": round(arrivals[-1] - arrivals[0], 3) if arrivals else 0.0,
        "min_gap": round(min(gaps), 4) if gaps else float("inf"),
        "max_per_second": busiest,
        "shortfall": round(shortfall, 4),
    }


def assert_spaced(
    requests: Iterable[FakeRequest], interval: float, slack: float = SLACK
) -> dict[str, float]:
    """Fail unless the requests arrived `interval` apart, within `slack`; the figures back."""
    figures = spacing_figures(requests, interval)
    print("spacing:", figures)  # shown with pytest -s
    assert figures["requests"] >= 2, figures
    assert figures["min_gap"] >= interval - slack, figures
    assert figures["shortfall"] <= slack, figures
    return figures
