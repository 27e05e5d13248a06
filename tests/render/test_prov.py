"""W3C PROV: the mapping, and every format read back by `prov` and validated."""

from __future__ import annotations

import warnings
from datetime import UTC, datetime

import pytest
from prov.constants import PROV_TYPE
from prov.model import (
    PROV,
    ProvActivity,
    ProvAgent,
    ProvAttribution,
    ProvDerivation,
    ProvDocument,
    ProvEntity,
    ProvGeneration,
    ProvInfluence,
    ProvSpecialization,
    ProvUsage,
)

from tests.render.chains import cyclic_chain, example_chain, hostile_chain
from tracer.errors import InputError
from tracer.render import render
from tracer.render.prov import FORMATS, NAMESPACE_URI, load, problems, prov_document


def q(local: str) -> str:
    return f"{NAMESPACE_URI}{local}"


def records(document: ProvDocument, kind: type) -> list:
    return [r for r in document.get_records() if isinstance(r, kind)]


def pairs(document: ProvDocument, kind: type) -> set[tuple[str, str]]:
    found = set()
    for record in records(document, kind):
        first, second = (value for _, value in record.formal_attributes[:2])
        found.add((str(first.uri), str(second.uri)))
    return found


@pytest.mark.parametrize(
    "chain",
    [example_chain(), hostile_chain(), cyclic_chain()],
    ids=["example", "hostile", "cyclic"],
)
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_prov_round_trips_and_validates(chain: dict, fmt: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # prov warns on input it reads doubtfully
        text = render(chain, fmt)
        loaded = load(text, fmt)
    assert loaded == prov_document(chain)
    assert problems(loaded) == []
    assert len(records(loaded, ProvEntity)) + len(records(loaded, ProvAgent)) >= len(chain["nodes"])


def test_mapping_of_nodes_relations_captures_and_the_trace() -> None:
    document = load(render(example_chain(), "prov-json"), "prov-json")
    entities = {str(r.identifier.uri): r for r in records(document, ProvEntity)}
    agents = {str(r.identifier.uri): r for r in records(document, ProvAgent)}
    assert {q("n1"), q("n2"), q("n3"), q("n5"), q("n7")} <= set(entities)
    assert {q("n4"), q("n6"), q("n8")} <= set(agents)
    assert PROV["Organization"] in agents[q("n4")].get_attribute(PROV_TYPE)
    assert PROV["Person"] in agents[q("n8")].get_attribute(PROV_TYPE)

    derivations = records(document, ProvDerivation)
    quoted = {
        (str(r.formal_attributes[0][1].uri), str(r.formal_attributes[1][1].uri))
        for r in derivations
        if PROV["Quotation"] in r.get_attribute(PROV_TYPE)
    }
    assert quoted == {(q("n1"), q("n2")), (q("n5"), q("n7"))}  # embeds, forwarded_from
    derived = pairs(document, ProvDerivation) - quoted
    assert derived == {(q("n1"), q("n3")), (q("n3"), q("n5"))}  # cites
    embeds = next(r for r in derivations if str(r.formal_attributes[1][1].uri) == q("n2"))
    assert embeds.get_attribute(f"{NAMESPACE_URI}evidence") == {
        "— Desert Watcher (@desertwatch) July 28, 2024"
    }

    attributed = pairs(document, ProvAttribution)
    assert (q("n3"), q("n4")) in attributed  # published_by an outlet
    assert (q("n5"), q("n6")) in attributed  # the channel, not a made-up account
    assert (q("n2"), q("account_x_desertwatch")) in attributed  # author known by handle
    assert (q("n7"), q("account_telegram_originchan")) in attributed
    assert (q("n1"), q("n8")) in pairs(document, ProvInfluence)  # cites a person

    specializations = pairs(document, ProvSpecialization)
    assert (q("n1_capture1"), q("n1")) in specializations
    assert (q("n1_capture2"), q("n1")) in specializations
    generated = {
        str(r.formal_attributes[0][1].uri): r.formal_attributes[2][1]
        for r in records(document, ProvGeneration)
    }
    assert generated[q("n1_capture2")] == datetime(2024, 7, 30, 8, 0, tzinfo=UTC)
    assert generated[q("n7")] == datetime(2024, 7, 27, 19, 5, tzinfo=UTC)

    trace = records(document, ProvActivity)
    assert len(trace) == 1
    assert trace[0].get_attribute(f"{NAMESPACE_URI}first_appearance")
    assert pairs(document, ProvUsage) == {(q("trace"), q("n1"))}


def test_problems_finds_what_prov_itself_accepts() -> None:
    document = ProvDocument()
    ns = document.add_namespace("ex", "urn:example:")
    post = document.entity(ns["post"])
    channel = document.agent(ns["channel"])
    document.wasDerivedFrom(post, channel)  # type: ignore[arg-type]  # not PROV: from an agent
    document.wasAttributedTo(ns["ghost"], channel)  # an undeclared entity
    found = problems(document)
    assert any("needs ProvEntity" in p and "ex:channel" in p for p in found), found
    assert any("ex:ghost" in p and "not declared" in p for p in found), found


def test_unreadable_prov_is_an_input_error() -> None:
    with pytest.raises(InputError, match="not valid prov-n"):
        load("document\n  entity(\nendDocument", "prov-n")
    with pytest.raises(InputError, match="unknown PROV format"):
        load("{}", "prov-xml")
