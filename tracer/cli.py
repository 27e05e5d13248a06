"""The `tracer` command line: thin, typed, one line per error.

Exit codes: 0 success; 1 the job ran and found what the caller asked to fail on;
2 the command could not do its job: a usage or input error, an interrupt (Ctrl-C), or
an internal error (a bug, reported as one). Errors are one line on stderr; `-v` adds the
traceback.
"""

from __future__ import annotations

import contextlib
import difflib
import importlib
import re
import sys
import traceback
from typing import Annotated, Any

import typer
from typer._click.exceptions import NoArgsIsHelpError
from typer.core import TyperArgument, TyperGroup
from typer.exceptions import TyperException

from tracer import __version__, heap
from tracer.commands.options import file_option
from tracer.errors import TracerError

#: every command: the module that registers it (`register(app)`), and its one-line help.
#: `tracer --help` lists them from here, so it imports no command: a command's module is
#: imported when it runs (a test keeps these lines equal to the commands' own help).
COMMANDS: dict[str, tuple[str, str]] = {
    "trace": (
        "tracer.commands.trace",
        "Trace an article to the sources behind it and store the chain.",
    ),
    "show": (
        "tracer.commands.trace",
        "Print the stored chains that contain a node, from their article.",
    ),
    "export": (
        "tracer.commands.export",
        "Export a stored chain (or the whole store) as PROV, GraphML, CSV or JSON Lines; "
        "or, with --warc, every local snapshot as one WARC file.",
    ),
    "captures": (
        "tracer.commands.captures",
        "Archived copies of each URL in public web archives, earliest first.",
    ),
    "archive": (
        "tracer.commands.archive",
        "Preserve cited posts in public archives and as local WARC snapshots.",
    ),
    "resolve": (
        "tracer.commands.resolve",
        "Identity, canonical URL and first appearance of each URL.",
    ),
    "search-channel": (
        "tracer.commands.resolve",
        "Earliest posts of a Telegram channel that mention KEYWORD, in a date window.",
    ),
    "media": (
        "tracer.commands.media",
        "Fingerprint an image and find it among the media of every stored chain.",
    ),
    "check": ("tracer.commands.check", "Check the links that are due and report what rotted."),
    "watch": (
        "tracer.commands.watch",
        "Add URLs to the link-rot watch list; `tracer check` checks them from now on.",
    ),
    "db": ("tracer.commands.db", "Manage the database schema."),
}
#: global options that take a value, to find the command word after them
_VALUED_OPTIONS = ("--db", "--config")


