"""Train the article-stance model (FNC-1 body head + Emergent headline head) on CPU, with fixed seeds.

One command builds the shipped model::

    .venv/bin/python scripts/train_stance.py --install

Steps:

1. reads FNC-1 ``train_*.csv`` split by the official ``training_ids.txt`` / ``hold_out_ids.txt`` (hold-out
   bodies are never seen: not by the vocabulary, the SVD basis, nor the boosters);
2. ``--validate`` (default): carves 20% of the training bodies (seeded) as validation, fits on the rest and
   reports validation scores: the only numbers used to choose settings;
3. fits the feature space and the body booster on all training bodies and reports the hold-out split once;
4. runs Emergent cross-validation by claim (GroupKFold on ``claimId``), then fits the headline booster
   (shared row + headline cues) and the cue-word regression on all of Emergent;
5. ``--install`` writes ``src/claimledger/stance/models/fnc1.npz``.

``--headline-only`` skips steps 1-3: it keeps the installed file's feature space and body booster (the
body booster's text is copied byte for byte) and refits only the headline head (step 4)::

    .venv/bin/python scripts/train_stance.py --headline-only --install

Needs scikit-learn (SVD, GroupKFold) besides the library's own numpy, scipy and LightGBM.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
import scipy.sparse as sp  # type: ignore[import-untyped]
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.utils.extmath import randomized_svd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from claimledger.stance.features import DENSE_NAMES, FeatureSpace, terms, tokens  # noqa: E402
from claimledger.stance.headline import CueWords, headline_rows, masked_terms  # noqa: E402
from claimledger.stance.model import (  # noqa: E402
    MODEL_PATH,
    Pair,
    read_emergent,
    read_fnc1,
    read_model,
    save_model,
    score_stances,
)
from claimledger.types import ARTICLE_STANCES  # noqa: E402

DATA = ROOT.parent / "shared" / "datasets"
VERSION = "stance-fnc1-0.2.0"
SEED = 0

BODY_PARAMS: dict[str, Any] = {
    "objective": "multiclass",
    "num_class": 4,
    "learning_rate": 0.1,
    "num_leaves": 31,
    "min_data_in_leaf": 20,
    "feature_fraction": 0.5,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "seed": SEED,
    "deterministic": True,
    "force_row_wise": True,
    "max_bin": 63,
    "num_threads": 2,
    "verbose": -1,
}
BODY_ROUNDS = 250
HEADLINE_PARAMS: dict[str, Any] = {**BODY_PARAMS, "num_leaves": 15, "min_data_in_leaf": 10}
HEADLINE_ROUNDS = 150
CUE_C = 0.3  # inverse L2 strength of the cue-word regression (balanced class weights)
CLASS_WEIGHT_POWER = 0.5  # weight = (n / (classes * count)) ** power: 0 none, 1 fully balanced


def fit_space(texts: list[str], *, max_terms: int, k: int, n_bow: int) -> FeatureSpace:
    docs = [tokens(t) for t in texts]
    df: Counter[str] = Counter()
    words_df: Counter[str] = Counter()
    for words in docs:
        df.update(set(terms(words)))
        words_df.update({w for w in words if not w.isdigit()})
    kept = sorted((t for t, c in df.items() if c >= 2), key=lambda t: (-df[t], t))[:max_terms]
    vocab = {t: i for i, t in enumerate(sorted(kept))}
    n = len(docs)
    idf = np.asarray([math.log((1 + n) / (1 + df[t])) + 1.0 for t in sorted(kept)], dtype=np.float32)
    bow_words = sorted(words_df, key=lambda w: (-words_df[w], w))[:n_bow]
    bare = FeatureSpace(vocab=vocab, idf=idf, svd=np.zeros((0, len(vocab)), dtype=np.float32), bow={})
    _, _, vt = randomized_svd(bare.tfidf(docs), n_components=k, n_iter=5, random_state=SEED)
    svd = vt.astype(np.float16).astype(np.float32)  # the model file stores float16: train on what ships
    return FeatureSpace(vocab=vocab, idf=idf, svd=svd, bow={w: i for i, w in enumerate(bow_words)})


def weights(labels: list[str], power: float) -> np.ndarray:
    counts = Counter(labels)
    n, c = len(labels), len(counts)
    return np.asarray([(n / (c * counts[y])) ** power for y in labels], dtype=np.float64)


def claim_blind(space: FeatureSpace) -> Any:
    """A 0/1 column mask that hides the claim's own words and the claim's and text's topic coordinates.

    FNC-1 splits by body, so hold-out headlines also occur in training: a booster that may split on the
    claim's words or topic learns per-claim priors that score well there and do not carry to new claims.
    Masked columns are constant zero in training, so the booster never uses them.
    """
    k, nb = int(space.svd.shape[0]), len(space.bow)
    mask = np.ones(space.width, dtype=np.float32)
    d = len(DENSE_NAMES)
    mask[d : d + 2 * k] = 0.0  # claim and text SVD coordinates
    mask[d + 2 * k : d + 2 * k + nb] = 0.0  # the claim's words
    return sp.diags(mask)


def train(
    space: FeatureSpace,
    pairs: list[Pair],
    params: dict[str, Any],
    rounds: int,
    power: float,
    x: Any = None,
    blind: bool = False,
) -> lgb.Booster:
    if x is None:
        x = space.rows([(p.claim, p.text) for p in pairs])
    if blind:
        x = (x @ claim_blind(space)).tocsr()
    y = np.asarray([ARTICLE_STANCES.index(p.label) for p in pairs])
    data = lgb.Dataset(x, label=y, weight=weights([p.label for p in pairs], power), params={"verbose": -1})
    start = time.time()

    def progress(env: lgb.callback.CallbackEnv) -> None:
        if (env.iteration + 1) % 100 == 0:
            print(f"  round {env.iteration + 1}/{rounds} {time.time() - start:.0f}s", flush=True)

    return lgb.train(params, data, num_boost_round=rounds, callbacks=[progress])


def space_for(pairs: list[Pair], args: argparse.Namespace) -> FeatureSpace:
    texts = sorted({p.text for p in pairs}) + sorted({p.claim for p in pairs})
    return fit_space(texts, max_terms=args.max_terms, k=args.svd, n_bow=args.bow)


def fnc_run(
    train_pairs: list[Pair],
    test_pairs: list[Pair],
    args: argparse.Namespace,
    name: str,
    grid: list[dict[str, Any]] | None = None,
) -> tuple[FeatureSpace, lgb.Booster]:
    """Fit on ``train_pairs``, report on ``test_pairs``; with ``grid``, once per setting on the same features."""
    t0 = time.time()
    space = space_for(train_pairs, args)
    x_train = space.rows([(p.claim, p.text) for p in train_pairs])
    x_test = space.rows([(p.claim, p.text) for p in test_pairs])
    print(f"features: {x_train.shape[1]} columns, {time.time() - t0:.0f}s", flush=True)
    booster = None
    for setting in grid or [{}]:
        t1 = time.time()
        params = {**BODY_PARAMS, **{k: v for k, v in setting.items() if k not in ("rounds", "power")}}
        booster = train(
            space,
            train_pairs,
            params,
            setting.get("rounds", args.rounds),
            setting.get("power", args.power),
            x=x_train,
            blind=args.claim_blind,
        )
        probs = np.asarray(booster.predict(x_test))
        scores = score_stances([p.label for p in test_pairs], [ARTICLE_STANCES[i] for i in probs.argmax(axis=1)])
        print(
            f"== FNC-1 {name} {setting} ({len(train_pairs)} train pairs, {len(test_pairs)} test pairs, "
            f"{time.time() - t1:.0f}s)\n{scores.report()}",
            flush=True,
        )
    assert booster is not None
    return space, booster


def with_unrelated(pairs: list[Pair], rate: float, rng: random.Random) -> list[Pair]:
    """Emergent pairs plus ``rate`` sampled unrelated pairs per pair: a headline under another claim."""
    claims = sorted({(p.group, p.claim) for p in pairs})
    out = list(pairs)
    for p in pairs:
        if rng.random() < rate:
            group, claim = rng.choice(claims)
            while group == p.group:
                group, claim = rng.choice(claims)
            out.append(Pair(claim, p.text, "unrelated", p.group))
    return out


def headline_x(space: FeatureSpace, pairs: list[Pair]) -> sp.csr_matrix:
    """The headline booster's rows: the shared row, then the headline cues (as ``StanceModel.headline_rows``)."""
    texts = [(p.claim, p.text) for p in pairs]
    return sp.hstack([space.rows(texts), headline_rows(texts)], format="csr")


