"""Build templates/protocol.docx: the docxtpl (Jinja) template of a team protocol.

Run `python scripts/make_template.py` after changing it; the template is committed so that
organisations can copy it as the start of their own house-style template. Every variable the
template uses is documented in `pipeline/render/context.py` (`template_context`).

Branding (colour, font) is deliberately neutral here: `pipeline.render` writes the policy's
colour and font into the styles at render time, so one template serves every organisation.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.table import CT_Tc
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell
from lxml import etree

from pipeline.ooxml import APP_XML, set_compatibility_mode
from pipeline.ooxml_order import order_properties
from pipeline.render import BRAND_STYLES
from pipeline.render.toc import ensure_update_fields

OUT = Path(__file__).resolve().parent.parent / "templates" / "protocol.docx"
# The alarm card on its own (kaart-<team>.docx): the same styles and card, one page.
CARD_OUT = OUT.with_name("kaart.docx")
W = nsdecls("w")
BRAND = "1F4E79"  # replaced at render time by the policy's colour
GREY = RGBColor(0x6B, 0x6B, 0x6B)
RED = RGBColor(0xC0, 0x00, 0x00)
# The alarm card's signal colour: 112 and the internal alarm numbers (contrast 5.9:1 on white).
SIGNAL = "C00000"
# A missing number on the card: the dark amber of the gap box (contrast 7:1 on white).
MARK = "7A4F00"
TABLE_STYLE = "Protocoltabel"
# Usable width of an A4 page with 2.2 cm margins, in twentieths of a point (dxa).
TEXT_WIDTH = int(Cm(21 - 4.4).twips)


# --- styles ---------------------------------------------------------------------------------

def _strip_theme_fonts(doc) -> None:
    """Remove theme fonts, so that the one font pipeline.render sets in docDefaults applies."""
    for rfonts in doc.styles.element.iter(qn("w:rFonts")):
        for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            rfonts.attrib.pop(qn("w:" + attr), None)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rfonts = rpr.find(qn("w:rFonts"))
    for attr in ("ascii", "hAnsi", "cs", "eastAsia"):
        rfonts.set(qn("w:" + attr), "Calibri")
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = parse_xml(f"<w:lang {W}/>")
        rpr.append(lang)
    for attr in ("val", "eastAsia", "bidi"):
        lang.set(qn("w:" + attr), "nl-NL")


def _para_style(doc, name: str, *, base: str = "Normal", size: float | None = None,
                bold: bool | None = None, italic: bool | None = None,
                colour: RGBColor | str | None = None, before: float | None = None,
                after: float | None = None, keep_next: bool = False):
    styles = doc.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
        style.quick_style = True
    font = style.font
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic
    if colour is not None:
        font.color.rgb = RGBColor.from_string(colour) if isinstance(colour, str) else colour
    pf = style.paragraph_format
    if before is not None:
        pf.space_before = Pt(before)
    if after is not None:
        pf.space_after = Pt(after)
    if keep_next:
        pf.keep_with_next = True
    return style


def _table_style(doc) -> None:
    """`Protocoltabel`: thin grey grid, header row in the brand colour with white bold text."""
    xml = f"""<w:style {W} w:type="table" w:customStyle="1" w:styleId="{TABLE_STYLE}">
      <w:name w:val="{TABLE_STYLE}"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>
      <w:qFormat/>
      <w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
      <w:rPr><w:sz w:val="19"/><w:szCs w:val="19"/></w:rPr>
      <w:tblPr>
        <w:tblBorders>
          <w:top w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/>
          <w:left w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/>
          <w:bottom w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/>
          <w:right w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/>
          <w:insideH w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/>
          <w:insideV w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/>
        </w:tblBorders>
        <w:tblCellMar><w:top w:w="45" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>
          <w:bottom w:w="45" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>
      </w:tblPr>
      <w:tblStylePr w:type="firstRow">
        <w:rPr><w:b/><w:color w:val="FFFFFF"/></w:rPr>
        <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{BRAND}"/></w:tcPr>
      </w:tblStylePr>
    </w:style>"""
    doc.styles.element.append(parse_xml(xml))


def make_styles(doc) -> None:
    """Normal in Calibri 11 pt; headings, title, table header in the (placeholder) brand colour."""
    _strip_theme_fonts(doc)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.1
    _para_style(doc, "Title", size=26, bold=True, colour=BRAND, after=6)
    _para_style(doc, "Subtitle", size=16, italic=False, colour="404040", after=4)
    # Chapters follow on; the parts that start a page (contents, chapter 1, the annex, the
    # appendices) say so themselves. A page break before every chapter left 2-6 pages per
    # protocol with 0-9 lines (measured on the examples).
    _para_style(doc, "Heading 1", size=18, bold=True, colour=BRAND, before=18, after=10,
                keep_next=True)
    _para_style(doc, "Heading 2", size=14, bold=True, colour=BRAND, before=14, after=6,
                keep_next=True)
    _para_style(doc, "Heading 3", size=11.5, bold=True, colour=BRAND, before=10, after=3,
                keep_next=True)
    # The questions of an appendix: a level-2 heading (tagged as such, so no level is
    # skipped under the appendix's Heading 1) that the contents leave out: they listed 8-9
    # lines per appendix and pushed the contents onto a second page (measured).
    appendix = _para_style(doc, "Bijlagekop", base="Heading 2", size=12.5, bold=True,
                           colour=BRAND, before=12, after=4, keep_next=True)
    appendix.element.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {W} w:val="1"/>'))
    for name in ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3"):
        doc.styles[name].font.italic = False
        # No letter-spacing (the default Title and Subtitle spread their letters).
        rpr = doc.styles[name].element.find(qn("w:rPr"))
        if rpr is not None and rpr.find(qn("w:spacing")) is not None:
            rpr.remove(rpr.find(qn("w:spacing")))
        # The default template draws a border under Title; the house style has none.
        ppr = doc.styles[name].element.find(qn("w:pPr"))
        if ppr is not None and ppr.find(qn("w:pBdr")) is not None:
            ppr.remove(ppr.find(qn("w:pBdr")))
    _para_style(doc, "Kop voorwerk", size=16, bold=True, colour=BRAND, before=0, after=10,
                keep_next=True)
    _para_style(doc, "Organisatie", size=14, bold=True, colour="404040", after=2)
    _para_style(doc, "Concept", size=20, bold=True, colour=RED, before=12, after=12)
    # The source of a section, once under its heading; stays with what follows.
    _para_style(doc, "Bron", size=8.5, italic=True, colour=GREY, before=0, after=6,
                keep_next=True)
    # "Afspraak van de gemeente": an organisation text in the team's part of a chapter.
    label = _para_style(doc, "Label", size=8.5, bold=True, colour=GREY, before=0, after=2,
                        keep_next=True)
    label.font.all_caps = False
    # A gap in the team's part: a marked box, "Nog in te vullen door het team; zie actie …".
    gap = _para_style(doc, "Open punt", size=10, colour="5C4400", before=2, after=8)
    gap.element.get_or_add_pPr().append(parse_xml(
        f'<w:pBdr {W}><w:top w:val="single" w:sz="6" w:space="3" w:color="BF8F00"/>'
        '<w:left w:val="single" w:sz="24" w:space="6" w:color="BF8F00"/>'
        '<w:bottom w:val="single" w:sz="6" w:space="3" w:color="BF8F00"/>'
        '<w:right w:val="single" w:sz="6" w:space="6" w:color="BF8F00"/></w:pBdr>'))
    gap.element.get_or_add_pPr().append(parse_xml(
        f'<w:shd {W} w:val="clear" w:color="auto" w:fill="FFF7E0"/>'))
    gap.paragraph_format.left_indent = Cm(0.25)
    gap.paragraph_format.right_indent = Cm(0.25)
    # The steps of an aggression protocol: a real numbered list (pipeline.render gives every list
    # its own numbering, starting at 1, and keeps its steps together on one page).
    steps = doc.styles["List Number"]
    steps.paragraph_format.space_after = Pt(3)
    steps.paragraph_format.keep_with_next = True
    _para_style(doc, "Toelichting", size=10, italic=True, colour="404040", after=6)
    _para_style(doc, "Tabeltekst", size=9.5, before=0, after=0)
    _para_style(doc, "Tabelbron", size=8, colour=GREY, before=1, after=0)
    # The checklist's rows: a size smaller, so that an item needs two or three lines, not five.
    _para_style(doc, "Checklisttekst", size=8.5, before=0, after=0)
    # The alarm card: one A4 page. Its title is a level-1 outline entry (a PDF bookmark and an
    # H1 tag, not in the contents), its contact types level 2; 112 and the internal alarm
    # numbers large, bold, in one signal colour.
    title = _para_style(doc, "Kaarttitel", size=18, bold=True, colour=BRAND, before=0, after=4,
                        keep_next=True)
    title.element.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {W} w:val="0"/>'))
    _para_style(doc, "Kaartalarm", size=24, bold=True, colour=SIGNAL, before=0, after=0,
                keep_next=True)
    _para_style(doc, "Kaartalarmnummer", size=13, bold=True, colour=SIGNAL, before=0, after=2,
                keep_next=True)
    head = _para_style(doc, "Kaartkop", size=11, bold=True, colour=BRAND, before=4, after=1,
                       keep_next=True)
    head.element.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {W} w:val="1"/>'))
    _para_style(doc, "Kaarttekst", size=9, before=0, after=1)
    # A step on the card: a real numbered list (pipeline.render numbers each cell's steps
    # from 1, as it does `List Number`), small.
    step = _para_style(doc, "Kaartstap", base="List Number", size=9, before=0, after=0)
    step.paragraph_format.line_spacing = 1.0
    for level, indent in ((1, 0), (2, 0.6)):
        toc = _para_style(doc, f"toc {level}", size=11 if level == 1 else 10.5,
                          bold=level == 1, before=6 if level == 1 else 0, after=2)
        toc.paragraph_format.left_indent = Cm(indent)
        toc.paragraph_format.tab_stops.add_tab_stop(Cm(16.6), WD_TAB_ALIGNMENT.RIGHT,
                                                    WD_TAB_LEADER.DOTS)
    bullet = doc.styles["List Bullet"]
    bullet.paragraph_format.space_after = Pt(3)
    for name in ("Header", "Footer"):
        # The default template's centre and right tabs would catch our own right tab.
        ppr = doc.styles[name].element.find(qn("w:pPr"))
        if ppr is not None and ppr.find(qn("w:tabs")) is not None:
            ppr.remove(ppr.find(qn("w:tabs")))
        doc.styles[name].font.size = Pt(8.5)
        doc.styles[name].font.color.rgb = GREY
    _table_style(doc)
    order_properties(doc.styles.element)


# --- building blocks ------------------------------------------------------------------------

def para(doc_or_cell, text: str = "", style: str | None = None):
    """A paragraph holding `text` (Jinja tags included) in one run."""
    p = doc_or_cell.add_paragraph(style=style)
    if text:
        p.add_run(text)
    return p


def tag(doc, text: str) -> None:
    """A docxtpl paragraph tag (`{%p ... %}`): the whole paragraph is replaced by the tag."""
    para(doc, "{%p " + text + " %}")


def field_runs(p, instruction: str, placeholder: str = "1") -> None:
    """A complex field (`w:fldChar` begin/separate/end) such as PAGE or NUMPAGES in paragraph p."""
    for xml in (f'<w:r {W}><w:fldChar w:fldCharType="begin"/></w:r>',
                f'<w:r {W}><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>',
                f'<w:r {W}><w:fldChar w:fldCharType="separate"/></w:r>',
                f'<w:r {W}><w:t>{placeholder}</w:t></w:r>',
                f'<w:r {W}><w:fldChar w:fldCharType="end"/></w:r>'):
        p._p.append(parse_xml(xml))


def table(doc, rows: int, widths_cm: list[float], *, header: bool = True):
    """A table in the house table style with fixed column widths (in cm)."""
    t = doc.add_table(rows=rows, cols=len(widths_cm))
    t.style = doc.styles[TABLE_STYLE]
    t.alignment = WD_TABLE_ALIGNMENT.LEFT
    tblpr = t._tbl.tblPr
    look = tblpr.find(qn("w:tblLook"))
    if look is None:
        look = parse_xml(f"<w:tblLook {W}/>")
        tblpr.append(look)
    # tblLook val is a bit mask (0x20 first row, 0x200 no row bands, 0x400 no column bands);
    # LibreOffice reads the mask, Word the attributes: set both.
    look.set(qn("w:val"), f"{(0x20 if header else 0) | 0x600:04X}")
    for attr, value in (("firstRow", header), ("lastRow", False), ("firstColumn", False),
                        ("lastColumn", False), ("noHBand", True), ("noVBand", True)):
        look.set(qn("w:" + attr), "1" if value else "0")
    # LibreOffice lays out by the grid, Word by the cell widths: set both.
    for col, width in zip(t._tbl.tblGrid.findall(qn("w:gridCol")), widths_cm, strict=True):
        col.set(qn("w:w"), str(int(Cm(width).twips)))
    for row in t.rows:
        # A row never breaks across pages: a checklist item stays readable in one piece.
        # The renderer frees the first body row under a repeated header (LibreOffice 25.2
        # left rows out otherwise: render/word.py, tests/data/lost-row).
        row._tr.get_or_add_trPr().append(parse_xml(f"<w:cantSplit {W}/>"))
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)
    if header:
        # Repeat the header row on every page the table spans.
        trpr = t.rows[0]._tr.get_or_add_trPr()
        trpr.append(parse_xml(f"<w:tblHeader {W}/>"))
    return t


def cell_text(cell, text: str, style: str = "Tabeltekst") -> None:
    """Put `text` in a table cell's first paragraph, in the table text style."""
    p = cell.paragraphs[0]
    p.style = style
    p.add_run(text)


