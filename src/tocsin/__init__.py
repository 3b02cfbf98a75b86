"""tocsin: news in, political event data out (PLOVER/CAMEO), with the evidence.

    >>> import tocsin
    >>> events = tocsin.code_text(open("article.txt").read(), published="2021-12-16")

`code_articles` codes a stream of `Article`s; every face (CLI, API, ingest)
goes through it.
"""
from .model import Actor, Article, Event, Place, Skipped
from .store import Store

__version__ = "0.1.0"


def code_text(text, published=None, model="sm", statements=False, placed_only=True):
    """Code one article's text; returns a list of Event."""
    from .coder import code_text as _code_text

    return _code_text(text, published, model, statements, placed_only)


def code_articles(articles, model="sm", dictionary=None, on_error=None, statements=False, placed_only=True):
    """Code a stream of Article objects; yields Event."""
    from .coder import code_articles as _code_articles

    return _code_articles(articles, model, dictionary, on_error, statements, placed_only)


__all__ = ["Actor", "Article", "Event", "Place", "Skipped", "Store", "code_text", "code_articles", "__version__"]
