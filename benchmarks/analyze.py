"""`analyze` end to end on FNC-1 bodies: time per stage, and the cost of adding one article as the database grows.

    .venv/bin/python benchmarks/analyze.py [--bodies 2000] [--sizes 100,1000] [--json OUT]

Writes the first N FNC-1 training bodies as JSONL into a temporary folder, then times, in one process on
one SQLite file: ingest (extraction, ids, near-duplicate search, writes), attribution extraction and the
ledger rebuild. With ``--sizes``, it also grows a database to each size and times adding one more article
through all stages. Nothing is written into the repository. Exits 0 with a message without the data.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from claimledger.config import Options  # noqa: E402
from claimledger.pipeline import attribute_stored, ingest_articles, rebuild_ledger  # noqa: E402
from claimledger.store import open_store  # noqa: E402

DATA = ROOT.parent / "shared" / "datasets" / "fnc1" / "train_bodies.csv"


def bodies(limit: int) -> list[str]:
    csv.field_size_limit(sys.maxsize)
    with DATA.open(encoding="utf-8") as fh:
        return [row["articleBody"] for _, row in zip(range(limit), csv.DictReader(fh), strict=False)]


def write_jsonl(texts: list[str], path: Path, start: int = 0) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i, text in enumerate(texts, start=start):
            record = {"text": text, "title": f"FNC-1 body {i}", "outlet": f"outlet-{i % 50}"}
            fh.write(json.dumps(record) + "\n")
    return path


def timed_analyze(db: str, inputs: list[str]) -> dict[str, float]:
    options = Options(db=db)
    with open_store(db) as store:
        started = time.perf_counter()
        ingest_articles(inputs, store=store, options=options)
        ingested = time.perf_counter()
        attribute_stored(store)
        attributed = time.perf_counter()
        rebuild_ledger(store)
        done = time.perf_counter()
    return {"ingest_s": ingested - started, "attributions_s": attributed - ingested, "ledger_s": done - attributed}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bodies", type=int, default=2000)
    parser.add_argument("--sizes", default="", help="comma-separated database sizes for the add-one-article cost")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    if not DATA.exists():
        print(f"skipped: {DATA} not found")
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s]
    texts = bodies(max([args.bodies, *[s + 1 for s in sizes]]))
    figures: dict[str, object] = {"bodies": args.bodies}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        stages = timed_analyze(str(folder / "all.db"), [str(write_jsonl(texts[: args.bodies], folder / "all.jsonl"))])
        total = sum(stages.values())
        figures["stages"] = stages
        print(f"analyze of {args.bodies} FNC-1 bodies: {total:.1f} s")
        for name, seconds in stages.items():
            print(f"  {name[:-2]:13s} {seconds:8.1f} s  {seconds / total:6.1%}  {args.bodies / seconds:8.1f} docs/s")
        adds = {}
        for size in sizes:
            db = str(folder / f"size-{size}.db")
            timed_analyze(db, [str(write_jsonl(texts[:size], folder / f"base-{size}.jsonl"))])
            one = write_jsonl(texts[size : size + 1], folder / f"one-{size}.jsonl", start=size)
            adds[size] = sum(timed_analyze(db, [str(one)]).values())
            print(f"  adding one article to {size:>6} articles: {adds[size]:.2f} s")
        if adds:
            base = adds[min(adds)]
            print("  ratio to the smallest: " + ", ".join(f"{s}: {t / base:.2f}x" for s, t in adds.items()))
            figures["add_one_s"] = adds
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
