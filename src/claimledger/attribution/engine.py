"""The rule-based attribution engine: cues → content, source, relays, time; then quotes, nesting.

Per paragraph: every cue verb with a content (a clause, a statement noun's clause, a
quotation next to it) becomes a draft; "according to X" becomes one when no cue verb owns
the clause; an agentless passive cue becomes an unattributed one. Then quotations that no
draft covers are given to the cue beside them, or continue the paragraph's last quote
("“A,” she said. “B.”" → one attribution with two content spans). Last, across the
document: nesting (a cue inside another's content), relays through the enclosing speaker,
and time expressions resolved in reading order.
"""

from __future__ import annotations

from claimledger.attribution.assemble import Draft, anchors, finish, shift
from claimledger.attribution.content import (
    Content,
    content_for_according,
    content_for_cue,
    content_of_passive,
    expand_to_quotes,
    find_quotes,
    kind_of,
    spans_of,
)
from claimledger.attribution.cues import (
    ATTITUDES,
    CLAUSE_ONLY,
    EVALUATIVE,
    HEDGES,
    PASSIVE_CUES,
    SAYING,
    content_stance,
    cue_stance,
    is_negated,
    polarity,
    weak_passive,
)
from claimledger.attribution.layout import Labelled, colon_label, dash_signature
from claimledger.attribution.relays import citing, find_relays
from claimledger.attribution.resolve import Resolver, Speaker
from claimledger.attribution.sources import Source, find_source, is_passive, np_tokens
from claimledger.attribution.timex import find_time
from claimledger.nlp import Language, Paragraph, Token, load_pipeline, parse
from claimledger.types import Attribution, Document

__all__ = ["ENGINE_VERSION", "extract_attributions"]

# The version of these rules, for the records that stages stamp on their outputs.
ENGINE_VERSION = "claimledger-rules/2"

# Base confidence per kind, close to the share of each kind that matched a PolNeAR train sample
# (whole-overlap, 120 articles): direct .84, mixed .89, according-to .85, parenthetical .85,
# indirect .74; the adjustments in `_confidence` move named sources up and weak cues down.
_BASE_CONFIDENCE = {
    "direct": 0.85,
    "mixed": 0.85,
    "according-to": 0.8,
    "parenthetical": 0.8,
    "indirect": 0.75,
    "unattributed-passive": 0.6,
}
_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i", "you", "him", "her", "them"})
_SOURCE_PRONOUNS = frozenset({"it", "they", "we", "he", "she", "i", "its", "their", "our"})
_MIN_QUOTE_WORDS = 4  # shorter quotations are names, titles or scare quotes


def _speech(lemma: str) -> bool:
    """A verb of saying, which can take a quotation beside it as its content."""
    return lemma in SAYING


def extract_attributions(document: Document, *, nlp: Language | None = None) -> list[Attribution]:
    """Every reported statement in ``document``, in reading order, with offsets into ``document.text``.

    ``nlp`` is a spaCy pipeline with a parser and NER (default: :func:`claimledger.nlp.load_pipeline`).
    """
    pipeline = nlp if nlp is not None else load_pipeline()
    paragraphs = parse(document.text, pipeline)
    resolver = Resolver(paragraphs)
    drafts: list[Draft] = []
    pending: Draft | None = None  # "She continued:" waiting for the quotation in the next paragraph
    for para in paragraphs:
        if pending is not None:
            quote = _leading_quote(para)
            if quote is not None:
                pending.content = [quote]
                drafts.append(pending)
            pending = None
        for draft in _paragraph(para, resolver):
            if draft.content:
                drafts.append(draft)
            else:
                pending = draft
    drafts.sort(key=lambda d: d.cue)
    dates = [(p.offset + e.start_char, e.text) for p in paragraphs for e in p.doc.ents if e.label_ == "DATE"]
    return finish(drafts, document, anchors(dates, document.published))


def _outer(spans: list[tuple[int, int]]) -> tuple[int, int] | None:
    return (spans[0][0], spans[-1][1]) if spans else None


