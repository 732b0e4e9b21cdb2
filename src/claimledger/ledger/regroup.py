"""A full regrouping: every stored statement grouped again as one batch, the whole ledger and claim index
described anew. Runs on the first update, with ``analyze --rebuild``, after a grouping version change or
when a grouped document was analysed again; groups best, and costs time proportional to the database.
"""

from __future__ import annotations

from claimledger.ledger.context import (
    HEADLINE,
    StanceClassifier,
    load_context,
    name_actors,
    split_member,
    statements_of,
    with_speakers,
)
from claimledger.ledger.edges import article_edges, attribution_edges, entry_and_row, ledger_edges
from claimledger.ledger.status import StatusRules
from claimledger.ledger.write import LedgerUpdate, indexed_statements, postings_and_frequencies
from claimledger.store.base import ClaimIndexWrite, LedgerRow, Store
from claimledger.types import LedgerEntry, StanceEdge

__all__ = ["regroup_all"]


def regroup_all(
    store: Store, *, rules: StatusRules | None, now: str, classify: StanceClassifier | None
) -> tuple[ClaimIndexWrite, LedgerUpdate]:
    """Group every stored statement as one batch (average linkage) and describe the whole ledger and index."""
    from claimledger.claims import GROUPING_VERSION, build_claims

    marks = store.grouping_marks(GROUPING_VERSION, pending_only=False)
    context = load_context(store, [doc_id for doc_id, _, _ in marks], classify)
    # "Front" in one article is the "Harl Coast Defence Front" another spelled out, "the navy" is "The Navy":
    # one origin, not two, with one type (claimledger.ledger.actors).
    name_actors(context, [])
    items = with_speakers(statements_of(context), context)
    claims = build_claims(items)
    members_of = {claim.id: [split_member(m) for m in claim.members] for claim in claims}
    headline_pairs = [
        (claim.id, claim.text, doc_id) for claim in claims for doc_id, pos in members_of[claim.id] if pos == HEADLINE
    ]
    article = article_edges(headline_pairs, context)
    edges: dict[tuple[str, int], list[StanceEdge]] = {}
    entries: list[LedgerEntry] = []
    rows: list[LedgerRow] = []
    for claim in claims:
        members = members_of[claim.id]
        edges.update(attribution_edges(claim.id, members, context))
        edges.update(((doc_id, HEADLINE), article[claim.id, doc_id]) for doc_id, pos in members if pos == HEADLINE)
        entry, row = entry_and_row(claim, ledger_edges(members, edges), rules)
        entries.append(entry)
        rows.append(row)
    claim_of = {m: claim.id for claim in claims for m in claim.members}
    numbered = list(enumerate(items))  # seq: the batch order, which is each claim's member order
    statements = indexed_statements(numbered, claim_of, edges)
    postings, frequencies = postings_and_frequencies(numbered)
    write = ClaimIndexWrite(
        version=GROUPING_VERSION, replace=True, items=len(items), claims=len(claims), next_seq=len(items),
        statements=statements, postings=tuple(postings), frequencies=tuple(frequencies.items()),
        groups=tuple((c.id, c.story or "s" + c.id[1:], c.text) for c in claims), ledger=tuple(rows),
        marks=tuple((doc_id, mark) for doc_id, mark, _ in marks),
    )  # fmt: skip
    update = LedgerUpdate(
        rebuilt=True, documents=len(marks), touched=len(claims), added=len(claims), claims=len(claims),
        entries=tuple(entries),
    )  # fmt: skip
    return write, update
