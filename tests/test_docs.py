"""Every command teaches: help with examples, every option explained, and a place in the README."""
from pathlib import Path

import click
import pytest

from tocsin.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(app.commands))
def test_command_is_documented(name):
    command = app.commands[name]
    assert command.help and "Example" in command.help, f"tocsin {name} --help has no example"
    undocumented = [p.opts[0] for p in command.params if isinstance(p, click.Option) and not p.help]
    assert not undocumented, f"tocsin {name}: options without help: {undocumented}"
    assert f"tocsin {name}" in README, f"the README does not show tocsin {name}"


def test_readme_gives_the_two_commands():
    assert "make demo" in README and "make test" in README
