"""A trained SOURCE / CUE / CONTENT span tagger and the rule that groups its spans into attributions.

The model (``models/polnear-tagger/``, trained by ``train_tagger.py`` beside this file on PolNeAR's train split,
see ``MODEL_CARD.md``) labels each token as part of at most one source, cue or content
span. Its head is either spaCy's entity recogniser (spans in ``doc.ents``) or a BIO token tagger
(``B-CONTENT``/``I-CONTENT``/... in ``token.tag_``); `tag_spans` reads both.

`group_spans` then turns the flat spans into `Attribution` records: every cue takes the nearest free
content in its own or an adjacent sentence (a second content piece on the other side of the cue when
the quote is split around it, as in “X,” he said, “Y.”), and the nearest free source in its own
sentence. Cues left without content are dropped: an attribution without content says nothing.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from claimledger.types import Attribution, Span

__all__ = [
    "DEFAULT_MODEL",
    "MODEL_NAME",
    "GroupingOptions",
    "TaggedSpan",
    "extract_attributions_tagged",
    "group_spans",
    "load_tagger",
    "sentence_bounds",
    "tag_spans",
]

MODEL_NAME = "polnear-tagger"
DEFAULT_MODEL = Path(__file__).parent / "models" / MODEL_NAME
LABELS = ("SOURCE", "CUE", "CONTENT")

TaggedSpan = tuple[str, int, int]
"""``(label, start_char, end_char)`` with label SOURCE, CUE or CONTENT."""

_QUOTES = '"“”«»'
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])|\n\s*")


@dataclass(frozen=True)
class GroupingOptions:
    """How far apart the spans of one attribution may lie.

    ``content_sentences``: a content may sit this many sentences away from its cue (0: same sentence).
    ``source_sentences``: the same for the source. ``split_content``: let a cue take a second content
    piece on its other side (quotes split around the cue). ``merge_gap``: join two spans of one label
    that only this many characters apart, with no other span and no line break between them (a token
    tagger leaves holes in long contents).
    """

    content_sentences: int = 0
    source_sentences: int = 0
    split_content: bool = True
    merge_gap: int = 0


@lru_cache(maxsize=2)
def load_tagger(path: str | Path = DEFAULT_MODEL) -> Language:
    """Load the tagger pipeline (with a rule-based sentencizer added for grouping). Cached per path."""
    model_dir = Path(path)
    if not (model_dir / "config.cfg").exists():
        raise FileNotFoundError(
            f"{model_dir}: no trained tagger there; train one with `python scripts/train_tagger.py --install`"
        )
    nlp = spacy.load(model_dir)
    if not nlp.has_pipe("sentencizer") and not nlp.has_pipe("parser") and not nlp.has_pipe("senter"):
        nlp.add_pipe("sentencizer")
    return nlp


def _bio_spans(doc: Doc) -> list[TaggedSpan]:
    spans: list[TaggedSpan] = []
    label = ""
    start = end = 0
    for token in doc:
        tag = token.tag_
        prefix, _, tag_label = tag.partition("-")
        continues = prefix == "I" and tag_label == label
        if label and not continues:
            spans.append((label, start, end))
            label = ""
        if tag_label in LABELS and not continues:
            label, start = tag_label, token.idx
        if label:
            end = token.idx + len(token.text)
    if label:
        spans.append((label, start, end))
    return spans


def tag_spans(doc: Doc | str, *, nlp: Language | None = None) -> list[TaggedSpan]:
    """The SOURCE / CUE / CONTENT spans of a text, or of a doc already run through the tagger pipeline."""
    if isinstance(doc, str):
        doc = (nlp or load_tagger())(doc)
    if not any(ent.label_ in LABELS for ent in doc.ents):
        return _bio_spans(doc)
    spans: list[TaggedSpan] = []
    for ent in doc.ents:
        if ent.label_ not in LABELS:
            continue
        if spans and spans[-1][0] == ent.label_ and not doc.text[spans[-1][2] : ent.start_char].strip():
            # a recogniser run after a parser cuts spans at sentence starts: join the pieces
            spans[-1] = (ent.label_, spans[-1][1], ent.end_char)
        else:
            spans.append((ent.label_, ent.start_char, ent.end_char))
    return spans


def sentence_bounds(text: str, doc: Doc | None = None) -> list[int]:
    """Sorted start offsets of the sentences of ``text``: from ``doc`` when it has sentence boundaries,
    else from a punctuation-and-newline rule."""
    if doc is not None and doc.has_annotation("SENT_START"):
        return [sent.start_char for sent in doc.sents]
    return [0, *(m.end() for m in _SENTENCE_END.finditer(text) if m.end() < len(text))]


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Characters between two spans (0 when they touch or overlap)."""
    return max(0, max(a[0], b[0]) - min(a[1], b[1]))


