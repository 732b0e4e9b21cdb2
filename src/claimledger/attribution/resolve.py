"""Within-document resolution of a source mention to its speaker.

Simple, ordered rules over the mentions seen so far in the document:
"he"/"she" → the last named person; "it"/"they" → the last subject that is not a person;
a surname ("Peskov", "Mr. Peskov") → the longest earlier full name ending in it;
a bare role ("the spokesman") → the last person who held that role; a description with a name
in apposition ("Its spokesman, Bastien Orrow,") → the name. The role written
before or beside a name ("Kremlin spokesman Dmitry Peskov", "Dmitry Peskov, the Kremlin
spokesman,") is kept.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from claimledger.attribution.cues import word_set
from claimledger.attribution.sources import np_tokens, organisation_name, speaker_type
from claimledger.nlp import Paragraph, Token

__all__ = ["Mention", "Resolver", "Speaker", "name_of"]

_PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his"})
_THING_PRONOUNS = frozenset({"it", "they", "them", "its", "their"})
_TITLES = frozenset({"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sen.", "rep.", "gov.", "gen.", "prof."})
_ROLE_NOUNS = word_set(
    "spokesman spokeswoman spokesperson minister president senator governor mayor chairman "
    "chairwoman director secretary ambassador general commander chief leader candidate lawmaker "
    "congressman congresswoman manager official aide adviser advisor representative head premier "
    "nominee"
)


@dataclass(frozen=True)
class Speaker:
    name: str
    type: str
    role: str | None = None


@dataclass(frozen=True)
class Mention:
    start: int  # offset into the document text
    name: str
    type: str
    role: str | None
    subject: bool
    person: bool


def _strip_det(tokens: list[Token]) -> list[Token]:
    while tokens and (tokens[0].lower_ in {"the"} or tokens[0].is_punct or tokens[0].is_space):
        tokens = tokens[1:]
    while tokens and (tokens[-1].tag_ == "POS" or tokens[-1].is_punct):
        tokens = tokens[:-1]
    return tokens


def _text(tokens: list[Token]) -> str:
    if not tokens:
        return ""
    doc = tokens[0].doc
    return " ".join(doc[tokens[0].i : tokens[-1].i + 1].text.split())


def _person_entity(tok: Token) -> list[Token] | None:
    if tok.ent_type_ != "PERSON":
        return None
    ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
    if ent is None:
        return None
    toks = [t for t in ent if t.tag_ != "POS" and t.lower_ not in _TITLES]
    # "governor Anders Pelk" tagged as just "Pelk": take in the given name before it
    first = ent.start
    while (
        first > 0
        and (prev := tok.doc[first - 1]).pos_ == "PROPN"
        and prev.dep_ == "compound"
        and not prev.ent_type_
        and prev.lower_ not in _TITLES
        and prev.lemma_.lower() not in _ROLE_NOUNS
    ):
        toks.insert(0, prev)
        first -= 1
    return toks or None


def name_of(head: Token, tokens: list[Token]) -> str:
    """A display name for a noun phrase: the person's name, the proper-noun run, or the phrase."""
    person = _person_entity(head)
    if person:
        return _text(person)
    if head.pos_ == "PROPN":
        run = [head]
        i = head.i - 1
        while i >= 0 and head.doc[i] in tokens and (head.doc[i].pos_ == "PROPN" or head.doc[i].dep_ == "compound"):
            if head.doc[i].lower_ in _TITLES:
                break
            run.insert(0, head.doc[i])
            i -= 1
        return _text(run)
    return _text(_strip_det(list(tokens)))


def _role(head: Token, name: list[Token]) -> str | None:
    """ "Kremlin spokesman" before a name, or the apposition "the Kremlin spokesman" after it."""
    inside = {t.i for t in name}
    before = [
        t
        for t in head.subtree
        if t.i < name[0].i and t.i not in inside and t.dep_ in {"compound", "amod", "nmod", "poss", "case"}
    ]
    before = _strip_det(before)
    if before and any(t.lemma_.lower() in _ROLE_NOUNS or t.pos_ == "NOUN" for t in before):
        return _text(before)
    for child in head.children:
        if child.dep_ == "appos" and child.lemma_.lower() in _ROLE_NOUNS:
            toks = _strip_det([t for t in child.subtree if t.dep_ not in {"relcl", "punct"}])
            return _text(toks)
    return None


def _titled_name(head: Token, tokens: list[Token]) -> Speaker | None:
    """ "Government spokesman Teodor Vanhal" when the entity recogniser missed the name: a run of two or more
    proper nouns after a role noun is a person, and the words before it are the role."""
    if head.pos_ != "PROPN":
        return None
    run = [head]
    i = head.i - 1
    while i >= 0 and head.doc[i] in tokens and head.doc[i].pos_ == "PROPN" and head.doc[i].lower_ not in _TITLES:
        run.insert(0, head.doc[i])
        i -= 1
    before = _strip_det([t for t in tokens if t.i < run[0].i])
    if len(run) < 2 or not before or before[-1].lemma_.lower() not in _ROLE_NOUNS:
        return None
    return Speaker(_text(run), "person", _text(before))


def _is_place(tok: Token) -> bool:
    return tok.dep_ == "pobj" and tok.head.lower_ in {"in", "at", "near"}


