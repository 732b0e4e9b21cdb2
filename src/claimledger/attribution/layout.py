"""Attributions written by layout rather than by a verb.

- a speaker label before a colon, as in transcripts and headlines: "WALLACE: Let's start ...",
  "Senator Ames: Budget Plan Is Dead";
- a quotation signed after a dash: "“We will not give up.” ― Maria Lopez".

Both hand back paragraph-relative ``(cue, source, content)`` character spans and the
source's head token; the engine turns them into attributions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claimledger.nlp import Doc, Token

__all__ = ["Labelled", "colon_label", "dash_signature"]

_DASHES = ("―", "—", "–", "--")
_MAX_LABEL_TOKENS = 5
_MAX_SIGNATURE_TOKENS = 8
_REPORTERS = frozenset({"poll", "survey", "study", "report", "analysis", "source", "official", "police", "witness"})
_QUOTE_OPEN = '“"”„«'


@dataclass(frozen=True)
class Labelled:
    cue: tuple[int, int]
    source: tuple[int, int]
    content: tuple[int, int]
    head: Token
    source_tokens: tuple[Token, ...]


def _names_only(tokens: list[Token]) -> bool:
    """Words that can make a speaker label: capitalised, no verbs, at least one proper noun or name."""
    if not tokens or len(tokens) > _MAX_LABEL_TOKENS:
        return False
    if any(t.pos_ in {"VERB", "AUX"} and not t.is_upper for t in tokens):
        return False
    words = [t for t in tokens if not t.is_punct]
    if len(words) == 1 and words[0].is_title and words[0].lemma_.lower() in _REPORTERS:
        return True  # "Poll: ...", "Sources: ..."
    if not words or not all(
        t.is_title or t.is_upper or t.lower_ in {"de", "van", "von", "al"} or t.text.endswith(".") for t in words
    ):
        return False
    return any(t.pos_ == "PROPN" or t.ent_type_ in {"PERSON", "ORG", "GPE"} or t.is_upper for t in words)


def _head(tokens: list[Token]) -> Token:
    inside = {t.i for t in tokens}
    return next((t for t in tokens if t.head.i not in inside or t.head.i == t.i), tokens[-1])


def colon_label(doc: Doc) -> Labelled | None:
    """ "NAME: text" at the start of a paragraph."""
    colon = next((t for t in doc[: _MAX_LABEL_TOKENS + 1] if t.text == ":"), None)
    if colon is None or colon.i == 0:
        return None
    label = [t for t in doc[: colon.i] if not t.is_space]
    rest = doc.text[colon.idx + 1 :]
    if not _names_only(label) or len(rest.split()) < 3:
        return None
    start = colon.idx + 1 + (len(rest) - len(rest.lstrip()))
    end = len(doc.text.rstrip())
    if end <= start:
        return None
    source = (label[0].idx, label[-1].idx + len(label[-1].text))
    return Labelled((colon.idx, colon.idx + 1), source, (start, end), _head(label), tuple(label))


_SIGNED = re.compile(r"(?P<dash>―|—|–|--)\s*(?P<name>[^―—–\n]{2,80})$")


def dash_signature(doc: Doc) -> Labelled | None:
    """ "“quotation” ― Name, role" at the end of a paragraph that opens with a quotation mark."""
    text = doc.text.rstrip()
    if not text or text[0] not in _QUOTE_OPEN:
        return None
    match = _SIGNED.search(text)
    if match is None:
        return None
    name_start, name_end = match.start("name"), match.end("name")
    name = [t for t in doc if name_start <= t.idx < name_end and not t.is_space]
    first = name[:1]
    if not first or not (first[0].is_title or first[0].is_upper) or len(name) > _MAX_SIGNATURE_TOKENS:
        return None
    content_end = match.start("dash")
    while content_end > 0 and text[content_end - 1].isspace():
        content_end -= 1
    if content_end <= 1:
        return None
    who = [t for t in name if t.text != ","]
    cut = next((i for i, t in enumerate(name) if t.text == ","), len(name))
    who = name[:cut] or who
    source = (who[0].idx, who[-1].idx + len(who[-1].text))
    return Labelled((match.start("dash"), match.end("dash")), source, (1, content_end), _head(who), tuple(who))
