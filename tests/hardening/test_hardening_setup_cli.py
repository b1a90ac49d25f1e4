"""`init`, `forms` and `check` the way coordinators use them (issue 10, items 6, 10, 12, 14,
16): nothing replaced without a word, nothing written half, a CSV read as it was meant or
refused with the reason, a font the server lacks named, a forged team id refused."""

from __future__ import annotations

import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from pipeline.forms.write import write_form
from pipeline.models import TeamIdentity

pytestmark = pytest.mark.slow  # every test runs `teamprotocol` subprocesses

EXE = Path(sys.executable).with_name("teamprotocol")
HEADER = "team_id,team,afdeling,leidinggevende,contactvormen"
FSIZE = 50_000  # bytes: a policy (43 kB) fits, a form (~75 kB) does not


def run(*args: str | Path, cwd: Path, **kw: object) -> subprocess.CompletedProcess:
    return subprocess.run([str(EXE), *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          timeout=300, check=False, **kw)


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _small_files_only() -> None:
    """In the child: writes past FSIZE fail with EFBIG, as on a full disk (hint: make room)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (FSIZE, FSIZE))


# --- 6. init never replaces without a word ---------------------------------------------------

def test_init_refuses_to_replace_a_logo_and_force_keeps_a_backup(tmp_path):
    target = tmp_path / "org"
    target.mkdir()
    (target / "logo.png").write_bytes(b"ons eigen logo")

    refused = run("init", target, cwd=tmp_path)

    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "logo.png" in refused.stderr
    assert "--force" in refused.stderr
    assert files(target) == {"logo.png": b"ons eigen logo"}

    (target / "beleid.yaml").write_bytes(b"# bewerkt beleid\n")
    forced = run("init", target, "--force", cwd=tmp_path)

    assert forced.returncode == 0, forced.stdout + forced.stderr
    [backup] = list(target.glob("reservekopie-*"))
    assert files(backup) == {"beleid.yaml": b"# bewerkt beleid\n", "logo.png": b"ons eigen logo"}
    assert str(target / "logo.png") in forced.stdout
    assert str(target / "beleid.yaml") in forced.stdout
    assert str(backup) in forced.stdout
    assert (target / "logo.png").read_bytes() != b"ons eigen logo"


# --- 14. a full disk during init and forms ---------------------------------------------------

def test_full_disk_during_init_leaves_nothing_half(tmp_path):
    target = tmp_path / "org"
    proc = run("init", target, cwd=tmp_path, preexec_fn=_small_files_only)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert "schijf is vol" in proc.stderr.lower()
    assert ".docx" in proc.stderr
    assert str(target / "formulieren") in proc.stderr
    assert ".tmp" not in proc.stderr
    assert files(target) == {}


def test_full_disk_during_forms_leaves_no_half_team_folder(tmp_path):
    csv = tmp_path / "teams.csv"
    csv.write_text(f"{HEADER}\nbalie,Balie,Publiekszaken,L. Eiding,balie;digitaal\n",
                   encoding="utf-8")
    out = tmp_path / "formulieren"
    proc = run("forms", csv, "--out", out, "--policy", "voorbeeld", cwd=tmp_path,
               preexec_fn=_small_files_only)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert str(out / "balie") in proc.stderr
    assert ".docx" in proc.stderr
    assert ".tmp" not in proc.stderr
    assert files(out) == {}
    assert list(out.iterdir()) == []


# --- 10. the teams CSV -------------------------------------------------------------------------

def test_extra_columns_are_an_error_not_dropped(tmp_path):
    for name, text, delim in (
            ("puntkomma.csv", f"{HEADER.replace(',', ';')}\nbalie;Balie;Publiekszaken;L. Eiding;"
                              "balie;digitaal\n", ";"),
            ("komma.csv", f"{HEADER}\nbalie,Balie, Noord,Publiekszaken,L. Eiding,balie\n", ",")):
        csv = tmp_path / name
        csv.write_text(text, encoding="utf-8")
        proc = run("forms", csv, "--out", tmp_path / "f", "--policy", "voorbeeld", cwd=tmp_path)
        assert proc.returncode == 1, proc.stdout + proc.stderr
        assert "regel 2: 6 kolommen in plaats van 5" in proc.stderr
        assert f"'{delim}'" in proc.stderr
        assert not (tmp_path / "f").exists() or files(tmp_path / "f") == {}


def test_utf16_and_tab_separated_files_are_read(tmp_path):
    rows = [HEADER.split(","), ["balie", "Balie", "Publiekszaken", "L. Eiding", "balie"]]
    text = "\r\n".join("\t".join(r) for r in rows) + "\r\n"
    for name, data in (("unicode.txt", b"\xff\xfe" + text.encode("utf-16-le")),
                       ("tabs.csv", text.encode("utf-8"))):
        csv = tmp_path / name
        csv.write_bytes(data)
        out = tmp_path / name.split(".")[0]
        proc = run("forms", csv, "--out", out, "--policy", "voorbeeld", cwd=tmp_path)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert sorted(files(out)) == ["balie/balie.docx", "balie/team.docx"]


def test_a_missing_column_names_the_separator(tmp_path):
    csv = tmp_path / "teams.csv"
    csv.write_text("team_id|team|afdeling|leidinggevende|contactvormen\nb|B|A|L|balie\n",
                   encoding="utf-8")
    proc = run("forms", csv, "--out", tmp_path / "f", "--policy", "voorbeeld", cwd=tmp_path)
    assert proc.returncode == 1
    assert "gescheiden door" in proc.stderr


def test_a_team_added_later_is_written_and_filled_forms_are_left_alone(tmp_path):
    csv, out = tmp_path / "teams.csv", tmp_path / "formulieren"
    csv.write_text(f"{HEADER}\nbalie,Balie,Publiekszaken,L. Eiding,balie\n", encoding="utf-8")
    assert run("forms", csv, "--out", out, "--policy", "voorbeeld", cwd=tmp_path).returncode == 0
    (out / "balie" / "team.docx").write_bytes(b"ingevuld")
    csv.write_text(f"{HEADER}\nbalie,Balie,Publiekszaken,L. Eiding,balie\n"
                   "wijk,Wijk,Zorg,W. IJk,huisbezoek\n", encoding="utf-8")

    proc = run("forms", csv, "--out", out, "--policy", "voorbeeld", cwd=tmp_path)

    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (out / "balie" / "team.docx").read_bytes() == b"ingevuld"
    assert sorted(p.name for p in (out / "wijk").iterdir()) == ["huisbezoek.docx", "team.docx"]
    assert "balie: bestaat al en is niet overschreven: balie.docx, team.docx" in proc.stdout
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []


# --- 16. check on a forged team id -----------------------------------------------------------

def test_check_refuses_a_team_id_property_that_is_no_team_id(tmp_path):
    identity = TeamIdentity(team_id="../../x", team="T", department="A", team_lead="L",
                            contact_kinds=("balie",))
    form = tmp_path / "team.docx"
    form.write_bytes(write_form("team", identity))
    proc = run("check", form, cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "geen geldige team-id" in proc.stdout


# --- 12. a policy font the server does not have ----------------------------------------------

@pytest.mark.libreoffice
def test_a_font_that_is_not_installed_is_named_before_the_build(tmp_path):
    org = tmp_path / "org"
    assert run("init", org, cwd=tmp_path).returncode == 0
    policy = org / "beleid.yaml"
    text = policy.read_text(encoding="utf-8")
    assert "  font: Calibri" in text
    policy.write_text(text.replace("  font: Calibri", '  font: "Comic Sans MS"', 1),
                      encoding="utf-8")
    forms = org / "formulieren"
    # A concept team: init's policy is still the example's, so nothing is adopted with it.
    for team in [p for p in forms.iterdir() if p.name != "vergunningen"]:
        for f in team.iterdir():
            f.unlink()
        team.rmdir()

    proc = run("build", forms, "--policy", policy, "--out", org / "uit", cwd=tmp_path)

    assert proc.returncode == 0, proc.stdout + proc.stderr
    [line] = [x for x in proc.stdout.splitlines() if "branding.font" in x
              and "niet geïnstalleerd" in x]
    assert line.startswith("Let op: ")
    assert "'Comic Sans MS'" in line
    assert "niet geïnstalleerd" in line
    # What the warning says is what LibreOffice did: the PDF embeds the substitute.
    used = line.split("de PDF/A krijgt '")[1].split("'")[0]
    reader = PdfReader(org / "uit" / "vergunningen" / "teamprotocol-vergunningen.pdf")
    fonts = {str(f.get_object()["/BaseFont"]) for page in reader.pages
             for f in (page["/Resources"].get_object().get("/Font") or {}).values()
             if "/BaseFont" in f.get_object()}
    assert any(used.replace(" ", "") in name for name in fonts), fonts
    assert not any("Comic" in name for name in fonts)
    # And the built PDF itself is checked: the team's warning names the font it lacks.
    [embed] = [x for x in proc.stdout.splitlines() if "bevat het lettertype" in x]
    assert "'Comic Sans MS' niet" in embed
