"""The preservation tests' fast limits (their store and HTTP client are the root conftest's)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tracer.preservation.settings import PreserveSettings

ACCESS, SECRET = "AKEY7q2Zr9", "SKEYx81Lp4"


def fast_settings(tmp_path: Path, **overrides: Any) -> PreserveSettings:
    """Preserve settings that keep every behaviour but wait milliseconds, not minutes."""
    wayback = {
        "captures_per_minute": 60000,
        "anonymous_captures_per_minute": 60000,
        "poll_interval": 0.01,
        "job_timeout": 2.0,
        "retry_after_default": 0.2,
        **overrides.pop("wayback", {}),
    }
    archive_today = {"interval": 0.0, "job_timeout": 2.0, **overrides.pop("archive_today", {})}
    values: dict[str, Any] = {
        "snapshot_dir": str(tmp_path / "snapshots"),
        "wayback": wayback,
        "archive_today": archive_today,
        **overrides,
    }
    return PreserveSettings.model_validate(values)
