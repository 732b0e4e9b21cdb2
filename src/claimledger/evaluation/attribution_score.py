"""Score predicted attributions against gold ones (PolNeAR-style), one-to-one.

Four match criteria, each giving precision, recall and F1:

- ``content-overlap``: the content pieces overlap;
- ``whole-overlap``: content overlaps, cue overlaps, and the sources overlap or are both absent;
- ``content-exact``: the content covers the same characters (pieces joined, edge whitespace and
  punctuation ignored);
- ``whole-exact``: content, cue and source (or both absent) all exact in that sense.

Matching is one-to-one and greedy: all candidate (gold, predicted) pairs that meet the criterion are
ranked by the characters they share (content + cue + source) and taken best first, so one prediction
never counts for two gold attributions or the other way round. (Hungarian matching would need scipy,
which claimledger does not depend on; on attribution data the greedy choice rarely differs.)

``speech_recall`` is the whole-overlap recall restricted to gold attributions whose cue is a plain
speech verb (`SPEECH_CUES`): the attributions any engine must find.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from claimledger.evaluation.brat import GoldAttribution, Pieces, write_brat
from claimledger.types import Attribution

__all__ = [
    "CRITERIA",
    "PRF",
    "SPEECH_CUES",
    "Scores",
    "as_gold",
    "is_speech_cue",
    "score",
    "write_brat",
]

# Speech cues whose recall the engine must keep high: inflected forms of plain verbs of saying and the
# "according to" construction. A gold cue counts when its lower-cased text, with auxiliaries and
# adverbs stripped (see `is_speech_cue`), is one of these.
_SPEECH_VERBS = """
    say says said saying tell tells told telling add adds added adding state states stated stating
    announce announces announced announcing explain explains explained explaining note notes noted noting
    write writes wrote written writing ask asks asked asking reply replies replied replying
    claim claims claimed claiming argue argues argued arguing insist insists insisted insisting
    report reports reported reporting declare declares declared declaring tweet tweets tweeted tweeting
    comment comments commented commenting respond responds responded responding
    recall recalls recalled recalling remark remarks remarked remarking assert asserts asserted asserting
"""
SPEECH_CUES: frozenset[str] = frozenset([*_SPEECH_VERBS.split(), "according to"])

# Words that may precede or follow the speech verb inside a gold cue without changing its kind:
# auxiliaries, negation-free adverbs, particles ("has said", "also told", "said in a statement").
_CUE_FILLERS = frozenset(
    [
        "has",
        "have",
        "had",
        "was",
        "were",
        "is",
        "are",
        "be",
        "been",
        "being",
        "will",
        "would",
        "could",
        "did",
        "does",
        "do",
        "also",
        "then",
        "later",
        "again",
        "previously",
        "earlier",
        "once",
        "further",
        "recently",
        "repeatedly",
        "publicly",
        "privately",
        "simply",
        "flatly",
        "quickly",
        "had've",
        "'ve",
        "'s",
        "'d",
        "'ll",
    ]
)
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?|'[a-z]+")
_EDGE = " \t\r\n\"'“”‘’.,;:!?()[]—–-"


def is_speech_cue(cue_text: str) -> bool:
    """Whether a cue's text is a plain speech verb: "said", "has told", "according to", "also added"."""
    words = _WORD.findall(cue_text.lower().replace("’", "'"))
    core = [w for w in words if w not in _CUE_FILLERS]
    if not core:
        return False
    if " ".join(core[-2:]) == "according to" or " ".join(core[:2]) == "according to":
        return True
    return len(core) == 1 and core[0] in SPEECH_CUES


@dataclass(frozen=True)
class PRF:
    """Counts and ratios for one criterion."""

    matched: int
    gold: int
    predicted: int

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __str__(self) -> str:
        counts = f"{self.matched} matched / {self.gold} gold / {self.predicted} predicted"
        return f"P {self.precision:.3f}  R {self.recall:.3f}  F1 {self.f1:.3f}  ({counts})"


@dataclass(frozen=True)
class Scores:
    """P/R/F1 per criterion (`CRITERIA`), and whole-overlap recall on speech-verb cues."""

    content_overlap: PRF
    whole_overlap: PRF
    content_exact: PRF
    whole_exact: PRF
    speech_matched: int
    speech_gold: int

    @property
    def speech_recall(self) -> float:
        return self.speech_matched / self.speech_gold if self.speech_gold else 0.0

    def by_name(self) -> dict[str, PRF]:
        return {
            "content-overlap": self.content_overlap,
            "whole-overlap": self.whole_overlap,
            "content-exact": self.content_exact,
            "whole-exact": self.whole_exact,
        }

    def report(self) -> str:
        lines = [f"{name:16s} {prf}" for name, prf in self.by_name().items()]
        lines.append(f"{'speech recall':16s} {self.speech_recall:.3f}  ({self.speech_matched}/{self.speech_gold})")
        return "\n".join(lines)


