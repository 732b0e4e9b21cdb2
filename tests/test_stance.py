"""Article-level stance: invented claims and texts in, the expected label out; scores; errors."""

from __future__ import annotations

import math
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pytest

from claimledger.errors import EmptyInputError, InputError, ModelError
from claimledger.stance import StanceModel, classify_stance, classify_stances, load_stance_model
from claimledger.stance.headline import CLAIM_WORD, HEADLINE_NAMES, CueWords, headline_cues, masked_terms
from claimledger.stance.model import is_headline, read_model, save_model, score_stances
from claimledger.types import ARTICLE_STANCES

CLAIM = "A giant squid washed up on a beach in Brighton"

SUPPORT = (
    "A giant squid measuring more than nine metres washed up on a beach in Brighton on Tuesday morning. "
    "Marine biologists from the city's aquarium confirmed the animal was a giant squid and said it had "
    "probably died at sea before the tide carried it in. Photographs of the squid on the beach were shared "
    "thousands of times. The council said the carcass would be removed and taken to the Natural History "
    "Museum for study. Beachgoers said the giant squid on the beach in Brighton was the largest they had seen."
)
DENIAL = (
    "Brighton council denied reports that a giant squid had washed up on a beach in the city, saying the "
    "photographs were fake. The viral picture of the giant squid on the beach was a hoax, a spokesman said: "
    "the image had been digitally altered from a 2013 photograph taken in Spain. No squid was found on any "
    "Brighton beach, and marine biologists said the story was false. The council urged people not to share "
    "the fake image of the squid, which had been debunked by fact-checkers."
)
DISCUSSION = (
    "A giant squid may have washed up on a beach in Brighton, according to unconfirmed reports on social media. "
    "Photographs purportedly showing the squid on the beach have been shared widely, but it is not clear where "
    "or when they were taken. The council said it was looking into the claims. Marine biologists said it was "
    "possible that a giant squid could wash up in Brighton, though such sightings were rare, and that the "
    "pictures would need to be checked before anyone could say whether the story was true."
)
UNRELATED = (
    "The central bank raised interest rates by a quarter of a percentage point on Thursday, its third increase "
    "this year, citing stubborn inflation in services and a tight labour market. Markets had expected the move. "
    "The governor said further rises could not be ruled out and that the bank would watch wage growth closely. "
    "Mortgage lenders are expected to pass the increase on to borrowers within weeks."
)


@pytest.fixture(scope="module")
def model() -> StanceModel:
    try:
        return load_stance_model()
    except ModelError as err:  # pragma: no cover - the model file ships with the package
        pytest.fail(str(err))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (SUPPORT, "supports"),
        pytest.param(
            DENIAL,
            "denies",
            marks=pytest.mark.xfail(
                strict=True,
                reason="known weakness (docs/models/stance-fnc1.md): the body head calls debunking articles about "
                "a new claim 'supports'; FNC-1 hold-out denial F1 leans on headlines seen in training",
            ),
        ),
        (DISCUSSION, "observes"),
        (UNRELATED, "unrelated"),
        ("Giant squid washes up on Brighton beach", "supports"),
        ("Brighton giant squid photo is a hoax, council says", "denies"),
        ("Interest rates rise again as inflation bites", "unrelated"),
        ("Giant squid on Brighton beach, council says", "observes"),
        ("Giant squid may have washed up in Brighton", "observes"),
        ("No, a giant squid did not wash up in Brighton", "denies"),
    ],
    ids=[
        "body-support",
        "body-denial",
        "body-discussion",
        "body-unrelated",
        "headline-support",
        "headline-denial",
        "headline-unrelated",
        "headline-attributed",
        "headline-hedged",
        "headline-negated",
    ],
)
def test_classify_stance(model: StanceModel, text: str, expected: str) -> None:
    result = classify_stance(CLAIM, text, model=model)
    assert result.stance == expected, result.scores


@pytest.mark.parametrize("text", [SUPPORT, DENIAL, DISCUSSION, UNRELATED, "Is there a giant squid in Brighton?"])
def test_scores_are_a_distribution(model: StanceModel, text: str) -> None:
    result = classify_stance(CLAIM, text, model=model)
    assert [label for label, _ in result.scores] == list(ARTICLE_STANCES)
    assert math.isclose(sum(p for _, p in result.scores), 1.0, abs_tol=1e-6)
    assert all(0.0 <= p <= 1.0 for _, p in result.scores)
    assert result.stance == max(result.scores, key=lambda s: s[1])[0]
    assert result.score(result.stance) == max(p for _, p in result.scores)


def test_batch_matches_single_calls(model: StanceModel) -> None:
    pairs = [(CLAIM, SUPPORT), (CLAIM, DENIAL), ("Interest rates rose", UNRELATED), (CLAIM, "Squid on beach")]
    batch = classify_stances(pairs, model=model)
    for (claim, text), result in zip(pairs, batch, strict=True):
        single = classify_stance(claim, text, model=model)
        assert single.stance == result.stance
        for (_, a), (_, b) in zip(single.scores, result.scores, strict=True):
            assert math.isclose(a, b, abs_tol=1e-9)
    assert classify_stances([], model=model) == []


def test_default_model_is_loaded_once() -> None:
    assert load_stance_model() is load_stance_model()
    assert classify_stance(CLAIM, SUPPORT).stance == "supports"


@pytest.mark.parametrize(("claim", "text"), [("", SUPPORT), ("   ", SUPPORT), (CLAIM, ""), (CLAIM, "\n\t ")])
def test_empty_input_is_an_error(model: StanceModel, claim: str, text: str) -> None:
    with pytest.raises(EmptyInputError, match="is empty") as caught:
        classify_stance(claim, text, model=model)
    assert isinstance(caught.value, InputError)
    assert caught.value.code == "E103"


