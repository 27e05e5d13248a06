"""Cue lexicons: the shipped languages, and files users add."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracer.errors import ConfigError
from tracer.extract import extract, load_cues, shipped_cue_files, text_document


def test_eight_languages_ship() -> None:
    assert {path.stem for path in shipped_cue_files()} >= {
        "en",
        "uk",
        "ru",
        "pl",
        "de",
        "fr",
        "es",
        "it",
    }
    lexicon = load_cues()
    assert set(lexicon.languages) >= {"en", "uk", "ru", "pl", "de", "fr", "es", "it"}
    for key in ("according", "verbs", "citing", "anonymous", "person_titles"):
        assert lexicon.list(key), key
    assert lexicon.months["września"] == 9 and lexicon.months["липня"] == 7


def test_a_user_file_extends_the_lexicon(tmp_path: Path) -> None:
    text = "Harbour Watch blabbed that the port burned. Going by the Dockside Ledger, it reopened."
    plain = extract(text_document(text, source="<t>"))
    assert plain == []
    extra = tmp_path / "house.toml"
    extra.write_text('verbs = ["blabbed"]\naccording = ["going by the"]\n', encoding="utf-8")
    lexicon = load_cues([extra])
    names = [r.name for r in extract(text_document(text, source="<t>"), cues=lexicon)]
    assert names == ["Harbour Watch", "Dockside Ledger"]
    # the shipped words are still there
    assert [
        r.name
        for r in extract(text_document("According to Reuters, no.", source="<t>"), cues=lexicon)
    ] == ["Reuters"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("verbs = 'said'", "must be a list of strings"),
        ("verbz = ['said']", "unknown cue key"),
        ("[kinds]\nspaceship = ['ufo']", "unknown kind"),
        ("months = [['Jan']]", "twelve months"),
        ("verbs = [", "cannot read cue file"),
    ],
)
def test_bad_cue_files_are_config_errors(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_cues([path])


def test_a_missing_cue_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_cues([tmp_path / "none.toml"])


def test_a_text_too_short_to_tell_is_read_in_its_declared_language() -> None:
    from tracer.extract.cues import cues_for, load_cues

    assert cues_for("Ok!") is load_cues()  # nothing to go on: every lexicon
    assert cues_for("Ok!", declared="fr") is load_cues(languages=frozenset({"fr"}))
    assert cues_for("Ok!", declared="xx") is load_cues()  # no lexicon for it
