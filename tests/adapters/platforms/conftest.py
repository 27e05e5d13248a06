"""The platform tests' HTTP limits: a platform's failure is answered at the first attempt,
unless a module lets it retry (its `HTTP_LIMITS`)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.adapters.platforms.limits import ONE_ATTEMPT


@pytest.fixture
def http_limits(request: pytest.FixtureRequest) -> dict[str, Any]:
    return getattr(request.module, "HTTP_LIMITS", ONE_ATTEMPT)
