"""`tocsin eval`: score coding against a hand-coded gold file."""
from __future__ import annotations

import json
import sys

import click

from ..evaluate import GoldError, load_gold, score
from ..model import Skipped
from .code_cmd import published_option, read_inputs


def register(app: click.Group) -> None:
    @app.command("eval")
    @click.argument("gold", type=click.Path(dir_okay=False))
    @click.argument("articles", nargs=-1, required=True, metavar="ARTICLE...")
    @published_option
    @click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
                  help="text for people, json for programs.")
    @click.option("--min-recall", type=float, default=0.0, help="Exit 1 when recall is below this (0-1).")
    def eval_(gold, articles, published, fmt, min_recall):
        """Score coding of ARTICLE... against GOLD (JSON Lines gold rows).

        \b
        Each gold row is reported as hit, miss, optional-miss, ok or violated,
        with what was coded in that sentence; then recall, forbidden
        violations and the events coded outside the gold.

        \b
        Example:
          tocsin eval --published 2021-12-16 expected.jsonl russia-nato-talks.txt
        """
        try:
            rows = load_gold(gold)
        except (OSError, GoldError) as err:
            raise click.ClickException(f"cannot read gold {gold}: {err}") from None
        skipped: list[Skipped] = []

        def report(item):
            skipped.append(item)
            click.echo(f"tocsin: skipped {item.message()}", err=True)

        from ..coder import code_articles

        events = list(code_articles(read_inputs(articles, published, report)))
        result = score(events, rows)
        if fmt == "json":
            click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        else:
            for row in result.rows:
                click.echo(f"{row['status']:<14} {row['id']}: {'; '.join(row['coded']) or 'no event in sentence'}")
            click.echo(f"outside the gold: {len(result.outside)} events")
            click.echo(
                f"recall {result.hits}/{result.required} = {result.recall:.1%}, {result.optional_hits} optional, "
                f"{result.violations} forbidden violations, {result.events} events"
            )
        failed = result.recall < min_recall or result.violations > 0
        sys.exit(1 if failed or skipped else 0)
