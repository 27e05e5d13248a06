"""The source registry: the outlets and platform accounts that references name.

Prose cites sources by name ("Russia Today (RT) said", "the Telegram channel GREY ZONE"),
and a name is not a URL. The registry maps names, aliases (in any script), web domains and
platform handles to one known source each, so a named reference can become a node with a
canonical URL. It is shipped in `config/registry/` and layered with the files listed in
the `registry.files` setting: a later file extends the registry and replaces an entry of
the same name.

A look-up never guesses silently: it says how it matched (exact name, alias, fuzzy, domain,
handle) with a confidence, reports a tie between two entries as ambiguous with both, and
returns no match rather than the least bad one.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from tracer.errors import ConfigError, InputError
from tracer.plugins.installed import platform_adapters, platform_names, profiles
from tracer.settings import Settings, shipped_config_dir
from tracer.store.model import NodeKind
from tracer.tomlfiles import read_config
from tracer.urls import host_of

try:  # rapidfuzz is much faster and scores token order better; difflib keeps us working without
    from rapidfuzz import fuzz as _rapidfuzz
except ImportError:  # pragma: no cover - exercised only where rapidfuzz is absent
    _rapidfuzz = None  # type: ignore[assignment]

#: the shipped registry files, relative to the shipped config directory, in layering order
SHIPPED_FILES = ("registry/outlets.toml", "registry/channels.toml")

OutletType = Literal[
    "news agency",
    "newspaper",
    "broadcaster",
    "public broadcaster",
    "state media",
    "digital",
    "magazine",
    "investigative",
    "research",
    "monitor",
]
AccountKind = Literal["channel", "person", "organization"]

#: fuzzy matches below this similarity (0..1) are no match at all
MIN_SIMILARITY = 0.85
#: two entries whose similarities differ by less than this are equally close: ambiguous
TIE_MARGIN = 0.02
#: fuzzy matching of short names finds noise, not sources: "Times" is one letter from "Time"
MIN_FUZZY_LENGTH = 6
#: confidence given to each method; a fuzzy match scales its similarity by FUZZY_WEIGHT so
#: that it always ranks below an alias match
EXACT_CONFIDENCE = 1.0
ALIAS_CONFIDENCE = 0.95
FUZZY_WEIGHT = 0.9

_COUNTRY = r"^[A-Z]{2}$"
_HOSTNAME = re.compile(r"(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}")


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)

    @field_validator("name")
    @classmethod
    def _name_is_text(cls, value: str) -> str:
        value = value.strip()
        if not normalize(value):
            raise ValueError("a name needs at least one letter or digit")
        return value


class Outlet(_Entry):
    """A publisher: wire agency, newspaper, broadcaster, digital outlet, research group."""

    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()  # the first is the primary one: the canonical URL's host
    type: OutletType
    country: str | None = Field(None, pattern=_COUNTRY)  # where it is based (ISO 3166-1)
    #: the state that owns or controls it (ISO 3166-1); set for every "state media" entry
    state: str | None = Field(None, pattern=_COUNTRY)
    notes: str | None = None

    @field_validator("domains")
    @classmethod
    def _hosts(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        hosts = tuple(domain.strip().lower().rstrip(".") for domain in value)
        for host in hosts:
            if not _HOSTNAME.fullmatch(host):
                raise ValueError(f"{host!r} is not a host name (no scheme, path or port)")
        return hosts

    @model_validator(mode="after")
    def _state_media_names_its_state(self) -> Outlet:
        if self.type == "state media" and self.state is None:
            raise ValueError("a 'state media' outlet needs `state`, the country controlling it")
        return self

    @property
    def state_media(self) -> bool:
        return self.state is not None


class Account(_Entry):
    """A channel or account on a platform: a Telegram channel, an X account."""

    #: the platform's stored name ("telegram", "x"): an installed adapter with accounts
    platform: str
    handle: str | None = None
    display_names: tuple[str, ...] = ()
    affiliation: str | None = None
    #: what the account stands for: a channel, or a named person's or organisation's own account
    kind: AccountKind = "channel"
    outlet: str | None = None  # the outlet this account belongs to, by its registry name
    source: str | None = None  # where the handle is known from; required with a handle

    @field_validator("platform", mode="before")
    @classmethod
    def _platform_name(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        known = platform_names()
        if value.lower() not in known:
            raise ValueError(
                f"unknown platform {value!r} (accounts can be on: {', '.join(sorted(known))})"
            )
        return known[value.lower()]

    @field_validator("handle")
    @classmethod
    def _bare_handle(cls, value: str | None) -> str | None:
        return value.strip().removeprefix("@") if value is not None else None

    @model_validator(mode="after")
    def _handle_is_sourced_and_valid(self) -> Account:
        if self.handle is None:
            return self
        if not profiles()[self.platform].handle.fullmatch(self.handle):
            raise ValueError(f"{self.handle!r} is not a valid {self.platform} handle")
        if not self.source:
            raise ValueError("a handle needs `source`: where it is known from")
        return self


Entry = Outlet | Account


class RegistryFile(BaseModel):
    """One registry file: `[[outlet]]` and `[[channel]]` tables."""

    model_config = ConfigDict(extra="forbid")

    outlet: list[Outlet] = Field(default_factory=list)
    channel: list[Account] = Field(default_factory=list)


class MatchMethod(StrEnum):
    EXACT = "exact"
    ALIAS = "alias"
    FUZZY = "fuzzy"
    DOMAIN = "domain"
    HANDLE = "handle"


class Outcome(StrEnum):
    MATCHED = "matched"
    AMBIGUOUS = "ambiguous"
    NONE = "none"


@dataclass(frozen=True)
class Match:
    """One registry entry that a name, domain or handle points at, and how surely."""

    entry: Entry
    method: MatchMethod
    confidence: float
    matched: str  # the registry string (name, alias, domain, handle) that matched

    @property
    def name(self) -> str:
        return self.entry.name

    @property
    def kind(self) -> NodeKind:
        if isinstance(self.entry, Outlet):
            return NodeKind.OUTLET
        return NodeKind(self.entry.kind)

    @property
    def platform(self) -> str:
        return self.entry.platform if isinstance(self.entry, Account) else "web"

    @property
    def handle(self) -> str | None:
        return self.entry.handle if isinstance(self.entry, Account) else None

    @property
    def canonical_url(self) -> str | None:
        return canonical_url(self.entry)

    def attributes(self) -> dict[str, Any]:
        """What a node may keep about its registry entry, JSON-ready."""
        found: dict[str, Any] = {
            "registry_name": self.entry.name,
            "match_method": self.method.value,
            "match_confidence": self.confidence,
        }
        if isinstance(self.entry, Outlet):
            found |= {
                "outlet_type": self.entry.type,
                "country": self.entry.country,
                "state_media": self.entry.state_media,
                "state": self.entry.state,
            }
        else:
            found |= {"affiliation": self.entry.affiliation, "outlet": self.entry.outlet}
        return {key: value for key, value in found.items() if value is not None}


@dataclass(frozen=True)
class Lookup:
    """The answer to a look-up: one match, several equally good ones, or none."""

    query: str
    outcome: Outcome
    candidates: tuple[Match, ...] = ()

    @property
    def match(self) -> Match | None:
        return self.candidates[0] if self.outcome is Outcome.MATCHED else None


def canonical_url(entry: Entry) -> str | None:
    """The URL a node of this entry is stored under, or None when none is known."""
    if isinstance(entry, Outlet):
        return f"https://{entry.domains[0]}/" if entry.domains else None
    if entry.handle is None:
        return None
    return profiles()[entry.platform].url.format(handle=entry.handle)


_DROPPED = str.maketrans({".": "", "'": "", "’": "", "ʼ": "", "`": "", "´": ""})


def normalize(text: str) -> str:
    """The form names are compared in: case, accents, punctuation and spacing folded away.

    Dots and apostrophes vanish ("U.S." is "us", "Ukrains'ka" is "ukrainska"); other
    punctuation and symbols separate words ("grey_zone" is "grey zone"). Combining marks
    are dropped in every script, so "Libération" is "liberation" and "ё" is "е".
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold()).translate(_DROPPED)
    kept = []
    for char in decomposed:
        category = unicodedata.category(char)
        if category == "Mn":
            continue
        kept.append(" " if category[0] in "PSZC" else char)
    return " ".join("".join(kept).split())


