"""Locate: where is a URL archived, and when was it first captured.

Every enabled archive is asked in parallel about every variant of the URL an archive may
have filed it under (http/https, www, twitter.com/x.com, mobile hosts), the answers are
merged, duplicates removed and the captures sorted earliest first. An archive that is
down, slow or answers nonsense is reported by name with the reason; it never ends the
look-up. Answers are stored as Capture rows with a CaptureLookup per URL and archive,
so asking again within the TTL reads the database instead of the archives.

The archive list is shipped in config/archives.toml (endpoints, timeouts, rate limits),
optionally extended by a user file, and the settings' [archives.NAME] tables are laid
over it (`enabled`, `timemap`; a table naming a new archive adds a Memento archive).
"""

from __future__ import annotations

import asyncio
import os
import tomllib
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from sqlmodel import Session, col, select

from tracer.errors import ConfigError, InputError, NetworkError
from tracer.plugins.archive import ArchiveClient, ArchiveConfig, Memento, Window, capture_of
from tracer.plugins.loader import ARCHIVES, build, installed
from tracer.settings import Settings, shipped_config_dir, user_config_file
from tracer.store.database import insert_or_ignore
from tracer.store.model import Capture, CaptureLookup, Node, NodeStatus, as_utc, utcnow
from tracer.store.upserts import Store

if TYPE_CHECKING:
    from tracer.http.client import HTTPClient
    from tracer.runtime import Runtime

#: a user's own archive list, layered over the shipped one (path of a TOML file)
ENV_ARCHIVE_LIST = "TRACER_ARCHIVE_LIST"
ARCHIVE_LIST_FILE = "archives.toml"


# -- the archive list ---------------------------------------------------------------------


_CONFIG_FIELDS = {f.name: f for f in fields(ArchiveConfig)}


_KINDS: dict[str, type | tuple[type, ...]] = {
    "str": str,
    "bool": bool,
    "float": (int, float),
    "int": int,
}


def _coerce(name: str, key: str, value: Any, origin: str) -> Any:
    expected = str(_CONFIG_FIELDS[key].type)
    wanted = _KINDS.get(expected)
    if wanted is not None and (
        not isinstance(value, wanted) or (expected != "bool" and isinstance(value, bool))
    ):
        raise ConfigError(f"archive {name}: {key} must be a {expected} (from {origin})")
    return float(value) if expected == "float" else value


def _layer(
    tables: dict[str, dict[str, Any]], layer: Mapping[str, Any], origin: str
) -> dict[str, dict[str, Any]]:
    """Lay one archive file over `tables`; its [defaults] fill in the archives it names."""
    defaults = layer.get("defaults", {})
    for name, table in layer.items():
        if name == "defaults":
            continue
        if not isinstance(table, Mapping):
            raise ConfigError(f"archive {name}: expected a table (from {origin})")
        merged = tables.setdefault(name, {})
        for key, value in {**defaults, **table}.items():
            if key not in _CONFIG_FIELDS or key == "name":
                raise ConfigError(f"archive {name}: unknown key {key} (from {origin})")
            merged[key] = _coerce(name, key, value, origin)
    return tables


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"archive list {path} cannot be read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"archive list {path} is not valid TOML: {exc}") from None


def load_archive_configs(
    settings: Settings, env: Mapping[str, str] | None = None
) -> dict[str, ArchiveConfig]:
    """The archive list: shipped < user archive file < settings' [archives.NAME] tables."""
    env = os.environ if env is None else env
    tables: dict[str, dict[str, Any]] = {}
    shipped = shipped_config_dir() / ARCHIVE_LIST_FILE
    _layer(tables, _read(shipped), str(shipped))
    user_file = Path(env[ENV_ARCHIVE_LIST]) if env.get(ENV_ARCHIVE_LIST) else None
    beside_settings = user_config_file().parent / ARCHIVE_LIST_FILE
    if user_file is None and beside_settings.is_file():
        user_file = beside_settings
    if user_file is not None:
        _layer(tables, _read(user_file), str(user_file))
    for name, archive in settings.archives.items():
        table = tables.setdefault(name, {})
        # every key the settings table sets and the archive list knows: today `enabled`
        # and `timemap`; more as ArchiveSettings learns them
        for key, value in archive.model_dump(exclude_unset=True).items():
            if key in _CONFIG_FIELDS and key != "name" and value != "":
                table[key] = _coerce(name, key, value, "settings")
    configs: dict[str, ArchiveConfig] = {}
    for name, table in tables.items():
        config = ArchiveConfig(name=name, **table)
        if config.kind == "memento" and not config.timemap:
            raise ConfigError(f"archive {name}: a Memento archive needs a timemap template")
        for template in (config.timemap, config.timegate):
            if template and "{url}" not in template:
                raise ConfigError(f"archive {name}: template {template!r} has no {{url}}")
        if config.requests_per_minute <= 0 or config.concurrency < 1 or config.timeout <= 0:
            raise ConfigError(f"archive {name}: rate, concurrency and timeout must be positive")
        configs[name] = config
    return configs


