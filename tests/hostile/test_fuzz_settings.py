"""Fuzzing settings: any config file or environment value ends in a Settings or ConfigError."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.hostile.strategies import FUZZ, config_files, toml_values
from tracer.errors import ConfigError
from tracer.settings import Settings, load_settings

_ENV_KEYS = [
    "TRACER_HTTP__ALLOW_NETWORKS",
    "TRACER_HTTP__CONNECT_TO",
    "TRACER_HTTP__MAX_BODY_BYTES",
    "TRACER_HTTP__TIMEOUT",
    "TRACER_CHECK__BATCH_SIZE",
    "TRACER_PRESERVE__WAYBACK__ACCESS_KEY",
    "TRACER_ARCHIVES__WAYBACK__ENABLED",
    "TRACER_DB_URL",
    "TRACER_HTTP",
    "TRACER_NOSUCH__KEY",
    "TRACER_HTTP__NOSUCH",
    "TRACER_HTTP__CONNECT_TO__X",
]
#: a key that is both a value and a table: see test_a_key_given_as_value_and_as_table
_COLLIDING = ("TRACER_HTTP__CONNECT_TO", "TRACER_HTTP__CONNECT_TO__X")


@FUZZ
@given(config_files())
@example(b"[http]\nallow_networks = 5\n")
@example(b"[http]\nconnect_to = {'a:1' = 'b'}\n")
@example(b"[http\n")
@example(b"\xff\xfe[http]")
@example(b"http = 1\n")
@example(b"[archives]\nwayback = 1\n")
@example(b"[http]\nmax_body_bytes = 1e400\n")
def test_config_files(content: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "config.toml"
        path.write_bytes(content)
        try:
            settings = load_settings(path, env={})
        except ConfigError as exc:
            assert "\n" not in str(exc).strip(), "one line"
            return
    assert isinstance(settings, Settings)


@FUZZ
@given(st.dictionaries(st.sampled_from(_ENV_KEYS), toml_values | st.text(max_size=30)))
@example({"TRACER_HTTP__ALLOW_NETWORKS": '["::/0", 5]'})
@example({"TRACER_HTTP__CONNECT_TO": '{"a": 1}'})
@example({"TRACER_HTTP__CONNECT_TO__X": "1"})
@example({"TRACER_HTTP": "1"})
def test_environment_values(env: dict[str, str]) -> None:
    if all(name in env for name in _COLLIDING):
        env.pop(_COLLIDING[1])
    try:
        settings = load_settings(env=env)
    except ConfigError as exc:
        assert "\n" not in str(exc).strip()
        return
    assert isinstance(settings, Settings)


def test_a_missing_and_an_unreadable_config_file(tmp_path: Path) -> None:
    for path in (tmp_path / "absent.toml", tmp_path):
        try:
            load_settings(path, env={})
        except ConfigError:
            continue
        raise AssertionError(f"{path} was accepted")


def test_a_key_given_as_value_and_as_table() -> None:
    # TRACER_HTTP__CONNECT_TO=0 and TRACER_HTTP__CONNECT_TO__X=1 in one environment
    with pytest.raises(ConfigError):
        load_settings(env={"TRACER_HTTP__CONNECT_TO": "0", "TRACER_HTTP__CONNECT_TO__X": "1"})
