"""The `teamprotocol` command: click commands only, each calling the stages and printing."""

from __future__ import annotations

import json
import sys

import click

from pipeline import __version__, click_nl
from pipeline.catalogue import catalogue_json
from pipeline.errors import TeamprotocolError

click_nl.install()

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(cls=click_nl.Group, context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="teamprotocol",
                      message="%(prog)s %(version)s", help="Toon het versienummer en stop.")
def cli() -> None:
    """Teamprotocollen voor veilige publieke dienstverlening.

    Van ingevulde Word-formulieren per team naar een protocol in huisstijl (Word en PDF/A),
    met een bijlage die laat zien wat geregeld is en wat nog niet.
    """


@cli.command(context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="Druk de catalogus af als JSON.")
def catalogue(as_json: bool) -> None:
    """Toon de veldencatalogus: checklist en alle velden van alle formulieren."""
    data = catalogue_json()
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"Schemaversie {data['schema_version']}")
    for form in data["forms"]:
        click.echo(f"\n{form['title']} ({form['kind']})")
        for f in form["fields"]:
            verplicht = "verplicht" if f["required"] else ""
            items = " ".join(f["checklist"])
            click.echo(f"  {f['tag']:<34} {f['type']:<9} {f['merge']:<7} {verplicht:<9} {items}")


def main() -> None:
    """Console entry point: a Dutch line and an exit code for every known problem."""
    try:
        # Without standalone mode click returns the exit code of `ctx.exit(n)` instead of exiting.
        rc = cli.main(standalone_mode=False)
    except TeamprotocolError as e:
        click.echo(f"Fout: {e.format()}", err=True)
        sys.exit(1)
    except click.exceptions.Abort:
        click.echo("Afgebroken.", err=True)
        sys.exit(130)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    sys.exit(rc if isinstance(rc, int) else 0)