class _Commands(TyperGroup):
    """The command group, which registers a command from its module when it is asked for."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            commands = typer.Typer(rich_markup_mode=None)
            importlib.import_module(COMMANDS[cmd_name][0]).register(commands)
            for name, command in typer.main.get_group(commands).commands.items():
                _name_values(command)
                self.add_command(command, name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, help) for name, (_, help) in COMMANDS.items()])


def _no_type(ctx: Any) -> None:
    return None


def _name_values(command: Any) -> None:
    """Help names each value by its option (`--depth DEPTH`) where the command names none,
    and an argument by its name alone, instead of by a Python type (`<int range>`,
    `<list[str]>`, `source <str>`)."""
    for param in getattr(command, "params", ()):
        if isinstance(param, TyperArgument):
            param.metavar = param.metavar or (param.name or "").upper()
            param.display_type_rich = _no_type  # type: ignore[method-assign]
            continue
        takes_value = not getattr(param, "is_flag", False) and not getattr(param, "count", False)
        if param.metavar is None and takes_value and param.name:
            param.metavar = param.name.upper().replace("_", "-")
    for sub in getattr(command, "commands", {}).values():
        _name_values(sub)


app = typer.Typer(
    name="tracer",
    cls=_Commands,
    help="Trace where a claim came from, and whether it can still be proved.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    # plain help: the rich one shows value hints such as <bool> after plain flags
    rich_markup_mode=None,
)


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
    """Import the module of the command `args` ask for, if any.

    A nightly `tracer check` should not pay for importing the tracing, rendering and
    export machinery it never uses, nor `tracer --help` for any of it.
    """
    word = _command_word(args)
    if word in COMMANDS:
        importlib.import_module(COMMANDS[word][0])


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
        str | None, file_option("--config", help="Settings file (env TRACER_CONFIG).")
    ] = None,
    verbose: Annotated[
        int,
        typer.Option(
            "--verbose",
            "-v",
            count=True,
            show_default=False,
            help="More detail; tracebacks on errors.",
        ),
    ] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only results and errors.")] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    from tracer.runtime import Runtime

    _verbosity["verbose"] = verbose
    ctx.obj = Runtime.from_options(config, db_url, verbose, quiet)
    ctx.call_on_close(ctx.obj.close)


def _fail(message: str, code: int = 2) -> int:
    # one line whatever the message holds (drivers' errors come with a second line)
    print(f"tracer: error: {' '.join(message.split())}", file=sys.stderr)
    return code


#: what typer returns, outside its standalone mode, for a Ctrl-C during a command
_INTERRUPTED = 130
_UNKNOWN_OPTION = re.compile(r"No such option: (\S+)")
_SUGGESTIONS = re.compile(r"\s*(?:\(Possible options: ([^)]*)\)|Did you mean ([^?]*)\?)")


def _usage_message(message: str) -> str:
    """Click's usage message, with only the suggestions that look like what was typed:
    its own matching counts the leading dashes, so `--bogus` got `--out`."""
    typed = _UNKNOWN_OPTION.search(message)
    found = _SUGGESTIONS.search(message)
    if typed is None or found is None:
        return message
    offered = [o.strip() for o in (found.group(1) or found.group(2)).split(",")]
    word = typed.group(1).lstrip("-")
    close = [
        o
        for o in offered
        if o.lstrip("-").startswith(word)
        or difflib.SequenceMatcher(None, word, o.lstrip("-")).ratio() >= 0.6
    ]
    suggestion = f" (did you mean {' or '.join(close)}?)" if close else ""
    return message[: found.start()] + suggestion + message[found.end() :]


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    args = sys.argv[1:] if argv is None else argv
    verbose = any(a in ("-v", "--verbose", "-vv") for a in args)
    try:
        load_commands(args)
        result = app(args=args, prog_name="tracer", standalone_mode=False)
    except typer.Exit as done:
        return done.exit_code
    except NoArgsIsHelpError as exc:
        print(exc.format_message(), file=sys.stderr)  # a command group alone: its help
        return exc.exit_code
    except TyperException as exc:
        # usage errors: one line, with where to read more
        message = _usage_message(" ".join(exc.format_message().split()))
        if not message:
            return exc.exit_code  # help was shown for a bare command group
        context = getattr(exc, "ctx", None)
        hint = f" (see: {context.command_path} --help)" if context is not None else ""
        return _fail(message + hint)
    except (typer.Abort, KeyboardInterrupt):
        return _fail("interrupted")
    except TracerError as exc:
        if verbose or _verbosity["verbose"]:
            traceback.print_exc()
        return _fail(str(exc) or type(exc).__name__, exc.exit_code)
    except Exception as exc:
        if verbose or _verbosity["verbose"]:
            traceback.print_exc()
        first = (str(exc).strip().splitlines() or [""])[0]
        return _fail(f"internal error ({type(exc).__name__}: {first}); run with -v for details")
    if result == _INTERRUPTED:
        return _fail("interrupted")
    return result if isinstance(result, int) else 0


def run() -> None:
    """The process's entry point (`tracer`, `python -m tracer`)."""
    # httpx imports its own command line (click, rich, pygments: ~40 ms, a tenth of a
    # check's start) whenever those are installed, and they are ours. Marking it absent
    # takes httpx's own fallback for a machine without them; `httpx.main` is unused here.
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
    with contextlib.suppress(Exception):  # main() imports again and reports it in one line
        load_commands(sys.argv[1:])
    heap.settle()  # the process is ours: what the imports built lives as long as it does
    sys.exit(main())


if __name__ == "__main__":
    run()
