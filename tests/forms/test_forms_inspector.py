"""A form whose custom properties Word's Document Inspector removed ("Documenteigenschappen en
persoonlijke gegevens" > Alles verwijderen drops `docProps/custom.xml`, its relationship and
its content type) is recognised by its controls and its folder, with a warning."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from helpers.docx_surgery import rezip

from pipeline.errors import FormError
from pipeline.forms.folder import read_team_folder
from pipeline.forms.read import read_form

CUSTOM = "docProps/custom.xml"


def inspected(src: Path, dst: Path) -> Path:
    """`src` as Word saves it after the Document Inspector removed the properties."""
    with zipfile.ZipFile(src) as z:
        rels = z.read("_rels/.rels").decode()
        types = z.read("[Content_Types].xml").decode()
    rels = re.sub(r'<Relationship [^>]*Target="docProps/custom.xml"[^>]*/>', "", rels)
    types = re.sub(r'<Override [^>]*PartName="/docProps/custom.xml"[^>]*/>', "", types)
    dst.parent.mkdir(parents=True, exist_ok=True)
    rezip(src, dst, {CUSTOM: None, "_rels/.rels": rels.encode(),
                     "[Content_Types].xml": types.encode()})
    with zipfile.ZipFile(dst) as z:
        assert CUSTOM not in z.namelist()
        assert "custom-properties" not in z.read("_rels/.rels").decode()
    return dst


def _property_warnings(data):
    return [p for p in data.warnings if p.field is None and "formuliergegevens" in p.message]


@pytest.mark.parametrize("kind", ["team", "balie"])
def test_a_form_without_properties_is_recognised_by_its_controls(make_form, tmp_path, kind):
    answers = {"team.competenties": "Nooit alleen.\nAltijd samen."} if kind == "team" else \
        {"balie.ordebewaking": "Gastvrouw", "balie.alarmknop": "ja"}
    src = make_form(kind, answers)
    before = read_form(src)
    stripped = inspected(src, tmp_path / "elders" / "burgerzaken" / f"{kind}.docx")
    data = read_form(stripped)
    assert data.kind == kind
    assert data.team_id == "burgerzaken"  # the folder it is in
    assert data.fields == before.fields
    assert data.errors == before.errors == []
    (warning,) = _property_warnings(data)
    assert "verwijderd" in warning.message
    assert "'burgerzaken'" in warning.message
    assert "teamprotocol forms" in warning.hint
    others = [(p.tag, p.message) for p in data.warnings if p not in _property_warnings(data)]
    assert others == [(p.tag, p.message) for p in before.warnings]


def test_a_team_folder_of_inspected_forms_is_read(make_form, tmp_path):
    folder = tmp_path / "inspectie" / "burgerzaken"
    for kind in ("team", "balie"):
        inspected(make_form(kind), folder / f"{kind}.docx")
    forms, warnings = read_team_folder(folder)
    assert set(forms.forms) == {"team", "balie"}
    assert len([p for p in warnings if "formuliergegevens" in p.message]) == 2


def test_outside_a_team_folder_the_team_form_names_its_team(make_form, tmp_path):
    """`check` on one file in, say, "Mijn documenten": the team form's team name gives the
    team id; a contact form has no name of its team, so it is refused with what to do."""
    team = read_form(inspected(make_form("team"), tmp_path / "Mijn documenten" / "team.docx"))
    assert team.team_id == "burgerzaken-balie"  # "Burgerzaken & Balie"
    (warning,) = _property_warnings(team)
    assert "teamnaam op het formulier" in warning.message
    stripped = inspected(make_form("balie"), tmp_path / "Mijn documenten" / "balie.docx")
    with pytest.raises(FormError) as info:
        read_form(stripped)
    assert "team is onbekend" in info.value.message
    assert "map van het eigen team" in info.value.hint


def test_a_letter_with_one_of_our_controls_is_still_no_form(make_form, tmp_path):
    """Two or fewer of a form's tags are no form: it is refused as before."""
    src = make_form("balie")

    def keep_two(path: Path) -> bytes:
        with zipfile.ZipFile(path) as z:
            xml = z.read("word/document.xml").decode()
        tags = re.findall(r'w:tag w:val="([^"]+)"', xml)
        for tag in tags[2:]:
            xml = xml.replace(f'w:tag w:val="{tag}"', 'w:tag w:val="iets.anders"', 1)
        return xml.encode()

    letter = tmp_path / "burgerzaken" / "brief.docx"
    rezip(inspected(src, tmp_path / "x" / "balie.docx"), letter,
          {"word/document.xml": keep_two(src)})
    with pytest.raises(FormError) as info:
        read_form(letter)
    assert "geen formulier van teamprotocol" in info.value.message
