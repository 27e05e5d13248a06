"""Table tests: one row per pattern and per language."""

from __future__ import annotations

from datetime import date

import pytest

from tests.extract.helpers import assert_evidence_exact
from tracer.extract import Reference, extract, text_document
from tracer.store.model import NodeKind, Relation


def refs(text: str) -> list[Reference]:
    document = text_document(text, source="<test>")
    references = extract(document)
    assert_evidence_exact(document, references)
    return references


def cited(text: str) -> list[tuple[str | None, NodeKind]]:
    return [(r.name, r.kind) for r in refs(text) if r.relation == Relation.CITES]


# -- tweet signatures --------------------------------------------------------------------

SIGNATURES = [
    ("en", "Wow.— Jane Roe (@janeroe) July 28, 2024", "janeroe", "Jane Roe", date(2024, 7, 28)),
    (
        "en short month",
        "— Jane Roe (@janeroe) Jul 8, 2024",
        "janeroe",
        "Jane Roe",
        date(2024, 7, 8),
    ),
    ("day first", "— Jane Roe (@janeroe) 28 July 2024", "janeroe", "Jane Roe", date(2024, 7, 28)),
    ("de", "— Max Muster (@maxm) 25. September 2018", "maxm", "Max Muster", date(2018, 9, 25)),
    ("de umlaut", "— Max Muster (@maxm) 6. März 2018", "maxm", "Max Muster", date(2018, 3, 6)),
    (
        "fr",
        "— Jeanne Dupont (@jdupont) 3 février 2021",
        "jdupont",
        "Jeanne Dupont",
        date(2021, 2, 3),
    ),
    ("es", "— Ana Ruiz (@anaruiz) 14 de enero de 2020", "anaruiz", "Ana Ruiz", date(2020, 1, 14)),
    (
        "it",
        "— Luca Bianchi (@lbianchi) 2 giugno 2022",
        "lbianchi",
        "Luca Bianchi",
        date(2022, 6, 2),
    ),
    ("pl", "— Jan Kowalski (@jkowal) 5 września 2019", "jkowal", "Jan Kowalski", date(2019, 9, 5)),
    (
        "ru",
        "— Иван Петров (@ipetrov) 5 сентября 2019 г.",
        "ipetrov",
        "Иван Петров",
        date(2019, 9, 5),
    ),
    (
        "uk",
        "— Олена Коваль (@okoval) 24 лютого 2022 р.",
        "okoval",
        "Олена Коваль",
        date(2022, 2, 24),
    ),
    ("iso", "— Jane Roe (@janeroe) 2024-07-28", "janeroe", "Jane Roe", date(2024, 7, 28)),
    ("en dash", "– Jane Roe (@janeroe) July 28, 2024", "janeroe", "Jane Roe", date(2024, 7, 28)),
    (
        "parentheses in name",
        "text— (((Tendar))) (@Tendar) July 28, 2024",
        "Tendar",
        "(((Tendar)))",
        date(2024, 7, 28),
    ),
    (
        "dashes in tweet text",
        "Drone — USS Ike — wow pic.twitter.com/AbCd1234 — S.L. Kan (@kan2030) November 5, 2023",
        "kan2030",
        "S.L. Kan",
        date(2023, 11, 5),
    ),
]


@pytest.mark.parametrize(
    ("label", "text", "handle", "display", "day"), SIGNATURES, ids=[s[0] for s in SIGNATURES]
)
def test_tweet_signatures(label: str, text: str, handle: str, display: str, day: date) -> None:
    tweets = [r for r in refs(text) if r.relation == Relation.EMBEDS]
    assert len(tweets) == 1
    tweet = tweets[0]
    assert (tweet.platform, tweet.kind, tweet.handle, tweet.display_name) == (
        "x",
        NodeKind.POST,
        handle,
        display,
    )
    assert tweet.dating is not None and tweet.dating.at.date() == day
    assert tweet.evidence and tweet.evidence.lstrip("—– ").startswith(display)


def test_signature_without_date_still_names_the_tweet() -> None:
    (tweet,) = refs("Quoted here.— Jane Roe (@janeroe)")
    assert tweet.handle == "janeroe" and tweet.dating is None


