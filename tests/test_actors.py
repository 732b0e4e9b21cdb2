"""One name and one type per actor across a corpus (claimledger.ledger.actors), with invented speakers."""

from __future__ import annotations

import pytest

from claimledger.ledger.actors import build_actor_table, possessive_key
from claimledger.ledger.origins import edges_from_attributions
from claimledger.types import Attribution, Document, Span


def said(speaker: str | None, kind: str = "unknown", *, role: str | None = None, how: str = "indirect") -> Attribution:
    return Attribution(
        kind=how,
        stance="assert",
        cue=Span(0, 4, "said"),
        content=(Span(5, 9, "text"),),
        source=Span(0, len(speaker), speaker) if speaker else None,
        speaker=speaker,
        speaker_type=kind,
        role=role,
    )


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("the Velm Lines' owner", "owner of the Velm Lines", True),
        ("Ostra Harbour’s master", "master of Ostra Harbour", True),
        ("The Navy", "navy", True),
        ("owner of the Velm Lines", "owner of the Ostra Harbour", False),
        ("Pim Ostra's brother", "Pim Ostra", False),
    ],
)
def test_possessive_key(a: str, b: str, same: bool) -> None:
    assert (possessive_key(a) == possessive_key(b)) is same


def test_case_variants_are_one_actor_spelled_as_most_articles_do() -> None:
    table = build_actor_table([said("navy", "armed-group"), said("navy"), said("Navy", "organisation")])
    assert table.canonical("Navy") == "navy"
    assert table.canonical("the navy") == "navy"
    assert table.types["navy"] == "armed-group"  # one known vote each: the more specific type wins ties


def test_type_is_the_most_common_known_type() -> None:
    votes = ["person", "organisation", "organisation"]
    table = build_actor_table([said("Tarrow Freight", kind) for kind in votes])
    assert table.types == {"Tarrow Freight": "organisation"}
    assert table.type_of("the Tarrow Freight") == "organisation"
    assert table.type_of("Nobody Known") == "unknown"


def test_a_description_given_to_one_name_is_that_name() -> None:
    table = build_actor_table(
        [
            said("Tarrow Freight", "organisation", role="Velm Star's owner"),
            said("owner of the Velm Star", "organisation"),
            said("Velm Star’s owner", "unknown"),
        ]
    )
    assert table.canonical("owner of the Velm Star") == "Tarrow Freight"
    assert table.canonical("Velm Star’s owner") == "Tarrow Freight"
    assert table.types["Tarrow Freight"] == "organisation"


def test_a_description_two_names_carried_stays_apart() -> None:
    table = build_actor_table(
        [
            said("Ada Quist", "person", role="Harbour Board spokeswoman"),
            said("Lene Brask", "person", role="Harbour Board spokeswoman"),
            said("Harbour Board spokeswoman", "person"),
        ]
    )
    assert table.canonical("Harbour Board spokeswoman") == "Harbour Board spokeswoman"


def test_a_bare_role_is_never_a_name() -> None:
    table = build_actor_table([said("Ada Quist", "person", role="spokeswoman"), said("spokeswoman", "person")])
    assert table.canonical("spokeswoman") == "spokeswoman"


def test_short_names_join_the_one_longer_name() -> None:
    table = build_actor_table([said("Tessel Valley Front", "organisation"), said("Front", "unknown")])
    assert table.canonical("Front") == "Tessel Valley Front"
    assert table.types == {"Tessel Valley Front": "organisation"}


def test_unattributed_passives_have_no_actor() -> None:
    table = build_actor_table([said(None, how="unattributed-passive"), said("Ada Quist", "person")])
    assert table.types == {"Ada Quist": "person"}


def test_edges_take_the_table_names_and_types() -> None:
    found = [said("navy", "unknown"), said("The Navy", "armed-group"), said("navy", "armed-group")]
    table = build_actor_table(found)
    doc = Document(id="d1", text="", source="x", format="text", outlet="The Ostra Courier")
    edges = edges_from_attributions("c1", doc, list(enumerate(found)), aliases=table.aliases, types=table.types)
    assert {(e.origin, e.origin_type) for e in edges} == {("navy", "armed-group")}


def test_the_article_speaking_of_itself_is_its_outlet() -> None:
    doc = Document(id="d1", text="", source="x", format="text", outlet="The Ostra Courier")
    edges = edges_from_attributions("c1", doc, [(0, said("An earlier version of this article"))])
    assert (edges[0].origin, edges[0].origin_type) == ("The Ostra Courier", "outlet")


def test_a_title_of_an_organisation_is_not_the_organisation() -> None:
    table = build_actor_table(
        [said("Tessel Valley Front", "organisation"), said("commander of the Tessel Valley Front", "person")]
    )
    assert table.canonical("Tessel Valley Front") == "Tessel Valley Front"
    assert table.canonical("commander of the Tessel Valley Front") == "commander of the Tessel Valley Front"
