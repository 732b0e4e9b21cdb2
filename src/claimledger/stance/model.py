"""The stance model: load it from its ``.npz`` file and predict label probabilities for (claim, text) pairs.

The file holds plain arrays only (no pickle): the feature space (TF-IDF vocabulary and idf, SVD basis,
bag-of-words vocabulary) and two LightGBM boosters as model text:

* ``body``: trained on FNC-1 (headline, article body) pairs, labels agree/disagree/discuss/unrelated;
* ``headline``: trained on Emergent (claim, article headline) pairs, labels for/against/observing plus
  sampled unrelated pairs (a headline of another claim); it reads the shared row followed by the
  headline cue columns of ``claimledger.stance.headline`` (a booster as wide as the shared row alone,
  from an older file, reads the shared row only);
* ``cue_*`` (optional): ``claimledger.stance.headline.CueWords``, a logistic regression over the headline's
  words with the claim's words masked; its supports/denies/observes probabilities are averaged with the
  headline booster's (rescaled to the booster's related mass; the unrelated probability is the booster's).

A text of one sentence, at most ``HEADLINE_WORDS`` words, that does not end in a full stop goes to the
headline booster (headlines carry no final period; one-sentence FNC-1 bodies do), anything else to the
body booster. Both predict in the order of ``claimledger.types.ARTICLE_STANCES``.

The FNC-1 and Emergent readers and the FNC-1 score live here too, because training, the benchmark
and the quality gate must read and score the data the same way.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
import numpy.typing as npt
import scipy.sparse as sp  # type: ignore[import-untyped]

from ..errors import ModelError
from ..types import ARTICLE_STANCES
from .features import FeatureSpace, sentences, tokens
from .headline import HEADLINE_NAMES, CueWords, headline_rows

MODEL_PATH = Path(__file__).resolve().parent / "models" / "fnc1.npz"
HEADLINE_WORDS = 60

FNC_LABELS = {"agree": "supports", "disagree": "denies", "discuss": "observes", "unrelated": "unrelated"}
EMERGENT_LABELS = {"for": "supports", "against": "denies", "observing": "observes"}


@dataclass(frozen=True)
class StanceModel:
    """A loaded stance model: its feature space, its two boosters, and the stamp it records in outputs."""

    space: FeatureSpace
    body: lgb.Booster
    headline: lgb.Booster
    version: str
    meta: dict[str, Any]
    cues: CueWords | None = None

    def predict_proba(self, pairs: Sequence[tuple[str, str]]) -> npt.NDArray[np.float64]:
        """Probabilities, one row per ``(claim, text)`` pair, columns in ``ARTICLE_STANCES`` order."""
        out = np.zeros((len(pairs), len(ARTICLE_STANCES)), dtype=np.float64)
        if not pairs:
            return out
        short = np.asarray([is_headline(text) for _, text in pairs])
        if (~short).any():
            picked = [pairs[int(i)] for i in np.flatnonzero(~short)]
            out[~short] = np.asarray(self.body.predict(self.space.rows(picked)), dtype=np.float64)
        if short.any():
            picked = [pairs[int(i)] for i in np.flatnonzero(short)]
            probs = np.asarray(self.headline.predict(self.headline_rows(picked)), dtype=np.float64)
            if self.cues is not None:
                related = probs[:, :3].sum(axis=1, keepdims=True)
                mixed = 0.5 * probs[:, :3] / np.maximum(related, 1e-12) + 0.5 * self.cues.predict_proba(picked)
                probs[:, :3] = related * mixed
            out[short] = probs
        return out

    def headline_rows(self, pairs: Sequence[tuple[str, str]]) -> sp.csr_matrix:
        """The headline booster's rows: the shared row, then the headline cues if the booster reads them."""
        shared = self.space.rows(pairs)
        if self.headline.num_feature() == shared.shape[1]:
            return shared
        return sp.hstack([shared, headline_rows(pairs)], format="csr")


def is_headline(text: str) -> bool:
    """Whether ``text`` reads as a headline (one sentence, few words, no final period) rather than a body."""
    stripped = text.strip()
    return (
        len(sentences(stripped)) == 1
        and len(tokens(stripped)) <= HEADLINE_WORDS
        and not stripped.rstrip("\"'”’)").endswith(".")
    )


def save_model(
    path: Path,
    space: FeatureSpace,
    body: str,
    headline: str,
    meta: dict[str, Any],
    cues: CueWords | None = None,
) -> None:
    """Write a model file: the feature space's arrays, the boosters' model text and the cue regression, compressed."""
    vocab = sorted(space.vocab, key=space.vocab.__getitem__)
    bow = sorted(space.bow, key=space.bow.__getitem__)
    arrays: dict[str, Any] = {
        "vocab": _bytes("\n".join(vocab)),
        "idf": space.idf.astype(np.float32),
        "svd": space.svd.astype(np.float16),
        "bow": _bytes("\n".join(bow)),
        "body": _bytes(body),
        "headline": _bytes(headline),
        "meta": _bytes(json.dumps(meta, sort_keys=True)),
    }
    if cues is not None:
        arrays |= {
            "cue_vocab": _bytes("\n".join(sorted(cues.vocab, key=cues.vocab.__getitem__))),
            "cue_idf": cues.idf.astype(np.float32),
            "cue_mean": cues.mean.astype(np.float32),
            "cue_scale": cues.scale.astype(np.float32),
            "cue_coef": cues.coef.astype(np.float32),
            "cue_intercept": cues.intercept.astype(np.float32),
        }
    np.savez_compressed(path, **arrays)


