"""`tracer check`: re-check the links that are due, report what rotted, exit 1 on request."""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from tracer.api import check_run
from tracer.commands.options import file_option, json_flag
from tracer.commands.terminal import progress_bar, shows_progress
from tracer.errors import InputError
from tracer.linkrot.reading import spare_cores
from tracer.linkrot.report import FAIL_CONDITIONS, Report, parse_fail_on
from tracer.linkrot.scheduling.forking import Forked, fork_helpers, release_forked
from tracer.linkrot.scheduling.run import Allowance, Progress, helpers_wanted
from tracer.linkrot.scheduling.sidecar import serve as serve_helper
from tracer.linkrot.scheduling.workers import Tally, collect, finish_forked, fork_workers
from tracer.runtime import Runtime


def register(app: typer.Typer) -> None:
    app.command("check")(check_command)


@contextmanager
def _progress_bars(enabled: bool) -> Iterator[tuple[Progress | None, Progress | None]]:
    """The checks' bar and the archive look-ups' bar (None, None when not shown)."""
    if not enabled:
        yield None, None
        return
    with progress_bar() as bar:
        checks = bar.add_task("checking links", total=None)
        lookups = bar.add_task("archive look-ups", total=None, visible=False)

        def checked(done: int, total: int) -> None:
            bar.update(checks, completed=done, total=max(total, done))

        def looked_up(done: int, total: int) -> None:
            bar.update(lookups, completed=done, total=max(total, done), visible=total > 0)

        yield checked, looked_up


def write_report(report: Report, path: Path) -> None:
    try:
        with path.open("w", encoding="utf-8") as out:
            if path.suffix.lower() == ".json":
                report.write_json(out)
            else:
                out.write(report.markdown())
    except OSError as exc:
        raise InputError(f"cannot write the report to {path}: {exc}") from None


def check_command(
    ctx: typer.Context,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit", min=1, metavar="N", help="Check at most N links (all workers together)."
        ),
    ] = None,
    time_budget: Annotated[
        float | None,
        typer.Option(
            "--time-budget", metavar="SECONDS", min=0, help="Stop claiming links after this long."
        ),
    ] = None,
    report_file: Annotated[
        Path | None,
        file_option("--report", help="Also write the report: .json as JSON, else Markdown."),
    ] = None,
    as_json: Annotated[bool, json_flag("Print only the JSON report.")] = False,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            metavar="N",
            help="Run N workers from this one start-up (PostgreSQL); one report for all.",
        ),
    ] = 1,
    fail_on: Annotated[
        str | None,
        typer.Option(
            "--fail-on",
            metavar="LIST",
            help="Exit 1 when any holds: " + ", ".join(FAIL_CONDITIONS) + ", or an outcome word.",
        ),
    ] = None,
) -> int:
    """Check the links that are due and report what rotted."""
    runtime: Runtime = ctx.obj
    conditions = parse_fail_on(fail_on)
    settings = runtime.settings.check
    show_bar = shows_progress(runtime, as_json)
    if workers > 1:
        _check_workers(runtime, workers)
        if limit is not None:
            workers = min(workers, limit)
        if spare_cores() + 1 < 2 * workers:
            # a worker's event loop wants a core of its own more than a helper does
            settings = settings.model_copy(update={"reader_workers": 0})

    from tracer.linkrot.scheduling.lookups import archive_for_missing

    archive = archive_for_missing(runtime.settings, settings)

    async def run(
        progress: Progress | None, looked_up: Progress | None, forked: list[Forked]
    ) -> Report:
        return await check_run(
            runtime,
            settings,
            limit=allowance,
            time_budget=time_budget,
            progress=progress,
            forked=forked,
            archive=archive,
            lookup_progress=looked_up,
        )

    # before the event loop, the database and the progress bar's thread: see fork_helpers
    tally = Tally(workers)
    # one --limit for the night, whichever worker claims the links
    allowance = None if limit is None else Allowance(limit, shared=workers > 1)
    with tempfile.TemporaryDirectory(prefix="tracer-workers-") as spool:
        index, others = fork_workers(workers - 1, Path(spool))
        forked = fork_helpers(helpers_wanted(settings), serve_helper)
        if index:
            work = run(tally.counter(index), None, forked)
            _run_forked(index, Path(spool), work, forked)
        try:
            with _progress_bars(show_bar) as (progress, looked_up):
                counted = tally.counter(0, progress)
                report = asyncio.run(run(counted, looked_up, forked))
                problems = collect(others, report, tally.mover(progress))
        finally:
            release_forked(forked)
    for problem in problems:
        typer.echo(f"tracer: {problem}", err=True)

    try:
        if report_file is not None:
            write_report(report, report_file)
        if as_json:
            report.write_json(sys.stdout)
        elif not runtime.quiet:
            typer.echo(report.markdown(), nl=False)
        failed = report.failed(conditions)
    finally:
        report.close()
    if failed and not as_json:
        typer.echo(f"tracer: failing on: {', '.join(failed)}", err=True)
    if failed:
        raise typer.Exit(1)
    if problems:
        raise typer.Exit(2)
    return 0


def _check_workers(runtime: Runtime, workers: int) -> None:
    """Several workers share hosts through PostgreSQL's leases; SQLite has one writer."""
    from sqlalchemy.engine import make_url

    from tracer.store.database import normalize_url

    if make_url(normalize_url(runtime.database_url)).get_backend_name() != "postgresql":
        raise InputError(
            f"--workers {workers} needs a PostgreSQL database: on SQLite one worker checks"
        )


def _run_forked(
    index: int, spool: Path, work: Coroutine[Any, Any, Report], forked: list[Forked]
) -> NoReturn:
    """A forked worker's whole life: its run, its report saved for the first process."""
    try:
        report = asyncio.run(work)
    except KeyboardInterrupt:
        os._exit(2)  # the first process says so, once
    except BaseException as exc:
        typer.echo(f"tracer: worker {index}: {exc}", err=True)
        os._exit(2)
    finally:
        release_forked(forked)
    finish_forked(index, report, spool)
