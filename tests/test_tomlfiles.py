"""The parsed-once TOML reader: same data as tomllib, fresh after an edit, safe when the cache is bad."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tracer import tomlfiles
from tracer.settings import shipped_config_dir


def _big_file(path: Path, value: str) -> Path:
    rows = "\n".join(f'word{i} = "{value}{i}"' for i in range(2000))
    path.write_text(f"[words]\n{rows}\n", encoding="utf-8")
    return path


def test_shipped_lexicons_read_the_same_through_the_cache() -> None:
    for path in sorted((shipped_config_dir() / "cues").glob("*.toml"))[:3]:
        with path.open("rb") as handle:
            expected = tomllib.load(handle)
        assert tomlfiles.read_toml(path) == expected  # parsed, then stored
        assert tomlfiles.read_toml(path) == expected  # read back from the cache


def test_an_edited_file_is_parsed_again(tmp_path: Path, own_cache: Path) -> None:
    path = _big_file(tmp_path / "data.toml", "old")
    assert tomlfiles.read_toml(path)["words"]["word5"] == "old5"
    assert list(own_cache.rglob("*.marshal"))
    _big_file(path, "newer")  # another size and another mtime
    assert tomlfiles.read_toml(path)["words"]["word5"] == "newer5"


def test_a_corrupt_cache_file_is_ignored(tmp_path: Path, own_cache: Path) -> None:
    path = _big_file(tmp_path / "data.toml", "v")
    tomlfiles.read_toml(path)
    for cached in own_cache.rglob("*.marshal"):
        cached.write_bytes(b"\x00not marshal")
    assert tomlfiles.read_toml(path)["words"]["word1"] == "v1"


def test_an_unwritable_cache_still_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    monkeypatch.setattr("tracer.settings.user_cache_dir", lambda: blocker)
    path = _big_file(tmp_path / "data.toml", "w")
    assert tomlfiles.read_toml(path)["words"]["word2"] == "w2"


def test_bad_toml_still_raises_the_parsers_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("x = [\n" + "1,\n" * 20000, encoding="utf-8")
    with pytest.raises(tomllib.TOMLDecodeError):
        tomlfiles.read_toml(path)
    with pytest.raises(FileNotFoundError):
        tomlfiles.read_toml(tmp_path / "missing.toml")
