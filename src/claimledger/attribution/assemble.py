"""Assembling drafts into records: document offsets, nesting, relays through the enclosing speaker, time.

A draft is an attribution under construction, with paragraph-relative character offsets
until :func:`shift` moves it into the document; :func:`finish` then links nested
statements to the attribution whose content holds their cue, adds the enclosing speaker
to their relays, drops first-person asides inside someone's direct words, and resolves
time expressions against the publication date and the dates read so far.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from claimledger.attribution.resolve import Speaker
from claimledger.attribution.timex import resolve_time
from claimledger.types import Attribution, Document, Span, TimeRef

__all__ = ["Draft", "anchors", "finish", "shift"]

_FIRST_SECOND = frozenset({"i", "we", "you", "me", "us"})
_PRONOUNS = frozenset({"he", "she", "it", "they", "him", "her", "them"})


@dataclass
class Draft:
    kind: str
    stance: str
    cue: tuple[int, int]
    content: list[tuple[int, int]]
    source: tuple[int, int] | None = None
    speaker: Speaker | None = None
    via: list[tuple[int, int]] = field(default_factory=list)
    channels: list[tuple[int, int]] = field(default_factory=list)
    hedges: list[tuple[int, int]] = field(default_factory=list)
    time: tuple[int, int] | None = None
    confidence: float = 0.5
    cue_token: int = -1  # token index in its paragraph, for the quote pass
    lemma: str = ""


def anchors(dates: list[tuple[int, str]], published: str | None) -> list[tuple[int, str]]:
    """Every date expression of the document that resolves, in reading order: anchors for "that day"."""
    out: list[tuple[int, str]] = []
    for start, text in dates:
        resolved = resolve_time(text, published, anchor=out[-1][1] if out else None)
        if resolved:
            out.append((start, resolved))
    return out


def _abs(spans: list[tuple[int, int]], offset: int) -> list[tuple[int, int]]:
    return [(s + offset, e + offset) for s, e in spans]


def shift(d: Draft, offset: int) -> None:
    d.cue = (d.cue[0] + offset, d.cue[1] + offset)
    d.content = _abs(d.content, offset)
    d.source = (d.source[0] + offset, d.source[1] + offset) if d.source else None
    d.via = _abs(d.via, offset)
    d.channels = _abs(d.channels, offset)
    d.hedges = _abs(d.hedges, offset)
    d.time = (d.time[0] + offset, d.time[1] + offset) if d.time else None


def _span(text: str, span: tuple[int, int]) -> Span:
    return Span(span[0], span[1], text[span[0] : span[1]])


def _enclosing(drafts: list[Draft], i: int) -> int | None:
    cue = drafts[i].cue
    best: tuple[int, int] | None = None
    for j, other in enumerate(drafts):
        if j == i:
            continue
        for s, e in other.content:
            if s <= cue[0] and cue[1] <= e and (best is None or e - s < best[0]):
                best = (e - s, j)
    return best[1] if best else None


def _speaking_in_own_words(drafts: list[Draft], text: str) -> list[Draft]:
    """Drop statements nested in the same speaker's own: "I think" inside someone's direct words,
    "he believes" in "Ames said he believes ...". The outer attribution already carries them
    (and its stance already reads the inner verb: "said it doesn't trust" is a doubt).
    """
    keep: list[Draft] = []
    for i, d in enumerate(drafts):
        parent = _enclosing(drafts, i)
        if parent is not None and d.source is not None:
            outer = drafts[parent]
            said_by = text[d.source[0] : d.source[1]].lower()
            if outer.kind in {"direct", "mixed"} and said_by in _FIRST_SECOND:
                continue
            same = d.speaker is not None and outer.speaker is not None and d.speaker.name == outer.speaker.name
            if said_by in _PRONOUNS and same:
                continue
        keep.append(d)
    return keep


def finish(drafts: list[Draft], document: Document, anchors: list[tuple[int, str]]) -> list[Attribution]:
    text = document.text
    drafts = _speaking_in_own_words(drafts, text)
    out: list[Attribution] = []
    for i, d in enumerate(drafts):
        parent = _enclosing(drafts, i)
        via = list(d.via)
        if parent is not None and drafts[parent].source is not None:
            outer = drafts[parent]
            via += [s for s in [outer.source, *outer.via] if s is not None and s not in via]
        time: TimeRef | None = None
        if d.time is not None:
            start = d.time[0]
            anchor = next((r for s, r in reversed(anchors) if s < start), None)
            resolved = resolve_time(text[d.time[0] : d.time[1]], document.published, anchor=anchor)
            time = TimeRef(_span(text, d.time), resolved)
        out.append(
            Attribution(
                kind=d.kind,
                stance=d.stance,
                cue=_span(text, d.cue),
                content=tuple(_span(text, c) for c in d.content),
                source=_span(text, d.source) if d.source else None,
                speaker=d.speaker.name if d.speaker else None,
                speaker_type=d.speaker.type if d.speaker else "unknown",
                role=d.speaker.role if d.speaker else None,
                via=tuple(_span(text, v) for v in via),
                hedges=tuple(_span(text, h) for h in d.hedges),
                channels=tuple(_span(text, c) for c in d.channels),
                time=time,
                nested_in=parent,
                confidence=d.confidence,
            )
        )
    return out
