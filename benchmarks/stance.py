"""Article stance: the shipped models on FNC-1 and Emergent.

Prints the LightGBM model's FNC-1 relative score, macro-F1, per-class F1 and confusion matrix on the official
hold-out bodies (which it never saw), its throughput, and Emergent headline-stance accuracy as 5-fold
cross-validation grouped by claim (``--emergent``; retrains the headline head per fold with the training
script's settings, so it needs scikit-learn).

``--story-split`` scores the MiniLM cross-encoder alone on the stories held out of its training
(claimledger.stance.splits: no claim, headline or body shared with training): which side each related body
takes, and its cost per pair; ``--every N`` scores every Nth held pair. The shipped
LightGBM model was trained on FNC-1's official training bodies, some of which are in these stories, so it cannot
be scored there; ``--retrain`` (needs scikit-learn, the ``train`` extra; 5-10 minutes) refits its body booster on
the split's training stories with the training script's settings and scores that booster alone and with the
cross-encoder, as ``classify_stances`` combines them: the held-out figures to report.

    .venv/bin/python benchmarks/stance.py [--data DIR] [--emergent] [--json OUT]
    .venv/bin/python benchmarks/stance.py --story-split --crossencoder FILE [--every N] [--retrain]

Exits 0 with "skipped: dataset not found" when the data folder is missing.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from claimledger.stance import classify_stances, load_stance_model
from claimledger.stance.model import read_fnc1, score_stances

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "datasets"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--emergent", action="store_true", help="also run Emergent CV by claim (refits, minutes)")
    parser.add_argument("--story-split", action="store_true", help="score the default stance on held-out stories")
    parser.add_argument("--every", type=int, default=1, help="with --story-split: every Nth held pair")
    parser.add_argument("--retrain", action="store_true", help="with --story-split: refit LightGBM on the split")
    parser.add_argument("--crossencoder", type=Path, help="with --story-split: the cross-encoder file to score")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    if args.story_split:
        if args.crossencoder is None:
            parser.error("--story-split needs --crossencoder FILE (scripts/train_stance_crossencoder.py --out FILE)")
        if args.retrain:
            return retrained_report(args.data, args.crossencoder, args.json)
        return story_split_report(args.data, args.crossencoder, args.every, args.json)

    fnc = args.data / "fnc1"
    if not (fnc / "train_stances.csv").exists():
        print(f"skipped: dataset not found: {fnc}")
        return 0
    model = load_stance_model()
    _, hold_out = read_fnc1(fnc)
    pairs = [(p.claim, p.text) for p in hold_out]

    start = time.perf_counter()
    predicted = [r.stance for r in classify_stances(pairs, model=model)]
    seconds = time.perf_counter() - start
    scores = score_stances([p.label for p in hold_out], predicted)
    print(f"model {model.version}")
    print(f"FNC-1 hold-out ({len(pairs)} pairs, {len({p.group for p in hold_out})} bodies)")
    print(scores.report())
    print(f"throughput: {len(pairs) / seconds:.0f} pairs/s in one batch ({seconds:.1f}s); ", end="")

    sample = pairs[:200]
    start = time.perf_counter()
    for pair in sample:
        classify_stances([pair], model=model)
    single = len(sample) / (time.perf_counter() - start)
    print(f"{single:.0f} pairs/s one pair per call")

    figures: dict[str, object] = {
        "model": model.version,
        "fnc1_hold_out": {
            "relative": scores.relative,
            "macro_f1": scores.macro_f1,
            "f1": scores.f1,
            "confusion": scores.confusion,
            "accuracy": scores.accuracy,
        },
        "pairs_per_s_batch": len(pairs) / seconds,
        "pairs_per_s_single": single,
    }

    emergent = args.data / "emergent" / "emergent-train.csv"
    if args.emergent and emergent.exists():
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
        import train_stance  # the training script owns the CV protocol and settings

        from claimledger.stance.model import read_emergent

        settings = train_stance.default_args()
        figures["emergent_cv_accuracy"] = train_stance.emergent_cv(model.space, read_emergent(emergent), settings)
    elif args.emergent:
        print(f"Emergent skipped: dataset not found: {emergent}")

    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


def story_split_report(data: Path, path: Path, every: int, out: Path | None) -> int:
    if not (data / "fnc1" / "train_stances.csv").exists():
        print(f"skipped: dataset not found: {data / 'fnc1'}")
        return 0
    from claimledger.stance.splits import crossencoder_figures

    figures = crossencoder_figures(data, path, every)
    print(f"cross-encoder alone on {figures['stories']} held-out stories of {figures['all_stories']}: "
          f"{figures['bodies']} related FNC-1 bodies, F1 {figures['f1']}, macro-F1 {figures['macro_f1']}, "
          f"accuracy {figures['accuracy']}; {figures['headlines']} Emergent headlines, accuracy "
          f"{figures['emergent_accuracy']}; {figures['ms_per_pair']} ms per body pair")  # fmt: skip
    if out:
        out.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


def retrained_report(data: Path, path: Path, out: Path | None) -> int:
    """LightGBM refitted on the split's training stories, alone and with the cross-encoder, on held FNC-1 pairs."""
    import numpy as np

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    import train_stance  # the training script owns the settings

    from claimledger.stance import CROSSENCODER_SHARE, load_crossencoder
    from claimledger.stance.splits import story_split
    from claimledger.types import ARTICLE_STANCES

    split = story_split(data)
    train = [p for p in split.train if p.group.startswith("fnc:")]
    held = [p for p in split.held if p.group.startswith("fnc:")]
    space, booster = train_stance.fnc_run(train, held, train_stance.default_args(), "story-split")
    probs = np.asarray(booster.predict(space.rows([(p.claim, p.text) for p in held])), dtype=np.float64)
    started = time.perf_counter()
    sides = load_crossencoder(path).predict_proba([(p.claim, p.text) for p in held], headline=[False] * len(held))
    ms = 1000 * (time.perf_counter() - started) / len(held)
    gold = [p.label for p in held]
    alone = score_stances(gold, [ARTICLE_STANCES[i] for i in probs.argmax(axis=1)])
    mixed = probs.copy()
    related = mixed[:, :3].sum(axis=1, keepdims=True)
    own = mixed[:, :3] / np.maximum(related, 1e-12)
    mixed[:, :3] = related * (CROSSENCODER_SHARE * sides + (1.0 - CROSSENCODER_SHARE) * own)
    both = score_stances(gold, [ARTICLE_STANCES[i] for i in mixed.argmax(axis=1)])
    print(f"held-out stories: {len(held)} FNC-1 pairs; LightGBM refitted on {len(train)} pairs of the other stories")
    print("LightGBM alone:\n" + alone.report())
    print("LightGBM + cross-encoder (the default for bodies):\n" + both.report())
    print(f"cross-encoder: {ms:.1f} ms per pair")
    if out:
        figures = {
            name: {"relative": s.relative, "macro_f1": s.macro_f1, "f1": s.f1}
            for name, s in (("lightgbm_refitted", alone), ("with_crossencoder", both))
        }
        out.write_text(json.dumps({**figures, "ms_per_pair": ms}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
