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

__all__ = ["clarity", "clearest", "first_sentence", "negated", "readable"]

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
_NEGATIONS = frozenset({"no", "not", "never", "nobody", "nothing", "none", "noone", "neither", "nor", "cannot"})
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’']?\s+(?=[\"“‘']?[A-Z])")


def negated(text: str) -> bool:
    """Whether ``text`` states its proposition negatively ("No vessel has been seized", "the families were
    told nothing"): a negation among the words of its first clause (before a comma or semicolon)."""
    clause = re.split(r"[,;:]", text.strip(), maxsplit=1)[0]
    return any(w.lower() in _NEGATIONS or w.lower().endswith(("n't", "n’t")) for w in _WORD.findall(clause))


def first_sentence(text: str) -> str:
    """The first sentence of ``text``: a quotation of several sentences states its main claim first, and the
    sentences after it ("We will not negotiate with a video.") are other claims that would blur it."""
    return _SENTENCE_END.split(text.strip(), maxsplit=1)[0]


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
    """The most central of the members with the fewest faults, stated positively where one is ("the Front
    seized the ship" over "no ship had been seized": a claim reads as what is claimed, its denials stand
    against it); the earliest on ties (``max`` keeps it)."""
    fewest = min(clarity(item.text) for item in members)
    clear = [item for item in members if clarity(item.text) == fewest]
    positive = [item for item in clear if not negated(item.text)] or clear
    return max(positive, key=centrality)


def readable(item: ClaimItem) -> str:
    """``item``'s text as a label: its speaker in place of a leading pronoun, the dangling end trimmed.

    A leading "it"/"he"/"they" of an indirect statement stands for its speaker far more often than not
    ("the Front said it boarded the ship"); a leading "its" is the speaker's ("its fighters" → "Harl Coast
    Defence Front's fighters"). Headlines and statements without a named speaker keep their pronoun.
    """
    text = _balanced(_trim(item.text))
    words = text.split(maxsplit=1)
    speaker = _named(item.source or "")
    if speaker and item.cue and not item.id.endswith(":-1") and _verbless(text):
        # "the allegation a hoax" (the army called ...), "calls to step down" (the minister rejected ...):
        # what was said is an object of the cue, so the statement reads only with its speaker and cue
        return f"{speaker} {item.cue.strip()} {text}"
    if len(words) == 2 and speaker and not item.id.endswith(":-1"):  # a headline is the outlet's own wording
        first = words[0].lower()
        if first in _SUBJECT_PRONOUNS - {"i", "we"} and _agrees(first, speaker):
            text = f"{speaker} {words[1]}"
        elif first in _POSSESSIVE_PRONOUNS - {"our", "my"} and _agrees(first, speaker):
            text = f"{speaker}’s {words[1]}"
    return text


_BODY_WORDS = re.compile(
    r"\b(?:front|ministry|navy|army|government|group|authority|company|carriers|union|council|office|agency|"
    r"police|party|movement|militia|forces?|service|department|committee|court|bank|corporation|inc|ltd|guard|"
    r"coastguard|port|city|state|club|team|unit|brigade|battalion|regiment|command|institute|university|"
    r"hospital|school|network|press|news|times|post|radio|television|operator|firm|board|administration)\b",
    re.IGNORECASE,
)


def _agrees(pronoun: str, speaker: str) -> bool:
    """Whether the pronoun can stand for the speaker: "it" for a body ("the Front said it ..."), "he"/"she"
    for a person, "they" for a plural or a body. "Gustav Ilm said they were ..." speaks of others."""
    body = bool(_BODY_WORDS.search(speaker))
    head = re.split(r"\s+(?:of|from|in|at|for)\s+", speaker, maxsplit=1)[0].split()[-1].lower()
    plural = head.endswith("s") and not head.endswith("ss")
    if pronoun in {"it", "its"}:
        return body and not plural
    if pronoun in {"they", "their"}:
        return plural or body
    return not body  # he, she, his, her


def _wordlist(text: str) -> frozenset[str]:
    return frozenset(text.split())


_AUXILIARIES = _wordlist(
    """is are was were be been am has have had will would can could may might must shall should did does do
    isn't aren't wasn't weren't hasn't haven't hadn't won't wouldn't can't couldn't didn't doesn't don't
    said says told tells took takes hit hits saw sees made makes left leaves went goes came comes gave gives held
    holds ran runs kept keeps knew knows thought thinks got gets found finds put puts set sets lost loses
    began begins brought brings sent sends fell falls met meets paid pays seized boarded"""
)


def _verbless(text: str) -> bool:
    """Whether ``text`` has no word that looks like a verb of its own ("the claim unfounded", "a mistake in
    the first message"): no auxiliary, no common verb form, no "-ed" word after its first."""
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return False
    return not any(w in _AUXILIARIES or (i > 0 and w.endswith("ed") and len(w) > 4) for i, w in enumerate(words))


def _balanced(text: str) -> str:
    """A label whose quotation was cut before its closing mark gets the mark back ("were “tired but in good
    health." → "were “tired but in good health.”"); an opening mark with nothing after it goes."""
    out = text
    if out.count("“") > out.count("”"):
        out = out + "”"
    if out.count('"') % 2:
        out = out + '"'
    return out


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
