"""The `tracer` command line: thin, typed, one line per error.

Exit codes: 0 success; 1 the job ran and found what the caller asked to fail on;
2 usage or input error. Errors are one line on stderr; `-v` adds the traceback.
"""

from __future__ import annotations

import contextlib
import importlib
import sys
import traceback
from typing import Annotated

import typer
from typer.exceptions import TyperException

from tracer import __version__, heap
from tracer.errors import TracerError
from tracer.runtime import Runtime

app = typer.Typer(
    name="tracer",
    help="Trace where a claim came from, and whether it can still be proved.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

#: command modules and the commands each registers; each module has `register(app)`
COMMAND_MODULES = {
    "tracer.commands.db": ("db",),
    "tracer.commands.trace": ("trace", "show"),
    "tracer.commands.export": ("export",),
    "tracer.commands.captures": ("captures",),
    "tracer.commands.archive": ("archive",),
    "tracer.commands.resolve": ("resolve", "search-channel"),
    "tracer.commands.check": ("check",),
    "tracer.commands.watch": ("watch",),
}
#: global options that take a value, to find the command word after them
_VALUED_OPTIONS = ("--db", "--config")
_registered: set[str] = set()


def _command_word(args: list[str]) -> str | None:
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in _VALUED_OPTIONS:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def load_commands(args: list[str]) -> None:
    """Register the command `args` ask for, or every command (for help and mistakes).

    A nightly `tracer check` should not pay for importing the tracing, rendering and
    export machinery it never uses: each command module is imported only when needed.
    """
    word = _command_word(args)
    wanted = [m for m, names in COMMAND_MODULES.items() if word in names] or list(COMMAND_MODULES)
    for module in wanted:
        if module not in _registered:
            importlib.import_module(module).register(app)
            _registered.add(module)


_verbosity = {"verbose": 0}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tracer {__version__}")
        raise typer.Exit()


@app.callback()
def _global_options(
    ctx: typer.Context,
    db_url: Annotated[
        str | None,
        typer.Option(
            "--db", metavar="URL", help="Database URL (env TRACER_DB_URL).", show_default=False
        ),
    ] = None,
    config: Annotated[
        str | None,
        typer.Option("--config", metavar="FILE", help="Settings file (env TRACER_CONFIG)."),
    ] = None,
    verbose: Annotated[
        int, typer.Option("--verbose", "-v", count=True, help="More detail; tracebacks on errors.")
    ] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only results and errors.")] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    _verbosity["verbose"] = verbose
    ctx.obj = Runtime.from_options(config, db_url, verbose, quiet)
    ctx.call_on_close(ctx.obj.close)


def _fail(message: str, code: int) -> int:
    print(f"tracer: error: {message}", file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    args = sys.argv[1:] if argv is None else argv
    verbose = any(a in ("-v", "--verbose", "-vv") for a in args)
    try:
        load_commands(args)
        result = app(args=args, prog_name="tracer", standalone_mode=False)
    except typer.Exit as done:
        return done.exit_code
    except TyperException as exc:
        # usage errors: one line, with where to read more
        message = " ".join(exc.format_message().split())
        if not message:
            return exc.exit_code  # help was shown for a bare command group
        context = getattr(exc, "ctx", None)
        hint = f" (see: {context.command_path} --help)" if context is not None else ""
        return _fail(message + hint, 2)
    except (typer.Abort, KeyboardInterrupt):
        return _fail("interrupted", 130)
    except TracerError as exc:
        if verbose or _verbosity["verbose"]:
            traceback.print_exc()
        return _fail(str(exc) or type(exc).__name__, exc.exit_code)
    except Exception as exc:
        if verbose or _verbosity["verbose"]:
            traceback.print_exc()
        return _fail(f"internal error ({type(exc).__name__}: {exc}); run with -v for details", 70)
    return result if isinstance(result, int) else 0


def run() -> None:
    """The process's entry point (`tracer`, `python -m tracer`)."""
    with contextlib.suppress(Exception):  # main() imports again and reports it in one line
        load_commands(sys.argv[1:])
    heap.settle()  # the process is ours: what the imports built lives as long as it does
    sys.exit(main())


if __name__ == "__main__":
    run()
