"""The article-extraction-benchmark's shingle metric (scrapinghub/article-extraction-benchmark).

Texts are cut into case-sensitive ``\\w+`` tokens and joined into 4-token shingles; each page
gives multiset true/false positives and negatives, normalised so that long pages weigh no more
than short ones. As in the benchmark's ``evaluate.py``: a text shorter than four tokens is one
shingle; precision is averaged over pages with a prediction, recall over pages with a truth;
the benchmark's F1 is the harmonic mean of those two means. ``mean_f1`` (per-page F1,
averaged) is reported beside it because it punishes a single lost page harder; it is the
score claimledger's quality gate pins. One departure: a page where truth and prediction are
both empty scores 1 in every mean (``evaluate.py`` leaves it out of them).
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["PageScore", "Summary", "page_score", "shingles", "summarise"]

_TOKEN = re.compile(r"\w+", re.UNICODE)
NGRAM = 4


@dataclass(frozen=True)
class PageScore:
    """Normalised true positive, false positive and false negative shares of one page."""

    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float:
        if self.fp == self.fn == 0:
            return 1.0
        return 0.0 if self.tp == self.fp == 0 else self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        if self.fp == self.fn == 0:
            return 1.0
        return 0.0 if self.tp == self.fn == 0 else self.tp / (self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)


@dataclass(frozen=True)
class Summary:
    """Scores over a set of pages."""

    pages: int
    precision: float
    recall: float
    f1: float  # the benchmark's: harmonic mean of mean precision and mean recall
    mean_f1: float  # per-page F1, averaged


def shingles(text: str, n: int = NGRAM) -> Counter[tuple[str, ...]]:
    """Multiset of the ``n``-token shingles of ``text``."""
    tokens = _TOKEN.findall(text)
    if not tokens:
        return Counter()
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))


def page_score(true: str, pred: str, *, n: int = NGRAM) -> PageScore:
    """Score one predicted text against its truth; two empty texts score 1."""
    want, got = shingles(true, n), shingles(pred, n)
    tp = float(sum((want & got).values()))
    fp = float(sum((got - want).values()))
    fn = float(sum((want - got).values()))
    total = tp + fp + fn
    if total == 0:
        return PageScore(0.0, 0.0, 0.0)
    return PageScore(tp / total, fp / total, fn / total)


def summarise(scores: Iterable[PageScore]) -> Summary:
    """Benchmark-style means over pages."""
    items = list(scores)
    if not items:
        raise ValueError("no pages to summarise")
    precisions = [s.precision for s in items if s.tp + s.fp > 0 or s.fp == s.fn == 0]
    recalls = [s.recall for s in items if s.tp + s.fn > 0 or s.fp == s.fn == 0]
    p = statistics.fmean(precisions) if precisions else 0.0
    r = statistics.fmean(recalls) if recalls else 0.0
    f1 = 0.0 if p + r == 0 else 2 * p * r / (p + r)
    return Summary(len(items), p, r, f1, statistics.fmean(s.f1 for s in items))
