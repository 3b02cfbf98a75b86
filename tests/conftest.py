"""Shared fixtures: the shared/ folder, the real spaCy pipeline, hand-built parses."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("TOCSIN_SHARED", ROOT.parent / "shared"))


def shared_path(*parts: str) -> Path:
    """A path under ../shared; the test is skipped when that material is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared material not found: {path}")
    return path


@pytest.fixture(scope="session")
def shared():
    return shared_path


@pytest.fixture(scope="session")
def nlp():
    from tocsin.nlp import load

    return load("sm")


@pytest.fixture(scope="session")
def parse(nlp):
    """parse("text") -> the first sentence (a spaCy Span) of the real parse."""

    def _parse(text: str):
        return next(iter(nlp(text).sents))

    return _parse


@pytest.fixture
def build():
    """build(words, heads, deps, pos, lemmas=None, tags=None) -> a hand-built Doc (no model)."""
    import spacy
    from spacy.tokens import Doc

    vocab = spacy.blank("en").vocab

    def _build(words, heads, deps, pos, lemmas=None, tags=None):
        return Doc(vocab, words=words, heads=heads, deps=deps, pos=pos,
                   lemmas=lemmas or [w.lower() for w in words], tags=tags)

    return _build


@pytest.fixture(scope="session")
def code():
    """code(text, published=None) -> events, through the real pipeline."""
    from tocsin import code_text

    return code_text
