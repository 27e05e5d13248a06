"""`tracer archive [URL...|--pending] [--json]`: preserve cited posts."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from tracer.api import preserve
from tracer.commands.options import archive_names, json_flag, urls_argument
from tracer.commands.terminal import progress_bar, shows_progress
from tracer.plugins.saver import Outcome
from tracer.preservation.preserver import ArchiveResult
from tracer.runtime import Runtime

if TYPE_CHECKING:
    from rich.progress import Progress


def register(parent: typer.Typer) -> None:
    parent.command("archive")(archive_command)


def _preserve(
    runtime: Runtime,
    urls: list[str],
    pending: bool,
    archives: list[str] | None,
    snapshot: bool | None,
    progress: Progress | None = None,
) -> list[ArchiveResult]:
    task = progress.add_task("archiving", total=len(urls) or None) if progress else None

    def advance(result: ArchiveResult) -> None:
        if progress is not None and task is not None:
            progress.update(task, advance=1, description=result.url[:60])

    def started(total: int) -> None:
        if progress is not None and task is not None:
            progress.update(task, total=total)

    return preserve(
        urls,
        runtime=runtime,
        pending=pending,
        archives=archives,
        snapshot=snapshot,
        on_result=advance,
        on_start=started,
    )


def archive_command(
    ctx: typer.Context,
    urls: Annotated[list[str] | None, urls_argument("URLs to preserve.")] = None,
    pending: Annotated[
        bool,
        typer.Option("--pending", help="Every stored node with a URL and no recent capture."),
    ] = False,
    archive: Annotated[list[str] | None, archive_names()] = None,
    no_snapshot: Annotated[
        bool, typer.Option("--no-snapshot", help="Skip the local WARC snapshot.")
    ] = False,
    as_json: Annotated[bool, json_flag("Print JSON.")] = False,
) -> None:
    """Preserve cited posts in public archives and as local WARC snapshots."""
    runtime: Runtime = ctx.obj
    urls = list(urls or [])
    snapshot = False if no_snapshot else None
    if shows_progress(runtime, as_json):
        with progress_bar() as progress:
            results = _preserve(runtime, urls, pending, archive, snapshot, progress)
    else:
        results = _preserve(runtime, urls, pending, archive, snapshot)
    if as_json:
        json.dump([r.as_json() for r in results], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        _print_results(results, runtime.quiet)
    lost = [r.url for r in results if not has_copy(r)]
    if lost:
        # one line, whatever the output format: the exit code needs its reason
        typer.echo(f"tracer: no copy anywhere of {len(lost)} URL(s): {', '.join(lost)}", err=True)
        raise typer.Exit(1)


def has_copy(result: ArchiveResult) -> bool:
    """Whether the URL is preserved somewhere: a public archive or a local snapshot."""
    return result.snapshot is not None or any(s.outcome == Outcome.OK for s in result.results)


def summary(results: list[ArchiveResult]) -> str:
    public = sum(any(s.outcome == Outcome.OK for s in r.results) for r in results)
    local = sum(r.snapshot is not None for r in results)
    lost = sum(not has_copy(r) for r in results)
    return (
        f"{len(results)} URL(s): {public} in a public archive, {local} copied locally, "
        f"{lost} with no copy anywhere"
    )


def _print_results(results: list[ArchiveResult], quiet: bool) -> None:
    if not results:
        if not quiet:
            typer.echo("nothing to archive")
        return
    for result in results:
        typer.echo(result.url)
        for saved in result.results:
            where = saved.url or saved.reason or ""
            note = f" ({saved.reason})" if saved.url and saved.reason else ""
            typer.echo(f"  {saved.archive:<14} {saved.outcome:<8} {where}{note}")
        if result.snapshot is not None:
            typer.echo(f"  {'local':<14} {'ok':<8} sha256:{result.snapshot.sha256}")
            typer.echo(f"  {'':<14} {'':<8} {result.snapshot.warc_path}")
        elif result.snapshot_error:
            typer.echo(f"  {'local':<14} {'failed':<8} {result.snapshot_error}")
    if not quiet:
        typer.echo(summary(results))