def header_row(t, labels: tuple[str, ...], style: str = "Tabeltekst") -> None:
    """The labels of a table's first row (the header the table style colours)."""
    for cell, text in zip(t.rows[0].cells, labels, strict=True):
        cell_text(cell, text, style)


def row_loop(t, first: int, loop: str, texts: list[str | None],
             style: str = "Tabeltekst") -> None:
    """Rows first..first+2 of t: `{%tr loop %}`, the repeated row (texts), `{%tr endfor %}`.

    docxtpl replaces a whole row by its `{%tr %}` tag, so each tag needs a row of its own.
    A None text leaves the cell for the caller to fill.
    """
    cell_text(t.rows[first].cells[0], "{%tr " + loop + " %}")
    for cell, text in zip(t.rows[first + 1].cells, texts, strict=True):
        if text is not None:
            cell_text(cell, text, style)
    cell_text(t.rows[first + 2].cells[0], "{%tr endfor %}")


def dynamic_table(doc, var: str) -> None:
    """A table whose columns and rows come from `var.header` and `var.rows` (docxtpl tc/tr loops).

    docxtpl removes the cells holding `{%tc %}` tags and widens the grid to the real number
    of columns (`fix_tables`), so one template table serves 2, 3 or 4 columns.
    """
    t = table(doc, 4, [TEXT_WIDTH / 567 / 3] * 3)
    t.autofit = True
    cells = [
        ("{%tc for h in " + var + ".header %}", "{{ h }}", "{%tc endfor %}"),
        ("{%tr for row in " + var + ".rows %}", "", ""),
        ("{%tc for c in row %}", "{{ c }}", "{%tc endfor %}"),
        ("{%tr endfor %}", "", ""),
    ]
    for row, texts in zip(t.rows, cells, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell_text(cell, text)


def fixed_table(doc, var: str, widths_cm: list[float]) -> None:
    """A table of `var.header` and `var.rows` with these column widths: for the tables whose
    columns we know (contacts: an e-mail address must not break mid-word)."""
    t = table(doc, 4, widths_cm)
    for n, cell in enumerate(t.rows[0].cells):
        cell_text(cell, "{{ " + var + f".header[{n}] }}}}")
    row_loop(t, 1, "for row in " + var + ".rows",
             ["{{ row[" + str(n) + "] }}" for n in range(len(widths_cm))])
    keep_rows_together(t)  # a handful of rows: on one page with their heading


# Contacts: role, person (name, role, phone, e-mail: the longest), source.
CONTACT_WIDTHS = [4.2, 10.3, 2.1]
# The behaviour table: three equal columns, one per kind of behaviour.
BEHAVIOUR_WIDTHS = [TEXT_WIDTH / 567 / 3] * 3


def block_loop(doc, items: str, title_style: str = "Heading 3") -> None:
    """The paragraphs of every block in `items`: title, label, text, bullets or steps, table,
    and the box that marks a gap.

    `title_style` is the heading one level below the blocks' section heading: headings must
    not skip a level (PDF/UA-1 7.4.2; the appendices' Heading 3 under Heading 1 failed it).
    """
    tag(doc, f"for b in {items}")
    tag(doc, "if b.title")
    para(doc, "{{ b.title }}", title_style)
    tag(doc, "endif")
    tag(doc, "if b.label")
    para(doc, "{{ b.label }}", "Label")
    tag(doc, "endif")
    tag(doc, "for text in b.paragraphs")
    para(doc, "{{ text }}")
    tag(doc, "endfor")
    tag(doc, "for text in b.bullets")
    para(doc, "{{ text }}", "List Bullet")
    tag(doc, "endfor")
    tag(doc, "for text in b.steps")
    para(doc, "{{ text }}", "List Number")
    tag(doc, "endfor")
    tag(doc, "if b.table and b.layout == 'contacts'")
    fixed_table(doc, "b.table", CONTACT_WIDTHS)
    tag(doc, "elif b.table and b.layout == 'behaviour'")
    fixed_table(doc, "b.table", BEHAVIOUR_WIDTHS)
    tag(doc, "elif b.table")
    dynamic_table(doc, "b.table")
    tag(doc, "endif")
    tag(doc, "if b.gap_note")
    para(doc, "{{ b.gap_note }}", "Open punt")
    tag(doc, "endif")
    tag(doc, "endfor")


# --- a lean package -------------------------------------------------------------------------
# python-docx's default document is a whole Word 2010 Normal.dotm: 174 styles, 137 latent
# styles, a 438 KB stylesWithEffects.xml, a bibliography customXml part, a thumbnail of an
# empty page. LibreOffice imports all of it for every protocol it converts (measured: the
# lean package costs less soffice CPU per document, see bench/template_ab.py), so the
# template keeps only what its documents use.

# Optional parts that nothing in a protocol uses (ECMA-376 does not require any of them):
# Word 2010's duplicate of styles.xml (Word 2013+ ignores it), the empty bibliography store,
# the web-page options and the thumbnail of the blank default document.
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
DROPPED_PARTS = (STYLES_WITH_EFFECTS, RT.CUSTOM_XML, RT.WEB_SETTINGS, RT.THUMBNAIL)
# Styles that pipeline.render (and its toc) looks up by name, besides those the template uses:
# the contents lines, and the brand-coloured styles an organisation's copy may use.
NAMED_STYLES = (*BRAND_STYLES, *(f"toc {n}" for n in range(1, 10)))
_STYLE_REFS = ("pStyle", "rStyle", "tblStyle")


def _val(el, tag: str) -> str | None:
    """The `w:val` of child `w:<tag>` of `el`, or None."""
    child = el.find(qn("w:" + tag))
    return None if child is None else child.get(qn("w:val"))


def _referenced_styles(elements) -> set[str]:
    """Style ids in `w:pStyle`, `w:rStyle` and `w:tblStyle` anywhere below `elements`."""
    return {ref.get(qn("w:val")) for el in elements for name in _STYLE_REFS
            for ref in el.iter(qn("w:" + name))}


def _content_parts(doc) -> list:
    """The root elements of the body, headers and footers: the text a protocol shows."""
    parts = [doc.part.element]
    for rel in doc.part.rels.values():
        if rel.reltype in (RT.HEADER, RT.FOOTER):
            parts.append(rel.target_part.element)
    return parts


def _keep_styles(doc) -> set[str]:
    """Ids of the styles used, looked up by name, defaults, and what they are based on."""
    root = doc.styles.element
    styles = {s.get(qn("w:styleId")): s for s in root.findall(qn("w:style"))}
    keep = _referenced_styles(_content_parts(doc))
    keep |= {sid for sid, s in styles.items()
             if s.get(qn("w:default")) == "1" or _val(s, "name") in NAMED_STYLES}
    todo = list(keep)
    while todo:  # Word expects a style's basedOn and next style to exist
        style = styles.get(todo.pop())
        for tag in ("basedOn", "next"):
            ref = None if style is None else _val(style, tag)
            if ref is not None and ref not in keep:
                keep.add(ref)
                todo.append(ref)
    missing = keep - styles.keys()
    if missing:
        raise SystemExit(f"the template uses styles it does not define: {sorted(missing)}")
    return keep


def _slim_styles(doc) -> None:
    """Drop the styles nothing uses, the latent style list and links to dropped styles."""
    root = doc.styles.element
    keep = _keep_styles(doc)
    for style in root.findall(qn("w:style")):
        if style.get(qn("w:styleId")) not in keep:
            root.remove(style)
        else:
            # A linked character style ("Heading 1 Char") goes unless something uses it; Word
            # makes it again when someone formats part of a paragraph as a heading.
            link = style.find(qn("w:link"))
            if link is not None and link.get(qn("w:val")) not in keep:
                style.remove(link)
    # Word's UI settings for the 137 built-in styles not in the file: Word has its own defaults.
    latent = root.find(qn("w:latentStyles"))
    if latent is not None:
        root.remove(latent)


def _slim_numbering(doc) -> None:
    """Keep the list definitions the kept styles and the body refer to (the bullet list)."""
    numbering = doc.part.numbering_part.element
    used = {ref.get(qn("w:val")) for el in (doc.styles.element, *_content_parts(doc))
            for ref in el.iter(qn("w:numId"))}
    abstract_used = set()
    for num in numbering.findall(qn("w:num")):
        if num.get(qn("w:numId")) in used:
            abstract_used.add(_val(num, "abstractNumId"))
        else:
            numbering.remove(num)
    for abstract in numbering.findall(qn("w:abstractNum")):
        if abstract.get(qn("w:abstractNumId")) not in abstract_used:
            numbering.remove(abstract)


def _text_bullets(doc) -> None:
    """Bullets are "•" (U+2022) in the text font, not U+F0B7 in Word's Symbol font.

    The Symbol bullet is a private-use character: in the PDF it came out as a glyph of a
    substituted font without a meaningful Unicode value, which a screen reader cannot say
    (PDF/UA-1). The text font (Calibri, Carlito) has U+2022, so the list marker's own
    `w:rFonts` goes and the marker takes the paragraph's font.
    """
    numbering = doc.part.numbering_part.element
    for lvl in numbering.iter(qn("w:lvl")):
        if _val(lvl, "numFmt") != "bullet":
            continue
        lvl.find(qn("w:lvlText")).set(qn("w:val"), "\u2022")
        rpr = lvl.find(qn("w:rPr"))
        if rpr is not None:
            for rfonts in rpr.findall(qn("w:rFonts")):
                rpr.remove(rfonts)
            if len(rpr) == 0:
                lvl.remove(rpr)


def _slim_fonts(doc) -> None:
    """Keep the font table entries of fonts the styles or lists name."""
    rel = next(r for r in doc.part.rels.values() if r.reltype == RT.FONT_TABLE)
    part = rel.target_part
    fonts = parse_xml(part.blob)
    named = {value for el in (doc.styles.element, doc.part.numbering_part.element)
             for rfonts in el.iter(qn("w:rFonts")) for value in rfonts.attrib.values()}
    for font in fonts.findall(qn("w:font")):
        if font.get(qn("w:name")) not in named:
            fonts.remove(font)
    part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)


