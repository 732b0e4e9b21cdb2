"""Content spans: what a cue reports, from the parse and from quotation marks.

Offsets here are relative to one parsed paragraph (``Token.idx``); the engine adds the
paragraph's offset. A content is one span, or several when the parse or a quotation
splits it ("two Russian soldiers it claims were captured" → "two Russian soldiers" +
"were captured").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from claimledger.attribution.cues import CLAUSE_ONLY, OBJECT_CONTENT, REPORT_NOUNS, word_set
from claimledger.nlp import Token

__all__ = ["Content", "content_for_according", "content_for_cue", "content_of_passive", "find_quotes", "kind_of"]

_OPEN = "“„«"
_CLOSE = "”»"
# Quotation marks: curly, guillemets, straight, and the doubled apostrophes and backticks of some wires.
_MARK = re.compile(r"''|``|[“”„«»\"]")
_MARKS = frozenset({"that", "whether", "if"})
_EDGE_PUNCT = frozenset(",;:-–—")
# Verbs whose object clause (xcomp) is a statement: "claimed to have seen", "denied being there".
_XCOMP_CUES = word_set(
    "claim deny admit allege acknowledge profess pretend threaten vow promise pledge want plan "
    "intend seek urge encourage refuse decline ask hope expect agree"
)


@dataclass
class Content:
    """A cue's content: character spans (paragraph-relative), its head token and every token."""

    spans: list[tuple[int, int]]
    root: Token | None
    tokens: list[Token] = field(default_factory=list)
    how: str = "clause"  # clause | object | relative | quote | parataxis | according | passive


def find_quotes(text: str) -> list[tuple[int, int]]:
    """Inner ``(start, end)`` of every quotation in ``text``; an unclosed quotation runs to the end.

    Curly and straight marks may be mixed ("“concerned ... citizens.\""): a quotation opens
    at any opening or straight mark and closes at the next closing or straight mark.
    Doubled apostrophes (``''``) count as straight marks; single quotes are left alone:
    they are too often apostrophes.
    """
    quotes: list[tuple[int, int]] = []
    opened: int | None = None
    for mark in _MARK.finditer(text):
        ch, at, after = mark.group(), mark.start(), mark.end()
        if opened is None:
            if ch in _CLOSE:
                continue
            opened = after
        elif ch in _OPEN or ch == "``":  # a new opening mark before a close: the old quote ran to here
            quotes.append((opened, at))
            opened = after
        else:
            quotes.append((opened, at))
            opened = None
    if opened is not None and len(text) - opened > 0:
        quotes.append((opened, len(text)))
    return [(s, e) for s, e in quotes if e > s]


def spans_of(tokens: list[Token], *, trim_quotes: bool = False) -> list[tuple[int, int]]:
    """Group ``tokens`` into contiguous character spans, trimming punctuation and space at the edges."""
    if not tokens:
        return []
    ordered = sorted({t.i: t for t in tokens}.values(), key=lambda t: t.i)
    groups: list[list[Token]] = [[ordered[0]]]
    for tok in ordered[1:]:
        if tok.i == groups[-1][-1].i + 1:
            groups[-1].append(tok)
        else:
            groups.append([tok])
    spans: list[tuple[int, int]] = []
    for group in groups:
        while group and (
            group[0].is_space or (group[0].is_punct and not group[0].is_quote) or (trim_quotes and group[0].is_quote)
        ):
            group = group[1:]
        while group and (group[-1].is_space or group[-1].text in _EDGE_PUNCT or (trim_quotes and group[-1].is_quote)):
            group = group[:-1]
        if group:
            spans.append((group[0].idx, group[-1].idx + len(group[-1].text)))
    return spans


def _clause(token: Token, *, drop_mark: bool = True) -> list[Token]:
    tokens = list(token.subtree)
    if drop_mark:
        while tokens and (
            (tokens[0].lower_ in _MARKS and tokens[0].dep_ in {"mark", "advmod", "complm"}) or tokens[0].is_space
        ):
            tokens = tokens[1:]
    return tokens


def _without(tokens: list[Token], removed: list[Token]) -> list[Token]:
    gone = {t.i for t in removed}
    return [t for t in tokens if t.i not in gone]


