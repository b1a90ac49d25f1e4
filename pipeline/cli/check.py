"""`teamprotocol check`: what one filled-in form says, is missing or gets wrong."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from pipeline import click_nl
from pipeline.cli.common import command


@command()
@click.argument("form", metavar="FORMULIER.docx",
                type=click_nl.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True,
              help="Druk het resultaat af als JSON (velden, open onderdelen, vaststelling, "
                   "fouten, waarschuwingen).")
@click.option("--policy", "policy_path", metavar="BELEID.yaml",
              type=click_nl.Path(dir_okay=False, path_type=Path),
              help="Het beleid van de organisatie: dan meldt check ook antwoorden die het "
                   "beleid tegenspreken.")
@click.pass_context
def check(ctx: click.Context, form: Path, as_json: bool, policy_path: Path | None) -> None:
    """Controleer één ingevuld formulier: wat is gevonden, wat ontbreekt, wat is fout.

    Check gebruikt dezelfde regels als de bijlage van het protocol (hoofdstuk 7) en als de
    vaststelling in 'teamprotocol build'. Exitcode 0: het formulier is leesbaar (ook als het
    nog niet compleet is); 1: het formulier bevat fouten, kan zo niet worden vastgesteld of
    kan niet worden gelezen; 2: verkeerd gebruik van de opdracht.
    """
    from pipeline import form_check
    from pipeline.errors import FormError
    from pipeline.forms.read import read_form

    try:
        data = read_form(form)
        form_check.check_team_id(data)
    except FormError as e:
        if as_json:
            click.echo(json.dumps(form_check.unreadable_json(e), ensure_ascii=False, indent=2))
        else:
            click.echo(f"Fout: {e.format()}", err=True)
        ctx.exit(1)
    checked = form_check.assess_form(data, policy_path, dt.date.today())
    if as_json:
        click.echo(json.dumps(form_check.as_json(checked), ensure_ascii=False, indent=2))
    else:
        click.echo("\n".join(form_check.report_lines(checked)))
    ctx.exit(1 if data.errors or checked.adoption_errors else 0)
