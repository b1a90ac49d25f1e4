"""The look of a form: A4 page, Calibri styles, header and footer (python-docx only)."""

from __future__ import annotations

import datetime as dt

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from pipeline.ooxml_order import order_properties

# Word on Windows has Calibri; LibreOffice uses its metric twin Carlito (fontconfig alias)
FONT = "Calibri"
ACCENT = RGBColor(0x1F, 0x3A, 0x5F)  # dark municipal blue
GREY = RGBColor(0x59, 0x59, 0x59)
ANSWER_FILL, ANSWER_BORDER = "F3F6FA", "B4C3D6"
LOCKED_FILL, LOCKED_BORDER = "F2F2F2", "BFBFBF"
HEADER_FILL = "DCE4EE"
# Fixed core-property dates: the same inputs give byte-identical forms.
FIXED_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)

# Paragraph styles of our own; the reader recognises a question by its text, not its style.
QUESTION, ANSWER, LOCKED, NOTE = "Vraag", "Antwoord", "Organisatietekst", "Toelichting"


def _plain_fonts(doc: DocxDocument) -> None:
    """Set Calibri everywhere: theme font attributes (`w:asciiTheme`) win over `w:ascii`."""
    styles = doc.styles.element
    for rfonts in styles.iter(qn("w:rFonts")):
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)
        for attr in ("w:ascii", "w:hAnsi", "w:cs"):
            rfonts.set(qn(attr), FONT)
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "nl-NL")


def box(paragraph_format_element: BaseOxmlElement, fill: str, border: str) -> None:
    """Shade a paragraph (`w:pPr`) and draw a thin border round it: the answer box."""
    pbdr = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        b = OxmlElement(f"w:{side}")
        b.set(qn("w:val"), "single")
        b.set(qn("w:sz"), "4")
        b.set(qn("w:space"), "4")
        b.set(qn("w:color"), border)
        pbdr.append(b)
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    paragraph_format_element.append(pbdr)
    paragraph_format_element.append(shd)
    # Appended after the indents and spacing python-docx wrote: back into schema order.
    order_properties(paragraph_format_element)


def setup_styles(doc: DocxDocument) -> None:
    """Normal text, headings and our four paragraph styles in Calibri."""
    _plain_fonts(doc)
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(11)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.1
    title = styles["Title"]
    title.font.name, title.font.size, title.font.color.rgb = FONT, Pt(22), ACCENT
    title.paragraph_format.space_after = Pt(2)
    # The template's Title has a bottom border in its own colour; keep a plain title.
    ppr = title.element.find(qn("w:pPr"))
    if ppr is not None and ppr.find(qn("w:pBdr")) is not None:
        ppr.remove(ppr.find(qn("w:pBdr")))
    for name, size, before in (("Heading 1", 15, 16), ("Heading 2", 12, 10)):
        h = styles[name]
        h.font.name, h.font.size, h.font.color.rgb, h.font.bold = FONT, Pt(size), ACCENT, True
        h.paragraph_format.space_before, h.paragraph_format.space_after = Pt(before), Pt(4)
        h.paragraph_format.keep_with_next = True
    q = styles.add_style(QUESTION, WD_STYLE_TYPE.PARAGRAPH)
    q.base_style, q.font.bold = normal, True
    q.paragraph_format.space_before, q.paragraph_format.space_after = Pt(9), Pt(2)
    q.paragraph_format.keep_with_next = True
    for name, fill, border in ((ANSWER, ANSWER_FILL, ANSWER_BORDER),
                               (LOCKED, LOCKED_FILL, LOCKED_BORDER)):
        a = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        a.base_style = normal
        a.paragraph_format.left_indent = Cm(0.15)
        a.paragraph_format.right_indent = Cm(0.15)
        a.paragraph_format.space_before, a.paragraph_format.space_after = Pt(3), Pt(6)
        box(a.element.get_or_add_pPr(), fill, border)
    n = styles.add_style(NOTE, WD_STYLE_TYPE.PARAGRAPH)
    n.base_style = normal
    n.font.size, n.font.italic, n.font.color.rgb = Pt(9.5), True, GREY
    n.paragraph_format.space_after = Pt(3)
    n.paragraph_format.keep_with_next = True


def _field(paragraph: Paragraph, instruction: str) -> None:
    """Append a simple field (`PAGE`, `NUMPAGES`) to a paragraph: Word and LibreOffice update it."""
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instruction)
    r = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    for name, val in (("w:color", "595959"), ("w:sz", "18")):
        el = OxmlElement(name)
        el.set(qn("w:val"), val)
        rpr.append(el)
    r.append(rpr)
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    fld.append(r)
    paragraph._p.append(fld)


def setup_page(doc: DocxDocument, header_text: str, footer_text: str) -> None:
    """A4 with 2.2 cm margins, a header naming team and form, a footer with page numbers."""
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.0)
    section.header_distance = section.footer_distance = Cm(1.0)
    head = section.header.paragraphs[0]
    head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = head.add_run(header_text)
    run.font.size, run.font.color.rgb = Pt(9), GREY
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text, instr in ((footer_text + "   ·   Pagina ", "PAGE"), (" van ", "NUMPAGES")):
        r = foot.add_run(text)
        r.font.size, r.font.color.rgb = Pt(9), GREY
        _field(foot, instr)


def set_core_properties(doc: DocxDocument, title: str, subject: str) -> None:
    """Title and subject; fixed dates and author so output does not depend on when it ran."""
    core = doc.core_properties
    core.title, core.subject = title, subject
    core.author = core.last_modified_by = "teamprotocol"
    core.comments, core.keywords, core.category = "", "", "Formulier"
    core.created = core.modified = FIXED_TIME.replace(tzinfo=None)
    core.revision = 1
    core.language = "nl-NL"


def shade_cell(cell: _Cell, fill: str) -> None:
    """Background colour of a table cell (`w:tcPr/w:shd`)."""
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)
