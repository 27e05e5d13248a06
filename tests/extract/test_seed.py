"""The golden test: the article the product was specified from (DESIGN, "The running example")."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import SEEDS
from tests.extract.helpers import assert_evidence_exact
from tracer.extract import Document, Reference, extract, read_document
from tracer.store.model import NodeKind, Precision, Relation

SEED = SEEDS / "000_a004ba6b9b170559.txt"

#: sources a reader may fairly list besides the ones the issue names; nothing else may appear
ACCEPTED_EXTRAS = {
    "Main Intelligence Directorate",  # HUR, as an organisation of its own
    "HUR",
    "Ukraine's Defense Intelligence",  # HUR again, as RT names it
}


@pytest.fixture(scope="module")
def seed() -> tuple[Document, list[Reference]]:
    document = read_document(str(SEED))
    return document, extract(document)


def named(references: list[Reference], name: str) -> Reference:
    matches = [r for r in references if r.name == name or name in r.aliases]
    assert len(matches) == 1, f"{name}: {matches}"
    return matches[0]


def test_reads_the_pasted_text_with_its_dateline(seed: tuple[Document, list[Reference]]) -> None:
    document, _ = seed
    assert document.html is None
    assert document.dating is not None and document.dating.at.date() == date(2024, 7, 29)
    assert document.dating.method == "text-dateline"
    assert document.language == "en"


def test_the_embedded_tweet_survives_as_its_signature(
    seed: tuple[Document, list[Reference]],
) -> None:
    _, references = seed
    tweets = [r for r in references if r.kind == NodeKind.POST and r.platform == "x"]
    assert len(tweets) == 1
    tweet = tweets[0]
    assert tweet.relation == Relation.EMBEDS
    assert tweet.handle == "Tendar"
    assert tweet.display_name == "(((Tendar)))"
    assert tweet.dating is not None and tweet.dating.at.date() == date(2024, 7, 28)
    assert tweet.dating.precision == Precision.DAY
    assert tweet.dating.method == "embed-signature"
    assert tweet.evidence == "— (((Tendar))) (@Tendar) July 28, 2024"
    assert tweet.attachments == ["https://pic.twitter.com/hIF4H7QWW1"]
    start, end = tweet.attachment_spans["https://pic.twitter.com/hIF4H7QWW1"]
    assert seed[0].text[start:end] == "pic.twitter.com/hIF4H7QWW1"
    # the media link belongs to the tweet, not to the article's own links
    assert not [r for r in references if r.url and "hIF4H7QWW1" in r.url]


def test_rt_is_cited_by_the_article(seed: tuple[Document, list[Reference]]) -> None:
    _, references = seed
    rt = named(references, "RT")
    assert rt.name == "Russia Today"
    assert rt.kind == NodeKind.OUTLET
    assert rt.relation == Relation.CITES
    assert rt.cited_by is None
    assert (
        rt.evidence is not None
        and "citing Wagner-affiliated Telegram channel GREY ZONE" in rt.evidence
    )


def test_grey_zone_is_cited_through_rt(seed: tuple[Document, list[Reference]]) -> None:
    _, references = seed
    grey_zone = named(references, "GREY ZONE")
    assert grey_zone.kind == NodeKind.CHANNEL
    assert grey_zone.platform == "telegram"
    assert grey_zone.descriptors == ["Wagner-affiliated"]
    assert grey_zone.cited_by is named(references, "RT")


def test_the_official_comes_with_his_organisation(seed: tuple[Document, list[Reference]]) -> None:
    _, references = seed
    yusov = named(references, "Andriy Yusov")
    assert yusov.kind == NodeKind.PERSON
    assert yusov.affiliation == "Main Intelligence Directorate (HUR)"
    assert yusov.evidence is not None and yusov.evidence.startswith(
        "Andriy Yusov, a representative"
    )


def test_the_report_and_the_organisation(seed: tuple[Document, list[Reference]]) -> None:
    _, references = seed
    report = named(references, "The Blood Gold Report")
    assert report.kind == NodeKind.DOCUMENT
    assert report.evidence is not None and "according to The Blood Gold Report" in report.evidence
    csp = named(references, "CSP-PSD")
    assert csp.kind == NodeKind.ORGANIZATION
    assert csp.name == "Permanent Strategic Framework for Peace, Security and Development"
    assert csp.evidence is not None and "shared photos and videos" in csp.evidence


def test_no_spurious_sources(seed: tuple[Document, list[Reference]]) -> None:
    _, references = seed
    expected = {
        "(((Tendar)))",
        "Russia Today",
        "GREY ZONE",
        "Andriy Yusov",
        "The Blood Gold Report",
    }
    expected.add("Permanent Strategic Framework for Peace, Security and Development")
    names = {r.name for r in references}
    assert expected <= names
    assert names - expected <= ACCEPTED_EXTRAS, names - expected
    # the outlet itself and its anonymous sources are never cited sources
    assert not [r for r in references if r.name and "Kyiv Post" in r.name]
    assert not [r for r in references if r.name and "source" in r.name.casefold()]


def test_evidence_is_exact(seed: tuple[Document, list[Reference]]) -> None:
    document, references = seed
    assert all(r.evidence for r in references)
    assert_evidence_exact(document, references)


def test_json_form_keeps_the_via_chain(seed: tuple[Document, list[Reference]]) -> None:
    from tracer.extract import references_as_dicts

    _, references = seed
    rows = references_as_dicts(references)
    grey = next(row for row in rows if row["name"] == "GREY ZONE")
    assert rows[grey["cited_by"]]["name"] == "Russia Today"
    tweet = next(row for row in rows if row["handle"] == "Tendar")
    assert tweet["published_at"] == "2024-07-28T00:00:00+00:00" and tweet["precision"] == "day"