def slim(doc) -> None:
    """Strip the default document down to what the protocol uses (styles, lists, parts)."""
    _slim_styles(doc)
    _slim_numbering(doc)
    _text_bullets(doc)
    _slim_fonts(doc)
    for owner in (doc.part, doc.part.package):
        for rid in [r.rId for r in owner.rels.values() if r.reltype in DROPPED_PARTS]:
            owner.rels.pop(rid)
    app = doc.part.package.part_related_by(RT.EXTENDED_PROPERTIES)
    # The default says "Microsoft Macintosh Word", template Normal.dotm, one empty page.
    app._blob = APP_XML
    set_compatibility_mode(doc.settings.element)


# --- the document ---------------------------------------------------------------------------

def title_page(doc) -> None:
    tag(doc, "if logo")
    para(doc, "{{ logo }}")
    tag(doc, "endif")
    tag(doc, "if org.name_on_title")
    para(doc, "{{ org.name_on_title }}", "Organisatie")
    tag(doc, "endif")
    p = para(doc, "{{ team.department }}", "Subtitle")
    p.paragraph_format.space_after = Pt(60)
    para(doc, "Teamprotocol veilige publieke dienstverlening", "Title")
    para(doc, "{{ team.name }}", "Subtitle")
    tag(doc, "if meta.is_concept")
    para(doc, "CONCEPT", "Concept")
    para(doc, "Dit protocol is nog niet vastgesteld.", "Toelichting")
    tag(doc, "endif")
    # A policy that is still (partly) the invented example's: visible on every concept, as
    # nothing made with it can be adopted (issue 21, item 6).
    tag(doc, "if meta.example_policy")
    para(doc, "VOORBEELDBELEID", "Concept")
    para(doc, "{{ meta.example_policy }}", "Toelichting")
    tag(doc, "endif")
    p = para(doc)
    p.paragraph_format.space_before = Pt(40)
    facts = [
        ("Organisatie", "{{ org.name }}"), ("Afdeling", "{{ team.department }}"),
        ("Team", "{{ team.name }}"), ("Leidinggevende", "{{ team.lead }}"),
        ("Versie", "{{ meta.version_line }}"), ("Status", "{{ meta.status }}"),
        ("Vastgesteld door", "{{ meta.adopted_by }}"), ("Vastgesteld op", "{{ meta.adopted_on }}"),
        ("Volgende evaluatie", "{{ meta.next_evaluation }}"),
    ]
    # A header row (one cell over both columns): the PDF's table then has header cells
    # (LibreOffice tags a repeated header row as TH), so a screen reader knows what it reads.
    t = table(doc, len(facts) + 1, [4.5, 12.1])
    head = t.rows[0].cells[0].merge(t.rows[0].cells[1])
    cell_text(head, "Over dit protocol")
    for row, (label, value) in zip(t.rows[1:], facts, strict=True):
        cell_text(row.cells[0], label)
        row.cells[0].paragraphs[0].runs[0].bold = True
        cell_text(row.cells[1], value)


