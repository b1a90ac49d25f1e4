"""The `teamprotocol` command: click commands only, each calling the stages and printing."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pipeline import __version__, click_nl
from pipeline.batch import BuildOptions, build_all, team_folders
from pipeline.catalogue import catalogue_json
from pipeline.errors import Problem, TeamprotocolError, UsageError, os_reason
from pipeline.examples import write_example_forms
from pipeline.models import BuildStatus
from pipeline.pdf.processes import sigterm_exits
from pipeline.text import plural

if TYPE_CHECKING:  # imported where used: `--help` need not load them
    from pipeline.forms.prefill import Prefill

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


@cli.command(context_settings=CONTEXT)
@click.argument("teams_csv", metavar="TEAMS.csv",
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
# Not "forms": in a clone of this project that is the example teams' folder, which a real
# organisation's forms must not be mixed into.
@click.option("--out", "out_dir", default="formulieren", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Map waarin per team een map met formulieren komt.")
@click.option("--policy", "policy_path", metavar="BELEID.yaml",
              type=click.Path(dir_okay=False, path_type=Path),
              help="Het beleid waarvan de vaste teksten in de formulieren komen "
                   "(standaard: het voorbeeldbeleid).")
@click.option("--force", is_flag=True,
              help="Vervang formulieren die al bestaan (ingevulde antwoorden gaan verloren).")
@click.option("--from", "last_dir", metavar="VORIGE_MAP",
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Vul de formulieren in met de antwoorden uit de formulieren van de vorige "
                   "ronde in deze map (status weer concept, versie een stap hoger).")
@click.pass_context
def forms(ctx: click.Context, teams_csv: Path, out_dir: Path, policy_path: Path | None,
          force: bool, last_dir: Path | None) -> None:
    """Maak de Word-formulieren voor elk team uit TEAMS.csv.

    TEAMS.csv heeft de kolommen team_id,team,afdeling,leidinggevende,contactvormen
    (contactvormen gescheiden door ';': balie, huisbezoek, digitaal, bijeenkomsten).
    Per team komt er een map <team_id> met team.docx en één formulier per contactvorm.
    Formulieren die al bestaan blijven staan, want daarin kunnen antwoorden van
    leidinggevenden staan: alleen nieuwe teams en formulieren worden geschreven. Gebruik
    --force alleen als u zeker weet dat er geen antwoorden verloren gaan.
    Met --from VORIGE_MAP krijgt elk team de antwoorden van vorig jaar, om te controleren.
    """
    from pipeline.forms.publish import commit, staging
    from pipeline.forms.teams_csv import read_teams_csv
    from pipeline.forms.write import locked_texts_of, look_of, write_team_forms
    from pipeline.policy import load_policy

    teams = read_teams_csv(teams_csv)
    if last_dir is not None and last_dir.resolve() == out_dir.resolve():
        raise click.UsageError("--out en --from zijn dezelfde map; kies met --out een nieuwe "
                               "map voor de formulieren van deze ronde.", ctx=ctx)
    policy_path = _policy_option(policy_path)
    if policy_path is None:
        click.echo("Let op: zonder --policy staan de vaste teksten van het voorbeeldbeleid (de "
                   "verzonnen Gemeente Lindenhoven) in de formulieren. Geef met --policy "
                   "BELEID.yaml het beleid van uw organisatie op.")
    # The organisation's fixed texts (the norm, the sanction policy) are shown read-only in
    # the forms, so a team lead answers with the norm in front of them.
    policy = load_policy(policy_path)
    locked = locked_texts_of(policy)
    # The forms look like the organisation's protocol: its colour, font and logo.
    look = look_of(policy, policy_path)
    found = None
    if last_dir is not None:
        from pipeline.forms import prefill

        found = prefill.plan(teams, last_dir)
    with staging(out_dir) as stage:
        for team in teams:
            if found is None:
                write_team_forms(team, stage, locked_texts=locked,
                                 terminology=policy.terminology, look=look)
            elif team.team_id not in found.errors:
                write_team_forms(team, stage, found.answers.get(team.team_id), locked,
                                 found.notes.get(team.team_id), terminology=policy.terminology,
                                 look=look)
        done = commit(stage, out_dir, replace=force)
    for team in teams:
        folder = out_dir / team.team_id
        new = [p.name for p in done.written + done.replaced if p.parent == folder]
        kept = [p.name for p in done.skipped if p.parent == folder]
        if found is not None and last_dir is not None:
            _prefill_lines(found, team.team_id, last_dir)
        if new:
            how = "" if found is None else (
                ", lege formulieren (geen formulieren in de vorige ronde)"
                if team.team_id in found.new_teams
                else ", ingevuld met de antwoorden van de vorige ronde")
            count = plural(len(new), "formulier", "formulieren")
            click.echo(f"{team.team_id}: {count} in {folder} ({', '.join(new)}){how}")
        if kept:
            click.echo(f"{team.team_id}: bestaat al en is niet overschreven: {', '.join(kept)}")
    if found is not None and last_dir is not None:
        for tid in found.gone:
            click.echo(f"Let op: team {tid} had formulieren in {last_dir / tid}, maar staat niet "
                       "in het teambestand en krijgt geen nieuwe formulieren. Voeg het toe als "
                       "het team nog bestaat.")
    n = len(done.written) + len(done.replaced)
    click.echo(f"Klaar: {n} {'formulier' if n == 1 else 'formulieren'} geschreven voor "
               f"{len(teams)} {'team' if len(teams) == 1 else 'teams'} in {out_dir}.")
    if done.skipped:
        click.echo(f"{len(done.skipped)} bestaande formulieren niet overschreven, want "
                   "daarin kunnen antwoorden staan; --force vervangt ze.")
    if found is not None and found.errors:
        ctx.exit(1)


def _prefill_lines(found: Prefill, team_id: str, last_dir: Path) -> None:
    """`forms --from`: what happened to one team's previous answers, in Dutch."""
    for p in found.errors.get(team_id, []):
        click.echo(f"{team_id}: GEEN formulieren geschreven; de formulieren van de vorige ronde "
                   f"konden niet worden gelezen: {p.format()}", err=True)
    for p in found.warnings.get(team_id, []):
        click.echo(f"    Let op: niet overgenomen: {p.format()}")


