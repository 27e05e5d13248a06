"""The platform tests' HTTP limits: a platform's failure is answered at the first attempt,
unless a module lets it retry."""

from __future__ import annotations

from typing import Any

import pytest

from tests.adapters.platforms.limits import ONE_ATTEMPT


@pytest.fixture
def http_limits() -> dict[str, Any]:
    return ONE_ATTEMPT
