"""`teamprotocol build`: every team's protocol, and what happened to each, in Dutch."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

import click

from pipeline import click_nl
from pipeline.batch import BuildOptions, build_all, team_folders
from pipeline.cli.common import EXAMPLE_POLICY, command, policy_option
from pipeline.errors import Problem, TeamprotocolError
from pipeline.examples import write_example_forms
from pipeline.models import BuildStatus
from pipeline.report.reviews import REVIEWS_XLSX
from pipeline.text import plural

_STATUS_SHOWN = {BuildStatus.BUILT: "gebouwd", BuildStatus.UNCHANGED: "ongewijzigd",
                 BuildStatus.FAILED: "MISLUKT"}
_CHANGES_SHOWN = 10
_WARNINGS_SHOWN = 3


@command()
# exists=True: a forms folder that is not there is a usage error (exit 2), like a bad --jobs.
@click.argument("forms_dir", metavar="[FORMULIERENMAP]", required=False,
                type=click_nl.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--policy", "policy_path", metavar="BELEID.yaml",
              type=click_nl.Path(dir_okay=False, path_type=Path),
              help="Het beleid van de organisatie; verplicht bij een FORMULIERENMAP. "
                   f"'--policy {EXAMPLE_POLICY}' kiest bewust het voorbeeldbeleid.")
@click.option("--out", "out_dir", default="output", show_default=True,
              type=click_nl.Path(file_okay=False, path_type=Path), help="Map voor de protocollen.")
@click.option("--template", metavar="SJABLOON.docx",
              type=click_nl.Path(dir_okay=False, path_type=Path),
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
        # The example policy is chosen on purpose only: its invented organisation and phone
        # numbers must never reach a real organisation's protocols or archive.
        raise click.UsageError(
            "geef met --policy BELEID.yaml het beleid van uw organisatie op. Zonder --policy "
            "zouden de protocollen de teksten en telefoonnummers van de verzonnen Gemeente "
            f"Lindenhoven krijgen; wilt u dat bewust, gebruik dan --policy {EXAMPLE_POLICY}.",
            ctx=ctx)
    policy_path = policy_option(policy_path)
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
        # A count with the time left, on a terminal only (click draws nothing else).
        with click.progressbar(length=steps, label="Bouwen", file=sys.stderr,
                               show_pos=True, show_eta=True) as bar:
            report = build_all(opts, progress=lambda _team: bar.update(1), folders=teams)
    # The example forms lived in a temporary folder that is gone now: name them by their
    # place inside it ("belastingen/balie.docx"), and say how to get a copy to check.
    def line(problem: Problem) -> str:
        text = problem.format()
        return text.replace(f"{forms_dir}{os.sep}", "") if examples else text

    for p in report.warnings:
        click.echo(f"Let op: {line(p)}")
    # One line per team that needs attention (failed, or remarks); the others are counted
    # below: 2,000 teams printed 9,801 lines (issue 26).
    for r in report.results:
        if not r.problems and not r.warnings:
            continue
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
    # The change document of each team built now that has an adopted version before it.
    changed = [r for r in report.results
               if r.status == BuildStatus.BUILT and "wijzigingen" in r.outputs]
    for r in changed[:_CHANGES_SHOWN]:
        click.echo(f"Wijzigingen {r.team_id} ten opzichte van de vastgestelde versie: "
                   f"{out_dir / r.outputs['wijzigingen']}")
    if len(changed) > _CHANGES_SHOWN:
        click.echo(f"… en van nog {plural(len(changed) - _CHANGES_SHOWN, 'team', 'teams')}: "
                   "zie de koppelingen ‘Wijzigingen’ in het overzicht.")
    built = sum(r.status == BuildStatus.BUILT for r in report.results)
    same = sum(r.status == BuildStatus.UNCHANGED for r in report.results)
    counted = plural(len(report.results), "team", "teams")
    click.echo(f"{counted}: {built} gebouwd, {same} ongewijzigd, {len(report.failed)} mislukt. "
               f"Overzicht: {report.overview[-1]}")
    pending = sum(len(r.protocol.annex.pending_reviews) for r in report.results
                  if r.protocol is not None)
    if pending:
        book = next((p for p in report.overview if p.name == REVIEWS_XLSX), None)
        where = f" in {book}" if book else ""
        click.echo(f"Te beoordelen door de coördinator: {plural(pending, 'antwoord', 'antwoorden')}"
                   f"{where}. Kies per antwoord akkoord of niet akkoord en bouw opnieuw.")
    if examples:
        click.echo("De voorbeeldformulieren stonden in een tijdelijke map. 'teamprotocol init "
                   "MAP' schrijft er een bewerkbare kopie van, met het voorbeeldbeleid; daarop "
                   "werken 'teamprotocol check' en 'teamprotocol build'.")
    if report.failed:
        ctx.exit(1)