def _mark_run(p, var: str) -> None:
    """The visible mark of a missing number after its value: bold, in the gap colour."""
    p.add_run(" {% if " + var + ".missing %}")
    run = p.add_run("{{ " + var + ".missing }}")
    run.bold = True
    run.font.color.rgb = RGBColor.from_string(MARK)
    p.add_run("{% endif %}")


def incident_card(doc, *, page_break: bool = True) -> None:
    """The alarm card ("Wat te doen bij agressie"): page 2 of the protocol and the card's own
    document. 112 and the internal alarm numbers, per contact type a table of three levels
    with numbered steps, the bystander, after the incident, the other numbers."""
    tag(doc, "if card.sections")
    p = para(doc, "{{ card.heading }}", "Kaarttitel")
    p.paragraph_format.page_break_before = page_break
    p = para(doc, "{{ card.emergency.value }}", "Kaartalarm")
    p.add_run("  bij direct gevaar").font.size = Pt(13)
    tag(doc, "for n in card.alarm")
    p = para(doc, "{{ n.label }}: {{ n.value }}", "Kaartalarmnummer")
    _mark_run(p, "n")
    tag(doc, "endfor")
    tag(doc, "for s in card.sections")
    para(doc, "{{ s.title }}", "Kaartkop")
    t = table(doc, 2, [5.53, 5.53, 5.54])
    for i, cell in enumerate(t.rows[0].cells):
        cell_text(cell, f"{{{{ s.levels[{i}].title }}}}", "Kaarttekst")
    for i, cell in enumerate(t.rows[1].cells):
        cell.paragraphs[0].add_run("{%p for st in s.levels[" + str(i) + "].steps %}")
        cell.add_paragraph("{{ st }}", style="Kaartstap")
        cell.add_paragraph("{%p endfor %}")
    keep_rows_together(t)
    tag(doc, "endfor")
    para(doc, "Als een collega alarm slaat", "Kaartkop")
    para(doc, "{{ card.bystander }}", "Kaarttekst")
    tag(doc, "if card.code_word")
    p = para(doc, style="Kaarttekst")
    p.add_run("Codewoord: ").bold = True
    p.add_run("‘{{ card.code_word }}’. Noem je het, dan komt een collega direct; hoor je het, "
              "ga dan direct naar je collega.")
    tag(doc, "endif")
    para(doc, "Na het incident", "Kaartkop")
    tag(doc, "for line in card.report")
    p = para(doc, style="Kaarttekst")
    p.add_run("{{ line.label }}: ").bold = True
    p.add_run("{{ line.text }}")
    tag(doc, "endfor")
    para(doc, "Andere nummers", "Kaartkop")
    t = table(doc, 3, [3.6, 4.7, 3.6, 4.7], header=False)
    cell_text(t.rows[0].cells[0], "{%tr for row in card.number_rows %}")
    for half in (0, 1):
        label, value = t.rows[1].cells[2 * half], t.rows[1].cells[2 * half + 1]
        cell_text(label, f"{{{{ row[{half}].label }}}}", "Kaarttekst")
        label.paragraphs[0].runs[0].bold = True
        cell_text(value, f"{{{{ row[{half}].value }}}}", "Kaarttekst")
        _mark_run(value.paragraphs[0], f"row[{half}]")
    cell_text(t.rows[2].cells[0], "{%tr endfor %}")
    keep_rows_together(t)
    tag(doc, "if card.more")
    para(doc, "{{ card.more }}", "Kaarttekst")
    tag(doc, "endif")
    tag(doc, "endif")


