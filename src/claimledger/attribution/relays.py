"""Relays: the outlets and channels a statement travelled through before this article.

Forms recognised, nearest relay first: the channel ("in an online statement", "in an
interview with X", "on Twitter"), the listener when it is an outlet ("told the X news
outlet"), the agent of "was cited/quoted by X", "according to X" around a cue, and the
outlet that reported it ("X reported, citing Y": Y is the source, X the relay).
"""

from __future__ import annotations

import re

from claimledger.attribution.cues import word_set
from claimledger.attribution.sources import MASTHEADS, np_tokens
from claimledger.nlp import SLASH_NAME, Token

__all__ = ["citing", "find_relays", "is_outlet", "named_outlet"]

_MEDIA = word_set(
    "newspaper paper agency outlet channel network broadcaster magazine daily tv television radio "
    "website tabloid journal wire station news newswire publication blog podcast show program "
    "programme"
)
# Well-known wire services and broadcasters, by name; anything else needs a media noun.
_OUTLET_NAMES = word_set(
    "reuters ap afp cnn bbc bloomberg nbc abc cbs fox msnbc npr pbs politico axios xinhua aljazeera "
    "dpa efe ansa kyodo yonhap"
)
_CHANNELS = word_set(
    "statement interview press conference briefing post tweet video message letter release broadcast "
    "communique communiqué blog op-ed editorial speech appearance remarks"
)
_PLATFORMS = word_set("twitter facebook telegram instagram youtube x vkontakte weibo tiktok")
# Bodies people tell things to that are not outlets: "told the Security Council", "told the Chamber of Commerce".
_INSTITUTIONS = word_set(
    "council committee parliament congress senate assembly court tribunal chamber commission ministry "
    "department authority union board cross crescent bank fund police army navy government cabinet office "
    "embassy consulate university school hospital church party federation association league club"
)
# Acronyms of bodies that are not outlets ("told NATO allies", "told the UN").
_NOT_OUTLET_ACRONYMS = word_set(
    "un nato eu imf who fbi cia nsa nasa opec icc icj osce unicef unesco unhcr wto iaea asean au oas ecb"
)
_CALL_LETTERS = re.compile(r"^[KW][A-Z]{2,3}(?:-(?:TV|FM|AM|DT))?$")  # broadcasters' call signs: KVOR, WKTR-TV
_CAMEL = re.compile(r"^(?:[A-Z][a-z]+[A-Z][A-Za-z]*|[A-Z]{2,}[a-z]+[A-Za-z]*)$")  # TheSpindle, TOLOvision
_ACRONYM = re.compile(r"^[A-Z]{2,5}$")
_WITH_DIGITS = re.compile(r"^[A-Z][A-Za-z]*\d+$")  # Ostrel24


def is_outlet(head: Token) -> bool:
    """Whether a noun phrase names a media outlet: a media noun, or a well-known wire or broadcaster."""
    tokens = np_tokens(head)
    if head.pos_ == "PROPN" and (head.lower_ in MASTHEADS or head.lower_ in _MEDIA) and len(tokens) > 1:
        return True  # "Skyward Daily", "Varn Herald": a masthead, whatever person the recogniser sees in it
    if any(t.lemma_.lower() in _MEDIA or t.lower_ in _MEDIA for t in tokens if t.i <= head.i):
        return head.ent_type_ != "PERSON"
    if head.pos_ == "PROPN" and head.lower_ in MASTHEADS:
        return True
    return any(t.lower_ in _OUTLET_NAMES for t in tokens)


def named_outlet(head: Token) -> bool:
    """Whether the name a statement was told to is an outlet's although no list knows it: the listener of
    "told" carries a statement on only when it is a news organisation, and in news text a proper name in that
    place that is no person, place or institution is one. Shapes decide where the entity recogniser is unsure:
    call letters (KVOR, WKTR-TV), CamelCase (TheSpindle, TOLOvision), a name with digits (Ostrel24), an acronym
    that names no international body (FNA, not NATO)."""
    tokens = [t for t in np_tokens(head) if t.i <= head.i or t.dep_ == "compound"]
    names = [t for t in tokens if t.pos_ == "PROPN" or t.text[:1].isupper()]
    if head.pos_ != "PROPN" or not names or tokens[0].lower_ in {"his", "her", "their", "its", "my", "our"}:
        return False
    words = {t.lower_ for t in tokens} | {t.lemma_.lower() for t in tokens}
    if words & _INSTITUTIONS or words & _NOT_OUTLET_ACRONYMS:
        return False
    shapes = (_CALL_LETTERS, _CAMEL, _WITH_DIGITS, SLASH_NAME)  # the last: Re/code
    if any(shape.match(t.text) for shape in shapes for t in names):
        return True
    if any(_ACRONYM.match(t.text) for t in names if t.i < head.i):  # "RTV Marel": a broadcaster's initials
        return True
    text = head.text
    if head.ent_type_ in {"PERSON", "GPE", "NORP", "LOC", "FAC"}:
        return False
    if _ACRONYM.match(text):
        return True
    # One unknown name in the listener's place ("told Meridian", "told Politiko"): an outlet unless the
    # recogniser calls it a person or a place (above); two words or more of a name read as a person's.
    return len(names) == 1 and head.ent_type_ in {"", "ORG", "PRODUCT", "WORK_OF_ART"}


