"""Limits, all in settings, all tested from the settings file or environment to the CLI:
body size and decompressed size (http.max_body_bytes covers both), redirects
(http.max_redirects), and per trace: references per document, depth and total time
([trace] max_references, max_depth, time_budget).
"""

from __future__ import annotations

import gzip
import time
from pathlib import Path
from typing import Any

from tests.cli import tracer
from tests.fakeweb import FakeWeb, Response, gzip_bomb, redirect
from tests.fakeweb.hostile import article
from tests.hostile.cli import environment, ok_json, rows
from tracer.settings import load_settings

ROOT = "https://news.example/2024/07/29/limits"


def _trace(db: str, env: dict[str, str], source: str = ROOT, *args: str) -> dict[str, Any]:
    chain: dict[str, Any] = ok_json(
        tracer("trace", source, "--format", "json", *args, db=db, env=env)
    )
    return chain


def _node(chain: dict[str, Any], url: str) -> dict[str, Any]:
    found = [n for n in chain["nodes"] if url in (n["canonical_url"], n["url"])]
    assert found, (url, [(n["canonical_url"], n["status"]) for n in chain["nodes"]])
    node: dict[str, Any] = found[0]
    return node


# -- body and decompressed size ------------------------------------------------------------


def test_max_body_bytes_limits_plain_and_decompressed_bodies(
    fakeweb: FakeWeb, tmp_path: Path
) -> None:
    big = "https://big.example/plain"
    bomb = "https://bomb.example/bomb"
    packed = "https://packed.example/packed"  # small compressed, inflates past the cap
    fine = "https://fine.example/fine"
    fakeweb.page(big, article(big, "Big", ["words " * 5000]))
    fakeweb.page(bomb, gzip_bomb(50_000_000))
    fakeweb.page(
        packed,
        Response(
            200,
            gzip.compress(article(packed, "Packed", ["w " * 20000]).encode()),
            {"Content-Encoding": "gzip"},
        ),
    )
    fakeweb.page(fine, article(fine, "Fine", ["short"]))
    fakeweb.page(
        ROOT,
        article(
            ROOT,
            "Limits",
            [
                f'The ministry <a href="{u}">published report {n}</a> on Monday.'
                for n, u in enumerate([big, bomb, packed, fine])
            ],
        ),
    )
    db = f"sqlite:///{tmp_path / 'tracer.db'}"
    config = tmp_path / "config.toml"
    config.write_text("[http]\nmax_body_bytes = 20_000\n", encoding="utf-8")
    env = environment(fakeweb, tmp_path, TRACER_CONFIG=str(config))
    assert load_settings(config, env={}).http.max_body_bytes == 20_000

    chain = _trace(db, env, ROOT, "--depth", "0")
    for url in (big, bomb, packed):
        node = _node(chain, url)
        assert node["status"] == "error" and "larger than 20000" in node["error"].replace(
            "over the 20000", "larger than 20000"
        ), node
    assert _node(chain, fine)["status"] == "resolved"

    # the root itself too large: one line, exit 2, and nothing stored for it (the root
    # is read before anything is recorded, as any input that cannot be traced)
    traces = rows(db, "SELECT id, status FROM trace")
    env["TRACER_HTTP__MAX_BODY_BYTES"] = "200"
    done = tracer("trace", ROOT, db=db, env=env)
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "200" in done.stderr
    assert rows(db, "SELECT id, status FROM trace") == traces


def test_max_redirects_from_settings(fakeweb: FakeWeb, tmp_path: Path) -> None:
    fakeweb.add("hops.example", lambda r: redirect(f"/{int(r.path.strip('/') or 0) + 1}"))
    fakeweb.page(ROOT, article(ROOT, "Redirects", ['<a href="https://hops.example/0">A</a> said.']))
    db = f"sqlite:///{tmp_path / 'tracer.db'}"
    env = environment(fakeweb, tmp_path, TRACER_HTTP__MAX_REDIRECTS="3")
    chain = _trace(db, env, ROOT, "--depth", "0")
    node = _node(chain, "https://hops.example/0")
    assert node["status"] == "error" and "more than 3 redirects" in node["error"]
    assert len(fakeweb.seen("hops.example")) == 4


