"""fill_toc and ensure_update_fields on small documents built inline (Word's own TOC shape too)."""

from __future__ import annotations

import io

import docx
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from lxml import etree

from pipeline.render.toc import W_NS, ensure_update_fields, fill_toc
from pipeline.render.toc_pages import contents_field, stamp_toc, toc_entries

W = f'xmlns:w="{W_NS}"'


def _runs(*parts: str) -> list[etree._Element]:
    """Runs for a field: 'begin', 'separate', 'end' or ' INSTRUCTION ' or 'text:...'."""
    runs = []
    for part in parts:
        if part in ("begin", "separate", "end"):
            xml = f'<w:r {W}><w:fldChar w:fldCharType="{part}"/></w:r>'
        elif part.startswith("text:"):
            xml = f"<w:r {W}><w:t>{part[5:]}</w:t></w:r>"
        else:
            xml = f'<w:r {W}><w:instrText xml:space="preserve">{part}</w:instrText></w:r>'
        runs.append(etree.fromstring(xml))
    return runs


def _headings(document, *, before: bool = False) -> None:
    if before:
        document.add_paragraph("Voorwoord", "Heading 1")
    document.add_paragraph("1. Eerste", "Heading 1")
    document.add_paragraph("1.1 Onderdeel", "Heading 2")
    document.add_paragraph("1.1.1 Detail", "Heading 3")
    document.add_paragraph("", "Heading 1")  # an empty heading gets no entry
    document.add_paragraph("2. Tweede", "Heading 1")


def _word_toc(document) -> None:
    """A TOC as Word saves it: begin in the first line, an old PAGEREF per line, end last,
    all inside a `docPartObj` content control."""
    sdt = etree.fromstring(f"<w:sdt {W}><w:sdtPr><w:docPartObj><w:docPartGallery "
                           'w:val="Table of Contents"/></w:docPartObj></w:sdtPr>'
                           "<w:sdtContent/></w:sdt>")
    content = sdt[1]
    lines = [["begin", ' TOC \\o "1-2" \\h \\z ', "separate", "text:Oud 1\t",
              "begin", " PAGEREF _Toc1 \\h ", "separate", "text:3", "end"],
             ["text:Oud 2\t", "begin", " PAGEREF _Toc2 \\h ", "separate", "text:4", "end"],
             ["end"]]
    for runs in lines:
        p = etree.SubElement(content, f"{{{W_NS}}}p")
        p.extend(_runs(*runs))
    document.element.body.insert(0, sdt)


def _save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_word_style_toc_over_several_paragraphs_is_replaced():
    document = docx.Document()
    _headings(document)
    _word_toc(document)
    assert fill_toc(document) == 3
    data = _save(document)
    assert [t for _, t in toc_entries(data)] == ["1. Eerste", "1.1 Onderdeel", "2. Tweede"]
    reread = docx.Document(io.BytesIO(data))
    xml = reread.element.xml
    assert " TOC " not in xml
    assert "Oud 1" not in xml
    assert "Oud 2" not in xml
    assert "_Toc1 " not in xml
    # The entries stay where the field was: inside Word's content control, before the text.
    sdt_text = "".join(reread.element.body.find(f"{{{W_NS}}}sdt").itertext())
    assert sdt_text.startswith("1. Eerste")
    assert [p.style.name for p in reread.paragraphs[:3]] == ["Heading 1", "Heading 2",
                                                             "Heading 3"]


def test_only_headings_after_the_field_and_of_its_levels():
    document = docx.Document()
    _headings(document, before=True)
    p = document.add_paragraph()
    p._p.extend(_runs("begin", ' TOC \\o "1-1" ', "separate", "text:x", "end"))
    _headings(document)
    assert fill_toc(document) == 2
    entries = toc_entries(_save(document))
    assert [t for _, t in entries] == ["1. Eerste", "2. Tweede"]
    assert [a for a, _ in entries] == ["_Toc00001", "_Toc00002"]
    # python-docx's default template has no `toc 1` style: the lines get their own right tab
    # (dot leader) at the text width: Letter with 1.25 inch margins, 6 inch = 8640 twips.
    lines = [q for q in document.paragraphs if q.text.endswith("\t")]
    assert [q.text for q in lines] == ["1. Eerste\t", "2. Tweede\t"]
    for line in lines:
        [stop] = line.paragraph_format.tab_stops
        assert (stop.position.twips, stop.leader, stop.alignment) == (8640, WD_TAB_LEADER.DOTS,
                                                                WD_TAB_ALIGNMENT.RIGHT)


