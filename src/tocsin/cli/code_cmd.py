"""`tocsin code` and `tocsin demo`: articles in, events out."""
from __future__ import annotations

import datetime as dt
import sys
from importlib import resources

import click

from ..ingest.plain import one_line, parse_date, read_path, unique_ids
from ..ingest.sources import guarded
from ..model import Article, Skipped
from ..nlp import MODELS, ModelNotInstalled
from ..output import FORMATS, EventWriter


def published_option(f):
    def check(ctx, param, value):
        try:
            return parse_date(value)
        except ValueError as err:
            raise click.BadParameter(str(err)) from None

    return click.option("--published", metavar="YYYY-MM-DD", callback=check,
                        help="Publication date for inputs that have none (relative dates count from it).")(f)


def actors_option(f):
    """--actors FILE.yaml: user overrides for people, organisations and aliases."""

    def load(ctx, param, value):
        from ..actors.dictionary import ActorDictionary

        try:
            return ActorDictionary.load(extra=value) if value else None
        except (OSError, ValueError) as err:
            raise click.BadParameter(str(err)) from None

    return click.option("--actors", "dictionary", metavar="FILE.yaml", callback=load,
                        type=click.Path(dir_okay=False),
                        help="Extra or replacement people, organisations and aliases (see README).")(f)


def read_inputs(names, published, report) -> list[Article]:
    """Read every input; report each Skipped on stderr; return the articles."""
    articles = []
    items = (item for name in names for item in guarded(name, lambda n: read_path(n, published)))
    for item in unique_ids(items):
        if isinstance(item, Skipped):
            report(item)
        else:
            articles.append(item)
    return articles


def run_coding(names, published, fmt, explain, model, out=None, dictionary=None, statements=False,
               learned=False) -> int:
    skipped: list[Skipped] = []

    def report(item: Skipped) -> None:
        skipped.append(item)
        click.echo(f"tocsin: skipped {one_line(item.message())}", err=True)

    learned_pass = None
    if learned:  # load before reading anything: a missing extra is one line, not a traceback
        from ..learned import LearnedUnavailable
        from ..learned.postpass import LearnedPass

        try:
            learned_pass = LearnedPass.load()
        except LearnedUnavailable as err:
            raise click.ClickException(str(err)) from None
    out = out or sys.stdout
    if fmt is None:
        fmt = "table" if out.isatty() else "jsonl"
    articles = read_inputs(names, published, report)
    writer = EventWriter(out, fmt, explain)

    def on_error(article: Article, err: Exception) -> None:
        report(Skipped(article.origin or article.id, f"could not be coded ({type(err).__name__}: {err})"))

    from ..coder import code_articles

    try:
        events = code_articles(articles, model, dictionary=dictionary, on_error=on_error, statements=statements)
        writer.write(learned_pass(events) if learned_pass else events)
    except ModelNotInstalled as err:
        raise click.ClickException(str(err)) from None
    writer.close()
    coded = len(articles) - sum(1 for s in skipped if "could not be coded" in s.reason)
    click.echo(
        f"tocsin: {coded} article{'s' if coded != 1 else ''} coded, {writer.count} events"
        + (f", {len(skipped)} input{'s' if len(skipped) != 1 else ''} skipped" if skipped else ""),
        err=True,
    )
    return 1 if skipped else 0


def register(app: click.Group) -> None:
    @app.command("code")
    @click.argument("inputs", nargs=-1, required=True, metavar="FILE...")
    @published_option
    @click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
                  help="Output format [default: table on a terminal, jsonl otherwise].")
    @click.option("--explain", is_flag=True, help="Show the parse path, lexicon rule and modality cue of each event.")
    @actors_option
    @click.option("--statements", is_flag=True,
                  help="Also code bare public statements ('X said', CAMEO 01x), which PLOVER does not count as events.")
    @click.option("--model", type=click.Choice(sorted(MODELS)), default="sm", show_default=True,
                  help="spaCy pipeline: sm (fast) or md (en_core_web_md, slightly more accurate); "
                       "*-no-ner: without spaCy's NER, ~1.7x faster, fewer dates and places.")
    @click.option("--learned", is_flag=True,
                  help="Optional learned pass (pip install 'tocsin[learned]'): a sentence classifier lowers the "
                       "confidence of events whose QuadClass it confidently rejects (--explain says so). "
                       "Never adds or drops an event.")
    def code(inputs, published, fmt, explain, dictionary, statements, model, learned):
        """Code articles into events.

        \b
        FILE is a plain-text article (first non-empty line = title), a JSON Lines
        file (.jsonl, one article a line: id, title, text, url?, outlet?, published?)
        or - for stdin. Bad inputs are reported on stderr, one line each, and the
        rest is still coded; the exit code is 1 when anything was skipped.

        \b
        Read: UTF-8 (BOM or not) and UTF-16 with a BOM; other encodings (Latin-1,
        Windows-1252) are reported, not guessed: convert with iconv -t utf-8.
        Skipped with the reason: binary data, FIFOs and devices, articles not in
        English, a text file over 8 MB or an article over 2,000,000 characters,
        a JSON line over 8 MB, 1,000 words without a full stop, and an id given
        again with a different text (the first is kept). The caps are constants
        in tocsin/ingest/plain.py.

        \b
        Examples:
          tocsin code --published 2021-12-16 article.txt
          tocsin code --format jsonl --explain articles.jsonl > events.jsonl
          cat article.txt | tocsin code --format csv -
        """
        sys.exit(run_coding(inputs, published, fmt, explain, model, dictionary=dictionary, statements=statements,
                            learned=learned))

    @app.command("demo")
    @click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                  help="Output format.")
    @click.option("--explain", is_flag=True, help="Show why each event was coded.")
    def demo(fmt, explain):
        """Code the bundled sample article (Russia and NATO, 16 December 2021).

        \b
        Example:
          tocsin demo --explain
        """
        sample = resources.files("tocsin").joinpath("data/samples/russia-nato-talks.txt")
        with resources.as_file(sample) as path:
            sys.exit(run_coding([str(path)], dt.date(2021, 12, 16), fmt, explain, "sm"))
