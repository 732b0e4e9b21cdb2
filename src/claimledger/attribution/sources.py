"""Source spans and speaker types: who a cue's statement belongs to.

The source of a cue verb is its subject; a passive cue's source is its agent ("was
denied by the ministry"); a subjectless cue borrows the subject of the verb it hangs on
("was cited by Interfax telling reporters ..." → the one cited). "According to X" names X.
The speaker type comes from the entity label and short word lists, never from names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from claimledger.attribution.cues import word_set
from claimledger.nlp import SLASH_NAME, Token

__all__ = ["MASTHEADS", "Source", "find_source", "is_passive", "np_tokens", "organisation_name", "speaker_type"]

_CUT = frozenset({"appos", "relcl", "punct", "parataxis", "advcl", "acl"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
# Passive verbs that carry a statement through a relay: "was cited by", "was quoted by/as".
RELAY_PASSIVES = frozenset({"cite", "quote"})

_ANONYMOUS = word_set(
    "source official insider aide adviser advisor person people diplomat officer representative "
    "spokesperson witness resident analyst expert observer critic someone"
)
_PERSON_ROLES = word_set(
    "spokesman spokeswoman spokesperson minister president senator governor mayor chairman "
    "chairwoman director secretary ambassador general commander chief leader candidate lawmaker "
    "congressman congresswoman manager professor doctor lawyer attorney prosecutor judge prime "
    "premier mr ms mrs dr"
)
_GOVERNMENT = word_set(
    "government ministry kremlin administration department parliament cabinet embassy police "
    "authority authorities agency prosecutor congress senate court pentagon council municipality "
    "office house commission"
)
_ARMED = word_set(
    "army navy military militia rebel rebels insurgent insurgents militant militants fighter fighters "
    "forces force troops jihadist jihadists guerrilla guerrillas brigade battalion coalition"
)
_ARMED_ADJ = frozenset(
    {"terrorist", "militant", "armed", "jihadist", "extremist", "paramilitary", "insurgent", "rebel"}
)
_MEDIA = word_set(
    "newspaper paper agency outlet channel network broadcaster magazine daily tv television radio "
    "website tabloid journal wire station news newswire publication blog podcast"
)
# Words that make a proper name a masthead: "the Harwick Gazette", "the Selby Courier".
MASTHEADS = word_set(
    "gazette times post herald daily tribune courier chronicle telegraph observer journal news press "
    "review mirror express guardian inquirer examiner dispatch bulletin monitor reporter weekly "
    "magazine"
)
_PEOPLE = word_set(
    "member man woman resident soldier father mother son daughter voter citizen student worker sister brother "
    "wife husband widow uncle aunt cousin friend neighbour neighbor colleague relative fisherman farmer"
)
# Last words that make a name an organisation even when the entity recogniser calls it a person
# ("Grausund Bulk Carriers"): people's names do not end in these.
_ORGANISATION_ENDS = word_set(
    "company companies corp corporation inc ltd llc plc group holdings bank airline airlines carrier carriers "
    "shipping lines industries partners union association federation foundation institute university party "
    "league alliance committee society trust fund network services systems"
)


@dataclass
class Source:
    """A source noun phrase (its head and tokens) and the relay heads found on the way to it."""

    head: Token
    tokens: list[Token]
    via: list[Token] = field(default_factory=list)


def np_tokens(head: Token) -> list[Token]:
    """The noun phrase of ``head`` without appositions, relative clauses and set-off modifiers."""
    keep = [head]
    for child in head.children:
        if child.i > head.i and child.dep_ in _CUT:
            continue
        if child.dep_ == "acl" and child.i > head.i and child.nbor(-1).text == ",":
            continue
        if child.i < head.i and child.dep_ in {"punct", "appos"}:
            continue
        keep.extend(child.subtree)
    keep = [t for t in keep if not t.is_space]
    keep.sort(key=lambda t: t.i)
    while keep and (keep[-1].is_punct or (keep[-1].dep_ in {"cc", "case"} and keep[-1].i > head.i)):
        keep.pop()
    while keep and keep[0].is_punct:
        keep.pop(0)
    return keep or [head]


def _subject(verb: Token) -> Token | None:
    """The verb's subject; of two ("Correction: An earlier version ... said"), the one nearest the verb."""
    found = [c for c in verb.children if c.dep_ in _SUBJECTS and c.lower_ != "there"]
    before = [c for c in found if c.i < verb.i]
    return before[-1] if before else (found[0] if found else None)