def train_headline(space: FeatureSpace, pairs: list[Pair], args: argparse.Namespace, seed: int) -> lgb.Booster:
    """The headline booster on Emergent ``pairs`` plus sampled unrelated pairs (``random.Random(seed)``)."""
    with_neg = with_unrelated(pairs, args.unrelated_rate, random.Random(seed))
    return train(space, with_neg, HEADLINE_PARAMS, args.headline_rounds, args.power, x=headline_x(space, with_neg))


def fit_cues(pairs: list[Pair]) -> CueWords:
    """The cue-word regression on Emergent ``pairs``: vocabulary of masked terms seen in two headlines or more."""
    df: Counter[str] = Counter()
    for p in pairs:
        df.update(set(masked_terms(p.claim, p.text)))
    kept = sorted(t for t, c in df.items() if c >= 2)
    n = len(pairs)
    idf = np.asarray([math.log((1 + n) / (1 + df[t])) + 1.0 for t in kept], dtype=np.float32)
    texts = [(p.claim, p.text) for p in pairs]
    raw = headline_rows(texts).toarray()
    std = raw.std(axis=0)
    blank = CueWords(
        vocab={t: i for i, t in enumerate(kept)},
        idf=idf,
        mean=raw.mean(axis=0).astype(np.float32),
        scale=np.where(std > 0, std, 1.0).astype(np.float32),
        coef=np.zeros((3, 0), dtype=np.float32),
        intercept=np.zeros(3, dtype=np.float32),
    )
    y = np.asarray([ARTICLE_STANCES.index(p.label) for p in pairs])
    fitted = LogisticRegression(C=CUE_C, class_weight="balanced", max_iter=3000).fit(blank.rows(texts), y)
    return CueWords(
        vocab=blank.vocab,
        idf=blank.idf,
        mean=blank.mean,
        scale=blank.scale,
        coef=fitted.coef_.astype(np.float32),
        intercept=fitted.intercept_.astype(np.float32),
    )


