"""The library: every job the command line does, as a function.

    from tracer import trace, resolve, captures, preserve, check

Each function takes an optional `Runtime` (settings, database, HTTP limits); without one
it uses the settings a `tracer` command would (TRACER_CONFIG, TRACER_DB_URL, the user's
config file) and closes what it opened. The commands in tracer/commands/ parse their
arguments, call these, and print.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Unpack

from tracer.errors import InputError
from tracer.runtime import Runtime

if TYPE_CHECKING:
    from tracer.follow.tracer import Locate, TraceOptions
    from tracer.http.client import HTTPClient
    from tracer.linkrot.report import Report
    from tracer.linkrot.scheduling.run import Allowance, Progress, RunOptions
    from tracer.linkrot.settings import CheckSettings
    from tracer.locate.locator import Located
    from tracer.plugins.archive import Window
    from tracer.plugins.platform import Identity
    from tracer.preservation.preserver import ArchiveResult
    from tracer.store.readmodel import Chain

#: what `trace(..., archive=True)` preserves: things that can vanish, not accounts or
#: outlets' home pages
PRESERVED_KINDS = frozenset({"article", "post", "document", "media", "page"})


@contextmanager
def _runtime(runtime: Runtime | None) -> Iterator[Runtime]:
    """The caller's runtime, or one from the default settings, closed afterwards."""
    if runtime is not None:
        yield runtime
        return
    made = Runtime.from_options()
    try:
        yield made
    finally:
        made.close()


def trace(
    source: str,
    options: TraceOptions | None = None,
    *,
    runtime: Runtime | None = None,
    report: Callable[[str], None] | None = None,
    archive: bool = False,
) -> Chain:
    """Trace an article (a URL, a file path, or `-` for stdin) to the sources behind it,
    store the chain, and return it (tracer.store.readmodel.Chain: input, root, nodes,
    edges, first_appearance; `.to_json()` is the JSON contract's chain object).

    `options` sets the depth, offline mode, keywords and limits (tracer.follow.tracer.TraceOptions).
    With `archive`, every post and page of the chain is then preserved in the public
    archives and as a local WARC snapshot, and the chain shows the captures that made.
    `report` is told what the trace is doing, for progress displays.
    """
    from tracer.follow.tracer import TraceOptions, Tracer
    from tracer.intake import origin
    from tracer.store.chain import load_chain

    options = options or TraceOptions()
    if archive and options.offline:
        raise InputError("--archive needs the network: it cannot be combined with --offline")
    with _runtime(runtime) as active:

        async def run() -> int:
            if options.offline:
                tracer = Tracer(active.store, None, report=report)
                return (await tracer.run(source, options)).root_node_id
            async with active.http() as http:
                from tracer.media.step import media_step
                from tracer.sourcesearch.named import named_search

                search = named_search(active) if active.settings.trace.search else None
                tracer = Tracer(
                    active.store,
                    http,
                    locate=_locator(active),
                    report=report,
                    search=search,
                    media=media_step(active),
                )
                root = (await tracer.run(source, options)).root_node_id
                if archive:
                    await _preserve_chain(active, http, root, report)
                return root

        root = asyncio.run(run())
        with active.store.session() as session:
            chain = load_chain(session, root)
    chain.input = origin(source)
    return chain


async def _preserve_chain(
    runtime: Runtime, http: HTTPClient, root: int, report: Callable[[str], None] | None
) -> None:
    from tracer.preservation.preserver import preserve as preserve_urls
    from tracer.store.chain import load_chain

    with runtime.store.session() as session:
        chain = load_chain(session, root)
    urls = [
        node.canonical_url
        for node in chain.nodes
        if node.canonical_url and node.kind in PRESERVED_KINDS
    ]
    if report is not None:
        report(f"preserving {len(urls)} posts and pages")
    await preserve_urls(urls, runtime.store, http, runtime.settings.preserve)


def _locator(runtime: Runtime) -> Locate | None:
    """The archive look-up of the locate step, when archives are installed."""
    try:
        from tracer.locate.locator import trace_locator
    except ImportError:
        return None
    return trace_locator(runtime)


