"""`tocsin actors`: every actor mention of an article, what it resolved to, and why."""
from __future__ import annotations

import json
import sys

import click

from .code_cmd import actors_option, published_option, read_inputs


def mentions(articles, dictionary):
    """(article, sentence_index, Actor) for each resolved mention, in reading order."""
    from ..actors.resolver import ArticleActors
    from ..extract.cues import is_speech
    from ..nlp import parse_articles, sentences

    for article, paragraphs in parse_articles(articles):
        memory = ArticleActors(dictionary, on=article.published)
        for index, offset, sent in sentences(paragraphs):
            memory.start_sentence(index)
            for actor in memory.read_sentence(sent, offset, is_speech):
                yield article, index, actor


def register(app: click.Group) -> None:
    @app.command("actors")
    @click.argument("inputs", nargs=-1, required=True, metavar="FILE...")
    @published_option
    @actors_option
    @click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default=None,
                  help="Output format [default: table on a terminal, jsonl otherwise].")
    def actors(inputs, published, dictionary, fmt):
        """List the actor mentions of articles and how each was resolved.

        \b
        Each mention shows its text, sentence, character offsets, country,
        sector, canonical name, role, and the rule or dictionary row that
        resolved it ("seats.tsv:Kremlin", "pronoun:he->Sullivan",
        "description:the country->Russia", "surname:Dmitry Peskov").

        \b
        Examples:
          tocsin actors --published 2021-12-16 article.txt
          tocsin actors --format jsonl --actors my-people.yaml article.txt
        """
        skipped = []

        def report(item):
            skipped.append(item)
            click.echo(f"tocsin: skipped {item.message()}", err=True)

        articles = read_inputs(inputs, published, report)
        fmt = fmt or ("table" if sys.stdout.isatty() else "jsonl")
        rows = []
        for article, index, actor in mentions(articles, dictionary):
            row = {"article_id": article.id, "text": actor.text, "sentence_index": index, "start": actor.start,
                   "end": actor.end, "country": actor.country, "sector": actor.sector, "name": actor.name,
                   "role": actor.role, "rule": actor.rule}
            if fmt == "jsonl":
                click.echo(json.dumps(row, ensure_ascii=False))
            else:
                rows.append(row)
        if fmt == "table":
            from rich.console import Console
            from rich.markup import escape
            from rich.table import Table

            table = Table(title=f"{len(rows)} actor mentions", title_justify="left")
            for col in ("sent", "mention", "country", "sector", "name", "role", "rule"):
                table.add_column(col, overflow="fold")
            for r in rows:
                table.add_row(str(r["sentence_index"]), *(escape(str(r[k] or "-")) for k in
                                                          ("text", "country", "sector", "name", "role", "rule")))
            Console(width=160).print(table)
        sys.exit(1 if skipped else 0)