@pytest.mark.parametrize(
    ("text", "owner"),
    [
        # before the signature, on its line: the embed's own layout
        (
            "First.— A One (@aone) May 1, 2024\nGreat view pic.twitter.com/Xy12Ab34— B Two (@btwo) May 2, 2024",
            "btwo",
        ),
        # on the line after the signature: how pasted text moves a tweet's last line
        (
            "Look— A One (@aone) May 1, 2024\nmore of the tweet… pic.twitter.com/Xy12Ab34\nArticle goes on.",
            "aone",
        ),
        # on its own line just before the signature line
        ("Tweet text pic.twitter.com/Xy12Ab34\n— B Two (@btwo) May 2, 2024", "btwo"),
    ],
)
def test_media_links_attach_to_the_tweet_beside_them(text: str, owner: str) -> None:
    references = refs(text)
    tweet = next(r for r in references if r.handle == owner)
    assert tweet.attachments == ["https://pic.twitter.com/Xy12Ab34"]
    assert not [r for r in references if r.relation == Relation.LINKS]


def test_a_media_link_far_from_any_tweet_is_a_link_of_its_own() -> None:
    (link,) = refs("The photo is at pic.twitter.com/Xy12Ab34 and nowhere else.")
    assert (link.relation, link.kind, link.platform, link.url) == (
        Relation.LINKS,
        NodeKind.MEDIA,
        "x",
        "https://pic.twitter.com/Xy12Ab34",
    )


# -- links -------------------------------------------------------------------------------

LINKS = [
    ("See https://example.org/a/b?x=1.", "https://example.org/a/b?x=1", "web", NodeKind.PAGE, None),
    (
        "Read (https://en.example.org/wiki/Foo_(bar)).",
        "https://en.example.org/wiki/Foo_(bar)",
        "web",
        NodeKind.PAGE,
        None,
    ),
    (
        "Markdown [the post](https://t.me/rybar/123) here",
        "https://t.me/rybar/123",
        "telegram",
        NodeKind.POST,
        "rybar",
    ),
    ("Join t.me/rybar now", "https://t.me/rybar", "telegram", NodeKind.CHANNEL, "rybar"),
    (
        "Watch youtu.be/dQw4w9WgXcQ today",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "youtube",
        NodeKind.POST,
        None,
    ),
    (
        "Status x.com/janeroe/status/1817523987654321234 said so",
        "https://x.com/janeroe/status/1817523987654321234",
        "x",
        NodeKind.POST,
        "janeroe",
    ),
    (
        "Old twitter.com/janeroe profile",
        "https://twitter.com/janeroe",
        "x",
        NodeKind.CHANNEL,
        "janeroe",
    ),
    (
        "Short link https://t.co/AbCdEf1234 in text",
        "https://t.co/AbCdEf1234",
        "x",
        NodeKind.PAGE,
        None,
    ),
    (
        "Video: https://www.tiktok.com/@someone/video/7481234567890123456",
        "https://www.tiktok.com/@someone/video/7481234567890123456",
        "tiktok",
        NodeKind.POST,
        "someone",
    ),
    ("Wall vk.com/wall-1234_56 post", "https://vk.com/wall-1234_56", "vk", NodeKind.POST, None),
    (
        "Reel https://www.instagram.com/reel/Cx1Yz2AbCdE/",
        "https://www.instagram.com/reel/Cx1Yz2AbCdE/",
        "instagram",
        NodeKind.POST,
        None,
    ),
    ("Page www.example.org.", "https://www.example.org", "web", NodeKind.PAGE, None),
    (
        "Site example.de/artikel/123, then more",
        "https://example.de/artikel/123",
        "web",
        NodeKind.PAGE,
        None,
    ),
]


@pytest.mark.parametrize(("text", "url", "platform", "kind", "handle"), LINKS)
def test_bare_and_schemeless_links(
    text: str, url: str, platform: str, kind: NodeKind, handle: str | None
) -> None:
    links = [r for r in refs(text) if r.relation == Relation.LINKS]
    assert len(links) == 1, links
    link = links[0]
    assert (link.url, link.platform, link.kind, link.handle) == (url, platform, kind, handle)


@pytest.mark.parametrize(
    "text",
    [
        "mail me at someone@example.org today",
        "Share: https://twitter.com/intent/tweet?url=https%3A%2F%2Fa.example",
        "Follow us on Telegram: t.me/ourpaper",
        "Subscribe to our newsletter at https://news.example/signup",
        "version 1.2.3 of file.txt is out",
    ],
)
def test_text_that_is_not_a_link(text: str) -> None:
    assert [r for r in refs(text) if r.relation == Relation.LINKS] == []


def test_handles_in_attribution_context() -> None:
    references = refs(
        "The clip was reposted by @portcity_nights. Thanks, @nobody.\nFirst seen on Telegram via @dock_news."
    )
    handles = {(r.handle, r.platform, r.kind) for r in references}
    assert handles == {
        ("portcity_nights", "x", NodeKind.CHANNEL),
        ("dock_news", "telegram", NodeKind.CHANNEL),
    }


