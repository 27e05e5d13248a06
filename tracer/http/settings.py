"""The [http] settings of the one HTTP layer, with their defaults.

Kept free of other tracer imports so the central Settings model embeds this one as its
`http` section (config/default.toml documents each key) without importing it back.
"""

from __future__ import annotations

import ipaddress

from pydantic import BaseModel, ConfigDict, Field, field_validator


class HTTPSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)
    allow_networks: list[str] = Field(default_factory=list)
    connect_to: dict[str, str] = Field(default_factory=dict)
    per_host_concurrency: int = Field(2, ge=1)
    per_host_interval: float = Field(0.5, ge=0)
    max_concurrency: int = Field(16, ge=1)
    timeout: float = Field(20.0, gt=0)
    connect_timeout: float = Field(10.0, gt=0)
    total_timeout: float = Field(60.0, gt=0)
    max_body_bytes: int = Field(20_000_000, ge=1)
    max_redirects: int = Field(10, ge=0)
    max_attempts: int = Field(4, ge=1)
    backoff_initial: float = Field(0.5, ge=0)
    backoff_max: float = Field(60.0, ge=0)
    user_agent: str = "provenance-tracer/{version}"
    ca_bundle: str = ""

    @field_validator("allow_networks")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        for cidr in value:
            try:
                ipaddress.ip_network(cidr, strict=False)
            except ValueError:
                raise ValueError(f"{cidr!r} is not a network in CIDR form") from None
        return value

    @field_validator("connect_to")
    @classmethod
    def _remaps(cls, value: dict[str, str]) -> dict[str, str]:
        for source, target in value.items():
            for side in (source, target):
                if side.count(":") > 1 and not side.startswith("["):
                    raise ValueError(f"{side!r} is not host:port")
            host, _, port = target.rpartition(":")
            if not host or not port.isdigit():
                raise ValueError(f"target {target!r} of {source!r} is not host:port")
        return value
