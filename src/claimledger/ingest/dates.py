"""Publication dates and language from the furniture of scraped text pages."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

_MONTH_NAMES = (
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
    ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
    ("dec", "december"),
)  # fmt: skip
_MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES, start=1) for name in names}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_PATTERNS = (
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<num>\d\d)-(?P<day>\d\d)(?!\d)"),
    re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE),
    re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE),
)
# The commonest English function words: a cheap, dependency-free language check.
_ENGLISH = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "a",
        "is",
        "that",
        "for",
        "on",
        "was",
        "with",
        "as",
        "by",
        "it",
        "at",
        "from",
        "said",
        "he",
        "his",
        "be",
        "are",
        "has",
        "have",
        "had",
        "were",
        "not",
        "but",
        "an",
        "this",
        "they",
        "who",
        "which",
        "will",
        "its",
        "their",
        "been",
        "would",
    ]
)
_WORD = re.compile(r"[^\W\d_]+")


def find_date(lines: Iterable[str]) -> str | None:
    """The first calendar date written in ``lines`` ("March 13, 2026", "13 Mar 2026", "2026-03-13"), as ISO."""
    for line in lines:
        for pattern in _PATTERNS:
            for match in pattern.finditer(line):
                parts = match.groupdict()
                month = int(parts["num"]) if parts.get("num") else _MONTHS[parts["month"].lower()]
                try:
                    return date(int(parts["year"]), month, int(parts["day"])).isoformat()
                except ValueError:
                    continue
    return None


def guess_language(text: str) -> str | None:
    """``"en"`` when English function words make up a good share of the words, else ``None`` (unknown)."""
    words = [w.lower() for w in _WORD.findall(text[:5000])]
    if len(words) < 20:
        return None
    share = sum(1 for w in words if w in _ENGLISH) / len(words)
    return "en" if share > 0.2 else None
