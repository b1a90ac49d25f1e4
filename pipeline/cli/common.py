"""What the commands share: click's settings, the decorator that makes a subcommand, and the
`--policy voorbeeld` rule."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pipeline import click_nl

if TYPE_CHECKING:
    from pipeline.forms.publish import Published

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

EXAMPLE_POLICY = "voorbeeld"  # `--policy voorbeeld`: the embedded example policy, on purpose


def command(name: str | None = None) -> Callable[[Callable[..., Any]], click.Command]:
    """Every subcommand's decorator: `-h`, the help width, and a Dutch usage line."""
    return click.command(name, cls=click_nl.Command, context_settings=CONTEXT)


def policy_option(value: Path | None) -> Path | None:
    """`--policy voorbeeld` is the embedded example policy (None for the stages)."""
    return None if value is not None and str(value) == EXAMPLE_POLICY else value


def echo_replaced(done: Published) -> None:
    """`init --force` and `forms --force`: every file replaced, and where the old one is."""
    if done.replaced:
        click.echo(f"Vervangen ({len(done.replaced)}), de oude versies staan in {done.backup}:")
        for p in done.replaced:
            click.echo(f"  {p}")