_PARENTHESISED = re.compile(r"^(?P<outer>[^()\[\]]+?)\s*[(\[](?P<inner>[^()\[\]]+)[)\]]\s*$")


def name_forms(query: str) -> list[str]:
    """The query and, for "Russia Today (RT)", both of the names it joins."""
    forms = [query.strip()]
    found = _PARENTHESISED.match(query.strip())
    if found:
        forms += [found["outer"].strip(), found["inner"].strip()]
    return [form for form in forms if normalize(form)]


def _similarity(query: str, key: str) -> float:
    if _rapidfuzz is not None:
        return max(_rapidfuzz.ratio(query, key), _rapidfuzz.token_sort_ratio(query, key)) / 100
    from difflib import SequenceMatcher

    plain = SequenceMatcher(None, query, key).ratio()
    sorted_words = SequenceMatcher(
        None, " ".join(sorted(query.split())), " ".join(sorted(key.split()))
    ).ratio()
    return max(plain, sorted_words)


def ascii_host(url_or_host: str) -> str | None:
    """The host of a URL or bare host name as the registry files it: lower case, and an
    internationalised host in its ASCII (punycode) form."""
    host = host_of(url_or_host.strip())
    if not host:
        return None
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


@dataclass
class _Index:
    exact: dict[str, list[tuple[Entry, str]]] = field(default_factory=dict)
    alias: dict[str, list[tuple[Entry, str]]] = field(default_factory=dict)

    def add(self, entry: Entry, names: Iterable[str]) -> None:
        self.exact.setdefault(unicodedata.normalize("NFC", entry.name), []).append(
            (entry, entry.name)
        )
        for name in names:
            key = normalize(name)
            if key and all(known is not entry for known, _ in self.alias.get(key, [])):
                self.alias.setdefault(key, []).append((entry, name))