def content_for_cue(cue: Token) -> Content | None:
    """The content a cue verb introduces, from the parse; None when it has none."""
    lemma = cue.lemma_.lower()
    children = list(cue.children)
    # 1. A clausal complement: "said (that) X", "asked whether X".
    for child in children:
        if child.dep_ == "ccomp" or (
            lemma in {"ask", "wonder", "inquire", "enquire"}
            and child.dep_ == "advcl"
            and any(c.lower_ in {"whether", "if"} for c in child.children)
        ):
            return Content(spans_of(_clause(child)), child, _clause(child))
    # 1b. The clause hung on "citing" ("reported, citing officials, that X"), or misattached
    #     lower down but marked by "that" ("told the Times in an interview that X").
    clause = _that_clause(cue)
    if clause is not None:
        return Content(spans_of(_clause(clause)), clause, _clause(clause))
    # 2. A statement noun with its clause: "denied reports that X".
    for child in children:
        if child.dep_ in {"dobj", "nsubjpass"} and child.lemma_.lower() in REPORT_NOUNS:
            clause = next(
                (c for c in child.children if c.dep_ in {"ccomp", "acl", "relcl"} and c.pos_ in {"VERB", "AUX"}), None
            )
            if clause is not None:
                toks = _clause(clause)
                return Content(spans_of(toks), clause, toks, how="object")
    # 3. An infinitive or gerund statement: "claimed to have seen it", "urged voters to stay home".
    if lemma in _XCOMP_CUES:
        for child in children:
            if child.dep_ in {"xcomp", "pcomp"} and child.pos_ in {"VERB", "AUX"}:
                obj = [t for c in children if c.dep_ == "dobj" and c.i < child.i for t in c.subtree]
                toks = obj + _clause(child)
                return Content(spans_of(toks), child, toks)
    # 3b. "called for X", "called on X to Y", "called X a liar".
    if lemma == "call":
        return _call_content(cue)
    # 3b'. "talked about X", "referred to X"; 3c. "accused X of Y", "blamed X for Y".
    found = _prep_content(cue, lemma) or _charge_content(cue, lemma)
    if found is not None:
        return found
    # 4. A bare object for cues that take one: "denied the allegations".
    if lemma in OBJECT_CONTENT and lemma not in CLAUSE_ONLY:
        for child in children:
            if child.dep_ == "dobj" and child.pos_ in {"NOUN", "PROPN"}:
                toks = list(child.subtree)
                return Content(spans_of(toks), child, toks, how="object")
    # 5. Object extraction out of the complement: "two soldiers it claims were captured".
    if cue.dep_ == "relcl" and any(c.dep_ == "nsubj" for c in children):
        rel = _relative_content(cue)
        if rel is not None:
            return rel
    # 6. A parenthetical cue inside its content: "The plan, the minister said, will fail."
    if cue.dep_ == "parataxis" and cue.head.pos_ in {"VERB", "AUX"}:
        toks = _without(list(cue.head.subtree), list(cue.subtree))
        return Content(spans_of(toks), cue.head, toks, how="parataxis")
    return None


_CHARGE_CUES = frozenset({"accuse", "blame", "charge", "credit", "praise", "criticize", "criticise", "fault"})
_PREP_CUES = {
    "talk": {"about", "of"},
    "speak": {"about", "of"},
    "refer": {"to"},
    "point": {"to"},
    "warn": {"of", "about", "against"},
    "complain": {"about", "of"},
    "comment": {"on"},
    "hint": {"at"},
}


def _that_clause(cue: Token) -> Token | None:
    """A verb below the cue, not below another verb, introduced by the complementiser "that"."""
    if cue.lemma_.lower() in CLAUSE_ONLY:
        return None
    for tok in cue.subtree:
        if tok.i <= cue.i or tok.pos_ not in {"VERB", "AUX"} or tok.dep_ not in {"ccomp", "relcl", "acl"}:
            continue
        if not any(c.dep_ == "mark" and c.lower_ == "that" and c.i < tok.i for c in tok.children):
            continue
        node, ok = tok.head, True
        while node.i != cue.i:
            if node.pos_ in {"VERB", "AUX"} and node.lemma_.lower() not in {"cite", "quote"}:
                ok = False
                break
            if node.pos_ == "NOUN" and node.lemma_.lower() in REPORT_NOUNS:
                ok = False
                break
            node = node.head
        if ok:
            return tok
    return None


def _prep_content(cue: Token, lemma: str) -> Content | None:
    preps = _PREP_CUES.get(lemma)
    if not preps:
        return None
    prep = next((c for c in cue.children if c.dep_ == "prep" and c.lower_ in preps), None)
    obj = next((c for c in prep.children if c.dep_ in {"pobj", "pcomp"}), None) if prep is not None else None
    if obj is None:
        return None
    toks = list(obj.subtree)
    return Content(spans_of(toks), obj, toks, how="object")


def _charge_content(cue: Token, lemma: str) -> Content | None:
    if lemma not in _CHARGE_CUES:
        return None
    obj = next((c for c in cue.children if c.dep_ == "dobj"), None)
    prep = next((c for c in cue.children if c.dep_ == "prep" and c.lower_ in {"of", "for", "with"}), None)
    if obj is None or prep is None or prep.i < obj.i:
        return None
    toks = list(obj.subtree) + list(prep.subtree)
    return Content(spans_of(toks), prep, toks, how="object")


