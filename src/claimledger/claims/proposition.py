"""A claim's label as a reader needs it: a self-contained proposition, built from the claim's clearest member.

Members are statements as the articles wrote them: "it boarded the ship" (said by the Harl Coast Defence
Front), "the ship remained at anchor, where", a quotation cut at a comma. The label is the most central member
among the *clear* ones (:func:`clarity` counts what is wrong with a text; the most central member wins among
those with the fewest faults), then :func:`readable` fills a pronoun subject with the speaker it stands for
("it boarded the ship" said by the Front → "Harl Coast Defence Front boarded the ship") and trims what dangles
at the end (a comma, an opening quote, "where", "as"). The members keep their verbatim text: the label is for
reading, the evidence stays as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from claimledger.types import ClaimItem

__all__ = ["clarity", "clearest", "readable"]

_QUOTES = '"“”'
_SUBJECT_PRONOUNS = frozenset({"it", "he", "she", "they", "we", "i"})
_POSSESSIVE_PRONOUNS = frozenset({"its", "his", "her", "their", "our", "my"})
# Words a cut-off clause can end on: "..., close to where", "..., as", "... and that".
_DANGLING = re.compile(
    r"(?:[\s,;:–—-]+(?:where|as|while|when|because|since|after|before|and|but|or|that|which|who|close to where))+"
    r"[\s,;:“”\"'‘’–—-]*$",
    re.IGNORECASE,
)
_TRAILING = " \t\n,;:–—-‘“"
_WORD = re.compile(r"[\w’'-]+")
_STARTS_AS_FRAGMENT = frozenset({"to", "that", "only", "and", "but", "or", "as", "because", "calls"})


def clarity(text: str) -> int:
    """How many faults keep ``text`` from reading as a proposition: cut off at the end, unbalanced quotes,
    opening as a fragment ("to ...", "only that ..."), fewer than four words. 0 is clear."""
    stripped = text.strip()
    words = _WORD.findall(stripped)
    faults = 0
    if stripped.endswith((",", ";", ":", "“", "‘")) or _DANGLING.search(stripped):
        faults += 1
    if sum(stripped.count(q) for q in _QUOTES) % 2 or stripped.count("“") != stripped.count("”"):
        faults += 1
    if words and words[0].lower() in _STARTS_AS_FRAGMENT:
        faults += 1
    if len(words) < 4:
        faults += 1
    return faults


def clearest(members: Sequence[ClaimItem], centrality: Callable[[ClaimItem], float]) -> ClaimItem:
    """The most central of the members with the fewest faults; the earliest on ties (``max`` keeps it)."""
    fewest = min(clarity(item.text) for item in members)
    return max((item for item in members if clarity(item.text) == fewest), key=centrality)


def readable(item: ClaimItem) -> str:
    """``item``'s text as a label: its speaker in place of a leading pronoun, the dangling end trimmed.

    A leading "it"/"he"/"they" of an indirect statement stands for its speaker far more often than not
    ("the Front said it boarded the ship"); a leading "its" is the speaker's ("its fighters" → "Harl Coast
    Defence Front's fighters"). Headlines and statements without a named speaker keep their pronoun.
    """
    text = _trim(item.text)
    words = text.split(maxsplit=1)
    speaker = _named(item.source or "")
    if len(words) == 2 and speaker and not item.id.endswith(":-1"):  # a headline is the outlet's own wording
        first = words[0].lower()
        if first in _SUBJECT_PRONOUNS - {"i", "we"}:
            text = f"{speaker} {words[1]}"
        elif first in _POSSESSIVE_PRONOUNS - {"our", "my"}:
            text = f"{speaker}’s {words[1]}"
    return text


def _named(speaker: str) -> str:
    """How a label names the speaker: a name as written, a common noun with its article ("The navy")."""
    name = speaker.strip()
    if not name or name.startswith("(") or name.lower() in _SUBJECT_PRONOUNS | _POSSESSIVE_PRONOUNS:
        return ""
    return name if name[0].isupper() else f"The {name}"


def _trim(text: str) -> str:
    out = text.strip()
    while True:
        cut = _DANGLING.sub("", out).rstrip(_TRAILING)
        if cut == out or not cut:
            break
        out = cut
    if out.count("“") > out.count("”") and out.endswith(("“", "‘")):
        out = out.rstrip("“‘ ")
    return out or text.strip()
