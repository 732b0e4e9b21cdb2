"""CI gate: grouping Emergent's article headlines into claims must not drop below its pinned B-cubed floor.

The score is the mean over five folds of claims (seed 0), each fold's headlines grouped on their own
with the default options, as ``benchmarks/claims.py`` reports it ("default"). The floor is the
measured value rounded down to three decimals; it only moves up.
"""

from __future__ import annotations

import csv
import random
import statistics
from pathlib import Path

import pytest

from claimledger.claims import bcubed, group_claims
from claimledger.types import ClaimItem

EMERGENT = Path(__file__).resolve().parents[1].parent / "shared" / "datasets" / "emergent" / "emergent-train.csv"
BCUBED_F1_FLOOR = 0.922
FOLDS = 5


def folds() -> list[list[tuple[ClaimItem, str]]]:
    if not EMERGENT.is_file():
        pytest.skip(f"development data not found: {EMERGENT}")
    with EMERGENT.open(encoding="utf-8", newline="") as fh:
        rows = [
            (ClaimItem(f"r{n}", row["articleHeadline"]), row["claimId"]) for n, row in enumerate(csv.DictReader(fh))
        ]
    claims = sorted({claim for _, claim in rows})
    random.Random(0).shuffle(claims)
    return [[(item, claim) for item, claim in rows if claim in set(claims[k::FOLDS])] for k in range(FOLDS)]


@pytest.mark.slow
def test_emergent_headlines_group_into_their_claims() -> None:
    scores = []
    for fold in folds():
        predicted = dict(group_claims(item for item, _ in fold))
        scores.append(bcubed(predicted, {item.id: claim for item, claim in fold}))
    f1 = statistics.mean(f for _, _, f in scores)
    assert f1 >= BCUBED_F1_FLOOR, f"Emergent B-cubed F1 {f1:.4f} fell below its floor {BCUBED_F1_FLOOR}"
