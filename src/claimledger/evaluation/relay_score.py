"""Relay chains scored on single sentences: did the statement's relays (``Attribution.via``) name the outlets
that carried it, and nothing else?

The gold is JSON lines ``{"text": sentence, "speaker": ..., "relays": [outlet, ...]}``
(``tests/fixtures/relays.jsonl``: invented outlets and people, with look-alikes whose list is empty: "told the
Security Council", "told lawmakers", "citing confidentiality policies"). A found relay matches a gold one when
one name contains the other once case, quotes and a leading "the" are set aside ("the Tidewire agency" holds
"Tidewire"). A sentence is right when its relays match the gold list one to one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from claimledger.types import Attribution, Document

__all__ = ["RelayScore", "read_relay_gold", "score_relays"]

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class RelayScore:
    sentences: int
    right: int
    true_positives: int
    found: int
    gold: int
    false_on_lookalikes: int  # relays found in sentences whose gold list is empty
    lookalikes: int
    misses: tuple[str, ...]  # "sentence: gold -> found", for every sentence not right

    @property
    def precision(self) -> float:
        return self.true_positives / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def accuracy(self) -> float:
        return self.right / self.sentences if self.sentences else 0.0


def read_relay_gold(path: str | Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def score_relays(rows: Iterable[dict[str, object]], extract: Callable[[Document], Sequence[Attribution]]) -> RelayScore:
    """Score ``extract`` (e.g. :func:`claimledger.attribution.extract_attributions`) on the gold sentences."""
    sentences = right = tp = found_n = gold_n = false_look = looks = 0
    misses = []
    for n, row in enumerate(rows):
        text = str(row["text"])
        document = Document(id=f"relay-{n}", source=f"relays#{n + 1}", format="text", text=text)
        found = list(dict.fromkeys(v.text for a in extract(document) for v in a.via))
        gold = [str(g) for g in row["relays"]]  # type: ignore[attr-defined]
        matched = sum(1 for g in gold if any(_same(g, f) for f in found))
        hits = sum(1 for f in found if any(_same(g, f) for g in gold))
        sentences += 1
        tp += matched
        found_n += len(found)
        gold_n += len(gold)
        if not gold:
            looks += 1
            false_look += len(found)
        if matched == len(gold) and hits == len(found):
            right += 1
        else:
            misses.append(f"{text} :: gold {gold} -> found {found}")
    return RelayScore(sentences, right, tp, found_n, gold_n, false_look, looks, tuple(misses))


def _key(name: str) -> str:
    key = _SPACE.sub(" ", name.replace("’", "'").replace("“", "").replace("”", "")).strip(" \"'.,").lower()
    return key[4:] if key.startswith("the ") else key


def _same(gold: str, found: str) -> bool:
    a, b = _key(gold), _key(found)
    return len(min(a, b, key=len)) >= 2 and (a in b or b in a)
