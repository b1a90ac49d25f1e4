"""Personal data: messages name fields, never their contents.

Forms hold names and phone numbers of staff. Each team below fails for a reason tied to one
answer, and a sentinel stands in that answer and in the personal fields around it. The
sentinel must appear nowhere: not in the output of `build` or `check`, not in the overview,
not in any file of the output folder.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from helpers.hardening import Sandbox
from helpers.hostile import control, duplicate_control, edit_part, nest_control, set_control_text
from lxml import etree
from openpyxl import load_workbook

pytestmark = pytest.mark.slow  # writes every sentinel team's forms; the rest runs the CLI

SENTINEL = "ZZGEHEIM-0612345678"
PERSONAL = {"team.coordinator": f"Piet {SENTINEL}, 06-{SENTINEL}",
            "team.vertrouwenspersoon": f"{SENTINEL}@lindenhoven.example"}


def _edit(edit):
    def apply(path: Path) -> None:
        tmp = path.with_name("bewerkt.tmp")
        edit_part(path, tmp, "word/document.xml", edit)
        tmp.replace(path)

    return apply


def _dropdown_text(root):
    set_control_text(root, "team.intervisie", f"elke week bij {SENTINEL}")


def _duplicate(root):
    set_control_text(root, "team.opvolging", SENTINEL)
    duplicate_control("team.opvolging")(root)


def _nested(root):
    set_control_text(root, "team.opvolging", SENTINEL)
    nest_control("team.opvolging", "team.aantal_medewerkers")(root)


# team -> (answers for the team form, edit of the written team.docx, message that must show)
TEAMS = {
    "p-te-lang": ({"team.opvolging": f"{SENTINEL} " * 3000}, None, "is te lang"),
    "p-datum": ({}, _edit(lambda r: set_control_text(r, "team.volgende_evaluatie",
                                                     f"na de zomer, bel {SENTINEL}")),
                "is geen datum"),
    "p-keuze": ({}, _edit(_dropdown_text), "staat niet in de keuzelijst"),
    "p-dubbel": ({}, _edit(_duplicate), "staat 2 keer"),
    "p-genest": ({}, _edit(_nested), "staat binnen het invulvak"),
    # Adopted without who and when: the batch, not the reader, refuses it.
    "p-vastgesteld": ({"team.status": "vastgesteld", "team.vastgesteld_door": None,
                       "team.vastgesteld_op": None}, None, "status is 'vastgesteld'"),
}


@pytest.fixture(scope="module")
def forms(tmp_path_factory, write_team) -> Path:
    dest = tmp_path_factory.mktemp("privacy")
    for team, (answers, edit, _) in TEAMS.items():
        folder = write_team(dest, "burgerzaken", team_id=team,
                            identity={"team_lead": f"Anja {SENTINEL}"},
                            answers={"team": {**PERSONAL, **answers},
                                     "digitaal": {"digitaal.kanalen": SENTINEL}})
        if edit:
            edit(folder / "team.docx")
    return dest


def test_forms_really_hold_the_sentinel(forms):
    for team in TEAMS:
        with zipfile.ZipFile(forms / team / "team.docx") as zf:
            assert SENTINEL.encode() in zf.read("word/document.xml")
    with zipfile.ZipFile(forms / "p-keuze" / "team.docx") as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
    assert SENTINEL in "".join(control(root, "team.intervisie").itertext())


@pytest.fixture(scope="module")
def build(forms, tmp_path_factory, lo_cache):
    box = Sandbox(tmp_path_factory.mktemp("privacy-run") / "box", lo_cache)
    out = box.root / "uitvoer"
    return box, out, box.run("build", forms, "--policy", "voorbeeld", "--out", out, "--no-pdf")


def test_build_names_fields_not_contents(build):
    _, out, proc = build
    assert proc.returncode == 1, proc.stdout + proc.stderr
    for team, (_, _, message) in TEAMS.items():
        block = re.search(rf"^  {team} +MISLUKT\n((?:      .*\n)+)", proc.stdout, re.M)
        assert block, (team, proc.stdout)
        assert message in block[1]
        assert not (out / team).exists()
    assert SENTINEL not in proc.stdout + proc.stderr


def test_overview_and_output_folder_hold_no_contents(build):
    _, out, _ = build
    html = (out / "overzicht.html").read_text(encoding="utf-8")
    assert "is te lang" in html  # the failure column is there ...
    assert SENTINEL not in html  # ... without the answer
    book = load_workbook(out / "overzicht.xlsx")
    cells = [str(c) for ws in book for row in ws.iter_rows(values_only=True) for c in row if c]
    assert any("is geen datum" in c for c in cells)
    assert not [c for c in cells if SENTINEL in c]
    for path in out.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if zipfile.is_zipfile(path):
                with zipfile.ZipFile(path) as zf:
                    data = b"".join(zf.read(n) for n in zf.namelist())
            assert SENTINEL.encode() not in data, path


@pytest.mark.parametrize("team", TEAMS)
def test_check_names_fields_not_contents(sandbox, forms, team):
    form = forms / team / "team.docx"
    text = sandbox.run("check", form)
    assert text.returncode in (0, 1)
    assert "Traceback" not in text.stderr
    assert SENTINEL not in text.stdout + text.stderr
    as_json = sandbox.run("check", form, "--json")
    report = json.loads(as_json.stdout)
    # `fields` is the answers themselves, asked for on purpose; problems never quote them.
    assert SENTINEL not in json.dumps(report["errors"] + report["warnings"])
    assert SENTINEL not in as_json.stderr
