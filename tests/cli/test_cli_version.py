"""`teamprotocol versie` (issue 21, item 12): after a policy change every adopted team's forms
are written again a version higher, as a concept, with the same answers, the old forms in a
backup; a concept team's forms stay byte for byte. Real forms, written, rewritten by the real
command, read back with the form reader. 0.3.1 had no such command (200 forms by hand)."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers.batch import adopted_answers, required_answers, run_cli, sha256, write_team

from pipeline.forms.read import read_form

pytestmark = pytest.mark.slow  # `teamprotocol` subprocesses


def test_versie_alle_raises_every_adopted_team_and_keeps_a_backup(tmp_path):
    forms = tmp_path / "formulieren"
    answers = adopted_answers(**{"team.competenties": "Koppels van een ervaren en een nieuwe "
                                                      "collega voeren de moeilijke gesprekken."})
    write_team(forms, "balie", answers)
    write_team(forms, "wijk", required_answers(), kinds=())
    concept = {p.name: sha256(p) for p in (forms / "wijk").iterdir()}
    before = read_form(forms / "balie" / "team.docx").fields

    proc = run_cli("versie", forms, "--alle", "--policy", "voorbeeld", cwd=tmp_path)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "balie: versie 1.0 wordt 1.1, status concept" in out
    assert "Niet vastgesteld, dus ongewijzigd: 1 team (wijk)" in out

    after = read_form(forms / "balie" / "team.docx").fields
    assert after["team.versie"] == "1.1"
    assert after["team.status"] == "concept"
    assert after["team.vastgesteld_door"] is None
    assert after["team.vastgesteld_op"] is None
    assert after["team.competenties"] == before["team.competenties"]
    assert after["team.acties"] == before["team.acties"]
    assert after["team.team"] == before["team.team"]  # the identity, from the form itself
    assert read_form(forms / "balie" / "balie.docx").kind == "balie"

    backups = [p for p in forms.iterdir() if p.name.startswith("reservekopie-")]
    assert len(backups) == 1, out
    assert str(backups[0]) in out
    old = read_form(backups[0] / "balie" / "team.docx").fields
    assert (old["team.status"], old["team.vastgesteld_op"]) == ("vastgesteld",
                                                                 dt.date(2026, 9, 1))
    assert {p.name: sha256(p) for p in (forms / "wijk").iterdir()} == concept


def test_versie_needs_alle_or_teams(tmp_path):
    forms = tmp_path / "formulieren"
    write_team(forms, "wijk", required_answers(), kinds=())
    proc = run_cli("versie", forms, cwd=tmp_path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Geef --alle of de teams" in proc.stderr
    proc = run_cli("versie", forms, "onbekend", cwd=tmp_path)
    assert proc.returncode == 2
    assert "geen map voor team onbekend" in proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
