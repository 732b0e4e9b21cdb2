"""Rules that tell a scraped page's furniture from its article, one paragraph at a time.

The rules are cue phrases grouped by family (donation appeal, newsletter, paywall, share
bar, cookie notice, navigation, advertising, legal small print, contact lines, credits,
bylines and timestamps), caption credits, where a page names its own outlet,
and a few shape tests (word count, final punctuation, title case, whether a paragraph
addresses the reader as "you" or speaks as "we"). They know nothing of positions:
``claimledger.ingest.text`` combines them with the page's layout.

Each cue carries a word limit where a phrase is only furniture on a short line
("Subscribe" is a button, a sentence about subscriptions is news).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Protocol

__all__ = [
    "BYLINE",
    "Cue",
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


class Matcher(Protocol):
    def search(self, text: str) -> object: ...


@dataclass(frozen=True)
class InOrder:
    """Matches a line where ``first`` is followed by ``then``, as the regex ``first.*then`` would, in
    linear time: that regex retries the rest of the line from every match of ``first``, which is
    quadratic on a long paragraph ("we we we ..." of 24 KB took 6 s)."""

    first: re.Pattern[str]
    then: re.Pattern[str]

    def search(self, text: str) -> bool:
        for line in text.split("\n"):
            found = self.first.search(line)
            if found is not None and self.then.search(line, found.end()) is not None:
                return True
        return False


@dataclass(frozen=True)
class AnyOf:
    """Matches where any of its matchers does."""

    matchers: tuple[Matcher, ...]

    def search(self, text: str) -> bool:
        return any(m.search(text) for m in self.matchers)


@dataclass(frozen=True)
class Cue:
    """One boilerplate phrase: its family, pattern, and the longest paragraph it applies to."""

    reason: str
    pattern: Matcher
    max_words: int | None = None  # ``None``: applies to paragraphs of any length
    opens: str | None = None  # what a line like this starts: an "appeal", a "list", or the page "footer"


def _cue(reason: str, pattern: str, max_words: int | None = None, opens: str | None = None) -> Cue:
    return Cue(reason, re.compile(pattern, _I), max_words, opens)


# Proper names: an outlet or person, capitalised words with a few lower-case joiners.
# Outlet names never run on past a full stop ("The Valdoria Herald. All rights reserved.");
# person names keep their initials ("J. R. Kell").
_TOKEN = r"[A-Z][\w&'’\-]*(?:\.\w[\w&'’\-]*)*"
_NAME = rf"(?-i:(?<![\w&'’.\-])(?:The\s+)?{_TOKEN}(?:(?:\s+(?:of|and|&|for|on|the))?\s+{_TOKEN}){{0,5}})"
_PERSON = r"(?-i:[A-Z][\w'’\-]*\.?(?:\s+(?:de|du|van|von|der|al|bin|la|le)?\s*[A-Z][\w'’\-]*\.?){0,4})"
_SOCIAL = (
    "facebook|twitter|x|whatsapp|linkedin|e-?mail|mail|print|reddit|telegram|pinterest|messenger|tumblr|"
    "flipboard|pocket|copy|link|url|share|tweet|sms|vk|weibo|wechat|threads|bluesky|mastodon|instagram|"
    "youtube|tiktok|viber|line|skype|google\\+?|this|article|on|via"
)
_COOKIE = re.compile(r"\bcookies?\b", _I)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"

CUES: tuple[Cue, ...] = (
    # Donation appeals and paywall prompts.
    _cue("donation-appeal", r"^a message from\b", 10, "appeal"),
    _cue("donation-appeal", r"^dear (readers?|friends?|supporters?|subscribers?|visitors?|members?)\b", 12, "appeal"),
    _cue(
        "donation-appeal",
        r"^(please )?(support|donate to|fund|back) (us|our \w+|independent \w+|quality \w+|"
        r"local \w+|free \w+|journalism)\b",
        8,
        "appeal",
    ),
    _cue("donation-appeal", r"^(please )?support (?-i:[A-Z])[^.?]*!$", 8, "appeal"),
    _cue(
        "donation-appeal",
        r"\b(support|donate to|fund|back) (us|our (work|journalism|reporting|newsroom|"
        r"mission|journalists|coverage))\b",
    ),
    _cue("donation-appeal", r"\byour (support|contribution|donation|gift|generosity)\b"),
    _cue(
        "donation-appeal",
        r"\b(make|give) a (one-time |one-off |monthly |small |tax-deductible )?"
        r"(donation|contribution|gift)\b",
    ),
    _cue("donation-appeal", r"^(donate|contribute|give)( now| today| here| monthly| once)?\W*$", None, "appeal"),
    _cue("donation-appeal", r"\b(donate|contribute|subscribe) (now|today)\b"),
    _cue("donation-appeal", r"\bbecome an? (member|supporter|patron|subscriber|friend|donor)\b"),
    _cue("donation-appeal", r"^not ready to (support|donate|give|contribute|subscribe|pay)\b", 10),
    _cue("donation-appeal", r"\b(remind me later|maybe later|ask me later|no,? thanks)\b", 8),
    _cue("donation-appeal", r"\bpa[iy]ment (methods?|options?)\b", 8),
    _cue("donation-appeal", r"\b(readers|people|supporters) like you\b"),
    _cue("donation-appeal", r"\bwe need your (help|support)\b"),
    _cue("donation-appeal", r"\b(chip in|every contribution|any contribution|no matter how small)\b", 15),
    _cue("donation-appeal", r"\b(starting (from|at)|from (just|only)|for (just|only)|as little as) [$€£]\s?\d"),
    _cue("donation-appeal", r"\bthank you for (standing with us|your support|supporting|reading)\b"),
    _cue(
        "donation-appeal",
        r"\bconsider (supporting (us|our|(?-i:The [A-Z]))|donating|subscribing|making a (donation|"
        r"contribution|gift)|a (donation|contribution))\b",
    ),
    _cue("donation-appeal", r"\b(reader|member)-(funded|supported)\b"),
    _cue(
        "donation-appeal",
        r"^(once|one-time|one time|one-off|monthly|annual|annually|yearly|continue|other amount|"
        r"[$€£]\s?\d+([.,]\d+)?( ?(/|per|a) ?(mo|month|year|yr))?)$",
        3,
    ),
    _cue("donation-appeal", r"^(please )?support the (?-i:[A-Z])[\w'’ ]*$", 6, "appeal"),
    _cue("donation-appeal", r"\b(funded|supported|powered) by (readers|our readers|you|members|our members)\b"),
    _cue(
        "donation-appeal",
        r"\b(depend|depends|rely|relies) on (readers|our readers|you|your support|"
        r"people like you)\b",
    ),
    # Paywalls and log-in prompts.
    _cue(
        "paywall",
        r"\balready (a )?(subscriber|member|registered)\b|\b(free articles?|article limit|unlimited "
        r"(digital )?access|subscribers? only|for subscribers)\b",
        25,
    ),
    # Newsletter and e-mail sign-ups.
    _cue(
        "newsletter",
        r"\b(sign(ing)? up|subscribe) (for|to) (our|the|free|a|this|daily|weekly)\b.*\b(newsletters?|"
        r"briefings?|alerts?|digest|updates|podcast)\b|\b(get|receive|join) (our|the|free|this) (\w+ )?newsletters?\b",
        30,
        "appeal",
    ),
    _cue("newsletter", r"\b(our|your|free) (\w+ ){0,2}newsletters?\b", None, "appeal"),
    _cue("newsletter", r"^[^.!?]*\bnewsletters?\b[^.!?]*$", 10, "appeal"),
    _cue("newsletter", r"^(subscribe|sign up|register)( now| today| for free| here| to\b| for\b|\W*$)", 12, "appeal"),
    _cue("newsletter", r"\bsubscribers? (agree|acknowledge|consent)\b"),
    _cue("newsletter", r"\b(agree|consent)\w* to (our|the) (privacy|terms|cookie)\b"),
    _cue("newsletter", r"\b(in|into|to) your (inbox|mailbox|e-?mail)\b"),
    _cue("newsletter", r"\benter (your )?e-?mail\b|^(your )?e-?mail( address)?\W*$|\bunsubscribe\b"),
    _cue("newsletter", r"\bnever miss (a|the|an)\b", 30),
    _cue("newsletter", r"\bsign up (here|now|today)\b", 20, "appeal"),
    # Share bars and social prompts.
    _cue("share", rf"^(?:(?:{_SOCIAL})\b[\s,|/·•:+\-]*)+$", 12),
    _cue("share", r"^share( this| on| via|:|\W*$)", 8),
    _cue("share", r"\b(click|tap) to (share|tweet|print|e-?mail)\b"),
    _cue(
        "share",
        r"\bfollow (us|(?-i:[A-Z]\w*)( (?-i:[A-Z]\w*)){0,3}) on (twitter|facebook|instagram|x|telegram|"
        r"tiktok|youtube|linkedin|threads|bluesky|whatsapp)\b",
        20,
    ),
    _cue("share", r"^(pin it|email this|print this( article| page)?|copy (link|url))\W*$"),
    _cue("share", r"^(follow us|link copied|save|saved|bookmark|gift (this )?article)\W*$"),
    _cue("share", r"^join (us|our) (on )?(\w+ ){0,2}(channel|group|community|server)\b", 12),
    # Cookie and consent notices.
    Cue(
        "cookie",
        AnyOf(
            (
                InOrder(re.compile(r"\b(we|this (web)?site|our (web)?site|our partners)\b", _I), _COOKIE),
                InOrder(
                    _COOKIE,
                    re.compile(
                        r"\b(accept|consent|settings|preferences|policy|browsing experience|personali[sz]\w*)\b", _I
                    ),
                ),
                re.compile(r"\b(accept|allow) (all )?cookies\b", _I),
            )
        ),
    ),
    _cue(
        "cookie",
        r"^(accept|reject|allow|decline|agree)( all)?( cookies)?\W*$"
        r"|^manage (preferences|settings|cookies)\W*$",
    ),
    _cue(
        "cookie",
        r"\bmanage (cookie|consent|privacy) (settings|preferences|options)\b|\bby continuing to "
        r"(use|browse)\b|\bdo not sell( or share)? my\b",
    ),
    _cue(
        "cookie",
        r"^(privacy|cookie|consent) (settings|preferences|options|choices)\W*$"
        r"|^(i agree|i accept|got it|ok|okay|dismiss)\W*$",
    ),
    # Navigation, related links, page chrome.
    _cue("navigation", r"^(read|see) (more|also|next)\b", 25, "list"),
    _cue("navigation", r"^read the (rest|full|whole|original) ", 12),
    _cue(
        "navigation",
        r"^related( (articles?|stories|story|coverage|content|news|topics|reading|links|posts))?\b",
        20,
        "list",
    ),
    _cue(
        "navigation",
        r"^(also read|read next|up next|recommended( for you| reading| stories)?|most (read|popular|"
        r"viewed|shared)|trending( now| stories)?|top stories|latest( news| stories| videos?)?|editor'?s picks?|"
        r"you (may|might) (also )?(like|enjoy)|what to read next|more (stories|news|videos?|like this))(\s*:.*|\W*)$",
        20,
        "list",
    ),
    _cue("navigation", r"^more (from|on|in|about) ", 8, "list"),
    _cue("navigation", r"^(skip to (main )?content|back to top|jump to|continue reading|click here|tap here)\b", 8),
    _cue(
        "navigation",
        r"^(home|menu|search|log ?in|log ?out|sign ?in|sign out|my account|close|next( article| story)?|"
        r"previous( article| story)?|prev|back|more|open|toggle navigation|main menu|loading\W*)\W*$",
    ),
    _cue("navigation", r"^(tags?|topics?|related topics|filed under|categories|more about)\W*$", None, "list"),
    _cue("navigation", r"^(learn more|find out more)\W*$|^(watch|video|listen|gallery|photos)\s*:", 15),
    _cue("navigation", r"\b(your browser|enable javascript|javascript is (disabled|required))\b", 15),
    _cue(
        "contact",
        r"^(please )?(e-?mail|contact|write to|reach) (us|me|the author|the reporter|the writer)\b"
        r"|\b(e-?mail|contact|reach|write to) (us|me|the author|the reporter) at\b"
        r"|(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.]+\b",
        25,
    ),
    _cue("navigation", r"^(tags?|topics?|filed under|categories|category|keywords|sections?)\s*:", 30),
    _cue("navigation", r"^(download|get) (the|our) (free )?app\b", 12),
    _cue(
        "navigation",
        r"^(\d+\s+)?comments?\W*$|^(leave|post|add|view|show|load|read) (a |all |the |more )?"
        r"comments?\b|^join the (conversation|discussion)\b",
        10,
    ),
    _cue("navigation", r"^(listen|play|watch)( to)?( this| the)? (article|story|video|audio|podcast)\b", 8),
    _cue("advertising", r"^advertisement\b|\b(from|by) our (partners|sponsors)\b|^paid for by\b", 8),
    _cue(
        "advertising",
        r"^(advertisement|advertising|ad|sponsored( content)?|promoted( content)?|paid (content|post|"
        r"partnership)|partner content|(story|article) continues below( advertisement)?)\W*$",
    ),
    _cue("legal", r"\ball rights reserved\b|^(©|\(c\)|copyright\b)", 30, "footer"),
    _cue("legal", r"^(privacy( policy)?|terms (of|and) (use|service|conditions)|contact us|about us|imprint)\W*$"),
    # Credits and author notes at the foot of a story.
    _cue(
        "credits",
        r"^(additional )?(reporting|writing|editing|research|compiled|translated|produced|edited) by\b"
        r"|\bcontributed (to )?(this )?(report|reporting|story|article)\b|^this (article|story) (was )?(originally|"
        r"first) (published|appeared)\b|^our standards:",
        30,
    ),
    _cue(
        "credits",
        rf"^(?!.*\b(said|says|told)\b){_PERSON} is an? ([\w-]+ ){{0,4}}(reporter|correspondent|journalist|"
        r"writer|editor|columnist|contributor|producer) (for|at|with|based in)\b[^.]*\.?$",
        20,
    ),
    # Metadata lines: bylines and timestamps.
    _cue(
        "metadata",
        rf"^(published|updated|posted|last (updated|modified)|first published)( on| at)?\s*:?\s*"
        rf"(\w+,?\s+)?(\d|{_MONTH}|(mon|tues|wednes|thurs|fri|satur|sun)day|yesterday|today)",
        15,
    ),
    _cue(
        "metadata",
        rf"^((mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}|"
        rf"{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})\b[\d\s:.,apmAPMutcUTCGMTgmt+\-]*$",
        10,
    ),
    _cue(
        "metadata",
        rf"^(?!.*[.!?…]\W*$).*\b({_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}|"
        rf"\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[./]\d{{1,2}}[./]\d{{4}})\b",
        15,
    ),
    _cue("metadata", r"^\d+\s*min(ute)?s?( read)?\W*$|\b\d+\s*min(ute)?s? read\W*$", 6),
    _cue(
        "metadata",
        r"^(updated |posted |published )?(\d+\s*(s|m|h|d|w|mins?|minutes?|hrs?|hours?|days?|weeks?|"
        r"months?)|an? (minute|hour|day|week|month)) ago\W*$|^just now\W*$",
        6,
    ),
)

BYLINE = re.compile(rf"^by\s+(?P<name>{_PERSON}(?:\s+(?:and|&)\s+{_PERSON})*)\s*(?:[,|/\-–—]\s*[^.!?]*)?$", _I)
_BYLINE_CUE = Cue("byline", BYLINE, 12)

_AGENCIES = (
    r"(reuters|ap|ap photo|afp|epa|epa-efe|getty images|getty|shutterstock|alamy|xinhua|tass|sputnik|bloomberg|"
    r"wikimedia commons|unsplash|pixabay|pa|pa media|anp|dpa|ria novosti|kremlin\.ru|handout)"
)
_CAPTION = re.compile(
    r"^(photo|photograph|image|picture|illustration|video|graphic|credit|media caption|image caption|image source)s?"
    r"\s*(by\b|:|credit|copyright|source|\w+ ?/)|^(media caption|image caption|image source|caption|credit)s?\s*[,.:]"
    r"|\b(photo|image|picture)\s*(credit|courtesy)\b"
    rf"|(^\W*|\(|[/|©—–]\s*|\.\s+|photo:\s*|credit:\s*){_AGENCIES}(\s*(/|via)\s*{_AGENCIES})?\)?\s*$"
    rf"|^{_PERSON}\s*/\s*{_NAME}\s*$",
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
        return _BYLINE_CUE
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
        rf"^(?:please\s+)?support\s+(?P<o>{_NAME})\s*[!.]?$",
        rf"^a message from\s+(?P<o>{_NAME})\s*:?$",
        rf"\bsupporting\s+(?P<o>{_NAME})\b",
        rf"\b(?:journalists|team|editors|staff) (?:of|at)\s+(?P<o>{_NAME})\b",
        rf"\b(?:subscribe|sign up|donate|contribute) to\s+(?P<o>{_NAME})\b",
        rf"(?P<o>{_NAME})['’]s (?:\w+ )?(?:newsletter|briefing|journalism|newsroom|reporting)\b",
        rf"(?:©|\(c\)|copyright)\s*(?:\d{{4}}\s*)?(?P<o>{_NAME})",
        rf"^(?P<o>{_NAME}) (?:is|are|has been|relies|depends)\b[^.]*\b(?:funded|readers?|independent|donations?|"
        r"members|supporters)\b",
    )
)
_OUTLET_WEAK = re.compile(rf"\bfrom\s+(?P<o>{_NAME})", _I)
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
