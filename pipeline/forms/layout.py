"""The look of a form: A4 page, the organisation's colour, font and logo, header and footer."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from pipeline.forms.common import ANSWER, LOCKED, NOTE, QUESTION
from pipeline.ooxml_order import order_properties

# Word on Windows has Calibri; LibreOffice uses its metric twin Carlito (fontconfig alias)
FONT = "Calibri"
# A form written without a policy: Word's own heading blue, no organisation's colour.
NEUTRAL_COLOUR = "2F5496"
GREY = RGBColor(0x59, 0x59, 0x59)
# The organisation's fixed text is not a box: no fill, a grey bar on its left (dark enough
# for 3:1 on white). An answer box is filled and framed all round. Before, both were a light
# filled box (#EFF4F2 and #F2F2F2: the same grey), and "gekleurd invulvak" / "grijze
# achtergrond" could not be told apart by eye.
LOCKED_BAR = "8C8C8C"
LOCKED_BAR_SIZE = 24  # eighths of a point: 3 pt
# The first page's header holds the logo within the top margin (header distance + logo <
# top margin): a header taller than the margin pushed the body down after LibreOffice had
# laid out page 1, and a question there lost its answer box to page 2 (measured, 25.2).
LOGO_HEIGHT = Cm(1.15)
# Empty lines below an empty long answer, inside its box: it looks like room for a few
# lines. Not the border's distance to the text: with more than ~12 pt of it LibreOffice 25.2
# let a question end page 1 and put its box alone on page 2 (measured), as it did with
# keep-lines on the box.
LONG_ANSWER_LINES = 2


def tint(colour: str, share: float) -> str:
    """`RRGGBB` mixed with white: `share` 0 is the colour itself, 1 is white."""
    rgb = (int(colour[i:i + 2], 16) for i in (0, 2, 4))
    return "".join(f"{round(c + (255 - c) * share):02X}" for c in rgb)


@dataclass(frozen=True)
class Look:
    """The organisation's look on a form: house colour (`RRGGBB`), font, logo and its alt text.

    The answer boxes and table headers are light tints of the colour.
    """

    colour: str = NEUTRAL_COLOUR
    font: str = FONT
    logo: bytes | None = None
    logo_alt: str = ""
    organisation: str = ""

    @property
    def accent(self) -> RGBColor:
        return RGBColor.from_string(self.colour)

    @property
    def answer_fill(self) -> str:
        return tint(self.colour, 0.93)

    @property
    def answer_border(self) -> str:
        return tint(self.colour, 0.6)

    @property
    def answer_frame(self) -> str:
        """The answer box's border: the house colour half-way to white, seen in grey too."""
        return tint(self.colour, 0.35)

    @property
    def header_fill(self) -> str:
        return tint(self.colour, 0.82)
# Fixed core-property dates: the same inputs give byte-identical forms.
FIXED_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)



def _plain_fonts(doc: DocxDocument, font: str) -> None:
    """Set `font` everywhere: theme font attributes (`w:asciiTheme`) win over `w:ascii`."""
    styles = doc.styles.element
    for rfonts in styles.iter(qn("w:rFonts")):
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)
        for attr in ("w:ascii", "w:hAnsi", "w:cs"):
            rfonts.set(qn(attr), font)
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "nl-NL")


def box(paragraph_format_element: BaseOxmlElement, fill: str | None, border: str, *,
        sides: tuple[str, ...] = ("top", "left", "bottom", "right"), size: int = 8) -> None:
    """Shade a paragraph (`w:pPr`, unless `fill` is None) and draw a border on `sides` of
    it, `size` eighths of a point wide: the answer box, or the fixed text's bar."""
    pbdr = OxmlElement("w:pBdr")
    for side in sides:
        b = OxmlElement(f"w:{side}")
        b.set(qn("w:val"), "single")
        b.set(qn("w:sz"), str(size))
        b.set(qn("w:space"), "4")
        b.set(qn("w:color"), border)
        pbdr.append(b)
    paragraph_format_element.append(pbdr)
    if fill is not None:
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), fill)
        paragraph_format_element.append(shd)
    # Appended after the indents and spacing python-docx wrote: back into schema order.
    order_properties(paragraph_format_element)


