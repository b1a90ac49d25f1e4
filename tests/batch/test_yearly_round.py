"""The yearly round on real files (issue 24): adopt 1.0, change three answers (one on the alarm
card, one in a table, one in a chapter), rebuild as 1.1 concept, read the change document
back; then adopt 1.1 and check the archive records."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
import xmlschema
from docx import Document
from helpers.batch import (
    adopted_answers,
    build,
    docx_paragraphs,
    protocol_json,
    run_cli,
    write_team,
)
from lxml import etree
from openpyxl import load_workbook

from pipeline import history
from pipeline.batch import BuildOptions, build_all
from pipeline.catalogue import FIELDS_BY_TAG
from pipeline.models import Protocol

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEAM = "kcc"
OLD_PHONE, NEW_PHONE = "06 1234 0005", "06 9999 0000"
OLD_NORM = ("Een bezoeker die scheldt omdat de wachttijd lang is, en een beller die blijft "
            "dreigen met de pers.")
NEW_NORM = ("Een bezoeker die scheldt omdat zijn aanvraag is afgewezen, en een beller die "
            "blijft dreigen met de pers.")


# Adopting 1.0 and 1.1 archives them, which takes their PDFs: the round converts.
pytestmark = pytest.mark.libreoffice

EVALUATION = "Grotendeels nageleefd; bij de telefoon werd twee keer te laat gewaarschuwd."


def _answers_10() -> dict:
    return adopted_answers(("balie",), **{"team.leidinggevende_telefoon": OLD_PHONE,
                                          "team.norm_voorbeelden": OLD_NORM})


def _answers_11(adopt: bool) -> dict:
    answers = _answers_10()
    actions = [dict(a) for a in answers["team.acties"]]
    actions[0]["eigenaar"] = "K. Smits"
    answers.update({"team.versie": "1.1", "team.leidinggevende_telefoon": NEW_PHONE,
                    "team.norm_voorbeelden": NEW_NORM, "team.acties": actions,
                    "team.inventarisatie": dt.date(2026, 10, 5),
                    "team.teamoverleg": dt.date(2026, 10, 19),
                    # Werkwijzer chapter 6: the version in force evaluated first.
                    "team.evaluatie_datum": dt.date(2026, 9, 28),
                    "team.evaluatie_deelnemers": "Alle twaalf medewerkers en Renske de Vries",
                    "team.evaluatie_naleving": EVALUATION})
    if adopt:
        answers.update({"team.vastgesteld_op": dt.date(2026, 11, 2)})
    else:
        answers.update({"team.status": "concept", "team.vastgesteld_door": None,
                        "team.vastgesteld_op": None})
    return answers


@pytest.fixture(scope="module")
def round_(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("jaarronde")
    forms, out = root / "formulieren", root / "uit"
    write_team(forms, TEAM, _answers_10(), team="Klantcontactcentrum")
    first = build(forms, out, jobs=1)
    write_team(forms, TEAM, _answers_11(adopt=False), team="Klantcontactcentrum")
    concept = build(forms, out, jobs=1, pdf=False)
    changes = out / TEAM / f"wijzigingen-{TEAM}.docx"
    kept = root / "wijzigingen-concept.docx"
    kept.write_bytes(changes.read_bytes())
    return {"root": root, "forms": forms, "out": out, "first": first, "concept": concept,
            "changes": kept,
            "concept_overview": (out / "overzicht.html").read_text(encoding="utf-8")}


def test_the_concept_build_makes_a_change_document(round_):
    assert [r.status for r in round_["first"].results] == ["gebouwd"]
    result = round_["concept"].results[0]
    assert result.status == "gebouwd"
    assert result.outputs["wijzigingen"] == f"{TEAM}/wijzigingen-{TEAM}.docx"


def test_the_change_document_is_the_protocol_in_house_style(round_):
    path = round_["changes"]
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        core = z.read("docProps/core.xml").decode()
        styles = z.read("word/styles.xml").decode()
    # The template's parts: headers and footers (page numbers), the logo, its styles.
    assert {"word/header1.xml", "word/footer1.xml", "word/media/image1.png"} <= names
    assert not [n for n in names if "stylesWithEffects" in n]
    assert 'w:styleId="Heading1"' in styles
    assert 'w:styleId="Tabeltekst"' in styles
    document = Document(str(path))
    props = document.core_properties
    assert props.author == "Gemeente Lindenhoven"
    assert props.title == "Wijzigingen teamprotocol Klantcontactcentrum, versie 1.1 ten " \
                          "opzichte van 1.0"
    assert props.language == "nl-NL"
    assert "python-docx" not in core
    assert props.created.year >= 2026
    # Headings stay headings, tables stay tables, lists stay lists.
    body_styles = {p.style.style_id for p in document.paragraphs}
    assert {"Heading1", "Heading2", "Heading3", "ListBullet"} <= body_styles
    assert len(document.tables) > 5


def _summary(path: Path) -> list[str]:
    texts = docx_paragraphs(path)
    start = texts.index("Samenvatting van de wijzigingen")
    return texts[start + 1:start + 40]


def test_page_one_summarises_each_change_in_one_line(round_):
    lines = _summary(round_["changes"])
    assert "Wijzigingen teamprotocol Klantcontactcentrum" in docx_paragraphs(round_["changes"])
    # The card, the table of actions and chapter 4, each with the words that changed.
    assert f"Leidinggevende: {OLD_PHONE} → {NEW_PHONE}" in lines
    assert "Alarmkaart" in lines
    assert any(re.match(r"[A-Z]+\d+: .*L\. Eiding → K\. Smits", line) for line in lines), lines
    assert any(line.startswith("4.2 ") and line.endswith("tekst gewijzigd") for line in lines)
    # No date a person reads in ISO form.
    assert not [line for line in lines if re.search(r"\d{4}-\d\d-\d\d", line)]


def _marked(path: Path) -> tuple[list[str], list[str], etree._Element]:
    with zipfile.ZipFile(path) as z:
        body = etree.fromstring(z.read("word/document.xml"))
    ins = ["".join(t.text or "" for t in m.iter(f"{W}t")) for m in body.iter(f"{W}ins")]
    dels = ["".join(t.text or "" for t in m.iter(f"{W}delText")) for m in body.iter(f"{W}del")]
    return [i for i in ins if i], [d for d in dels if d], body


def test_changes_are_tracked_by_whole_words_in_card_table_and_chapter(round_):
    ins, dels, body = _marked(round_["changes"])
    new_text = " ".join(ins)
    old_text = " ".join(dels)
    assert "9999 0000" in new_text
    assert "1234 0005" in old_text
    assert "K. Smits" in new_text
    assert "L. Eiding" in old_text
    assert "zijn aanvraag is afgewezen" in new_text                  # chapter 4.2
    assert "de wachttijd lang" in old_text
    # Whole words: every changed piece, read in its paragraph, starts and ends at a word edge.
    for p in body.iter(f"{W}p"):
        pieces = []
        for el in p.iter(f"{W}t", f"{W}delText"):
            marked = next((a for a in el.iterancestors(f"{W}ins", f"{W}del")), None)
            pieces.append((el.text or "", marked is not None))
        for k, (text, marked) in enumerate(pieces):
            if not marked or not text:
                continue
            before = pieces[k - 1][0] if k else ""
            after = pieces[k + 1][0] if k + 1 < len(pieces) else ""
            if before and not pieces[k - 1][1]:
                assert not (before[-1].isalnum() and text[0].isalnum()), (before, text)
            if after and not pieces[k + 1][1]:
                assert not (text[-1].isalnum() and after[0].isalnum()), (text, after)
    # The table change sits in a table cell, the card's in the card's own table.
    cells = [m for m in body.iter(f"{W}ins") if next(m.iterancestors(f"{W}tc"), None) is not None]
    assert any("K. Smits" in "".join(t.text or "" for t in m.iter(f"{W}t")) for m in cells)


def test_the_versiebeheer_note_is_the_summary(round_):
    """The new version's Versiebeheer line names the places of page 1's summary (shortened
    to the places: the whole lines are longer than a table cell should hold)."""
    note = protocol_json(round_["out"], TEAM)["meta"]["history"][-1]["note"]
    lines = _summary(round_["changes"])
    # Each changed place, or (when the lines are too long for one cell) its chapter.
    for place, chapter in (("Leidinggevende", "Alarmkaart"),
                           ("4.2 Wat in ons werk over de grens gaat", "4. Normoverschrijdend"),
                           ("V2", "7. Checklist: wat is geregeld")):
        assert any(line.startswith(f"{place}: ") for line in lines)
        assert any(line.startswith(chapter) for line in lines)  # the chapter's heading
        assert place in note or chapter in note, note
    assert "Versie" not in note
    assert "Status" not in note
    text = "\n".join(docx_paragraphs(round_["out"] / TEAM / f"teamprotocol-{TEAM}.docx"))
    assert note.split("; ", 1)[1] in text


SHARED_XSD = Path(__file__).resolve().parents[1] / "data" / "mdto" / "MDTO-XML1.0.1.xsd"
MDTO_NS = {"m": "https://www.nationaalarchief.nl/mdto"}


@pytest.fixture(scope="module")
def adopted_11(round_) -> dict:
    """Version 1.1 adopted on 2 November 2026 and built with PDFs: it is archived."""
    write_team(round_["forms"], TEAM, _answers_11(adopt=True), team="Klantcontactcentrum")
    run = run_cli("build", round_["forms"], "--policy", "voorbeeld", "--out", round_["out"],
                  "--jobs", "1", cwd=round_["root"])
    return {**round_, "adopted": run, "archive": round_["out"] / "archief"}


def _record(archive: Path, version: str) -> etree._Element:
    path = next(p for p in archive.glob(f"*_{TEAM}_teamprotocol_{version}_*.mdto.xml")
                if not p.name.endswith(".bestand.mdto.xml"))
    return etree.parse(str(path)).getroot()


def test_adopting_11_closes_the_retention_of_10(adopted_11):
    run = adopted_11["adopted"]
    assert run.returncode == 0, run.stdout + run.stderr
    # The console names the change document of the team it built.
    changes = adopted_11["out"] / TEAM / f"wijzigingen-{TEAM}.docx"
    assert f"Wijzigingen {TEAM} ten opzichte van de vastgestelde versie: {changes}" \
        in run.stdout
    old = _record(adopted_11["archive"], "1.0")
    term = old.find(".//m:bewaartermijn", MDTO_NS)
    # Counted from the adoption of 1.1 (the Selectielijst's "na vervallen"), the policy's P10Y.
    assert term.findtext("m:termijnStartdatumLooptijd", namespaces=MDTO_NS) == "2026-11-02"
    assert term.findtext("m:termijnLooptijd", namespaces=MDTO_NS) == "P10Y"
    assert term.findtext("m:termijnEinddatum", namespaces=MDTO_NS) == "2036-11-02"
    assert term.findtext("m:termijnTriggerStartLooptijd/m:begripLabel", namespaces=MDTO_NS)
    # The version in force has the trigger and the term, but no end yet.
    new = _record(adopted_11["archive"], "1.1").find(".//m:bewaartermijn", MDTO_NS)
    assert new.find("m:termijnEinddatum", MDTO_NS) is None
    assert new.find("m:termijnTriggerStartLooptijd", MDTO_NS) is not None


def test_every_version_is_part_of_the_team_series_and_every_record_validates(adopted_11):
    archive = adopted_11["archive"]
    series = list(archive.glob(f"*_{TEAM}_teamprotocollen.mdto.xml"))
    assert len(series) == 1
    key = series[0].name.removesuffix(".mdto.xml")
    root = etree.parse(str(series[0])).getroot()
    assert root.findtext(".//m:aggregatieniveau/m:begripLabel", namespaces=MDTO_NS) == "Serie"
    for version in ("1.0", "1.1"):
        parent = _record(archive, version).findtext(
            ".//m:isOnderdeelVan/m:verwijzingIdentificatie/m:identificatieKenmerk",
            namespaces=MDTO_NS)
        assert parent == key
    schema = xmlschema.XMLSchema(str(SHARED_XSD))
    files = sorted(archive.glob("*.mdto.xml"))
    assert len(files) == 5  # two records, two files, one series
    for path in files:
        schema.validate(str(path))


def test_the_overview_names_the_change_document_and_the_version_in_force(round_):
    """Built as 1.1 concept after 1.0: the overview links the change document and says
    1.0 is the version in force."""
    concept_page = round_["concept_overview"]
    assert f'href="{TEAM}/wijzigingen-{TEAM}.docx">Wijzigingen</a>' in concept_page
    assert "geldt nu: versie 1.0, 1 september 2026" in concept_page


def test_versions_whose_retention_ended_are_listed_never_deleted(adopted_11):
    """Ten years after 1.1 replaced 1.0: the overview and the workbook list 1.0 as *mag
    worden vernietigd*; the day before, nothing; the file stays."""
    archive = adopted_11["archive"]
    assert history.destroyable(archive, dt.date(2036, 11, 1)) == []
    [gone] = history.destroyable(archive, dt.date(2036, 11, 2))
    assert gone.end == dt.date(2036, 11, 2)
    assert "versie 1.0" in gone.name
    out = adopted_11["out"]
    build_all(BuildOptions(forms_dir=adopted_11["forms"], out_dir=out, today=dt.date(2037, 1, 1)))
    page = (out / "overzicht.html").read_text(encoding="utf-8")
    assert "Archief: mag worden vernietigd" in page
    assert "versie 1.0" in page
    assert "2 november 2036" in page
    sheet = load_workbook(out / "overzicht.xlsx")["Mag worden vernietigd"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1
    assert "versie 1.0" in rows[0][0]
    assert (out / rows[0][1]).is_file()  # listed, never deleted


def test_chapter_6_holds_the_evaluation_of_the_previous_version(adopted_11):
    """1.1 shows the evaluation of 1.0; the archived 1.0 (a first version) shows no empty
    evaluation questions."""
    first = Protocol.model_validate_json(next(adopted_11["archive"].glob(
        f"*_{TEAM}_teamprotocol_1.0_*.protocol.json")).read_bytes())
    titles = [b.title for c in first.chapters for b in c.team]
    assert "Naleving van de afspraken en afwijkingen" not in titles
    assert FIELDS_BY_TAG["team.teamoverleg"].title in titles
    text = docx_paragraphs(adopted_11["out"] / TEAM / f"teamprotocol-{TEAM}.docx")
    at = text.index("Naleving van de afspraken en afwijkingen")
    assert text[at + 1] == EVALUATION
    assert "28 september 2026" in text[text.index("Datum van de evaluatie van de vorige versie")
                                       + 1]
    chapter_6 = text.index("6. Borging en monitoring", text.index("Inhoud") + 30)
    assert chapter_6 < at < text.index("7. Checklist: wat is geregeld", chapter_6)
