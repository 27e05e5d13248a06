"""`tracer trace` and `tracer show`: run the pipeline on an article, print a stored chain."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from tracer.api import trace
from tracer.commands.options import file_option
from tracer.commands.output import write_output
from tracer.errors import InputError
from tracer.follow.tracer import TraceOptions
from tracer.render import FORMATS, render
from tracer.render.text import tree
from tracer.runtime import Runtime
from tracer.store.chain import chain_roots, find_node, load_chain
from tracer.store.readmodel import Chain
from tracer.store.serialize import node_ref


def register(parent: typer.Typer) -> None:
    parent.command("trace")(trace_command)
    parent.command("show")(show_command)


#: formats in which several chains can follow one another in one output
CONCATENATED_FORMATS = ("text", "md")


def emit_all(chains: list[Chain], fmt: str, out: Path | None) -> None:
    """Print or write several chains, one after another (text and Markdown)."""
    if len(chains) == 1:
        emit(chains[0], fmt, out)
        return
    if fmt == "text" and out is None and sys.stdout.isatty():
        for chain in chains:
            Console().print(tree(chain))
        return
    joined = "\n".join(render(chain, fmt) for chain in chains)
    if out is None:
        sys.stdout.write(joined)
        return
    write_output(out, joined)
    typer.echo(f"wrote {out} ({fmt}, {len(chains)} chains)", err=True)


def check_format(fmt: str) -> None:
    """Refuse an unknown format before any work is done (a trace would be stored first)."""
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def emit(chain: Chain, fmt: str, out: Path | None) -> None:
    """Print or write the chain; the text format is a rich tree on a terminal."""
    check_format(fmt)
    if out is not None:
        write_output(out, render(chain, fmt))
        # like `export -o`: the file is the only output, so say where it went
        typer.echo(f"wrote {out} ({fmt}, {len(chain.nodes)} nodes)", err=True)
        return
    if fmt == "text" and sys.stdout.isatty():
        Console().print(tree(chain))
        return
    sys.stdout.write(render(chain, fmt))


@contextmanager
def _progress(enabled: bool) -> Iterator[Any]:
    """A spinner with the current step on stderr, only for a person at a terminal."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    console = Console(stderr=True)
    with console.status("tracing…") as status:
        yield lambda message: status.update(f"tracing: {message}")


FormatOption = Annotated[
    str,
    typer.Option("--format", "-f", help=f"One of: {', '.join(FORMATS)}.", metavar="FORMAT"),
]
OutOption = Annotated[
    Path | None, file_option("--out", "-o", help="Write to FILE instead of printing.")
]


def trace_command(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="A URL, an .html/.txt/.md file, or - for stdin.")],
    depth: Annotated[int, typer.Option(help="How many hops of sources to follow.", min=0)] = 2,
    offline: Annotated[bool, typer.Option(help="Use no network; mark what needs it.")] = False,
    keywords: Annotated[
        list[str] | None,
        typer.Option(
            "--keywords", "-k", metavar="WORD", help="Words of the claim, to find named sources by."
        ),
    ] = None,
    archive: Annotated[
        bool, typer.Option("--archive", help="Preserve every cited post and page afterwards.")
    ] = False,
    fmt: FormatOption = "text",
    out: OutOption = None,
) -> None:
    """Trace an article to the sources behind it and store the chain."""
    runtime: Runtime = ctx.obj
    check_format(fmt)
    limits = runtime.settings.trace
    options = TraceOptions(
        depth=depth,
        offline=offline,
        keywords=list(keywords or []),
        max_references=limits.max_references,
        time_budget=limits.time_budget,
        max_depth=limits.max_depth,
    )
    with _progress((not runtime.quiet and fmt == "text") or out is not None) as report:
        chain = trace(source, options, runtime=runtime, report=report, archive=archive)
    emit(chain, fmt, out)


def show_command(
    ctx: typer.Context,
    node: Annotated[str, typer.Argument(metavar="URL|ID", help="A stored node: n12 or its URL.")],
    depth: Annotated[
        int | None, typer.Option(help="Hops to show (default: the whole chain).", min=0)
    ] = None,
    fmt: FormatOption = "text",
    out: OutOption = None,
) -> None:
    """Print the stored chains that contain a node, from their article."""
    runtime: Runtime = ctx.obj
    check_format(fmt)
    with runtime.store.session() as session:
        found = find_node(session, node)
        assert found.id is not None
        chains = [load_chain(session, root, depth) for root in chain_roots(session, found.id)]
    marked = node_ref(found.id)
    for chain in chains:
        chain.focus = marked  # the node asked for, marked where the chain shows it
    if len(chains) > 1 and fmt not in CONCATENATED_FORMATS:
        # one document per output: the first article's chain, and where the others are
        others = ", ".join(chain.root or "" for chain in chains[1:])
        typer.echo(f"{marked} is also in the chains of {others} (tracer show ID)", err=True)
        chains = chains[:1]
    emit_all(chains, fmt, out)
