"""B-cubed precision, recall and F1 of a clustering against a reference (Bagga & Baldwin 1998)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping


def bcubed(predicted: Mapping[str, str], gold: Mapping[str, str]) -> tuple[float, float, float]:
    """``(precision, recall, f1)`` of ``predicted`` (item → cluster) against ``gold`` over gold's items.

    Every gold item must have a predicted cluster; an empty reference scores ``(1, 1, 1)``.
    """
    missing = gold.keys() - predicted.keys()
    if missing:
        raise ValueError(f"{len(missing)} reference items have no predicted cluster, e.g. {sorted(missing)[0]!r}")
    if not gold:
        return 1.0, 1.0, 1.0
    pairs = Counter((predicted[i], gold[i]) for i in gold)
    pred_size = Counter(predicted[i] for i in gold)
    gold_size = Counter(gold.values())
    precision = sum(n * n / pred_size[p] for (p, _), n in pairs.items()) / len(gold)
    recall = sum(n * n / gold_size[g] for (_, g), n in pairs.items()) / len(gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
