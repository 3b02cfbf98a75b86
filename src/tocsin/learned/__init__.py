"""Optional learned pass: a sentence encoder and a QuadClass head that act only where rules cannot decide.

Install with `pip install 'tocsin[learned]'` (torch CPU + all-MiniLM-L6-v2). The rule coder
stays the default; `tocsin code --learned` runs `LearnedPass` over its events.

    encoder.py   the sentence encoder (lazy import, batch encoding, one-line error when missing)
    head.py      multinomial logistic regression over the 384-d embeddings, in NumPy
    combine.py   the post-processing pass over events (re-rank, demote or drop; never creates)
    cache.py     an on-disk embedding cache for benchmarks and training (not used by the CLI)
"""
from __future__ import annotations

from .encoder import INSTALL_HINT, Encoder, LearnedUnavailable
from .head import QuadHead, default_head_path

__all__ = ["INSTALL_HINT", "Encoder", "LearnedUnavailable", "QuadHead", "default_head_path"]