def read_model(path: Path = MODEL_PATH) -> StanceModel:
    """Read a model file written by ``save_model``."""
    if not path.exists():
        raise ModelError(f"stance model file not found: {path}; run scripts/train_stance.py to build it")
    try:
        with np.load(path, allow_pickle=False) as arrays:
            vocab = _text(arrays["vocab"]).split("\n")
            bow = _text(arrays["bow"]).split("\n")
            space = FeatureSpace(
                vocab={term: i for i, term in enumerate(vocab)},
                idf=arrays["idf"].astype(np.float32),
                svd=arrays["svd"].astype(np.float32),
                bow={word: i for i, word in enumerate(bow)},
            )
            body = lgb.Booster(model_str=_text(arrays["body"]))
            headline = lgb.Booster(model_str=_text(arrays["headline"]))
            meta = json.loads(_text(arrays["meta"]))
            cues = None
            if "cue_vocab" in arrays:
                cues = CueWords(
                    vocab={term: i for i, term in enumerate(_text(arrays["cue_vocab"]).split("\n"))},
                    idf=arrays["cue_idf"],
                    mean=arrays["cue_mean"],
                    scale=arrays["cue_scale"],
                    coef=arrays["cue_coef"],
                    intercept=arrays["cue_intercept"],
                )
        if headline.num_feature() not in (space.width, space.width + len(HEADLINE_NAMES)):
            raise ValueError(f"headline booster reads {headline.num_feature()} columns, not {space.width}(+cues)")
        if cues is not None and cues.coef.shape != (3, len(cues.vocab) + len(HEADLINE_NAMES)):
            raise ValueError(f"cue regression of shape {cues.coef.shape} for {len(cues.vocab)} terms")
    except (KeyError, ValueError, OSError, lgb.basic.LightGBMError) as err:
        raise ModelError(
            f"stance model file {path} is broken ({err}); rebuild it with scripts/train_stance.py"
        ) from err
    return StanceModel(
        space=space, body=body, headline=headline, version=str(meta.get("version", "")), meta=meta, cues=cues
    )


def _bytes(text: str) -> npt.NDArray[np.uint8]:
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8)


def _text(array: npt.NDArray[np.uint8]) -> str:
    return array.tobytes().decode("utf-8")


# --- data and scores shared by training, benchmark and quality gate ---------------------------------


@dataclass(frozen=True)
class Pair:
    claim: str
    text: str
    label: str  # one of ARTICLE_STANCES
    group: str  # FNC-1 body id, or Emergent claim id


def read_fnc1(folder: Path) -> tuple[list[Pair], list[Pair]]:
    """FNC-1 training pairs split by the official body-id lists: ``(training, hold_out)``."""
    with (folder / "train_bodies.csv").open(encoding="utf-8", newline="") as f:
        bodies = {row["Body ID"]: row["articleBody"] for row in csv.DictReader(f)}
    hold_out = set((folder / "hold_out_ids.txt").read_text(encoding="utf-8").split())
    training = set((folder / "training_ids.txt").read_text(encoding="utf-8").split())
    train: list[Pair] = []
    held: list[Pair] = []
    with (folder / "train_stances.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            body_id = row["Body ID"]
            pair = Pair(row["Headline"], bodies[body_id], FNC_LABELS[row["Stance"]], body_id)
            if body_id in hold_out:
                held.append(pair)
            elif body_id in training:
                train.append(pair)
    return train, held


def read_emergent(path: Path) -> list[Pair]:
    """Emergent (claim headline, article headline) pairs with their stance and claim id."""
    with path.open(encoding="utf-8", newline="") as f:
        return [
            Pair(
                row["claimHeadline"],
                row["articleHeadline"],
                EMERGENT_LABELS[row["articleHeadlineStance"]],
                row["claimId"],
            )
            for row in csv.DictReader(f)
        ]


@dataclass(frozen=True)
class StanceScores:
    """FNC-1 relative score, macro-F1, per-class F1 and the confusion matrix (rows gold, columns predicted)."""

    relative: float
    macro_f1: float
    f1: dict[str, float]
    confusion: list[list[int]]
    accuracy: float

    def report(self) -> str:
        lines = [
            f"FNC relative score {self.relative:.4f}  macro-F1 {self.macro_f1:.4f}  accuracy {self.accuracy:.4f}",
            "per-class F1: " + "  ".join(f"{k} {v:.4f}" for k, v in self.f1.items()),
            "confusion (rows gold, columns predicted): " + " ".join(ARTICLE_STANCES),
        ]
        lines += [f"  {label:<10} {row}" for label, row in zip(ARTICLE_STANCES, self.confusion, strict=True)]
        return "\n".join(lines)


def score_stances(gold: Sequence[str], predicted: Sequence[str]) -> StanceScores:
    """The FNC-1 score (0.25 for related-vs-unrelated right, 0.75 more for the exact related label) and F1s."""
    index = {label: i for i, label in enumerate(ARTICLE_STANCES)}
    confusion = [[0] * len(ARTICLE_STANCES) for _ in ARTICLE_STANCES]
    got = best = 0.0
    for g, p in zip(gold, predicted, strict=True):
        confusion[index[g]][index[p]] += 1
        related_g, related_p = g != "unrelated", p != "unrelated"
        best += 1.0 if related_g else 0.25
        if related_g == related_p:
            got += 0.25
            if related_g and g == p:
                got += 0.75
    f1 = {}
    for label, i in index.items():
        tp = confusion[i][i]
        fp = sum(row[i] for row in confusion) - tp
        fn = sum(confusion[i]) - tp
        f1[label] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    total = sum(map(sum, confusion))
    return StanceScores(
        relative=got / best if best else 0.0,
        macro_f1=sum(f1.values()) / len(f1),
        f1=f1,
        confusion=confusion,
        accuracy=sum(confusion[i][i] for i in range(len(confusion))) / total if total else 0.0,
    )
