"""Statements that claim nothing: they carry no stance toward any claim and join no claim.

A refusal to comment is not a denial ("the navy declined to comment", "the government would not comment on
the demand"); a question is not a doubt the ledger can count ("Why is the harbourmaster saying one thing?");
a promise of procedure states nothing about the event ("Sarnholm would establish the whereabouts of the
ship"); the outlet speaking of its own text ("An earlier version of this article said ...") is a correction,
not an origin; and a content of one or two words ("their return", "no indication") is a fragment the
extraction cut from its sentence, which reads as no proposition. Each stays an attribution (the article page
shows it), but :func:`non_claim` tells the ledger to leave it out, with the reason.

The rules look at the attribution's own text only (cue, content, source), so they are cheap, and they are
narrow: a statement wrongly left out loses one edge, one wrongly kept makes a false denial or a fragment
claim, and both are visible in the examples' quality gate (tests/test_quality_gate_ledger_examples.py).
"""

from __future__ import annotations

import re

from claimledger.types import Attribution

__all__ = ["NON_CLAIM_REASONS", "content_text", "non_claim", "stated_pieces"]

NON_CLAIM_REASONS = ("no comment", "question", "procedure", "self-reference", "fragment")

_QUOTES = "\"'“”‘’«»"
_RELATIVE = frozenset({"who", "which", "that", "whom", "whose"})
_TALK = r"(?:comment|discuss|elaborate|speculate|respond|answer|say more|give details|provide details|confirm or deny)"
_NO_COMMENT = re.compile(
    rf"^(?:to\s+{_TALK}\b|no\s+comment\b)"  # "declined [to comment on ...]"
    rf"|\b(?:would|will|could|can|did|does|do)\s*(?:not|n't)\s+{_TALK}\b"  # "the government would not comment"
    rf"|\b(?:declined|refused)\s+to\s+{_TALK}\b",
    re.IGNORECASE,
)
_ASKING = re.compile(r"^(?:ask|wonder|inquir|enquir|question)", re.IGNORECASE)
# The verb of a refusal seen as a cue of its own: "declined to [comment] on Pelk's remarks".
_BARE_TALK = re.compile(r"^(?:comment|discuss|elaborate|speculate|respond|answer|confirm or deny)$", re.IGNORECASE)
_INTERROGATIVE = re.compile(r"^(?:whether|why|how|if|what|who|when|where|which)\b", re.IGNORECASE)
# A subject of a few words, then a future or modal of procedure: "Sarnholm would establish the whereabouts".
_PROCEDURE = re.compile(
    r"^(?:[\w’'-]+\s+){1,5}?(?:would|will|shall|is going to|are going to|plans? to|intends? to)\s+(?:\w+\s+)?"
    r"(?:verify|investigate|establish|check|look into|review|examine|determine|assess|monitor|study|clarify|"
    r"(?:publish|release|provide|share|give|issue)\s+(?:more\s+|further\s+|any\s+)?(?:information|details|"
    r"an update|updates|a statement|a list))\b",
    re.IGNORECASE,
)
# A question reported inside the content: "Radio Osk asked the army whether it planned to storm the plant".
_REPORTED_QUESTION = re.compile(
    r"^(?:[\w’'-]+\s+){1,5}?(?:asked|wondered|wanted to know)\b[^.;]*?\b(?:whether|if|why|how|what|when|who)\b",
    re.IGNORECASE,
)
_SELF = re.compile(
    r"\b(?:(?:an?|the)\s+)?(?:earlier|previous|original)\s+version\s+of\s+this\s+(?:article|story|report)\b"
    r"|\b(?:this|our)\s+(?:article|story|report)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+")
_MIN_WORDS = 3


def stated_pieces(pieces: list[str]) -> list[str]:
    """Content pieces without one that is only a relative pronoun, and without empty ones.

    "who [cue] it is holding aboard a seized cargo ship" states "it is holding aboard a seized cargo ship":
    the "who" is the sentence's way of pointing back to the speaker, not part of what is said.
    """
    kept = [p for p in pieces if p.strip()]
    stated = [p for p in kept if p.strip(_QUOTES + " ,.").lower() not in _RELATIVE]
    return stated or kept


def content_text(attribution: Attribution) -> str:
    """The attribution's content pieces joined (:func:`stated_pieces`)."""
    return " ".join(stated_pieces([span.text.strip() for span in attribution.content]))


def non_claim(attribution: Attribution, text: str | None = None) -> str | None:
    """Why ``attribution`` states no claim (one of :data:`NON_CLAIM_REASONS`), or None when it may state one.

    ``text`` is the statement's text when the caller has already cut it (nested statements taken out);
    by default the attribution's content.
    """
    said = (text if text is not None else content_text(attribution)).strip().strip(_QUOTES).strip()
    cue = attribution.cue.text.strip()
    source = attribution.source.text if attribution.source is not None else ""
    if _NO_COMMENT.search(said) or _BARE_TALK.match(cue):
        return "no comment"
    asking = _ASKING.search(cue) is not None
    if (
        said.rstrip(_QUOTES + " ").endswith("?")
        or _REPORTED_QUESTION.search(said)
        or (asking and (_INTERROGATIVE.search(said) or attribution.stance == "question"))
    ):
        return "question"
    if _PROCEDURE.search(said):
        return "procedure"
    if _SELF.search(source) or _SELF.search(said[:80]):
        return "self-reference"
    if len(_WORD.findall(said)) < _MIN_WORDS:
        return "fragment"
    return None
