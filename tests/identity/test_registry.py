"""The source registry: shipped data, layering, and look-ups by name, domain and handle."""

from __future__ import annotations

import json
import tomllib
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import SEEDS
from tracer.errors import ConfigError, InputError
from tracer.identity import registry as sources
from tracer.identity.registry import (
    ALIAS_CONFIDENCE,
    EXACT_CONFIDENCE,
    Account,
    MatchMethod,
    Outcome,
    Outlet,
    SourceRegistry,
    load_registry,
    normalize,
)
from tracer.settings import load_settings, shipped_config_dir
from tracer.store.model import NodeKind


@pytest.fixture(scope="module")
def registry() -> SourceRegistry:
    return load_registry()


def _raw(name: str) -> dict[str, list[dict[str, object]]]:
    with (shipped_config_dir() / "registry" / name).open("rb") as handle:
        return tomllib.load(handle)


def _user_registry(tmp_path: Path, text: str, name: str = "mine.toml") -> SourceRegistry:
    """Load the registry the way a user configures it: a file named in registry.files."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    settings = load_settings(env={"TRACER_REGISTRY__FILES": json.dumps([str(path)])})
    return load_registry(settings)


# --- the shipped registry ------------------------------------------------------------------


def test_shipped_registry_is_large_enough(registry: SourceRegistry) -> None:
    assert len(registry.outlets) >= 150
    with_handles = [account for account in registry.accounts if account.handle]
    assert len(with_handles) >= 50
    platforms = Counter(account.platform for account in with_handles)
    assert platforms["telegram"] >= 20 and platforms["x"] >= 20


def test_shipped_files_list_each_name_domain_and_handle_once(registry: SourceRegistry) -> None:
    outlets = _raw("outlets.toml")["outlet"]
    channels = _raw("channels.toml")["channel"]
    # layering merges entries by name, so a duplicate would vanish silently: count the raw ones
    assert len(outlets) == len(registry.outlets)
    assert len(channels) == len(registry.accounts)

    names = Counter(normalize(outlet.name) for outlet in registry.outlets)
    assert [name for name, count in names.items() if count > 1] == []
    account_names = Counter((a.platform, normalize(a.name)) for a in registry.accounts)
    assert [name for name, count in account_names.items() if count > 1] == []

    domains = Counter(domain for outlet in registry.outlets for domain in outlet.domains)
    assert [domain for domain, count in domains.items() if count > 1] == []
    handles = Counter(
        (account.platform, account.handle.casefold())
        for account in registry.accounts
        if account.handle
    )
    assert [handle for handle, count in handles.items() if count > 1] == []


def test_shipped_entries_are_sourced_and_consistent(registry: SourceRegistry) -> None:
    outlet_names = {outlet.name for outlet in registry.outlets}
    for account in registry.accounts:
        if account.handle:
            assert account.source, account.name
        if account.outlet:
            assert account.outlet in outlet_names, account.name
    for outlet in registry.outlets:
        if outlet.type == "state media":
            assert outlet.state_media and outlet.state
    state_media = {outlet.name for outlet in registry.outlets if outlet.state_media}
    assert {"RT", "Sputnik", "TASS", "Xinhua", "Press TV", "CGTN"} <= state_media
    assert "BBC" not in state_media


# --- the running example -------------------------------------------------------------------


def test_russia_today_rt_resolves_to_rt_com(registry: SourceRegistry) -> None:
    found = registry.lookup("Russia Today (RT)")
    assert found.outcome is Outcome.MATCHED
    assert found.match is not None
    assert found.match.name == "RT"
    assert found.match.kind is NodeKind.OUTLET
    assert found.match.canonical_url == "https://rt.com/"
    assert found.match.platform == "web"
    assert found.match.attributes()["state_media"] is True


def test_grey_zone_with_telegram_hint_is_its_channel(registry: SourceRegistry) -> None:
    found = registry.lookup("GREY ZONE", platform="telegram")
    assert found.match is not None
    assert found.match.method is MatchMethod.EXACT
    assert found.match.kind is NodeKind.CHANNEL
    assert found.match.handle == "grey_zone"
    assert found.match.canonical_url == "https://t.me/grey_zone"
    assert "Wagner" in found.match.attributes()["affiliation"]


def test_tendar_with_x_hint_is_the_x_account(registry: SourceRegistry) -> None:
    found = registry.lookup("Tendar", platform="x")
    assert found.match is not None
    assert found.match.canonical_url == "https://x.com/Tendar"
    # the embed signature writes the display name with its echoes
    echoed = registry.lookup("(((Tendar)))", platform="twitter").match
    assert echoed is not None and echoed.entry == found.match.entry


def test_the_seed_articles_named_sources_resolve(registry: SourceRegistry) -> None:
    """The names exactly as the Kyiv Post seed article writes them."""
    text = (SEEDS / "000_a004ba6b9b170559.txt").read_text(encoding="utf-8")
    cases = [
        ("Russia Today (RT)", None, "https://rt.com/"),
        ("GREY ZONE", "telegram", "https://t.me/grey_zone"),
        ("(((Tendar)))", "x", "https://x.com/Tendar"),
    ]
    for name, platform, url in cases:
        assert name in text
        found = registry.lookup(name, platform=platform)
        assert found.match is not None and found.match.canonical_url == url
    assert "@Tendar" in text
    handle = registry.by_handle("x", "@Tendar")
    assert handle is not None and handle.canonical_url == "https://x.com/Tendar"


# --- look-up by name -------------------------------------------------------------------------


def test_exact_name(registry: SourceRegistry) -> None:
    found = registry.lookup("Rybar", platform="telegram")
    assert found.match is not None
    assert (found.match.method, found.match.confidence) == (MatchMethod.EXACT, EXACT_CONFIDENCE)
    assert found.match.canonical_url == "https://t.me/rybar"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("grey zone", "GREY ZONE"),
        ("Grey-Zone", "GREY ZONE"),
        ("  GREY   ZONE ", "GREY ZONE"),
        ("@grey_zone", "GREY ZONE"),
        ("“Grey Zone”", "GREY ZONE"),
    ],
)
def test_alias_normalises_case_spacing_and_punctuation(
    registry: SourceRegistry, query: str, expected: str
) -> None:
    found = registry.lookup(query, platform="telegram")
    assert found.match is not None
    assert found.match.name == expected
    assert found.match.method in (MatchMethod.EXACT, MatchMethod.ALIAS)


@pytest.mark.parametrize(
    ("query", "platform", "expected", "url"),
    [
        ("Серая зона", "telegram", "GREY ZONE", "https://t.me/grey_zone"),
        ("СЕРАЯ ЗОНА", "telegram", "GREY ZONE", "https://t.me/grey_zone"),
        ("Рыбарь", "telegram", "Rybar", "https://t.me/rybar"),
        ("Раша Тудэй", None, "RT", "https://rt.com/"),
        ("روسيا اليوم", None, "RT", "https://rt.com/"),
        ("ТАСС", None, "TASS", "https://tass.com/"),
        ("Українська правда", None, "Ukrainska Pravda", "https://pravda.com.ua/"),
        ("الجزيرة", None, "Al Jazeera", "https://aljazeera.com/"),
        ("新华社", None, "Xinhua", "https://news.cn/"),
    ],
)
def test_alias_in_other_scripts(
    registry: SourceRegistry, query: str, platform: str | None, expected: str, url: str
) -> None:
    found = registry.lookup(query, platform=platform)
    assert found.match is not None, found
    assert found.match.method is MatchMethod.ALIAS
    assert found.match.confidence == ALIAS_CONFIDENCE
    assert (found.match.name, found.match.canonical_url) == (expected, url)


def test_fuzzy_match_carries_a_confidence_below_alias(registry: SourceRegistry) -> None:
    found = registry.lookup("Kyiv Independant")
    assert found.match is not None
    assert found.match.name == "The Kyiv Independent"
    assert found.match.method is MatchMethod.FUZZY
    assert 0.5 < found.match.confidence < ALIAS_CONFIDENCE

    misspelt = registry.lookup("Colonelcasad", platform="telegram")
    assert misspelt.match is not None and misspelt.match.name == "Colonelcassad"
    assert misspelt.match.method is MatchMethod.FUZZY


def test_fuzzy_falls_back_to_difflib(
    registry: SourceRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sources, "_rapidfuzz", None)
    found = registry.lookup("Kyiv Independant")
    assert found.match is not None and found.match.name == "The Kyiv Independent"
    assert found.match.method is MatchMethod.FUZZY
    assert registry.lookup("Ministry of Imaginary Affairs").outcome is Outcome.NONE


def test_a_stricter_similarity_floor_turns_a_fuzzy_match_down(registry: SourceRegistry) -> None:
    assert registry.lookup("Kyiv Independant", min_similarity=0.99).outcome is Outcome.NONE


def test_equally_close_names_are_ambiguous_never_picked(registry: SourceRegistry) -> None:
    found = registry.lookup("ABC")
    assert found.outcome is Outcome.AMBIGUOUS
    assert found.match is None
    assert {match.name for match in found.candidates} == {
        "ABC News",
        "Australian Broadcasting Corporation",
    }
    assert {match.canonical_url for match in found.candidates} == {
        "https://abcnews.go.com/",
        "https://abc.net.au/",
    }


def test_the_same_person_on_two_platforms_is_ambiguous_until_hinted(
    registry: SourceRegistry,
) -> None:
    found = registry.lookup("Zelensky")
    assert found.outcome is Outcome.AMBIGUOUS
    assert {match.platform for match in found.candidates} == {"telegram", "x"}
    hinted = registry.lookup("Zelensky", platform="x")
    assert hinted.match is not None
    assert hinted.match.canonical_url == "https://x.com/ZelenskyyUa"
    assert hinted.match.kind is NodeKind.PERSON


def test_parenthesised_names_must_agree(registry: SourceRegistry) -> None:
    found = registry.lookup("Reuters (AFP)")
    assert found.outcome is Outcome.AMBIGUOUS
    assert {match.name for match in found.candidates} == {"Reuters", "Agence France-Presse"}
    # a part that names nothing does not spoil the part that does
    partial = registry.lookup("Al Jazeera (Qatar)")
    assert partial.match is not None and partial.match.name == "Al Jazeera"


def test_fuzzy_tie_is_ambiguous(tmp_path: Path) -> None:
    mine = _user_registry(
        tmp_path,
        """
        [[outlet]]
        name = "Borealis Newswire"
        type = "digital"
        [[outlet]]
        name = "Borealis Newswore"
        type = "digital"
        """,
    )
    found = mine.lookup("Borealis Newswere")
    assert found.outcome is Outcome.AMBIGUOUS
    assert {match.name for match in found.candidates} == {
        "Borealis Newswire",
        "Borealis Newswore",
    }
    assert all(match.method is MatchMethod.FUZZY for match in found.candidates)


@pytest.mark.parametrize(
    "query", ["Ministry of Imaginary Affairs", "Zzyzx Daily Planet", "Q", "", "   ", "!!!"]
)
def test_unknown_names_match_nothing(registry: SourceRegistry, query: str) -> None:
    found = registry.lookup(query)
    assert found.outcome is Outcome.NONE
    assert found.match is None and found.candidates == ()


def test_an_outlet_beats_its_own_account_unless_a_platform_is_hinted(
    registry: SourceRegistry,
) -> None:
    plain = registry.lookup("RT")
    assert plain.match is not None and plain.match.kind is NodeKind.OUTLET
    on_x = registry.lookup("RT", platform="x")
    assert on_x.match is not None and on_x.match.canonical_url == "https://x.com/RT_com"
    on_telegram = registry.lookup("TASS", platform="telegram")
    assert on_telegram.match is not None
    assert on_telegram.match.canonical_url == "https://t.me/tass_agency"


def test_kind_hints_narrow_the_search(registry: SourceRegistry) -> None:
    outlet = registry.lookup("Bellingcat", kind="outlet")
    assert outlet.match is not None and outlet.match.canonical_url == "https://bellingcat.com/"
    person = registry.lookup("Eliot Higgins", kind=NodeKind.PERSON)
    assert person.match is not None and person.match.kind is NodeKind.PERSON
    assert registry.lookup("Eliot Higgins", kind="outlet").outcome is Outcome.NONE
    # a channel-only name is no outlet: the hint is a filter, never a fallback
    assert registry.lookup("GREY ZONE", kind="outlet").outcome is Outcome.NONE
    assert registry.lookup("GREY ZONE", platform="x").outcome is Outcome.NONE


def test_a_platform_without_accounts_finds_nothing(registry: SourceRegistry) -> None:
    # prose names a Facebook page; the registry keeps no accounts there, and the outlet of
    # the same name is not the page
    assert registry.lookup("RT", platform="facebook").outcome is Outcome.NONE


def test_unknown_hints_are_input_errors(registry: SourceRegistry) -> None:
    with pytest.raises(InputError, match="myspace"):
        registry.lookup("RT", platform="myspace")
    with pytest.raises(InputError, match="newsletter"):
        registry.lookup("RT", kind="newsletter")


def test_an_entry_without_handle_resolves_by_name_without_a_url(
    registry: SourceRegistry,
) -> None:
    found = registry.lookup("Разгрузка Вагнера", platform="telegram")
    assert found.match is not None
    assert found.match.handle is None and found.match.canonical_url is None


# --- look-up by domain and handle --------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected", "domain"),
    [
        ("https://www.rt.com/russia/601234-mali-wagner/", "RT", "rt.com"),
        ("https://en.rt.com/", "RT", "rt.com"),
        ("arabic.rt.com", "RT", "rt.com"),
        ("RT.COM.", "RT", "rt.com"),
        ("https://www.bbc.co.uk/news/world-europe-1", "BBC", "bbc.co.uk"),
        ("https://www.kyivpost.com/post/36557", "Kyiv Post", "kyivpost.com"),
        ("http://tass.ru:80/politika/1", "TASS", "tass.ru"),
        ("https://abcnews.go.com/International", "ABC News", "abcnews.go.com"),
    ],
)
def test_domain_look_up_includes_subdomains(
    registry: SourceRegistry, url: str, expected: str, domain: str
) -> None:
    found = registry.by_domain(url)
    assert found is not None
    assert (found.name, found.matched, found.method) == (expected, domain, MatchMethod.DOMAIN)


@pytest.mark.parametrize(
    "url", ["https://notrt.com/", "https://rt.com.example.org/", "https://go.com/", "", "::"]
)
def test_domain_look_up_matches_whole_labels_only(registry: SourceRegistry, url: str) -> None:
    assert registry.by_domain(url) is None


def test_handle_look_up(registry: SourceRegistry) -> None:
    tendar = registry.by_handle("x", "@tendar")
    assert tendar is not None
    assert (tendar.name, tendar.handle, tendar.method) == ("Tendar", "Tendar", MatchMethod.HANDLE)
    assert registry.by_handle("twitter", "TENDAR") == tendar
    assert registry.by_handle("telegram", "Tendar") is None
    grey = registry.by_handle("telegram", "grey_zone")
    assert grey is not None and grey.canonical_url == "https://t.me/grey_zone"
    assert registry.by_handle("myspace", "grey_zone") is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://t.me/grey_zone/23405", "https://t.me/grey_zone"),
        ("https://t.me/s/grey_zone", "https://t.me/grey_zone"),
        ("https://twitter.com/Tendar/status/1817578216112738563", "https://x.com/Tendar"),
        ("https://mobile.twitter.com/tendar", "https://x.com/Tendar"),
        ("https://www.rt.com/news/1", "https://rt.com/"),
        ("https://x.com/i/web/status/1817578216112738563", None),
        ("https://t.me/c/1234/56", None),
        ("https://t.me/nobody_we_know", None),
    ],
)
def test_url_look_up(registry: SourceRegistry, url: str, expected: str | None) -> None:
    found = registry.by_url(url)
    assert (found.canonical_url if found else None) == expected


# --- user registry files -----------------------------------------------------------------------


def test_user_file_extends_and_overrides_by_name(tmp_path: Path) -> None:
    mine = _user_registry(
        tmp_path,
        """
        [[outlet]]
        name = "Borealis Newswire"
        aliases = ["BNW", "Бореалис"]
        domains = ["borealis-newswire.example"]
        type = "news agency"
        country = "CA"

        [[channel]]
        name = "GREY ZONE"
        platform = "telegram"
        handle = "grey_zone"
        display_names = ["Серая зона"]
        affiliation = "overridden by the user"
        source = "the user's own notes"
        """,
    )
    shipped = load_registry()
    assert len(mine.outlets) == len(shipped.outlets) + 1
    assert len(mine.accounts) == len(shipped.accounts)

    added = mine.lookup("Бореалис")
    assert added.match is not None
    assert added.match.canonical_url == "https://borealis-newswire.example/"
    assert mine.by_domain("https://news.borealis-newswire.example/a") is not None

    grey = mine.lookup("GREY ZONE", platform="telegram")
    assert grey.match is not None
    assert grey.match.attributes()["affiliation"] == "overridden by the user"
    # the replaced entry's aliases are gone with it: "Gray Zone" is now only a near miss
    gray = mine.lookup("Gray Zone", platform="telegram").match
    assert gray is not None and gray.method is MatchMethod.FUZZY
    assert mine.lookup("Russia Today (RT)").match is not None  # shipped entries stay


def test_user_file_may_take_a_handle_only_by_overriding_its_owner(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        _user_registry(
            tmp_path,
            """
            [[channel]]
            name = "My Grey Zone"
            platform = "telegram"
            handle = "GREY_ZONE"
            source = "notes"
            """,
        )
    message = str(caught.value)
    assert "mine.toml" in message and "'GREY ZONE'" in message and "grey_zone" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[[outlet]]\nname = "X"\ntype = "newspaper"\ncountry = "Ukraine"\n',
            "outlet[0] 'X' country",
        ),
        ('[[outlet]]\nname = "X"\ntype = "tabloid"\n', "outlet[0] 'X' type"),
        ('[[outlet]]\nname = "X"\ntype = "digital"\ndomains = ["https://x.example/"]\n', "domains"),
        ('[[outlet]]\nname = "X"\ntype = "state media"\n', "needs `state`"),
        ('[[outlet]]\nname = "X"\ntype = "digital"\nowner = "me"\n', "owner: unknown key"),
        ('[[channel]]\nname = "C"\nplatform = "myspace"\n', "channel[0] 'C' platform"),
        (
            '[[channel]]\nname = "C"\nplatform = "x"\nhandle = "has space"\nsource = "s"\n',
            "valid x handle",
        ),
        (
            '[[channel]]\nname = "C"\nplatform = "telegram"\nhandle = "valid_one"\n',
            "needs `source`",
        ),
        ('[[channel]]\nname = "!!"\nplatform = "x"\n', "channel[0] '!!' name"),
        ("[[feeds]]\nurl = 1\n", "feeds: unknown key"),
        (
            '[[outlet]]\nname = "X"\ntype = "digital"\n[[outlet]]\nname = "x"\ntype = "digital"\n',
            "listed twice",
        ),
        ("outlet = [\n", "not valid TOML"),
    ],
)
def test_bad_user_file_is_one_line_config_error(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        _user_registry(tmp_path, text, name="broken.toml")
    message = str(caught.value)
    assert "\n" not in message
    assert "broken.toml" in message
    assert expected in message


def test_missing_user_file_is_a_config_error(tmp_path: Path) -> None:
    settings = load_settings(
        env={"TRACER_REGISTRY__FILES": json.dumps([str(tmp_path / "absent.toml")])}
    )
    with pytest.raises(ConfigError, match=r"absent\.toml does not exist"):
        load_registry(settings)


# --- the pieces ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russia Today", "russia today"),
        ("U.S.", "us"),
        ("Libération", "liberation"),
        ("grey_zone", "grey zone"),
        ("Ukrains'ka Pravda", "ukrainska pravda"),
        ("  Серая   ЗОНА ", "серая зона"),
        ("(((Tendar)))", "tendar"),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_entries_build_their_own_urls() -> None:
    outlet = Outlet(name="Example", type="digital", domains=("Example.ORG",))
    assert sources.canonical_url(outlet) == "https://example.org/"
    assert sources.canonical_url(Outlet(name="No Site", type="digital")) is None
    account = Account(name="Example", platform="twitter", handle="@Example", source="test")
    assert account.platform == "x"
    assert sources.canonical_url(account) == "https://x.com/Example"
