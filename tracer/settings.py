"""Layered settings: shipped defaults < user file < environment < command-line flags.

The shipped `config/default.toml` documents every key. A user file overrides any of
them, `TRACER_<SECTION>__<KEY>` environment variables override that, and flags given on
the command line override everything. A bad value is reported as one line that names
the key, the problem and where the value came from.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tracer.errors import ConfigError
from tracer.http.settings import HTTPSettings
from tracer.linkrot.settings import CheckSettings
from tracer.media.settings import MediaSettings
from tracer.preservation.settings import PreserveSettings
from tracer.sourcesearch.settings import SearchSettings
from tracer.tomlfiles import read_config

APP_NAME = "tracer"
ENV_PREFIX = "TRACER_"
#: environment variables that are not settings keys but name where settings live
ENV_CONFIG_FILE = "TRACER_CONFIG"
ENV_DB_URL = "TRACER_DB_URL"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class DatabaseSettings(_Section):
    url: str = ""


class CacheSettings(_Section):
    enabled: bool = True
    path: str = ""
    ttl: float = Field(86400, ge=0)


class ArchiveSettings(_Section):
    """One archive. Only keys a user sets are laid over the shipped archive list
    (config/archives.toml), which documents each of them."""

    enabled: bool = True
    timemap: str = ""
    kind: str = "memento"
    timegate: str = ""
    cdx: str = ""
    availability: str = ""
    replay: str = ""
    timeout: float = Field(30.0, gt=0)
    requests_per_minute: float = Field(12.0, gt=0)
    penalty: float = Field(60.0, ge=0)
    ttl: float = Field(86400.0, ge=0)
    concurrency: int = Field(1, ge=1)
    max_attempts: int = Field(3, ge=1)
    max_pages: int = Field(50, ge=1)
    page_size: int = Field(5000, ge=1)
    collapse: str = ""
    variants: str = "host"


class ExtractSettings(_Section):
    cue_files: list[str] = Field(default_factory=list)


class TraceSettings(SearchSettings):
    """The trace's limits, and (inherited) the named-source search's keys."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    max_references: int = Field(500, ge=1)
    max_depth: int = Field(5, ge=0)
    time_budget: float = Field(0.0, ge=0)


class RegistrySettings(_Section):
    files: list[str] = Field(default_factory=list)


class Settings(_Section):
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    http: HTTPSettings = Field(default_factory=HTTPSettings)
    cache: CacheSettings = Field(default_factory=CacheSettings)
    archives: dict[str, ArchiveSettings] = Field(default_factory=dict)
    registry: RegistrySettings = Field(default_factory=RegistrySettings)
    extract: ExtractSettings = Field(default_factory=ExtractSettings)
    trace: TraceSettings = Field(default_factory=TraceSettings)
    preserve: PreserveSettings = Field(default_factory=PreserveSettings)
    check: CheckSettings = Field(default_factory=CheckSettings)
    media: MediaSettings = Field(default_factory=MediaSettings)


def shipped_config_dir() -> Path:
    """Where the shipped config/ lives: inside an installed wheel, or beside the sources."""
    package_dir = Path(__file__).resolve().parent
    for candidate in (package_dir / "_shipped_config", package_dir.parent / "config"):
        if (candidate / "default.toml").is_file():
            return candidate
    raise ConfigError("the shipped config/default.toml is missing from this installation")


def user_config_file() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def user_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME))


def user_cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME))


def _parse_env_value(raw: str) -> Any:
    """Environment values are JSON or TOML when they parse as such, else plain strings."""
    try:
        return json.loads(raw)
    except ValueError:
        pass
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


def _merge(
    base: dict[str, Any],
    layer: Mapping[str, Any],
    origin: str,
    origins: dict[str, str],
    path: str = "",
) -> None:
    for key, value in layer.items():
        dotted = f"{path}.{key}" if path else key
        if isinstance(value, Mapping) and isinstance(base.get(key), dict) and key != "connect_to":
            _merge(base[key], value, origin, origins, dotted)
        else:
            base[key] = dict(value) if isinstance(value, Mapping) else value
            origins[dotted] = origin


def _env_layer(env: Mapping[str, str]) -> dict[str, Any]:
    sections = set(Settings.model_fields)
    layer: dict[str, Any] = {}
    for name, raw in sorted(env.items()):
        if name == ENV_DB_URL:
            layer.setdefault("database", {})["url"] = raw
            continue
        if not name.startswith(ENV_PREFIX):
            continue
        parts = name[len(ENV_PREFIX) :].lower().split("__")
        if parts[0] not in sections or len(parts) < 2:
            continue  # e.g. TRACER_CONFIG or a test harness's own TRACER_TEST_* variables
        node = layer
        for depth, part in enumerate(parts[:-1]):
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                key = ".".join(parts[: depth + 1])
                raise ConfigError(
                    f"setting {key}: given both as a value and as a table (from environment)"
                )
        if isinstance(node.get(parts[-1]), dict):
            raise ConfigError(
                f"setting {'.'.join(parts)}: given both as a value and as a table (from environment)"
            )
        node[parts[-1]] = _parse_env_value(raw)
    return layer


def _origin_of(loc: tuple[int | str, ...], origins: Mapping[str, str]) -> str:
    parts = [str(p) for p in loc]
    while parts:
        found = origins.get(".".join(parts))
        if found:
            return found
        parts.pop()
    return "defaults"


def load_settings(
    config_file: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Build the effective settings from every layer. Raises ConfigError on a bad value."""
    env = os.environ if env is None else env
    origins: dict[str, str] = {}
    merged: dict[str, Any] = {}
    shipped = shipped_config_dir() / "default.toml"
    _merge(merged, read_config(shipped, "config file"), "shipped defaults", origins)

    user_file: Path | None = None
    if config_file:
        user_file = Path(config_file)
    elif env.get(ENV_CONFIG_FILE):
        user_file = Path(env[ENV_CONFIG_FILE])
    elif user_config_file().is_file():
        user_file = user_config_file()
    if user_file is not None:
        _merge(merged, read_config(user_file, "config file"), str(user_file), origins)

    _merge(merged, _env_layer(env), "environment", origins)
    if overrides:
        _merge(merged, overrides, "command line", origins)

    try:
        return Settings.model_validate(merged)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        if first["type"] == "extra_forbidden":
            message = "unknown key"
        raise ConfigError(
            f"setting {key}: {message} (from {_origin_of(first['loc'], origins)})"
        ) from None
