"""Time expressions attached to a statement, resolved against the publication date.

"on Wednesday" is the latest Wednesday on or before publication; "Sept. 28" takes the
publication year (the year before when that would be more than a week in the future);
"later that day" and "the same day" take the date last resolved in the document;
"today", "yesterday" count from publication. Anything else keeps its span, unresolved.
"""

from __future__ import annotations

import datetime as dt
import re

from claimledger.attribution.cues import word_set
from claimledger.nlp import Token

__all__ = ["find_time", "resolve_time"]

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_TIME_ADVERBS = word_set(
    "initially earlier later yesterday today tonight previously recently originally first afterwards subsequently"
)
_MONTH_DAY = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b")
_DAY_MONTH = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?(?:,?\s+(\d{4}))?\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def _entity_tokens(tok: Token) -> list[Token]:
    if tok.ent_type_ in {"DATE", "TIME"}:
        ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
        if ent is not None:
            return list(ent)
    return [tok]


def find_time(cue: Token) -> list[Token] | None:
    """The tokens of the time expression on a cue (or on the verb a non-finite cue hangs on)."""
    nodes = [cue]
    if cue.dep_ in {"advcl", "xcomp", "conj"} and cue.tag_ in {"VBG", "VB", "VBN"}:
        nodes.append(cue.head)
    elif cue.dep_ == "relcl":  # "released a video on Tuesday showing soldiers it claims were captured"
        node = cue.head
        while node.head.i != node.i:
            node = node.head
            if node.pos_ in {"VERB", "AUX"}:
                nodes.append(node)
    for node in nodes:
        for child in node.children:
            if child.dep_ == "prep" and child.lower_ in {"on", "in", "at", "during", "late", "early"}:
                obj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if obj is not None and obj.ent_type_ in {"DATE", "TIME"}:
                    return _entity_tokens(obj)
            elif child.dep_ in {"npadvmod", "tmod", "advmod", "obl"} and child.ent_type_ in {"DATE", "TIME"}:
                return _entity_tokens(child)
            elif child.dep_ == "advmod" and child.lower_ in _TIME_ADVERBS:
                return [child]
    return None


def _parse_published(published: str | None) -> dt.date | None:
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published[:10])
    except ValueError:
        return None


def _month(word: str) -> int | None:
    return _MONTHS.get(word.lower()[:4].rstrip(".")) or _MONTHS.get(word.lower()[:3])


def resolve_time(text: str, published: str | None, *, anchor: str | None = None) -> str | None:
    """The ISO date ``text`` names, relative to ``published``; ``anchor`` resolves "that day"."""
    low = text.lower().strip()
    pub = _parse_published(published)
    iso = _ISO.search(text)
    if iso:
        try:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3])).isoformat()
        except ValueError:
            return None
    if re.search(r"\b(that|the same) day\b", low):
        return anchor
    for match, month_first in ((_MONTH_DAY.search(text), True), (_DAY_MONTH.search(text), False)):
        if not match:
            continue
        month = _month(match[1] if month_first else match[2])
        day = int(match[2] if month_first else match[1])
        if month is None:
            continue
        year = int(match[3]) if match[3] else (pub.year if pub else None)
        if year is None:
            return None
        try:
            date = dt.date(year, month, day)
        except ValueError:
            return None
        if not match[3] and pub and date > pub + dt.timedelta(days=7):
            date = date.replace(year=year - 1)
        return date.isoformat()
    if pub is None:
        return None
    if re.search(r"\btoday\b|\btonight\b|\bthis (morning|afternoon|evening)\b", low):
        return pub.isoformat()
    if "yesterday" in low:
        return (pub - dt.timedelta(days=1)).isoformat()
    for n, name in enumerate(_WEEKDAYS):
        if name in low:
            back = (pub.weekday() - n) % 7
            if "last" in low.split() and back == 0:
                back = 7
            return (pub - dt.timedelta(days=back)).isoformat()
    return None
