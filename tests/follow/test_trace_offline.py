"""`tracer trace --offline`: the seed article and the bundled example, stored and shown."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from tests.cli import tracer
from tests.conftest import SEEDS
from tests.follow.offline import run_trace
from tests.follow.stored import stored_rows
from tracer.errors import InputError
from tracer.follow.tracer import Tracer
from tracer.store.upserts import Store

SEED = SEEDS / "000_a004ba6b9b170559.txt"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def by_name(chain: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {node["name"]: node for node in chain["nodes"] if node["name"]}


def edge(chain: dict[str, Any], source: str, target: str) -> dict[str, Any]:
    for candidate in chain["edges"]:
        if candidate["source"] == source and candidate["target"] == target:
            return candidate
    raise AssertionError(f"no edge {source} -> {target}")


def test_seed_chain(database_url: str) -> None:
    chain = run_trace(database_url, SEED)
    text_of_seed = SEED.read_text(encoding="utf-8")
    nodes = by_name(chain)
    root = chain["root"]

    tweet = next(n for n in chain["nodes"] if n["kind"] == "post" and n["handle"] == "Tendar")
    assert tweet["name"] == "(((Tendar)))"
    account = next(n for n in chain["nodes"] if n["kind"] == "channel" and n["handle"] == "Tendar")
    assert account["canonical_url"] == "https://x.com/Tendar"
    assert edge(chain, tweet["id"], account["id"])["relation"] == "authored_by"
    assert tweet["published_at"] == "2024-07-28"
    assert tweet["published_at_method"] == "embed-signature"
    assert edge(chain, root, tweet["id"])["relation"] == "embeds"
    media = next(n for n in chain["nodes"] if n["kind"] == "media")
    assert "hIF4H7QWW1" in media["canonical_url"]
    assert edge(chain, tweet["id"], media["id"])["relation"] == "embeds"

    # named as the article names it, the registry's name beside it
    rt, grey_zone = nodes["Russia Today"], nodes["GREY ZONE"]
    assert rt["kind"] == "outlet" and rt["canonical_url"] == "https://rt.com/"
    assert rt["attributes"]["registry_name"] == "RT"
    assert grey_zone["kind"] == "channel" and grey_zone["platform"] == "telegram"
    assert grey_zone["canonical_url"] == "https://t.me/grey_zone"
    assert edge(chain, root, rt["id"])["relation"] == "cites"
    via = edge(chain, rt["id"], grey_zone["id"])
    assert via["relation"] == "cites" and "GREY ZONE" in via["evidence"]
    assert "Wagner-affiliated" in grey_zone["attributes"]["descriptors"]
    assert nodes["Andriy Yusov"]["kind"] == "person"
    assert "HUR" in nodes["Andriy Yusov"]["attributes"]["affiliation"]
    assert nodes["The Blood Gold Report"]["kind"] == "document"
    assert any("CSP-PSD" in e["evidence"] for e in chain["edges"] if e["evidence"])

    # HUR is reached through the official who speaks for it
    yusov = nodes["Andriy Yusov"]
    hur = next(n for n in chain["nodes"] if "HUR" in n.get("attributes", {}).get("aliases", []))
    assert hur["kind"] == "organization"
    assert edge(chain, yusov["id"], hur["id"])["relation"] == "speaks_for"

    # every edge's evidence is in the text, exactly at its offsets (the media link too,
    # which the text writes without its scheme)
    plain = text_of_seed.replace("\r\n", "\n")
    for item in chain["edges"]:
        if item["evidence"] is not None:
            assert item["start"] is not None, item
            assert plain[item["start"] : item["end"]] == item["evidence"], item
    assert edge(chain, tweet["id"], media["id"])["evidence"] == "pic.twitter.com/hIF4H7QWW1"

    assert chain["first_appearance"] == {
        "node": tweet["id"],
        "at": "2024-07-28",
        "method": "embed-signature",
    }
    assert chain["path"] == [root, tweet["id"]]
    # offline: nothing that needs the network pretends to be resolved
    assert {n["status"] for n in chain["nodes"] if n["id"] != root} <= {"offline", "unresolved"}


def test_running_twice_changes_nothing(database_url: str) -> None:
    first = run_trace(database_url, SEED)
    before = stored_rows(database_url)
    second = run_trace(database_url, SEED)
    assert stored_rows(database_url) == before
    assert [n["id"] for n in first["nodes"]] == [n["id"] for n in second["nodes"]]


def test_two_traces_share_nodes(database_url: str, tmp_path: Path) -> None:
    other = tmp_path / "other.txt"
    other.write_text(
        "Kyiv, 30 July 2024\n\nRussia Today (RT) said on Tuesday that the convoy was hit, "
        "citing the Wagner-affiliated Telegram channel GREY ZONE.\n",
        encoding="utf-8",
    )
    first = by_name(run_trace(database_url, SEED))
    second = by_name(run_trace(database_url, other))
    assert first["GREY ZONE"]["id"] == second["GREY ZONE"]["id"]
    assert first["Russia Today"]["id"] == second["Russia Today"]["id"]


def test_example_traces_offline(database_url: str) -> None:
    chain = run_trace(database_url, EXAMPLES / "harbour-ledger-grain-terminal.html")
    kinds = {n["kind"] for n in chain["nodes"]}
    assert {"article", "post", "person", "outlet", "channel", "document", "organization"} <= kinds
    platforms = {n["platform"] for n in chain["nodes"]}
    assert {"x", "telegram", "youtube", "tiktok", "instagram", "facebook", "vk"} <= platforms
    assert chain["first_appearance"]["method"] == "snowflake-id"


def test_depth_zero_and_json_contract(database_url: str) -> None:
    chain = run_trace(database_url, SEED, depth=0)
    assert set(chain) >= {"input", "root", "nodes", "edges", "first_appearance"}
    for node in chain["nodes"]:
        assert set(node) >= {
            "id",
            "kind",
            "platform",
            "name",
            "url",
            "canonical_url",
            "handle",
            "platform_id",
            "published_at",
            "published_at_method",
            "captures",
            "status",
        }
        assert node["id"].startswith("n")
    for item in chain["edges"]:
        assert set(item) >= {"source", "target", "relation", "evidence", "start", "end"}


def cli(*args: str, database_url: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    # in the suite's whole environment, its TRACER_ settings included
    return tracer(*args, db=database_url, stdin=stdin, env=os.environ, inherit=False, timeout=180)


def test_cli_trace_show_and_errors(database_url: str, tmp_path: Path) -> None:
    Store.open_upgraded(database_url).close()
    result = cli("trace", "--offline", "-f", "json", str(SEED), database_url=database_url)
    assert result.returncode == 0, result.stderr
    chain = json.loads(result.stdout)
    tweet = next(n["id"] for n in chain["nodes"] if n["kind"] == "post")

    shown = cli("show", chain["root"], "-f", "json", database_url=database_url)
    assert json.loads(shown.stdout)["nodes"] == chain["nodes"]
    markdown = cli("show", tweet, "-f", "md", database_url=database_url)
    assert markdown.returncode == 0 and "Tendar" in markdown.stdout
    text_tree = cli("trace", "--offline", str(SEED), database_url=database_url)
    assert "GREY ZONE" in text_tree.stdout and "first appearance" in text_tree.stdout.lower()

    piped = cli(
        "trace", "--offline", "-f", "json", "-", database_url=database_url, stdin=SEED.read_text()
    )
    assert piped.returncode == 0 and by_name(json.loads(piped.stdout))["GREY ZONE"]

    out = tmp_path / "chain.html"
    assert (
        cli(
            "trace",
            "--offline",
            "-f",
            "html",
            "--out",
            str(out),
            str(SEED),
            database_url=database_url,
        ).returncode
        == 0
    )
    assert "GREY ZONE" in out.read_text()

    for bad in (
        ("trace", "--offline", str(tmp_path / "missing.html")),
        ("trace", "--offline", "https://news.example/a"),
        ("trace", "--offline", "-f", "yaml", str(SEED)),
        ("trace", "--depth", "-1", "--offline", str(SEED)),
        ("show", "n999999"),
    ):
        failed = cli(*bad, database_url=database_url)
        assert failed.returncode == 2, (bad, failed.stderr)
        assert len(failed.stderr.strip().splitlines()) == 1, failed.stderr
        assert "Traceback" not in failed.stderr


@pytest.mark.parametrize("depth", [0, 1])
def test_failed_trace_is_recorded_and_loses_nothing(
    database_url: str, tmp_path: Path, depth: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_trace(database_url, SEED)
    before = stored_rows(database_url)
    # an input that cannot be read is refused before anything is stored, the run included
    with pytest.raises(InputError):
        run_trace(database_url, tmp_path / "missing.txt", depth=depth)
    assert stored_rows(database_url) == before

    async def broken(*args: Any) -> None:
        raise InputError("the store went away")

    # a trace that fails once it has started is recorded as failed
    monkeypatch.setattr(Tracer, "_follow", broken)
    with pytest.raises(InputError):
        run_trace(database_url, SEED, depth=depth)
    assert stored_rows(database_url) == before
    store = Store.open_upgraded(database_url)
    with store.engine.connect() as connection:
        statuses = sorted(r[0] for r in connection.execute(text("SELECT status FROM trace")))
    assert statuses == ["done", "failed"]