def _pobj(prep: Token) -> Token | None:
    return next((c for c in prep.children if c.dep_ == "pobj"), None)


def _channel(cue: Token) -> list[Token]:
    """ "in an online statement", "in an interview with X" (→ X), "on Twitter", "on state TV"."""
    found: list[Token] = []
    for prep in cue.children:
        if prep.dep_ != "prep" or prep.lower_ not in {"in", "on", "during", "via", "through"}:
            continue
        obj = _pobj(prep)
        if obj is None:
            continue
        lemma = obj.lemma_.lower()
        partner = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ in {"with", "to"}), None)
        partner_obj = _pobj(partner) if partner is not None else None
        to_outlet = partner_obj is not None and (is_outlet(partner_obj) or named_outlet(partner_obj))
        if lemma in {"interview", "conversation"}:
            found.append(partner_obj if partner_obj is not None and to_outlet else obj)
        elif lemma in _CHANNELS or obj.lower_ in _PLATFORMS or is_outlet(obj):
            found.append(obj)
            if to_outlet and partner_obj is not None:  # "in a statement to Skyward Daily": the daily carried it
                found.append(partner_obj)
    return found


def _listener(cue: Token) -> list[Token]:
    """ "told the X news outlet", "told CNN" (but not "told reporters")."""
    if cue.lemma_.lower() not in {"tell", "say", "write", "confirm", "deny", "explain"}:
        return []
    out: list[Token] = []
    for child in cue.children:
        if (
            child.dep_ in {"dobj", "dative", "iobj", "npadvmod"}
            and child.pos_ in {"NOUN", "PROPN"}
            and (is_outlet(child) or (cue.lemma_.lower() == "tell" and named_outlet(child)))
        ):
            out.append(child)
        elif child.dep_ == "prep" and child.lower_ == "to":
            obj = _pobj(child)
            if obj is not None and is_outlet(obj):
                out.append(obj)
    return out


def _according(cue: Token) -> list[Token]:
    """An "according to X" phrase hanging on the cue's clause: the outlet that carried it."""
    out: list[Token] = []
    for node in (cue, cue.head):
        for child in node.children:
            if child.lower_ == "according":
                to = next((c for c in child.children if c.lower_ == "to"), None)
                obj = _pobj(to) if to is not None else None
                if obj is not None:
                    out.append(obj)
        if node.head.i == node.i:
            break
    return out


# What one cites that is a reason, not a source: "declined to give details, citing confidentiality policies".
_REASONS = word_set(
    "policy policies reason reasons concern concerns demand cost costs rule rules law laws weather security "
    "privacy confidentiality health need needs risk risks pressure pressures uncertainty lack shortage problem "
    "problems delay delays difference differences circumstance circumstances interest interests growth inflation"
)


def citing(cue: Token) -> Token | None:
    """ "X reported, citing Y": the Y that X cites (then the source), else None; a cited reason ("citing weak
    demand") is no source."""
    for child in cue.children:
        if child.lemma_.lower() in {"cite", "quote"} and child.tag_ == "VBG":
            obj = next((c for c in child.children if c.dep_ == "dobj"), None)
            if obj is not None and obj.lemma_.lower() not in _REASONS and obj.lower_ not in _REASONS:
                return obj
    return None


def find_relays(
    cue: Token, *, cited_by: list[Token] | None = None, reporter: Token | None = None
) -> tuple[list[Token], list[Token]]:
    """``(relays, channels)`` of a cue's statement, nearest first.

    Relays are the outlets that carried the statement: a listener ("told CNN"), the agent of "was cited by X",
    "according to X", the outlet that cited the source (``reporter``, "X reported, citing Y", the farthest),
    and an outlet named as the channel ("on state TV", "in an interview with the Times"). Channels are how it
    was said: "in an online statement", "in a message", "on Twitter", and an outlet that no name identifies
    ("the agency", "the newspaper"), which the reader cannot follow as a relay. ``cited_by`` are the agents of
    "was cited by X" found with the source.
    """
    listeners = _listener(cue)
    channels = _channel(cue)
    if listeners:  # "told the Times in an interview": the interview is how, the Times is who
        channels = [c for c in channels if c.lemma_.lower() not in {"interview", "conversation"}]
    found = channels + listeners + list(cited_by or []) + _according(cue)
    if reporter is not None:
        found.append(reporter)
    seen: set[int] = set()
    relays: list[Token] = []
    how: list[Token] = []
    for tok in found:
        if tok.i in seen:
            continue
        seen.add(tok.i)
        (relays if _named(tok) else how).append(tok)
    return relays, how


def _named(head: Token) -> bool:
    """An outlet with a name, or a name that is no channel word: a relay a reader can follow."""
    tokens = np_tokens(head)
    if head.lemma_.lower() in _CHANNELS or head.lower_ in _CHANNELS or head.lower_ in _PLATFORMS:
        return any(t.pos_ == "PROPN" and t.lower_ not in _PLATFORMS for t in tokens if t.i < head.i) and is_outlet(head)
    if any(t.pos_ == "PROPN" or t.lower_ in _OUTLET_NAMES for t in tokens):
        return True
    # "the agency", "the newspaper", "state media": an outlet no name identifies
    return not all(t.lemma_.lower() in _MEDIA or t.lower_ in _MEDIA or t.pos_ in {"DET", "ADJ", "PRON"} for t in tokens)
