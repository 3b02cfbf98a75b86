"""The extractor's cue tables (speech verbs, modality cues, intent codes), loaded once.

The words live in `extract/data/cues.tsv` and `extract/data/modal_codes.tsv`.
"""
from __future__ import annotations

from functools import cache
from importlib import resources


def _rows(name: str):
    text = resources.files("tocsin.extract").joinpath(f"data/{name}").read_text("utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


@cache
def cues() -> dict[str, dict[str, str]]:
    """kind -> {word: value} for speech, governor, modal, mark, adverb, nominal."""
    table: dict[str, dict[str, str]] = {}
    for kind, word, value, *_ in _rows("cues.tsv"):
        table.setdefault(kind, {}).setdefault(word, value)
    return table


@cache
def modal_codes() -> dict[tuple[str, str], str]:
    """(modality, CAMEO root of the act) -> the code CAMEO gives the intent, refusal or demand."""
    return {(modality, root): code for modality, root, code, *_ in _rows("modal_codes.tsv")}


def is_speech(lemma: str) -> bool:
    return lemma in cues()["speech"]