def _appositive(head: Token) -> Speaker | None:
    """ "Its spokesman, Bastien Orrow, told ..." or "The ship's owner, Grausund Bulk Carriers, said ...": a
    description with a name in apposition speaks as that name, and the description is the role."""
    if head.pos_ != "NOUN":
        return None
    named = next((c for c in head.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
    if named is None:
        return None
    tokens = np_tokens(named)
    person = _person_entity(named)
    name = _text(person) if person else name_of(named, tokens)
    kind = speaker_type(named, tokens)
    if kind not in {"organisation", "government", "armed-group", "outlet"} and (
        person or head.lemma_.lower() in _ROLE_NOUNS
    ):
        kind = "person"
    role = _strip_det(np_tokens(head))
    while role and role[0].tag_ == "PRP$":  # "Its spokesman": the role is "spokesman"
        role = role[1:]
    return Speaker(name, kind, _text(role) or None)


class Resolver:
    """The named and subject mentions of one document, in order, and the rules that look back over them."""

    def __init__(self, paragraphs: list[Paragraph]) -> None:
        self.mentions: list[Mention] = []
        for para in paragraphs:
            for tok in para.doc:
                mention = self._mention(tok, para.offset)
                if mention is not None:
                    self.mentions.append(mention)
        self._starts = [m.start for m in self.mentions]
        # "the government in Sarnholm": names the recogniser took for people but the text puts places in
        self._places = {
            _text(found).lower()
            for para in paragraphs
            for tok in para.doc
            if _is_place(tok) and (found := _person_entity(tok))
        }

    @staticmethod
    def _mention(tok: Token, offset: int) -> Mention | None:
        if (
            tok.is_punct
            or tok.pos_ not in {"PROPN", "NOUN"}
            or (tok.dep_ in {"compound", "poss"} and tok.pos_ != "PROPN")
        ):
            return None
        if tok.dep_ == "compound" and tok.head.pos_ in {"PROPN", "NOUN"}:
            return None
        tokens = np_tokens(tok)
        person = _person_entity(tok)
        if person and _is_place(tok):
            return None
        subject = tok.dep_ in {"nsubj", "nsubjpass"}
        if person:
            if tok.i != person[-1].i:
                return None
            return Mention(offset + person[0].idx, _text(person), "person", _role(tok, person), subject, True)
        titled = _titled_name(tok, tokens)  # "Government spokesman Teodor Vanhal", name not recognised
        if titled is not None:
            return Mention(offset + tokens[0].idx, titled.name, "person", titled.role, subject, True)
        named = tok.pos_ == "PROPN" or tok.ent_type_ in {"ORG", "GPE", "NORP"}
        if not (named or subject):
            return None
        return Mention(offset + tokens[0].idx, name_of(tok, tokens), speaker_type(tok, tokens), None, subject, False)

    def _before(self, start: int) -> list[Mention]:
        return self.mentions[: bisect.bisect_left(self._starts, start)]

    def resolve(self, head: Token, tokens: list[Token], start: int) -> Speaker:
        """The speaker a source noun phrase (starting at document offset ``start``) refers to."""
        if head.tag_ in {"WP", "WDT"} and head.head.dep_ == "relcl":  # "people who say": the people
            noun = head.head.head
            return self.resolve(noun, np_tokens(noun), start)
        low = head.lower_
        earlier = self._before(start)
        if low in _PERSON_PRONOUNS:
            found = next((m for m in reversed(earlier) if m.person), None)
            return Speaker(found.name, "person", found.role) if found else Speaker(head.text, "person")
        if low in _THING_PRONOUNS:
            found = next((m for m in reversed(earlier) if not m.person and m.subject and m.type != "unknown"), None)
            found = found or next((m for m in reversed(earlier) if not m.person and m.subject), None)
            if found:
                return Speaker(found.name, found.type, found.role)
            return Speaker(head.text, "unknown")
        person = _person_entity(head)
        if (
            not person
            and head.pos_ == "PROPN"
            and not any(c.dep_ == "compound" and c.lower_ not in _TITLES for c in head.children)
        ):
            # a surname the entity recogniser missed: "Ferreby said" after "Jonas Ferreby"
            namesakes = [m for m in earlier if m.person and m.name.lower().split()[-1] == low]
            if namesakes:
                best = max(namesakes, key=lambda m: len(m.name))
                return Speaker(best.name, "person", best.role)
        if person and (organisation_name(head) or _text(person).lower() in self._places):
            # "Grausund Bulk Carriers said", "Sarnholm declined to comment": not people
            kind = "organisation" if organisation_name(head) else "government"
            return Speaker(_text(person), kind)
        if person:
            name = _text(person)
            role = _role(head, person)
            last = person[-1].lower_
            fuller = [m for m in earlier if m.person and m.name.lower().split()[-1] == last and len(m.name) > len(name)]
            if fuller:
                best = max(fuller, key=lambda m: len(m.name))
                return Speaker(best.name, "person", role or best.role)
            same = next((m for m in reversed(earlier) if m.person and m.name == name and m.role), None)
            return Speaker(name, "person", role or (same.role if same else None))
        titled = _titled_name(head, tokens) or _appositive(head)
        if titled is not None:
            return titled
        lemma = head.lemma_.lower()
        if head.pos_ == "NOUN" and lemma in _ROLE_NOUNS and any(c.lower_ == "the" for c in head.children):
            found = next((m for m in reversed(earlier) if m.person and m.role and lemma in m.role.lower()), None)
            if found:
                return Speaker(found.name, "person", found.role)
        name, kind = name_of(head, tokens), speaker_type(head, tokens)
        if kind in {"organisation", "unknown"}:  # an earlier mention of the same name may know better
            same = next(
                (
                    m
                    for m in reversed(earlier)
                    if m.name.lower() == name.lower() and m.type not in {"organisation", "unknown"}
                ),
                None,
            )
            kind = same.type if same else kind
        return Speaker(name, kind)