def test_document_without_toc_field_is_left_alone():
    document = docx.Document()
    _headings(document)
    before = etree.tostring(document.element)
    settings = etree.tostring(document.settings.element)
    assert fill_toc(document) == 0
    assert etree.tostring(document.element) == before
    assert etree.tostring(document.settings.element) == settings


def _names(settings: etree._Element) -> list[str]:
    return [etree.QName(c).localname for c in settings]


def test_update_fields_in_schema_order_once():
    settings = etree.fromstring(f'<w:settings {W}><w:zoom w:percent="100"/>'
                                '<w:updateFields w:val="false"/><w:defaultTabStop w:val="708"/>'
                                "<w:compat/><w:rsids/><w:decimalSymbol w:val=\",\"/>"
                                "</w:settings>")
    ensure_update_fields(settings)
    ensure_update_fields(settings)
    assert _names(settings) == ["zoom", "defaultTabStop", "updateFields", "compat", "rsids",
                                "decimalSymbol"]
    assert settings[2].get(f"{{{W_NS}}}val") == "true"
    bare = etree.fromstring(f'<w:settings {W}><w:zoom w:percent="100"/></w:settings>')
    ensure_update_fields(bare)
    assert _names(bare) == ["zoom", "updateFields"]


def _fields(data: bytes) -> tuple[etree._Element, str]:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read("word/document.xml")), z.read("word/settings.xml").decode()


def test_stamp_toc_makes_a_real_toc_field_with_the_pages():
    """After conversion the entries become a TOC field's stored result with page numbers;
    no update-fields prompt is left; an unknown page leaves the document as it was."""
    document = docx.Document()
    _headings(document)
    _word_toc(document)
    fill_toc(document)
    data = _save(document)
    assert "teamprotocol.inhoud" in _fields(data)[1]
    anchors = [a for a, _ in toc_entries(data)]
    assert stamp_toc(data, dict(zip(anchors[:-1], (3, 4), strict=True))) is None
    stamped = stamp_toc(data, dict(zip(anchors, (3, 4, 7), strict=True)))
    body, settings = _fields(stamped)
    assert "updateFields" not in settings
    assert "teamprotocol.inhoud" not in settings
    ns = {"w": W_NS}
    instructions = [t.text for t in body.iterfind(".//w:instrText", ns)]
    assert instructions[0] == ' TOC \\o "1-2" \\h \\z '
    assert instructions[1:] == [f" PAGEREF {a} \\h " for a in anchors]
    kinds = [f.get(f"{{{W_NS}}}fldCharType") for f in body.iterfind(".//w:fldChar", ns)]
    assert kinds == ["begin", "separate"] + ["begin", "separate", "end"] * 3 + ["end"]
    cached = [p.xpath("string(w:r[w:fldChar/@w:fldCharType='separate'][last()]"
                      "/following-sibling::w:r[1]/w:t)", namespaces=ns)
              for p in body.iterfind(".//w:p", ns) if p.find("w:hyperlink", ns) is not None]
    assert cached == ["3", "4", "7"]
    assert [t for _, t in toc_entries(stamped)] == ["1. Eerste", "1.1 Onderdeel", "2. Tweede"]


def test_contents_field_without_a_pdf_leaves_the_pages_to_word():
    """A `--no-pdf` build: the entries become a real TOC field's stored result with empty
    page numbers (Word fills them when the user updates the field) and no `updateFields`,
    so Word does not ask to update fields on opening."""
    document = docx.Document()
    _headings(document)
    _word_toc(document)
    fill_toc(document)
    data = _save(document)
    body, settings = _fields(contents_field(data))
    assert "updateFields" not in settings
    assert "teamprotocol.inhoud" not in settings
    ns = {"w": W_NS}
    instructions = [t.text for t in body.iterfind(".//w:instrText", ns)]
    assert instructions[0] == ' TOC \\o "1-2" \\h \\z '
    kinds = [f.get(f"{{{W_NS}}}fldCharType") for f in body.iterfind(".//w:fldChar", ns)]
    assert kinds == ["begin", "separate"] + ["begin", "separate", "end"] * 3 + ["end"]
    cached = [p.xpath("string(w:r[w:fldChar/@w:fldCharType='separate'][last()]"
                      "/following-sibling::w:r[1]/w:t)", namespaces=ns)
              for p in body.iterfind(".//w:p", ns) if p.find("w:hyperlink", ns) is not None]
    assert cached == ["", "", ""]
    plain = docx.Document()
    plain.add_paragraph("Geen inhoudsopgave")
    assert contents_field(_save(plain)) == _save(plain)
