"""Files that are not (our) forms: a Dutch FormError naming the file, never a traceback."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from docx import Document
from helpers.docx_surgery import rezip
from helpers.forms_wordfill import edit_docx

from pipeline.catalogue import SCHEMA_VERSION
from pipeline.errors import FormError, TeamFormsError
from pipeline.forms import package
from pipeline.forms.folder import read_team_folder
from pipeline.forms.read import read_form
from pipeline.forms.write import write_form

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def _error(path: Path) -> FormError:
    with pytest.raises(FormError) as info:
        read_form(path)
    assert info.value.file == str(path)
    return info.value


def test_not_a_docx(tmp_path):
    path = tmp_path / "notities.docx"
    path.write_text("gewoon tekst", encoding="utf-8")
    assert _error(path).message == "het bestand is geen Word-document (.docx)"


def test_truncated_zip(make_form):
    path = make_form("balie")
    path.write_bytes(path.read_bytes()[:3000])
    assert "beschadigd of onvolledig" in _error(path).message


def test_encrypted_or_old_doc(tmp_path):
    path = tmp_path / "beveiligd.docx"
    path.write_bytes(OLE2)
    error = _error(path)
    assert "wachtwoord" in error.message
    assert ".doc" in error.message


def test_foreign_docx(tmp_path):
    doc = Document()
    doc.add_paragraph("Een gewone brief")
    path = tmp_path / "brief.docx"
    doc.save(path)
    error = _error(path)
    assert "geen formulier van teamprotocol" in error.message
    assert "coördinator" in error.hint


def test_other_schema_version(make_form, tmp_path):
    src = make_form("balie")

    def bump(root):
        for prop in root:
            if prop.get("name") == "teamprotocol.schema_version":
                prop[0].text = "0"

    path = edit_docx(src, tmp_path / "oud.docx", bump, part="docProps/custom.xml")
    error = _error(path)
    assert error.message == f"dit formulier heeft schemaversie '0', verwacht is '{SCHEMA_VERSION}'"


def test_macro_enabled(make_form, tmp_path):
    src = make_form("balie")
    types = zipfile.ZipFile(src).read("[Content_Types].xml").replace(
        b"wordprocessingml.document.main+xml", b"MACRO").replace(
        b"application/vnd.openxmlformats-officedocument.MACRO",
        b"application/vnd.ms-word.document.macroEnabled.main+xml")
    path = rezip(src, tmp_path / "macro.docx", {"[Content_Types].xml": types})
    assert "macro" in _error(path).message


def test_doctype_and_entities_are_refused(make_form, tmp_path):
    src = make_form("balie")
    xml = zipfile.ZipFile(src).read("word/document.xml")
    evil = xml.replace(b"?>", b'?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>', 1)
    path = rezip(src, tmp_path / "xxe.docx", {"word/document.xml": evil})
    assert "DOCTYPE" in _error(path).message


def test_member_too_large_after_unzipping(make_form, tmp_path):
    src = make_form("balie")
    bomb = b"\x00" * (package.MAX_MEMBER_BYTES + 1)  # compresses to ~20 kB
    path = rezip(src, tmp_path / "bom.docx", {"word/media/groot.bin": bomb})
    assert path.stat().st_size < 100_000
    assert "groter dan 20 MB" in _error(path).message


def test_member_size_lie_is_refused(make_form, tmp_path):
    """A zip whose headers claim a tiny document.xml: never more than the claim is inflated."""
    src = make_form("balie")
    data = bytearray(src.read_bytes())
    name = b"word/document.xml"
    for sig, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        pos = data.find(sig)
        while pos != -1:
            if data[pos + name_at:pos + name_at + len(name)] == name:
                data[pos + size_at:pos + size_at + 4] = (100).to_bytes(4, "little")
            pos = data.find(sig, pos + 4)
    path = tmp_path / "lie.docx"
    path.write_bytes(bytes(data))
    assert zipfile.ZipFile(path).getinfo("word/document.xml").file_size == 100
    assert "beschadigd" in _error(path).message


def test_file_too_large(tmp_path):
    path = tmp_path / "groot.docx"
    with path.open("wb") as f:
        f.truncate(package.MAX_FILE_BYTES + 1)
    assert _error(path).message == "het bestand is groter dan 20 MB"


def test_control_characters_in_answers_are_refused_by_the_writer(identity):
    with pytest.raises(FormError) as info:
        write_form("balie", identity, {"balie.bezetting": "a\x07b"})
    assert info.value.field == "Minimale bezetting en risicomomenten"
    assert "stuurteken" in info.value.message


def _team_folder(tmp_path: Path, identity, kinds=("team", "balie")) -> Path:
    folder = tmp_path / identity.team_id
    folder.mkdir()
    for kind in kinds:
        (folder / f"{kind}.docx").write_bytes(write_form(kind, identity))
    return folder


def test_team_folder_reads_every_form_and_skips_lock_files(tmp_path, identity):
    folder = _team_folder(tmp_path, identity)
    (folder / "~$team.docx").write_bytes(b"lock")
    forms, warnings = read_team_folder(folder)
    assert sorted(forms.forms) == ["balie", "team"]
    assert forms.team_id == "burgerzaken"
    assert all(w.message == "nog niet ingevuld" for w in warnings)


def test_team_folder_problems(tmp_path, identity):
    folder = _team_folder(tmp_path, identity, kinds=("balie",))
    with pytest.raises(TeamFormsError) as info:
        read_team_folder(folder)
    assert info.value.message == "het teamformulier ontbreekt"
    (folder / "team.docx").write_bytes(write_form("team", identity))
    (folder / "balie kopie.docx").write_bytes(write_form("balie", identity))
    other = identity.model_copy(update={"team_id": "wijkteam"})
    (folder / "wijk.docx").write_bytes(write_form("digitaal", other))
    with pytest.raises(TeamFormsError) as info:
        read_team_folder(folder)
    messages = [p.message for p in info.value.problems]
    assert "dit soort formulier staat al in de map: balie kopie.docx" in messages
    assert "dit formulier is van team 'wijkteam' maar staat in de map 'burgerzaken'" in messages


def test_zip_in_memory_is_not_written_to_disk_by_reader(make_form):
    # read_form only reads: the file is byte-identical afterwards.
    path = make_form("digitaal")
    before = path.read_bytes()
    read_form(path)
    assert path.read_bytes() == before
    assert zipfile.is_zipfile(io.BytesIO(before))
