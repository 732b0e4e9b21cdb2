"""The PolNeAR-style attribution scorer: text in, gold and predicted attributions in, counts out."""

from __future__ import annotations

import pytest

from claimledger.evaluation.attribution_score import PRF, is_speech_cue, score
from claimledger.evaluation.brat import GoldAttribution
from claimledger.types import Attribution, Span

TEXT = "Mayor Quill said taxes will fall. Rates rose, officials claimed. The plan, it is believed, works."
#       0         1         2         3         4         5         6         7         8         9
#       0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456


def sp(start: int, end: int) -> Span:
    return Span(start, end, TEXT[start:end])


def gold(source: tuple[int, int] | None, cue: tuple[int, int], *content: tuple[int, int]) -> GoldAttribution:
    return GoldAttribution(source=(source,) if source else (), cue=(cue,), content=tuple(content))


def pred(source: tuple[int, int] | None, cue: tuple[int, int], *content: tuple[int, int]) -> Attribution:
    return Attribution(
        kind="indirect",
        stance="assert",
        cue=sp(*cue),
        content=tuple(sp(*c) for c in content),
        source=sp(*source) if source else None,
    )


QUILL = gold((0, 11), (12, 16), (17, 32))
OFFICIALS = gold((46, 55), (56, 63), (34, 44))
BELIEVED = gold(None, (75, 89), (65, 73), (91, 96))


# (case, gold, predicted, expected (matched, gold, predicted) per criterion:
#  content-overlap, whole-overlap, content-exact, whole-exact)
CASES = [
    (
        "perfect",
        [QUILL, OFFICIALS],
        [pred((0, 11), (12, 16), (17, 32)), pred((46, 55), (56, 63), (34, 44))],
        [(2, 2, 2), (2, 2, 2), (2, 2, 2), (2, 2, 2)],
    ),
    (
        "edge punctuation is not a difference",
        [QUILL],
        [pred((0, 11), (12, 16), (17, 33))],
        [(1, 1, 1), (1, 1, 1), (1, 1, 1), (1, 1, 1)],
    ),
    (
        "partial content overlap",
        [QUILL],
        [pred((0, 11), (12, 16), (23, 32))],
        [(1, 1, 1), (1, 1, 1), (0, 1, 1), (0, 1, 1)],
    ),
    ("wrong source", [QUILL], [pred((46, 55), (12, 16), (17, 32))], [(1, 1, 1), (0, 1, 1), (1, 1, 1), (0, 1, 1)]),
    (
        "source missing on one side only",
        [QUILL],
        [pred(None, (12, 16), (17, 32))],
        [(1, 1, 1), (0, 1, 1), (1, 1, 1), (0, 1, 1)],
    ),
    (
        "source missing on both sides",
        [BELIEVED],
        [pred(None, (75, 89), (65, 73), (91, 96))],
        [(1, 1, 1), (1, 1, 1), (1, 1, 1), (1, 1, 1)],
    ),
    (
        "one of two content pieces",
        [BELIEVED],
        [pred(None, (81, 89), (91, 96))],
        [(1, 1, 1), (1, 1, 1), (0, 1, 1), (0, 1, 1)],
    ),
    ("cue elsewhere", [QUILL], [pred((0, 11), (56, 63), (17, 32))], [(1, 1, 1), (0, 1, 1), (1, 1, 1), (0, 1, 1)]),
    (
        "two predictions on one gold count once",
        [QUILL],
        [pred((0, 11), (12, 16), (17, 25)), pred((0, 11), (12, 16), (25, 32))],
        [(1, 1, 2), (1, 1, 2), (0, 1, 2), (0, 1, 2)],
    ),
    (
        "one prediction over two golds counts once",
        [QUILL, OFFICIALS],
        [pred((0, 11), (12, 16), (17, 44))],
        [(1, 2, 1), (1, 2, 1), (0, 2, 1), (0, 2, 1)],
    ),
    ("nothing predicted", [QUILL], [], [(0, 1, 0), (0, 1, 0), (0, 1, 0), (0, 1, 0)]),
]


@pytest.mark.parametrize(("gold_atts", "predicted", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_score_table(
    gold_atts: list[GoldAttribution], predicted: list[Attribution], expected: list[tuple[int, int, int]]
) -> None:
    scores = score([(TEXT, gold_atts)], [predicted])
    got = [(p.matched, p.gold, p.predicted) for p in scores.by_name().values()]
    assert got == expected


def test_greedy_matching_prefers_the_larger_overlap() -> None:
    # the long prediction overlaps both golds; the better pair (most shared characters) wins,
    # leaving the short prediction for the other gold
    golds = [gold(None, (12, 16), (17, 32)), gold(None, (12, 16), (34, 44))]
    preds = [pred(None, (12, 16), (17, 44)), pred(None, (12, 16), (34, 40))]
    assert score([(TEXT, golds)], [preds]).whole_overlap.matched == 2


def test_speech_recall_counts_only_speech_cues() -> None:
    # QUILL ("said") and OFFICIALS ("claimed") are speech cues; BELIEVED ("it is believed") is not
    scores = score([(TEXT, [QUILL, OFFICIALS, BELIEVED])], [[pred((0, 11), (12, 16), (17, 32))]])
    assert (scores.speech_matched, scores.speech_gold) == (1, 2)
    assert scores.speech_recall == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("cue", "expected"),
    [
        ("said", True),
        ("Says", True),
        ("has told", True),
        ("also added", True),
        ("according to", True),
        ("According to", True),
        ("believes", False),
        ("it is believed", False),
        ("denied", False),
        ("", False),
    ],
)
def test_is_speech_cue(cue: str, expected: bool) -> None:
    assert is_speech_cue(cue) is expected


def test_prf_ratios_and_empty_cases() -> None:
    assert PRF(0, 0, 0).f1 == 0.0
    prf = PRF(3, 4, 6)
    assert (prf.precision, prf.recall) == (0.5, 0.75)
    assert prf.f1 == pytest.approx(0.6)


def test_documents_must_pair_up() -> None:
    with pytest.raises(ValueError, match="pass them in pairs"):
        score([(TEXT, [QUILL])], [])