def _relay_span(head: Token) -> tuple[int, int] | None:
    toks = [t for t in np_tokens(head) if t.i >= head.i or t.dep_ not in {"det", "poss"}]
    while toks and toks[0].lower_ in {"the", "a", "an"}:
        toks = toks[1:]
    return _outer(spans_of(toks))


def _cue_span(cue: Token) -> tuple[int, int]:
    start, end = cue.idx, cue.idx + len(cue.text)
    for child in cue.children:
        if child.dep_ == "auxpass" and child.i < cue.i:
            start = min(start, child.idx)
        if child.i == cue.i + 1 and (child.dep_ == "prt" or (cue.lemma_ == "call" and child.lower_ in {"for", "on"})):
            end = child.idx + len(child.text)
    return start, end


def _tokens_in(para: Paragraph, spans: list[tuple[int, int]]) -> list[Token]:
    return [t for t in para.doc if any(s <= t.idx < e for s, e in spans) and not t.is_space]


def _content_root(tokens: list[Token]) -> Token | None:
    inside = {t.i for t in tokens}
    return next((t for t in tokens if t.head.i not in inside or t.head.i == t.i), None)


def _stance(cue: Token, content: Content, para: Paragraph, spans: list[tuple[int, int]], source: Source | None) -> str:
    base = cue_stance(cue) or "assert"
    negated = is_negated(cue)
    stance = polarity(base, negated)
    if base != "assert" or negated:
        return stance
    tokens = _tokens_in(para, spans)
    root = content.root if content.root is not None and content.how != "quote" else _content_root(tokens)
    if root is None:
        return stance
    like = set(_SOURCE_PRONOUNS)
    if source is not None:
        like.add(source.head.lower_)
    return content_stance(root, tokens, source_like=like) or stance


def _hedges(cue: Token, spans: list[tuple[int, int]], para: Paragraph) -> list[tuple[int, int]]:
    sents = {cue.sent.start} | {t.sent.start for t in _tokens_in(para, spans)}
    return [(t.idx, t.idx + len(t.text)) for t in para.doc if t.lower_ in HEDGES and t.sent.start in sents]


def _confidence(kind: str, source: Source | None, speaker: Speaker | None, cue: Token, how: str) -> float:
    score = _BASE_CONFIDENCE.get(kind, 0.6)
    if source is not None and (source.head.pos_ == "PROPN" or source.head.ent_type_):
        score += 0.05
    if speaker is not None and speaker.name.lower() in _PRONOUNS:
        score -= 0.1
    if cue.lemma_.lower() in CLAUSE_ONLY:
        score -= 0.1
    if cue.lemma_.lower() in ATTITUDES or cue.lemma_.lower() in EVALUATIVE:
        score -= 0.2
    if how in {"object", "relative", "parataxis"}:
        score -= 0.05
    return round(min(0.99, max(0.05, score)), 2)


def _quote_content(cue: Token, quotes: list[tuple[int, int]]) -> Content | None:
    """A quotation beside the cue: "“...,” she said", "She said: “...”", "“...?” she asked."."""
    sent = cue.sent
    lo, hi = sent.start_char, sent.end_char
    text = cue.doc.text
    near = [
        (s, e)
        for s, e in quotes
        if ((s < hi and e > lo) or (e <= lo and not text[e:lo].strip(" \t\n”\"'’»,")))
        and not s <= cue.idx < e
        and _words(text[s:e]) >= 2
    ]
    if not near:
        return None
    spans = [(s, e) for s, e in near]
    tokens = _tokens_in_doc(cue, spans)
    return Content(spans, None, tokens, how="quote")


def _tokens_in_doc(cue: Token, spans: list[tuple[int, int]]) -> list[Token]:
    return [t for t in cue.doc if any(s <= t.idx < e for s, e in spans) and not t.is_space]


def _last_sentence(cue: Token) -> bool:
    return all(t.is_space for t in cue.doc[cue.sent.end :])


def _leading_quote(para: Paragraph) -> tuple[int, int] | None:
    """The quotation a paragraph opens with, in document offsets."""
    quotes = find_quotes(para.doc.text)
    if not quotes or quotes[0][0] > 2:
        return None
    start, end = quotes[0]
    return para.offset + start, para.offset + end


