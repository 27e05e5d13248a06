"""The bundled example (examples/), in its HTML and its flattened text form."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.extract.helpers import assert_evidence_exact
from tracer.extract import Reference, extract, read_document
from tracer.store.model import NodeKind, Relation

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
HTML = EXAMPLES / "harbour-ledger-grain-terminal.html"
TEXT = EXAMPLES / "harbour-ledger-grain-terminal.txt"


def by_name(references: list[Reference]) -> dict[str, Reference]:
    return {r.name: r for r in references if r.relation == Relation.CITES and r.name}


@pytest.mark.parametrize("path", [HTML, TEXT], ids=["html", "text"])
def test_the_seed_shape_in_both_forms(path: Path) -> None:
    document = read_document(str(path))
    references = extract(document)
    assert_evidence_exact(document, references)
    cited = by_name(references)
    official = cited["Marta Kolyvan"]
    assert (official.kind, official.affiliation) == (
        NodeKind.PERSON,
        "Coastal Defence Directorate (CDD)",
    )
    assert cited["The Salt Route Report"].kind == NodeKind.DOCUMENT
    group = cited["Baltic Port Monitoring Group"]
    assert (group.kind, group.aliases) == (NodeKind.ORGANIZATION, ["BPMG"])
    outlet, channel = cited["Northwind Daily"], cited["IRON HARBOUR"]
    assert outlet.kind == NodeKind.OUTLET and outlet.descriptors == ["state-run"]
    assert (channel.kind, channel.platform, channel.descriptors) == (
        NodeKind.CHANNEL,
        "telegram",
        ["pro-government"],
    )
    assert channel.cited_by is outlet
    assert cited["Kyrill Moss"].descriptors == ["harbour pilot"]
    assert cited["Dockside Dispatch"].kind == NodeKind.POST
    tweet = next(
        r for r in references if r.handle == "harbour_watch" and r.relation == Relation.EMBEDS
    )
    assert tweet.dating is not None and tweet.dating.at.date() == date(2025, 3, 13)
    assert tweet.attachments == ["https://pic.twitter.com/Qm4rVt2Lxa"]
    german = next(r for r in references if r.handle == "jwehrbach_ships")
    assert german.dating is not None and german.dating.at.date() == date(2025, 3, 14)
    urls = {r.url for r in references}
    assert "https://cdd.example/briefings/2025-03-14" in urls and "https://t.me/ironharbour" in urls
    # the outlet, its anonymous sources and its own accounts are never references
    names = " ".join(r.label for r in references)
    assert "Harbour Ledger" not in names and "harbourledger" not in " ".join(str(u) for u in urls)
    assert not [r for r in references if r.name and "source" in r.name.casefold()]


def test_every_embed_kind_in_the_html() -> None:
    document = read_document(str(HTML))
    assert (document.outlet, document.author) == ("The Harbour Ledger", "Ilse Marwood")
    assert document.dating.method == "json-ld"
    assert (
        document.dating is not None
        and document.dating.at.isoformat() == "2025-03-14T07:20:00+00:00"
    )
    assert (
        document.canonical_url
        == "https://harbourledger.example/news/2025/03/14/vostrava-grain-terminal"
    )
    embeds = {r.url: r for r in extract(document) if r.relation == Relation.EMBEDS}
    assert set(embeds) == {
        "https://twitter.com/harbour_watch/status/1900256070857777728",
        "https://twitter.com/jwehrbach_ships/status/1900445678564401728",
        "https://x.com/i/status/1899929179386929728",
        "https://t.me/docksidedispatch/4821",
        "https://t.me/docksidedispatch/4817",
        "https://www.youtube.com/watch?v=Vq3Ld9xTe2A",
        "https://www.instagram.com/p/DHJ-iX3gexN/",
        "https://www.facebook.com/VostravaGrainTerminal/posts/pfbid02xQv7LmT9",
        "https://www.facebook.com/VostravaGrainTerminal/videos/918273645501/",
        "https://www.tiktok.com/@portcity_nights/video/7481234567890123456",
        "https://vk.com/wall-218830045_1377",
    }
    frame = embeds["https://x.com/i/status/1899929179386929728"]
    assert frame.dating is not None and frame.dating.at.date() == date(2025, 3, 12)
    assert frame.dating.method == "snowflake-id"
    assert embeds["https://www.instagram.com/p/DHJ-iX3gexN/"].handle == "brun_at_sea"
    # the comments widget (data-telegram-discussion) is not a cited post
    assert not [url for url in embeds if "harbourledger" in str(url)]