def _configured(factory: Any, config: ArchiveConfig) -> Any:
    return factory(config)


def build_archives(configs: Iterable[ArchiveConfig]) -> list[ArchiveClient]:
    """One adapter per enabled archive, found by its kind in the tracer.archives group."""
    kinds = installed(ARCHIVES)
    built: list[ArchiveClient] = []
    for config in configs:
        if not config.enabled:
            continue
        entry = kinds.get(config.kind)
        if entry is None:
            raise ConfigError(
                f"archive {config.name}: no archive adapter of kind {config.kind!r} "
                f"(installed: {', '.join(sorted(kinds)) or 'none'})"
            )
        adapter = build(entry, ArchiveClient, partial(_configured, config=config))
        if adapter is None:
            raise ConfigError(
                f"archive {config.name}: {entry.value} cannot be loaded or is not an archive adapter"
            )
        built.append(adapter)
    return built


def select_archives(
    configs: Mapping[str, ArchiveConfig], names: Sequence[str] = ()
) -> list[ArchiveConfig]:
    """The named archives (enabled or not: naming one asks it), else every enabled one."""
    if not names:
        return [c for c in configs.values() if c.enabled]
    unknown = [n for n in names if n not in configs]
    if unknown:
        raise InputError(
            f"unknown archive {', '.join(unknown)} (known: {', '.join(sorted(configs))})"
        )
    return [replace(configs[n], enabled=True) for n in dict.fromkeys(names)]


# -- URL variants -------------------------------------------------------------------------

#: hosts one platform serves the same resource under; the first is the canonical one
_SAME_SITE: tuple[tuple[str, ...], ...] = (
    ("x.com", "twitter.com", "mobile.twitter.com", "mobile.x.com"),
    ("facebook.com", "m.facebook.com"),
    ("youtube.com", "m.youtube.com"),
    ("vk.com", "m.vk.com"),
    ("tiktok.com", "m.tiktok.com"),
    ("instagram.com",),
    ("t.me", "telegram.me"),
)


def normalize_url(url: str) -> str:
    """The URL a look-up is keyed by: scheme and host lower-cased, no fragment."""
    text = url.strip()
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
        port = parts.port  # raises for a port that is no number or out of range
    except ValueError:
        raise InputError(f"not a web URL: {url!r}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"not a web URL: {url!r}")
    netloc = parts.hostname.lower()
    if ":" in netloc:
        netloc = f"[{netloc}]"  # an IPv6 literal keeps its brackets
    if port and port not in (80, 443):
        netloc += f":{port}"
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))


def url_variants(url: str, mode: str = "host") -> list[str]:
    """Every URL an archive may have filed `url` under, the given one first.

    Archives built on SURT keys (the Wayback Machine, pywb, OpenWayback) fold the scheme
    and a leading www themselves, so in "host" mode only other hosts are added; "full"
    also spells out http/https and www for archives that match URLs literally.
    """
    first = normalize_url(url)
    parts = urlsplit(first)
    host = parts.netloc
    bare = host.removeprefix("www.")
    hosts = [host]
    for family in _SAME_SITE:
        if bare in family:
            hosts.extend(h for h in family if h != bare)
            break
    if mode == "full":
        spelled: list[str] = []
        for name in hosts:
            stem = name.removeprefix("www.")
            spelled.extend([name, stem, "www." + stem])
        hosts = spelled
    variants = [first]
    schemes = ("https", "http") if mode == "full" else (parts.scheme,)
    for name in dict.fromkeys(hosts):
        for scheme in schemes:
            variants.append(urlunsplit((scheme, name, parts.path, parts.query, "")))
    return list(dict.fromkeys(variants))