def resolve(
    urls: Sequence[str], *, runtime: Runtime | None = None, offline: bool = False
) -> list[tuple[Identity, int | None]]:
    """The identity of each URL on its platform (canonical URL, ids, author, publication
    time and how it was found), in input order, each stored as a node: pairs of the
    identity and its node id. Without the network with `offline`. InputError for the first
    input that is not a URL, before anything is fetched."""
    from tracer.identity.resolver import normalize_input, record, resolve_urls

    for url in urls:
        normalize_input(url)
    with _runtime(runtime) as active:
        if offline:
            results = asyncio.run(resolve_urls(list(urls), None))
        else:

            async def run() -> list[Identity | InputError]:
                async with active.http(cache=True) as http:
                    return await resolve_urls(list(urls), http)

            results = asyncio.run(run())
        identities: list[Identity] = []
        for result in results:
            if isinstance(result, InputError):
                raise result
            identities.append(result)
        store = active.store
        with store.session() as session:
            ids = [record(store, identity, session).id for identity in identities]
    return list(zip(identities, ids, strict=True))


def captures(
    urls: Sequence[str],
    *,
    runtime: Runtime | None = None,
    archives: Sequence[str] = (),
    window: Window | None = None,
    near: datetime | None = None,
    refresh: bool = False,
) -> list[Located]:
    """The archived copies of each URL in the chosen archives (every enabled one by
    default), earliest first, with the archives that failed and why: within `window`, or
    the one nearest to `near`. Answers are stored and reused within the archive's TTL
    unless `refresh`."""
    from tracer.locate.locator import (
        Locator,
        build_archives,
        load_archive_configs,
        select_archives,
    )

    with _runtime(runtime) as active:
        clients = build_archives(select_archives(load_archive_configs(active.settings), archives))
        if not clients:
            raise InputError("no archive is enabled (see config/archives.toml and [archives.NAME])")

        async def run() -> list[Located]:
            async with active.http(cache=False) as http:
                locator = Locator(clients, http, active.store, refresh=refresh)
                if near is not None:
                    return list(await asyncio.gather(*(locator.nearest(u, near) for u in urls)))
                return await locator.locate_many(list(urls), window)

        return asyncio.run(run())


def preserve(
    urls: Sequence[str] = (),
    *,
    runtime: Runtime | None = None,
    pending: bool = False,
    archives: Sequence[str] | None = None,
    snapshot: bool | None = None,
    on_result: Callable[[ArchiveResult], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> list[ArchiveResult]:
    """Preserve `urls` (or, with `pending`, every stored node without a recent capture)
    in the public archives the settings name (or `archives`) and as a local WARC snapshot
    (unless `snapshot` is False). Resumable: a run killed mid-way is continued by the next.
    `on_start` is told how many URLs there are, `on_result` each URL's outcome."""
    from tracer.preservation.preserver import Choices, preserve_pending, preserve_settings
    from tracer.preservation.preserver import preserve as preserve_urls

    if pending and urls:
        raise InputError("give URLs or --pending, not both")
    if not pending and not urls:
        raise InputError("give URLs to archive, or --pending")
    names = list(archives) if archives is not None else None
    with _runtime(runtime) as active:
        settings = preserve_settings(active.settings)

        choices: Choices = {"archives": names, "snapshot": snapshot, "on_result": on_result}

        async def run() -> list[ArchiveResult]:
            async with active.http(cache=False) as http:
                if pending:
                    return await preserve_pending(
                        active.store, http, settings, on_start=on_start, **choices
                    )
                return await preserve_urls(list(urls), active.store, http, settings, **choices)

        return asyncio.run(run())


def check(
    *,
    runtime: Runtime | None = None,
    limit: int | None = None,
    time_budget: float | None = None,
    progress: Progress | None = None,
) -> Report:
    """Check the stored links that are due (one worker), classify what rotted, look up
    archived copies of dead links, and return the night's report (`markdown()`,
    `write_json(out)`, `failed(conditions)`; close it when done)."""
    from tracer.linkrot.scheduling.lookups import archive_for_missing

    with _runtime(runtime) as active:
        settings = active.settings.check
        archive = archive_for_missing(active.settings, settings)
        run = check_run(
            active,
            settings,
            limit=limit,
            time_budget=time_budget,
            progress=progress,
            archive=archive,
        )
        return asyncio.run(run)


async def check_run(
    runtime: Runtime,
    settings: CheckSettings,
    *,
    limit: int | Allowance | None = None,
    time_budget: float | None = None,
    **options: Unpack[RunOptions],
) -> Report:
    """One worker's check run on the runtime's database, through an HTTP client of its
    own that reads no cache (a check asks how the link is now): what `check` runs, and
    each worker of `tracer check --workers`."""
    from tracer.linkrot.scheduling.run import check_links

    async with runtime.http(cache=False) as http:
        return await check_links(
            runtime.store, http, settings, limit=limit, time_budget=time_budget, **options
        )


__all__ = ["captures", "check", "preserve", "resolve", "trace"]
