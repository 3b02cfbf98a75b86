"""An on-disk embedding cache (benchmarks and training encode each sentence once).

Keyed by the SHA-1 of the sentence; one .npz per encoder under the temp folder
(default /tmp/tocsin-embeddings-<model>.npz). Not used by `tocsin code`.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np


def default_cache_path(model_name: str) -> Path:
    return Path(tempfile.gettempdir()) / f"tocsin-embeddings-{model_name}.npz"


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def cached_encode(texts: Sequence[str], encoder, path: str | Path | None = None) -> np.ndarray:
    """Embeddings of `texts` (n, dim), encoding only the sentences the cache lacks."""
    path = Path(path) if path else default_cache_path(encoder.name)
    store: dict[str, np.ndarray] = {}
    if path.exists():
        with np.load(path, allow_pickle=False) as data:
            store = dict(zip(data["keys"].tolist(), data["vectors"]))
    keys = [_key(t) for t in texts]
    todo = {k: t for k, t in zip(keys, texts) if k not in store}
    if todo:
        vectors = encoder.encode(list(todo.values()))
        store.update(zip(todo.keys(), vectors))
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npz")
        os.close(fd)
        np.savez(tmp, keys=np.array(list(store)), vectors=np.stack(list(store.values())).astype(np.float32))
        os.replace(tmp, path)
    if not keys:
        return np.zeros((0, encoder.dim), dtype=np.float32)
    return np.stack([store[k] for k in keys]).astype(np.float32)
