"""Relays: the outlets and channels a statement travelled through before this article.

Forms recognised, nearest relay first: the channel ("in an online statement", "in an
interview with X", "on Twitter"), the listener when it is an outlet ("told the X news
outlet"), the agent of "was cited/quoted by X", "according to X" around a cue, and the
outlet that reported it ("X reported, citing Y": Y is the source, X the relay).
"""

from __future__ import annotations

from claimledger.attribution.cues import word_set
from claimledger.attribution.sources import MASTHEADS, np_tokens
from claimledger.nlp import Token

__all__ = ["citing", "find_relays", "is_outlet"]

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


def is_outlet(head: Token) -> bool:
    """Whether a noun phrase names a media outlet: a media noun, or a well-known wire or broadcaster."""
    tokens = np_tokens(head)
    if any(t.lemma_.lower() in _MEDIA or t.lower_ in _MEDIA for t in tokens if t.i <= head.i):
        return head.ent_type_ != "PERSON"
    if head.pos_ == "PROPN" and head.lower_ in MASTHEADS:
        return True
    return any(t.lower_ in _OUTLET_NAMES for t in tokens)


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
        if lemma in {"interview", "conversation"}:
            partner = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ in {"with", "to"}), None)
            partner_obj = _pobj(partner) if partner is not None else None
            found.append(partner_obj if partner_obj is not None and is_outlet(partner_obj) else obj)
        elif lemma in _CHANNELS or obj.lower_ in _PLATFORMS or is_outlet(obj):
            found.append(obj)
    return found


def _listener(cue: Token) -> list[Token]:
    """ "told the X news outlet", "told CNN" (but not "told reporters")."""
    if cue.lemma_.lower() not in {"tell", "say", "write", "confirm", "deny", "explain"}:
        return []
    out: list[Token] = []
    for child in cue.children:
        if child.dep_ in {"dobj", "dative", "iobj"} and child.pos_ in {"NOUN", "PROPN"} and is_outlet(child):
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


def citing(cue: Token) -> Token | None:
    """ "X reported, citing Y": the Y that X cites (then the source), else None."""
    for child in cue.children:
        if child.lemma_.lower() in {"cite", "quote"} and child.tag_ == "VBG":
            obj = next((c for c in child.children if c.dep_ == "dobj"), None)
            if obj is not None:
                return obj
    return None


def find_relays(cue: Token, *, cited_by: list[Token] | None = None, reporter: Token | None = None) -> list[Token]:
    """The relay heads of a cue's statement, nearest relay first.

    ``cited_by`` are the agents of "was cited by X" found with the source; ``reporter`` is
    the outlet that cited the source ("X reported, citing Y"), the farthest relay.
    """
    listeners = _listener(cue)
    channels = _channel(cue)
    if listeners:  # "told the Times in an interview": the interview is how, the Times is who
        channels = [c for c in channels if c.lemma_.lower() not in {"interview", "conversation"}]
    relays = channels + listeners + list(cited_by or []) + _according(cue)
    if reporter is not None:
        relays.append(reporter)
    seen: set[int] = set()
    out: list[Token] = []
    for tok in relays:
        if tok.i not in seen:
            seen.add(tok.i)
            out.append(tok)
    return out
