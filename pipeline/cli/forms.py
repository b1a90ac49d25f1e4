"""`teamprotocol forms`: every team's Word forms from TEAMS.csv, optionally prefilled."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pipeline import click_nl
from pipeline.cli.common import command, echo_replaced, policy_option
from pipeline.text import plural

if TYPE_CHECKING:  # imported where used: `--help` need not load them
    from pipeline.forms.prefill import Prefill


@command()
@click.argument("teams_csv", metavar="TEAMS.csv",
                type=click_nl.Path(exists=True, dir_okay=False, path_type=Path))
# Not "forms": in a clone of this project that is the example teams' folder, which a real
# organisation's forms must not be mixed into.
@click.option("--out", "out_dir", default="formulieren", show_default=True,
              type=click_nl.Path(file_okay=False, path_type=Path),
              help="Map waarin per team een map met formulieren komt.")
@click.option("--policy", "policy_path", metavar="BELEID.yaml",
              type=click_nl.Path(dir_okay=False, path_type=Path),
              help="Het beleid waarvan de vaste teksten in de formulieren komen "
                   "(standaard: het voorbeeldbeleid).")
@click.option("--force", is_flag=True,
              help="Vervang formulieren die al bestaan; de oude, met hun antwoorden, komen in "
                   "een reservekopie in de map van --out.")
@click.option("--from", "last_dir", metavar="VORIGE_MAP",
              type=click_nl.Path(exists=True, file_okay=False, path_type=Path),
              help="Vul de formulieren in met de antwoorden uit de formulieren van de vorige "
                   "ronde in deze map (status weer concept, versie een stap hoger).")
@click.pass_context
def forms(ctx: click.Context, teams_csv: Path, out_dir: Path, policy_path: Path | None,
          force: bool, last_dir: Path | None) -> None:
    """Maak de Word-formulieren voor elk team uit TEAMS.csv.

    TEAMS.csv heeft de kolommen team_id,team,afdeling,leidinggevende,contactvormen
    (contactvormen gescheiden door ';': balie, huisbezoek, digitaal, bijeenkomsten), en
    mag de kolom vorige_team_id hebben: de team_id van vorige ronde, voor een hernoemd team.
    Per team komt er een map <team_id> met team.docx en één formulier per contactvorm.
    Formulieren die al bestaan blijven staan, want daarin kunnen antwoorden van
    leidinggevenden staan: alleen nieuwe teams en formulieren worden geschreven. Met --force
    worden ze vervangen en komen de oude in een reservekopie.
    Met --from VORIGE_MAP krijgt elk team de antwoorden van vorig jaar, om te controleren.
    """
    from pipeline.forms.run import make_forms

    if last_dir is not None and last_dir.resolve() == out_dir.resolve():
        raise click.UsageError("--out en --from zijn dezelfde map; kies met --out een nieuwe "
                               "map voor de formulieren van deze ronde.", ctx=ctx)
    policy_path = policy_option(policy_path)
    if policy_path is None:
        click.echo("Let op: zonder --policy staan de vaste teksten van het voorbeeldbeleid (de "
                   "verzonnen Gemeente Lindenhoven) in de formulieren. Geef met --policy "
                   "BELEID.yaml het beleid van uw organisatie op.")
    with contextlib.ExitStack() as stack:
        # A count with the time left, on a terminal only: 2,000 teams took minutes and
        # printed nothing until done (issue 26).
        def progress(total: int) -> Callable[[], None]:
            bar = stack.enter_context(click.progressbar(
                length=total, label="Formulieren", file=sys.stderr, show_pos=True,
                show_eta=True, hidden=not sys.stderr.isatty()))
            return lambda: bar.update(1)

        run = make_forms(teams_csv, out_dir, policy_path=policy_path, replace=force,
                         last_dir=last_dir, progress=progress)
    teams, found, done = run.teams, run.found, run.done
    # One line per team only where it asks for attention (forms kept, a new team's empty
    # forms in a new round, answers not taken over); the others are counted in the summary:
    # 2,000 teams printed 2,000 lines (issue 26).
    prefilled = 0
    for team in teams:
        folder = out_dir / team.team_id
        new = [p.name for p in done.written + done.replaced if p.parent == folder]
        kept = [p.name for p in done.skipped if p.parent == folder]
        if found is not None and last_dir is not None:
            _prefill_lines(found, team.team_id, last_dir)
        if new and found is not None and team.team_id in found.new_teams:
            count = plural(len(new), "formulier", "formulieren")
            click.echo(f"{team.team_id}: {count} in {folder} ({', '.join(new)}), lege "
                       "formulieren (geen formulieren in de vorige ronde)")
        elif new and found is not None:
            prefilled += 1
            if team.previous_team_id:  # a renamed team: say whose answers it got
                click.echo(f"{team.team_id}: ingevuld met de antwoorden van de vorige ronde "
                           f"(toen team {team.previous_team_id})")
        if kept:
            click.echo(f"{team.team_id}: bestaat al en is niet overschreven: {', '.join(kept)}")
    if found is not None and last_dir is not None:
        for tid in found.gone:
            click.echo(f"Let op: team {tid} had formulieren in {last_dir / tid}, maar staat niet "
                       "in het teambestand en krijgt geen nieuwe formulieren. Voeg het toe als "
                       "het team nog bestaat.")
    echo_replaced(done)
    n = len(done.written) + len(done.replaced)
    click.echo(f"Klaar: {n} {'formulier' if n == 1 else 'formulieren'} geschreven voor "
               f"{len(teams)} {'team' if len(teams) == 1 else 'teams'} in {out_dir}.")
    if prefilled:
        click.echo(f"{plural(prefilled, 'team', 'teams')} ingevuld met de antwoorden van de "
                   "vorige ronde; laat de teams ze controleren.")
    if done.skipped:
        # Not an invitation to --force: the usual wish behind it, fresh forms for a new
        # round, is a new folder (issue 21: one team lost 29 of 34 answers that way).
        click.echo(f"{len(done.skipped)} bestaande formulieren niet overschreven, want "
                   "daarin kunnen antwoorden staan. Voor een nieuwe ronde: kies met --out een "
                   "nieuwe map, en neem met --from de antwoorden uit deze map over.")
    if found is not None and found.errors:
        ctx.exit(1)


def _prefill_lines(found: Prefill, team_id: str, last_dir: Path) -> None:
    """`forms --from`: what happened to one team's previous answers, in Dutch."""
    for p in found.errors.get(team_id, []):
        click.echo(f"{team_id}: GEEN formulieren geschreven; de formulieren van de vorige ronde "
                   f"konden niet worden gelezen: {p.format()}", err=True)
    for p in found.warnings.get(team_id, []):
        click.echo(f"    Let op: niet overgenomen: {p.format()}")

