"""`tracer export`: a stored chain, or the whole store, for other tools.

Graphs (GraphML), tables (CSV), lines (JSON Lines) and W3C PROV; any `show` format works
too. The command only reads the database. `--format` is optional in the signature so
that a later `--warc FILE` (every local snapshot as one WARC) can be a second, separate
branch of the same command without breaking these options.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from tracer.commands.options import file_option
from tracer.commands.output import write_output
from tracer.errors import InputError
from tracer.render import EXPORT_FORMATS, FORMATS, render
from tracer.render.exports import export
from tracer.runtime import Runtime
from tracer.store.chain import find_node, load_chain

ALL_FORMATS = (*EXPORT_FORMATS, *(f for f in FORMATS if f not in EXPORT_FORMATS))
CSV_TABLES = ("nodes", "edges")


def register(parent: typer.Typer) -> None:
    parent.command("export")(export_command)


def export_chain(
    runtime: Runtime, fmt: str, root: str | None = None, depth: int | None = None
) -> dict[str, str]:
    """The stored chain from `root` (a URL or id; the whole store when None) in `fmt`.

    Returns {table name: text}: one entry, except for CSV ("nodes" and "edges").
    """
    if fmt not in ALL_FORMATS:
        raise InputError(f"unknown format {fmt!r}; use one of {', '.join(ALL_FORMATS)}")
    with runtime.store.session() as session:
        root_id = find_node(session, root).id if root else None
        chain = load_chain(session, root_id, depth)
    if fmt in EXPORT_FORMATS:
        return export(chain, fmt)
    return {fmt: render(chain, fmt)}


def csv_paths(out: Path) -> dict[str, Path]:
    """Where the two CSV tables go: DIR/nodes.csv, or FILE.nodes.csv beside FILE.csv."""
    if out.is_dir():
        return {table: out / f"{table}.csv" for table in CSV_TABLES}
    stem = out.with_suffix("") if out.suffix == ".csv" else out
    return {table: stem.with_name(f"{stem.name}.{table}.csv") for table in CSV_TABLES}


def export_command(
    ctx: typer.Context,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help=f"One of: {', '.join(ALL_FORMATS)}.",
            show_default=False,
        ),
    ] = None,
    root: Annotated[
        str | None,
        typer.Option(
            "--root", metavar="URL|ID", help="Export the chain from this node (default: all)."
        ),
    ] = None,
    depth: Annotated[
        int | None,
        typer.Option("--depth", min=0, help="Hops to follow from --root (default: all)."),
    ] = None,
    out: Annotated[
        Path | None,
        file_option(
            "--out",
            "-o",
            help="Write here instead of stdout; for csv, FILE.nodes.csv and FILE.edges.csv.",
        ),
    ] = None,
    table: Annotated[
        str | None,
        typer.Option("--table", metavar="nodes|edges", help="The CSV table to print to stdout."),
    ] = None,
    warc: Annotated[
        Path | None,
        file_option("--warc", help="Bundle every local snapshot into one WARC (.warc.gz)."),
    ] = None,
) -> None:
    """Export a stored chain (or the whole store) as PROV, GraphML, CSV or JSON Lines;
    or, with --warc, every local snapshot as one WARC file."""
    runtime: Runtime = ctx.obj
    if warc is not None:
        if fmt is not None or root is not None or out is not None:
            raise InputError("--warc takes no --format, --root or --out")
        from cache.warc_export import export_warc

        records = export_warc(runtime.store, warc)
        if not runtime.quiet:
            typer.echo(f"wrote {records} records to {warc}", err=True)
        return
    if fmt is None:
        raise InputError(f"give --format ({', '.join(ALL_FORMATS)}) or --warc FILE")
    if depth is not None and root is None:
        raise InputError("--depth needs --root")
    if table is not None and (fmt != "csv" or table not in CSV_TABLES):
        raise InputError("--table is for --format csv and is one of: nodes, edges")
    if fmt == "csv" and out is None and table is None:
        raise InputError("csv has two tables: give --out FILE, or --table nodes|edges for stdout")
    outputs = export_chain(runtime, fmt, root, depth)
    if out is None:
        text = outputs[table] if table else next(iter(outputs.values()))
        sys.stdout.write(text)
        return
    written: list[Any] = []
    if fmt == "csv":
        for name, path in csv_paths(out).items():
            write_output(path, outputs[name])
            written.append(path)
    else:
        write_output(out, next(iter(outputs.values())))
        written.append(out)
    if not runtime.quiet:
        typer.echo(f"wrote {', '.join(str(p) for p in written)}", err=True)
