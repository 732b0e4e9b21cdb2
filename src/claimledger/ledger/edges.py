"""Stance edges: made from a claim's members (attributions and article stances), put in the ledger's
order, turned into the claim's ledger entry and its stored row, and kept per statement as JSON.

Who an edge's origin is (relays, syndicated copies, aliases) is decided in :mod:`claimledger.ledger.origins`;
this module applies it to the members of claims and stores the result.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence

from claimledger.claims.proposition import negated
from claimledger.ledger.context import HEADLINE, Context, split_member
from claimledger.ledger.origins import article_edge, edges_from_attributions
from claimledger.ledger.record import entry_to_dict
from claimledger.ledger.status import StatusRules, build_ledger
from claimledger.store.base import LedgerRow
from claimledger.types import Claim, LedgerEntry, Span, StanceEdge

__all__ = [
    "article_edges",
    "attribution_edges",
    "edges_from_jsons",
    "edges_json",
    "entry_and_row",
    "ledger_edges",
    "toward_label",
]


def attribution_edges(
    claim_id: str, members: Sequence[tuple[str, int]], context: Context
) -> dict[tuple[str, int], list[StanceEdge]]:
    """The stance edges of a claim's attribution members, per member, from each document's members together."""
    out: dict[tuple[str, int], list[StanceEdge]] = {}
    for doc_id in dict.fromkeys(doc_id for doc_id, pos in members if pos != HEADLINE):
        found = context.attributions[doc_id]
        pairs = [(pos, found[pos]) for d, pos in members if d == doc_id and pos != HEADLINE]
        edges = edges_from_attributions(
            claim_id, context.documents[doc_id], pairs,
            near_duplicate_of=context.original_of, outlets=context.outlets, aliases=context.aliases,
            types=context.types, speaks_for=context.speaks_for,
        )  # fmt: skip
        for pos, _ in pairs:
            out[doc_id, pos] = [e for e in edges if e.attribution == pos]
    return out


def article_edges(pairs: Sequence[tuple[str, str, str]], context: Context) -> dict[tuple[str, str], list[StanceEdge]]:
    """The article edge (or none, when unrelated) of each ``(claim id, claim text, document id)`` headline."""
    from claimledger.stance import classify_stances

    if not pairs:
        return {}
    classify = context.classify or classify_stances
    results = classify([(text, context.documents[doc_id].text) for _, text, doc_id in pairs])
    out: dict[tuple[str, str], list[StanceEdge]] = {}
    for (claim_id, _, doc_id), result in zip(pairs, results, strict=True):
        edge = article_edge(
            claim_id, context.documents[doc_id], result, near_duplicate_of=context.original_of, outlets=context.outlets
        )
        out[claim_id, doc_id] = [edge] if edge is not None else []
    return out


def ledger_edges(
    members: Sequence[tuple[str, int]], edges: Mapping[tuple[str, int], list[StanceEdge]]
) -> list[StanceEdge]:
    """A claim's edges in the ledger's order: headlines' first, then each document's attributions'."""
    out = [e for member in members if member[1] == HEADLINE for e in edges[member]]
    by_document: dict[str, list[StanceEdge]] = {}
    for member in members:
        if member[1] != HEADLINE:
            by_document.setdefault(member[0], []).extend(edges[member])
    return out + [e for found in by_document.values() for e in found]


def entry_and_row(
    claim: Claim, edges: Sequence[StanceEdge], rules: StatusRules | None
) -> tuple[LedgerEntry, LedgerRow]:
    """The claim's ledger entry (claimledger.ledger.status) and the row the store lists and filters it by."""
    entry = build_ledger(claim, toward_label(claim.text, edges), rules=rules)
    sides = {group.origin: group.stance for group in entry.origins}
    row = LedgerRow(
        claim_id=claim.id, text=claim.text, status=entry.status,
        origins_for=sum(1 for s in sides.values() if s == "supports"),
        origins_against=sum(1 for s in sides.values() if s in ("denies", "doubts")),
        first_seen=entry.first_seen, last_seen=entry.last_seen,
        record=json.dumps(entry_to_dict(entry), ensure_ascii=False),
        members=tuple(split_member(m) for m in claim.members),
    )  # fmt: skip
    return entry, row


_FLIP = {"supports": "denies", "denies": "supports"}


def toward_label(label: str, edges: Sequence[StanceEdge]) -> list[StanceEdge]:
    """The edges as stances toward the claim's label.

    A statement's edge is its speaker's stance toward the proposition stated positively: "no vessel has been
    seized" denies the seizure. A claim is labelled positively wherever a member states it so
    (claimledger.claims.proposition.clearest); when none does ("the families were told nothing"), the label
    is the negation and an attribution that asserts it ("officials had not contacted them") supports it:
    supports and denies swap. Article edges were scored against the label itself and stay.
    """
    if not negated(label):
        return list(edges)
    return [dataclasses.replace(e, stance=_FLIP.get(e.stance, e.stance)) if e.kind != "article" else e for e in edges]


def edges_json(edges: Sequence[StanceEdge]) -> str:
    """A statement's edges as stored with it in the claim index (the claim id is the row's)."""
    out = []
    for edge in edges:
        data = dataclasses.asdict(edge)
        del data["claim_id"]
        out.append(data)
    return json.dumps(out, ensure_ascii=False)


def edges_from_jsons(texts: Sequence[str], claim_id: str) -> list[list[StanceEdge]]:
    """The edges of many stored statements of one claim: one JSON parse for all (a large claim has thousands)."""
    parsed = json.loads("[" + ",".join(texts) + "]") if texts else []
    out = []
    for found in parsed:
        edges = []
        for data in found:
            evidence = Span(**data.pop("evidence")) if data.get("evidence") else None
            data.pop("evidence", None)
            edges.append(StanceEdge(claim_id=claim_id, evidence=evidence, via=tuple(data.pop("via")), **data))
        out.append(edges)
    return out