def _names_of(entry: Entry) -> list[str]:
    if isinstance(entry, Outlet):
        return [entry.name, *entry.aliases]
    names = [entry.name, *entry.display_names]
    return [*names, entry.handle] if entry.handle else names


class SourceRegistry:
    """Outlets and accounts, indexed by name, alias, domain and handle."""

    def __init__(self, outlets: Sequence[Outlet] = (), accounts: Sequence[Account] = ()) -> None:
        self.outlets = list(outlets)
        self.accounts = list(accounts)
        self._index = _Index()
        self._domains: dict[str, Outlet] = {}
        self._handles: dict[tuple[str, str], Account] = {}
        entries: list[Entry] = [*self.outlets, *self.accounts]
        for entry in entries:
            self._index.add(entry, _names_of(entry))
        for outlet in self.outlets:
            for domain in outlet.domains:
                self._domains.setdefault(domain, outlet)
        for account in self.accounts:
            if account.handle:
                self._handles.setdefault((account.platform, account.handle.casefold()), account)

    @classmethod
    def from_files(cls, paths: Iterable[Path]) -> SourceRegistry:
        """Layer registry files in order; a later entry of the same name replaces an earlier."""
        outlets: dict[str, Outlet] = {}
        accounts: dict[tuple[str, str], Account] = {}
        for path in paths:
            parsed = _read_registry_file(path)
            for outlet in parsed.outlet:
                outlets[normalize(outlet.name)] = outlet
            for account in parsed.channel:
                accounts[(account.platform, normalize(account.name))] = account
            _check_claims(path, outlets.values(), accounts.values(), parsed)
        return cls(list(outlets.values()), list(accounts.values()))

    # -- look-ups ---------------------------------------------------------------------------

    def lookup(
        self,
        name: str,
        platform: str | None = None,
        kind: NodeKind | str | None = None,
        min_similarity: float = MIN_SIMILARITY,
        fuzzy: bool = True,
    ) -> Lookup:
        """Find the source `name` refers to: by exact name, then alias, then (unless
        `fuzzy` is off) by a near spelling.

        `platform` ("telegram", "x") and `kind` ("outlet", "channel", "person",
        "organization") narrow the search to what the reference says the source is.
        In "Russia Today (RT)" both names are looked up and must agree: "Reuters (AFP)"
        names two sources and is ambiguous.
        """
        allowed = self._filter(platform, kind)
        forms = name_forms(name)
        if not forms:
            return Lookup(name, Outcome.NONE)
        whole = self._named(forms[0], allowed)
        if whole:
            return _decide(name, whole)
        parts = [match for form in forms[1:] for match in self._named(form, allowed)]
        if parts:
            return _decide(name, parts)
        if not fuzzy:
            return Lookup(name, Outcome.NONE)
        return self._fuzzy(name, forms, allowed, min_similarity)

    def by_domain(self, url_or_host: str) -> Match | None:
        """The outlet publishing at this URL or host, subdomains included (en.rt.com is RT)."""
        host = ascii_host(url_or_host)
        if host is None:
            return None
        labels = host.split(".")
        for start in range(len(labels) - 1):
            domain = ".".join(labels[start:])
            outlet = self._domains.get(domain)
            if outlet is not None:
                return Match(outlet, MatchMethod.DOMAIN, EXACT_CONFIDENCE, domain)
        return None

    def by_handle(self, platform: str, handle: str) -> Match | None:
        """The account with this handle on this platform ("@Tendar" on "x" or "twitter")."""
        stored = platform_names().get(platform.strip().lower())
        bare = handle.strip().removeprefix("@").casefold()
        account = self._handles.get((stored, bare)) if stored else None
        if account is None or account.handle is None:
            return None
        return Match(account, MatchMethod.HANDLE, EXACT_CONFIDENCE, account.handle)

    def by_url(self, url: str) -> Match | None:
        """The account of a profile or post URL on a platform with accounts (t.me, x.com),
        else the outlet of the URL's domain."""
        from tracer.extract.urls import classify

        if ascii_host(url) is None:
            return None
        shape = classify(url)
        if shape.platform in profiles():
            return self.by_handle(shape.platform, shape.handle) if shape.handle else None
        return self.by_domain(url)

    # -- internals --------------------------------------------------------------------------

    def _filter(self, platform: str | None, kind: NodeKind | str | None) -> Callable[[Entry], bool]:
        wanted_platform = None
        if platform is not None:
            wanted_platform = platform_names().get(platform.strip().lower())
            if wanted_platform is None and _installed(platform):
                # a platform whose adapter addresses no accounts ("la page Facebook X"):
                # the registry holds no account there, and an outlet is not what is meant
                return lambda entry: False
            if wanted_platform is None:
                raise InputError(f"unknown platform {platform!r} for a registry look-up")
        try:
            wanted_kind = NodeKind(kind) if kind is not None else None
        except ValueError:
            raise InputError(f"unknown node kind {kind!r} for a registry look-up") from None

        def allowed(entry: Entry) -> bool:
            if isinstance(entry, Outlet):
                return wanted_platform is None and wanted_kind in (None, NodeKind.OUTLET)
            if wanted_platform is not None and entry.platform != wanted_platform:
                return False
            return wanted_kind is None or wanted_kind.value == entry.kind

        return allowed

    def _named(self, form: str, allowed: Callable[[Entry], bool]) -> list[Match]:
        """Matches of one name by its exact name, or failing that by alias."""
        return self._exact(form, allowed) or self._alias(form, allowed)

    def _exact(self, form: str, allowed: Callable[[Entry], bool]) -> list[Match]:
        hits = self._index.exact.get(unicodedata.normalize("NFC", form), [])
        return [Match(e, MatchMethod.EXACT, EXACT_CONFIDENCE, m) for e, m in hits if allowed(e)]

    def _alias(self, form: str, allowed: Callable[[Entry], bool]) -> list[Match]:
        hits = self._index.alias.get(normalize(form), [])
        return [Match(e, MatchMethod.ALIAS, ALIAS_CONFIDENCE, m) for e, m in hits if allowed(e)]

    def _fuzzy(
        self, query: str, forms: list[str], allowed: Callable[[Entry], bool], floor: float
    ) -> Lookup:
        best: dict[int, tuple[float, Entry, str]] = {}
        for form in forms:
            key = normalize(form)
            if len(key) < MIN_FUZZY_LENGTH:
                continue
            for candidate, hits in self._index.alias.items():
                if len(candidate) < MIN_FUZZY_LENGTH:
                    continue
                score = _similarity(key, candidate)
                if score < floor:
                    continue
                for entry, matched in hits:
                    if allowed(entry) and score > best.get(id(entry), (0.0,))[0]:
                        best[id(entry)] = (score, entry, matched)
        if not best:
            return Lookup(query, Outcome.NONE)
        ranked = sorted(best.values(), key=lambda found: -found[0])
        top = ranked[0][0]
        close = [
            Match(entry, MatchMethod.FUZZY, round(score * FUZZY_WEIGHT, 3), matched)
            for score, entry, matched in ranked
            if top - score < TIE_MARGIN
        ]
        return _decide(query, close)


