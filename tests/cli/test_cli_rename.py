"""A renamed team keeps its answers (issue 21, item 12): the teams CSV's optional column
`vorige_team_id` names the team's folder of last round, and `forms --from` fills the renamed
team's new forms from it, through the real command on real forms read back. 0.3.1 ignored
the column: the renamed team got empty forms, and its old id was reported as gone."""

from __future__ import annotations

import pytest
from helpers.batch import adopted_answers, run_cli, write_team

from pipeline.forms.read import read_form

pytestmark = pytest.mark.slow  # `teamprotocol` subprocesses

HEADER = "team_id,team,afdeling,leidinggevende,contactvormen,vorige_team_id\n"


def test_forms_from_carries_a_renamed_teams_answers(tmp_path):
    last, new = tmp_path / "vorig", tmp_path / "nieuw"
    answer = "Koppels van een ervaren en een nieuwe collega voeren de moeilijke gesprekken."
    write_team(last, "balie", adopted_answers(**{"team.competenties": answer}))
    write_team(last, "wijk", adopted_answers(), kinds=("balie",))
    csv = tmp_path / "teams.csv"
    csv.write_text(HEADER + "publiekshal,Team publiekshal,Publiekszaken,L. Eiding,balie,balie\n"
                   "wijk,Team wijk,Publiekszaken,L. Eiding,balie,\n", encoding="utf-8")

    proc = run_cli("forms", csv, "--out", new, "--from", last, cwd=tmp_path)
    text = proc.stdout + proc.stderr
    assert proc.returncode == 0, text
    assert "ingevuld met de antwoorden van de vorige ronde (toen team balie)" in text
    assert "team balie had formulieren" not in text  # not reported as a team that is gone
    team = read_form(new / "publiekshal" / "team.docx")
    assert team.team_id == "publiekshal"
    assert team.fields["team.competenties"] == answer
    assert team.fields["team.versie"] == "1.1"
    assert team.fields["team.team"] == "Team publiekshal"
    assert read_form(new / "wijk" / "team.docx").fields["team.versie"] == "1.1"
    assert not (new / "balie").exists()


def test_a_vorige_team_id_without_forms_is_named(tmp_path):
    last, new = tmp_path / "vorig", tmp_path / "nieuw"
    write_team(last, "balie", adopted_answers())
    csv = tmp_path / "teams.csv"
    csv.write_text(HEADER + "publiekshal,Team publiekshal,Publiekszaken,L. Eiding,balie,"
                   "baile\n", encoding="utf-8")
    proc = run_cli("forms", csv, "--out", new, "--from", last, cwd=tmp_path)
    text = proc.stdout + proc.stderr
    assert proc.returncode == 0, text
    assert "vorige_team_id — de vorige_team_id 'baile' heeft geen map met formulieren" in text
    bad = tmp_path / "fout.csv"
    bad.write_text(HEADER + "publiekshal,Team publiekshal,Publiekszaken,L. Eiding,balie,"
                   "Oude Balie\n", encoding="utf-8")
    proc = run_cli("forms", bad, "--out", tmp_path / "x", cwd=tmp_path)
    assert proc.returncode == 1
    assert "regel 2: de vorige_team_id bevat tekens die niet in een mapnaam passen" in \
        proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
