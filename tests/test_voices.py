"""One origin per actor (claimledger.ledger.voices, origin_groups), statements read against their claim's
polarity, debunks and retractions as denials (claimledger.ledger.origins, edges.toward_label), and the
ledger-level score (claimledger.evaluation.ledger_score). Every person, place and outlet is invented."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimledger.claims.proposition import first_sentence, negated, readable
from claimledger.errors import FormatError
from claimledger.evaluation.ledger_score import read_gold, score_ledger
from claimledger.ledger import build_ledger, origin_groups
from claimledger.ledger.edges import toward_label
from claimledger.ledger.origins import edges_from_attributions
from claimledger.ledger.status import government_blocs
from claimledger.ledger.voices import government_key, government_role, speakers_for
from claimledger.types import Attribution, Claim, ClaimItem, Document, Span, StanceEdge

DOC = Document(id="d1", source="x.html", format="text", text="", outlet="The Varn Herald", published="2027-02-01")


def _attribution(
    content: str, *, speaker: str = "Pell Harbour Guard", cue: str = "said", stance: str = "assert",
    kind: str = "indirect", role: str | None = None, speaker_type: str = "organisation",
) -> Attribution:  # fmt: skip
    return Attribution(
        kind=kind, stance=stance, cue=Span(20, 20 + len(cue), cue), content=(Span(40, 40 + len(content), content),),
        source=Span(0, len(speaker), speaker), speaker=speaker, role=role, speaker_type=speaker_type,
    )  # fmt: skip


def _edge(origin: str, stance: str, *, kind: str = "government", published: str = "2027-02-01") -> StanceEdge:
    return StanceEdge(
        claim_id="c1", actor=origin, origin=origin, origin_type=kind, stance=stance, document_id=f"d-{origin}",
        kind="indirect", published=published, source_stance="assert" if stance == "supports" else "deny",
    )  # fmt: skip


# --- voices of one actor --------------------------------------------------------------------------


def test_a_spokesman_speaks_for_the_organisation_his_role_names_wherever_it_is_named() -> None:
    found = [
        _attribution("x", speaker="Tavi Orrum", role="the Varn Front's spokesman", speaker_type="person"),
        _attribution("y", speaker="Tavi Orrum", role="spokesman", speaker_type="person"),
        _attribution("z", speaker="Ela Brisk", role="commander of the Varn Front", speaker_type="person"),
        _attribution("w", speaker="Noor Fell", role="company spokeswoman", speaker_type="person"),
    ]
    assert speakers_for(found) == {"Tavi Orrum": "Varn Front", "Ela Brisk": "Varn Front"}


def test_a_person_whose_roles_name_two_organisations_keeps_their_own_name() -> None:
    found = [
        _attribution("x", speaker="Tavi Orrum", role="Varn Front spokesman", speaker_type="person"),
        _attribution("y", speaker="Tavi Orrum", role="Pell Union spokesman", speaker_type="person"),
    ]
    assert speakers_for(found) == {}


def test_a_government_spokesman_is_a_government_voice_not_an_organisation_of_his_own() -> None:
    found = [_attribution("x", speaker="Jon Vale", role="Government spokesman", speaker_type="person")]
    assert speakers_for(found) == {}
    assert government_role("Jon Vale", "Government spokesman")
    assert government_role("A ministry official")
    assert not government_role("Maro Tesk", "Opposition lawmaker who chairs the ministry committee")
    assert not government_role("Anton Pell", "Harl Province governor")


def test_edges_of_a_spokesman_have_the_organisation_as_origin_and_the_person_as_actor() -> None:
    found = [(0, _attribution("the dam is closed", speaker="Tavi Orrum", speaker_type="person"))]
    (edge,) = edges_from_attributions("c1", DOC, found, speaks_for={"Tavi Orrum": "Varn Front"})
    assert (edge.actor, edge.origin) == ("Tavi Orrum", "Varn Front")


@pytest.mark.parametrize(
    ("texts", "key"),
    [
        (("Varnia’s government",), "varni"),
        (("the Varnian navy",), "varni"),
        (("Interior Ministry",), None),
        (("Ministry of Public Order",), None),
    ],
)
def test_government_key_meets_a_country_name_and_its_demonym(texts: tuple[str, ...], key: str | None) -> None:
    assert government_key(*texts) == key


def test_voices_of_one_government_are_one_origin_whose_latest_stance_counts() -> None:
    edges = [
        _edge("Interior Ministry", "denies", published="2027-02-01"),
        _edge("Varnia’s government", "doubts", published="2027-02-02"),
        _edge("Mila Tesk", "supports", published="2027-02-03"),  # the minister acknowledges
        _edge("Pell Dockers", "supports", kind="organisation"),
    ]
    voices = ("Interior Ministry", "Varnia’s government", "Mila Tesk")
    assert government_blocs(edges) == dict.fromkeys(voices, "Varnia’s government")
    groups = origin_groups(edges)
    assert [(g.origin, g.origin_type, g.stance) for g in groups] == [
        ("Varnia’s government", "government", "supports"),
        ("Pell Dockers", "organisation", "supports"),
    ]
    entry = build_ledger(Claim(id="c1", text="The dockers struck", members=()), edges)
    assert "3 voices of one government: Interior Ministry, Varnia’s government, Mila Tesk" in entry.reasons[0]
    apart = origin_groups(edges, one_government=False)
    assert len(apart) == 4


def test_governments_of_two_countries_stay_two_origins() -> None:
    edges = [
        _edge("Varnia’s government", "supports"),
        _edge("Varnian Foreign Ministry", "supports"),
        _edge("Ostrel’s government", "denies"),
        _edge("Interior Ministry", "denies"),  # names no country, and two are named: a bloc of its own
    ]
    blocs = government_blocs(edges)
    assert blocs == {"Varnia’s government": "Varnia’s government", "Varnian Foreign Ministry": "Varnia’s government"}
    assert len(origin_groups(edges)) == 3


# --- polarity, debunks and retractions -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "is_negated"),
    [
        ("No vessel has been seized in Varnian waters", True),
        ("the families were told nothing", True),
        ("officials had not contacted them", True),
        ("Nobody from the port has called us", True),
        ("the guard boarded the ferry, not the barge", False),  # the negation is after the first clause
        ("the guard boarded the ferry", False),
    ],
)
def test_negated_reads_the_first_clause(text: str, is_negated: bool) -> None:
    assert negated(text) is is_negated


def test_first_sentence_of_a_quotation() -> None:
    assert first_sentence("No ferry was hit. The harbour is calm. We will not talk.") == "No ferry was hit."
    assert first_sentence("The 3.5 m wave hit at 6 a.m. on Tuesday") == "The 3.5 m wave hit at 6 a.m. on Tuesday"


@pytest.mark.parametrize(
    ("content", "cue", "kind", "stance"),
    [
        ("No ferry has been hit in Pell harbour. The harbour is calm.", "told", "direct", "denies"),
        ("The drone story is a hoax. Not one aircraft flew.", "told", "direct", "denies"),
        ("reports of a blockade were false", "said", "indirect", "denies"),
        ("the story of explosives in the lock was \u201cfabricated,\u201d", "said", "mixed", "denies"),
        ("the allegation a hoax", "called", "indirect", "denies"),
        ("Tavi Orrum was lying", "said", "indirect", "denies"),
        ("We withdraw what we said about a drone.", "said", "direct", "denies"),
        ("its claim that a drone hit the lock", "withdrew", "indirect", "denies"),
        ("the guard boarded the ferry at dawn", "said", "indirect", "supports"),
        ("the ferry's false bow was repaired", "said", "indirect", "supports"),  # "false" not said of the claim
    ],
)
def test_statements_that_negate_debunk_or_retract_deny(content: str, cue: str, kind: str, stance: str) -> None:
    found = [(0, _attribution(content, cue=cue, kind=kind))]
    (edge,) = edges_from_attributions("c1", DOC, found)
    assert edge.stance == stance


def test_a_negative_label_turns_the_denials_that_state_it_into_support() -> None:
    edges = [
        _edge("Ana Brill", "denies", kind="person"),  # "officials had not contacted them"
        _edge("Pell Dockers", "supports", kind="organisation"),  # "the families were kept informed"
        StanceEdge(
            claim_id="c1",
            actor="The Varn Herald",
            origin="The Varn Herald",
            origin_type="outlet",
            stance="supports",
            document_id="d9",
        ),
    ]
    turned = toward_label("The families were told nothing", edges)
    assert [e.stance for e in turned] == ["supports", "denies", "supports"]
    assert toward_label("The families were told everything", edges) == edges


@pytest.mark.parametrize(
    ("text", "source", "label"),
    [
        ("it boarded the ferry", "Varn Front", "Varn Front boarded the ferry"),
        ("they were the two people in the video", "Gustav Brill", "they were the two people in the video"),
        ("he saw men climb aboard", "A local fisherman", "A local fisherman saw men climb aboard"),
        ("it was raining at the lock", "Mila Tesk", "it was raining at the lock"),
        ("they had not been told", "Relatives of the crew", "Relatives of the crew had not been told"),
    ],
)
def test_a_pronoun_is_filled_with_the_speaker_only_when_it_can_stand_for_them(
    text: str, source: str, label: str
) -> None:
    assert readable(ClaimItem(id="d1:0", text=text, source=source)) == label


# --- the ledger-level score -----------------------------------------------------------------------


def _gold(tmp_path: Path, events: list[dict[str, object]]) -> list[dict[str, object]]:
    path = tmp_path / "gold.json"
    path.write_text(json.dumps({"events": events}), encoding="utf-8")
    return read_gold(path)


def _entry(claim_id: str, text: str, edges: list[tuple[str, str, str]]) -> object:
    made = [
        StanceEdge(claim_id=claim_id, actor=o, origin=o, origin_type="organisation", stance=s, document_id=f"d{i}",
                   evidence=Span(0, len(t), t), kind="indirect", source_stance="assert")
        for i, (o, s, t) in enumerate(edges)
    ]  # fmt: skip
    return build_ledger(Claim(id=claim_id, text=text, members=()), made)


def test_ledger_score_finds_the_event_and_says_what_differs(tmp_path: Path) -> None:
    gold = _gold(tmp_path, [
        {"id": "e1", "claim": "The Front took the lock", "evidence": ["took the lock", "No lock was taken"],
         "status": "disputed", "for": [["Varn Front", "Front"]], "against": [["Pell Harbour Guard"]]},
        {"id": "e2", "claim": "A ferry sank", "evidence": ["a ferry sank"], "status": "unverified",
         "for": [["Ana Brill"]], "against": []},
    ])  # fmt: skip
    ledger = [
        _entry("c1", "the Front took the lock", [("Front", "supports", "it took the lock"),
                                                 ("Pell Harbour Guard", "denies", "No lock was taken")]),
        _entry("c2", "a barge sank", [("Tom Ruck", "supports", "a barge sank")]),
    ]  # fmt: skip
    score = score_ledger(ledger, gold)  # type: ignore[arg-type]
    first, second = score.events
    assert first.right
    assert (first.claim_id, first.held, first.located) == ("c1", 2, 2)
    assert not second.found
    assert second.missing_for == ("Ana Brill",)
    assert score.summary() == {"events": 2, "found": 1, "status_right": 1, "for_right": 1, "against_right": 1,
                               "right": 1, "score": 0.5}  # fmt: skip


def test_ledger_score_splits_an_event_over_two_claims_as_not_found(tmp_path: Path) -> None:
    gold = _gold(tmp_path, [
        {"id": "e1", "claim": "The Front took the lock", "evidence": ["took the lock", "No lock was taken"],
         "status": "disputed", "for": [["Front"]], "against": [["Pell Harbour Guard"]]},
    ])  # fmt: skip
    ledger = [
        _entry("c1", "the Front took the lock", [("Front", "supports", "it took the lock")]),
        _entry("c2", "No lock was taken", [("Pell Harbour Guard", "supports", "No lock was taken")]),
    ]
    (event,) = score_ledger(ledger, gold).events  # type: ignore[arg-type]
    assert not event.found
    assert (event.held, event.located) == (1, 2)
    assert event.missing_against == ("Pell Harbour Guard",)


def test_read_gold_refuses_a_malformed_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(FormatError, match="cannot read the ledger gold"):
        read_gold(bad)
    bad.write_text(json.dumps({"events": []}), encoding="utf-8")
    with pytest.raises(FormatError, match="non-empty 'events'"):
        read_gold(bad)
    bad.write_text(json.dumps({"events": [{"id": "e1", "claim": "x"}]}), encoding="utf-8")
    with pytest.raises(FormatError, match="e1 lacks evidence, status, for, against"):
        read_gold(bad)


def test_a_status_the_veracity_estimate_leans_against_says_why() -> None:
    """Issue 13: a "confirmed" claim shown as more likely false must say why the two differ."""
    confirm = StanceEdge(
        claim_id="c1", actor="Pell Port Authority", origin="Pell Port Authority", origin_type="organisation",
        stance="supports", document_id="d1", kind="indirect", source_stance="confirm", published="2027-02-02",
    )  # fmt: skip
    deniers = [_edge(name, "denies", kind="person") for name in ("Ana Brill", "Tom Ruck", "Ivo Marsh")]
    entry = build_ledger(Claim(id="c1", text="The ferry was seized", members=()), [confirm, *deniers])
    assert entry.status == "confirmed"
    assert dict(entry.veracity)["false"] > dict(entry.veracity)["true"]
    (note,) = [r for r in entry.reasons if r.startswith("The veracity estimate leans false")]
    assert "although the status is confirmed" in note
    assert entry.reasons[-1].startswith("Rule confirmed")
    # the estimate is fitted on Emergent, where one supporting outlet meant little: it agrees from five on
    supporters = [_edge(name, "supports", kind="person") for name in ("A Brill", "T Ruck", "I Marsh", "O Benn")]
    agreeing = build_ledger(Claim(id="c1", text="The ferry was seized", members=()), [confirm, *supporters])
    assert agreeing.status == "confirmed"
    assert not [r for r in agreeing.reasons if r.startswith("The veracity estimate")]
