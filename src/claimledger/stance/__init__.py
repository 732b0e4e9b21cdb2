"""Article-level stance toward a claim: supports, denies, observes (reports without taking a side), unrelated.

::

    >>> from claimledger.stance import classify_stance
    >>> classify_stance("Russia captured two soldiers", article_text).stance   # doctest: +SKIP
    'denies'

One call for the common case (``classify_stance``) over the model it loads once (``load_stance_model``)
and ``classify_stances`` for many pairs at once (features are computed once per distinct text).

Optionally, for article bodies, a MiniLM cross-encoder (:mod:`claimledger.stance.crossencoder`, trained with
``scripts/train_stance_crossencoder.py``) that reads claim and body together decides which side a related body
takes, LightGBM still deciding whether it is related (``crossencoder=``; the related mass is spread by
``CROSSENCODER_SHARE`` of its probabilities, the rest by LightGBM's own). None ships yet: on held-out stories
the one trained here gained little for its cost (BENCHMARKS.md, "Article stance"). Headlines are always scored
by LightGBM's headline head, whose cue features read hedges and attributions ("X may have ...", "..., X says").

``text`` may be an article body (scored by the FNC-1 head) or a headline, one sentence of at most
60 words (scored by the Emergent head). Empty or blank ``claim`` or ``text`` raise
``claimledger.errors.EmptyInputError``: there is nothing to take a stance on, and returning
"unrelated" would pass a broken input off as evidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import EmptyInputError
from ..types import ARTICLE_STANCES, StanceResult
from .crossencoder import CrossEncoder, load_crossencoder
from .model import MODEL_PATH, StanceModel, is_headline, read_model

__all__ = [
    "CrossEncoder",
    "StanceModel",
    "classify_stance",
    "classify_stances",
    "load_crossencoder",
    "load_stance_model",
]

CROSSENCODER_SHARE = 1.0  # of the related mass spread by a cross-encoder (1.0 beat 0.5 on story-disjoint validation)


@lru_cache(maxsize=4)
def load_stance_model(path: Path = MODEL_PATH) -> StanceModel:
    """The stance model shipped in the package (or the file at ``path``), loaded once per path.

    Raises ``claimledger.errors.ModelError`` when the file is missing or broken.
    """
    return read_model(path)


def classify_stance(
    claim: str, text: str, *, model: StanceModel | None = None, crossencoder: CrossEncoder | None = None
) -> StanceResult:
    """The stance of ``text`` (an article body or a headline) toward ``claim``, with a probability per label."""
    return classify_stances([(claim, text)], model=model, crossencoder=crossencoder)[0]


def classify_stances(
    pairs: Sequence[tuple[str, str]], *, model: StanceModel | None = None, crossencoder: CrossEncoder | None = None
) -> list[StanceResult]:
    """``classify_stance`` over many ``(claim, text)`` pairs in one batch; with ``crossencoder``
    (:func:`load_crossencoder`), it decides the side of related bodies."""
    for i, (claim, text) in enumerate(pairs):
        for name, value in (("claim", claim), ("text", text)):
            if not value or not value.strip():
                raise EmptyInputError(
                    f"stance pair {i}", f"the {name} is empty; pass the claim's wording and the article's text"
                )
    used = model if model is not None else load_stance_model()
    probs = used.predict_proba(pairs)
    bodies = [i for i, (_, text) in enumerate(pairs) if not is_headline(text)]
    if crossencoder is not None and bodies:
        sides = crossencoder.predict_proba([pairs[i] for i in bodies], headline=[False] * len(bodies))
        rows = probs[bodies]
        related = rows[:, :3].sum(axis=1, keepdims=True)
        own = rows[:, :3] / np.maximum(related, 1e-12)
        rows[:, :3] = related * (CROSSENCODER_SHARE * sides + (1.0 - CROSSENCODER_SHARE) * own)
        probs[bodies] = rows
    results = []
    for row in probs:
        total = float(row.sum()) or 1.0
        scores = tuple((label, float(p) / total) for label, p in zip(ARTICLE_STANCES, row, strict=True))
        results.append(StanceResult(stance=max(scores, key=lambda s: s[1])[0], scores=scores))
    return results