def test_text_without_words_is_scored(model: StanceModel) -> None:
    result = classify_stance(CLAIM, "!!! ??? ...", model=model)
    assert result.stance in ARTICLE_STANCES


def test_missing_or_broken_model_file(tmp_path: Path) -> None:
    folder = tmp_path
    with pytest.raises(ModelError, match="not found"):
        read_model(folder / "absent.npz")
    broken = folder / "broken.npz"
    broken.write_bytes(b"not a zip file")
    with pytest.raises(ModelError, match="broken"):
        read_model(broken)


@pytest.mark.parametrize(
    ("text", "headline"),
    [
        ("Giant squid washes up on Brighton beach", True),
        ("Is there a giant squid in Brighton?", True),
        ("A giant squid washed up on a beach in Brighton.", False),  # a one-sentence body
        (SUPPORT, False),
        ("One. Two", False),
    ],
)
def test_headline_routing(text: str, headline: bool) -> None:
    assert is_headline(text) is headline


def test_fnc_score() -> None:
    gold = ["supports", "denies", "observes", "unrelated", "unrelated"]
    perfect = score_stances(gold, gold)
    assert perfect.relative == 1.0
    assert perfect.macro_f1 == 1.0
    # related-vs-unrelated right but wrong related label: 0.25 of 1.0; unrelated called related: 0 of 0.25
    half = score_stances(gold, ["observes", "denies", "observes", "unrelated", "supports"])
    assert math.isclose(half.relative, (0.25 + 1 + 1 + 0.25 + 0) / 3.5)
    assert half.confusion[0][2] == 1
    assert half.f1["unrelated"] == pytest.approx(2 / 3)


# --- the headline head's cues -------------------------------------------------------------------------


def _cues(claim: str, headline: str) -> dict[str, float]:
    row = headline_cues(claim, headline)
    assert len(row) == len(HEADLINE_NAMES)
    return dict(zip(HEADLINE_NAMES, row, strict=True))


@pytest.mark.parametrize(
    ("headline", "expected"),
    [
        ("Giant squid washes up on Brighton beach", {"attribution_prefix": 0, "ends_question": 0, "count_debunk": 0}),
        ("Report: giant squid washed up in Brighton?", {"attribution_prefix": 1, "ends_question": 1}),
        ("Giant squid washed up on Brighton beach, council says", {"attribution_suffix": 1, "count_report": 1}),
        ("Brighton giant squid a hoax", {"count_debunk": 1, "near_debunk": 1, "first_debunk": 4 / 5}),
        ("No, a giant squid did not wash up in Brighton", {"no_comma": 1, "negated_be": 0, "near_negation": 1}),
        ("Giant squid 'washed up' in Brighton, allegedly", {"scare_quote": 1, "count_hedge": 1}),
        ("Interest rates rise again", {"claim_coverage": 0, "first_hedge": -1}),
    ],
)
def test_headline_cues(headline: str, expected: dict[str, float]) -> None:
    cues = _cues(CLAIM, headline)
    for name, value in expected.items():
        assert cues[name] == pytest.approx(value), name


def test_masked_terms_hide_the_claims_words() -> None:
    terms = masked_terms("Squid found in Brighton", "Brighton squid a hoax, says council")
    assert terms[:4] == [CLAIM_WORD, CLAIM_WORD, "a", "hoax"]
    assert f"{CLAIM_WORD} a" in terms
    assert "brighton" not in terms


def test_cue_words_predict_a_distribution(model: StanceModel) -> None:
    assert model.cues is not None
    probs = model.cues.predict_proba([(CLAIM, "Giant squid hoax"), (CLAIM, "Report: squid in Brighton?")])
    assert probs.shape == (2, 3)
    assert np.allclose(probs.sum(axis=1), 1.0)


def test_model_file_without_headline_cues(model: StanceModel, tmp_path: Path) -> None:
    # An older file: the headline booster reads the shared row only, and there is no cue regression.
    body = model.body.model_to_string()
    path = tmp_path / "old.npz"
    save_model(path, model.space, body, body, {"version": "old"})
    old = read_model(path)
    assert old.cues is None
    result = classify_stance(CLAIM, "Giant squid washes up on Brighton beach", model=old)
    assert math.isclose(sum(p for _, p in result.scores), 1.0, abs_tol=1e-6)


def test_headline_booster_of_the_wrong_width_is_broken(model: StanceModel, tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    params = {"objective": "multiclass", "num_class": 4, "verbose": -1, "min_data_in_leaf": 1}
    data = lgb.Dataset(rng.random((40, 3)), label=np.arange(40) % 4, params={"verbose": -1})
    narrow = lgb.train(params, data, num_boost_round=2).model_to_string()
    path = tmp_path / "narrow.npz"
    save_model(path, model.space, model.body.model_to_string(), narrow, {"version": "narrow"})
    with pytest.raises(ModelError, match="broken"):
        read_model(path)


def test_cue_regression_of_the_wrong_shape_is_broken(model: StanceModel, tmp_path: Path) -> None:
    width = len(HEADLINE_NAMES)
    cues = CueWords(
        vocab={"hoax": 0},
        idf=np.ones(1, dtype=np.float32),
        mean=np.zeros(width, dtype=np.float32),
        scale=np.ones(width, dtype=np.float32),
        coef=np.zeros((3, width), dtype=np.float32),  # one column short: the term's
        intercept=np.zeros(3, dtype=np.float32),
    )
    path = tmp_path / "cues.npz"
    body, headline = model.body.model_to_string(), model.headline.model_to_string()
    save_model(path, model.space, body, headline, {"version": "cues"}, cues=cues)
    with pytest.raises(ModelError, match="cue regression"):
        read_model(path)