def _decide(query: str, found: list[Match]) -> Lookup:
    """One entry wins, or the tie is reported; an outlet beats its own accounts."""
    distinct: dict[int, Match] = {}
    for match in found:
        kept = distinct.get(id(match.entry))
        if kept is None or match.confidence > kept.confidence:
            distinct[id(match.entry)] = match
    matches = sorted(distinct.values(), key=lambda match: -match.confidence)
    outlets = [match for match in matches if isinstance(match.entry, Outlet)]
    if len(outlets) == 1 and len(matches) > 1:
        owner = outlets[0].entry.name
        # "RT" names both the outlet and its own X account: without a platform hint, the outlet
        if all(isinstance(m.entry, Outlet) or m.entry.outlet == owner for m in matches):
            matches = outlets
    if len(matches) == 1:
        return Lookup(query, Outcome.MATCHED, (matches[0],))
    return Lookup(query, Outcome.AMBIGUOUS, tuple(matches))


def _read_registry_file(path: Path) -> RegistryFile:
    data = read_config(path, "registry file")
    try:
        parsed = RegistryFile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"registry file {path}: {_describe(exc, data)}") from None
    _check_unique_names(path, parsed)
    return parsed


def _describe(exc: ValidationError, data: dict[str, Any]) -> str:
    """The first problem as `channel[3] 'Rybar' handle: message`, on one line."""
    first = exc.errors()[0]
    loc = list(first["loc"])
    where = str(loc.pop(0)) if loc else "file"
    if loc and isinstance(loc[0], int):
        position = loc.pop(0)
        where += f"[{position}]"
        with contextlib.suppress(KeyError, IndexError, TypeError):
            where += f" {data[where.split('[')[0]][position]['name']!r}"
    if loc:
        where += " " + ".".join(str(part) for part in loc)
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        message = "unknown key"
    return f"{where}: {message}"