def front_matter(doc) -> None:
    p = para(doc, "Versiebeheer", "Kop voorwerk")
    p.paragraph_format.page_break_before = True
    t = table(doc, 4, [2.0, 3.6, 3.0, 8.0])
    header_row(t, ("Versie", "Datum", "Status", "Toelichting"))
    row_loop(t, 1, "for v in history",
             ["{{ v.version }}", "{{ v.date }}", "{{ v.status }}", "{{ v.note }}"])
    p = para(doc, "Inhoud", "Kop voorwerk")
    p.paragraph_format.space_before = Pt(28)
    # Where the contents go: a TOC field as Word inserts it (`\o "1-2"`: heading levels 1-2).
    # pipeline.render.toc replaces it by plain `toc 1`/`toc 2` lines with PAGEREF
    # fields, because LibreOffice 25.2 prints a TOC field's stored result unchanged but lays
    # out a standalone PAGEREF with the right page in one conversion (measured).
    p = para(doc)
    for xml in (f'<w:r {W}><w:fldChar w:fldCharType="begin"/></w:r>',
                f'<w:r {W}><w:instrText xml:space="preserve"> TOC \\o "1-2" \\h \\z '
                '</w:instrText></w:r>',
                f'<w:r {W}><w:fldChar w:fldCharType="separate"/></w:r>',
                f'<w:r {W}><w:t>De inhoudsopgave wordt ingevuld bij het maken van het '
                'protocol.</w:t></w:r>',
                f'<w:r {W}><w:fldChar w:fldCharType="end"/></w:r>'):
        p._p.append(parse_xml(xml))
    # Word offers to update all fields on open (the contents' page numbers among them).
    ensure_update_fields(doc.settings.element)


