"""`forms --force` keeps what it replaces (issue 21, item 2): filled forms go into a backup
folder exactly as `init --force` keeps its files, every replaced file is listed, the normal
run's hint no longer invites --force, and the backup is never taken for a team."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers.forms_wordfill import edit_docx, fill_text

from pipeline.batch import team_folders
from pipeline.cli import cli
from pipeline.forms.prefill import plan
from pipeline.forms.read import read_form
from pipeline.forms.teams_csv import read_teams_csv

REPO = Path(__file__).resolve().parents[2]
TEAMS = REPO / "tests" / "data" / "teams.csv"

pytestmark = pytest.mark.slow  # writes ten forms, three times


def _forms(*args: str | Path):
    return CliRunner().invoke(cli, ["forms", str(TEAMS), *map(str, args)])


def test_forms_force_keeps_the_filled_forms_in_a_backup_and_lists_them(tmp_path):
    out = tmp_path / "formulieren"
    assert _forms("--out", out).exit_code == 0
    team = out / "burgerzaken" / "balie.docx"
    edit_docx(team, team, lambda root: fill_text(root, "balie.ordebewaking", "Gastvrouw"))
    filled = team.read_bytes()

    again = _forms("--out", out)
    assert again.exit_code == 0, again.output
    assert "--force" not in again.output  # the hint no longer invites it
    assert "--from" in again.output

    forced = _forms("--out", out, "--force")
    assert forced.exit_code == 0, forced.output
    [backup] = list(out.glob("reservekopie-*"))
    assert (backup / "burgerzaken" / "balie.docx").read_bytes() == filled
    assert len(list(backup.glob("*/*.docx"))) == 10  # every replaced form is kept
    assert f"Vervangen (10), de oude versies staan in {backup}:" in forced.output
    assert f"  {team}" in forced.output
    assert team.read_bytes() != filled
    assert read_form(backup / "burgerzaken" / "balie.docx").fields[
        "balie.ordebewaking"] == "Gastvrouw"

    # The backup holds team folders' forms, but it is not a team: not for a build, nor
    # for the next round's `forms --from`.
    assert "reservekopie" not in " ".join(p.name for p in team_folders(out))
    assert plan(read_teams_csv(TEAMS), out).gone == []

    # A second --force never overwrites the first backup.
    assert _forms("--out", out, "--force").exit_code == 0
    assert len(list(out.glob("reservekopie-*"))) == 2
    assert (backup / "burgerzaken" / "balie.docx").read_bytes() == filled