def emergent_cv(space: FeatureSpace, pairs: list[Pair], args: argparse.Namespace) -> float:
    """5-fold cross-validation grouped by claim: accuracy over for/against/observing (also per class, confusion)."""
    groups = np.asarray([p.group for p in pairs])
    gold: list[str] = []
    pred3: list[str] = []
    right_booster = right_cues = 0
    for fold, (tr, te) in enumerate(GroupKFold(n_splits=5).split(pairs, groups=groups)):
        booster = train_headline(space, [pairs[i] for i in tr], args, SEED + fold)
        cues = fit_cues([pairs[i] for i in tr])
        test = [pairs[i] for i in te]
        probs = np.asarray(booster.predict(headline_x(space, test)))[:, :3]
        probs /= probs.sum(axis=1, keepdims=True)
        cue_probs = cues.predict_proba([(p.claim, p.text) for p in test])
        for p, row, cue_row in zip(test, probs, cue_probs, strict=True):
            right_booster += ARTICLE_STANCES[int(row.argmax())] == p.label
            right_cues += ARTICLE_STANCES[int(cue_row.argmax())] == p.label
            gold.append(p.label)
            pred3.append(ARTICLE_STANCES[int((0.5 * row + 0.5 * cue_row).argmax())])
    acc3 = sum(g == p for g, p in zip(gold, pred3, strict=True)) / len(pairs)
    scores = score_stances(gold, pred3)
    print(
        f"== Emergent 5-fold CV by claim: accuracy {acc3:.4f} (for/against/observing; booster alone "
        f"{right_booster / len(pairs):.4f}, cue words alone {right_cues / len(pairs):.4f})\n"
        + "per-class F1: "
        + "  ".join(f"{k} {scores.f1[k]:.4f}" for k in ARTICLE_STANCES[:3])
        + "\nconfusion (rows gold, columns predicted): "
        + " ".join(ARTICLE_STANCES[:3])
        + "".join(f"\n  {k:<10} {row[:3]}" for k, row in zip(ARTICLE_STANCES[:3], scores.confusion, strict=False)),
        flush=True,
    )
    return acc3


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--skip-validate", action="store_true", help="skip the validation run")
    parser.add_argument("--validate-only", action="store_true", help="stop after the validation run")
    parser.add_argument(
        "--claim-blind",
        action="store_true",
        help="hide the claim's words and the topic coordinates from the body booster",
    )
    parser.add_argument("--out", type=Path, default=MODEL_PATH, help="where --install writes the model")
    parser.add_argument("--grid", action="store_true", help="compare a few settings in the validation run")
    parser.add_argument("--install", action="store_true", help=f"write {MODEL_PATH.relative_to(ROOT)}")
    parser.add_argument(
        "--headline-only",
        action="store_true",
        help="keep the installed feature space and body booster; refit only the headline head",
    )
    parser.add_argument("--rounds", type=int, default=BODY_ROUNDS)
    parser.add_argument("--headline-rounds", type=int, default=HEADLINE_ROUNDS)
    parser.add_argument("--power", type=float, default=CLASS_WEIGHT_POWER)
    parser.add_argument("--max-terms", type=int, default=40000)
    parser.add_argument("--svd", type=int, default=64)
    parser.add_argument("--bow", type=int, default=3000)
    parser.add_argument("--unrelated-rate", type=float, default=0.5)
    return parser


