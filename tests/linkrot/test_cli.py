"""`tracer watch` and `tracer check` from the command line: output, report files, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import select

from tests.fakeweb.linkrot import LinkWorld
from tracer.cli import main
from tracer.store.model import CheckState, Node
from tracer.store.upserts import Store


@pytest.fixture
def cli_env(world: LinkWorld, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    for name, value in world.web.env(
        TRACER_CHECK__ARCHIVE_MISSING="false", TRACER_HTTP__MAX_ATTEMPTS="1"
    ).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("TRACER_DB_URL", db)
    return db


def test_watch_from_files_and_check_json(
    cli_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listing = tmp_path / "links.txt"
    listing.write_text("# my links\nhttps://news.test/article/1\n\nhttps://news.test/gone\n")
    table = tmp_path / "links.csv"
    table.write_text(
        'title,url\n"A, story",https://moved.test/old-story\nagain,https://news.test/gone\n'
    )
    assert main(["watch", "--from", str(listing)]) == 0
    assert main(["watch", "--json", "--from", str(table), "https://soft.test/real-story"]) == 0
    out = capsys.readouterr().out
    watched = json.loads(out.splitlines()[-1])
    assert [(w["url"], w["new"]) for w in watched] == [
        ("https://soft.test/real-story", True),
        ("https://moved.test/old-story", True),
        ("https://news.test/gone", False),  # already watched from the first file
    ]
    store = Store.open(cli_env)
    with store.session() as session:
        nodes = session.exec(select(Node)).all()
        assert {(n.kind, n.platform) for n in nodes} == {("page", "web")}
        assert len(session.exec(select(CheckState)).all()) == 4
    store.close()

    assert main(["check", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["checked"] == 4
    assert report["outcomes"]["alive"] == 2 and report["outcomes"]["not-found"] == 1
    assert set(report["outcomes"]) >= {"alive", "soft-404", "post-deleted", "video-unavailable"}
    link = next(x for x in report["links"] if x["url"] == "https://moved.test/old-story")
    assert link == {
        "url": "https://moved.test/old-story",
        "outcome": "moved-to-unrelated",
        "status_code": 200,
        "final_url": "https://moved.test/",
        "dead": False,
        "archived": None,
    }
    # everything is checked: the next run has nothing due
    assert main(["check", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["checked"] == 0


def test_check_fail_on_and_report_files(
    cli_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["watch", "https://news.test/article/1", "https://news.test/gone"]) == 0
    assert capsys.readouterr().out == "watching 2 links (2 newly added)\n"
    markdown, as_json = tmp_path / "night.md", tmp_path / "night.json"
    code = main(["check", "--report", str(markdown), "--fail-on", "not-found,new-dead"])
    captured = capsys.readouterr()
    assert code == 1
    assert "failing on: not-found" in captured.err
    assert "| not-found | 1 |" in captured.out
    assert markdown.read_text() == captured.out

    assert main(["-q", "watch", "https://news.test/article/2"]) == 0
    code = main(["check", "--json", "--report", str(as_json), "--fail-on", "dead,failing"])
    captured = capsys.readouterr()
    assert code == 0  # nothing dead yet, and the one new link is alive
    assert json.loads(as_json.read_text()) == json.loads(captured.out)
    assert captured.err == ""


def test_bad_input_is_one_line_and_exit_2(
    cli_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--fail-on", "dead,sideways"]) == 2
    assert "unknown condition 'sideways'" in capsys.readouterr().err
    assert main(["watch", "ftp://example.test/file"]) == 2
    assert "not a web URL" in capsys.readouterr().err
    assert main(["watch", "--from", str(tmp_path / "missing.txt")]) == 2
    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_text("title,link\na,https://x.test/\n")
    assert main(["watch", "--from", str(bad_csv)]) == 2
    assert "needs a 'url' column" in capsys.readouterr().err
    assert main(["watch"]) == 2
