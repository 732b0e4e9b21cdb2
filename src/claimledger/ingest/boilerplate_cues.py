"""The table of boilerplate cues: page-furniture phrases, family by family, and the byline rule.

``CUES`` is read in order by ``claimledger.ingest.boilerplate.boilerplate_reason`` (the first
cue that applies names the paragraph's family); ``BYLINE`` and ``BYLINE_CUE`` mark bylines.
``NAME`` and ``PERSON`` are the regex fragments for an outlet's or a person's name, shared with
the caption and outlet rules. How a cue matches is in ``claimledger.ingest.matchers``.
"""

from __future__ import annotations

import re

from claimledger.ingest.matchers import AnyOf, Cue, InOrder

__all__ = ["BYLINE", "BYLINE_CUE", "CUES", "NAME", "PERSON"]

_I = re.IGNORECASE


def _cue(reason: str, pattern: str, max_words: int | None = None, opens: str | None = None) -> Cue:
    return Cue(reason, re.compile(pattern, _I), max_words, opens)


# Proper names: an outlet or person, capitalised words with a few lower-case joiners.
# Outlet names never run on past a full stop ("The Valdoria Herald. All rights reserved.");
# person names keep their initials ("J. R. Kell").
_TOKEN = r"[A-Z][\w&'’\-]*(?:\.\w[\w&'’\-]*)*"
NAME = rf"(?-i:(?<![\w&'’.\-])(?:The\s+)?{_TOKEN}(?:(?:\s+(?:of|and|&|for|on|the))?\s+{_TOKEN}){{0,5}})"
PERSON = r"(?-i:[A-Z][\w'’\-]*\.?(?:\s+(?:de|du|van|von|der|al|bin|la|le)?\s*[A-Z][\w'’\-]*\.?){0,4})"
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
    _cue("donation-appeal", r"\b(funded|supported|powered) by (its |our )?(readers|you|members|subscribers)\b"),
    # A giving widget flattened into a paragraph: "Give once or monthly: 5 | 10 | 25 | Other amount",
    # "One-off | Monthly | Yearly".
    _cue(
        "donation-appeal",
        r"\b(one-off|one-time|once|monthly|yearly|annual(ly)?)\s*\|\s*(monthly|yearly|annual(ly)?|other amount)\b"
        r"|(?:[$€£]?\d+\s*\|\s*){2,}(?:[$€£]?\d+|other amount)\b|\bgive (once|monthly|now|today)\b",
    ),
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
        rf"^(?!.*\b(said|says|told)\b){PERSON} is an? ([\w-]+ ){{0,4}}(reporter|correspondent|journalist|"
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

BYLINE = re.compile(rf"^by\s+(?P<name>{PERSON}(?:\s+(?:and|&)\s+{PERSON})*)\s*(?:[,|/\-–—]\s*[^.!?]*)?$", _I)
BYLINE_CUE = Cue("byline", BYLINE, 12)
