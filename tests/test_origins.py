"""Stance edges from attributions: origins are first speakers; relays, nests and copies add none."""

from __future__ import annotations

import pytest

from claimledger.ledger.origins import (
    UNSOURCED,
    article_edge,
    edges_from_attributions,
    normalise_name,
    short_name_aliases,
    spokesperson_aliases,
)
from claimledger.types import Attribution, Document, Span, StanceResult


def _doc(
    doc_id: str = "d1",
    outlet: str | None = "The Valdoran Courier",
    *,
    published: str | None = None,
    url: str | None = None,
) -> Document:
    return Document(
        id=doc_id, text="", source=f"{doc_id}.txt", format="text", outlet=outlet, published=published, url=url
    )


def _att(
    speaker: str | None,
    stance: str = "assert",
    *,
    kind: str = "indirect",
    speaker_type: str = "organisation",
    via: tuple[str, ...] = (),
    nested_in: int | None = None,
    role: str | None = None,
    content: str = "the dam at Oskel was breached",
) -> Attribution:
    return Attribution(
        kind=kind,
        stance=stance,
        cue=Span(0, 4, "said"),
        content=(Span(10, 10 + len(content), content),),
        source=Span(0, len(speaker), speaker) if speaker else None,
        speaker=speaker,
        speaker_type=speaker_type if speaker else "unknown",
        role=role,
        via=tuple(Span(0, len(v), v) for v in via),
        nested_in=nested_in,
    )


@pytest.mark.parametrize(
    ("stance", "edge_stance"),
    [("assert", "supports"), ("confirm", "supports"), ("deny", "denies"), ("doubt", "doubts"), ("question", "doubts")],
)
def test_stance_mapping(stance: str, edge_stance: str) -> None:
    (edge,) = edges_from_attributions("c", _doc(), [(0, _att("Port Authority", stance))])
    assert edge.stance == edge_stance
    assert edge.source_stance == stance


def test_unknown_stance_is_an_error() -> None:
    with pytest.raises(ValueError, match="expected one of"):
        edges_from_attributions("c", _doc(), [(0, _att("Port Authority", "shrug"))])


def test_relays_are_not_origins() -> None:
    (edge,) = edges_from_attributions("c", _doc(), [(3, _att("Mira Osk", via=("the Velta agency", "Daily Lanter")))])
    assert edge.origin == "Mira Osk"
    assert edge.actor == "Mira Osk"
    assert edge.via == ("Velta agency", "Daily Lanter")
    assert edge.attribution == 3
    assert edge.outlet == "The Valdoran Courier"


def test_nested_attribution_inner_speaker_is_origin_outer_is_relay() -> None:
    outer = _att("the Northern Guard", content="it took the town where the Red Banner claims it seized the dam")
    inner = _att("the Red Banner", nested_in=0, speaker_type="armed-group", content="it seized the dam")
    edges = edges_from_attributions("c", _doc(), [(0, outer), (1, inner)])
    assert [(e.origin, e.via) for e in edges] == [("Northern Guard", ()), ("Red Banner", ("Northern Guard",))]
    assert edges[1].origin_type == "armed-group"


def test_nested_relay_chain_continues_through_the_outer_relays() -> None:
    outer = _att("Northern Guard", via=("Velta agency",))
    inner = _att("Red Banner", nested_in=0, via=("Ostrava Radio",))
    edges = edges_from_attributions("c", _doc(), [(0, outer), (1, inner)])
    assert edges[1].via == ("Ostrava Radio", "Northern Guard", "Velta agency")


def test_one_relay_named_twice_is_one_relay() -> None:
    outer = _att("Northern Guard")
    inner = _att("Red Banner", nested_in=0, via=("The Velta-backed Northern Guard", "Velta agency"))
    edges = edges_from_attributions("c", _doc(), [(0, outer), (1, inner)])
    assert edges[1].via == ("Northern Guard", "Velta agency")
    (edge,) = edges_from_attributions("c", _doc(), [(0, _att("Mira Osk", via=("Velta", "Velta news agency")))])
    assert edge.via == ("Velta",)


def test_unattributed_passive_is_its_own_class() -> None:
    (edge,) = edges_from_attributions("c", _doc(), [(0, _att(None, kind="unattributed-passive"))])
    assert (edge.origin, edge.origin_type) == (UNSOURCED, "anonymous")
    assert edge.actor == "The Valdoran Courier"  # the outlet voices it, but does not originate it


