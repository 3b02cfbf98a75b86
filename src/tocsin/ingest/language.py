"""Is an article English? A cheap guess from scripts and function words.

tocsin's lexicon, actor dictionary and spaCy pipeline are English only: an
article in another language would be coded into noise, so the readers skip
it with the reason (`plain.make_article`). No model is needed:

  * a text mostly written in another script (Cyrillic, Arabic, Chinese, ...)
    is that script's language;
  * a text in Latin letters is scored by the share of its words that are
    among the most frequent function words of English, German, French,
    Spanish, Italian, Portuguese, Dutch, Swedish and Polish. Another language
    wins only when it scores at least OTHER_MIN, at least RATIO times the
    English score and MIN_HITS words, so an English article full of foreign
    names stays English.

Short texts (fewer than MIN_WORDS words: headlines, teasers) are not judged:
`guess` returns None and the article is read. Only the first SAMPLE_CHARS
characters are looked at.
"""
from __future__ import annotations

import re
import unicodedata

MIN_WORDS = 12  # fewer words than this: too short to tell, the article is read
SAMPLE_CHARS = 20_000  # characters of the article looked at
OTHER_MIN = 0.15  # share of function words another language needs to win
RATIO = 2.0  # ... and how many times the English share it must be
MIN_HITS = 5  # ... and how many of its function words it needs at least

NAMES = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "pt": "Portuguese",
    "nl": "Dutch", "sv": "Swedish", "pl": "Polish", "ru": "Russian", "uk": "Ukrainian", "el": "Greek",
    "ar": "Arabic", "fa": "Persian", "he": "Hebrew", "zh": "Chinese", "ja": "Japanese", "ko": "Korean",
    "hi": "Hindi", "th": "Thai", "ka": "Georgian", "hy": "Armenian",
}

_FUNCTION_WORDS = {  # words common in English news too (an, is, no, over, was, war, ...) are left out of the others
    "en": "the of and to in a is that for it as was with be by on not he i this are or his from at which but "
          "have an they you were her she there been has their one we its would who will had also more than "
          "when into after said could them these about other over our any because while against",
    "de": "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es werden "
          "aus er hat dass sie nach wird bei einer um sind noch wie einem über einen zum haben nur "
          "oder aber vor zur bis mehr durch sein wurde sei ich",
    "fr": "le de la et les des en un du une que est pour qui dans par plus pas au sur ne se ce il sont avec "
          "cette aux elle son ont été ses mais comme ou leur nous sa tout aussi même entre deux lors dont",
    "es": "de la que el en y los del se las por un para con una su al es lo como más pero sus le ya o "
          "fue este ha sí porque esta son entre cuando muy sin sobre también hasta hay donde desde todo",
    "it": "di e il la che in a per un del è non una le da con sono della si al dei nel lo alla gli ha "
          "più ma delle anche se nella questo ci sul essere dal degli hanno tra stato dopo",
    "pt": "de a o que e do da em um para é com não uma os se na por mais dos como mas foi ao ele das "
          "tem à seu sua ou ser quando muito há nos já está também só pelo pela até isso entre",
    "nl": "de van het een en in dat op te zijn voor niet aan er om ook als bij maar door dan nog "
          "wordt naar heeft uit worden deze kan hij werd tot zou meer geen wel",
    "sv": "och att det som en på är av för med den har de inte om ett han var jag sig från vi så "
          "kan när år säger hon också efter eller nu där vid mot ska skulle",
    "pl": "w na z że się nie jest o jak po co ale tak za od przez dla jego już tym czy są jako może "
          "także przy być został która które było ich oraz tylko",
}
WORDS = {lang: frozenset(words.split()) for lang, words in _FUNCTION_WORDS.items()}
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")

# (first, last code point, language) of the scripts told apart; Latin is everything else alphabetic
_SCRIPTS = (
    (0x0370, 0x03FF, "el"), (0x0400, 0x052F, "ru"), (0x0530, 0x058F, "hy"), (0x0590, 0x05FF, "he"),
    (0x0600, 0x06FF, "ar"), (0x0750, 0x077F, "ar"), (0x0900, 0x097F, "hi"), (0x0E00, 0x0E7F, "th"),
    (0x10A0, 0x10FF, "ka"), (0x3040, 0x30FF, "ja"), (0x3400, 0x4DBF, "zh"), (0x4E00, 0x9FFF, "zh"),
    (0xAC00, 0xD7AF, "ko"), (0x1100, 0x11FF, "ko"),
)


def _script(char: str) -> str | None:
    code = ord(char)
    for first, last, lang in _SCRIPTS:
        if first <= code <= last:
            return lang
    return None


def _by_script(sample: str) -> str | None:
    """The language of the script most letters are written in, when that is not Latin."""
    counts: dict[str | None, int] = {}
    letters = 0
    for char in sample:
        if char.isalpha():
            letters += 1
            lang = _script(char)
            counts[lang] = counts.get(lang, 0) + 1
    if letters < MIN_WORDS * 3:
        return None
    lang, count = max(counts.items(), key=lambda kv: kv[1])
    if lang is None or count < letters / 2:
        return None
    if lang == "ja" or (lang == "zh" and counts.get("ja", 0) > letters / 20):
        return "ja"  # kana among the ideographs
    if lang == "ru" and any(c in sample for c in "іїєґІЇЄҐ"):
        return "uk"
    if lang == "ar" and any(c in sample for c in "پچژگ"):
        return "fa"
    return lang


def scores(text: str) -> dict[str, float]:
    """The share of the words of `text` that are function words of each language."""
    words = _WORD.findall(text.lower())
    if not words:
        return {lang: 0.0 for lang in WORDS}
    return {lang: sum(1 for w in words if w in vocab) / len(words) for lang, vocab in WORDS.items()}


def guess(text: str) -> str | None:
    """A language code ("en", "de", "ru", ...), or None when the text is too short or unclear to tell."""
    sample = unicodedata.normalize("NFC", text[:SAMPLE_CHARS])
    by_script = _by_script(sample)
    if by_script is not None:
        return by_script
    words = len(_WORD.findall(sample))
    if words < MIN_WORDS:
        return None
    score = scores(sample)
    english = score.pop("en")
    other, best = max(score.items(), key=lambda kv: kv[1])
    if best >= OTHER_MIN and best >= RATIO * english and best * words >= MIN_HITS:
        return other
    return "en" if english > 0 else None


def name(code: str | None) -> str:
    return NAMES.get(code or "", code or "unknown")
