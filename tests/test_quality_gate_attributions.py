"""CI gate: attribution quality on PolNeAR dev must not drop below its pinned floors.

Floors are the measured scores rounded down (BENCHMARKS.md); they only move up. The issue's
acceptance bars (whole-overlap F1 0.65, precision 0.75, speech-verb recall 0.90) sit below them.
"""

from __future__ import annotations

import pytest

from claimledger.attribution import extract_attributions
from claimledger.evaluation.attribution_score import Scores, score
from claimledger.evaluation.brat import load_polnear
from claimledger.identity import document_id
from claimledger.nlp import load_pipeline
from claimledger.types import Document

from .conftest import SHARED, need_shared

WHOLE_F1_FLOOR = 0.667
WHOLE_PRECISION_FLOOR = 0.804
SPEECH_RECALL_FLOOR = 0.908


@pytest.fixture(scope="module")
def dev_scores() -> Scores:
    split = need_shared(SHARED / "datasets" / "polnear" / "dev")
    docs = load_polnear(split)
    nlp = load_pipeline()
    predicted = [
        extract_attributions(Document(id=document_id(text), text=text, source=name, format="text"), nlp=nlp)
        for name, text, _ in docs
    ]
    return score([(text, gold) for _, text, gold in docs], predicted)


@pytest.mark.slow
def test_whole_overlap_f1_and_precision(dev_scores: Scores) -> None:
    assert dev_scores.whole_overlap.f1 >= WHOLE_F1_FLOOR, dev_scores.report()
    assert dev_scores.whole_overlap.precision >= WHOLE_PRECISION_FLOOR, dev_scores.report()


@pytest.mark.slow
def test_speech_verb_recall(dev_scores: Scores) -> None:
    assert dev_scores.speech_recall >= SPEECH_RECALL_FLOOR, dev_scores.report()
