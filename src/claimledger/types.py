"""The records that flow between claimledger's stages.

Every record is a frozen dataclass holding plain data and character offsets into a
document's text; no stage object (spaCy doc, lxml tree, DB row) ever leaks out.
"""

from __future__ import annotations

import bisect
import dataclasses
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Span:
    """A stretch of text: ``text == source[start:end]``."""

    start: int
    end: int
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Segment:
    """A piece of the clean text that was copied verbatim from the raw input.

    ``clean[clean_start:clean_start+length] == raw[raw_start:raw_start+length]``.
    """

    clean_start: int
    raw_start: int
    length: int


@dataclass(frozen=True)
class Removed:
    """A stretch of the input dropped as boilerplate, kept for audit."""

    text: str
    reason: str
    start: int | None = None  # offset into the raw text, where the format has one
    end: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "reason": self.reason, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Document:
    """One article: clean text plus its metadata and the audit trail of what was removed."""

    id: str
    text: str
    source: str  # the path, URL or ``name#line`` it came from, as given
    format: str  # html | text | jsonl | warc | feed
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None  # ISO 8601 date or datetime
    language: str | None = None
    url: str | None = None
    captions: tuple[Span, ...] = ()  # offsets into the raw text for text inputs, else into ``text``
    boilerplate: tuple[Removed, ...] = ()
    segments: tuple[Segment, ...] = ()  # clean→raw offset map; empty when there is no raw text
    extractor: str = ""  # name and version of what produced the text
    warnings: tuple[str, ...] = ()
    _seg_starts: tuple[int, ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_seg_starts", tuple(s.clean_start for s in self.segments))

    def raw_offset(self, clean_offset: int) -> int:
        """Map an offset in ``text`` to the raw input's decoded text.

        Inputs without a raw map (HTML and the like) index ``text`` itself, so the
        offset is returned unchanged. An offset on a seam between segments maps to
        the end of the previous segment when it closes a span, which callers get by
        passing ``end - 1`` and adding one.
        """
        if not self.segments:
            return clean_offset
        i = bisect.bisect_right(self._seg_starts, clean_offset) - 1
        if i < 0:
            raise ValueError(f"offset {clean_offset} lies before the first segment")
        seg = self.segments[i]
        delta = clean_offset - seg.clean_start
        if delta > seg.length:
            raise ValueError(f"offset {clean_offset} lies between segments")
        return seg.raw_start + delta

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a clean ``[start, end)`` span to the raw text (``end`` exclusive)."""
        if end <= start:
            raw = self.raw_offset(start)
            return raw, raw
        return self.raw_offset(start), self.raw_offset(end - 1) + 1

    def raw_pieces(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """Split a clean ``[start, end)`` span at segment seams: ``(clean_start, raw_start, raw_end)`` each.

        Every piece lies inside one segment, so its raw text equals its clean text, even where
        the clean text joins paragraphs that were apart (or had boilerplate between them) in the raw input.
        """
        if not self.segments:
            return [(start, start, end)]
        pieces = []
        first = max(bisect.bisect_right(self._seg_starts, start) - 1, 0)
        for seg in self.segments[first:]:
            if seg.clean_start >= end:
                break
            lo, hi = max(start, seg.clean_start), min(end, seg.clean_start + seg.length)
            if lo < hi:
                pieces.append((lo, seg.raw_start + lo - seg.clean_start, seg.raw_start + hi - seg.clean_start))
        return pieces

    def summary(self) -> dict[str, Any]:
        """The JSON shape ``claimledger extract`` prints."""
        return {
            "document": self.source,
            "id": self.id,
            "title": self.title,
            "text": self.text,
            "outlet": self.outlet,
            "published": self.published,
            "author": self.author,
            "language": self.language,
            "url": self.url,
        }


KINDS = ("direct", "indirect", "mixed", "according-to", "parenthetical", "unattributed-passive")
STANCES = ("assert", "deny", "doubt", "confirm", "question")
SPEAKER_TYPES = ("person", "organisation", "government", "armed-group", "outlet", "anonymous", "unknown")


@dataclass(frozen=True)
class TimeRef:
    """A time expression attached to a statement, resolved against the publication date when known."""

    span: Span
    resolved: str | None = None  # ISO date, or None when it cannot be resolved

    def to_json(self) -> dict[str, Any]:
        return {**self.span.to_json(), "resolved": self.resolved}


@dataclass(frozen=True)
class Attribution:
    """One reported statement. Offsets index ``Document.text`` (map with ``Document.raw_span``)."""

    kind: str  # one of KINDS
    stance: str  # one of STANCES: the source's stance toward the content
    cue: Span
    content: tuple[Span, ...]  # one span, or several when the content is split around its cue
    source: Span | None = None  # None for unattributed passives
    speaker: str | None = None  # the resolved speaker: "Dmitry Peskov" for "he"
    speaker_type: str = "unknown"  # one of SPEAKER_TYPES
    role: str | None = None  # "Kremlin spokesman"
    via: tuple[Span, ...] = ()  # relay chain, nearest relay first
    hedges: tuple[Span, ...] = ()
    # How it was said, not who carried it: "in an online statement", "in a message", "on Twitter", "the agency".
    channels: tuple[Span, ...] = ()
    time: TimeRef | None = None
    nested_in: int | None = None  # index of the enclosing attribution in the same document
    confidence: float = 1.0

    def to_json(self) -> dict[str, Any]:
        """The JSON shape of ``claimledger attributions``: ``content`` is a list only when split."""
        content: Any = [c.to_json() for c in self.content]
        return {
            "kind": self.kind,
            "stance": self.stance,
            "speaker": self.speaker,
            "speaker_type": self.speaker_type,
            "role": self.role,
            "source": self.source.to_json() if self.source else None,
            "cue": self.cue.to_json(),
            "content": content[0] if len(content) == 1 else content,
            "via": [v.to_json() for v in self.via],
            "hedges": [h.to_json() for h in self.hedges],
            "channels": [c.to_json() for c in self.channels],
            "time": self.time.to_json() if self.time else None,
            "nested_in": self.nested_in,
            "confidence": round(self.confidence, 3),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Attribution:
        content = data["content"]
        pieces = content if isinstance(content, list) else [content]
        time = data.get("time")
        return cls(
            kind=data["kind"],
            stance=data["stance"],
            cue=_span(data["cue"]),
            content=tuple(_span(c) for c in pieces),
            source=_span(data["source"]) if data.get("source") else None,
            speaker=data.get("speaker"),
            speaker_type=data.get("speaker_type", "unknown"),
            role=data.get("role"),
            via=tuple(_span(v) for v in data.get("via", ())),
            hedges=tuple(_span(h) for h in data.get("hedges", ())),
            channels=tuple(_span(c) for c in data.get("channels", ())),
            time=TimeRef(_span(time), time.get("resolved")) if time else None,
            nested_in=data.get("nested_in"),
            confidence=float(data.get("confidence", 1.0)),
        )

    def map_offsets(self, doc: Document) -> Attribution:
        """The same attribution with offsets into the raw input, for inputs that have one (scraped text).

        A content span that crosses a paragraph seam becomes several pieces, so that every span's
        ``text`` is exactly ``raw[start:end]``.
        """
        if not doc.segments:
            return self

        def pieces(span: Span) -> list[Span]:
            return [
                Span(raw_start, raw_end, doc.text[lo : lo + raw_end - raw_start])
                for lo, raw_start, raw_end in doc.raw_pieces(span.start, span.end)
            ]

        def move(span: Span) -> Span:
            found = pieces(span)
            return found[0] if found else span

        return dataclasses.replace(
            self,
            cue=move(self.cue),
            content=tuple(piece for c in self.content for piece in pieces(c)),
            source=move(self.source) if self.source else None,
            via=tuple(move(v) for v in self.via),
            hedges=tuple(move(h) for h in self.hedges),
            channels=tuple(move(c) for c in self.channels),
            time=TimeRef(move(self.time.span), self.time.resolved) if self.time else None,
        )


def _span(data: dict[str, Any]) -> Span:
    return Span(int(data["start"]), int(data["end"]), str(data["text"]))


ARTICLE_STANCES = ("supports", "denies", "observes", "unrelated")
EDGE_STANCES = ("supports", "denies", "doubts", "observes")
STATUSES = ("unverified", "corroborated", "disputed", "denied", "confirmed", "unsourced")


@dataclass(frozen=True)
class ClaimItem:
    """One statement to group into claims: an attribution's content or an article's headline."""

    id: str
    text: str
    source: str | None = None  # who states it (speaker or outlet), a grouping hint
    published: str | None = None  # ISO date, a grouping hint
    # The id of the statement this one continues ("..., the ministry added"): left alone, it joins that
    # statement's claim when they share a content word (claimledger.claims.index).
    follows: str | None = None
    cue: str | None = None  # the reporting words ("called", "rejected"): a label may need them to read


@dataclass(frozen=True)
class Claim:
    """One proposition, stated by one or more items across documents."""

    id: str
    text: str  # the representative wording
    members: tuple[str, ...]  # ClaimItem ids
    story: str | None = None  # id of the group of related claims
    entities: tuple[str, ...] = ()
    first_seen: str | None = None
    last_seen: str | None = None


@dataclass(frozen=True)
class StanceResult:
    """An article's (or a statement's) stance toward a claim, with a score per label of ARTICLE_STANCES."""

    stance: str
    scores: tuple[tuple[str, float], ...]

    def score(self, label: str) -> float:
        return dict(self.scores).get(label, 0.0)


@dataclass(frozen=True)
class StanceEdge:
    """Evidence that an actor takes a stance toward a claim: one attribution, or a whole article's stance."""

    claim_id: str
    actor: str  # who takes the stance: the speaker, or the outlet for its own voice
    origin: str  # the first speaker of the chain; relays and syndicated copies share their origin's
    origin_type: str  # one of SPEAKER_TYPES
    stance: str  # one of EDGE_STANCES
    document_id: str
    evidence: Span | None = None  # offsets into the document's clean text
    via: tuple[str, ...] = ()  # relay names, nearest first
    attribution: int | None = None  # position of the attribution in its document; None: article-level
    kind: str = "article"  # the attribution's kind, or "article"
    outlet: str | None = None
    published: str | None = None
    confidence: float = 1.0
    # The attribution's own stance word: assert and confirm both make a "supports" edge, and the
    # ledger's "confirmed" status needs to know which. None for article-level edges.
    source_stance: str | None = None


@dataclass(frozen=True)
class OriginGroup:
    """The stance edges of one independent origin toward a claim."""

    origin: str
    origin_type: str
    stance: str  # the origin's overall stance: its latest, strongest statement
    edges: tuple[StanceEdge, ...]

    @property
    def articles(self) -> int:
        return len({e.document_id for e in self.edges})


@dataclass(frozen=True)
class LedgerEntry:
    """A claim with its origins for and against, a status with its reasons, and a timeline."""

    claim: Claim
    status: str  # one of STATUSES
    reasons: tuple[str, ...]
    origins: tuple[OriginGroup, ...]
    timeline: tuple[StanceEdge, ...]  # every edge, by publication time
    first_seen: str | None = None
    last_seen: str | None = None
    veracity: tuple[tuple[str, float], ...] = ()  # calibrated (true, false, unresolved) beside the status


@dataclass(frozen=True)
class Failure:
    """One input that could not be ingested, with the reason in one line."""

    source: str
    reason: str
    code: str


@dataclass(frozen=True)
class IngestReport:
    """What one ingest run did."""

    added: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()  # already stored: the same normalised text
    near_duplicates: tuple[tuple[str, str, float], ...] = ()
    failures: tuple[Failure, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.failures
