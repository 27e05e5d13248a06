"""The link-format parser against real Link headers and the shapes TimeMaps take."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.archives.link_format import format_http_date, http_date, parse_links
from tests.fakeweb.archives import load_cassette


def test_real_wayback_link_header() -> None:
    header = load_cassette("test_get_memento")[0].header("link")
    assert header is not None
    links = parse_links(header)
    rels = {frozenset(link.rels): link for link in links}
    assert frozenset({"original"}) in rels
    assert frozenset({"timemap"}) in rels
    assert rels[frozenset({"timemap"})].params["type"] == "application/link-format"
    first = rels[frozenset({"first", "memento"})]
    # the datetime holds a comma inside its quotes: it must not split the entry
    assert first.datetime == datetime(2005, 3, 23, 15, 53, tzinfo=UTC)
    assert first.target.startswith("https://web.archive.org/web/20050323155300/")
    mementos = [link for link in links if link.has_rel("memento")]
    assert len(mementos) == 5
    assert all(link.datetime is not None for link in mementos)


def test_every_recorded_link_header_parses() -> None:
    names = [
        "test_get_memento_with_redirects",
        "test_get_memento_raises_for_mementos_that_redirect_in_a_loop",
        "test_get_memento_with_path_based_redirects",
        "test_get_memento_works_on_archived_rate_limit_responses",
    ]
    seen = 0
    for name in names:
        for interaction in load_cassette(name):
            header = interaction.header("link")
            if header is None:
                continue
            links = parse_links(header)
            seen += 1
            assert any(link.has_rel("original") for link in links)
            memento = [lk for lk in links if lk.rels == {"memento"}]
            assert len(memento) == 1
            assert memento[0].datetime == http_date(interaction.header("memento-datetime"))
    assert seen >= 5


def test_quoted_commas_semicolons_and_escapes() -> None:
    text = (
        '<http://a.example/x?q=1,2;3>; rel="memento"; datetime="Mon, 01 Jan 2018 00:00:00 GMT"; '
        'title="a \\"quoted\\", title; with; semis",\n'
        '<http://a.example/y>;rel=memento;datetime="Tue, 02 Jan 2018 00:00:00 GMT"'
    )
    links = parse_links(text)
    assert [link.target for link in links] == ["http://a.example/x?q=1,2;3", "http://a.example/y"]
    assert links[0].params["title"] == 'a "quoted", title; with; semis'
    assert links[1].rels == {"memento"}
    assert links[1].datetime == datetime(2018, 1, 2, tzinfo=UTC)


def test_several_rels_from_until_and_case() -> None:
    text = (
        '<http://t.example/timemap/2>; REL="TimeMap Next"; type="application/link-format"; '
        'from="Sat, 01 Jan 2000 00:00:00 GMT"; until="Sun, 31 Dec 2000 23:59:59 GMT"'
    )
    (link,) = parse_links(text)
    assert link.rels == {"timemap", "next"}
    assert http_date(link.params["from"]) == datetime(2000, 1, 1, tzinfo=UTC)
    assert http_date(link.params["until"]) == datetime(2000, 12, 31, 23, 59, 59, tzinfo=UTC)


def test_malformed_input_never_raises() -> None:
    assert parse_links("") == []
    assert parse_links("<html><body>captcha</body></html>")[0].params == {}
    assert parse_links('<http://a/>; rel="memento; datetime="x') != []
    assert parse_links("<http://a/") == []
    # entries run together without a comma still come apart
    links = parse_links('<http://a/>; rel="original" <http://b/>; rel="timegate"')
    assert [link.target for link in links] == ["http://a/", "http://b/"]
    assert http_date("not a date") is None


def test_http_date_round_trip() -> None:
    when = datetime(2024, 7, 28, 12, 30, 5, tzinfo=UTC)
    assert http_date(format_http_date(when)) == when
