"""An output folder a coordinator can trust blindly (issue 10): one run per folder, archive
names per team, adopted protocols that changed, manual edits, the policy asked for, teams
that left, files that are not read. Every case through the real command line."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time

import pytest
from helpers.batch import (
    ARCHIVE,
    TEAMPROTOCOL,
    VENV_BIN,
    adopted_answers,
    copy_tree,
    html_tables,
    manifest,
    required_answers,
    run_cli,
    sha256,
    write_team,
)

# Builds and `teamprotocol` subprocesses; those reading `adopted_twins` convert (conftest marks
# them `libreoffice`), as does the one marked below; the rest build without PDFs.
pytestmark = pytest.mark.slow

POLICY = ("--policy", "voorbeeld")
# Adopted the way the gates require: after the Stap 2 meeting, with an action for every gap.
ADOPTED = adopted_answers()


def _out_lines(proc: subprocess.CompletedProcess) -> str:
    return proc.stdout + proc.stderr


# --- 1. one build per output folder ----------------------------------------------------------

@pytest.mark.libreoffice  # the first build converts, so that it is still running
def test_a_second_build_into_the_same_folder_refuses_and_a_killed_one_is_taken_over(tmp_path):
    forms, out = tmp_path / "formulieren", tmp_path / "uit"
    for n in range(10):  # enough PDFs that the first build still runs when the second ends
        write_team(forms, f"team-{n}", required_answers())
    env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    first = subprocess.Popen([str(TEAMPROTOCOL), "build", str(forms), *POLICY, "--out",
                              str(out), "--jobs", "1"], cwd=tmp_path, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        info = out / ".teamprotocol.lock.json"
        end = time.monotonic() + 60
        while not info.exists() and time.monotonic() < end and first.poll() is None:
            time.sleep(0.05)
        assert info.exists(), "de eerste build heeft de map niet op slot gezet"
        second = run_cli("build", forms, *POLICY, "--out", out, "--no-pdf", cwd=tmp_path)
        # Refused while the first still runs, so it did not wait for the folder to come free.
        assert first.poll() is None, "de tweede build wachtte tot de eerste klaar was"
        assert second.returncode == 1, _out_lines(second)
        assert "er draait al een build in deze map" in second.stderr
        assert f"door proces {first.pid}" in second.stderr
        assert "Traceback" not in second.stderr
        os.kill(first.pid, signal.SIGKILL)  # the lock of a killed run must not stay taken
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    third = run_cli("build", forms, *POLICY, "--out", out, "--no-pdf", cwd=tmp_path)
    assert third.returncode == 0, _out_lines(third)
    assert not (out / ".teamprotocol.lock.json").exists()
    # What the manifest records is what is on disk: the hashes of the run that wrote it.
    for team in manifest(out)["teams"].values():
        for rel, digest in team["outputs"].items():
            assert sha256(out / rel) == digest, rel


# --- 2, 3, 4. the archive -----------------------------------------------------------------

@pytest.fixture(scope="module")
def adopted_twins(tmp_path_factory: pytest.TempPathFactory):
    """Two adopted teams whose ids differ only in `_` and `-`, built once with PDFs."""
    root = tmp_path_factory.mktemp("tweeling")
    forms = root / "formulieren"
    for team_id in ("wijk_noord", "wijk-noord"):
        write_team(forms, team_id, required_answers(**ADOPTED))
    proc = run_cli("build", forms, *POLICY, "--out", root / "uit", cwd=root)
    return proc, forms, root / "uit"


def test_team_ids_that_differ_in_underscore_and_dash_get_their_own_archive(adopted_twins):
    proc, _, out = adopted_twins
    assert proc.returncode == 0, _out_lines(proc)
    archived = sorted(p.name for p in (out / ARCHIVE).glob("*.pdf"))
    assert archived == ["lindenhoven_wijk-noord_teamprotocol_1.0_2026-09-01.pdf",
                        "lindenhoven_wijk_noord_teamprotocol_1.0_2026-09-01.pdf"]
    records = manifest(out)["archive"]
    assert {r["team_id"] for r in records.values()} == {"wijk_noord", "wijk-noord"}
    for team_id, entry in manifest(out)["teams"].items():
        [archive] = [p for p in entry["outputs"] if p.startswith(ARCHIVE) and p.endswith(".pdf")]
        assert f"_{team_id}_" in archive
        assert records[archive]["team_id"] == team_id


def test_an_unchanged_adopted_team_rebuilt_gives_no_archive_warning(adopted_twins, tmp_path):
    _, forms, built = adopted_twins
    out = copy_tree(built, tmp_path / "uit")
    archive = {p.name: sha256(p) for p in (out / ARCHIVE).iterdir()}
    again = run_cli("build", forms, *POLICY, "--out", out, "--force", cwd=tmp_path)
    assert again.returncode == 0, _out_lines(again)
    # The new PDF differs from the archived one (dates, /ID), its text does not.
    assert "archief" not in again.stdout, again.stdout
    assert "Versie van het protocol" not in again.stdout, again.stdout
    assert {p.name: sha256(p) for p in (out / ARCHIVE).iterdir()} == archive


@pytest.mark.libreoffice
def test_an_adopted_protocol_changed_without_a_new_version_fails_and_keeps_its_outputs(
        tmp_path):
    forms, out = tmp_path / "formulieren", tmp_path / "uit"
    write_team(forms, "wijk-noord", required_answers(**ADOPTED))
    first = run_cli("build", forms, *POLICY, "--out", out, cwd=tmp_path)
    assert first.returncode == 0, _out_lines(first)
    team_dir = out / "wijk-noord"
    before = {p.name: sha256(p) for p in [*team_dir.iterdir(), *(out / ARCHIVE).iterdir()]}
    # The team lead changes an agreement but leaves version and adoption as they were.
    new = "Nieuwe afspraak: ervaren collega's nemen de zware gesprekken."
    write_team(forms, "wijk-noord", required_answers(
        **{**ADOPTED, "team.competenties": new}))
    for _ in range(2):  # the overview keeps flagging it, run after run
        proc = run_cli("build", forms, *POLICY, "--out", out, cwd=tmp_path)
        assert proc.returncode == 1, _out_lines(proc)
        assert "wijk-noord" in proc.stdout
        assert "MISLUKT" in proc.stdout
        assert "Verhoog de versie" in proc.stdout
        assert {p.name: sha256(p) for p in [*team_dir.iterdir(),
                                            *(out / ARCHIVE).iterdir()]} == before
        overview = html_tables(out / "overzicht.html")[0]
        assert [row[1] for row in overview[1:] if "wijk-noord" in row[0]] == ["mislukt"]
        assert "Verhoog de versie" in (out / "overzicht.html").read_text(encoding="utf-8")
    # Resolved: a new version as concept is built again.
    write_team(forms, "wijk-noord", required_answers(**{
        "team.versie": "1.1", "team.competenties": new}))
    fixed = run_cli("build", forms, *POLICY, "--out", out, cwd=tmp_path)
    assert fixed.returncode == 0, _out_lines(fixed)
    assert [p.name for p in (out / ARCHIVE).glob("*.pdf")] == [
        "lindenhoven_wijk-noord_teamprotocol_1.0_2026-09-01.pdf"]


# --- 5. manual edits -----------------------------------------------------------------------

def test_a_hand_edited_output_docx_is_kept_beside_the_new_one(tmp_path):
    forms, out = tmp_path / "formulieren", tmp_path / "uit"
    write_team(forms, "balie", required_answers())
    assert run_cli("build", forms, *POLICY, "--out", out, "--no-pdf",
                   cwd=tmp_path).returncode == 0
    docx = out / "balie" / "teamprotocol-balie.docx"
    edited = docx.read_bytes() + b"met de hand"
    docx.write_bytes(edited)

    proc = run_cli("build", forms, *POLICY, "--out", out, "--no-pdf", cwd=tmp_path)

    assert proc.returncode == 0, _out_lines(proc)
    kept = list((out / "balie").glob("teamprotocol-balie-handmatig-*.docx"))
    assert [p.read_bytes() for p in kept] == [edited]
    assert kept[0].name in proc.stdout
    assert docx.read_bytes() != edited
    recorded = manifest(out)["teams"]["balie"]["outputs"]["balie/teamprotocol-balie.docx"]
    assert sha256(docx) == recorded


# --- 7. the policy is asked for ------------------------------------------------------------

def test_build_of_a_forms_folder_without_policy_is_refused(tmp_path):
    forms = tmp_path / "formulieren"
    write_team(forms, "balie", required_answers())
    proc = run_cli("build", forms, "--out", tmp_path / "uit", "--no-pdf", cwd=tmp_path)
    assert proc.returncode == 2, _out_lines(proc)
    assert "--policy" in proc.stderr
    assert "Lindenhoven" in proc.stderr
    assert "--policy voorbeeld" in proc.stderr
    assert not (tmp_path / "uit").exists()


def test_forms_without_policy_says_the_example_policy_is_shown(tmp_path):
    csv = tmp_path / "teams.csv"
    csv.write_text("team_id,team,afdeling,leidinggevende,contactvormen\n"
                   "balie,Balie,Publiekszaken,L. Eiding,balie\n", encoding="utf-8")
    proc = run_cli("forms", csv, "--out", tmp_path / "formulieren", cwd=tmp_path)
    assert proc.returncode == 0, _out_lines(proc)
    assert "voorbeeldbeleid" in _out_lines(proc)
    assert "--policy" in _out_lines(proc)


# --- 8. teams that are no longer in the forms folder ---------------------------------------

def test_teams_in_the_output_but_not_in_the_forms_folder_are_named(tmp_path):
    forms, out = tmp_path / "formulieren", tmp_path / "uit"
    write_team(forms, "blijft", required_answers())
    write_team(forms, "vertrekt", required_answers())
    assert run_cli("build", forms, *POLICY, "--out", out, "--no-pdf",
                   cwd=tmp_path).returncode == 0
    os.rename(forms / "vertrekt", tmp_path / "elders")

    proc = run_cli("build", forms, *POLICY, "--out", out, "--no-pdf", cwd=tmp_path)

    assert proc.returncode == 0, _out_lines(proc)
    [line] = [x for x in proc.stdout.splitlines() if "vertrekt" in x]
    assert "geen map in de formulierenmap" in line
    assert "Verwijder deze map" in line
    assert sorted(manifest(out)["teams"]) == ["blijft"]
    overview, *_ = html_tables(out / "overzicht.html")
    assert len(overview) == 2  # the header and one team
    assert "blijft" in overview[1][0]


# --- 9. what the folders hold ---------------------------------------------------------------

def test_files_that_are_not_read_and_missing_contact_forms_are_named(tmp_path):
    forms, out = tmp_path / "formulieren", tmp_path / "uit"
    write_team(forms, "bezoek", required_answers(), kinds=("balie", "huisbezoek"))
    (forms / "bezoek" / "huisbezoek.docx").rename(forms / "bezoek" / "huisbezoek.pdf")
    write_team(forms, "balie", required_answers())
    (forms / "balie" / "balie.docx").rename(forms / "balie" / "BALIE.DOCX")
    (forms / "balie" / "oud.doc").write_bytes(b"\xd0\xcf\x11\xe0")

    proc = run_cli("build", forms, *POLICY, "--out", out, "--no-pdf", cwd=tmp_path)

    assert proc.returncode == 0, _out_lines(proc)
    lines = proc.stdout.splitlines()

    def line(file: str) -> str:
        [found] = [x for x in lines if f"Let op: {file} " in x]
        return found

    assert "ontbreekt" in line("bezoek/huisbezoek.docx")
    assert "niet gelezen" in line("bezoek/huisbezoek.pdf")
    # An upper-case extension is read like any form (Windows and mail programs write them).
    assert not [x for x in lines if "BALIE.DOCX" in x and "niet gelezen" in x]
    assert (out / "balie" / "teamprotocol-balie.docx").is_file()
    protocol = json.loads((out / "balie" / "protocol.json").read_text(encoding="utf-8"))
    assert protocol["meta"]["contact_kinds"] == ["balie"]
    assert [a["kind"] for a in protocol["appendices"]] == ["balie"]
    assert "sla het op als Word-document (.docx)" in line("balie/oud.doc")


def test_no_pdf_removes_a_stale_pdf_and_says_so(tmp_path):
    forms, out = tmp_path / "formulieren", tmp_path / "uit"
    write_team(forms, "balie", required_answers())
    pdf = out / "balie" / "teamprotocol-balie.pdf"
    pdf.parent.mkdir(parents=True)
    pdf.write_bytes(b"%PDF-1.7 oud")

    proc = run_cli("build", forms, *POLICY, "--out", out, "--no-pdf", cwd=tmp_path)

    assert proc.returncode == 0, _out_lines(proc)
    assert not pdf.exists()
    assert "balie/teamprotocol-balie.pdf" in proc.stdout
    assert "--no-pdf" in proc.stdout


def test_a_folder_of_forms_without_team_folders_is_an_error(tmp_path):
    forms = tmp_path / "formulieren"
    write_team(forms, "balie", required_answers())
    proc = run_cli("build", forms / "balie", *POLICY, "--out", tmp_path / "uit", "--no-pdf",
                   cwd=tmp_path)
    assert proc.returncode == 1, _out_lines(proc)
    assert "geen teammappen" in proc.stderr
    assert "team.docx" in proc.stderr
    assert "0 mislukt" not in proc.stdout


# --- 13. LibreOffice missing --------------------------------------------------------------

def test_missing_libreoffice_is_reported_before_any_team(tmp_path):
    forms, out = tmp_path / "formulieren", tmp_path / "uit"
    write_team(forms, "balie", required_answers())
    env = {**os.environ, "PATH": str(VENV_BIN)}  # the venv has no soffice
    proc = subprocess.run([str(TEAMPROTOCOL), "build", str(forms), *POLICY, "--out", str(out)],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
                          check=False)
    assert proc.returncode == 1, _out_lines(proc)
    assert "LibreOffice" in proc.stderr
    assert "--no-pdf" in proc.stderr
    assert not out.exists() or list(out.rglob("*")) == []
