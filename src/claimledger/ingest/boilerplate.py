"""Rules that tell a scraped page's furniture from its article, one paragraph at a time.

The rules are cue phrases grouped by family (donation appeal, newsletter, paywall, share
bar, cookie notice, navigation, advertising, legal small print, contact lines, credits,
bylines and timestamps), caption credits, where a page names its own outlet,
and a few shape tests (word count, final punctuation, title case, whether a paragraph
addresses the reader as "you" or speaks as "we"). They know nothing of positions:
``claimledger.ingest.text`` combines them with the page's layout.

Each cue carries a word limit where a phrase is only furniture on a short line
("Subscribe" is a button, a sentence about subscriptions is news).

Layout: the cue table is ``claimledger.ingest.boilerplate_cues``, the ``Cue`` record and its matchers
``claimledger.ingest.matchers``; this module holds the shape tests, the caption and outlet
rules, and ``boilerplate_reason``, which applies the cues to one paragraph.
"""

from __future__ import annotations

import re
from collections import Counter

from claimledger.ingest.boilerplate_cues import BYLINE, BYLINE_CUE, CUES, NAME, PERSON
from claimledger.ingest.matchers import AnyOf, Cue, InOrder, Matcher

__all__ = [
    "BYLINE",
    "CUES",
    "AnyOf",
    "Cue",
    "InOrder",
    "Matcher",
    "addresses_reader",
    "author_of",
    "boilerplate_reason",
    "ends_sentence",
    "is_caption",
    "is_title_cased",
    "outlet_of",
    "unquoted",
    "word_count",
]

_I = re.IGNORECASE
_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")

_AGENCIES = (
    r"(reuters|ap|ap photo|afp|epa|epa-efe|getty images|getty|shutterstock|alamy|xinhua|tass|sputnik|bloomberg|"
    r"wikimedia commons|unsplash|pixabay|pa|pa media|anp|dpa|ria novosti|kremlin\.ru|handout)"
)
_CAPTION = re.compile(
    r"^(photo|photograph|image|picture|illustration|video|graphic|credit|media caption|image caption|image source)s?"
    r"\s*(by\b|:|credit|copyright|source|\w+ ?/)|^(media caption|image caption|image source|caption|credit)s?\s*[,.:]"
    r"|\b(photo|image|picture)\s*(credit|courtesy)\b"
    rf"|(^\W*|\(|[/|©—–]\s*|\.\s+|photo:\s*|credit:\s*){_AGENCIES}(\s*(/|via)\s*{_AGENCIES})?\)?\s*$"
    rf"|^{PERSON}\s*/\s*{NAME}\s*$",
    _I,
)

_CAPTION_SHORT = re.compile(
    r"\b(screenshot|screengrab|screen grab|file photo|stock photo|handout|photo|photograph)\b", _I
)

_CAPTION_PLAIN = re.compile(
    r"\b(pictured|seen here|left to right|courtesy of)\b"
    r"|\((l-r|left|right|center|centre|top|bottom|file)\)",
    _I,
)
_REPORTING = re.compile(r"\b(said|says|told|tells|according to|added|stated|announced|claimed|claims|denied)\b", _I)

_TERMINAL = re.compile(r"[.!?…](?:['\"’”)\]»]|\s)*$")
_PRONOUN = re.compile(
    r"\b(we|we're|we’re|we've|we’ve|we'll|we’ll|our|ours|ourselves|you|you're|you’re|you've|"
    r"you’ve|you'll|you’ll|your|yours|yourself|(?-i:us))\b",
    _I,
)
_MINOR = frozenset(
    {
        "a",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "nor",
        "of",
        "on",
        "or",
        "over",
        "per",
        "than",
        "that",
        "the",
        "to",
        "up",
        "via",
        "vs",
        "with",
    }
)
_OPEN_QUOTES = "“„‟«"
_CLOSE_QUOTES = "”»"


# A line of few "words" may still be long ("A.B.C.D..." is one word): rules for short lines also cap the
# characters, which keeps their worst case small whatever the input.
_CHARS_PER_WORD = 40


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def ends_sentence(text: str) -> bool:
    """Whether ``text`` ends like a sentence: ``.``, ``!``, ``?`` or ``…``, maybe inside quotes or brackets."""
    return bool(_TERMINAL.search(text))


def unquoted(text: str) -> str:
    """``text`` without what is inside double quotes: what the page says in its own voice."""
    out: list[str] = []
    inside = False
    for ch in text:
        if ch in _OPEN_QUOTES:
            inside = True
        elif ch in _CLOSE_QUOTES:
            inside = False
        elif ch == '"':
            inside = not inside
        elif not inside:
            out.append(ch)
    return "".join(out)