# -- the aggregator -----------------------------------------------------------------------


def _timestamp_key(memento: Memento) -> tuple[datetime, str, str]:
    return (memento.captured_at, memento.archive, memento.url)


def is_evidence(memento: Memento) -> bool:
    """A capture that shows the content existed: a 2xx, or a status the archive withheld."""
    return memento.status is None or 200 <= memento.status < 300


def first_appearance(captures: Iterable[Memento]) -> Memento | None:
    """The earliest capture that is evidence the content existed.

    A 404 or a redirect is not: the earliest 2xx capture counts. A capture whose status
    the archive does not say (a TimeMap without CDX) is used only when no capture with a
    2xx status is known.
    """
    ordered = sorted(captures, key=_timestamp_key)
    for memento in ordered:
        if memento.status is not None and 200 <= memento.status < 300:
            return memento
    for memento in ordered:
        if memento.status is None:
            return memento
    return None


@dataclass
class Located:
    """What the archives hold of one URL."""

    url: str
    captures: list[Memento] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    stored: list[str] = field(default_factory=list)  # archives answered from storage

    @property
    def earliest(self) -> Memento | None:
        return first_appearance(self.captures)


def merge(captures: Iterable[Memento]) -> list[Memento]:
    """One memento per (archive, memento URL), earliest first; later copies fill gaps."""
    by_key: dict[tuple[str, str], Memento] = {}
    for memento in captures:
        key = (memento.archive, memento.url)
        known = by_key.get(key)
        if known is None:
            by_key[key] = memento
        else:
            by_key[key] = replace(
                known,
                status=known.status if known.status is not None else memento.status,
                digest=known.digest or memento.digest,
                mimetype=known.mimetype or memento.mimetype,
            )
    return sorted(by_key.values(), key=_timestamp_key)


def _reason(error: BaseException) -> str:
    text = str(error).strip()
    line = text.splitlines()[0] if text else type(error).__name__
    return line[:300]


@dataclass
class _Answer:
    """One archive's answer about one URL, as it will be kept."""

    config: ArchiveConfig
    found: list[Memento]
    error: str | None
    stored: bool = False  # read back from storage rather than asked
    record: bool = True  # a look-up to remember (not one limited to a date window)


