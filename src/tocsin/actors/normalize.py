"""Normalising actor phrases so that spelling variants meet in one dictionary key.

``normalize("the U.S.’s")`` == ``normalize("US")`` == ``"us"``;
``normalize("Côte d’Ivoire")`` == ``normalize("cote d'ivoire")``.

Rules, in order: typographic quotes and dashes to ASCII; letters without a Unicode
decomposition folded by hand (ı ł ø đ ß æ œ þ); diacritics dropped (NFKD); "&" → "and";
dots dropped; hyphens, underscores, slashes and runs of spaces → one space; a trailing
possessive ('s, ’s or a lone ') dropped; surrounding punctuation stripped; lower-cased
(unless ``keep_case``); a leading "the " dropped.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u00b4": "'", "`": "'", "\u02bc": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
        "\u00a0": " ", "\u2009": " ", "\u202f": " ",
        "\u0131": "i", "\u0142": "l", "\u0141": "L", "\u00f8": "o", "\u00d8": "O",
        "\u0111": "d", "\u0110": "D", "\u00df": "ss", "\u00e6": "ae", "\u00c6": "AE",
        "\u0153": "oe", "\u0152": "OE", "\u00fe": "th", "\u00de": "Th",
    }
)
_SEPARATORS = re.compile(r"[\s\-_/]+")
_POSSESSIVE = re.compile(r"\s*'s?$", re.IGNORECASE)
_STRIP = " ,;:.!?\"'()[]{}"
_PLAIN = re.compile(r"[A-Za-z0-9]+(?: [A-Za-z0-9]+)*")


def fold(text: str) -> str:
    """ASCII quotes and dashes, diacritics removed; case kept."""
    if text.isascii():  # the common case: of ASCII, only "`" changes (NFKD and combining marks need more)
        return text.replace("`", "'")
    text = unicodedata.normalize("NFKD", text.translate(_TRANSLATE))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


@lru_cache(maxsize=65536)
def normalize(phrase: str, keep_case: bool = False) -> str:
    """The dictionary key of ``phrase`` (see the module docstring)."""
    if _PLAIN.fullmatch(phrase):  # ASCII letters and digits, one space between words: only case and "the " change
        text = phrase if keep_case else phrase.lower()
        return text[4:].lstrip() if text[:4].lower() == "the " else text
    return _normalize_full(phrase, keep_case)


def _normalize_full(phrase: str, keep_case: bool = False) -> str:
    """Every rule of the module docstring, with no shortcut (what `normalize` computes for any phrase)."""
    text = fold(phrase).replace("&", " and ").replace(".", "")
    text = _SEPARATORS.sub(" ", text).strip(_STRIP + " ")
    text = _POSSESSIVE.sub("", text).strip(_STRIP)
    if not keep_case:
        text = text.lower()
    if text[:4].lower() == "the ":
        text = text[4:].lstrip()
    return text


def words(phrase: str) -> list[str]:
    """The normalised, lower-case words of ``phrase`` (the possessive and "the" go too)."""
    key = normalize(phrase)
    return key.split() if key else []
