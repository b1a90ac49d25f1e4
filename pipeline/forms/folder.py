"""A team folder of filled forms: which files are its forms, the rules a form must meet to
belong to it (its own team, one of each kind, a team form), and reading them all."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pipeline.catalogue import TEAM_KIND
from pipeline.errors import FormError, Problem, TeamFormsError
from pipeline.forms import common
from pipeline.forms.read import read_form, shown_value
from pipeline.forms.teams_csv import team_id_problem
from pipeline.models import FormData, TeamForms


def form_files(folder: Path) -> list[Path]:
    """The Word forms in a team folder: `*.docx` in any case (`BALIE.DOCX`, `Team.Docx`, as
    Windows and mail programs name them), without Word's lock files or hidden files."""
    # A folder named like a form is listed too: reading it fails its team with a reason.
    return sorted(p for p in Path(folder).iterdir()
                  if p.suffix.lower() == ".docx" and not p.name.startswith(("~$", ".")))


def misfiled(folder: Path, path: Path, data: FormData, forms: Mapping[str, FormData]
             ) -> Problem | None:
    """Why a read form does not belong with the folder's `forms` so far: it is of another
    team, or the folder already holds a form of its kind; None when it belongs."""
    if data.team_id != folder.name:
        return Problem(file=str(path), message=f"dit formulier is van team "
                       f"'{shown_value(data.team_id)}' maar staat in de map "
                       f"'{shown_value(folder.name)}'",
                       hint="Zet het formulier in de map van het eigen team")
    if data.kind in forms:
        return Problem(file=str(path), message="dit soort formulier staat al in de "
                       f"map: {Path(forms[data.kind].path).name}",
                       hint="Laat één ingevuld formulier per soort in de map staan")
    return None


def read_team_folder(folder: Path) -> tuple[TeamForms, list[Problem]]:
    """Read every form in a team folder -> (forms by kind, warnings).

    Raises FormError when a file cannot be read at all, and TeamFormsError (a FormError
    carrying every problem in `.problems`) when answers are invalid, a form belongs to
    another team, a kind occurs twice or the team form is missing. Word's lock files
    (`~$*.docx`) and hidden files are skipped.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise FormError("de map met formulieren bestaat niet", file=folder)
    # The folder name becomes the team id, an output folder and part of the archive name.
    if why := team_id_problem(folder.name):
        raise FormError(f"de mapnaam is geen geldige team-id: {why}", file=folder,
                        hint="Geef de map de team_id van het team, zoals 'teamprotocol forms' "
                        "die maakt, bijvoorbeeld 'burgerzaken' of 'wijkteam-noord'")
    forms: dict[str, FormData] = {}
    errors: list[Problem] = []
    warnings: list[Problem] = []
    for path in form_files(folder):
        data = read_form(path)
        errors += data.errors
        warnings += data.warnings
        if (problem := misfiled(folder, path, data, forms)) is not None:
            errors.append(problem)
        else:
            forms[data.kind] = data
    if TEAM_KIND not in forms and not errors:
        errors.append(Problem(file=str(folder / common.form_file_name(TEAM_KIND)),
                              message="het teamformulier ontbreekt",
                              hint="Zet het ingevulde teamformulier (team.docx) in de map"))
    if errors:
        raise TeamFormsError(*errors)
    return TeamForms(team_id=folder.name, forms=forms), warnings
