"""`analyze --engine ray` against the single-process path: the same FNC-1 bodies, in the same run.

    .venv/bin/python benchmarks/ray_scaling.py [--bodies 300] [--files 8] [--batch-size 8] [--repeats 1]
                                               [--json OUT]

Writes the first ``--bodies`` FNC-1 training bodies (each with one of its headlines as title) as ``--files``
JSONL files in a temporary folder, then ingests them and extracts their attributions three ways, each in a
fresh process with a fresh database, one after the other (``--repeats`` rounds of the three; the fastest
run of each mode is reported):

- ``single``: :func:`~claimledger.pipeline.ingest_articles` then :func:`~claimledger.pipeline.attribute_stored`,
  spaCy pipeline loading included;
- ``ray-1`` and ``ray-2``: :func:`~claimledger.distributed.analyze_on_ray` on a local Ray started with 1 and 2
  CPUs (so 1 and 2 attribution actors, each loading spaCy itself). Starting Ray is timed apart.

The ledger is left out: it runs on the driver, the same code in every mode. Reports documents per second,
the ratio to ``single``, the driver's peak resident memory and the workers' peak (largest one). Exits 0 with a
message when the data is absent; nothing is written into the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

FNC1 = ROOT.parent / "shared" / "datasets" / "fnc1"
MODES = ("single", "ray-1", "ray-2")


def articles(limit: int) -> list[tuple[str, str]]:
    """(headline, body) of the first ``limit`` FNC-1 training bodies that have a related headline."""
    from analyze import articles as fnc1_articles  # benchmarks/analyze.py reads the FNC-1 files once for both

    return fnc1_articles()[:limit]


def write_corpus(rows: list[tuple[str, str]], folder: Path, files: int) -> None:
    for part in range(files):
        with (folder / f"part-{part:02d}.jsonl").open("w", encoding="utf-8") as fh:
            for i in range(part, len(rows), files):
                title, text = rows[i]
                fh.write(json.dumps({"text": text, "title": title, "outlet": f"outlet-{i % 50}"}) + "\n")


def peak_rss_mib(pid: int | None = None) -> float:
    """Peak resident memory of this process (``pid`` None) or of a live process, in MiB."""
    if pid is None:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


_SPIN = "sum(i * i for i in range(2 * 10**7))"


def parallel_ceiling(copies: int) -> float:
    """How much more CPU-bound work ``copies`` processes do at once than one alone (2.0: two real cores;
    shared or hyper-threaded cores give less): the most any Ray run with that many workers could gain."""

    def wall(n: int) -> float:
        start = time.perf_counter()
        procs = [subprocess.Popen([sys.executable, "-c", _SPIN]) for _ in range(n)]
        for proc in procs:
            proc.wait()
        return time.perf_counter() - start

    alone = min(wall(1) for _ in range(2))
    together = min(wall(copies) for _ in range(2))
    return copies * alone / together


def run_one(mode: str, corpus: Path, db: Path, batch_size: int) -> dict[str, Any]:
    """One measurement, in this (fresh) process."""
    from claimledger.config import Options
    from claimledger.store import SQLiteStore

    options = Options(db=str(db))
    result: dict[str, Any] = {"mode": mode}
    with SQLiteStore(options.db) as store:
        if mode == "single":
            from claimledger.pipeline import attribute_stored, ingest_articles

            start = time.perf_counter()
            report = ingest_articles([str(corpus)], store=store, options=options)
            result["ingest_s"] = time.perf_counter() - start
            analysed = attribute_stored(store)
            result["ray_init_s"] = 0.0
        else:
            import ray

            from claimledger.distributed import RayProgress, analyze_on_ray

            workers = int(mode.split("-")[1])
            start = time.perf_counter()
            ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
            result["ray_init_s"] = time.perf_counter() - start
            worker_peaks: dict[int, float] = {}
            ingest_done: list[float] = []

            def watch(event: RayProgress) -> None:
                if event.stage == "ingest" and event.done == event.total:
                    ingest_done.append(time.perf_counter())
                if event.worker is not None:
                    worker_peaks[event.worker] = peak_rss_mib(event.worker)

            start = time.perf_counter()
            run = analyze_on_ray([str(corpus)], store=store, options=options, batch_size=batch_size, on_progress=watch)
            result["ingest_s"] = ingest_done[0] - start
            report, analysed = run.ingest, run.analysed
            result["worker_peak_mib"] = max(worker_peaks.values(), default=0.0)
            ray.shutdown()
        result["total_s"] = time.perf_counter() - start
    result["documents"] = len(report.added)
    result["analysed"] = len(analysed)
    result["attributions"] = sum(analysed.values())
    result["docs_per_s"] = result["analysed"] / result["total_s"]
    result["driver_peak_mib"] = peak_rss_mib()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bodies", type=int, default=300)
    parser.add_argument("--files", type=int, default=8, help="JSONL files the bodies are spread over")
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=1, help="rounds over the three modes; the fastest counts")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    parser.add_argument("--one", choices=MODES, help=argparse.SUPPRESS)  # a child measuring one mode
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.corpus, args.db, args.batch_size)))
        return 0
    if not (FNC1 / "train_bodies.csv").exists():
        print(f"FNC-1 training data not found in {FNC1}; nothing to measure.")
        return 0
    env = os.environ | {"RAY_USAGE_STATS_ENABLED": "0"}
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        write_corpus(articles(args.bodies), corpus, args.files)
        best: dict[str, dict[str, Any]] = {}
        for round_ in range(args.repeats):  # modes interleaved, so that a busy spell hurts them alike
            for mode in MODES:
                db = Path(tmp) / f"{mode}-{round_}.db"
                command = [
                    sys.executable, __file__, "--one", mode, "--corpus", str(corpus), "--db", str(db),
                    "--batch-size", str(args.batch_size),
                ]  # fmt: skip
                done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
                if done.returncode != 0:
                    print(done.stderr, file=sys.stderr)
                    return done.returncode
                result = json.loads(done.stdout.strip().splitlines()[-1])
                if mode not in best or result["total_s"] < best[mode]["total_s"]:
                    best[mode] = result
        results = [best[mode] for mode in MODES]
    base = results[0]["docs_per_s"]
    ceiling = parallel_ceiling(2)
    print(f"{args.bodies} FNC-1 bodies, {args.files} JSONL files, batch size {args.batch_size}, {os.cpu_count()} CPUs")
    print(f"machine ceiling: 2 CPU-bound processes do {ceiling:.2f}x the work of one in the same time")
    print(
        "| mode | documents | attributions | ingest | total | docs/s | vs single | Ray start "
        "| driver peak | worker peak |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['mode']} | {r['analysed']} | {r['attributions']} | {r['ingest_s']:.1f} s | {r['total_s']:.1f} s "
            f"| {r['docs_per_s']:.1f} | {r['docs_per_s'] / base:.2f}× | {r['ray_init_s']:.1f} s "
            f"| {r['driver_peak_mib']:.0f} MiB | {r.get('worker_peak_mib', 0.0):.0f} MiB |"
        )
    if len({(r["analysed"], r["attributions"]) for r in results}) != 1:
        print("warning: the modes disagree on documents or attributions", file=sys.stderr)
        return 1
    if args.json is not None:
        args.json.write_text(json.dumps({"ceiling_2": ceiling, "modes": results}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
