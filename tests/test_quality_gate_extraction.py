"""Quality gate: HTML article extraction must not fall below its pinned score.

Runs ``extract_html`` over the article-extraction-benchmark development pages beside the
repository (``../shared/datasets/article-extraction``) and scores it with the benchmark's
shingle metric. ``FLOOR`` is the measured mean per-page F1 rounded down; floors only move up.
``benchmarks/extraction.py`` prints the full comparison with trafilatura and the throughput.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from trafilatura.utils import decode_file

from claimledger.errors import InputError
from claimledger.evaluation.shingles import PageScore, page_score, summarise
from claimledger.ingest.html import extract_html

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "datasets" / "article-extraction"
FLOOR = 0.986  # mean per-page shingle F1 measured at 0.9862 on the 88 pages; trafilatura's default scores 0.949


def _score(key: str, truth: str) -> PageScore:
    html = decode_file(gzip.decompress((DATA / "html" / f"{key}.html.gz").read_bytes()))
    try:
        text = extract_html(html, source=key).text
    except InputError:
        text = ""
    return page_score(truth, text)


@pytest.mark.slow
def test_extraction_quality_gate() -> None:
    if not (DATA / "ground-truth.json").is_file():
        pytest.skip(f"article-extraction dataset not found: {DATA}")
    truth = json.loads((DATA / "ground-truth.json").read_text(encoding="utf-8"))
    scores = {key: _score(key, record.get("articleBody") or "") for key, record in sorted(truth.items())}
    summary = summarise(scores.values())
    worst = sorted(scores, key=lambda key: scores[key].f1)[:5]
    assert summary.mean_f1 >= FLOOR, (
        f"mean shingle F1 {summary.mean_f1:.4f} fell below the floor {FLOOR} "
        f"(P {summary.precision:.4f}, R {summary.recall:.4f}); worst pages: "
        + ", ".join(f"{key[:12]} {scores[key].f1:.3f}" for key in worst)
    )


def test_shingle_metric_matches_the_benchmark() -> None:
    assert page_score("", "").f1 == 1.0
    assert page_score("one two three four", "").recall == 0.0
    assert page_score("the cat sat on the mat", "the cat sat on the mat").f1 == 1.0
    half = page_score("a b c d e f g", "a b c d")  # 4 true shingles, 1 predicted and found
    assert half.precision == 1.0
    assert half.recall == 0.25
    assert page_score("Bridge Reopens Today Again", "bridge reopens today again").f1 == 0.0  # case-sensitive
