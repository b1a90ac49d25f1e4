"""`teamprotocol catalogue`: the field catalogue, as a table or as JSON."""

from __future__ import annotations

import json

import click

from pipeline.catalogue import catalogue_json
from pipeline.cli.common import command


@command()
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
            required = "verplicht" if f["required"] else ""
            items = " ".join(f["checklist"])
            click.echo(f"  {f['tag']:<34} {f['type']:<9} {f['merge']:<7} {required:<9} {items}")