class CaptureRecords:
    """Capture and CaptureLookup rows: one read and one write transaction per URL.

    Written in bulk (one INSERT of every new capture, one SELECT of the known ones)
    because a trace or a benchmark locates hundreds of URLs with thousands of captures,
    and a round trip per capture would cost more than the archives' own rate limits.
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    def node_id(self, session: Session, key: str) -> int | None:
        found = session.exec(
            select(Node.id).where((col(Node.canonical_url) == key) | (col(Node.identity) == key))
        ).first()
        return found

    def fresh(
        self, key: str, node_id: int | None, configs: Sequence[ArchiveConfig]
    ) -> tuple[int | None, dict[str, list[Memento]]]:
        """The node of `key` and the stored answers still within each archive's TTL."""
        ttl = {c.name: c.ttl for c in configs}
        reused: dict[str, list[Memento]] = {}
        with self.store.session() as session:
            node_id = node_id if node_id is not None else self.node_id(session, key)
            if node_id is None:
                return None, reused
            now = utcnow()
            lookups = session.exec(
                select(CaptureLookup).where(
                    col(CaptureLookup.url) == key, col(CaptureLookup.archive).in_(list(ttl))
                )
            ).all()
            for lookup in lookups:
                when = as_utc(lookup.looked_up_at)
                if lookup.outcome == "error" or when is None:
                    continue
                if now - when <= timedelta(seconds=ttl[lookup.archive]):
                    reused[lookup.archive] = []
            if reused:
                rows = session.exec(
                    select(Capture).where(
                        col(Capture.node_id) == node_id, col(Capture.archive).in_(list(reused))
                    )
                ).all()
                for row in rows:
                    captured_at = as_utc(row.captured_at)
                    if captured_at is not None:
                        reused[row.archive].append(
                            Memento(
                                archive=row.archive,
                                url=row.memento_url,
                                original_url=row.original_url or key,
                                captured_at=captured_at,
                                status=row.status,
                                digest=row.digest,
                                mimetype=row.mimetype,
                            )
                        )
        return node_id, reused

    def keep(self, key: str, node_id: int | None, answers: Sequence[_Answer]) -> int:
        """Store what the archives said about `key`; returns the node the captures hang on."""
        with self.store.session() as session:
            if node_id is None:
                node_id = self.node_id(session, key)
            if node_id is None:
                node = self.store.upsert_node(
                    Node.web_page(key, identity=key, status=NodeStatus.UNRESOLVED),
                    session,
                )
                assert node.id is not None
                node_id = node.id
            fresh = [a for a in answers if not a.stored]
            self._captures(session, node_id, [(a.config, m) for a in fresh for m in a.found])
            for answer in fresh:
                if answer.record:
                    self._lookup(session, key, answer)
        return node_id

    def _captures(
        self, session: Session, node_id: int, found: Sequence[tuple[ArchiveConfig, Memento]]
    ) -> None:
        if not found:
            return
        urls = list({m.url for _, m in found})
        known: dict[tuple[str, str], Capture] = {}
        for chunk in range(0, len(urls), 500):
            for stored in session.exec(
                select(Capture).where(col(Capture.memento_url).in_(urls[chunk : chunk + 500]))
            ).all():
                known[(stored.archive, stored.memento_url)] = stored
        now = utcnow()
        new: dict[tuple[str, str], dict[str, Any]] = {}
        for config, memento in found:
            row = known.get((memento.archive, memento.url))
            if row is None:
                capture = capture_of(memento, node_id, config.kind)
                new.setdefault(
                    (memento.archive, memento.url),
                    {**capture.model_dump(exclude={"id"}), "found_at": now},
                )
                continue
            # a later look-up fills what an earlier one could not say (a TimeMap's status)
            for name in ("status", "digest", "mimetype", "captured_at"):
                value = getattr(memento, name)
                if value is not None and getattr(row, name) is None:
                    setattr(row, name, value)
                    session.add(row)
        if new:
            table = Capture.__table__  # type: ignore[attr-defined]
            session.execute(insert_or_ignore(session.get_bind(), table), list(new.values()))

    def _lookup(self, session: Session, key: str, answer: _Answer) -> None:
        name = answer.config.name
        lookup = session.exec(
            select(CaptureLookup).where(
                col(CaptureLookup.url) == key, col(CaptureLookup.archive) == name
            )
        ).first()
        if lookup is None:
            lookup = CaptureLookup(url=key, archive=name)
        # a partial answer is not reused: the variant that failed is asked again next time
        lookup.outcome = "error" if answer.error else ("ok" if answer.found else "empty")
        lookup.looked_up_at = utcnow()
        lookup.error = answer.error
        lookup.count = len(answer.found)
        session.add(lookup)


