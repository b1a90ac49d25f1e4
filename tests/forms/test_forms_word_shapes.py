"""Shapes Word writes that the reader must get right (emulated with Word's own XML)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from helpers.forms_wordfill import (
    NS,
    as_inline,
    control,
    edit_docx,
    fill_text,
    run_holder,
    strip_controls_from_row,
    w,
)
from lxml import etree

from pipeline import ooxml
from pipeline.catalogue import FORMS, FieldType, Merge
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
        content = run_holder(control(root, "balie.bezetting"))
        moved_from = etree.SubElement(content, w("moveFrom"), {w("id"): "1", w("author"): "A"})
        moved_from.append(_run(" Verplaatst."))
        moved_to = etree.Element(w("moveTo"), {w("id"): "2", w("author"): "A"})
        moved_to.append(_run("Verplaatst. "))
        content.insert(1 if content.tag == w("p") else 0, moved_to)
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
        run = run_holder(control(root, "balie.bezetting")).find("w:r", NS)
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
    """A click right of the grey text types outside an inline control, in the same
    paragraph (a long answer's control is the whole box: as LibreOffice saves it, inline)."""
    src = make_form("balie")

    def beside(root):
        as_inline(root, "balie.bezetting").addnext(_run("Twee mensen aan de balie."))
        fill_text(root, "balie.ordebewaking", "Beveiliging")
        as_inline(root, "balie.ordebewaking").addnext(_run("en de teamleider"))

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



# --- LibreOffice 7.4's glued answers (files of exactly the shape 7.4.7 writes) -----------------

LO74 = "LibreOffice/7.4.7.2$Linux_X86_64 LibreOffice_project/40$Build-2"
MULTILINE = next(f.tag for f in FORMS["team"].fields
                 if f.type is FieldType.MULTILINE and f.merge is not Merge.LOCKED)


def _saved_by_74(src, dst, lines: list[str]):
    """What LibreOffice 7.4 makes of a multi-line answer: tags dropped, every `w:br` moved
    out of the control as a run of its own before it, the lines inside run together (of an
    inline control: how 7.4 saves our block-level one was not measured; 25.2 makes it inline)."""
    def edit(root):
        sdt = as_inline(root, MULTILINE)
        fill_text(root, MULTILINE, "\n".join(lines))
        for br in list(sdt.iter(w("br"))):
            br.getparent().remove(br)
            run = etree.Element(w("r"))
            etree.SubElement(run, w("br"))
            sdt.addprevious(run)
        for other in root.iter(w("sdt")):
            for tag in other.findall("w:sdtPr/w:tag", NS):
                tag.getparent().remove(tag)

    edit_docx(src, dst, edit)
    return edit_docx(dst, dst, lambda app: _set_application(app, LO74), part="docProps/app.xml")


def _set_application(app: etree._Element, name: str) -> None:
    for el in app.iter("{*}Application"):
        el.text = name


def test_lines_glued_by_libreoffice_74_are_restored_when_unambiguous(make_form, tmp_path):
    lines = ["Wij verwachten respect.", "- Iemand die weigert, spreken we aan.",
             "- Wie scheldt, krijgt een waarschuwing."]
    data = read_form(_saved_by_74(make_form("team"), tmp_path / "lo74.docx", lines))
    assert data.application == "LibreOffice 7.4.7.2"
    assert data.fields[MULTILINE] == "\n".join(lines)
    messages = [p.message for p in data.warnings if p.tag == MULTILINE]
    assert any("teruggezet" in m and "LibreOffice 7.4.7.2" in m for m in messages)


def test_glued_lines_that_are_ambiguous_are_kept_with_a_warning(make_form, tmp_path):
    lines = ["eerst dit", "en dan dat"]  # no sentence boundary shows where the break was
    data = read_form(_saved_by_74(make_form("team"), tmp_path / "lo74b.docx", lines))
    assert data.fields[MULTILINE] == "eerst dit" + "en dan dat"
    messages = [p.message for p in data.warnings if p.tag == MULTILINE]
    assert any("de regelafbreking van dit antwoord is" in m and "verloren" in m for m in messages)


def test_a_form_saved_by_word_names_no_glue(make_form, tmp_path):
    src = make_form("team")
    data = read_form(edit_docx(src, tmp_path / "w.docx", lambda r: fill_text(
        r, MULTILINE, "Regel een.\nRegel twee.")))
    assert data.fields[MULTILINE] == "Regel een.\nRegel twee."
    assert data.application == "teamprotocol"
    assert not [p for p in data.warnings if p.tag == MULTILINE]


# --- placeholders as Word keeps them --------------------------------------------------------

def test_placeholders_are_glossary_docparts(make_form):
    """Every answer control names a `bbPlcHdr` docPart in the glossary holding its help text,
    and placeholder runs carry the PlaceholderText style, not direct grey; only the unstyled
    lead before it (what LibreOffice gives an answer typed over it) has no style."""
    from pipeline.forms.common import placeholder

    src = make_form("team")
    with zipfile.ZipFile(src) as z:
        body = etree.fromstring(z.read("word/document.xml"))
        glossary = etree.fromstring(z.read("word/glossary/document.xml"))
        styles = z.read("word/styles.xml").decode()
        rels = z.read("word/_rels/document.xml.rels").decode()
    assert "relationships/glossaryDocument" in rels
    assert 'w:styleId="PlaceholderText"' in styles
    parts = {p.find("w:docPartPr/w:name", NS).get(w("val")):
             "".join(p.find("w:docPartBody", NS).itertext())
             for p in glossary.iterfind(".//w:docPart", NS)}
    assert all(p.find("w:docPartPr/w:types/w:type", NS).get(w("val")) == "bbPlcHdr"
               for p in glossary.iterfind(".//w:docPart", NS))
    for field in FORMS["team"].fields:
        if field.merge is Merge.LOCKED or field.type in (FieldType.CHECKBOX, FieldType.ROWS):
            continue
        sdt = control(body, field.tag)
        name = sdt.find("w:sdtPr/w:placeholder/w:docPart", NS).get(w("val"))
        assert parts[name] == ooxml.PLACEHOLDER_LEAD + placeholder(field), field.tag
        if sdt.find("w:sdtPr/w:showingPlcHdr", NS) is not None:
            lead, *runs = sdt.iterfind("w:sdtContent//w:r", NS)
            assert lead.find("w:rPr", NS) is None
            assert "".join(lead.itertext()) == ooxml.PLACEHOLDER_LEAD
            for rpr in (r.find("w:rPr", NS) for r in runs):
                assert rpr.find("w:rStyle", NS).get(w("val")) == "PlaceholderText"
                assert rpr.find("w:color", NS) is None


def test_old_forms_without_glossary_still_read(make_form, tmp_path):
    """A form of version 0.2 (no glossary, no docPart reference) reads the same."""
    src = make_form("balie")

    def old(root):
        for ref in root.iterfind(".//w:sdtPr/w:placeholder", NS):
            ref.getparent().remove(ref)

    new, before = read_form(src), read_form(edit_docx(src, tmp_path / "oud.docx", old))
    assert before.fields == new.fields
    assert before.errors == new.errors == []


# --- the package as Word writes it ------------------------------------------------------------

def test_forms_carry_no_leftover_parts_and_a_complete_glossary(make_form):
    """No stylesWithEffects (Word 2010, English), bibliography or blank thumbnail, nothing
    pointing at them; the glossary has its own styles, settings, fonts and web settings,
    as every Word glossary has."""
    src = make_form("team")
    with zipfile.ZipFile(src) as z:
        names = set(z.namelist())
        rels = z.read("_rels/.rels").decode() + z.read("word/_rels/document.xml.rels").decode()
        types = z.read("[Content_Types].xml").decode()
        settings = z.read("word/settings.xml").decode()
        glossary_rels = z.read("word/glossary/_rels/document.xml.rels").decode()
    for gone in ("stylesWithEffects", "customXml", "thumbnail"):
        assert not [n for n in names if gone in n]
        assert gone not in rels
        assert gone not in types
    assert "savePreviewPicture" not in settings
    assert 'w:themeFontLang w:val="nl-NL"' in settings
    for part in ("styles", "settings", "fontTable", "webSettings"):
        assert f"word/glossary/{part}.xml" in names
        assert f'Target="{part}.xml"' in glossary_rels
        assert f'PartName="/word/glossary/{part}.xml"' in types


def test_the_prompt_item_is_written_as_word_writes_it_and_reads_as_no_answer(make_form,
                                                                             tmp_path):
    """Word's own first item has its text as value too ("Kies een item."), not an empty one."""
    src = make_form("team")
    with zipfile.ZipFile(src) as z:
        body = etree.fromstring(z.read("word/document.xml"))
    first = control(body, "team.status").find("w:sdtPr/w:dropDownList/w:listItem", NS)
    assert first.get(w("displayText")) == first.get(w("value")) == "Kies…"

    def choose_prompt(root):
        sdt = control(root, "team.status")
        for flag in sdt.findall("w:sdtPr/w:showingPlcHdr", NS):
            flag.getparent().remove(flag)
        content = sdt.find("w:sdtContent", NS)
        for child in list(content):
            content.remove(child)
        content.append(_run("Kies…"))

    data = read_form(edit_docx(src, tmp_path / "kies.docx", choose_prompt))
    assert data.errors == []
    assert data.fields["team.status"] is None


@pytest.mark.parametrize("kind", list(FORMS))
def test_every_placeholder_is_one_styled_run_after_the_lead(make_form, kind):
    """Checked against the catalogue, every kind of form: each unanswered answer control
    (table cells too) shows its whole help text in one PlaceholderText run, after only the
    unstyled lead. The lead stays: without it an answer typed or chosen in LibreOffice 25.2
    keeps the PlaceholderText style (measured again with one run: every filled answer grey),
    so a placeholder is two runs where Word writes one."""
    from pipeline.forms.common import CELL_PLACEHOLDER, placeholder

    with zipfile.ZipFile(make_form(kind)) as z:
        body = etree.fromstring(z.read("word/document.xml"))
    seen = 0
    for field in FORMS[kind].fields:
        if field.merge is Merge.LOCKED or field.type is FieldType.CHECKBOX:
            continue
        if field.type is FieldType.ROWS:
            expected = {f"{field.tag}.{c.name}": CELL_PLACEHOLDER[c.type] for c in field.columns}
        else:
            expected = {field.tag: placeholder(field)}
        for tag, text in expected.items():
            for sdt in body.xpath(".//w:sdt[w:sdtPr/w:tag/@w:val=$t][w:sdtPr/w:showingPlcHdr]",
                                  t=tag, namespaces=NS):
                lead, *runs = sdt.iterfind("w:sdtContent//w:r", NS)
                assert "".join(lead.itertext()) == ooxml.PLACEHOLDER_LEAD, tag
                assert len(runs) == 1, tag
                assert "".join(runs[0].itertext()) == text, tag
                assert runs[0].xpath("string(w:rPr/w:rStyle/@w:val)", namespaces=NS) == \
                    ooxml.PLACEHOLDER_STYLE, tag
                seen += 1
    assert seen >= len([f for f in FORMS[kind].fields if f.merge is not Merge.LOCKED
                        and f.type is not FieldType.CHECKBOX])
