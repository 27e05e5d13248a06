"""Every path that fetches URLs taken from pages refuses private destinations, end to end:
trace following, the platform adapters' enrich (a t.co link into the intranet), the
nightly check and preserve's snapshots. Each run completes and records the refusal.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli import tracer
from tests.fakeweb import FakeWeb, redirect
from tests.fakeweb.hostile import ShortLinks, hostile_article
from tests.hostile.cli import environment, ok_json, rows
from tests.hostile.test_network_safety import FORBIDDEN, FORBIDDEN_URLS

ARTICLE = "https://news.example/2024/07/29/figures"
METADATA = "http://169.254.169.254/latest/meta-data/iam/security-credentials/"


@pytest.fixture
def hostile_world(fakeweb: FakeWeb) -> list[str]:
    links = [*FORBIDDEN_URLS, "https://redirector.example/go"]
    fakeweb.page(ARTICLE, hostile_article(ARTICLE, links, short_code="EvIl1234"))
    fakeweb.page("https://redirector.example/go", redirect(METADATA, 302))
    ShortLinks({"EvIl1234": METADATA}).install(fakeweb)
    return links


def _forbidden_requests(web: FakeWeb) -> list[str]:
    hosts = {host.lower() for host in FORBIDDEN}
    return [r.url for r in web.seen() if r.host in hosts]


def test_trace_check_and_archive_never_reach_private_space(
    fakeweb: FakeWeb, hostile_world: list[str], tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'tracer.db'}"
    env = environment(fakeweb, tmp_path)

    traced = ok_json(tracer("trace", ARTICLE, "--format", "json", "--depth", "2", db=db, env=env))
    by_url = {n["canonical_url"] or n["url"]: n for n in traced["nodes"]}
    refused = [n for n in traced["nodes"] if n["status"] == "error"]
    # every forbidden link became a node with the refusal as its error
    assert len(refused) >= len(FORBIDDEN_URLS), [n["canonical_url"] for n in refused]
    assert all(n["error"] for n in refused)
    # the t.co link was expanded (one request to t.co) into a node that was never fetched
    assert [r.path for r in fakeweb.seen("t.co")] == ["/EvIl1234"]
    assert any((url or "").startswith("http://169.254.169.254") for url in by_url)

    checked = ok_json(tracer("check", "--json", db=db, env=env))
    outcomes = {link["url"]: link["outcome"] for link in checked["links"]}
    # the pic.twitter.com link is checked by the X adapter through t.co, which answers
    inside = {u: o for u, o in outcomes.items() if "news.example" not in u and "twitter" not in u}
    assert inside and set(inside.values()) <= {"blocked", "connection-failed"}, inside
    assert any(o == "blocked" for o in inside.values())

    archived = ok_json(tracer("archive", "--pending", "--json", db=db, env=env))
    for entry in archived:
        if "news.example" not in entry["url"]:
            assert entry["snapshot"] is None, entry

    assert _forbidden_requests(fakeweb) == []
    # the only hosts ever contacted are public: the article's, the redirector, X's
    allowed = {"news.example", "redirector.example", "t.co", "pic.twitter.com"}
    assert {r.host for r in fakeweb.seen()} <= allowed
    # and the refusals are on record
    errors = rows(db, "SELECT error FROM node WHERE status = 'error'")
    assert any("not a public address" in (e or "") for (e,) in errors)
