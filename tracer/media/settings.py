"""The `[media]` settings: what media files a trace fetches, and when two are the same image."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class MediaSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    enabled: bool = True
    max_bytes: int = Field(15_000_000, ge=1)
    max_pixels: int = Field(50_000_000, ge=1)
    same_image_distance: int = Field(10, ge=0, le=64)
    max_per_document: int = Field(20, ge=0)
    page_images: int = Field(10, ge=0)
    archived_copies: int = Field(2, ge=0)
    snapshot: bool = True