def setup_styles(doc: DocxDocument, look: Look) -> None:
    """Normal text, headings and our paragraph styles in the look's font and colour."""
    font, accent = look.font, look.accent
    _plain_fonts(doc, font)
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name, normal.font.size = font, Pt(11)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.1
    title = styles["Title"]
    title.font.name, title.font.size, title.font.color.rgb = font, Pt(22), accent
    title.paragraph_format.space_after = Pt(2)
    # The template's Title has a bottom border in its own colour; keep a plain title.
    ppr = title.element.find(qn("w:pPr"))
    if ppr is not None and ppr.find(qn("w:pBdr")) is not None:
        ppr.remove(ppr.find(qn("w:pBdr")))
    for name, size, before in (("Heading 1", 15, 16), ("Heading 2", 12, 10)):
        h = styles[name]
        h.font.name, h.font.size, h.font.color.rgb, h.font.bold = font, Pt(size), accent, True
        h.paragraph_format.space_before, h.paragraph_format.space_after = Pt(before), Pt(4)
        h.paragraph_format.keep_with_next = True
    q = styles.add_style(QUESTION, WD_STYLE_TYPE.PARAGRAPH)
    q.base_style, q.font.bold = normal, True
    q.paragraph_format.space_before, q.paragraph_format.space_after = Pt(8), Pt(2)
    q.paragraph_format.keep_with_next = True
    for name in (ANSWER, LOCKED):
        a = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        a.base_style = normal
        a.paragraph_format.left_indent = Cm(0.15)
        a.paragraph_format.right_indent = Cm(0.15)
        a.paragraph_format.space_before, a.paragraph_format.space_after = Pt(3), Pt(6)
        if name == ANSWER:
            # A box never splits over two pages (keep lines together). Measured with
            # LibreOffice 25.2 on the 24 example forms, blank forms and team forms whose 26
            # long answers had 6, 12 or 20 lines (tests/helpers/lo_boxes.py): without it 1, 4
            # and 8 boxes split, leaving empty box fragments; with it none, and no question
            # was left at a page foot without its box (the logo header fix, above, is what
            # ended the earlier case of that).
            a.paragraph_format.keep_together = True
            box(a.element.get_or_add_pPr(), look.answer_fill, look.answer_frame)
        else:
            box(a.element.get_or_add_pPr(), None, LOCKED_BAR, sides=("left",),
                size=LOCKED_BAR_SIZE)
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


def _footer(paragraph: Paragraph, organisation: str) -> None:
    """`<organisation> · Pagina n van m`, centred and small."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    lead = f"{organisation}   ·   " if organisation else ""
    for text, instr in ((lead + "Pagina ", "PAGE"), (" van ", "NUMPAGES")):
        r = paragraph.add_run(text)
        r.font.size, r.font.color.rgb = Pt(9), GREY
        _field(paragraph, instr)


def setup_page(doc: DocxDocument, header_text: str, look: Look) -> None:
    """A4 with 2.2 cm margins, a header naming team and form, a footer with page numbers.

    With a logo, the first page's header holds it instead of the header text (which the
    title below repeats): the logo takes no room from the questions.
    """
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.0)
    section.header_distance, section.footer_distance = Cm(0.9), Cm(1.0)
    head = section.header.paragraphs[0]
    head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = head.add_run(header_text)
    run.font.size, run.font.color.rgb = Pt(9), GREY
    _footer(section.footer.paragraphs[0], look.organisation)
    if look.logo:
        section.different_first_page_header_footer = True
        _add_logo(section.first_page_header.paragraphs[0], look)
        _footer(section.first_page_footer.paragraphs[0], look.organisation)


def _add_logo(paragraph: Paragraph, look: Look) -> None:
    """The organisation's logo in `paragraph`, with its alternative text."""
    # Exactly the logo's height: Normal's 1.1 line spacing and space after would add to it.
    paragraph.paragraph_format.line_spacing = 1.0
    paragraph.paragraph_format.space_after = Pt(0)
    if look.logo is None:
        return
    inline = paragraph.add_run().add_picture(io.BytesIO(look.logo), height=LOGO_HEIGHT)._inline
    # Read aloud by screen readers; LibreOffice exports it as the PDF figure's /Alt.
    inline.docPr.set("descr", look.logo_alt or "Logo")
    inline.docPr.set("name", "Logo")


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


def table_borders(table: Table, colour: str) -> None:
    """Thin borders of `colour` round and inside a table (`w:tblBorders`), not black."""
    tblpr = table._tbl.tblPr
    old = tblpr.find(qn("w:tblBorders"))
    if old is not None:
        tblpr.remove(old)
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        b = OxmlElement(f"w:{side}")
        for name, val in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"),
                          ("w:color", colour)):
            b.set(qn(name), val)
        borders.append(b)
    # Schema order (CT_TblPr): after tblStyle, tblW, jc, tblInd; before shd, tblLook and on.
    later = [tblpr.find(qn(f"w:{n}")) for n in ("shd", "tblLayout", "tblCellMar", "tblLook",
                                                 "tblCaption", "tblDescription")]
    after = next((el for el in later if el is not None), None)
    if after is None:
        tblpr.append(borders)
    else:
        after.addprevious(borders)
