"""The real LibreOffice: open a generated form, change answers through UNO, save as .docx, read."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import zipfile
from pathlib import Path

import pytest
from helpers.forms_wordfill import NS, _runs, control, edit_docx, fill_text, w
from lxml import etree

from pipeline import ooxml
from pipeline.catalogue import FORMS, FieldType, Merge
from pipeline.forms.read import read_form

FILLER = Path(__file__).parents[1] / "helpers" / "lo_fill.py"

pytestmark = [pytest.mark.slow, pytest.mark.libreoffice]


def lo_fill(src: Path, dst: Path, edits: dict[str, object]) -> list[str]:
    """Run the UNO filler with the system Python (it has `uno`); return the tags it changed."""
    edits_file = dst.with_suffix(".json")
    edits_file.write_text(json.dumps(edits, ensure_ascii=False), encoding="utf-8")
    run = subprocess.run(["/usr/bin/python3", str(FILLER), str(src), str(dst), str(edits_file)],
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.split()
    assert lines[-1] == "done"
    return lines[:-1]


def test_answers_edited_in_libreoffice_read_back_exactly(make_form, tmp_path):
    src = make_form("team")
    before = read_form(src).fields
    edits = {
        "team.versie": "1.2",
        "team.aantal_medewerkers": "14",
        "team.competenties": "Nieuwe collega's nooit alleen aan de balie & altijd <samen>\n"
                             "Ervaren collega's doen de slechtnieuwsgesprekken",
        "team.status": "vastgesteld",
        "team.contact_huisbezoek": True,
        "team.contact_balie": False,
        "team.teamoverleg": "2026-03-01",
        "team.acties.wat": "Alarmknop testen {{ x }}",
        "team.acties.onderdeel": "N7",
        "team.acties.datum": "2026-06-30",
    }
    dst = tmp_path / "saved" / "team.docx"
    dst.parent.mkdir()
    assert set(lo_fill(src, dst, edits)) == set(edits)
    after = read_form(dst)
    assert after.errors == []
    expected = dict(before)
    expected.update({k: v for k, v in edits.items() if not k.startswith("team.acties.")})
    expected["team.teamoverleg"] = dt.date(2026, 3, 1)
    expected["team.acties"] = [{"wat": "Alarmknop testen {{ x }}", "onderdeel": "N7",
                                "eigenaar": None, "datum": dt.date(2026, 6, 30)}]
    assert after.fields == expected
    assert not [w for w in after.warnings if w.message != "nog niet ingevuld"]


def test_contact_form_saved_by_libreoffice_keeps_every_control(make_form, tmp_path):
    src = make_form("balie")
    dst = tmp_path / "saved.docx"
    edits = {"balie.ordebewaking": "Gastvrouw", "balie.alarmknop": "ja",
             "balie.alarmtest": "maandelijks", "balie.locaties.naam": "Stadhuis"}
    lo_fill(src, dst, edits)
    data = read_form(dst)
    asked = [f for f in FORMS["balie"].fields if f.merge is not Merge.LOCKED]
    assert set(data.fields) == {f.tag for f in asked}
    assert data.fields["balie.ordebewaking"] == "Gastvrouw"
    assert data.fields["balie.alarmknop"] == "ja"
    assert data.fields["balie.alarmtest"] == "maandelijks"
    assert data.fields["balie.locaties"] == [{"naam": "Stadhuis", "adres": None,
                                              "openingstijden": None}]
    untouched = [f.tag for f in asked if f.tag not in edits and f.type is not FieldType.ROWS]
    assert all(data.fields[t] in (None, False) for t in untouched)
    assert not [w for w in data.warnings if "via de vraag" in w.message]


def test_answers_given_in_libreoffice_are_not_grey(make_form, tmp_path):
    """LibreOffice gives an answer over a placeholder the placeholder's first character's
    formatting (measured): the unstyled lead keeps a chosen statement and typed text from
    staying grey (PlaceholderText), while an untouched control keeps its grey placeholder."""
    src = make_form("balie")
    dst = tmp_path / "saved.docx"
    edits = {"balie.alarmknop": "ja", "balie.ordebewaking": "Gastvrouw",
             "balie.alarmtest": "maandelijks"}
    lo_fill(src, dst, edits)
    with zipfile.ZipFile(dst) as z:
        body = etree.fromstring(z.read("word/document.xml"))
    for tag in edits:
        sdt = control(body, tag)
        runs = [r for r in sdt.iterfind("w:sdtContent/w:r", ooxml.NS) if ooxml.content_text(r)]
        assert "".join(ooxml.content_text(r) for r in runs) == edits[tag]
        styles = {s.get(ooxml.qn("w:val")) for r in runs for s in r.iterfind("w:rPr/w:rStyle",
                                                                          ooxml.NS)}
        assert ooxml.PLACEHOLDER_STYLE not in styles, tag
    untouched = control(body, "balie.camera")
    assert ooxml.showing_placeholder(untouched)
    assert untouched.xpath(".//w:rStyle/@w:val", namespaces=ooxml.NS) == [
        ooxml.PLACEHOLDER_STYLE]


def test_a_long_answer_of_two_paragraphs_saved_by_libreoffice(make_form, tmp_path):
    """Word: Enter in a long answer's box (the block-level control) gives a second paragraph
    inside the control. LibreOffice 25.2 keeps the first in the control and moves the second
    right after it, in the box's style (measured): the answer is read whole, with a warning.
    An answer typed in LibreOffice itself (one paragraph, line breaks) reads back exactly."""
    tag = "balie.bezetting"

    def typed(root):
        fill_text(root, tag, "Altijd twee mensen.")
        first = control(root, tag).find("w:sdtContent/w:p", NS)
        second = etree.Element(w("p"))
        second.append(etree.fromstring(etree.tostring(first.find("w:pPr", NS))))
        second.append(_runs("Op dinsdag drie."))
        first.addnext(second)

    word = edit_docx(make_form("balie"), tmp_path / "word.docx", typed)
    assert read_form(word).fields[tag] == "Altijd twee mensen.\nOp dinsdag drie."
    dst = tmp_path / "saved" / "balie.docx"
    dst.parent.mkdir()
    lo_fill(word, dst, {"balie.ordebewaking": "Gastvrouw\nen de teamleider"})
    data = read_form(dst)
    assert data.errors == []
    assert data.fields[tag] == "Altijd twee mensen.\nOp dinsdag drie."
    assert [p.message for p in data.warnings if p.tag == tag] == [
        "er stond tekst onder het antwoord, in hetzelfde vak maar buiten het invulvak; "
        "die is bij het antwoord gevoegd"]
    assert data.fields["balie.ordebewaking"] == "Gastvrouw\nen de teamleider"
    assert not [p for p in data.warnings if p.tag == "balie.ordebewaking"]


def test_answer_boxes_never_split_over_pages(make_form, tmp_path):
    """Laid out by LibreOffice: no answer box starts on one page and ends on the next, and
    no question is left at a page foot without its box, also with long answers (without
    keep-lines 3 boxes of this form split, measured)."""
    from pipeline.catalogue import FORMS as ALL

    long_answers = {f.tag: "\n".join(f"Regel {i} van een lang antwoord met wat tekst erbij."
                                     for i in range(12))
                    for f in ALL["team"].fields
                    if f.type is FieldType.MULTILINE and f.merge is not Merge.LOCKED}
    forms = [make_form("team", long_answers), make_form("balie")]
    run = subprocess.run(["/usr/bin/python3", str(FILLER.with_name("lo_boxes.py")),
                          *map(str, forms)], capture_output=True, text=True, timeout=180,
                         check=False)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.split("\n")
    assert [line.split()[1:] for line in lines if line] == [["0", "0"], ["0", "0"]]


def test_text_typed_over_a_prefilled_date_in_libreoffice_is_no_date(tmp_path):
    """LibreOffice 25.2 keeps the old w:fullDate under typed text: the text decides."""
    from helpers.batch import required_answers, write_team

    tag = "team.volgende_evaluatie"
    write_team(tmp_path / "in", "balie", required_answers(**{tag: dt.date(2028, 11, 18)}))
    dst = tmp_path / "saved" / "team.docx"
    dst.parent.mkdir()
    assert lo_fill(tmp_path / "in" / "balie" / "team.docx", dst,
                   {tag: "nog niet gepland"}) == [tag]
    sdt = control(etree.fromstring(zipfile.ZipFile(dst).read("word/document.xml")), tag)
    assert ooxml.sdt_full_date(sdt) == dt.date(2028, 11, 18)  # the stale hidden date
    after = read_form(dst)
    assert after.fields[tag] is None
    assert [w.tag for w in after.warnings if "datumkiezer" in w.message] == [tag]
