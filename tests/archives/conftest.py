"""Helpers of the archive tests: an HTTP client that reaches fakeweb, quick archive configs."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from typing import Any

import pytest

from tests.fakeweb import FakeWeb
from tracer.http.client import HTTPClient
from tracer.plugins.archive import ArchiveConfig


@pytest.fixture
async def http(fakeweb: FakeWeb) -> AsyncIterator[HTTPClient]:
    async with HTTPClient(fakeweb.http_settings(), resolver=fakeweb.resolver) as client:
        yield client


def fast(config: ArchiveConfig, **changes: Any) -> ArchiveConfig:
    """The archive's real shape with limits fast enough for a test."""
    values: dict[str, Any] = {
        "requests_per_minute": 60000.0,
        "concurrency": 4,
        "penalty": 0.3,
        "timeout": 5.0,
    }
    values.update(changes)
    return replace(config, **values)


@pytest.fixture
def make_config() -> Callable[..., ArchiveConfig]:
    return fast
