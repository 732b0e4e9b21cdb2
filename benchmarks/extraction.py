"""Article extraction: claimledger's HTML extractor against trafilatura's default.

Scores both on the article-extraction-benchmark pages (scrapinghub's ``html/*.html.gz`` and
``ground-truth.json``) with the benchmark's shingle metric, and times both in the same run,
page by page, alternating, so machine load hits both alike.

    .venv/bin/python benchmarks/extraction.py [--data DIR] [--json OUT]

Exits 0 with "skipped: dataset not found" when the data folder is missing.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import trafilatura
from trafilatura.utils import decode_file

from claimledger.errors import InputError
from claimledger.evaluation.shingles import PageScore, Summary, page_score, summarise
from claimledger.ingest.html import EXTRACTOR, extract_html

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "datasets" / "article-extraction"


def load_pages(data: Path) -> list[tuple[str, str, str]]:
    """``(id, decoded html, true article body)`` for every annotated page."""
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth):
        raw = gzip.decompress((data / "html" / f"{key}.html.gz").read_bytes())
        pages.append((key, decode_file(raw), truth[key].get("articleBody") or ""))
    return pages


def claimledger_text(html: str) -> str:
    try:
        return extract_html(html, source="benchmark").text
    except InputError:
        return ""  # the benchmark scores a page with no extraction as empty


def trafilatura_text(html: str) -> str:
    return trafilatura.extract(html) or ""


SYSTEMS: dict[str, Callable[[str], str]] = {"claimledger": claimledger_text, "trafilatura": trafilatura_text}


def run(pages: list[tuple[str, str, str]]) -> dict[str, dict[str, object]]:
    """Extract every page with every system, alternating, and score them."""
    for extract in SYSTEMS.values():  # warm up lazy initialisation (stop lists, regex caches)
        extract(pages[0][1])
    seconds = dict.fromkeys(SYSTEMS, 0.0)
    scores: dict[str, dict[str, PageScore]] = {name: {} for name in SYSTEMS}
    for key, html, truth in pages:
        for name, extract in SYSTEMS.items():
            start = time.perf_counter()
            text = extract(html)
            seconds[name] += time.perf_counter() - start
            scores[name][key] = page_score(truth, text)
    results: dict[str, dict[str, object]] = {}
    for name in SYSTEMS:
        summary: Summary = summarise(scores[name].values())
        results[name] = {
            **asdict(summary),
            "pages_per_second": len(pages) / seconds[name],
            "per_page_f1": {key: round(score.f1, 4) for key, score in scores[name].items()},
        }
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with html/ and ground-truth.json")
    parser.add_argument("--json", type=Path, help="also write the results here as JSON")
    args = parser.parse_args(argv)
    if not (args.data / "ground-truth.json").is_file() or not (args.data / "html").is_dir():
        print(f"skipped: dataset not found at {args.data}")
        return 0
    logging.disable(logging.CRITICAL)  # trafilatura's default run logs every odd page
    pages = load_pages(args.data)
    results = run(pages)
    print(f"{len(pages)} pages from {args.data}")
    print(f"{'system':<12} {'precision':>9} {'recall':>7} {'F1':>7} {'mean F1':>8} {'pages/s':>8}")
    for name, r in results.items():
        print(
            f"{name:<12} {r['precision']:>9.4f} {r['recall']:>7.4f} {r['f1']:>7.4f} "
            f"{r['mean_f1']:>8.4f} {r['pages_per_second']:>8.1f}"
        )
    ratio = float(str(results["trafilatura"]["pages_per_second"])) / float(
        str(results["claimledger"]["pages_per_second"])
    )
    print(f"claimledger takes {ratio:.2f}x trafilatura's time per page ({EXTRACTOR})")
    print("F1 = harmonic mean of mean precision and mean recall (the benchmark's); mean F1 = per-page F1, averaged")
    if args.json:
        payload = {"data": str(args.data), "pages": len(pages), "extractor": EXTRACTOR, "slowdown": ratio, **results}
        args.json.write_text(json.dumps(payload, indent=2, sort_keys=True), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