def chapters(doc) -> None:
    tag(doc, "for ch in chapters")
    # Chapter 1 starts a page (after the contents); the others follow on.
    tag(doc, "if loop.first")
    p = para(doc, "{{ ch.number }}. {{ ch.title }}", "Heading 1")
    p.paragraph_format.page_break_before = True
    tag(doc, "else")
    para(doc, "{{ ch.number }}. {{ ch.title }}", "Heading 1")
    tag(doc, "endif")
    para(doc, "{{ ch.number }}.1 Kader van de organisatie", "Heading 2")
    para(doc, "{{ ch.organisation_source }}", "Bron")
    block_loop(doc, "ch.organisation")
    para(doc, "{{ ch.number }}.2 Afspraken van het team", "Heading 2")
    tag(doc, "if ch.team_source")
    para(doc, "{{ ch.team_source }}", "Bron")
    tag(doc, "endif")
    tag(doc, "if ch.team_note")
    para(doc, "{{ ch.team_note }}", "Toelichting")
    tag(doc, "endif")
    block_loop(doc, "ch.team")
    tag(doc, "endfor")


def keep_rows_together(t) -> None:
    """A small table on one page: every paragraph in it keeps with the next (Word's way)."""
    for row in t.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.keep_with_next = True


def _status_cell(cell, var: str, style: str = "Tabeltekst") -> None:
    cell_text(cell, "{% cellbg " + var + ".fill %}{{r " + var + ".label }}", style)


