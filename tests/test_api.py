"""The library at the package root: the jobs of the command line as documented functions."""

from __future__ import annotations

import inspect
import io
import json
from pathlib import Path

from tracer import Capture, Edge, Node, captures, check, preserve, resolve, trace
from tracer.follow.tracer import TraceOptions
from tracer.runtime import Runtime
from tracer.settings import load_settings

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "harbour-ledger-grain-terminal.html"


def runtime_on(tmp_path: Path) -> Runtime:
    return Runtime(load_settings(overrides={"database": {"url": f"sqlite:///{tmp_path}/t.db"}}))


def test_every_public_name_is_the_documented_call_not_a_module() -> None:
    # importing the pipeline's own modules must not shadow the functions of the same job
    import tracer.follow.tracer
    import tracer.identity.resolver
    import tracer.preservation.preserver

    for name, call in {
        "trace": trace,
        "resolve": resolve,
        "captures": captures,
        "preserve": preserve,
        "check": check,
    }.items():
        assert getattr(tracer, name) is call
        assert inspect.isfunction(call) and call.__doc__, name
    assert {Node.__name__, Edge.__name__, Capture.__name__} == {"Node", "Edge", "Capture"}


def test_trace_and_resolve_offline_through_the_library(tmp_path: Path) -> None:
    runtime = runtime_on(tmp_path)
    try:
        chain = trace(str(EXAMPLE), TraceOptions(offline=True), runtime=runtime)
        assert chain.root in {node.id for node in chain.nodes}
        [(identity, node_id)] = resolve(
            ["https://x.com/i/web/status/1817661484380938437"], runtime=runtime, offline=True
        )
        assert identity.platform == "x"
        assert identity.canonical_url == "https://x.com/i/status/1817661484380938437"
        with runtime.store.session() as session:
            stored = session.get(Node, node_id)
            assert stored is not None and stored.canonical_url == identity.canonical_url
    finally:
        runtime.close()


def test_check_through_the_library_reports_an_empty_night(tmp_path: Path) -> None:
    runtime = runtime_on(tmp_path)
    try:
        report = check(runtime=runtime)
        try:
            out = io.StringIO()
            report.write_json(out)
            night = json.loads(out.getvalue())
            assert night["links"] == []
            assert report.failed({"dead", "new-dead", "changed"}) == []
        finally:
            report.close()
    finally:
        runtime.close()
