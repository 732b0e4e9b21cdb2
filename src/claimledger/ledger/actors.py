"""Actors across documents: one name and one type for each speaker, however each article wrote it.

Articles name the same speaker differently ("the navy", "The Navy"; "owner of the Amber Tern", "the Amber
Tern's owner"; "Front", "Harl Coast Defence Front") and the entity recogniser types the same name
differently from one sentence to the next. :func:`build_actor_table` reads the attributions of the whole
corpus and returns an alias table (to pass to :func:`claimledger.ledger.origins.edges_from_attributions`) and one
type per actor, chosen by vote. The merges are deliberately narrow (see each rule): a wrong merge silently
deletes an independent origin from the ledger, a missed one only shows the reader one more name.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from claimledger.ledger.origins import normalise_name, short_name_aliases
from claimledger.types import Attribution

__all__ = ["ActorTable", "build_actor_table", "possessive_key"]

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})
_POSSESSIVE = re.compile(r"^(?P<owner>.+?)'s? (?P<thing>[^']+)$")
# Type votes tie-break towards the more specific reading.
_TYPE_ORDER = ("government", "armed-group", "outlet", "organisation", "person", "anonymous", "unknown")


@dataclass(frozen=True)
class ActorTable:
    """``aliases``: a speaker name as written → its canonical name; ``types``: canonical name → type."""

    aliases: Mapping[str, str]
    types: Mapping[str, str]

    def canonical(self, name: str) -> str:
        return normalise_name(name, aliases=self.aliases)

    def type_of(self, name: str, default: str = "unknown") -> str:
        return self.types.get(self.canonical(name), default)


def possessive_key(name: str) -> str:
    """A case-free key under which "the Amber Tern's owner" and "owner of the Amber Tern" are equal."""
    text = normalise_name(name).translate(_APOSTROPHES).casefold()
    text = re.sub(r"^(?:the|a|an) ", "", text)
    match = _POSSESSIVE.match(text)
    if match and " of " not in match.group("thing"):
        text = f"{match.group('thing')} of {match.group('owner')}"
    return re.sub(r" of (?:the|a|an) ", " of ", text)


def _specific(role: str) -> bool:
    """A role that names whose it is ("Amber Tern's owner"), not a bare "spokesman" that fits anyone."""
    words = role.split()
    return len(words) >= 2 and any(w[:1].isupper() for w in words[1:])


def build_actor_table(attributions: Iterable[Attribution]) -> ActorTable:
    """Aliases and types of every speaker in ``attributions`` (all documents of a corpus at once).

    Rules, in order: spellings that differ only in case or in a leading article are one actor, written
    as most articles write it; "X's Y" and "Y of X" are one; a description used as a speaker is the name
    that the description was given to elsewhere ("The Amber Tern's owner, Grausund Bulk Carriers, said")
    when exactly one name ever had it; a short name ending a longer one is that one when no other longer
    name ends in it (:func:`claimledger.ledger.origins.short_name_aliases`). Each actor's type is the most common
    known type among its mentions.
    """
    spellings: dict[str, Counter[str]] = {}
    type_votes: dict[str, Counter[str]] = {}
    roles: dict[str, set[str]] = {}
    for attribution in attributions:
        if not attribution.speaker or attribution.kind == "unattributed-passive":
            continue
        name = normalise_name(attribution.speaker)
        key = possessive_key(name)
        spellings.setdefault(key, Counter())[name] += 1
        type_votes.setdefault(key, Counter())[attribution.speaker_type] += 1
        if attribution.role and _specific(attribution.role):
            roles.setdefault(possessive_key(attribution.role), set()).add(key)
    # One spelling per key: the most common, then the one with more capitals ("Navy" over "navy").
    written = {
        key: max(counts, key=lambda s: (counts[s], sum(c.isupper() for c in s), s)) for key, counts in spellings.items()
    }
    target = dict(written)
    for key in written:
        holders = roles.get(key, set()) - {key}
        if len(holders) == 1:  # a description that only one named speaker ever carried
            target[key] = written[next(iter(holders))]
    shorts = short_name_aliases(target.values())
    aliases: dict[str, str] = {}
    for key, counts in spellings.items():
        canonical = shorts.get(target[key], target[key])
        for spelling in counts:
            if spelling != canonical:
                aliases[spelling] = canonical
    types: dict[str, Counter[str]] = {}
    for key, votes in type_votes.items():
        canonical = shorts.get(target[key], target[key])
        types.setdefault(canonical, Counter()).update(votes)
    return ActorTable(aliases, {name: _vote(votes) for name, votes in types.items()})


def _vote(votes: Counter[str]) -> str:
    known = {t: n for t, n in votes.items() if t != "unknown"}
    if not known:
        return "unknown"
    rank = {t: i for i, t in enumerate(_TYPE_ORDER)}
    return max(known, key=lambda t: (known[t], -rank.get(t, len(rank))))
