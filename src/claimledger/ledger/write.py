"""What a ledger update writes and reports: the claim index rows of its statements (with their claim and
stance edges), the postings and document frequencies of their words, and the :class:`LedgerUpdate` summary.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from claimledger.ledger.context import split_member, term_features
from claimledger.ledger.edges import edges_json
from claimledger.store.base import IndexedStatement
from claimledger.types import ClaimItem, LedgerEntry, StanceEdge

__all__ = ["LedgerUpdate", "indexed_statements", "postings_and_frequencies"]


@dataclass(frozen=True)
class LedgerUpdate:
    """What one ledger update did; ``entries`` are the ledger entries it wrote (all, on a full rebuild)."""

    rebuilt: bool  # every statement was grouped again from scratch
    documents: int  # documents whose statements were grouped
    touched: int  # claims whose ledger entries were written
    added: int  # of those, claims that are new
    claims: int  # claims in the ledger afterwards
    entries: tuple[LedgerEntry, ...] = ()


def indexed_statements(
    numbered: Sequence[tuple[int, ClaimItem]],
    claim_of: Mapping[str, str],
    edges: Mapping[tuple[str, int], list[StanceEdge]],
) -> tuple[IndexedStatement, ...]:
    """The claim index rows of numbered statements: each with its claim and its stance edges as JSON."""
    out = []
    for seq, item in numbered:
        doc_id, position = split_member(item.id)
        found = edges[doc_id, position]
        out.append(
            IndexedStatement(
                seq,
                doc_id,
                position,
                claim_of[item.id],
                item.text,
                item.source,
                item.published,
                edges_json(found),
                item.follows,
            )
        )
    return tuple(out)


def postings_and_frequencies(
    statements: Sequence[tuple[int, ClaimItem]],
) -> tuple[list[tuple[str, int]], Counter[str]]:
    """(content word, seq) postings and the document frequency of every feature over ``statements``."""
    postings: list[tuple[str, int]] = []
    frequencies: Counter[str] = Counter()
    for seq, item in statements:
        counts = term_features(item.text)
        postings.extend((key, seq) for key in counts.keys)
        frequencies.update(counts.words.keys())
        frequencies.update(counts.chars.keys())
    return postings, frequencies