def _call_content(cue: Token) -> Content | None:
    children = list(cue.children)
    prep = next(
        (c for c in children if c.dep_ in {"prep", "prt"} and c.lower_ in {"for", "on"} and c.i == cue.i + 1), None
    )
    if prep is not None:
        toks = [t for t in prep.subtree if t.i != prep.i]
        toks += [t for c in children if c.dep_ in {"xcomp", "dobj", "pobj"} and c.i > prep.i for t in c.subtree]
        return Content(spans_of(toks), prep, toks, how="object") if toks else None
    obj = next((c for c in children if c.dep_ == "dobj"), None)
    pred = next((c for c in children if c.dep_ in {"oprd", "xcomp", "ccomp"} and (obj is None or c.i > obj.i)), None)
    if obj is not None and pred is not None:
        toks = list(obj.subtree) + list(pred.subtree)
        return Content(spans_of(toks), pred, toks, how="object")
    return None


def _relative_content(cue: Token) -> Content | None:
    head = cue.head
    after = cue.nbor(1) if cue.i + 1 < len(cue.doc) else None
    if after is None or not (after.tag_.startswith("VB") or after.tag_ == "MD"):
        return None
    left = [t for t in head.subtree if t.i <= head.i and t.i >= head.left_edge.i]
    right: list[Token] = []
    for tok in cue.doc[cue.i + 1 : cue.sent.end]:
        if tok.text in {",", ".", ";", ":", "!", "?"} or tok.is_space:
            break
        right.append(tok)
    if not right:
        return None
    return Content(spans_of(left) + spans_of(right), after, left + right, how="relative")


def content_for_according(according: Token) -> Content | None:
    """ "According to X, Y" / "Y, according to X": the content is the clause the phrase modifies."""
    phrase = list(according.subtree)
    head = according.head
    if head.i != according.i and not any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in head.children):
        # "According to X, the mayor resigned" parsed with "the mayor" as X's apposition
        stray = [t for t in phrase if t.dep_ == "appos" and t.i > according.i]
        if stray:
            cut = {t.i for s in stray for t in s.subtree}
            phrase = [t for t in phrase if t.i not in cut]
    if head.i == according.i:  # the parser made the phrase a root of its own: take the rest of the sentence
        toks = _without(list(according.sent), phrase)
    else:
        while head.dep_ not in {"ROOT", "ccomp"} and head.head.i != head.i and head.pos_ not in {"VERB", "AUX"}:
            head = head.head
        toks = _without(list(head.subtree), phrase)
    toks = [t for t in toks if not t.is_space]
    if not any(t.pos_ in {"VERB", "AUX", "NOUN", "PROPN"} for t in toks):
        return None
    return Content(spans_of(toks), head, toks, how="according")


def content_of_passive(cue: Token) -> Content:
    """An unattributed passive: "It is believed that X" → X; "X was identified as Y" → the whole clause."""
    for child in cue.children:
        if child.dep_ == "ccomp":
            toks = _clause(child)
            return Content(spans_of(toks), child, toks, how="passive")
    toks = [t for t in cue.subtree if not t.is_space]
    return Content(spans_of(toks), cue, toks, how="passive")


def _inside(span: tuple[int, int], quotes: list[tuple[int, int]]) -> int:
    """How many characters of ``span`` lie inside quotations."""
    return sum(max(0, min(span[1], qe) - max(span[0], qs)) for qs, qe in quotes)


def expand_to_quotes(
    spans: list[tuple[int, int]], quotes: list[tuple[int, int]], cue: tuple[int, int]
) -> list[tuple[int, int]]:
    """Stretch content spans that end or start inside a quotation to the whole quotation.

    A multi-sentence quote parses as several sentences, and the cue's complement covers
    only the nearest: "“A. B,” she said" gives "B"; the quotation marks give "A. B".
    Quotations holding the cue itself are left alone.
    """
    out: list[tuple[int, int]] = []
    for start, end in spans:
        for qs, qe in quotes:
            if qs <= cue[0] < qe:
                continue
            if qs <= start < qe or qs < end <= qe:
                start, end = min(start, qs), max(end, qe)
        out.append((start, end))
    return out


def kind_of(spans: list[tuple[int, int]], text: str, quotes: list[tuple[int, int]]) -> str:
    """ "direct" when every word of the content is quoted, "mixed" when some are, else "indirect"."""
    total = sum(sum(1 for ch in text[s:e] if ch.isalnum()) for s, e in spans)
    quoted = 0
    for s, e in spans:
        for qs, qe in quotes:
            lo, hi = max(s, qs), min(e, qe)
            if hi > lo:
                quoted += sum(1 for ch in text[lo:hi] if ch.isalnum())
    if total == 0 or quoted == 0:
        return "indirect"
    if quoted >= total - 1:
        return "direct"
    return "mixed"