def default_args() -> argparse.Namespace:
    """The settings of the shipped model, for the benchmark's Emergent cross-validation."""
    return build_parser().parse_args([])


def main() -> None:
    args = build_parser().parse_args()
    if args.headline_only:
        installed = read_model(MODEL_PATH)
        with np.load(MODEL_PATH, allow_pickle=False) as arrays:
            body_text = arrays["body"].tobytes().decode("utf-8")
        fit_headline(installed.space, body_text, args)
        return

    train_pairs, hold_out = read_fnc1(args.data / "fnc1")
    if not args.skip_validate:
        bodies = sorted({p.group for p in train_pairs}, key=int)
        random.Random(SEED).shuffle(bodies)
        val_bodies = set(bodies[: len(bodies) // 5])
        grid = [{}, {"power": 1.0}, {"power": 0.0}] if args.grid else None
        fnc_run(
            [p for p in train_pairs if p.group not in val_bodies],
            [p for p in train_pairs if p.group in val_bodies],
            args,
            "validation (20% of training bodies)",
            grid,
        )
        if args.validate_only:
            return
    space, body = fnc_run(train_pairs, hold_out, args, "official hold-out")
    fit_headline(space, body.model_to_string(), args)


def fit_headline(space: FeatureSpace, body: str, args: argparse.Namespace) -> None:
    """Emergent CV by claim, the headline booster on all of Emergent, and with ``--install`` the model file."""
    emergent = read_emergent(args.data / "emergent" / "emergent-train.csv")
    accuracy = emergent_cv(space, emergent, args)
    headline = train_headline(space, emergent, args, SEED)
    cues = fit_cues(emergent)

    if args.install:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        meta = {
            "version": VERSION,
            "args": {k: str(v) for k, v in vars(args).items() if k not in ("data", "out", "headline_only")},
            "emergent_cv_accuracy": round(accuracy, 4),
        }
        save_model(args.out, space, body, headline.model_to_string(), meta, cues=cues)
        print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