def _words(text: str) -> int:
    return len(text.split())


def _draft_for_cue(cue: Token, para: Paragraph, quotes: list[tuple[int, int]], resolver: Resolver) -> Draft | None:
    lemma = cue.lemma_.lower()
    text = para.doc.text
    if is_passive(cue) and not any(c.dep_ == "agent" for c in cue.children):
        return _passive_draft(cue, para, lemma)
    if cue_stance(cue) is None or (lemma in {"cite", "quote"} and cue.tag_ == "VBG"):
        return None
    content = content_for_cue(cue)
    if content is None and _speech(lemma):
        content = _quote_content(cue, quotes)
    if content is None and _speech(lemma) and cue.sent.text.rstrip().endswith(":") and _last_sentence(cue):
        content = Content([], None, [], how="pending")  # "Cruz continued:" — the quotation is the next paragraph
    if content is None or (not content.spans and content.how != "pending"):
        return None
    source = find_source(cue)
    reporter: Token | None = None
    cited = citing(cue)
    if cited is not None and source is not None:
        reporter, source = source.head, Source(cited, np_tokens(cited), source.via)
    if source is None:
        return None
    cue_span = _cue_span(cue)
    spans = expand_to_quotes(content.spans, quotes, cue_span)
    kind = kind_of(spans, text, quotes) if spans else "direct"
    if kind == "indirect" and content.how == "parataxis":
        kind = "parenthetical"
    elif kind == "indirect" and spans[-1][1] <= cue_span[0] and content.how == "clause":
        between = text[spans[-1][1] : cue_span[0]]
        if "," in between:
            kind = "parenthetical"
    stance = _stance(cue, content, para, spans, source)
    src_span = _outer(spans_of(source.tokens)) or (source.head.idx, source.head.idx + len(source.head.text))
    speaker = resolver.resolve(source.head, source.tokens, para.offset + src_span[0])
    relays, channels = find_relays(cue, cited_by=source.via, reporter=reporter)
    via = [s for s in (_relay_span(t) for t in relays) if s]
    time = find_time(cue)
    return Draft(
        kind=kind,
        stance=stance,
        cue=cue_span,
        content=spans,
        source=src_span,
        speaker=speaker,
        via=via,
        channels=[s for s in (_relay_span(t) for t in channels) if s],
        hedges=_hedges(cue, spans, para),
        time=(time[0].idx, time[-1].idx + len(time[-1].text)) if time else None,
        confidence=_confidence(kind, source, speaker, cue, content.how),
        cue_token=cue.i,
        lemma=lemma,
    )


def _passive_draft(cue: Token, para: Paragraph, lemma: str) -> Draft | None:
    """ "It is believed that X", "X is said to be Y", "X was identified as Y": no one is named."""
    if lemma not in PASSIVE_CUES or weak_passive(lemma) or cue.dep_ in {"amod", "acl", "relcl"}:
        return None
    deps = {c.dep_ for c in cue.children}
    as_phrase = any(c.dep_ == "prep" and c.lower_ == "as" for c in cue.children)
    if not ("ccomp" in deps or "xcomp" in deps or (lemma in {"identify", "describe"} and as_phrase)):
        return None
    content = content_of_passive(cue)
    if not content.spans:
        return None
    time = find_time(cue)
    spans = content.spans
    return Draft(
        kind="unattributed-passive",
        stance=polarity("assert", is_negated(cue)),
        cue=_cue_span(cue),
        content=spans,
        hedges=_hedges(cue, spans, para),
        time=(time[0].idx, time[-1].idx + len(time[-1].text)) if time else None,
        confidence=_BASE_CONFIDENCE["unattributed-passive"],
        cue_token=cue.i,
    )