def _check_unique_names(path: Path, parsed: RegistryFile) -> None:
    seen: dict[object, str] = {}
    keys: list[tuple[object, str]] = [
        (("outlet", normalize(outlet.name)), f"outlet {outlet.name!r}") for outlet in parsed.outlet
    ]
    keys += [
        (("channel", account.platform, normalize(account.name)), f"channel {account.name!r}")
        for account in parsed.channel
    ]
    for key, label in keys:
        if key in seen:
            raise ConfigError(f"registry file {path}: {label} is listed twice")
        seen[key] = label


def _check_claims(
    path: Path,
    outlets: Iterable[Outlet],
    accounts: Iterable[Account],
    parsed: RegistryFile,
) -> None:
    """Each domain and handle belongs to one entry; a file may not take one silently."""
    new = {id(entry) for entry in [*parsed.outlet, *parsed.channel]}
    owners: dict[tuple[str, str], Entry] = {}
    claims: list[tuple[tuple[str, str], Entry]] = [
        (("web", d), o) for o in outlets for d in o.domains
    ]
    claims += [((a.platform, a.handle.casefold()), a) for a in accounts if a.handle]
    # entries of this file last, so the message names the newcomer and the earlier owner
    claims.sort(key=lambda claim: id(claim[1]) in new)
    for key, entry in claims:
        owner = owners.setdefault(key, entry)
        if owner is not entry:
            what = "domain" if key[0] == "web" else f"{key[0]} handle"
            raise ConfigError(
                f"registry file {path}: {entry.name!r} claims {what} {key[1]!r} of "
                f"{owner.name!r}; override {owner.name!r} by its name instead"
            )


def registry_files(settings: Settings | None = None) -> list[Path]:
    """The shipped registry files, then the user's, in layering order."""
    shipped = shipped_config_dir()
    paths = [shipped / name for name in SHIPPED_FILES]
    if settings is not None:
        paths += [Path(name).expanduser() for name in settings.registry.files]
    return paths


def load_registry(settings: Settings | None = None) -> SourceRegistry:
    """The registry these settings describe: shipped files layered with `registry.files`."""
    return SourceRegistry.from_files(registry_files(settings))


def _installed(platform: str) -> bool:
    """Whether an installed platform adapter goes by the name `platform`."""
    name = platform.strip().lower()
    return any(adapter.name == name for adapter in platform_adapters())


__all__ = [
    "Account",
    "Lookup",
    "Match",
    "MatchMethod",
    "Outcome",
    "Outlet",
    "SourceRegistry",
    "ascii_host",
    "canonical_url",
    "load_registry",
    "name_forms",
    "normalize",
    "registry_files",
]
