"""Voices of one actor: the people who speak for an organisation, and the parts of one government.

An organisation speaks through people: "Bastien Orrow, the Front's spokesman", "Front commander Ruslo
Kadrey", "Grausund Bulk Carriers spokeswoman Orla Fenwright". Counting each of them as an independent origin
beside the organisation inflates one side of the ledger, so :func:`speakers_for` maps each such person to the
organisation their role names (the person stays the edge's *actor*, the organisation becomes its *origin*).

A government speaks through ministries, ministers, spokespeople and officials. They are not independent of one
another either: :func:`government_key` tells which government a voice belongs to, and the ledger counts the
government voices of a claim as one origin per government (:func:`claimledger.ledger.status.origin_groups`),
naming the voices in its reasons ("3 voices of Calvoria's government").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping

from claimledger.ledger.origins import normalise_name
from claimledger.types import Attribution

__all__ = ["GOVERNMENT", "government_key", "government_role", "speakers_for"]

GOVERNMENT = "government"
"""The name of a government bloc whose country no voice names."""

_SPEAKS = r"spokes(?:man|woman|person)|press secretary|commander|leader|chief|head|founder|fighters?|members?"
# "the Front's spokesman", "Front commander", "Grausund Bulk Carriers spokeswoman".
_ROLE_BEFORE = re.compile(rf"^(?:the\s+)?(?P<org>.+?)(?:['’]s)?\s+(?:{_SPEAKS})$", re.IGNORECASE)
# "spokesman for the Front", "commander of the Harl Coast Defence Front".
_ROLE_AFTER = re.compile(rf"^(?:a\s+|the\s+)?(?:{_SPEAKS})\s+(?:for|of)\s+(?P<org>.+)$", re.IGNORECASE)
# Words of a national government's voice; a governor or a mayor speaks for a region or a town, not for it.
_GOVERNMENT_WORDS = re.compile(
    r"\b(?:government|ministry|minister|ministers|cabinet|president|presidency|prime minister|premier|"
    r"kremlin|white house|chancellor(?:y)?|state department|foreign office|home office|"
    r"military (?:representatives|officials?|sources?|spokes(?:man|woman|person)))\b",
    re.IGNORECASE,
)
_NOT_GOVERNMENT = re.compile(r"\b(?:opposition|former|ex-|shadow|lawmaker|mp|senator|governor|mayor)\b", re.I)
_GENERIC_CAPITALS = frozenset(
    str.split(
        """government ministry minister ministers interior defence defense foreign home public order affairs
    justice finance health security internal office prime president presidential spokesman spokeswoman
    spokesperson deputy state federal national central cabinet department official officials the a an of
    for and royal"""
    )
)
_DEMONYM = re.compile(r"(?:ian|ean|ese|ish|ican)$")


def speakers_for(attributions: Iterable[Attribution], *, aliases: Mapping[str, str] | None = None) -> dict[str, str]:
    """Person → the organisation their role names, over a corpus's attributions.

    A person's role is read wherever it names an organisation ("the Front's spokesman" in one article makes
    a bare "spokesman" elsewhere that organisation's too); a person whose roles name two organisations
    keeps their own name. Names go through ``aliases`` (:class:`claimledger.ledger.actors.ActorTable`), so
    "Front" and "Harl Coast Defence Front" are one organisation.
    """
    seen: dict[str, Counter[str]] = {}
    for attribution in attributions:
        if not attribution.speaker or not attribution.role or attribution.speaker_type != "person":
            continue
        org = _organisation_in(attribution.role.strip())
        if org is None:
            continue
        person = normalise_name(attribution.speaker, aliases=aliases)
        seen.setdefault(person, Counter())[normalise_name(org, aliases=aliases)] += 1
    out = {}
    for person, orgs in seen.items():
        if len(orgs) == 1:
            org = next(iter(orgs))
            if org.casefold() != person.casefold():
                out[person] = org
    return out


def _organisation_in(role: str) -> str | None:
    match = _ROLE_BEFORE.match(role) or _ROLE_AFTER.match(role)
    if match is None:
        return None
    org = match.group("org").strip(" ,.")
    # "Government spokesman", "Interior Ministry spokesman": a government voice, handled as one (below).
    # A lower-case head ("company spokeswoman") names no one in particular.
    if not org or _GOVERNMENT_WORDS.search(org) or not any(w[:1].isupper() for w in org.split()):
        return None
    return org


def government_role(name: str, role: str | None = None) -> bool:
    """Whether a speaker (with their role, if any) speaks for a national government."""
    text = f"{role or ''} {name}"
    return bool(_GOVERNMENT_WORDS.search(text)) and not _NOT_GOVERNMENT.search(text)


def government_key(*texts: str | None) -> str | None:
    """The country a government voice names ("Calvoria’s government", "the Calvorian navy"), as a short key
    under which the name and its demonym meet; ``None`` when it names none ("the Interior Ministry")."""
    for text in texts:
        for word in re.findall(r"[A-Z][\w-]+(?:['’]s)?", text or ""):
            bare = re.sub(r"['’]s$", "", word)
            if bare.casefold() in _GENERIC_CAPITALS:
                continue
            if word != bare or _DEMONYM.search(bare.casefold()):
                return bare.casefold()[:5]
    return None