CRITERIA = ("content-overlap", "whole-overlap", "content-exact", "whole-exact")


def as_gold(attribution: Attribution) -> GoldAttribution:
    """A predicted `Attribution` in the scorer's piece form."""
    source: Pieces = () if attribution.source is None else ((attribution.source.start, attribution.source.end),)
    return GoldAttribution(
        source=source,
        cue=((attribution.cue.start, attribution.cue.end),),
        content=tuple(sorted((s.start, s.end) for s in attribution.content)),
    )


def _shared(a: Pieces, b: Pieces) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def _chars(pieces: Pieces, text: str) -> frozenset[int]:
    """The characters a span covers, without edge whitespace and punctuation of each piece."""
    out: set[int] = set()
    for start, end in pieces:
        while start < end and text[start] in _EDGE:
            start += 1
        while end > start and text[end - 1] in _EDGE:
            end -= 1
        out.update(range(start, end))
    return frozenset(out)


def _source_overlaps(g: GoldAttribution, p: GoldAttribution) -> bool:
    if not g.source and not p.source:
        return True
    return _shared(g.source, p.source) > 0


def _source_exact(g: GoldAttribution, p: GoldAttribution, text: str) -> bool:
    if not g.source and not p.source:
        return True
    return bool(g.source) and bool(p.source) and _chars(g.source, text) == _chars(p.source, text)


Criterion = Callable[[GoldAttribution, GoldAttribution, str], bool]


def _content_overlap(g: GoldAttribution, p: GoldAttribution, text: str) -> bool:
    return _shared(g.content, p.content) > 0


def _whole_overlap(g: GoldAttribution, p: GoldAttribution, text: str) -> bool:
    return _shared(g.content, p.content) > 0 and _shared(g.cue, p.cue) > 0 and _source_overlaps(g, p)


def _content_exact(g: GoldAttribution, p: GoldAttribution, text: str) -> bool:
    return _chars(g.content, text) == _chars(p.content, text)


def _whole_exact(g: GoldAttribution, p: GoldAttribution, text: str) -> bool:
    return _content_exact(g, p, text) and _chars(g.cue, text) == _chars(p.cue, text) and _source_exact(g, p, text)


_CRITERIA: dict[str, Criterion] = {
    "content-overlap": _content_overlap,
    "whole-overlap": _whole_overlap,
    "content-exact": _content_exact,
    "whole-exact": _whole_exact,
}


def match(
    gold: Sequence[GoldAttribution], predicted: Sequence[GoldAttribution], text: str, criterion: str
) -> list[tuple[int, int]]:
    """One-to-one ``(gold index, predicted index)`` pairs meeting ``criterion``, greedy by shared characters."""
    ok = _CRITERIA[criterion]
    candidates: list[tuple[int, int, int]] = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            if _shared(g.content, p.content) == 0 and criterion != "content-exact":
                continue
            if ok(g, p, text):
                weight = _shared(g.content, p.content) + _shared(g.cue, p.cue) + _shared(g.source, p.source)
                candidates.append((-weight, gi, pi))
    candidates.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, gi, pi in candidates:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gi, pi))
    return sorted(pairs)


def _text_of(pieces: Pieces, text: str) -> str:
    return " ".join(text[s:e] for s, e in pieces)


def score(
    gold_docs: Iterable[tuple[str, Sequence[GoldAttribution]]],
    predicted_docs: Iterable[Sequence[Attribution | GoldAttribution]],
) -> Scores:
    """Score documents pairwise: ``gold_docs`` yields ``(text, gold attributions)``, ``predicted_docs``
    the predictions for the same texts, in the same order (`Attribution` records or gold-form pieces).
    """
    counts = {name: [0, 0, 0] for name in CRITERIA}
    speech_matched = speech_gold = 0
    gold_list = list(gold_docs)
    pred_list = list(predicted_docs)
    if len(gold_list) != len(pred_list):
        raise ValueError(f"{len(gold_list)} gold documents but {len(pred_list)} predicted ones; pass them in pairs")
    for (text, gold), preds in zip(gold_list, pred_list, strict=True):
        predicted = [p if isinstance(p, GoldAttribution) else as_gold(p) for p in preds]
        for name in CRITERIA:
            pairs = match(gold, predicted, text, name)
            c = counts[name]
            c[0] += len(pairs)
            c[1] += len(gold)
            c[2] += len(predicted)
            if name == "whole-overlap":
                speech = {i for i, g in enumerate(gold) if is_speech_cue(_text_of(g.cue, text))}
                speech_gold += len(speech)
                speech_matched += sum(1 for gi, _ in pairs if gi in speech)
    prf = {name: PRF(*c) for name, c in counts.items()}
    return Scores(
        content_overlap=prf["content-overlap"],
        whole_overlap=prf["whole-overlap"],
        content_exact=prf["content-exact"],
        whole_exact=prf["whole-exact"],
        speech_matched=speech_matched,
        speech_gold=speech_gold,
    )
