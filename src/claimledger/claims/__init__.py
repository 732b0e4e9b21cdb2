"""Claims: statements from many documents grouped by the proposition they state.

One call for the common case, :func:`build_claims` (items in, :class:`~claimledger.types.Claim`
records out), over the stage function :func:`group_claims` (``(item_id, claim_id)`` pairs) and
the incremental :class:`ClaimIndex`. Stance does not split a claim: an assertion and its denial
state the same proposition. See ``claims/index.py`` for the method.
"""

from claimledger.claims.build import build_claims, group_jsonl, heuristic_entities, statement_items
from claimledger.claims.index import GROUPING_VERSION, ClaimIndex, GroupingOptions, average_linkage, group_claims
from claimledger.claims.score import bcubed

__all__ = [
    "GROUPING_VERSION",
    "ClaimIndex",
    "GroupingOptions",
    "average_linkage",
    "bcubed",
    "build_claims",
    "group_claims",
    "group_jsonl",
    "heuristic_entities",
    "statement_items",
]
