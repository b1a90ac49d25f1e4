"""Write a form, fill it the way Word stores answers (plain lxml), read it back exactly."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from helpers.forms_wordfill import (
    add_row,
    box_of,
    control,
    edit_docx,
    fill_text,
    remove_tag,
    replace_control_with_text,
    set_checkbox,
    set_date,
    strip_controls_from_row,
)
from lxml import etree

from pipeline.catalogue import FORMS, SCHEMA_VERSION, FieldType, Merge
from pipeline.forms.fields import LOCKED_DEFAULT
from pipeline.forms.read import read_form
from pipeline.forms.write import write_form

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def test_blank_form_reads_back_empty_except_identity(make_form, identity):
    data = read_form(make_form("team"))
    assert (data.kind, data.team_id, data.schema_version) == ("team", "burgerzaken", SCHEMA_VERSION)
    assert data.errors == []
    assert data.fields["team.team"] == "Burgerzaken & Balie"
    assert data.fields["team.afdeling"] == "Publiekszaken"
    assert data.fields["team.leidinggevende"] == "Anja de Vries"
    assert data.fields["team.contact_balie"] is True
    assert data.fields["team.contact_digitaal"] is True
    assert data.fields["team.contact_huisbezoek"] is False
    assert data.fields["team.acties"] == []
    prefilled = {"team.team", "team.afdeling", "team.leidinggevende"}
    for f in FORMS["team"].fields:
        if f.merge is Merge.LOCKED:
            assert f.tag not in data.fields  # organisation text is never read as an answer
        elif f.tag not in prefilled and f.type not in (FieldType.CHECKBOX, FieldType.ROWS):
            assert data.fields[f.tag] is None, f.tag
    missing = {p.tag for p in data.warnings if p.message == "nog niet ingevuld"}
    assert missing == {f.tag for f in FORMS["team"].fields if f.required} - prefilled


@pytest.mark.parametrize("kind", list(FORMS))
def test_every_kind_writes_and_reads_without_errors(make_form, kind):
    data = read_form(make_form(kind))
    assert data.kind == kind
    assert data.errors == []
    assert not [w for w in data.warnings if w.message != "nog niet ingevuld"]


def test_same_inputs_give_identical_bytes_and_fixed_dates(identity):
    a = write_form("balie", identity)
    assert a == write_form("balie", identity)
    with zipfile.ZipFile(io.BytesIO(a)) as z:
        assert {i.date_time for i in z.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
        custom = z.read("docProps/custom.xml").decode()
    assert "2000-01-01T00:00:00Z" in core
    assert "Bijlage balie en spreekkamer" in core
    for name, value in (("teamprotocol.kind", "balie"),
                        ("teamprotocol.schema_version", SCHEMA_VERSION),
                        ("teamprotocol.team_id", "burgerzaken")):
        assert f'name="{name}"><vt:lpwstr>{value}</vt:lpwstr>' in custom


def test_every_field_type_filled_like_word(make_form, tmp_path):
    src = make_form("team")

    def fill(root):
        fill_text(root, "team.versie", "1.0")  # text
        fill_text(root, "team.competenties", "regel één\nregel twee\tmet tab")  # multiline
        fill_text(root, "team.status", "vastgesteld")  # drop-down
        set_checkbox(root, "team.contact_huisbezoek", True)  # checkbox on
        set_checkbox(root, "team.contact_balie", False)  # checkbox off
        set_date(root, "team.teamoverleg", dt.date(2026, 3, 1))  # date picker
        fill_text(root, "team.acties.wat", "Alarmknop testen")  # rows
        fill_text(root, "team.acties.onderdeel", "N7")
        fill_text(root, "team.acties.eigenaar", "Facilitair")
        set_date(root, "team.acties.datum", dt.date(2026, 6, 30))
        fill_text(root, "team.acties.wat", "Huisregels ophangen", index=2)

    data = read_form(edit_docx(src, tmp_path / "filled.docx", fill))
    assert data.errors == []
    f = data.fields
    assert f["team.versie"] == "1.0"
    assert f["team.competenties"] == "regel één\nregel twee\tmet tab"
    assert f["team.status"] == "vastgesteld"
    assert f["team.contact_huisbezoek"] is True
    assert f["team.contact_balie"] is False
    assert f["team.teamoverleg"] == dt.date(2026, 3, 1)
    assert f["team.acties"] == [
        {"wat": "Alarmknop testen", "onderdeel": "N7", "eigenaar": "Facilitair",
         "datum": dt.date(2026, 6, 30)},
        {"wat": "Huisregels ophangen", "onderdeel": None, "eigenaar": None, "datum": None},
    ]  # the empty middle row is skipped
    assert data.warnings == [w for w in data.warnings if w.message == "nog niet ingevuld"]


def test_rows_added_in_word_and_in_libreoffice(make_form, tmp_path):
    src = make_form("balie")

    def fill(root):
        for i in range(3):
            fill_text(root, "balie.locaties.naam", f"Locatie {i}", index=i)
        add_row(root, "balie.locaties.naam")  # Word's plus button copies the row's controls
        fill_text(root, "balie.locaties.naam", "Locatie 3", index=3)
        add_row(root, "balie.locaties.naam")
        strip_controls_from_row(root, "balie.locaties.naam", ["Wijkpost", "Plein 2", "9-12"])

    data = read_form(edit_docx(src, tmp_path / "rows.docx", fill))
    rows = data.fields["balie.locaties"]
    assert [r["naam"] for r in rows] == ["Wijkpost", "Locatie 1", "Locatie 2", "Locatie 3"]
    assert rows[0] == {"naam": "Wijkpost", "adres": "Plein 2", "openingstijden": "9-12"}
    assert [w.message for w in data.warnings if w.tag == "balie.locaties"] == [
        "3 cel(len) zonder invulvak gelezen via de kolomkop"]


def test_placeholder_text_is_empty_even_without_the_flag(make_form, tmp_path):
    src = make_form("balie")

    def drop_flags(root):
        for flag in root.iter(f"{{{W}}}showingPlcHdr"):
            flag.getparent().remove(flag)

    data = read_form(edit_docx(src, tmp_path / "noflag.docx", drop_flags))
    assert data.errors == []
    assert data.fields["balie.ordebewaking"] is None
    assert data.fields["balie.alarmtest"] is None
    assert data.fields["balie.locaties"] == []


def test_words_own_placeholder_is_empty(make_form, tmp_path):
    src = make_form("balie")
    data = read_form(edit_docx(src, tmp_path / "p.docx", lambda r: fill_text(
        r, "balie.bezetting", "Klik of tik om tekst in te voeren.")))
    assert data.fields["balie.bezetting"] is None


@pytest.mark.parametrize(("typed", "expected"), [
    ("1-3-2026", dt.date(2026, 3, 1)), ("2026-03-01", dt.date(2026, 3, 1)),
    ("01/03/2026", dt.date(2026, 3, 1)), ("1 maart 2026", dt.date(2026, 3, 1)),
])
def test_typed_dates_without_full_date(make_form, tmp_path, typed, expected):
    src = make_form("team")
    data = read_form(edit_docx(src, tmp_path / "d.docx",
                               lambda r: fill_text(r, "team.teamoverleg", typed)))
    assert data.fields["team.teamoverleg"] == expected
    assert data.errors == []


def test_bad_date_and_bad_choice_are_errors_naming_the_field(make_form, tmp_path):
    src = make_form("team")

    def fill(root):
        fill_text(root, "team.teamoverleg", "volgende week")
        fill_text(root, "team.intervisie", "soms")

    data = read_form(edit_docx(src, tmp_path / "bad.docx", fill))
    assert data.fields["team.teamoverleg"] is None
    assert data.fields["team.intervisie"] is None
    by_tag = {p.tag: p for p in data.errors}
    assert by_tag["team.teamoverleg"].message == "het antwoord is geen datum"
    assert by_tag["team.teamoverleg"].field == "Datum van het teamoverleg (stap 2)"
    assert by_tag["team.intervisie"].message == "het antwoord staat niet in de keuzelijst"
    assert "maandelijks" in by_tag["team.intervisie"].hint
    assert "volgende week" not in str([p.model_dump() for p in data.errors])  # no contents


def test_lost_tag_is_recovered_via_the_label(make_form, tmp_path):
    src = make_form("balie")

    def damage(root):
        fill_text(root, "balie.ordebewaking", "Gastvrouw en boa")
        remove_tag(root, "balie.ordebewaking")
        fill_text(root, "balie.camera", "ja")
        remove_tag(root, "balie.camera")
        fill_text(root, "balie.alarmtest", "jaarlijks")
        remove_tag(root, "balie.alarmtest")

    data = read_form(edit_docx(src, tmp_path / "lost.docx", damage))
    assert data.fields["balie.ordebewaking"] == "Gastvrouw en boa"
    assert data.fields["balie.camera"] == "ja"
    assert data.fields["balie.alarmtest"] == "jaarlijks"
    recovered = {p.tag for p in data.warnings if "via de vraag" in p.message}
    assert recovered == {"balie.ordebewaking", "balie.camera", "balie.alarmtest"}
    assert data.errors == []


def test_deleted_control_typed_over_is_recovered(make_form, tmp_path):
    src = make_form("team")

    def damage(root):
        replace_control_with_text(root, "team.versie", "2.1")
        replace_control_with_text(root, "team.teamoverleg", "3-2-2026")
        replace_control_with_text(root, "team.dilemmas", "eerste alinea")
        # Enter pressed: a second paragraph with more typed text after the answer paragraph
        para = next(control(root, "team.intervisie").iterancestors(f"{{{W}}}p"))
        label = para.getprevious()
        extra = etree.fromstring(f'<w:p xmlns:w="{W}"><w:r><w:t>tweede alinea</w:t></w:r></w:p>')
        label.getprevious().addnext(extra)  # paragraph after the dilemma answer

    data = read_form(edit_docx(src, tmp_path / "typed.docx", damage))
    assert data.fields["team.versie"] == "2.1"
    assert data.fields["team.teamoverleg"] == dt.date(2026, 2, 3)
    assert data.fields["team.dilemmas"] == "eerste alinea\ntweede alinea"
    recovered = {p.tag for p in data.warnings if "via de vraag" in p.message}
    assert recovered == {"team.versie", "team.teamoverleg", "team.dilemmas"}


def test_duplicated_control_is_an_error(make_form, tmp_path):
    src = make_form("balie")

    def duplicate(root):
        sdt = control(root, "balie.bezetting")
        sdt.addnext(etree.fromstring(etree.tostring(sdt)))

    data = read_form(edit_docx(src, tmp_path / "dup.docx", duplicate))
    assert [(p.tag, p.message) for p in data.errors] == [
        ("balie.bezetting", "het invulvak staat 2 keer in het formulier")]


def test_deleted_question_is_an_error(make_form, tmp_path):
    src = make_form("balie")

    def delete(root):
        para = box_of(control(root, "balie.bezetting"))
        para.getparent().remove(para.getprevious())
        para.getparent().remove(para)

    data = read_form(edit_docx(src, tmp_path / "del.docx", delete))
    assert [p.tag for p in data.errors] == ["balie.bezetting"]


def test_locked_text_is_shown_read_only(make_form, tmp_path):
    default = make_form("team")
    xml = zipfile.ZipFile(default).read("word/document.xml").decode()
    assert LOCKED_DEFAULT in xml
    assert 'w:lock w:val="sdtContentLocked"' in xml
    custom = make_form("team", locked_texts={"norm": "Emotie mag, agressie niet."})
    xml = zipfile.ZipFile(custom).read("word/document.xml").decode()
    assert "Emotie mag, agressie niet." in xml
    assert "team.organisatienorm" not in read_form(custom).fields


def test_answers_of_every_type_round_trip_through_write(make_form):
    answers = {
        "team.versie": "1.0", "team.status": "concept", "team.contact_bijeenkomsten": True,
        "team.vastgesteld_op": dt.date(2026, 1, 31), "team.dilemmas": "a\nb",
        "team.acties": [{"wat": f"actie {i}", "onderdeel": "B3", "eigenaar": None,
                         "datum": dt.date(2026, 5, i + 1)} for i in range(5)],
    }
    data = read_form(make_form("team", answers))
    for tag, value in answers.items():
        assert data.fields[tag] == value, tag


def test_every_tag_lost_like_libreoffice_7_4(make_form, tmp_path):
    """LibreOffice 7.4 drops every `w:tag` and the placeholder flag (word-forms.md)."""
    src = make_form("team")

    def fill_then_strip(root):
        fill_text(root, "team.versie", "3.0")
        fill_text(root, "team.dilemmas", "a\nb")
        set_checkbox(root, "team.contact_bijeenkomsten", True)
        set_date(root, "team.volgende_evaluatie", dt.date(2027, 1, 15))
        fill_text(root, "team.acties.wat", "Training plannen", index=1)
        fill_text(root, "team.acties.onderdeel", "N3", index=1)
        for name in ("tag", "showingPlcHdr"):
            for el in list(root.iter(f"{{{W}}}{name}")):
                el.getparent().remove(el)

    data = read_form(edit_docx(src, tmp_path / "lo74.docx", fill_then_strip))
    assert data.errors == []
    f = data.fields
    assert f["team.team"] == "Burgerzaken & Balie"
    assert f["team.versie"] == "3.0"
    assert f["team.dilemmas"] == "a\nb"
    assert f["team.contact_bijeenkomsten"] is True
    assert f["team.contact_huisbezoek"] is False
    assert f["team.volgende_evaluatie"] == dt.date(2027, 1, 15)
    assert f["team.status"] is None
    assert f["team.acties"] == [{"wat": "Training plannen", "onderdeel": "N3", "eigenaar": None,
                                 "datum": None}]
    recovered = {p.tag for p in data.warnings if p.message != "nog niet ingevuld"}
    assert {"team.versie", "team.dilemmas", "team.volgende_evaluatie",
            "team.acties"} <= recovered


def test_the_action_list_offers_checklist_items_by_name(make_form, tmp_path):
    """The team form's action drop-down shows 'N6 Bouwkundige en technische voorzieningen',
    not a bare code; what Word puts in the cell on choosing it reads back as the item's id,
    and a bare id (a form filled before names were shown) still does (issue 22, item 5)."""
    from pipeline.catalogue import CHECKLIST

    src = make_form("team", {"team.acties": [{"wat": "Tweede uitgang", "onderdeel": "N6",
                                              "eigenaar": None, "datum": None}]})
    root = etree.fromstring(zipfile.ZipFile(src).read("word/document.xml"))
    ns = {"w": W}
    control = next(s for s in root.iter(f"{{{W}}}sdt")
                   if s.find("w:sdtPr/w:tag", ns) is not None
                   and s.find("w:sdtPr/w:tag", ns).get(f"{{{W}}}val") == "team.acties.onderdeel")
    items = [(i.get(f"{{{W}}}displayText"), i.get(f"{{{W}}}value"))
             for i in control.iter(f"{{{W}}}listItem")]
    assert ("N6 Bouwkundige en technische voorzieningen", "N6") in items
    assert [v for _, v in items if v in {i.id for i in CHECKLIST}] == [i.id for i in CHECKLIST]
    assert all(shown.startswith(f"{value} ") and len(shown) > len(value) + 3
               for shown, value in items if value in {i.id for i in CHECKLIST})
    shown = "".join(t.text or "" for t in control.iter(f"{{{W}}}t"))
    assert shown == "N6 Bouwkundige en technische voorzieningen"
    assert read_form(src).fields["team.acties"][0]["onderdeel"] == "N6"

    def choose(root):
        fill_text(root, "team.acties.onderdeel", "N8 Opvang en nazorg")
        fill_text(root, "team.acties.onderdeel", "L3", index=1)

    two = make_form("team", {"team.acties": [
        {"wat": "Opvang regelen", "onderdeel": None, "eigenaar": None, "datum": None},
        {"wat": "Incidentgesprek", "onderdeel": None, "eigenaar": None, "datum": None}]})
    data = read_form(edit_docx(two, tmp_path / "gekozen.docx", choose))
    assert data.errors == []
    assert [r["onderdeel"] for r in data.fields["team.acties"]] == ["N8", "L3"]