def _agent(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


def _misparsed_subject(verb: Token) -> Token | None:
    """ "A new poll found that ...", parsed as a noun root with "found" as its modifier: the noun."""
    head = verb.head
    misparsed = verb.dep_ == "acl" and head.dep_ == "ROOT" and head.pos_ in {"NOUN", "PROPN"} and verb.i == head.i + 1
    return head if misparsed and any(c.dep_ == "ccomp" for c in verb.children) else None


def is_passive(verb: Token) -> bool:
    if _misparsed_subject(verb) is not None:
        return False
    return any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children) or (verb.dep_ == "acl" and verb.tag_ == "VBN")


def find_source(cue: Token) -> Source | None:
    """The source of a cue verb, with the relays met while climbing to it."""
    if is_passive(cue):
        agent = _agent(cue)
        return Source(agent, np_tokens(agent)) if agent is not None else None
    subj = _subject(cue) or _misparsed_subject(cue)
    if subj is not None:
        if subj.lower_ == "it" and any(c.dep_ == "ccomp" for c in cue.children) and cue.lemma_ in {"be", "seem"}:
            return None
        return Source(subj, np_tokens(subj))
    # Subjectless: "..., telling reporters", "and said", "was cited by X saying".
    head, via = cue, []
    for _ in range(3):
        if head.dep_ not in {"advcl", "xcomp", "conj", "acl", "pcomp", "prep"} or head.head.i == head.i:
            break
        head = head.head
        if head.lemma_.lower() in RELAY_PASSIVES and is_passive(head):
            agent = _agent(head)
            if agent is not None:
                via.append(agent)
            subj = next((c for c in head.children if c.dep_ == "nsubjpass"), None)
        elif is_passive(head):
            subj = None
        else:
            subj = _subject(head)
        if head.pos_ in {"NOUN", "PROPN"} and head.dep_ != "pobj":
            return Source(head, np_tokens(head), via)
        if subj is not None:
            return Source(subj, np_tokens(subj), via)
    return None


def _lemmas(tokens: list[Token]) -> set[str]:
    return {t.lemma_.lower() for t in tokens} | {t.lower_ for t in tokens}


def organisation_name(head: Token) -> bool:
    """A proper name ending like a company's ("Grausund Bulk Carriers"), whatever the entity label says."""
    plural = head.tag_ == "NNPS" and head.ent_type_ in {"PERSON", ""}
    return head.pos_ == "PROPN" and (head.lower_ in _ORGANISATION_ENDS or plural)


def speaker_type(head: Token, tokens: list[Token]) -> str:
    """person | organisation | government | armed-group | outlet | anonymous | unknown.

    The head noun and its own modifiers decide ("a member of a military order" is a
    person, not the order); an apposition helps ("Islamic State, a terrorist group").
    """
    core = [head, *(c for c in head.children if c.dep_ in {"compound", "amod", "nmod", "nummod", "det"})]
    words = _lemmas(core)
    appos_words = _lemmas([t for c in head.children if c.dep_ == "appos" for t in c.subtree if t.dep_ != "prep"])
    ent = head.ent_type_
    lemma = head.lemma_.lower()
    if organisation_name(head):
        return "organisation"
    if head.lower_ in {"he", "she", "him", "her", "i"} or ent == "PERSON":
        return "person"
    named = any(t.ent_type_ in {"PERSON", "ORG", "GPE", "FAC"} or t.pos_ == "PROPN" for t in core)
    if lemma in _ANONYMOUS and not named:
        return "anonymous"
    if words & _MEDIA or (head.pos_ == "PROPN" and head.lower_ in MASTHEADS) or SLASH_NAME.match(head.text):
        return "outlet"  # "Re/code reported": a slash in a name is a web outlet's spelling
    appos_heads = {c.lemma_.lower() for c in head.children if c.dep_ == "appos"}
    if head.pos_ == "PROPN" and not ent and appos_heads & (_PERSON_ROLES | _PEOPLE):  # "Ilse Mensk, the sister"
        return "person"
    kinds = words | appos_words
    if kinds & _ARMED or (kinds & _ARMED_ADJ and kinds & {"group", "organization", "organisation", "movement"}):
        return "armed-group"
    if ent == "GPE" or words & _GOVERNMENT:
        return "government"
    if lemma in _PERSON_ROLES or lemma in _PEOPLE:
        return "person"
    if ent in {"ORG", "NORP", "FAC"} or named or any(t.ent_type_ in {"ORG", "NORP"} for t in tokens):
        return "organisation"
    return "unknown"
