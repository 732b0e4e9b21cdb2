"""A claim's label and story: the wording that stands for a claim, and the story a new claim joins.

The label is the member most similar to the others, as :func:`claimledger.claims.build_claims` picks it;
a new claim joins the story of the nearest stored claim whose wording is similar enough.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from claimledger.claims.proposition import clearest, readable
from claimledger.ledger.context import term_features
from claimledger.types import ClaimItem

if TYPE_CHECKING:
    from claimledger.claims import ClaimIndex

__all__ = ["representative", "story_of"]


def representative(members: Sequence[ClaimItem], index: ClaimIndex) -> str:
    """The member most similar to the others (summed similarity; the earliest on ties), as build_claims picks."""
    counts = [term_features(item.text) for item in members]
    inner = [0.0] * len(members)
    for i in range(len(members)):
        for j in range(i + 1, len(members)):
            sim = index.similarity(counts[i], counts[j])
            inner[i] += sim
            inner[j] += sim
    # rounding makes sums that differ in their last bits (the same similarities added in another order) ties too
    position = {id(item): i for i, item in enumerate(members)}
    return readable(clearest(members, lambda item: round(inner[position[id(item)]], 9)))


def story_of(first: ClaimItem, near: Mapping[str, tuple[str, str]], index: ClaimIndex) -> str:
    """A new claim's story: that of the nearest stored claim (``near``: story and wording by claim id) whose
    wording is at least ``story_threshold`` similar to the claim's first statement; else a story of its own.

    A full rebuild links claims by the average similarity of all their members; this compares one statement
    with one wording per candidate, so that a new claim costs a few similarities, not a few hundred.
    """
    counts = term_features(first.text)
    scored = [(index.similarity(counts, term_features(text)), claim_id) for claim_id, (_, text) in near.items()]
    best = max(scored, key=lambda sc: (sc[0], sc[1]), default=None)
    if best is not None and best[0] >= index.options.story_threshold:
        return near[best[1]][0]
    return "s" + index.claim_of(first.id)[1:]