def _tag_cell(t, text: str):
    """A `<w:tc>` holding one docxtpl `{%tc %}` tag: docxtpl replaces the whole cell by it."""
    cell = _Cell(CT_Tc.new(), t)
    cell_text(cell, text, "Checklisttekst")
    return cell._tc


def settled_cell(t, row, widths: list[float]) -> None:
    """7.2's last two columns as one cell for an item with nothing missing and no action.

    The row holds `{%tc if i.settled %}` [one cell, gridSpan 2, "Niets ontbreekt; geen
    actie nodig"] `{%tc else %}` [Wat ontbreekt] [Actie] `{%tc endif %}`: docxtpl drops the
    four tag cells, so a rendered row has either five cells or four with the last spanning
    two grid columns, Word's own shape of a merged cell (its width the two columns' sum, for
    Word; LibreOffice lays out by the grid). The header row keeps its five cells, so a
    listener still hears "Wat ontbreekt" for the merged cell (issue 23, item 7).
    """
    missing, action = row.cells[3]._tc, row.cells[4]._tc
    merged = _Cell(CT_Tc.new(), t)
    merged.width = Cm(widths[3] + widths[4])
    merged._tc.grid_span = 2
    # The source line's grey (5.3:1 on white): the rows that ask for something stand out.
    cell_text(merged, "{{ annex.settled_line }}", "Tabelbron")
    for tc in (_tag_cell(t, "{%tc if i.settled %}"), merged._tc,
               _tag_cell(t, "{%tc else %}")):
        missing.addprevious(tc)
    action.addnext(_tag_cell(t, "{%tc endif %}"))


def annex(doc) -> None:
    para(doc, "7. {{ annex.heading }}", "Heading 1")
    para(doc, "{{ annex.intro }}").paragraph_format.keep_with_next = True
    para(doc, "7.1 Score per hoofdstuk", "Heading 2")
    # The symbols in words come from the palette (pipeline/render/palette.py).
    para(doc, "{{ annex.bar_legend }}", "Toelichting").paragraph_format.keep_with_next = True
    t = table(doc, 5, [5.8, 3.6, 2.2, 2.5, 2.5])
    header_row(t, ("Hoofdstuk", "In één oogopslag", "Geregeld",
                                            "Nog te regelen door team",
                                            "Nog te regelen door organisatie"))
    row_loop(t, 1, "for s in annex.scores",
             ["{{ s.number }}. {{ s.title }}", "{{r s.bar }}",
              "{{ s.geregeld }} van {{ s.applicable }}", "{{ s.team }}", "{{ s.organisation }}"])
    for cell, text in zip(t.rows[4].cells, ("Totaal", "",
                                            "{{ annex.geregeld }} van {{ annex.applicable }}",
                                            "{{ annex.total_open_team }}",
                                            "{{ annex.total_open_organisation }}"), strict=True):
        if text:
            cell_text(cell, text)
            cell.paragraphs[0].runs[0].bold = True
    keep_rows_together(t)

    para(doc, "7.2 Alle onderdelen", "Heading 2")
    # A paragraph that introduces a table stays on the table's page (measured: the 7.4 intro
    # was left alone at the foot of a page with its table on the next).
    para(doc, "{{ annex.legend }}", "Toelichting").paragraph_format.keep_with_next = True
    # What is missing, and who acts by when, each in a column of its own; the filled sources
    # are a short reference under the item.
    # "Wat ontbreekt" is the longest text of an open item (measured: rows of 20 lines at 3.3 cm).
    # The item text had 22 % of the width (5-7 lines a row) while most rows hold "–" for the
    # action, its owner and its date: those are one column now, "door …, uiterlijk …" under
    # the action, and the item text has the room (issue 23).
    widths = [0.8, 5.2, 1.9, 4.9, 3.8]
    t = table(doc, 7, widths)
    header_row(t, ("Nr.", "Onderdeel", "Status", "Wat ontbreekt", "Actie"), "Checklisttekst")
    cell_text(t.rows[1].cells[0], "{%tr for g in annex.groups %}")
    group = t.rows[2].cells[0].merge(t.rows[2].cells[4])
    cell_text(group, "{% cellbg 'F2F2F2' %}{{ g.number }}. {{ g.title }} — {{ g.line }}")
    group.paragraphs[0].runs[0].bold = True
    # A chapter's row stays on the page of its first item (measured: in 101 of 240 bench
    # PDFs it ended a page alone, its items on the next). LibreOffice honours keep-with-next
    # in a table row (measured), and Word documents it for rows.
    group.paragraphs[0].paragraph_format.keep_with_next = True
    row_loop(t, 3, "for i in g.checks", ["{{ i.id }}", None, None, None, None],
             "Checklisttekst")
    item = t.rows[4].cells[1]
    cell_text(item, "{{ i.text }}", "Checklisttekst")
    for text in ("{%p if i.reference %}", "{{ i.reference }}", "{%p endif %}"):
        p = item.add_paragraph(style="Tabelbron" if text.startswith("{{") else "Checklisttekst")
        p.add_run(text)
    _status_cell(t.rows[4].cells[2], "i", "Checklisttekst")
    missing = t.rows[4].cells[3]
    cell_text(missing, "{%p for m in i.missing %}", "Checklisttekst")
    for text in ("{{ m }}", "{%p endfor %}"):
        missing.add_paragraph(style="Checklisttekst").add_run(text)
    action = t.rows[4].cells[4]
    cell_text(action, "{%p for a in i.action_lines %}", "Checklisttekst")
    for text in ("{{ a }}", "{%p endfor %}"):
        action.add_paragraph(style="Checklisttekst").add_run(text)
    settled_cell(t, t.rows[4], widths)
    cell_text(t.rows[6].cells[0], "{%tr endfor %}")

    para(doc, "7.3 Acties", "Heading 2")
    tag(doc, "if annex.actions")
    t = table(doc, 4, [1.2, 7.0, 3.4, 2.6, 2.4])
    header_row(t, ("Nr.", "Actie", "Eigenaar", "Uiterlijk",
                                            "Ingebracht door"))
    row_loop(t, 1, "for a in annex.actions",
             ["{{ a.item }}", "{{ a.what }}", "{{ a.owner }}", "{{ a.due }}", "{{ a.origin }}"])
    # Kept on one page: split at a page foot, LibreOffice tagged an empty repeated header
    # row on the next page (PDFUA1-TABLE-ROW-COLUMNSPAN-001, measured on handhaving).
    keep_rows_together(t)
    tag(doc, "endif")
    tag(doc, "if annex.unplanned")
    para(doc, "{{ annex.unplanned }}", "Open punt")
    tag(doc, "elif not annex.actions")
    para(doc, "Er staan geen acties open.")
    tag(doc, "endif")

    para(doc, "7.4 Overzicht naar de elf onderwerpen van de Werkwijzer (2019)",
         "Heading 2")
    para(doc, "{{ annex.topics_intro }}").paragraph_format.keep_with_next = True
    t = table(doc, 4, [1.0, 9.2, 3.4, 3.0])
    header_row(t, ("Nr.", "Onderwerp", "Onderdelen", "Status"))
    row_loop(t, 1, "for tp in annex.topics",
             ["{{ tp.number }}", "{{ tp.title }}", "{{ tp.ids }}", None])
    _status_cell(t.rows[2].cells[3], "tp")
    keep_rows_together(t)


