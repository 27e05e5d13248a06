"""`tracer captures` from the command line, against fakeweb archives."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.fakeweb import FakeWeb, Response
from tests.fakeweb.archives import (
    AVAILABILITY_HOST,
    WAYBACK_HOST,
    Availability,
    MementoSite,
    WaybackCDX,
    cdx_lines,
    load_cassette,
)
from tracer.cli import main

CNN = "http://www.cnn.com/"


@pytest.fixture
def world(fakeweb: FakeWeb, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> FakeWeb:
    """Wayback with real CNN rows, a Memento archive, and a user archive list pointing at it."""
    fakeweb.add(WAYBACK_HOST, WaybackCDX(listings={CNN: cdx_lines("zero_length_cdx.txt")}))
    fakeweb.add(AVAILABILITY_HOST, Availability({CNN: [("20100216000000", 200)]}))
    site = MementoSite("memento.example.org", {CNN: []})
    fakeweb.add(site.host, site)
    archive_list = tmp_path / "archives.toml"
    archive_list.write_text(
        "[defaults]\nrequests_per_minute = 60000\nconcurrency = 4\n"
        "[wayback]\n"  # the shipped wayback table, at test speed
        '[example]\ntimemap = "https://memento.example.org/timemap/link/{url}"\n'
        '[broken]\ntimemap = "https://broken.example.org/timemap/link/{url}"\nmax_attempts = 1\n'
    )
    for name, value in fakeweb.env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("TRACER_ARCHIVE_LIST", str(archive_list))
    monkeypatch.setenv("TRACER_DB_URL", f"sqlite:///{tmp_path / 'tracer.db'}")
    fakeweb.add("broken.example.org", lambda r: Response(503, "down", content_type="text/plain"))
    return fakeweb


#: `tracer captures ARGS...` run in this process: its exit code, output and errors
Captures = Callable[..., tuple[int, str, str]]


@pytest.fixture
def captures(world: FakeWeb, capsys: pytest.CaptureFixture[str]) -> Captures:
    """`tracer captures` against the world, in this process."""

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["captures", *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_json_shape_and_errors(captures: Captures) -> None:
    code, out, err = captures(
        CNN,
        "--json",
        "--archive",
        "wayback",
        "--archive",
        "example",
        "--archive",
        "broken",
    )
    assert code == 0, err
    (result,) = json.loads(out)
    assert result["url"] == CNN
    assert set(result["errors"]) == {"broken"} and "503" in result["errors"]["broken"]
    captures = result["captures"]
    assert len(captures) == 5
    assert set(captures[0]) == {"archive", "url", "captured_at", "status", "digest"}
    first_line = cdx_lines("zero_length_cdx.txt").decode().splitlines()[0].split()
    assert captures[0] == {
        "archive": "wayback",
        "url": f"https://web.archive.org/web/{first_line[1]}/{first_line[2]}",
        "captured_at": "2010-02-15T13:18:36Z",
        "status": 200,
        "digest": first_line[5],
    }
    assert [c["captured_at"] for c in captures] == sorted(c["captured_at"] for c in captures)


def test_earliest_and_storage(world: FakeWeb, captures: Captures) -> None:
    code, out, _ = captures(CNN, "--json", "--earliest", "--archive", "wayback")
    assert code == 0
    (result,) = json.loads(out)
    assert [c["captured_at"] for c in result["captures"]] == ["2010-02-15T13:18:36Z"]
    requests = len(world.seen(WAYBACK_HOST))
    code, out, _ = captures(CNN, "--archive", "wayback")
    assert code == 0
    assert len(world.seen(WAYBACK_HOST)) == requests  # answered from the database
    assert "first appearance: 2010-02-15T13:18:36Z in wayback" in out
    assert "wayback: 5 captures (stored)" in out


def test_text_output_lists_each_capture(captures: Captures) -> None:
    code, out, _ = captures(CNN, "https://nowhere.example/", "--archive", "wayback")
    assert code == 0
    assert out.count("  200  https://web.archive.org/web/2010") == 5
    assert "https://nowhere.example/\n  no captures found" in out


def test_blocked_site_in_json(fakeweb: FakeWeb, captures: Captures) -> None:
    blocked = load_cassette("test_search_raises_for_blocked_urls")[0]
    fakeweb.add(WAYBACK_HOST, lambda request: blocked.response())
    code, out, err = captures("https://nationalpost.com/health", "--json", "--archive", "wayback")
    # the only archive asked refused to answer: the look-up failed, though the JSON is whole
    assert code == 1
    assert err == "tracer: every archive failed for https://nationalpost.com/health\n"
    (result,) = json.loads(out)
    assert result["captures"] == []
    assert "Blocked Site Error" in result["errors"]["wayback"]


def test_near_uses_the_availability_api(world: FakeWeb, captures: Captures) -> None:
    code, out, _ = captures(CNN, "--json", "--near", "2010-03-01", "--archive", "wayback")
    assert code == 0
    (result,) = json.loads(out)
    assert result["captures"][0]["captured_at"] == "2010-02-16T00:00:00Z"
    assert world.seen(AVAILABILITY_HOST)[0].arg("timestamp") == "20100301000000"


def test_window_options(world: FakeWeb, captures: Captures) -> None:
    code, _, _ = captures(
        CNN,
        "--archive",
        "wayback",
        "--from",
        "2010-02-16",
        "--to",
        "2010-02-18",
    )
    assert code == 0
    sent = world.seen(WAYBACK_HOST, "/cdx/search/cdx")[-1]
    assert (sent.arg("from"), sent.arg("to")) == ("20100216000000", "20100217235959")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--archive", "nope"], "unknown archive nope"),
        (["--near", "yesterday"], "is not a date"),
    ],
)
def test_bad_input_is_one_line(captures: Captures, args: list[str], message: str) -> None:
    code, out, err = captures(CNN, *args)
    assert code == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1


def test_not_a_url(captures: Captures) -> None:
    code, _, err = captures("ftp://x/y", "--archive", "wayback")
    assert code == 2 and "not a web URL" in err


def test_exit_1_only_when_every_archive_failed(captures: Captures) -> None:
    # answered with no captures (the Memento archive) is an answer, not a failure
    code, out, err = captures("https://nowhere.example/", "--archive", "example")
    assert (code, err) == (0, "")
    assert "no captures found" in out
    code, _, err = captures(CNN, "--archive", "broken", "--archive", "example")
    assert (code, err) == (0, "")
    # every archive asked failed: exit 1, one line naming the URL
    code, out, err = captures("https://nowhere.example/", "--archive", "broken")
    assert code == 1
    assert err == "tracer: every archive failed for https://nowhere.example/\n"
    assert "broken: error:" in out
