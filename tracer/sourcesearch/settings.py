"""The settings of the named-source search: the `[trace]` section of the configuration.

Defaults live here so the search runs the same whether or not the section is present;
config/default.toml documents each key.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class SearchSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: look for named sources online (outlets, channels, tweets known by their signature)
    search: bool = True
    #: days before the citing document's date in which its source may have been published
    search_window_before_days: float = Field(7.0, ge=0)
    #: days after it (time zones, and pages dated by their last update)
    search_window_after_days: float = Field(1.0, ge=0)
    #: score (0..1) from which a candidate becomes an edge; below it, it is only listed
    candidate_threshold: float = Field(0.6, ge=0, le=1)
    #: edges made at most per named source, best first
    max_edges_per_source: int = Field(2, ge=1)
    #: words taken from the evidence sentence to search by, besides --keywords
    claim_keywords: int = Field(8, ge=1)
    #: CDX rows asked per page of an outlet or handle listing
    cdx_rows: int = Field(500, ge=1)
    #: CDX pages followed per listing
    cdx_pages: int = Field(2, ge=1)
    #: candidate pages fetched and read per named source, best-looking first
    candidates_read: int = Field(5, ge=1)
    #: pages of a channel's history read per channel search
    channel_pages: int = Field(10, ge=1)
    #: seconds a channel search may take
    channel_seconds: float = Field(60.0, gt=0)
    #: days after a tweet's signature date in which archives may have captured it
    signature_capture_days: float = Field(30.0, ge=0)
    #: similarity (0..1) of a candidate's text to the embed's text that makes it certain
    signature_similarity: float = Field(0.8, ge=0, le=1)
