"""The stored and exported form of a ledger entry: one JSON object per claim.

:func:`entry_to_dict` is what the store keeps in each claim's ``record`` column, beside its listing columns,
and the shape of every JSON export; :func:`entry_from_dict` reads it back. Stance edges appear once, in
timeline order, and origins refer to them by index, so a claim's record holds each edge once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from claimledger.types import Claim, Document, LedgerEntry, OriginGroup, Span, StanceEdge

__all__ = ["Documents", "entry_from_dict", "entry_to_dict"]

Documents = Mapping[str, Document]


def entry_to_dict(entry: LedgerEntry, documents: Documents | None = None) -> dict[str, Any]:
    """The JSON shape of one entry: edges once, in ``timeline`` order; origins refer to them by index."""
    index = {id(edge): i for i, edge in enumerate(entry.timeline)}
    claim = entry.claim
    return {
        "claim": {
            "id": claim.id,
            "text": claim.text,
            "members": list(claim.members),
            "story": claim.story,
            "entities": list(claim.entities),
            "first_seen": claim.first_seen,
            "last_seen": claim.last_seen,
        },
        "status": entry.status,
        "reasons": list(entry.reasons),
        "veracity": dict(entry.veracity),
        "first_seen": entry.first_seen,
        "last_seen": entry.last_seen,
        "origins": [
            {
                "origin": g.origin,
                "origin_type": g.origin_type,
                "stance": g.stance,
                "articles": g.articles,
                "edges": [_edge_index(index, entry.timeline, e) for e in g.edges],
            }
            for g in entry.origins
        ],
        "timeline": [_edge_to_dict(e) for e in entry.timeline],
        "documents": {doc_id: _document_to_dict(doc) for doc_id, doc in _cited(entry, documents).items()},
    }


def _edge_index(index: Mapping[int, int], timeline: Sequence[StanceEdge], edge: StanceEdge) -> int:
    found = index.get(id(edge))
    if found is not None:
        return found
    return timeline.index(edge)  # an equal edge that is not the same object


def _edge_to_dict(edge: StanceEdge) -> dict[str, Any]:
    data: dict[str, Any] = {
        "claim_id": edge.claim_id,
        "actor": edge.actor,
        "origin": edge.origin,
        "origin_type": edge.origin_type,
        "stance": edge.stance,
        "document_id": edge.document_id,
        "evidence": edge.evidence.to_json() if edge.evidence else None,
        "via": list(edge.via),
        "attribution": edge.attribution,
        "kind": edge.kind,
        "outlet": edge.outlet,
        "published": edge.published,
        "confidence": edge.confidence,
    }
    if edge.source_stance is not None:
        data["source_stance"] = edge.source_stance
    return data


def _edge_from_dict(data: Mapping[str, Any]) -> StanceEdge:
    evidence = data.get("evidence")
    fields: dict[str, Any] = {
        "claim_id": data["claim_id"],
        "actor": data["actor"],
        "origin": data["origin"],
        "origin_type": data["origin_type"],
        "stance": data["stance"],
        "document_id": data["document_id"],
        "evidence": Span(int(evidence["start"]), int(evidence["end"]), str(evidence["text"])) if evidence else None,
        "via": tuple(data.get("via", ())),
        "attribution": data.get("attribution"),
        "kind": data.get("kind", "article"),
        "outlet": data.get("outlet"),
        "published": data.get("published"),
        "confidence": float(data.get("confidence", 1.0)),
        "source_stance": data.get("source_stance"),
    }
    return StanceEdge(**fields)


def _document_to_dict(document: Document) -> dict[str, Any]:
    return {
        "id": document.id,
        "title": document.title,
        "outlet": document.outlet,
        "url": document.url,
        "published": document.published,
        "source": document.source,
    }


def _cited(entry: LedgerEntry, documents: Documents | None) -> dict[str, Document]:
    if not documents:
        return {}
    cited: dict[str, Document] = {}
    for edge in entry.timeline:
        if edge.document_id in documents:
            cited.setdefault(edge.document_id, documents[edge.document_id])
    return cited


def entry_from_dict(data: Mapping[str, Any]) -> LedgerEntry:
    """The inverse of :func:`entry_to_dict` (the documents are not rebuilt: they are metadata only)."""
    claim = data["claim"]
    timeline = tuple(_edge_from_dict(e) for e in data["timeline"])
    return LedgerEntry(
        claim=Claim(
            id=claim["id"],
            text=claim["text"],
            members=tuple(claim.get("members", ())),
            story=claim.get("story"),
            entities=tuple(claim.get("entities", ())),
            first_seen=claim.get("first_seen"),
            last_seen=claim.get("last_seen"),
        ),
        status=data["status"],
        reasons=tuple(data["reasons"]),
        origins=tuple(
            OriginGroup(g["origin"], g["origin_type"], g["stance"], tuple(timeline[i] for i in g["edges"]))
            for g in data["origins"]
        ),
        timeline=timeline,
        first_seen=data.get("first_seen"),
        last_seen=data.get("last_seen"),
        veracity=tuple((label, float(p)) for label, p in data.get("veracity", {}).items()),
    )
