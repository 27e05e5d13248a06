"""Reading the shipped data files (cue lexicons, the source registry), parsed once.

Python's TOML parser reads about 4 MB a second. The sixteen cue lexicons alone are
650 KB, so parsing them took a fifth of an offline trace. The parsed data of a file is
kept in the user's cache directory, keyed by the file's path, size and modification
time, and read back with marshal, which is about a hundred times faster. A cache that
is missing, stale, unreadable or unwritable only means the file is parsed again.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from tracer.errors import ConfigError

#: files smaller than this parse faster than the cache is checked
_WORTH_CACHING = 16_000


def read_toml(path: Path) -> dict[str, Any]:
    """`path` parsed as TOML; raises what `tomllib.load` and `open` raise."""
    try:
        stat = path.stat()
    except OSError:
        stat = None
    if stat is None or stat.st_size < _WORTH_CACHING:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns, sys.version_info[:2])
    cached = _cache_file(key[0])
    data = _load(cached, key)
    if data is not None:
        return data
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    _store(cached, key, data)
    return data


def read_config(path: Path, what: str) -> dict[str, Any]:
    """`path`, a file the user names (`what`: "config file", "registry file"), parsed as
    TOML; a ConfigError that names the file and the reason when it cannot be."""
    try:
        return read_toml(path)
    except FileNotFoundError:
        raise ConfigError(f"{what} {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{what} {path} cannot be read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{what} {path} is not valid TOML: {exc}") from None


def _cache_file(resolved: str) -> Path:
    from tracer.settings import user_cache_dir

    name = hashlib.sha256(resolved.encode()).hexdigest()[:32]
    return user_cache_dir() / "toml" / f"{name}.marshal"


def _load(cached: Path, key: tuple[Any, ...]) -> dict[str, Any] | None:
    try:
        stored_key, data = marshal.loads(cached.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if stored_key != key or not isinstance(data, dict):
        return None
    return data


def _store(cached: Path, key: tuple[Any, ...], data: dict[str, Any]) -> None:
    store_marshalled(cached, (key, data))


def store_marshalled(cached: Path, entry: Any) -> None:
    """Keep `entry` in a cache file for later runs, best effort: a value marshal cannot
    hold (a TOML date, say) or a cache directory that cannot be written is skipped, and
    the caller simply computes it again next time."""
    try:
        payload = marshal.dumps(entry)
    except ValueError:
        return
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        # written aside and renamed, so a reader never sees half a file
        handle, temporary = tempfile.mkstemp(dir=cached.parent, suffix=".part")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(payload)
        os.replace(temporary, cached)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
