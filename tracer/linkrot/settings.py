"""The [check] settings of link-rot checks, with their defaults.

Kept free of other tracer imports so the central Settings model embeds this one as its
`check` section (config/default.toml documents each key) without importing it back.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class CheckSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    #: every stored node with a URL is checked, not only URLs given to `tracer watch`
    watch_by_default: bool = True
    #: failed checks (not-found, soft-404, dns-gone, ...) before a link is declared dead
    death_failures: int = Field(3, ge=1)
    #: days between the first and the last of those failures (InternetArchiveBot: 3)
    death_days: float = Field(3.0, ge=0)
    #: hours until a healthy link is checked again the first time; below 24 so a
    #: nightly run whose start drifts a little still sees it the next night
    recheck_hours: float = Field(20.0, gt=0)
    #: each further healthy check multiplies the interval by this (stable links back off)
    backoff_factor: float = Field(2.0, ge=1)
    #: the longest interval between two checks of a stable link
    max_interval_days: float = Field(30.0, gt=0)
    #: hours until a failing (or transiently failing) link is checked again
    failing_recheck_hours: float = Field(20.0, gt=0)
    #: a link's HTML main text counts as changed when its 64-bit simhash moves more
    #: than this many bits
    change_threshold_bits: int = Field(6, ge=0, le=64)
    #: seconds a worker holds the links it claimed; a dead worker's links return after it
    lease_seconds: float = Field(600.0, gt=0)
    #: links claimed from the database at once
    batch_size: int = Field(500, ge=1)
    #: seconds a run may take before it stops claiming links (0: no limit)
    time_budget: float = Field(0.0, ge=0)
    #: largest body read for a check; larger resources are checked with HEAD instead
    max_body_bytes: int = Field(5_000_000, ge=1024)
    #: ask the Wayback Machine about links with no capture, and record a need
    archive_missing: bool = True
    #: days an archive's answer is trusted before a link is asked about again
    archive_lookup_days: float = Field(30.0, ge=0)
    #: Wayback availability API endpoint (the rest of the archive, its CDX server and
    #: its pace, comes from the archive list's [wayback] table)
    availability_url: str = "https://archive.org/wayback/available"
    #: seconds from a run's start after which its archive look-ups stop once its checks
    #: are done; what is left is asked the next run (0: until none is left)
    lookup_budget: float = Field(600.0, ge=0)
    #: due links of one host from which they are answered by one CDX listing of the
    #: host instead of a request each
    lookup_listing_min: int = Field(10, ge=2)
    #: pages of a host's listing followed before its remaining links are asked one by one
    lookup_listing_pages: int = Field(3, ge=1)
    #: URL that receives the JSON report (POST) after each run; empty: none
    webhook_url: str = ""
    #: helper processes that read fetched pages (parse, main text, fingerprint) and store
    #: finished checks: -1 lets a run of at least `reader_min_links` links use one when
    #: the machine has a spare core; 0 does both in the checking process
    reader_workers: int = Field(-1, ge=-1)
    #: due links from which an automatic run starts a helper (its start-up costs
    #: more than it saves on a short run)
    reader_min_links: int = Field(1000, ge=0)