@cli.command(context_settings=CONTEXT)
@click.argument("form", metavar="FORMULIER.docx",
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True,
              help="Druk het resultaat af als JSON (velden, open onderdelen, vaststelling, "
                   "fouten, waarschuwingen).")
@click.option("--policy", "policy_path", metavar="BELEID.yaml",
              type=click.Path(dir_okay=False, path_type=Path),
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


_STATUS_SHOWN = {BuildStatus.BUILT: "gebouwd", BuildStatus.UNCHANGED: "ongewijzigd",
                 BuildStatus.FAILED: "MISLUKT"}
_WARNINGS_SHOWN = 3


EXAMPLE_POLICY = "voorbeeld"  # `--policy voorbeeld`: the embedded example policy, on purpose


def _policy_option(value: Path | None) -> Path | None:
    """`--policy voorbeeld` is the embedded example policy (None for the stages)."""
    return None if value is not None and str(value) == EXAMPLE_POLICY else value


@cli.command(context_settings=CONTEXT)
# exists=True: a forms folder that is not there is a usage error (exit 2), like a bad --jobs.
@click.argument("forms_dir", metavar="[FORMULIERENMAP]", required=False,
                type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--policy", "policy_path", metavar="BELEID.yaml",
              type=click.Path(dir_okay=False, path_type=Path),
              help="Het beleid van de organisatie; verplicht bij een FORMULIERENMAP. "
                   f"'--policy {EXAMPLE_POLICY}' kiest bewust het voorbeeldbeleid.")
@click.option("--out", "out_dir", default="output", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Map voor de protocollen.")
@click.option("--template", metavar="SJABLOON.docx",
              type=click.Path(dir_okay=False, path_type=Path),
              help="Een eigen huisstijlsjabloon in plaats van het standaardsjabloon.")
@click.option("--jobs", default=2, show_default=True, type=click_nl.IntRange(1, 16), metavar="N",
              help="Aantal LibreOffice-processen dat tegelijk PDF's maakt.")
@click.option("--no-pdf", is_flag=True, help="Alleen Word-bestanden maken, geen PDF/A.")
@click.option("--force", is_flag=True, help="Alle teams opnieuw bouwen, ook ongewijzigde.")
@click.pass_context
def build(ctx: click.Context, forms_dir: Path | None, policy_path: Path | None, out_dir: Path,
          template: Path | None, jobs: int, no_pdf: bool, force: bool) -> None:
    """Bouw het protocol van elk team: Word, PDF/A, manifest en overzicht.

    FORMULIERENMAP bevat per team een map met de ingevulde formulieren, zoals
    'teamprotocol forms' die maakt; geef dan ook --policy op. Zonder FORMULIERENMAP bouwt
    het de voorbeeldteams met het voorbeeldbeleid.
    Exitcode 0: alle teams gelukt; 1: een of meer teams mislukt; 2: verkeerd gebruik.
    """
    examples = forms_dir is None
    if forms_dir is not None and policy_path is None:
        # Without it a real organisation's teams were built as the fictitious Gemeente
        # Lindenhoven, with its invented phone numbers, and archived under its name.
        raise click.UsageError(
            "geef met --policy BELEID.yaml het beleid van uw organisatie op. Zonder --policy "
            "zouden de protocollen de teksten en telefoonnummers van de verzonnen Gemeente "
            f"Lindenhoven krijgen; wilt u dat bewust, gebruik dan --policy {EXAMPLE_POLICY}.",
            ctx=ctx)
    policy_path = _policy_option(policy_path)
    with contextlib.ExitStack() as stack:
        if forms_dir is None:
            forms_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(
                prefix="teamprotocol-voorbeeld-")))
            write_example_forms(forms_dir)
            click.echo("Geen formulierenmap opgegeven: de voorbeeldteams worden gebouwd.")
        opts = BuildOptions(forms_dir=forms_dir, out_dir=out_dir, policy_path=policy_path,
                            template=template, jobs=jobs, pdf=not no_pdf, force=force)
        try:
            teams = team_folders(forms_dir, out_dir)
        except TeamprotocolError as e:  # e.g. --out is the forms folder: a usage error
            raise click.UsageError(e.format(), ctx=ctx) from e
        steps = len(teams) * (1 if no_pdf else 2)
        with click.progressbar(length=steps, label="Bouwen", file=sys.stderr,
                               show_pos=True) as bar:
            report = build_all(opts, progress=lambda _team: bar.update(1))
    # The example forms lived in a temporary folder that is gone now: name them by their
    # place inside it ("belastingen/balie.docx"), and say how to get a copy to check.
    def line(problem: Problem) -> str:
        text = problem.format()
        return text.replace(f"{forms_dir}{os.sep}", "") if examples else text

    for p in report.warnings:
        click.echo(f"Let op: {line(p)}")
    for r in report.results:
        click.echo(f"  {r.team_id:<28} {_STATUS_SHOWN[r.status]}")
        for p in r.problems:
            click.echo(f"      {line(p)}")
        # A batch of many teams stays readable: a few remarks per team, then a count
        # (unanswered required questions alone can be a dozen for a new team).
        for p in r.warnings[:_WARNINGS_SHOWN]:
            click.echo(f"      Let op: {line(p)}")
        if len(r.warnings) > _WARNINGS_SHOWN:
            more = len(r.warnings) - _WARNINGS_SHOWN
            click.echo(f"      … en nog {more} {'opmerking' if more == 1 else 'opmerkingen'}; "
                       "'teamprotocol check' op de formulieren van dit team toont ze allemaal.")
    built = sum(r.status == BuildStatus.BUILT for r in report.results)
    same = sum(r.status == BuildStatus.UNCHANGED for r in report.results)
    counted = plural(len(report.results), "team", "teams")
    click.echo(f"{counted}: {built} gebouwd, {same} ongewijzigd, {len(report.failed)} mislukt. "
               f"Overzicht: {report.overview[-1]}")
    if examples:
        click.echo("De voorbeeldformulieren stonden in een tijdelijke map. 'teamprotocol init "
                   "MAP' schrijft er een bewerkbare kopie van, met het voorbeeldbeleid; daarop "
                   "werken 'teamprotocol check' en 'teamprotocol build'.")
    if report.failed:
        ctx.exit(1)


