"""A story-disjoint split of FNC-1 and Emergent: validation stories share no claim, headline or body with
training ones.

FNC-1 splits its training data by body, so a hold-out headline is often a training headline paired with
another body, and a model that remembers headlines scores higher there than on a new story (about 0.10 on
the relative score, issue 13). Here FNC-1 headlines, bodies and Emergent claims are nodes; a related pair
(agree, disagree, discuss) joins its headline and body, and an Emergent claim joins its claim headline and
each article headline; connected components are *stories*. A seeded share of the stories is held out whole.
Unrelated FNC-1 pairs are random pairings, so they join nothing; one whose headline and body fall on
different sides of the split is dropped, so nothing held out is ever seen in training.
"""

from __future__ import annotations

import csv
import random
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimledger.stance.model import EMERGENT_LABELS, FNC_LABELS, Pair

__all__ = ["StorySplit", "crossencoder_figures", "story_split"]

_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class StorySplit:
    train: tuple[Pair, ...]
    held: tuple[Pair, ...]
    stories: int
    held_stories: int


def story_split(data: Path, *, seed: int = 0, share: float = 0.2) -> StorySplit:
    """FNC-1 (``data/fnc1``) and Emergent (``data/emergent``) pairs split by story. A pair's ``group`` is
    ``fnc:<body id>`` or ``emergent:<claim id>``, its text the whole body or the article headline."""
    with (data / "fnc1" / "train_bodies.csv").open(encoding="utf-8", newline="") as fh:
        bodies = {row["Body ID"]: row["articleBody"] for row in csv.DictReader(fh)}
    with (data / "fnc1" / "train_stances.csv").open(encoding="utf-8", newline="") as fh:
        fnc = [(row["Headline"], row["Body ID"], row["Stance"]) for row in csv.DictReader(fh)]
    with (data / "emergent" / "emergent-train.csv").open(encoding="utf-8", newline="") as fh:
        emergent = list(csv.DictReader(fh))
    story = _stories(fnc, emergent)
    ids = sorted(set(story.values()))
    random.Random(seed).shuffle(ids)
    held_ids = set(ids[: int(len(ids) * share)])
    train: list[Pair] = []
    held: list[Pair] = []
    for headline, body_id, stance in fnc:
        side = story["b:" + body_id] in held_ids
        if side != (story["h:" + _key(headline)] in held_ids):
            continue
        (held if side else train).append(Pair(headline, bodies[body_id], FNC_LABELS[stance], "fnc:" + body_id))
    for row in emergent:
        pair = Pair(
            row["claimHeadline"], row["articleHeadline"], EMERGENT_LABELS[row["articleHeadlineStance"]],
            "emergent:" + row["claimId"],
        )  # fmt: skip
        (held if story["c:" + row["claimId"]] in held_ids else train).append(pair)
    return StorySplit(tuple(train), tuple(held), len(ids), len(held_ids))


def _key(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def _stories(fnc: list[tuple[str, str, str]], emergent: list[dict[str, str]]) -> dict[str, int]:
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def join(a: str, b: str) -> None:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[rb] = ra

    for headline, body_id, stance in fnc:
        root("h:" + _key(headline))
        root("b:" + body_id)
        if stance != "unrelated":
            join("h:" + _key(headline), "b:" + body_id)
    for row in emergent:
        join("c:" + row["claimId"], "h:" + _key(row["claimHeadline"]))
        join("c:" + row["claimId"], "h:" + _key(row["articleHeadline"]))
    numbers: dict[str, int] = {}  # stories numbered by their first node in the files' order: a fixed split
    for node in list(parent):
        numbers.setdefault(root(node), len(numbers))
    return {node: numbers[root(node)] for node in parent}


def crossencoder_figures(data: Path, model_path: Path, every: int = 1) -> dict[str, Any]:
    """The cross-encoder alone on the held-out stories it never saw: which side each related FNC-1 body takes
    (F1 per class, macro-F1 and accuracy over supports/denies/observes) and, for the record, Emergent headlines
    read the same way (accuracy; ``classify_stances`` scores headlines with LightGBM's headline head). Every
    ``every``-th held pair; milliseconds per pair included."""
    from claimledger.stance import load_crossencoder
    from claimledger.stance.crossencoder import LABELS
    from claimledger.stance.model import score_stances

    split = story_split(data)
    held = split.held[::every]
    bodies = [p for p in held if p.group.startswith("fnc:") and p.label in LABELS]
    heads = [p for p in held if p.group.startswith("emergent:")]
    model = load_crossencoder(model_path)
    started = time.perf_counter()
    body_probs = model.predict_proba([(p.claim, p.text) for p in bodies], headline=[False] * len(bodies))
    seconds = time.perf_counter() - started
    head_probs = model.predict_proba([(p.claim, p.text) for p in heads], headline=[True] * len(heads))
    predicted = [LABELS[int(i)] for i in body_probs.argmax(axis=1)]
    scores = score_stances([p.label for p in bodies], predicted)
    f1 = {label: round(scores.f1[label], 4) for label in LABELS}
    head_hits = sum(1 for p, i in zip(heads, head_probs.argmax(axis=1), strict=True) if LABELS[int(i)] == p.label)
    return {
        "stories": split.held_stories, "all_stories": split.stories, "bodies": len(bodies), "headlines": len(heads),
        "f1": f1, "macro_f1": round(sum(f1.values()) / len(f1), 4), "accuracy": round(scores.accuracy, 4),
        "emergent_accuracy": round(head_hits / len(heads), 4) if heads else 0.0,
        "ms_per_pair": round(1000 * seconds / max(1, len(bodies)), 1),
    }  # fmt: skip