# -- prose attributions, per language ----------------------------------------------------

ATTRIBUTIONS = [
    ("en according", "According to Reuters, the talks stalled.", "Reuters", NodeKind.OUTLET),
    ("en said", "The Kremlin said nothing had happened.", "Kremlin", NodeKind.ORGANIZATION),
    ("en told", "Jane Roe told reporters the plant was closed.", "Jane Roe", NodeKind.PERSON),
    ("en postposed", "“Nothing happened,” said Dmitry Peskov.", "Dmitry Peskov", NodeKind.PERSON),
    (
        "en title before",
        "Navy spokesman Pavel Orlov said the ship sank.",
        "Pavel Orlov",
        NodeKind.PERSON,
    ),
    (
        "en report",
        "According to The Salt Route Report, exports fell.",
        "The Salt Route Report",
        NodeKind.DOCUMENT,
    ),
    (
        "en titled",
        "A report titled “Gold and Blood” found links.",
        "Gold and Blood",
        NodeKind.DOCUMENT,
    ),
    ("en channel", "The claim came from the Telegram channel Rybar.", "Rybar", NodeKind.CHANNEL),
    (
        "en possessive channel",
        "It appeared on Two Majors' Telegram channel first.",
        "Two Majors",
        NodeKind.CHANNEL,
    ),
    (
        "en post by",
        "It was first seen in a post on Telegram by Dockside Dispatch.",
        "Dockside Dispatch",
        NodeKind.POST,
    ),
    (
        "uk according",
        "За словами Андрія Юсова, операція тривала добу.",
        "Андрія Юсова",
        NodeKind.PERSON,
    ),
    (
        "uk channel",
        "Як повідомляє Telegram-канал Рибар, атака провалилась.",
        "Рибар",
        NodeKind.CHANNEL,
    ),
    (
        "ru according",
        "По словам Дмитрия Пескова, ничего не произошло.",
        "Дмитрия Пескова",
        NodeKind.PERSON,
    ),
    (
        "ru citing",
        "Агентство сообщило об атаке, ссылаясь на Telegram-канал Рыбарь.",
        "Рыбарь",
        NodeKind.CHANNEL,
    ),
    ("pl according", "Według Agencji Reuters rozmowy utknęły.", "Reuters", NodeKind.OUTLET),
    (
        "pl verb",
        "Jan Kowalski powiedział, że port jest zamknięty.",
        "Jan Kowalski",
        NodeKind.PERSON,
    ),
    ("de laut", "Laut Spiegel hat die Regierung gelogen.", "Spiegel", NodeKind.OUTLET),
    (
        "de citing",
        "Die Agentur meldete das unter Berufung auf den Telegram-Kanal Rybar.",
        "Rybar",
        NodeKind.CHANNEL,
    ),
    ("fr selon", "Selon Le Monde, les pourparlers sont bloqués.", "Le Monde", NodeKind.OUTLET),
    ("fr verb", "Marie Curie a déclaré que le port était fermé.", "Marie Curie", NodeKind.PERSON),
    ("es según", "Según El País, las conversaciones se estancaron.", "El País", NodeKind.OUTLET),
    ("es verb", "Ana Ruiz dijo que el puerto estaba cerrado.", "Ana Ruiz", NodeKind.PERSON),
    (
        "it secondo",
        "Secondo Corriere della Sera, i colloqui sono in stallo.",
        "Corriere della Sera",
        NodeKind.OUTLET,
    ),
    (
        "it verb",
        "Luca Bianchi ha dichiarato che il porto era chiuso.",
        "Luca Bianchi",
        NodeKind.PERSON,
    ),
]


@pytest.mark.parametrize(
    ("label", "text", "name", "kind"), ATTRIBUTIONS, ids=[a[0] for a in ATTRIBUTIONS]
)
def test_attributions(label: str, text: str, name: str, kind: NodeKind) -> None:
    assert cited(text) == [(name, kind)]
    (reference,) = [r for r in refs(text) if r.relation == Relation.CITES]
    assert reference.evidence == text.strip()


def test_via_chain_citing_after_the_claim() -> None:
    references = refs(
        "RIA Novosti said the port burned, citing the pro-Kremlin Telegram channel Rybar."
    )
    ria, rybar = references
    assert (ria.name, rybar.name, rybar.platform, rybar.descriptors) == (
        "RIA Novosti",
        "Rybar",
        "telegram",
        ["pro-Kremlin"],
    )
    assert rybar.cited_by is ria and ria.cited_by is None