class Locator:
    """Asks the archives, keeps their answers, and reuses them within each archive's TTL."""

    def __init__(
        self,
        archives: Sequence[ArchiveClient],
        http: HTTPClient,
        store: Store | None = None,
        *,
        refresh: bool = False,
    ) -> None:
        self.archives = list(archives)
        self.http = http
        self.records = CaptureRecords(store) if store is not None else None
        self.refresh = refresh
        # database work runs in a thread, so the event loop keeps the archives busy;
        # one writer at a time keeps SQLite from contending with itself
        self._writing = asyncio.Lock()
        for archive in self.archives:
            archive.prepare(http)

    async def locate(
        self, url: str, window: Window | None = None, node_id: int | None = None
    ) -> Located:
        """Every capture of `url` (and its variants) in every archive, earliest first.

        With a store, captures are kept under `node_id` (a trace passes its node), or
        under a page node for the URL that is made when none exists.
        """
        key = normalize_url(url)
        cacheable = window is None or window.unbounded
        reused: dict[str, list[Memento]] = {}
        if self.records is not None and cacheable and not self.refresh:
            configs = [a.config for a in self.archives]
            node_id, reused = await asyncio.to_thread(self.records.fresh, key, node_id, configs)
        answers = await asyncio.gather(
            *(
                self._ask(archive, key, window, reused.get(archive.config.name))
                for archive in self.archives
            )
        )
        for answer in answers:
            answer.record = cacheable
        if self.records is not None:
            async with self._writing:
                await asyncio.to_thread(self.records.keep, key, node_id, answers)
        located = Located(key)
        found: list[Memento] = []
        for answer in answers:
            if answer.error is not None:
                located.errors[answer.config.name] = answer.error
            if answer.stored:
                located.stored.append(answer.config.name)
            found.extend(answer.found)
        located.captures = merge(found)
        return located

    async def locate_many(
        self, urls: Sequence[str], window: Window | None = None, concurrency: int = 64
    ) -> list[Located]:
        """`locate` for many URLs, in input order; archives pace themselves."""
        gate = asyncio.Semaphore(concurrency)

        async def one(url: str) -> Located:
            async with gate:
                return await self.locate(url, window)

        return list(await asyncio.gather(*(one(u) for u in urls)))

    async def nearest(self, url: str, when: datetime) -> Located:
        """The capture nearest `when` in each archive (TimeGate or availability API)."""
        key = normalize_url(url)
        located = Located(key)

        async def ask(archive: ArchiveClient) -> tuple[Memento | None, str | None]:
            try:
                return await archive.nearest(key, when, self.http), None
            except (NetworkError, InputError) as exc:
                return None, _reason(exc)

        answers = await asyncio.gather(*(ask(a) for a in self.archives))
        for archive, (memento, error) in zip(self.archives, answers, strict=True):
            if error is not None:
                located.errors[archive.config.name] = error
            elif memento is not None:
                located.captures.append(memento)
        located.captures = merge(located.captures)
        return located

    async def _ask(
        self,
        archive: ArchiveClient,
        key: str,
        window: Window | None,
        reused: list[Memento] | None,
    ) -> _Answer:
        config = archive.config
        if reused is not None:
            return _Answer(config, reused, None, stored=True)

        async def variant(url: str) -> tuple[list[Memento], str | None]:
            try:
                return await archive.captures(url, self.http, window), None
            except (NetworkError, InputError) as exc:
                return [], _reason(exc)

        variants = url_variants(key, config.variants)
        results = [await variant(variants[0])]
        # an archive that is out of reach, failing, throttling us or blocking the site for
        # one spelling does so for the others: do not spend its rate limit (tens of
        # seconds at archive.today's pace) finding that out again
        if results[0][1] is None:
            results.extend(await asyncio.gather(*(variant(v) for v in variants[1:])))
        found = [m for mementos, _ in results for m in mementos]
        errors = [error for _, error in results if error is not None]
        # one variant failing while another answered is still an answer, but say so
        error = None
        if errors:
            error = errors[0] if not found else f"partial: {errors[0]}"
        return _Answer(config, found, error)


def trace_locator(runtime: Runtime) -> Callable[[Node, HTTPClient], Awaitable[None]]:
    """The locate step of a trace: finds and stores the captures of a stored node.

    Archives are configured once; each HTTP client gets its own Locator, because the
    archives' limits are set on the client. Never raises: a node whose URL cannot be
    asked about is skipped, and archive failures are per archive, as everywhere.
    """
    archives = build_archives(select_archives(load_archive_configs(runtime.settings)))
    locators: dict[int, Locator] = {}

    async def locate(node: Node, http: HTTPClient) -> None:
        url = node.canonical_url or node.url
        if node.platform == "x" and node.handle and node.platform_id and node.kind == "post":
            # archives file tweets under their author's path, not X's /i/status/ form
            url = f"https://twitter.com/{node.handle}/status/{node.platform_id}"
        if not url or not archives:
            return
        locator = locators.get(id(http))
        if locator is None or locator.http is not http:
            locator = locators[id(http)] = Locator(archives, http, runtime.store)
        try:
            await locator.locate(url, node_id=node.id)
        except InputError:
            return  # not a web URL: nothing an archive could hold

    return locate


__all__ = [
    "ArchiveClient",
    "ArchiveConfig",
    "CaptureRecords",
    "Located",
    "Locator",
    "Window",
    "build_archives",
    "first_appearance",
    "is_evidence",
    "load_archive_configs",
    "merge",
    "normalize_url",
    "select_archives",
    "trace_locator",
    "url_variants",
]