def addresses_reader(text: str) -> bool:
    """Whether the page speaks as "we" or to "you" outside quotations (appeals do, reports rarely)."""
    return bool(_PRONOUN.search(unquoted(text)))


def is_title_cased(text: str) -> bool:
    """Headline case: nearly every word that is not a short joiner starts with a capital or digit."""
    words = [w for w in _WORD.findall(text) if w.lower() not in _MINOR]
    if len(words) < 3:
        return False
    capital = sum(1 for w in words if w[0].isupper() or w[0].isdigit())
    return capital >= 0.8 * len(words)


def boilerplate_reason(text: str) -> Cue | None:
    """The first cue that marks ``text`` (one paragraph) as page furniture, or ``None``."""
    words = word_count(text)
    if words <= 12 and BYLINE.match(text):
        return BYLINE_CUE
    own_voice = unquoted(text)
    for cue in CUES:
        if cue.max_words is not None and (words > cue.max_words or len(text) > _CHARS_PER_WORD * cue.max_words):
            continue
        if cue.pattern.search(own_voice) or (words <= 12 and cue.pattern.search(text)):
            return cue
    return None


def is_caption(text: str) -> bool:
    """An image caption or credit line, judged by its wording alone."""
    words = word_count(text)
    if words > 45 or len(text) > _CHARS_PER_WORD * 45:
        return False
    if _CAPTION.search(text):
        return True
    if words <= 25 and _CAPTION_PLAIN.search(text) and not _REPORTING.search(text):
        return True
    return words <= 12 and not ends_sentence(text) and bool(_CAPTION_SHORT.search(text))


def author_of(text: str) -> str | None:
    """The name in a byline such as "By Ilse Marrow, Port Ennis", else ``None``."""
    match = BYLINE.match(text)
    return match.group("name").strip() if match else None


# Where a page names itself: "Support X!", "A Message from X:", "By supporting X", "X's newsletter".
_OUTLET_STRONG = tuple(
    re.compile(p, _I)
    for p in (
        rf"^(?:please\s+)?support\s+(?P<o>{NAME})\s*[!.]?$",
        rf"^a message from\s+(?P<o>{NAME})\s*:?$",
        rf"\bsupporting\s+(?P<o>{NAME})\b",
        rf"\b(?:journalists|team|editors|staff) (?:of|at)\s+(?P<o>{NAME})\b",
        rf"\b(?:subscribe|sign up|donate|contribute) to\s+(?P<o>{NAME})\b",
        rf"(?P<o>{NAME})['’]s (?:\w+ )?(?:newsletter|briefing|journalism|newsroom|reporting)\b",
        rf"(?:©|\(c\)|copyright)\s*(?:\d{{4}}\s*)?(?P<o>{NAME})",
        rf"^(?P<o>{NAME}) (?:is|are|has been|relies|depends)\b[^.]*\b(?:funded|readers?|independent|donations?|"
        r"members|supporters)\b",
    )
)
_OUTLET_WEAK = re.compile(rf"\bfrom\s+(?P<o>{NAME})", _I)
_NOT_OUTLET = frozenset(
    {
        "us",
        "our",
        "you",
        "your",
        "we",
        "independent",
        "journalism",
        "journalists",
        "reporting",
        "work",
        "today",
        "now",
        "monthly",
        "the",
        "privacy",
        "policy",
        "facebook",
        "twitter",
        "google",
        "apple",
    }
)


def _clean_name(name: str) -> str | None:
    name = name.strip().rstrip(".’'")
    words = name.split()
    if not words or all(w.lower() in _NOT_OUTLET for w in words) or words[-1].lower() in _NOT_OUTLET:
        return None
    return name


def outlet_of(texts: list[str]) -> str | None:
    """The outlet a page's furniture names, when it names one consistently; else ``None``.

    A strong mention ("Support X!", "A Message from X:") weighs 3, a bare "from X" 1; the winner
    must reach 3 and beat every other name.
    """
    votes: Counter[str] = Counter()
    for text in texts:
        for pattern in _OUTLET_STRONG:
            for match in pattern.finditer(text):
                name = _clean_name(match.group("o"))
                if name:
                    votes[name] += 3
        for match in _OUTLET_WEAK.finditer(text):
            name = _clean_name(match.group("o"))
            if name:
                votes[name] += 1
    ranked = votes.most_common(2)
    if not ranked or ranked[0][1] < 3 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    return ranked[0][0]
