"""Every installed plug-in keeps its contract: one test over each entry point, so a new
adapter (built in or third-party) is checked without a test of its own for it."""

from __future__ import annotations

from importlib.metadata import EntryPoint
from urllib.parse import urlsplit

import pytest

from tracer.http.client import HTTPClient
from tracer.plugins.archive import ArchiveClient, ArchiveConfig
from tracer.plugins.loader import ARCHIVES, PLATFORMS, SAVERS, installed
from tracer.plugins.platform import (
    ChannelHistory,
    EmbedReader,
    LinkParts,
    LinkShapes,
    PlatformAdapter,
    Profiles,
)
from tracer.plugins.saver import Saver
from tracer.settings import load_settings
from tracer.urls import host_of


def entries(group: str) -> list[EntryPoint]:
    found = sorted(installed(group).values(), key=lambda entry: entry.name)
    assert found, f"no {group} entry points installed"
    return found


@pytest.mark.parametrize("entry", entries(PLATFORMS), ids=lambda entry: entry.name)
def test_platform_adapter(entry: EntryPoint) -> None:
    adapter = entry.load()()
    assert isinstance(adapter, PlatformAdapter)
    # registered under its platform's name: link-rot loads only the adapters it meets
    assert adapter.name == entry.name
    assert adapter.parse("not a url at all") is None
    if isinstance(adapter, LinkShapes):
        assert adapter.hosts and all(host == host.lower() for host in adapter.hosts)
        for host in adapter.hosts:
            link = f"https://{host}/"
            shape = adapter.shape(LinkParts(link, host, urlsplit(link), []))
            assert shape.platform == adapter.name
    if isinstance(adapter, EmbedReader):
        assert adapter.embed_paths
    if isinstance(adapter, Profiles):
        assert "{handle}" in adapter.profile.url
        assert host_of(adapter.profile.url.format(handle="someone"))
    if isinstance(adapter, ChannelHistory):
        assert callable(adapter.history_page)


@pytest.mark.parametrize("entry", entries(ARCHIVES), ids=lambda entry: entry.name)
def test_archive_adapter(entry: EntryPoint) -> None:
    archive = entry.load()(ArchiveConfig(name=f"contract-{entry.name}", kind=entry.name))
    assert isinstance(archive, ArchiveClient)
    archive.prepare(HTTPClient(load_settings().http))


@pytest.mark.parametrize("entry", entries(SAVERS), ids=lambda entry: entry.name)
def test_saver(entry: EntryPoint) -> None:
    saver = entry.load().from_settings(load_settings().preserve)
    assert isinstance(saver, Saver)
    assert saver.name == entry.name
