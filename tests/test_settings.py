"""Settings: every layer overrides the one below it, and bad values are one clear line."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tracer.errors import ConfigError
from tracer.settings import Settings, load_settings, shipped_config_dir


def test_shipped_defaults_document_every_key() -> None:
    text = (shipped_config_dir() / "default.toml").read_text()
    shipped = tomllib.loads(text)
    settings = Settings.model_validate(shipped)
    # every key of the shipped file carries a comment on its line or the line above
    lines = text.splitlines()
    for number, line in enumerate(lines):
        stripped = line.strip()
        if "=" in stripped and not stripped.startswith("#"):
            above = lines[number - 1].strip() if number else ""
            assert "#" in stripped or above.startswith("#"), f"undocumented: {stripped}"
    assert settings.http.per_host_concurrency == 2
    assert settings.archives["wayback"].enabled


def test_layers_override_in_order(tmp_path: Path) -> None:
    user = tmp_path / "user.toml"
    user.write_text(
        '[http]\ntimeout = 5.0\nper_host_interval = 1.5\n[database]\nurl = "sqlite:///u.db"\n'
    )
    env = {
        "TRACER_HTTP__PER_HOST_INTERVAL": "2.5",
        "TRACER_HTTP__ALLOW_NETWORKS": '["127.0.0.0/8"]',
        "TRACER_HTTP__CONNECT_TO": '{"example.org:443": "127.0.0.1:8443"}',
    }
    settings = load_settings(user, env=env, overrides={"database": {"url": "sqlite:///cli.db"}})
    assert settings.http.timeout == 5.0  # user file over shipped
    assert settings.http.per_host_interval == 2.5  # environment over user file
    assert settings.http.allow_networks == ["127.0.0.0/8"]
    assert settings.http.connect_to == {"example.org:443": "127.0.0.1:8443"}
    assert settings.database.url == "sqlite:///cli.db"  # command line over everything
    assert settings.http.max_redirects == 10  # untouched default


def test_config_file_from_environment_and_db_url(tmp_path: Path) -> None:
    user = tmp_path / "c.toml"
    user.write_text("[http]\nmax_attempts = 7\n")
    settings = load_settings(env={"TRACER_CONFIG": str(user), "TRACER_DB_URL": "sqlite:///e.db"})
    assert settings.http.max_attempts == 7
    assert settings.database.url == "sqlite:///e.db"


def test_user_config_directory_is_read(tmp_path: Path) -> None:
    # the autouse fixture points XDG_CONFIG_HOME at tmp_path / "config"
    directory = tmp_path / "config" / "tracer"
    directory.mkdir(parents=True)
    (directory / "config.toml").write_text("[cache]\nttl = 42\n")
    assert load_settings(env={}).cache.ttl == 42


def test_unrelated_tracer_variables_are_ignored() -> None:
    settings = load_settings(env={"TRACER_TEST_DATABASE_URL": "x", "TRACER_NOPE": "1"})
    assert settings.database.url == ""


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"TRACER_HTTP__TIMEOUT": "abc"}, "setting http.timeout: "),
        ({"TRACER_HTTP__PER_HOST_CONCURRENCY": "0"}, "setting http.per_host_concurrency: "),
        ({"TRACER_HTTP__ALLOW_NETWORKS": '["not-a-net"]'}, "'not-a-net' is not a network"),
        ({"TRACER_HTTP__CONNECT_TO": '{"a:1": "nowhere"}'}, "is not host:port"),
        ({"TRACER_HTTP__TIMOUT": "1"}, "setting http.timout: unknown key"),
    ],
)
def test_bad_values_name_the_key(env: dict[str, str], expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(env=env)
    message = str(caught.value)
    assert expected in message
    assert "\n" not in message
    assert "(from environment)" in message


def test_bad_user_file_is_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[http\n")
    with pytest.raises(ConfigError, match="is not valid TOML"):
        load_settings(broken, env={})
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "missing.toml", env={})
    wrong = tmp_path / "wrong.toml"
    wrong.write_text("[http]\nmax_redirects = -1\n")
    with pytest.raises(ConfigError, match=r"http\.max_redirects: .*\(from .*wrong\.toml\)"):
        load_settings(wrong, env={})
