"""What a claim index is given: ``GroupingOptions`` (its thresholds and search limits),
``Frequencies`` (document frequencies kept outside it), and the ``Embedder`` type.

The method they configure is described in ``claimledger.claims.index``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from numpy.typing import NDArray

from claimledger.errors import ConfigError

__all__ = ["Embedder", "Frequencies", "GroupingOptions"]

Embedder = Callable[[Sequence[str]], Sequence[Sequence[float]] | NDArray[Any]]
"""Texts in, one vector per text out (see :func:`claimledger.claims.embed.minilm_embedder`)."""


@dataclass(frozen=True)
class GroupingOptions:
    """How close two statements must be to state the same claim, and how hard to look for them."""

    threshold: float = 0.18  # linkage score at which an item (or a group) joins a claim
    story_threshold: float = 0.05  # looser average similarity that links claims into one story
    word_weight: float = 0.7  # share of the word block in the similarity (the rest: character 4-grams)
    idf_floor: float = 0.1  # added to every IDF: small, so words shared by most items weigh next to nothing
    probe_terms: int = 8  # rarest content words of a new item looked up in the index
    max_postings: int = 400  # most recent entries read per looked-up word
    candidates: int = 48  # candidate items scored exactly
    max_days_apart: int | None = None  # items dated further apart never share a claim (None: no limit)
    embedding_weight: float = 0.5  # share of sentence-embedding cosine in the similarity, when an embedder is given
    second_order: float = 0.5  # share of neighbourhood overlap (second-order similarity) in the similarity
    neighbourhood: int = 10  # nearest items that make an item's neighbourhood
    centroid_weight: float = 0.7  # share of centroid cosine (vs. mean similarity) in the linkage score
    bigrams: bool = False  # word bigrams in the word block (they split paraphrases more than they join claims)

    def __post_init__(self) -> None:
        for name in ("second_order", "centroid_weight"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ConfigError(f"claim grouping {name} must lie between 0 and 1")
        if self.neighbourhood < 1:
            raise ConfigError("claim grouping neighbourhood must be at least 1")
        if not 0.0 <= self.story_threshold <= self.threshold <= 1.0:
            raise ConfigError("claim grouping needs 0 <= story_threshold <= threshold <= 1")
        if not 0.0 <= self.embedding_weight <= 1.0:
            raise ConfigError("claim grouping embedding_weight must lie between 0 and 1")
        if not 0.0 <= self.word_weight <= 1.0:
            raise ConfigError("claim grouping word_weight must lie between 0 and 1")
        if self.idf_floor <= 0.0:
            raise ConfigError("claim grouping idf_floor must be positive")
        if min(self.probe_terms, self.max_postings, self.candidates) < 1:
            raise ConfigError("claim grouping probe_terms, max_postings and candidates must be at least 1")


@dataclass
class Frequencies:
    """Document frequencies kept outside the index (a persisted index's, over all its items).

    Given to :class:`ClaimIndex`, they replace its own counting: IDF reads ``items`` and the per-term
    frequencies of each feature block, and the index never changes them, so whoever passes them counts
    every item in them (stored ones already are; a new one before it is added).
    """

    items: int = 0
    words: dict[str, int] = field(default_factory=dict)
    chars: dict[str, int] = field(default_factory=dict)
