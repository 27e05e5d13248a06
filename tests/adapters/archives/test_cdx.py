"""The CDX reader against the real listings the Internet Archive sent."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from itertools import pairwise

from adapters.archives.cdx import (
    distinct,
    parse_json,
    parse_line,
    parse_response,
    parse_text,
    parse_timestamp,
)
from tests.fakeweb.archives import cdx_lines, load_cassette, wayback_record_lines


def _text(name: str) -> str:
    return cdx_lines(name).decode("utf-8")


def test_plain_lines_give_every_field() -> None:
    page = parse_text(_text("zero_length_cdx.txt"))
    first = page.records[0]
    raw = _text("zero_length_cdx.txt").splitlines()[0].split()
    assert first.urlkey == raw[0]
    assert first.timestamp == raw[1]
    assert first.captured_at == datetime.strptime(raw[1], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    assert first.original == raw[2]
    assert first.mimetype == raw[3]
    assert first.status == int(raw[4])
    assert first.digest == raw[5]
    assert first.length == int(raw[6])


def test_zero_length_record_keeps_the_capture() -> None:
    lines = _text("zero_length_cdx.txt").splitlines()
    page = parse_text(_text("zero_length_cdx.txt"))
    assert len(page.records) == len(lines)
    assert lines[-1].split()[-1] == "-"
    assert page.records[-1].length is None
    assert page.records[-1].status == 200


def test_malformed_lines_are_skipped_not_fatal() -> None:
    text = _text("malformed_cdx.txt")
    page = parse_text(text)
    lines = text.splitlines()
    # the line whose original is not a URL is dropped; the odd but real ones stay
    assert page.skipped == 1
    assert len(page.records) == len(lines) - 1
    assert all("://" in r.original for r in page.records)
    huge = [r for r in page.records if "data:image" in r.original]
    assert len(huge) == 1 and huge[0].status == 404


def test_out_of_range_timestamps_are_repaired_the_archive_way() -> None:
    page = parse_text(_text("bad_timestamp_cdx.txt"))
    by_stamp = {r.timestamp: r.captured_at for r in page.records}
    assert len(by_stamp) == len(_text("bad_timestamp_cdx.txt").splitlines())
    # a month of 00 reads as January; an hour of 24 carries into the next day
    assert by_stamp["20000012170449"] == datetime(2000, 1, 12, 17, 4, 49, tzinfo=UTC)
    assert by_stamp["20000800241623"] == datetime(2000, 8, 2, 0, 16, 23, tzinfo=UTC)


def test_timestamp_edge_cases() -> None:
    assert parse_timestamp("2019") == datetime(2019, 1, 1, tzinfo=UTC)
    assert parse_timestamp("20190301") == datetime(2019, 3, 1, tzinfo=UTC)
    assert parse_timestamp("2019130101") is None
    assert parse_timestamp("abc") is None
    assert parse_timestamp("") is None


def test_resume_keys_of_a_real_fifteen_page_listing() -> None:
    interactions = load_cassette("test_search_multipage")
    assert len(interactions) == 15
    for current, following in pairwise(interactions):
        page = parse_text(current.body.decode())
        assert page.resume_key == following.query["resumeKey"][0]
        assert page.records
    last = parse_text(interactions[-1].body.decode())
    assert last.resume_key is None and last.records == []


def test_repeated_rows_are_listed_once() -> None:
    interactions = load_cassette("test_search")
    page = parse_text(interactions[0].body.decode())
    rows = wayback_record_lines(interactions)
    assert len(page.records) == len(rows)
    assert len(list(distinct(page.records))) == len(set(rows))
    assert len(set(rows)) < len(rows)  # the real answer repeats itself


def test_revisit_rows_have_no_status() -> None:
    page = parse_text(load_cassette("test_search_with_date")[0].body.decode())
    revisits = [r for r in page.records if r.mimetype == "warc/revisit"]
    assert revisits and all(r.status is None for r in revisits)


def test_json_output_with_header_row_and_resume_key() -> None:
    text = _text("zero_length_cdx.txt")
    header = ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]
    rows = [header, *[line.split() for line in text.splitlines()], [], ["next-key"]]
    page = parse_response(json.dumps(rows))
    assert page.resume_key == "next-key"
    assert [r.timestamp for r in page.records] == [r.timestamp for r in parse_text(text).records]
    assert parse_json([]).records == []
    assert parse_json([["not", 1], ["x"]]).records == []


def test_cdxj_and_ndjson_lines() -> None:
    ndjson = '{"urlkey": "k", "timestamp": "20200101000000", "url": "http://a.example/", "status": "404", "mime": "text/html", "digest": "D", "length": "12"}'
    record = parse_line(ndjson)
    assert record is not None and record.status == 404 and record.original == "http://a.example/"
    cdxj = 'k 20200101000000 {"url": "http://a.example/", "status": "200"}'
    record = parse_line(cdxj)
    assert record is not None and record.status == 200 and record.digest is None
    assert parse_line("k 20200101000000 {not json") is None
    assert parse_line("{]") is None
    assert parse_line("") is None
    assert parse_line("only two") is None