def test_via_chain_citing_before_the_verb() -> None:
    references = refs(
        "Northwind Daily, citing the Telegram channel IRON HARBOUR, said the port burned."
    )
    by_name = {r.name: r for r in references}
    assert set(by_name) == {"Northwind Daily", "IRON HARBOUR"}
    assert by_name["IRON HARBOUR"].cited_by is by_name["Northwind Daily"]


def test_official_with_organisation_in_apposition() -> None:
    official, organisation = refs(
        "Marta Kolyvan, a spokesperson for the Coastal Defence Directorate (CDD), said two drones hit."
    )
    assert (official.name, official.kind, official.affiliation) == (
        "Marta Kolyvan",
        NodeKind.PERSON,
        "Coastal Defence Directorate (CDD)",
    )
    # the organisation is a node of its own, spoken for by the official
    assert (organisation.name, organisation.aliases, organisation.relation) == (
        "Coastal Defence Directorate",
        ["CDD"],
        Relation.SPEAKS_FOR,
    )
    assert organisation.cited_by is official


def test_descriptions_give_kind_and_descriptors() -> None:
    (outlet,) = refs("Russia's state-funded news agency, Russia Today (RT), said the port burned.")
    assert (outlet.name, outlet.aliases, outlet.kind) == ("Russia Today", ["RT"], NodeKind.OUTLET)
    assert outlet.descriptors == ["Russia's state-funded news agency"]
    (channel,) = refs(
        "GREY ZONE, a Wagner-affiliated Telegram channel, wrote that the column burned."
    )
    assert (channel.kind, channel.platform, channel.descriptors) == (
        NodeKind.CHANNEL,
        "telegram",
        ["Wagner-affiliated"],
    )


def test_a_source_named_twice_is_one_reference_at_its_first_sentence() -> None:
    text = "Jane Roe said the port burned. Later, Roe told reporters it was rebuilt."
    (reference,) = refs(text)
    assert reference.name == "Jane Roe" and reference.start == 0


NOT_SOURCES = [
    "A source said the talks stalled.",
    "Sources told us the plant was closed.",
    "Media reported that the port reopened.",
    "They reported that twenty were killed.",
    "According to a Kyiv Post source, the base was hit.",
    "Kyiv Post’s source said the base was hit.",
    "He said the port burned.",
    "Officials said nothing.",
    "“Reuters said so,” the man joked about the rumour.",
    "The United States imposed sanctions.",
    "Subscribe to our Telegram channel Harbour Ledger for updates.",
    "Laut einer Drohne hat die Firma nichts veröffentlicht.",
    "Governor says naming her is historic.",
]


@pytest.mark.parametrize("text", NOT_SOURCES)
def test_anonymous_generic_and_quoted_sources_are_not_cited(text: str) -> None:
    assert cited(text) == []


def test_the_outlet_itself_is_not_a_cited_source() -> None:
    from tracer.extract import Document

    text = "The Harbour Ledger said the port burned. Northwind Daily said so too."
    document = Document(
        source="<test>",
        text=text,
        outlet="The Harbour Ledger",
        url="https://harbourledger.example/a",
    )
    assert [r.name for r in extract(document)] == ["Northwind Daily"]


def test_sentences_keep_abbreviations_and_quotes_together() -> None:
    from tracer.extract.sentences import Sentences

    text = "Gov. Inslee said “it is historic.” Then U.S. officials left.\nNew line here"
    sentences = Sentences(text)
    spans = [text[s.start : s.end] for s in sentences.spans]
    assert spans == [
        "Gov. Inslee said “it is historic.”",
        "Then U.S. officials left.",
        "New line here",
    ]
    assert sentences.at(text.index("Inslee")) == sentences.at(0)
    assert text[sentences.at(text.index("officials")).start :].startswith("Then")


def test_sentences_keep_a_german_ordinal_with_its_noun() -> None:
    from tracer.extract.sentences import Sentences

    text = (
        "Im 19. Jahrhundert wuchs die Stadt. Das gilt bis zum 1. Januar. He was 19. Then he left."
    )
    spans = [text[s.start : s.end] for s in Sentences(text).spans]
    assert spans == [
        "Im 19. Jahrhundert wuchs die Stadt.",
        "Das gilt bis zum 1. Januar.",
        "He was 19.",
        "Then he left.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Estonian spokesman Arvo Kask said the border stayed open.",
        "Democratic nominee Lena Moss said the count was wrong.",
    ],
)
def test_people_or_party_before_title_is_no_affiliation(text: str) -> None:
    (person,) = [r for r in refs(text) if r.relation == Relation.CITES]
    assert person.kind == NodeKind.PERSON and person.affiliation is None