def test_names_are_normalised_but_distinct_names_stay_apart() -> None:
    edges = edges_from_attributions(
        "c",
        _doc(),
        [(0, _att("the Citadel")), (1, _att("Citadel")), (2, _att("Ostrava")), (3, _att("Ilya Vorn", role="x"))],
    )
    assert [e.origin for e in edges] == ["Citadel", "Citadel", "Ostrava", "Ilya Vorn"]
    assert normalise_name("  The   Citadel, ") == "Citadel"
    assert normalise_name("a member of the Guild") == "a member of the Guild"


def test_aliases_are_opt_in() -> None:
    pairs = [(0, _att("Ilya Vorn", speaker_type="person", role="Citadel spokesman")), (1, _att("the Citadel"))]
    assert [e.origin for e in edges_from_attributions("c", _doc(), pairs)] == ["Ilya Vorn", "Citadel"]
    aliases = spokesperson_aliases(pairs)
    assert aliases == {"Ilya Vorn": "Citadel"}
    assert [e.origin for e in edges_from_attributions("c", _doc(), pairs, aliases=aliases)] == ["Citadel", "Citadel"]
    assert normalise_name("the citadel", aliases={"Citadel": "Citadel Palace"}) == "Citadel Palace"


def test_syndicated_copy_keeps_origin_and_names_the_original_outlet_as_relay() -> None:
    copy = _doc("d2", outlet="Lanter Post")
    pairs = [(0, _att("Port Authority", via=("Velta agency",)))]
    (edge,) = edges_from_attributions(
        "c", copy, pairs, near_duplicate_of={"d2": "d1"}, outlets={"d1": "The Valdoran Courier"}
    )
    assert edge.origin == "Port Authority"
    assert edge.via == ("Velta agency", "The Valdoran Courier")
    assert edge.document_id == "d2"


def test_outlet_speaking_for_itself() -> None:
    (edge,) = edges_from_attributions("c", _doc(), [(0, _att("the Valdoran Courier", speaker_type="outlet"))])
    assert (edge.origin, edge.origin_type) == ("The Valdoran Courier", "outlet")


@pytest.mark.parametrize(
    ("label", "expected"), [("supports", "supports"), ("denies", "denies"), ("observes", "observes")]
)
def test_article_edge(label: str, expected: str) -> None:
    result = StanceResult(label, ((label, 0.8), ("unrelated", 0.2)))
    edge = article_edge("c", _doc(published="2031-05-02"), result)
    assert edge is not None
    assert (edge.actor, edge.origin, edge.origin_type, edge.stance) == (
        "The Valdoran Courier",
        "The Valdoran Courier",
        "outlet",
        expected,
    )
    assert edge.attribution is None
    assert edge.kind == "article"
    assert edge.confidence == pytest.approx(0.8)
    assert edge.published == "2031-05-02"


def test_article_edge_unrelated_is_none_and_bad_label_is_an_error() -> None:
    assert article_edge("c", _doc(), StanceResult("unrelated", ())) is None
    with pytest.raises(ValueError, match="expected one of"):
        article_edge("c", _doc(), StanceResult("agree", ()))


def test_article_edge_of_a_syndicated_copy_shares_the_original_origin() -> None:
    copy = _doc("d2", outlet="Lanter Post")
    result = StanceResult("supports", ())
    edge = article_edge("c", copy, result, near_duplicate_of={"d2": "d1"}, outlets={"d1": "The Valdoran Courier"})
    assert edge is not None
    assert (edge.origin, edge.actor, edge.via) == ("The Valdoran Courier", "Lanter Post", ("Lanter Post",))
    with pytest.raises(ValueError, match="outlets="):
        article_edge("c", copy, result, near_duplicate_of={"d2": "d1"})


def test_outlet_falls_back_to_the_url_host() -> None:
    (edge,) = edges_from_attributions(
        "c", _doc(outlet=None, url="https://www.lanter.example/a/1"), [(0, _att(None, kind="unattributed-passive"))]
    )
    assert edge.actor == "lanter.example"


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["Harl Coast Defence Front", "Front", "the Front"], {"Front": "Harl Coast Defence Front"}),
        (["Tomas Quill", "Quill"], {"Quill": "Tomas Quill"}),
        (["Defence Front", "Harl Coast Defence Front", "Front"],
         {"Front": "Harl Coast Defence Front", "Defence Front": "Harl Coast Defence Front"}),
        (["Interior Ministry", "Defence Ministry", "Ministry"], {}),  # ambiguous: left alone
        (["Moscow", "Kremlin"], {}),
        (["Frontier Post", "Post"], {"Post": "Frontier Post"}),
        (["Front", "Storefront"], {}),  # whole words only
    ],
)  # fmt: skip
def test_short_name_aliases(names: list[str], expected: dict[str, str]) -> None:
    assert short_name_aliases(names) == expected
