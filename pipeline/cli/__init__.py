"""The `teamprotocol` command: one module per command (click only, each calling the stages
and printing), joined here into one group with one entry point."""

from __future__ import annotations

import sys

import click

from pipeline import __version__, click_nl
from pipeline.cli.build import build
from pipeline.cli.catalogue import catalogue
from pipeline.cli.check import check
from pipeline.cli.common import CONTEXT
from pipeline.cli.forms import forms
from pipeline.cli.init import init
from pipeline.errors import TeamprotocolError, os_reason
from pipeline.pdf.processes import sigterm_exits


@click.group(cls=click_nl.Group, context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="teamprotocol",
                      message="%(prog)s %(version)s", help="Toon het versienummer en stop.")
def cli() -> None:
    """Teamprotocollen voor veilige publieke dienstverlening.

    Van ingevulde Word-formulieren per team naar een protocol in huisstijl (Word en PDF/A),
    met een bijlage die laat zien wat geregeld is en wat nog niet.
    """



for command in (build, catalogue, check, forms, init):
    cli.add_command(command)


def main() -> None:
    """Console entry point: a Dutch line and an exit code for every known problem."""
    try:
        # Without standalone mode click returns the exit code of `ctx.exit(n)` instead of exiting.
        # SIGTERM ends the run as SystemExit, so LibreOffice is closed on the way out.
        with sigterm_exits():
            rc = cli.main(standalone_mode=False)
    except TeamprotocolError as e:
        click.echo(f"Fout: {e.format()}", err=True)
        sys.exit(1)
    except OSError as e:  # a path the stages did not expect to fail: still one Dutch line
        where = f"{e.filename} — " if e.filename else ""
        click.echo(f"Fout: {where}kon niet worden gelezen of geschreven ({os_reason(e)}). "
                   "Controleer het pad en de rechten, en probeer het opnieuw.", err=True)
        sys.exit(1)
    except click.exceptions.Abort:
        click.echo("Afgebroken.", err=True)
        sys.exit(130)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    sys.exit(rc if isinstance(rc, int) else 0)