def _merge(spans: Sequence[tuple[int, int]], text: str, max_gap: int, others: Sequence[int]) -> list[tuple[int, int]]:
    """Join neighbouring spans less than ``max_gap`` characters apart with no line break and none of
    ``others`` (boundaries of spans with other labels) between them."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out:
            prev_start, prev_end = out[-1]
            gap = text[prev_end:start]
            blocked = "\n" in gap or any(prev_end <= o < start for o in others)
            if start - prev_end <= max_gap and not blocked:
                out[-1] = (prev_start, max(end, prev_end))
                continue
        out.append((start, end))
    return out


def _kind(text: str, content: Sequence[tuple[int, int]], cue: str) -> str:
    if cue.lower().startswith("according"):
        return "according-to"
    first = text[content[0][0] : content[0][1]].lstrip()
    last = text[content[-1][0] : content[-1][1]].rstrip()
    opens, closes = bool(first) and first[0] in _QUOTES, bool(last) and last[-1] in _QUOTES
    if opens and closes:
        return "direct"
    return "mixed" if opens or closes or any(q in first for q in _QUOTES) else "indirect"


def _span(text: str, start: int, end: int) -> Span:
    return Span(start, end, text[start:end])


def group_spans(
    spans: Iterable[TaggedSpan],
    text: str,
    *,
    sentences: Sequence[int] | None = None,
    options: GroupingOptions | None = None,
) -> list[Attribution]:
    """Group tagged spans into attributions, in cue order.

    Assignment is global and greedy: all (cue, content) pairs within reach are ranked by the
    characters between them, the closest taken first, each content used once. Sources follow the
    same rule among the cues that got a content. ``sentences`` are sentence start offsets
    (`sentence_bounds`); without them the whole text is one sentence.
    """
    opts = options or GroupingOptions()
    starts = list(sentences) if sentences else [0]
    by_label: dict[str, list[tuple[int, int]]] = {label: [] for label in LABELS}
    for label, start, end in spans:
        if label in by_label and end > start:
            by_label[label].append((start, end))
    if opts.merge_gap > 0:
        for label in LABELS:
            others = sorted(b for other in LABELS if other != label for s, e in by_label[other] for b in (s, e))
            by_label[label] = _merge(sorted(by_label[label]), text, opts.merge_gap, others)
    cues = sorted(by_label["CUE"])
    contents = sorted(by_label["CONTENT"])
    sources = sorted(by_label["SOURCE"])

    def sent(span: tuple[int, int]) -> tuple[int, int]:
        return bisect.bisect_right(starts, span[0]) - 1, bisect.bisect_right(starts, max(span[0], span[1] - 1)) - 1

    def reach(a: tuple[int, int], b: tuple[int, int]) -> int:
        (a0, a1), (b0, b1) = sent(a), sent(b)
        return 0 if a0 <= b1 and b0 <= a1 else min(abs(a0 - b1), abs(b0 - a1))

    def assign(targets: list[tuple[int, int]], limit: int, cue_ids: Sequence[int]) -> dict[int, int]:
        pairs = sorted(
            (reach(cues[ci], t), _gap(cues[ci], t), ci, ti)
            for ci in cue_ids
            for ti, t in enumerate(targets)
            if reach(cues[ci], t) <= limit
        )
        taken_c: set[int] = set()
        taken_t: set[int] = set()
        out: dict[int, int] = {}
        for _, _, ci, ti in pairs:
            if ci not in taken_c and ti not in taken_t:
                taken_c.add(ci)
                taken_t.add(ti)
                out[ci] = ti
        return out

    first = assign(contents, opts.content_sentences, range(len(cues)))
    content_of: dict[int, list[int]] = {ci: [ti] for ci, ti in first.items()}
    if opts.split_content:
        used = set(first.values())
        free = [i for i in range(len(contents)) if i not in used]
        # a second piece on the other side of the cue, in the same sentence window
        for ci, (ti,) in sorted(content_of.items()):
            cue = cues[ci]
            before = contents[ti][1] <= cue[0]
            side = [i for i in free if (contents[i][0] >= cue[1]) == before and reach(cue, contents[i]) == 0]
            if side:
                best = min(side, key=lambda i: _gap(cue, contents[i]))
                lo, hi = sorted((cue, contents[best]))
                between = list(text[lo[1] : hi[0]])
                for s_start, s_end in sources:  # "X,” the mayor said, “Y”: a source may sit in between
                    for k in range(max(s_start, lo[1]), min(s_end, hi[0])):
                        between[k - lo[1]] = " "
                if len(between) <= 40 and not any(ch.isalnum() for ch in between):
                    content_of[ci].append(best)
                    free.remove(best)
    source_of = assign(sources, opts.source_sentences, sorted(content_of))

    out: list[Attribution] = []
    for ci in sorted(content_of):
        cue = cues[ci]
        pieces = sorted(contents[i] for i in content_of[ci])
        cue_span = _span(text, *cue)
        source = _span(text, *sources[source_of[ci]]) if ci in source_of else None
        out.append(
            Attribution(
                kind=_kind(text, pieces, cue_span.text),
                stance="assert",
                cue=cue_span,
                content=tuple(_span(text, s, e) for s, e in pieces),
                source=source,
            )
        )
    return out


def extract_attributions_tagged(
    text: str, *, nlp: Language | None = None, options: GroupingOptions | None = None
) -> list[Attribution]:
    """Tag ``text`` with the trained model and group the spans: the one call for the common case."""
    doc = (nlp or load_tagger())(text)
    return group_spans(tag_spans(doc), text, sentences=sentence_bounds(text, doc), options=options)
