"""A renamed team keeps its answers (issue 21, item 12): the teams CSV's optional column
`vorige_team_id` names the team's folder of last round, and `forms --from` fills the renamed
team's new forms from it, through the real command on real forms read back. 0.3.1 ignored
the column: the renamed team got empty forms, and its old id was reported as gone.

The renamed team keeps its history too: `forms` writes the old id into the new team's forms
(the custom property `teamprotocol.vorige_team_id`, beside the team id), and `build` lists
the old id's archived versions in the Versiebeheer, compares with its last one in the change
document and points the new record's "Vervangt" at it."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from helpers.batch import ARCHIVE, adopted_answers, docx_paragraphs, run_cli, write_team
from helpers.forms_wordfill import add_row, controls, edit_docx, fill_text, set_date
from lxml import etree

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


MDTO = "{https://www.nationaalarchief.nl/mdto}"


@pytest.mark.libreoffice  # builds with PDFs: only adopted PDFs are archived
def test_a_renamed_team_continues_the_archived_history_of_its_old_id(tmp_path):
    last, new, out = tmp_path / "vorig", tmp_path / "nieuw", tmp_path / "uit"
    write_team(last, "balie", adopted_answers())  # 1.0, vastgesteld 2026-09-01
    proc = run_cli("build", last, "--policy", "voorbeeld", "--out", out, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    [old] = [p.name.removesuffix(".mdto.xml")
             for p in (out / ARCHIVE).glob("*_balie_teamprotocol_*.mdto.xml")
             if not p.name.endswith(".bestand.mdto.xml")]

    csv = tmp_path / "teams.csv"
    csv.write_text(HEADER + "publiekshal,Team publiekshal,Publiekszaken,L. Eiding,balie,balie\n",
                   encoding="utf-8")
    proc = run_cli("forms", csv, "--out", new, "--from", last, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    form = new / "publiekshal" / "team.docx"
    assert read_form(form).previous_team_id == "balie"

    def adopt(root: etree._Element) -> None:  # the team evaluates 1.0 and adopts 1.1, in Word
        set_date(root, "team.evaluatie_datum", dt.date(2026, 10, 1))
        fill_text(root, "team.evaluatie_naleving", "Nageleefd; geen afwijkingen.")
        set_date(root, "team.inventarisatie", dt.date(2026, 10, 15))
        set_date(root, "team.teamoverleg", dt.date(2026, 11, 1))
        set_date(root, "team.volgende_evaluatie", dt.date(2027, 11, 1))
        add_row(root, "team.acties.wat")
        last = len(controls(root, "team.acties.wat")) - 1
        for tag, text in (("wat", "Afspraken maken over N10"), ("onderdeel", "N10"),
                          ("eigenaar", "L. Eiding")):
            fill_text(root, f"team.acties.{tag}", text, index=last)
        set_date(root, "team.acties.datum", dt.date(2027, 6, 1), index=last)
        fill_text(root, "team.status", "vastgesteld")
        fill_text(root, "team.vastgesteld_door", "A. Hoofd, afdelingshoofd")
        set_date(root, "team.vastgesteld_op", dt.date(2026, 12, 1))

    filled = edit_docx(form, tmp_path / "team.docx", adopt)
    filled.replace(form)
    data = read_form(form)
    assert (data.fields["team.versie"], data.previous_team_id) == ("1.1", "balie")
    proc = run_cli("build", new, "--policy", "voorbeeld", "--out", out, cwd=tmp_path)
    text = proc.stdout + proc.stderr
    assert proc.returncode == 0, text

    history = json.loads((out / "publiekshal" / "protocol.json").read_bytes())["meta"]["history"]
    assert [(h["version"], h["status"]) for h in history] == [("1.0", "vastgesteld"),
                                                               ("1.1", "vastgesteld")]
    assert "eerste vastgestelde versie" in history[0]["note"]
    paragraphs = docx_paragraphs(out / "publiekshal" / "teamprotocol-publiekshal.docx")
    assert "eerste vastgestelde versie" in "\n".join(paragraphs)
    assert (out / "publiekshal" / "wijzigingen-publiekshal.docx").is_file()

    [record] = [p for p in (out / ARCHIVE).glob("*_publiekshal_teamprotocol_1.1_*.mdto.xml")
                if not p.name.endswith(".bestand.mdto.xml")]
    root = etree.fromstring(record.read_bytes())
    related = root.find(f"{MDTO}informatieobject/{MDTO}gerelateerdInformatieobject")
    assert related is not None
    assert related.findtext(f".//{MDTO}identificatieKenmerk") == old
    assert related.findtext(f".//{MDTO}begripLabel") == "Vervangt"
    assert "_balie_teamprotocol_1.0_" in old

    # Raised a version after a policy change, the forms still name the old id.
    proc = run_cli("versie", new, "--alle", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = read_form(form)
    assert (data.fields["team.versie"], data.previous_team_id) == ("1.2", "balie")