@cli.command(context_settings=CONTEXT)
@click.argument("target", metavar="MAP", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True,
              help="Bestaande bestanden vervangen; de oude komen in een reservekopie.")
def init(target: Path, force: bool) -> None:
    """Schrijf een bewerkbare kopie van het voorbeeldbeleid en de voorbeeldteams naar MAP.

    Daarna: pas MAP/beleid.yaml aan en bouw de voorbeeldteams als proef met
    'teamprotocol build MAP/formulieren --policy MAP/beleid.yaml --out MAP/proefprotocollen'.
    """
    from pipeline.examples import write_example_setup
    from pipeline.forms.publish import commit, existing, staging

    with staging(target) as stage:
        policy_file, forms_dir = write_example_setup(stage)
        replaced = existing(stage, target)
        if replaced and not force:
            shown = ", ".join(str(p) for p in replaced[:3])
            more = f" en nog {len(replaced) - 3}" if len(replaced) > 3 else ""
            raise UsageError(
                f"de map bevat al {plural(len(replaced), 'bestand', 'bestanden')} die init zou "
                "vervangen: "
                f"{shown}{more}", file=target,
                hint="Kies een lege map, of gebruik --force: de bestaande bestanden komen dan "
                     "in een reservekopie")
        backup = target / f"reservekopie-{dt.datetime.now():%Y%m%d-%H%M%S}"
        done = commit(stage, target, replace=True, backup=backup)
    policy_file, forms_dir = target / policy_file.name, target / forms_dir.name
    if done.replaced:
        click.echo(f"Vervangen ({len(done.replaced)}), de oude versies staan in {backup}:")
        for p in done.replaced:
            click.echo(f"  {p}")
    count = sum(1 for p in done.written + done.replaced if p.suffix == ".docx")
    click.echo(f"Geschreven: {policy_file} en {count} formulieren in {forms_dir}.")
    click.echo(f"Proef bouwen: teamprotocol build {forms_dir} --policy {policy_file} "
               f"--out {target / 'proefprotocollen'}")


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
