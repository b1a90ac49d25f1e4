"""Shapes Word writes that the reader must get right (emulated with Word's own XML)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from forms_wordfill import NS, control, edit_docx, fill_text, strip_controls_from_row, w
from lxml import etree

from pipeline.errors import FormError
from pipeline.forms.read import read_form


def _run(text: str) -> etree._Element:
    r = etree.Element(w("r"))
    t = etree.SubElement(r, w("t"))
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return r


def test_tracked_move_is_read_once(make_form, tmp_path):
    """Word's tracked move keeps the moved text in `w:moveFrom` (old place) and `w:moveTo`."""
    src = make_form("balie")

    def move(root):
        fill_text(root, "balie.bezetting", "Eerst dit.")
        content = control(root, "balie.bezetting").find("w:sdtContent", NS)
        moved_from = etree.SubElement(content, w("moveFrom"), {w("id"): "1", w("author"): "A"})
        moved_from.append(_run(" Verplaatst."))
        moved_to = etree.Element(w("moveTo"), {w("id"): "2", w("author"): "A"})
        moved_to.append(_run("Verplaatst. "))
        content.insert(0, moved_to)
        deleted = etree.SubElement(content, w("del"), {w("id"): "3", w("author"): "A"})
        gone = etree.SubElement(deleted, w("r"))
        etree.SubElement(gone, w("tab"))
        etree.SubElement(gone, w("delText")).text = "weg"

    data = read_form(edit_docx(src, tmp_path / "move.docx", move))
    assert data.fields["balie.bezetting"] == "Verplaatst. Eerst dit."


def test_symbols_inserted_from_symbol_fonts_become_unicode(make_form, tmp_path):
    """Insert > Symbol writes `w:sym` with a font position; the answer holds the character."""
    src = make_form("balie")

    def symbols(root):
        fill_text(root, "balie.bezetting", "Alarm getest ")
        run = control(root, "balie.bezetting").find("w:sdtContent/w:r", NS)
        for font, char in (("Wingdings", "F0FC"), ("Symbol", "F0B3"), ("Symbol", "F061"),
                           ("Segoe UI Symbol", "2713"), ("Wingdings", "F001")):
            etree.SubElement(run, w("sym"), {w("font"): font, w("char"): char})

    data = read_form(edit_docx(src, tmp_path / "sym.docx", symbols))
    assert data.fields["balie.bezetting"] == "Alarm getest ✓≥α✓\ufffd"


@pytest.mark.parametrize(("typed", "expected"), [
    ("3-12-26", dt.date(2026, 12, 3)), ("3 december 2026", dt.date(2026, 12, 3)),
    ("woensdag 3 december 2026", dt.date(2026, 12, 3)), ("03/12/26", dt.date(2026, 12, 3)),
    ("3 dec. 26", dt.date(2026, 12, 3)),
])
def test_dates_typed_in_a_plain_table_cell(make_form, tmp_path, typed, expected):
    """A row added with Tab has plain cells: a two-digit year or a written date is a date."""
    src = make_form("team")
    data = read_form(edit_docx(src, tmp_path / "d.docx", lambda root: strip_controls_from_row(
        root, "team.acties.wat", ["Huisregels", "B1", "Teamleider", typed])))
    assert data.errors == []
    assert data.fields["team.acties"][0]["datum"] == expected


def _with_prompt_item(root: etree._Element, shown: str) -> None:
    """The status drop-down with an empty first item 'Kies…', showing `shown`."""
    sdt = control(root, "team.status")
    items = sdt.find("w:sdtPr/w:dropDownList", NS)
    prompt = etree.Element(w("listItem"), {w("displayText"): "Kies…", w("value"): ""})
    items.insert(0, prompt)
    for flag in sdt.findall("w:sdtPr/w:showingPlcHdr", NS):
        flag.getparent().remove(flag)
    content = sdt.find("w:sdtContent", NS)
    for child in list(content):
        content.remove(child)
    content.append(_run(shown))


def test_dropdown_with_an_empty_first_item(make_form, tmp_path):
    """'Kies…' (empty value) chosen is no answer, not a wrong choice; a real item is read."""
    src = make_form("team")
    empty = read_form(edit_docx(src, tmp_path / "kies.docx",
                                lambda r: _with_prompt_item(r, "Kies…")))
    assert empty.errors == []
    assert empty.fields["team.status"] is None
    chosen = read_form(edit_docx(src, tmp_path / "gekozen.docx",
                                 lambda r: _with_prompt_item(r, "vastgesteld")))
    assert chosen.fields["team.status"] == "vastgesteld"


def test_text_typed_beside_the_control_is_kept_with_a_warning(make_form, tmp_path):
    """A click right of the grey text types outside the control, in the same paragraph."""
    src = make_form("balie")

    def beside(root):
        control(root, "balie.bezetting").addnext(_run("Twee mensen aan de balie."))
        fill_text(root, "balie.ordebewaking", "Beveiliging")
        control(root, "balie.ordebewaking").addnext(_run("en de teamleider"))

    data = read_form(edit_docx(src, tmp_path / "naast.docx", beside))
    assert data.fields["balie.bezetting"] == "Twee mensen aan de balie."
    assert data.fields["balie.ordebewaking"] == "Beveiliging en de teamleider"
    warned = {p.tag: p.message for p in data.warnings if "naast het invulvak" in p.message}
    assert set(warned) == {"balie.bezetting", "balie.ordebewaking"}
    assert "Twee mensen" not in " ".join(warned.values())  # messages never quote answers


def test_strict_open_xml_is_named(make_form, tmp_path):
    """Word's 'Strikt Open XML-document' is refused with what it is and what to do."""
    src = make_form("team")
    with zipfile.ZipFile(src) as z:
        files = {i.filename: z.read(i.filename) for i in z.infolist()}
    files["_rels/.rels"] = files["_rels/.rels"].replace(
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
        b"http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    strict = tmp_path / "strikt.docx"
    strict.write_bytes(out.getvalue())
    with pytest.raises(FormError) as info:
        read_form(strict)
    assert "Strikt Open XML" in info.value.message
    assert "Word-document (*.docx)" in info.value.hint
    assert info.value.file == str(strict)

