"""The [preserve] settings: the savers' endpoints and paces, and the local snapshots.

Kept free of other tracer imports so the central Settings model embeds this one as its
`preserve` section (config/default.toml documents each key) without importing it back.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator


class WaybackSaveSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)
    save_url: str = "https://web.archive.org/save"
    cdx_url: str = "https://web.archive.org/cdx/search/cdx"
    access_key: SecretStr = SecretStr("")
    secret_key: SecretStr = SecretStr("")
    captures_per_minute: float = Field(12, gt=0)
    anonymous_captures_per_minute: float = Field(4, gt=0)
    concurrent_jobs: int = Field(3, ge=1)
    poll_interval: float = Field(5.0, gt=0)
    job_timeout: float = Field(300.0, gt=0)
    max_retries: int = Field(3, ge=0)
    retry_after_default: float = Field(60.0, ge=0)
    max_wait: float = Field(300.0, ge=0)
    if_not_archived_within: str = ""
    capture_all: bool = False
    capture_outlinks: bool = False
    capture_screenshot: bool = False
    skip_first_archive: bool = True
    force_get: bool = False
    delay_wb_availability: bool = False
    js_behavior_timeout: int = Field(0, ge=0)  # 0: the archive's default

    @field_validator("access_key", "secret_key", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        # environment values that look like numbers arrive as numbers
        return value if isinstance(value, SecretStr) else str(value)

    @property
    def keyed(self) -> bool:
        return bool(self.access_key.get_secret_value() and self.secret_key.get_secret_value())


class ArchiveTodaySaveSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)
    base_url: str = "https://archive.ph"
    interval: float = Field(30.0, ge=0)
    job_timeout: float = Field(600.0, gt=0)


class PreserveSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)
    archives: list[str] = Field(default_factory=lambda: ["wayback", "archive_today"])
    snapshot: bool = True
    snapshot_dir: str = ""
    window: float = Field(86400.0, ge=0)
    concurrency: int = Field(4, ge=1)
    max_failures: int = Field(3, ge=1)
    refusal_cooldown: float = Field(7 * 86400.0, ge=0)
    wayback: WaybackSaveSettings = Field(default_factory=WaybackSaveSettings)
    archive_today: ArchiveTodaySaveSettings = Field(default_factory=ArchiveTodaySaveSettings)