def _according_draft(tok: Token, para: Paragraph, resolver: Resolver) -> Draft | None:
    to = next((c for c in tok.children if c.lower_ == "to"), None)
    obj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
    if obj is None:
        return None
    head = tok.head
    if head.i != tok.i and cue_stance(head) is not None and find_source(head) is not None:
        return None  # "X said, according to TASS": a relay of that cue, not a statement of its own
    content = content_for_according(tok)
    if content is None or not content.spans:
        return None
    tokens = np_tokens(obj)
    src = _outer(spans_of(tokens)) or (obj.idx, obj.idx + len(obj.text))
    speaker = resolver.resolve(obj, tokens, para.offset + src[0])
    source = Source(obj, tokens)
    cue_span = (tok.idx, to.idx + len(to.text)) if to is not None else (tok.idx, tok.idx + len(tok.text))
    stance = _stance(tok, content, para, content.spans, source)
    return Draft(
        kind="according-to",
        stance=stance,
        cue=cue_span,
        content=content.spans,
        source=src,
        speaker=speaker,
        hedges=_hedges(tok, content.spans, para),
        confidence=_confidence("according-to", source, speaker, tok, content.how),
        cue_token=tok.i,
    )


def _paragraph(para: Paragraph, resolver: Resolver) -> list[Draft]:
    text = para.doc.text
    quotes = find_quotes(text)
    drafts: list[Draft] = []
    for tok in para.doc:
        draft: Draft | None = None
        if tok.lower_ == "according" and tok.i + 1 < len(para.doc) and tok.nbor(1).lower_ == "to":
            draft = _according_draft(tok, para, resolver)
        elif tok.pos_ == "VERB" and (cue_stance(tok) is not None or tok.lemma_.lower() in PASSIVE_CUES):
            draft = _draft_for_cue(tok, para, quotes, resolver)
        if draft is not None:
            drafts.append(draft)
    _assign_quotes(drafts, quotes, text)
    drafts = [d for d in drafts if not _own_words(d, quotes, para)]
    for found in (colon_label(para.doc), dash_signature(para.doc)):
        if found is not None and not any(d.cue[0] < found.cue[0] for d in drafts if d.content == [found.content]):
            drafts.append(_layout_draft(found, para, resolver))
    for d in drafts:
        shift(d, para.offset)
    return drafts


def _layout_draft(found: Labelled, para: Paragraph, resolver: Resolver) -> Draft:
    """ "NAME: words" and "“words” ― Name": verbatim words under a speaker label."""
    tokens = _tokens_in(para, [found.content])
    root = _content_root(tokens)
    like = set(_SOURCE_PRONOUNS) | {found.head.lower_}
    stance = (content_stance(root, tokens, source_like=like) if root is not None else None) or "assert"
    speaker = resolver.resolve(found.head, list(found.source_tokens), para.offset + found.source[0])
    return Draft(
        kind="direct",
        stance=stance,
        cue=found.cue,
        content=[found.content],
        source=found.source,
        speaker=speaker,
        confidence=0.7,
        cue_token=found.head.i,
    )


def _own_words(d: Draft, quotes: list[tuple[int, int]], para: Paragraph) -> bool:
    """A cue inside a quotation: the quoted speaker's own words ("I think", "they told me"), no new report.

    Kept only when it names a third party by name ("“The Ardell Post reported it,” she said"),
    which the ledger can use as a nested statement.
    """
    if not any(qs <= d.cue[0] < qe for qs, qe in quotes):
        return False
    if d.source is None:
        return True
    named = [t for t in para.doc if d.source[0] <= t.idx < d.source[1] and (t.pos_ == "PROPN" or t.ent_type_)]
    return not named


def _covered(span: tuple[int, int], drafts: list[Draft]) -> bool:
    return any(s < span[1] and span[0] < e for d in drafts for s, e in d.content)


def _assign_quotes(drafts: list[Draft], quotes: list[tuple[int, int]], text: str) -> None:
    """Quotations no draft covers continue the paragraph's last quoting draft before them."""
    for qs, qe in quotes:
        if _words(text[qs:qe]) < _MIN_QUOTE_WORDS or _covered((qs, qe), drafts):
            continue
        earlier = [d for d in drafts if d.kind in {"direct", "mixed"} and d.cue[1] <= qs and d.source is not None]
        if earlier:
            owner = earlier[-1]
            owner.content.append(_trim(text, qs, qe))
            owner.content.sort()


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
