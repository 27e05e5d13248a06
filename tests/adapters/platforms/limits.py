"""The HTTP limits the platform tests run with (see the `http_limits` fixture)."""

from __future__ import annotations

from typing import Any

#: a platform's failure is answered at the first attempt
ONE_ATTEMPT: dict[str, Any] = {"max_attempts": 1}

#: for the platforms whose tests see an endpoint fail once and then answer: one retry,
#: and short timeouts so that a test of a hung endpoint ends soon
RETRY_ONCE_QUICKLY: dict[str, Any] = {
    "max_attempts": 2,
    "timeout": 1.0,
    "total_timeout": 3.0,
    "backoff_max": 1.0,
}
