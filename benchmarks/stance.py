"""Article stance: the shipped model on the FNC-1 hold-out split and Emergent cross-validation by claim.

Prints the FNC-1 relative score, macro-F1, per-class F1 and the confusion matrix on the official hold-out
bodies (which the shipped model never saw), the prediction throughput, and Emergent headline-stance
accuracy as 5-fold cross-validation grouped by claim (``--emergent``; retrains the headline head per fold
with the training script's settings, so it needs scikit-learn).

    .venv/bin/python benchmarks/stance.py [--data DIR] [--emergent] [--json OUT]

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
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()

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


if __name__ == "__main__":
    sys.exit(main())
