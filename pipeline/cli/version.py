"""`teamprotocol versie`: after a policy change, every adopted team's forms a version higher."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline import click_nl
from pipeline.cli.common import command, echo_replaced, policy_option
from pipeline.text import plural


@command(name="versie")
@click.argument("forms_dir", metavar="FORMULIERENMAP",
                type=click_nl.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("team_ids", metavar="[TEAM]...", nargs=-1)
@click.option("--alle", "all_teams", is_flag=True,
              help="Elk vastgesteld team in FORMULIERENMAP.")
@click.option("--policy", "policy_path", metavar="BELEID.yaml",
              type=click_nl.Path(dir_okay=False, path_type=Path),
              help="Het (nieuwe) beleid waarvan de vaste teksten in de formulieren komen "
                   "(standaard: het voorbeeldbeleid).")
@click.pass_context
def version(ctx: click.Context, forms_dir: Path, team_ids: tuple[str, ...], all_teams: bool,
            policy_path: Path | None) -> None:
    """Verhoog na een wijziging van het beleid de versie van vastgestelde teams.

    Een vastgesteld protocol verandert mee met het beleid, en een vastgestelde versie mag
    niet veranderen. Voor elk vastgesteld team (--alle, of de genoemde teams) worden de
    formulieren opnieuw geschreven met dezelfde antwoorden: de versie een stap hoger
    (1.0 wordt 1.1), de status weer concept, de vaststelling leeg. De oude formulieren komen
    in een reservekopie in FORMULIERENMAP. Teams in concept blijven zoals ze zijn.
    """
    from pipeline.forms.prefill import raise_versions
    from pipeline.forms.publish import commit, staging
    from pipeline.forms.write import locked_texts_of, look_of, write_team_forms
    from pipeline.policy import load_policy

    if all_teams == bool(team_ids):
        raise click.UsageError("Geef --alle of de teams (hun map in FORMULIERENMAP), niet "
                               "allebei en niet geen van beide.", ctx=ctx)
    missing = [t for t in team_ids if not (forms_dir / t).is_dir()]
    if missing:
        raise click.UsageError(f"{forms_dir} heeft geen map voor team {', '.join(missing)}; "
                               "noem een team bij de naam van zijn map.", ctx=ctx)
    policy_path = policy_option(policy_path)
    policy = load_policy(policy_path)
    found = raise_versions(forms_dir, list(team_ids) if team_ids else None)
    with staging(forms_dir) as stage:
        for team in found.teams:
            write_team_forms(team, stage, found.answers[team.team_id], locked_texts_of(policy),
                             found.notes[team.team_id], terminology=policy.terminology,
                             look=look_of(policy, policy_path))
        done = commit(stage, forms_dir, replace=True)
    for team in found.teams:
        old, new = found.versions[team.team_id]
        click.echo(f"{team.team_id}: versie {old} wordt {new}, status concept")
        for p in found.warnings.get(team.team_id, []):
            click.echo(f"    Let op: {p.format()}")
    for team_id, problems in found.errors.items():
        for p in problems:
            click.echo(f"{team_id}: NIET verhoogd: {p.format()}", err=True)
    echo_replaced(done)
    if found.not_adopted:
        click.echo(f"Niet vastgesteld, dus ongewijzigd: "
                   f"{plural(len(found.not_adopted), 'team', 'teams')} "
                   f"({', '.join(found.not_adopted[:5])}"
                   f"{' …' if len(found.not_adopted) > 5 else ''}).")
    click.echo(f"Klaar: {plural(len(found.teams), 'team', 'teams')} een versie hoger in "
               f"{forms_dir}. Laat elk team de nieuwe versie bespreken en vaststellen.")
    if found.errors:
        ctx.exit(1)