# -- per trace -------------------------------------------------------------------------------


def test_trace_limits_are_settings() -> None:
    settings = load_settings(
        env={
            "TRACER_TRACE__MAX_REFERENCES": "5",
            "TRACER_TRACE__MAX_DEPTH": "1",
            "TRACER_TRACE__TIME_BUDGET": "2.5",
        }
    )
    trace = settings.trace
    assert (trace.max_references, trace.max_depth, trace.time_budget) == (5, 1, 2.5)
    defaults = load_settings(env={}).trace
    assert defaults.max_references >= 1 and defaults.max_depth >= 1 and defaults.time_budget >= 0


def test_max_references_per_document(fakeweb: FakeWeb, tmp_path: Path) -> None:
    links = [f"https://many.example/{n}" for n in range(30)]
    for url in links:
        fakeweb.page(url, article(url, f"Page {url}", ["text"]))
    fakeweb.page(
        ROOT, article(ROOT, "Many", [f'<a href="{u}">Report {u[-2:]}</a> said.' for u in links])
    )
    db = f"sqlite:///{tmp_path / 'tracer.db'}"
    env = environment(fakeweb, tmp_path, TRACER_TRACE__MAX_REFERENCES="5")
    chain = _trace(db, env, ROOT, "--depth", "0")
    from_root = [e for e in chain["edges"] if e["source"] == chain["root"]]
    assert 1 <= len(from_root) <= 5
    assert len(fakeweb.seen("many.example")) <= 5


def _chain_of_pages(web: FakeWeb, length: int) -> list[str]:
    pages = [ROOT] + [f"https://deep.example/{n}" for n in range(1, length)]
    for here, there in zip(pages, [*pages[1:], None], strict=True):
        cited = [f'The <a href="{there}">previous report</a> said so.'] if there else ["End."]
        web.page(here, article(here, f"Hop {here[-1]}", cited))
    return pages


def test_max_depth_bounds_the_depth_asked_for(fakeweb: FakeWeb, tmp_path: Path) -> None:
    pages = _chain_of_pages(fakeweb, 7)
    db = f"sqlite:///{tmp_path / 'tracer.db'}"
    env = environment(fakeweb, tmp_path, TRACER_TRACE__MAX_DEPTH="1")
    done = tracer("trace", ROOT, "--format", "json", "--depth", "5", db=db, env=env)
    asked = {r.path for r in fakeweb.seen("deep.example")}
    if done.returncode == 2:
        # refused up front, naming the limit, before anything was fetched
        assert done.stderr.count("\n") == 1 and "depth" in done.stderr
        assert asked == set()
        return
    assert done.returncode == 0, done.stderr
    # clamped to depth 1: the root and its cited page are read, that page's source is
    # resolved; nothing further is ever asked for
    assert asked <= {"/1", "/2"}, asked
    assert len(pages) == 7


def test_time_budget_ends_a_trace_that_would_run_long(fakeweb: FakeWeb, tmp_path: Path) -> None:
    pages = _chain_of_pages(fakeweb, 7)
    for url in pages[1:]:
        fakeweb.pages[("deep.example", url.removeprefix("https://deep.example"))].delay = 1.0
    db = f"sqlite:///{tmp_path / 'tracer.db'}"
    env = environment(fakeweb, tmp_path, TRACER_TRACE__TIME_BUDGET="2")
    started = time.monotonic()
    chain = _trace(db, env, ROOT, "--depth", "5")  # some 10 s of hops without a budget
    elapsed = time.monotonic() - started
    assert elapsed < 2 + 2 * 1.0 + 4, f"took {elapsed:.1f}s"  # budget, one hop, start-up
    assert chain["root"]
    assert "/6" not in {r.path for r in fakeweb.seen("deep.example")}
    assert rows(db, "SELECT status FROM trace") != [("running",)]
