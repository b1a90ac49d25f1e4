"""What a killed run leaves is cleaned at the next run, and click's last English is Dutch
(issue 21, item 12), through the real command.

The leftovers are made as `kill -9` leaves them: a hidden temporary file of the atomic
writer (`.protocol.json.<8 random>.tmp`, holding staff names) and a staging folder of `forms`
whose process is gone."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from helpers.batch import required_answers, run_cli, write_team

from pipeline.forms import publish
from pipeline.policy import dump_default_policy

pytestmark = pytest.mark.slow  # `teamprotocol` subprocesses

HEADER = "team_id,team,afdeling,leidinggevende,contactvormen\n"


def test_a_killed_builds_temporary_files_are_removed_by_the_next_build(tmp_path):
    forms, out = tmp_path / "formulieren", tmp_path / "uit"
    write_team(forms, "balie", required_answers())
    args = ("build", forms, "--policy", "voorbeeld", "--out", out, "--no-pdf")
    assert run_cli(*args, cwd=tmp_path).returncode == 0
    left = [out / "balie" / ".protocol.json.k3x_9qa1.tmp", out / ".manifest.json.ab12cd34.tmp"]
    for path in left:
        path.write_text('{"team_lead": "A. de Vries"}', encoding="utf-8")
    mine = out / "balie" / "notities.tmp"  # not the writer's: left alone
    mine.write_text("eigen", encoding="utf-8")
    assert run_cli(*args, cwd=tmp_path).returncode == 0
    assert [p for p in left if p.exists()] == []
    assert mine.exists()


def test_a_killed_forms_runs_staging_folder_is_removed_by_the_next_run(tmp_path):
    csv = tmp_path / "teams.csv"
    csv.write_text(HEADER + "balie,Balie,Publiekszaken,L. Eiding,balie\n", encoding="utf-8")
    out = tmp_path / "formulieren"
    out.mkdir()
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    dead = out / f"{publish.STAGING_PREFIX}{publish._HOST}-{gone}-x1y2z3"
    (dead / "balie").mkdir(parents=True)
    (dead / "balie" / "team.docx").write_bytes(b"half" * 1000)
    busy = out / f"{publish.STAGING_PREFIX}{publish._HOST}-{os.getpid()}-a1b2c3"
    busy.mkdir()  # a run still going (this test's own process): never touched
    proc = run_cli("forms", csv, "--out", out, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not dead.exists()
    assert busy.exists()
    assert (out / "balie" / "team.docx").is_file()


def test_clicks_path_messages_and_metavars_are_dutch(tmp_path):
    missing = run_cli("build", tmp_path / "nergens", cwd=tmp_path)
    assert missing.returncode == 2
    assert f"Map '{tmp_path / 'nergens'}' bestaat niet." in missing.stderr
    folder = run_cli("check", tmp_path, cwd=tmp_path)
    assert f"Bestand '{tmp_path}' is een map." in folder.stderr
    for command in ("build", "forms", "init", "check"):
        shown = run_cli(command, "--help", cwd=tmp_path).stdout
        for english in ("DIRECTORY", "FILE", "PATH", "Directory", "File '"):
            assert english not in shown, (command, english)
    assert "--out MAP" in run_cli("forms", "--help", cwd=tmp_path).stdout


def test_a_forms_folder_one_level_too_high_or_a_macosx_folder_is_explained(tmp_path):
    forms = tmp_path / "org" / "formulieren"
    write_team(forms, "balie", required_answers())
    high = run_cli("build", tmp_path / "org", "--policy", "voorbeeld", "--out",
                   tmp_path / "uit", "--no-pdf", cwd=tmp_path)
    assert high.returncode == 2, high.stdout + high.stderr
    assert "de map 'formulieren' hierin bevat zelf de teammappen" in high.stderr
    assert f"teamprotocol build {forms}" in high.stderr
    assert not (tmp_path / "uit").exists()

    (forms / "__MACOSX" / "balie").mkdir(parents=True)
    (forms / "__MACOSX" / "balie" / "._team.docx").write_bytes(b"\x00\x05\x16\x07")
    mac = run_cli("build", forms, "--policy", "voorbeeld", "--out", tmp_path / "uit",
                  "--no-pdf", cwd=tmp_path)
    assert mac.returncode == 0, mac.stdout + mac.stderr
    assert "__MACOSX — overgeslagen" in mac.stdout
    assert "1 team: 1 gebouwd" in mac.stdout


def test_an_old_policy_missing_checklist_items_gets_an_example_of_each(tmp_path):
    policy = tmp_path / "beleid.yaml"
    dump_default_policy(policy)
    lines = policy.read_text(encoding="utf-8").splitlines(keepends=True)
    policy.write_text("".join(x for x in lines if not x.startswith(("  O4:", "  O5:"))),
                      encoding="utf-8")
    proc = run_cli("build", "--policy", policy, "--out", tmp_path / "uit", "--no-pdf",
                   cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    [line] = [x for x in proc.stderr.splitlines() if x.startswith("Fout: ")]
    assert "checklist mist de onderdelen: O4, O5. Voeg ze toe onder checklist:" in line
    assert "O4: {arranged: true, document: " in line
    assert "O5: {arranged: true, document: " in line
