"""Stance edges: who takes which stance toward a claim, and which independent origin stands behind it.

An edge's **origin** is the first speaker of its chain. Relays (``via``: "cited by Interfax", "told RBC")
carry a statement without adding an origin; a nested attribution ("the Syrian Army said ... where the
Islamic State claims ...") has the inner speaker as origin and the outer speaker as its nearest outer relay;
a syndicated copy of an article adds an article, never an origin; unattributed passives ("was identified")
share the one origin :data:`UNSOURCED`, of type ``anonymous``, a class of their own.

Origin names are normalised (whitespace, a leading article: "the Kremlin" is "Kremlin") and then looked up in
an optional alias table, which only joins spellings of one name. A person whose role names the body they
speak for ("the Front's spokesman") has that body as origin (``speaks_for``); the voices of one government
("Moscow", "Defense Ministry") are joined per claim by :func:`claimledger.ledger.status.government_blocs`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from urllib.parse import urlsplit

from claimledger.claims.proposition import first_sentence, negated
from claimledger.types import Attribution, Document, Span, StanceEdge, StanceResult

__all__ = [
    "EDGE_STANCE",
    "UNSOURCED",
    "article_edge",
    "edges_from_attributions",
    "normalise_name",
    "short_name_aliases",
    "spokesperson_aliases",
]

UNSOURCED = "(unsourced)"
"""The origin shared by every statement whose speaker is not named (unattributed passives)."""

EDGE_STANCE: Mapping[str, str] = {
    "assert": "supports",
    "confirm": "supports",
    "deny": "denies",
    "doubt": "doubts",
    "question": "doubts",
}
"""Attribution stance (the source toward its content) → edge stance (the actor toward the claim)."""

_ARTICLE_STANCE: Mapping[str, str | None] = {
    "supports": "supports",
    "denies": "denies",
    "observes": "observes",
    "unrelated": None,
}
_LEADING_ARTICLE = re.compile(r"^the\s+", re.IGNORECASE)  # "a member of ..." is a description: kept
_SPACE = re.compile(r"\s+")
# The article speaking of itself: "An earlier version of this article said ...", "this newspaper".
_SELF = re.compile(r"\b(?:this|our) (?:article|story|report|newspaper|paper|site|publication)\b", re.IGNORECASE)
_EDGE_PUNCT = " \t\n\"'“”‘’,.;:()[]"


def normalise_name(name: str, *, aliases: Mapping[str, str] | None = None) -> str:
    """The canonical form of a speaker or relay name.

    Collapses whitespace, trims quotes and punctuation at the edges, drops a leading "the"
    ("the Kremlin" → "Kremlin"), then maps through ``aliases`` (keys compared case-insensitively
    after the same normalisation). Nothing else is merged: "Moscow" and "Kremlin" stay apart.
    """
    cleaned = _LEADING_ARTICLE.sub("", _SPACE.sub(" ", name).strip(_EDGE_PUNCT)).strip(_EDGE_PUNCT)
    if not cleaned:
        return name.strip()
    if aliases:
        table = {_key(k): v for k, v in aliases.items()}
        target = table.get(_key(cleaned))
        if target is not None:
            return normalise_name(target)  # no aliases this time: one step, never a loop
    return cleaned


def _key(name: str) -> str:
    return _LEADING_ARTICLE.sub("", _SPACE.sub(" ", name).strip(_EDGE_PUNCT)).strip(_EDGE_PUNCT).casefold()


def short_name_aliases(names: Iterable[str]) -> dict[str, str]:
    """Map short names to the one longer name, seen elsewhere in the corpus, that they are the end of.

    "Front" → "Harl Coast Defence Front", "Quill" → "Tomas Quill": across documents a short form
    usually means the full name an earlier article spelled out. A short name that could end several
    longer names ("Ministry": Interior Ministry, Defence Ministry) is left alone, because a wrong merge
    silently deletes an origin while a missed one only shows an extra name.
    """
    cleaned = {normalise_name(n) for n in names if n and n.strip()}
    by_key = {_key(n): n for n in cleaned}
    aliases: dict[str, str] = {}
    for key, name in by_key.items():
        # "commander of the Harl Coast Defence Front" ends in the Front's name but is somebody else.
        longer = [other for k, other in by_key.items() if k.endswith(" " + key) and " of " not in f" {k[: -len(key)]}"]
        if not longer:
            continue
        longest = max(longer, key=len)
        # Candidates that are all tails of the longest ("Defence Front", "Harl Coast Defence Front") agree.
        if all(_key(longest).endswith(" " + _key(other)) or other == longest for other in longer):
            aliases[name] = longest
    return aliases


def spokesperson_aliases(attributions: Sequence[tuple[int, Attribution]]) -> dict[str, str]:
    """An alias table that counts each spokesperson as the organisation named in their role.

    "Kremlin spokesman Dmitry Peskov" (speaker "Dmitry Peskov", role "Kremlin spokesman") gives
    ``{"Dmitry Peskov": "Kremlin"}``. Pass it as ``aliases=`` to merge a spokesperson into the body they
    speak for. The ledger itself uses :func:`claimledger.ledger.voices.speakers_for`, which also reads roles
    that name the body after the title ("spokesman for the Front") and keeps a person whose roles disagree.
    """
    table: dict[str, str] = {}
    for _position, attribution in attributions:
        if not attribution.speaker or not attribution.role:
            continue
        match = re.match(
            r"^(?P<org>.+?)\s+(?:spokes(?:man|woman|person)|press secretary|spokesperson)\b",
            attribution.role.strip(),
            re.IGNORECASE,
        )
        if match:
            table[normalise_name(attribution.speaker)] = normalise_name(match.group("org"))
    return table


def edges_from_attributions(
    claim_id: str,
    document: Document,
    attributions: Sequence[tuple[int, Attribution]],
    *,
    near_duplicate_of: Mapping[str, str] | None = None,
    outlets: Mapping[str, str] | None = None,
    aliases: Mapping[str, str] | None = None,
    types: Mapping[str, str] | None = None,
    speaks_for: Mapping[str, str] | None = None,
) -> list[StanceEdge]:
    """One stance edge toward ``claim_id`` per attribution of ``document`` (``(position, attribution)`` pairs).

    ``position`` is the attribution's index in its document, the index that ``nested_in`` refers to; an
    enclosing attribution is looked up among the pairs given, so pass it too when a nested one is given
    (it need not be about the same claim: it is only read for the relay chain).

    ``near_duplicate_of`` maps a syndicated copy's document id to its original's id, and ``outlets`` maps
    document ids to outlet names: a copy's edges keep their origin (the speaker), count one more article, and
    gain the original outlet as their farthest relay when it is known.

    An edge's ``published`` is when the statement was made: the attribution's resolved time expression
    ("on Tuesday") when it has one, else the document's publication time.

    ``aliases`` maps names to canonical origins (spellings of one name: "Front" → "Harl Coast Defence Front").
    It never merges two people or bodies: a wrong merge silently deletes an origin from the ledger, while a
    missed one only lists one more name that the reader can see and discount. ``types`` gives each canonical
    origin one type for
    the whole corpus (:func:`claimledger.ledger.actors.build_actor_table` builds both tables); without it an edge
    has its attribution's speaker type.

    ``speaks_for`` maps a person to the organisation their role names ("the Front's spokesman",
    :func:`claimledger.ledger.voices.speakers_for`, as the ledger does by default): the person stays the edge's
    actor, the organisation is its origin, because a spokesman's word is the organisation's, not a second
    independent one. Voices of one government are joined later, per claim
    (:func:`claimledger.ledger.status.government_blocs`).

    The edge's stance is the attribution's, made a denial when the statement debunks or retracts ("a hoax",
    "we withdraw what we said") or asserts a negation the parse missed ("No vessel has been seized").
    """
    by_position = dict(attributions)
    original = _original_outlet(document, near_duplicate_of, outlets)
    edges: list[StanceEdge] = []
    for position, attribution in attributions:
        stance = EDGE_STANCE.get(attribution.stance)
        if stance is None:
            raise ValueError(
                f"attribution {position} of document {document.id} has stance {attribution.stance!r}; "
                f"expected one of {sorted(EDGE_STANCE)}"
            )
        if stance != "denies" and _debunks(attribution):
            stance = "denies"  # "the drone story is a hoax", "we withdraw what we said about a drone"
        elif stance == "supports" and _states_negation(attribution):
            stance = "denies"  # "No vessel has been seized": asserting the negation denies the proposition
        speaker, origin_type = _speaker(attribution, document, aliases)
        origin = (speaks_for or {}).get(speaker, speaker) if origin_type != "outlet" else speaker
        origin_type = (types or {}).get(origin, origin_type) if origin_type != "outlet" else origin_type
        actor = speaker if speaker != UNSOURCED else (_outlet(document) or UNSOURCED)
        via = [normalise_name(v.text) for v in attribution.via]
        via.extend(_outer_chain(attribution, by_position, aliases))
        if original and original != _outlet(document):
            via.append(original)
        edges.append(
            StanceEdge(
                claim_id=claim_id,
                actor=actor,
                origin=origin,
                origin_type=origin_type,
                stance=stance,
                document_id=document.id,
                evidence=_evidence(attribution.content),
                via=_dedupe(via, exclude=origin),
                attribution=position,
                kind=attribution.kind,
                outlet=_outlet(document),
                published=(attribution.time.resolved if attribution.time and attribution.time.resolved else None)
                or document.published,
                confidence=attribution.confidence,
                source_stance=attribution.stance,
            )
        )
    return edges


def article_edge(
    claim_id: str,
    document: Document,
    result: StanceResult,
    *,
    near_duplicate_of: Mapping[str, str] | None = None,
    outlets: Mapping[str, str] | None = None,
) -> StanceEdge | None:
    """The article's own stance toward ``claim_id`` as an edge from its outlet; ``None`` when unrelated.

    The outlet is actor and origin (type ``outlet``). A syndicated copy (``near_duplicate_of``) speaks with
    its original's voice: the origin is the original outlet (from ``outlets``, required for copies) and the
    copy's outlet is the actor, so the copy adds an article but not an origin.
    """
    if result.stance not in _ARTICLE_STANCE:
        raise ValueError(f"article stance {result.stance!r}; expected one of {sorted(_ARTICLE_STANCE)}")
    stance = _ARTICLE_STANCE[result.stance]
    if stance is None:
        return None
    outlet = _outlet(document) or document.source
    original = _original_outlet(document, near_duplicate_of, outlets)
    if near_duplicate_of and document.id in near_duplicate_of and original is None:
        raise ValueError(
            f"document {document.id} is a syndicated copy of {near_duplicate_of[document.id]}, whose outlet is "
            f"unknown: pass outlets={{original_id: outlet}} so that the copy shares its original's origin"
        )
    origin = original or outlet
    return StanceEdge(
        claim_id=claim_id,
        actor=outlet,
        origin=origin,
        origin_type="outlet",
        stance=stance,
        document_id=document.id,
        via=(outlet,) if origin != outlet else (),
        kind="article",
        outlet=outlet,
        published=document.published,
        confidence=result.score(result.stance) if result.scores else 1.0,
    )


_FALSE_WORDS = (
    r"(?:hoax|fake|fabricat\w*|unfounded|false|untrue|baseless|groundless|nonsense|rubbish|invented|made up|"
    r"a lie|lies|propaganda|(?:a\s+)?bluff|fiction|disinformation|misinformation|a fabrication|theatre)"
)
# "The drone story is a hoax", "reports of a seizure were false", "the story ... was 'fabricated'".
_CALLED_FALSE = re.compile(
    rf"\b(?:is|are|was|were|been|be)\s+(?:(?:a|an|pure|simply|completely|totally|entirely|utterly)\s+)?"
    rf"[\"“‘']?{_FALSE_WORDS}\b",
    re.IGNORECASE,
)
# "called [the allegation a hoax]", "dismissed [the claim as unfounded]": the debunking word ends the content.
_ENDS_FALSE = re.compile(rf"\b(?:as\s+)?[\"“‘']?{_FALSE_WORDS}[\"”’'.,!]*$", re.IGNORECASE)
_LYING = re.compile(r"\b(?:was|were|is|are|been)\s+lying\b", re.IGNORECASE)
# A retraction: "we withdraw what we said about a drone", "retracted its claim that".
_RETRACTS = re.compile(
    r"\b(?:withdr[ae]w|withdraws?|withdrawn|retract(?:s|ed)?|take back|took back|takes back)\s+"
    r"(?:what|its|his|her|their|our|the|an?)\b",
    re.IGNORECASE,
)


def _debunks(attribution: Attribution) -> bool:
    """Whether the statement calls something false or takes it back: a debunk ("a hoax", "unfounded", "was
    lying") or a retraction ("we withdraw what we said"). Its speaker stands against the claim it is about,
    whatever the cue ("the army said the drone story was a hoax" is no assertion of a drone strike)."""
    text = _stated(attribution)
    if text is None:
        return False
    cue = attribution.cue.text
    return bool(
        _CALLED_FALSE.search(text)
        or _LYING.search(text)
        or _RETRACTS.search(f"{cue} {text}")
        or (_ENDS_FALSE.search(text) and re.match(r"(?:call|dismiss|brand|label|describ|reject)", cue, re.I))
    )


def _states_negation(attribution: Attribution) -> bool:
    """Whether the statement (a quotation: its first sentence) states its proposition negatively.

    The attribution's stance already reads a negated content clause as a denial where the parse finds it;
    this catches the rest the same way the claim label is read (claimledger.claims.proposition.negated),
    so that a statement and the label of its claim agree on what is negative."""
    text = _stated(attribution)
    return text is not None and negated(text)


def _stated(attribution: Attribution) -> str | None:
    """What the statement says first: its first content piece, of a quotation its first sentence."""
    if not attribution.content:
        return None
    text = attribution.content[0].text
    return first_sentence(text) if attribution.kind == "direct" else text


def _speaker(attribution: Attribution, document: Document, aliases: Mapping[str, str] | None) -> tuple[str, str]:
    name = attribution.speaker or (attribution.source.text if attribution.source else None)
    if attribution.kind == "unattributed-passive" or not name or not name.strip():
        return UNSOURCED, "anonymous"
    origin = normalise_name(name, aliases=aliases)
    outlet = _outlet(document)
    if outlet and (_key(origin) == _key(outlet) or _SELF.search(origin)):
        return outlet, "outlet"  # the outlet's own voice ("The Moscow Times has learned ...")
    return origin, attribution.speaker_type


def _outer_chain(
    attribution: Attribution, by_position: Mapping[int, Attribution], aliases: Mapping[str, str] | None
) -> list[str]:
    """The speakers and relays of the attributions enclosing ``attribution``, nearest first."""
    chain: list[str] = []
    seen: set[int] = set()
    parent = attribution.nested_in
    while parent is not None and parent in by_position and parent not in seen:
        seen.add(parent)
        outer = by_position[parent]
        name = outer.speaker or (outer.source.text if outer.source else None)
        if name:
            chain.append(normalise_name(name, aliases=aliases))
        chain.extend(normalise_name(v.text) for v in outer.via)
        parent = outer.nested_in
    return chain


def _dedupe(names: Sequence[str], *, exclude: str) -> tuple[str, ...]:
    """Relay names in order, once each; two names where one starts or ends the other ("Interfax" and
    "Interfax news agency", "Syrian Army" and "Russian-backed Syrian Army") are one relay, named shortly."""
    out: list[str] = []
    for name in names:
        if not name or _same_relay(name, exclude):
            continue
        same = next((i for i, kept in enumerate(out) if _same_relay(name, kept)), None)
        if same is None:
            out.append(name)
        elif len(name) < len(out[same]):
            out[same] = name
    return tuple(out)


def _same_relay(a: str, b: str) -> bool:
    x, y = _key(a), _key(b)
    short, long = sorted((x, y), key=len)
    return bool(short) and (short == long or long.startswith(short + " ") or long.endswith(" " + short))


def _evidence(content: Sequence[Span]) -> Span | None:
    if not content:
        return None
    if len(content) == 1:
        return content[0]
    return Span(content[0].start, content[-1].end, " … ".join(c.text for c in content))


def _outlet(document: Document) -> str | None:
    if document.outlet:
        return document.outlet.strip()
    if document.url:
        host = urlsplit(document.url).hostname
        if host:
            return host.removeprefix("www.")
    return None


def _original_outlet(
    document: Document, near_duplicate_of: Mapping[str, str] | None, outlets: Mapping[str, str] | None
) -> str | None:
    if not near_duplicate_of or document.id not in near_duplicate_of:
        return None
    original_id = near_duplicate_of[document.id]
    seen = {document.id}
    while original_id in near_duplicate_of and original_id not in seen:  # a copy of a copy
        seen.add(original_id)
        original_id = near_duplicate_of[original_id]
    name = (outlets or {}).get(original_id)
    return name.strip() if name else None