def appendices(doc) -> None:
    tag(doc, "for ap in appendices")
    para(doc, "{{ ap.heading }}", "Heading 1")
    tag(doc, "if ap.intro")
    para(doc, "{{ ap.intro }}", "Bron")
    tag(doc, "endif")
    block_loop(doc, "ap.blocks", "Bijlagekop")
    tag(doc, "endfor")


def header_footer(doc) -> None:
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    right = Cm(16.6)
    header = section.header.paragraphs[0]
    header.paragraph_format.tab_stops.add_tab_stop(right, WD_TAB_ALIGNMENT.RIGHT)
    header.add_run("{{ team.name }} · Teamprotocol veilige publieke dienstverlening\t")
    header.add_run("{% if meta.is_concept %}")
    concept = header.add_run("CONCEPT ")
    concept.bold = True
    concept.font.color.rgb = RED
    header.add_run("{% endif %}{% if meta.example_policy %}")
    example = header.add_run("VOORBEELDBELEID ")
    example.bold = True
    example.font.color.rgb = RED
    header.add_run("{% endif %}versie {{ meta.version }}")
    footer = section.footer.paragraphs[0]
    footer.paragraph_format.tab_stops.add_tab_stop(right, WD_TAB_ALIGNMENT.RIGHT)
    footer.add_run("{{ org.name }} · {{ team.department }}\tPagina ")
    field_runs(footer, "PAGE")
    footer.add_run(" van ")
    field_runs(footer, "NUMPAGES")
    # The title page shows the CONCEPT mark in its body; its own header and footer stay empty.
    section.first_page_header.paragraphs[0].text = ""
    section.first_page_footer.paragraphs[0].text = ""


def _page(doc) -> None:
    """A4 with the protocol's margins."""
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.0)


def _save(doc, path: Path, title: str, comments: str) -> Path:
    """Give a template its core properties, slim it (`slim`) and write it to `path`."""
    props = doc.core_properties
    props.title = title
    props.author = "teamprotocol"
    props.language = "nl-NL"
    props.comments = comments
    props.keywords = ""
    props.subject = ""
    slim(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def build(path: Path = OUT) -> Path:
    """Write the protocol template to `path` and return it."""
    doc = Document()
    _page(doc)
    make_styles(doc)
    # The default template starts with no paragraph; every part adds its own.
    title_page(doc)
    incident_card(doc)
    front_matter(doc)
    chapters(doc)
    annex(doc)
    appendices(doc)
    header_footer(doc)
    return _save(doc, path, "Teamprotocol veilige publieke dienstverlening",
                 "Sjabloon voor teamprotocollen; variabelen: zie README.")


def build_card(path: Path = CARD_OUT) -> Path:
    """Write the alarm card's own template to `path`: the card on one page, to print and hang
    up, with the team, organisation and version in the footer; return it."""
    doc = Document()
    _page(doc)
    make_styles(doc)
    incident_card(doc, page_break=False)
    footer = doc.sections[0].footer.paragraphs[0]
    footer.add_run("{{ team.name }} · {{ org.name }} · alarmkaart bij het teamprotocol, versie "
                   "{{ meta.version }}{% if meta.is_concept %} (concept){% endif %}")
    return _save(doc, path, "Alarmkaart: wat te doen bij agressie",
                 "Sjabloon voor de alarmkaart; variabelen: zie README.")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        print(build(Path(sys.argv[1])))
        print(build_card(Path(sys.argv[1]).with_name("kaart.docx")))
    else:
        print(build())
        print(build_card())
