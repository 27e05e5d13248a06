"""Against a real archive: pywb over WARC files these tests write with warcio."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.archives.memento import MementoArchive
from tests.conftest import fast_archive as fast
from tests.pywb_archive import PywbArchive, pywb_archive, pywb_bin, sample_captures, skip_reason
from tracer.cli import main
from tracer.http.client import HTTPClient
from tracer.http.settings import HTTPSettings
from tracer.locate.locator import Locator
from tracer.plugins.archive import ArchiveConfig

# read when the module is collected: each test's environment is scrubbed of TRACER_*
PYWB_BIN = pywb_bin()
pytestmark = [
    pytest.mark.pywb,
    pytest.mark.skipif(PYWB_BIN is None, reason=skip_reason()),
]

NEWS = "http://news.example.com/story/1"


@pytest.fixture(scope="module")
def pywb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PywbArchive]:
    yield from pywb_archive(tmp_path_factory.mktemp("pywb"), bin_dir=PYWB_BIN)


def config(archive: PywbArchive, with_cdx: bool = True) -> ArchiveConfig:
    return fast(
        ArchiveConfig(
            name="pywb",
            timemap=archive.timemap_template,
            timegate=archive.timegate_template,
            cdx=archive.cdx_endpoint if with_cdx else "",
        )
    )


@pytest.fixture
async def http() -> AsyncIterator[HTTPClient]:
    # pywb listens on loopback, which the private-address guard refuses unless allowed
    settings = HTTPSettings(allow_networks=["127.0.0.1/32"], per_host_interval=0)
    async with HTTPClient(settings) as client:
        yield client


async def test_timemap_lists_what_was_written(pywb: PywbArchive, http: HTTPClient) -> None:
    for url in {c.url for c in pywb.captures}:
        found = await MementoArchive(config(pywb)).captures(url, http)
        written = pywb.of(url)
        assert [m.captured_at for m in found] == [w.at for w in written]
        assert [m.status for m in found] == [w.status for w in written]
        assert all(m.url.startswith(pywb.base + "/") and m.digest for m in found)
        assert all(f"/{w.timestamp}" in m.url for m, w in zip(found, written, strict=True))


async def test_timemap_alone_does_not_know_the_404(pywb: PywbArchive, http: HTTPClient) -> None:
    found = await MementoArchive(config(pywb, with_cdx=False)).captures(NEWS, http)
    assert len(found) == len(pywb.of(NEWS))
    assert all(m.status is None for m in found)


async def test_earliest_capture_is_the_first_2xx(pywb: PywbArchive, http: HTTPClient) -> None:
    located = await Locator([MementoArchive(config(pywb))], http).locate(NEWS)
    written = pywb.of(NEWS)
    assert [w.status for w in written[:3]] == [404, 302, 200]
    assert located.captures[0].captured_at == written[0].at
    assert located.earliest is not None
    assert located.earliest.captured_at == written[2].at
    assert located.earliest.status == 200


async def test_timegate_picks_the_nearest_written_capture(
    pywb: PywbArchive, http: HTTPClient
) -> None:
    archive = MementoArchive(config(pywb))
    for target in pywb.captures:
        shifts = (timedelta(0), timedelta(minutes=-5), timedelta(minutes=5))
        for shift in shifts if target.url == NEWS else shifts[:1]:
            memento = await archive.nearest(target.url, target.at + shift, http)
            assert memento is not None
            assert memento.captured_at == target.at, (target, shift)
            assert target.timestamp in memento.url
    before = await archive.nearest(NEWS, datetime(1990, 1, 1, tzinfo=UTC), http)
    assert before is not None and before.captured_at == pywb.of(NEWS)[0].at


async def test_unknown_url_has_no_captures(pywb: PywbArchive, http: HTTPClient) -> None:
    located = await Locator([MementoArchive(config(pywb))], http).locate("http://nothing.example/")
    assert located.captures == [] and located.errors == {}


def test_cli_against_pywb(
    pywb: PywbArchive,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    archive_list = tmp_path / "archives.toml"
    archive_list.write_text(pywb.archive_list_entry(requests_per_minute=6000))
    monkeypatch.setenv("TRACER_ARCHIVE_LIST", str(archive_list))
    monkeypatch.setenv("TRACER_HTTP__ALLOW_NETWORKS", '["127.0.0.1/32"]')
    monkeypatch.setenv("TRACER_DB_URL", f"sqlite:///{tmp_path / 'tracer.db'}")
    code = main(["captures", NEWS, "--archive", "pywb", "--json", "--earliest"])
    out, err = capsys.readouterr()
    assert code == 0, err
    (result,) = json.loads(out)
    assert result["errors"] == {}
    (earliest,) = result["captures"]
    assert earliest["captured_at"] == pywb.of(NEWS)[2].at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert earliest["status"] == 200


def test_sample_has_redirect_and_404() -> None:
    statuses = {c.status for c in sample_captures()}
    assert {200, 301, 302, 404} <= statuses
