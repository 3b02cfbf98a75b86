"""The command line: `tocsin COMMAND`. Each command lives in its own module here."""
from __future__ import annotations

import importlib

import click

from .. import __version__

COMMAND_MODULES = ("code_cmd", "eval_cmd")
OPTIONAL_MODULES = ("store_cmd", "actors_cmd", "analysis_cmd", "serve_cmd")


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="tocsin")
def app():
    """tocsin turns news into political event data: who did what to whom, when and where.

    \b
    Quick start:
      tocsin demo                                   code the bundled sample article
      tocsin code --published 2021-12-16 article.txt
      tocsin code --format jsonl dump.jsonl > events.jsonl
      tocsin eval gold.jsonl article.txt            score coding against a hand coding

    Every event carries its evidence: the sentence, its character span, the
    rule that coded it, and a modality (asserted, said, intended, possible,
    negated, denied, alleged, demanded, ...). Run `tocsin COMMAND --help` for more.
    """


for _name in COMMAND_MODULES:
    importlib.import_module(f"{__name__}.{_name}").register(app)
for _name in OPTIONAL_MODULES:
    try:
        _module = importlib.import_module(f"{__name__}.{_name}")
    except ModuleNotFoundError as _err:
        if _err.name != f"{__name__}.{_name}":
            raise
    else:
        _module.register(app)
