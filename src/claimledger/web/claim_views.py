"""One claim as its page and the API show it: statements in their sentences, origins by side, related claims.

Plain data, no HTML: every string taken from an article stays a string here and the templates escape it.
The charts of the claim page are drawn in :mod:`.charts`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from claimledger.export import entries_from_json, entry_to_dict
from claimledger.store.base import LedgerRow, Store
from claimledger.types import Document, LedgerEntry, StanceEdge

from .charts import RelayGraph, Timeline, relay_graph, timeline_chart

CONTEXT_CHARS = 280  # at most this much text either side of a highlighted statement
_SENTENCE_END = re.compile(r"[.!?…]['\"”’)]*\s|\n")


@dataclass(frozen=True)
class Statement:
    """One stance edge with the text around its evidence, split so the template can highlight the middle."""

    edge: StanceEdge
    document: Document | None
    before: str
    evidence: str
    after: str

    @property
    def title(self) -> str:
        doc = self.document
        return (doc.title or doc.outlet or doc.source) if doc else self.edge.document_id


@dataclass(frozen=True)
class OriginView:
    origin: str
    origin_type: str
    stance: str
    articles: int
    statements: list[Statement]


@dataclass
class ClaimView:
    entry: LedgerEntry
    row: LedgerRow
    origins: dict[str, list[OriginView]]  # "for", "against", "doubting", "observing"
    statements: list[Statement]
    timeline: Timeline
    graph: RelayGraph
    related: list[LedgerRow]
    documents: dict[str, Document] = field(default_factory=dict)


SIDES = {"supports": "for", "denies": "against", "doubts": "doubting", "observes": "observing"}


def load_entry(row: LedgerRow) -> LedgerEntry:
    entries = entries_from_json(row.record)
    if len(entries) != 1:
        raise ValueError(f"ledger row {row.claim_id} holds {len(entries)} entries, expected one")
    return entries[0]


def claim_view(store: Store, claim_id: str) -> ClaimView:
    row = store.get_ledger(claim_id)
    entry = load_entry(row)
    documents = store.get_documents([edge.document_id for edge in entry.timeline])
    statements = [statement(edge, documents.get(edge.document_id)) for edge in entry.timeline]
    by_edge = {id(edge): s for edge, s in zip(entry.timeline, statements, strict=True)}
    origins: dict[str, list[OriginView]] = {side: [] for side in SIDES.values()}
    for group in entry.origins:
        shown = [by_edge.get(id(e)) or statement(e, documents.get(e.document_id)) for e in group.edges]
        view = OriginView(group.origin, group.origin_type, group.stance, group.articles, shown)
        origins[SIDES.get(group.stance, "observing")].append(view)
    return ClaimView(
        entry=entry,
        row=row,
        origins=origins,
        statements=statements,
        timeline=timeline_chart(entry.timeline),
        graph=relay_graph(entry.timeline, documents),
        related=related_claims(store, entry),
        documents=documents,
    )


def statement(edge: StanceEdge, document: Document | None) -> Statement:
    """The evidence in its sentence: the text around ``edge.evidence`` up to the sentence bounds."""
    span = edge.evidence
    if span is None:
        return Statement(edge, document, "", "", "")
    if document is None or document.text[span.start : span.end] != span.text:
        return Statement(edge, document, "", span.text, "")
    text = document.text
    lo = max(0, span.start - CONTEXT_CHARS)
    starts = [m.end() for m in _SENTENCE_END.finditer(text, lo, span.start)]
    start = starts[-1] if starts else lo
    found = _SENTENCE_END.search(text, span.end, min(len(text), span.end + CONTEXT_CHARS))
    end = found.end() if found else min(len(text), span.end + CONTEXT_CHARS)
    before = ("…" if start == lo and lo > 0 else "") + text[start : span.start].lstrip()
    after = text[span.end : end].rstrip() + ("…" if not found and end < len(text) else "")
    return Statement(edge, document, before, span.text, after)


def related_claims(store: Store, entry: LedgerEntry, *, limit: int = 20) -> list[LedgerRow]:
    """Other claims of the same story."""
    story = entry.claim.story
    if not story:
        return []
    related = []
    for row in store.ledger_mentioning(json.dumps(story), limit=500):
        if row.claim_id == entry.claim.id:
            continue
        if load_entry(row).claim.story == story:
            related.append(row)
        if len(related) >= limit:
            break
    return related


def claim_json(view: ClaimView) -> dict[str, Any]:
    """The API shape of a claim: the stored entry with the metadata of the articles it cites."""
    data = entry_to_dict(view.entry, view.documents)
    data["id"] = view.entry.claim.id
    data["related"] = [row.summary() for row in view.related]
    return data
