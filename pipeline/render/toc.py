"""The table of contents of a rendered .docx: plain `toc n` paragraphs with PAGEREF fields.

The template marks where the contents go with an ordinary TOC field (`w:fldChar`, `\\o "1-2"`
gives the heading levels), as Word inserts it. `fill_toc` replaces that field by one paragraph
per heading: a hyperlink to a `_Toc` bookmark on the heading holding its text and a tab (right,
dot leader, from the `toc n` style), then a standalone `PAGEREF _Toc… \\h` field. No TOC
field remains. Once the PDF shows the pages, `toc_pages.py` wraps the lines in a real TOC
field again, with those pages as its stored result.

PDF/UA-1 (measured with page-validation 0.11 on LibreOffice 25.2's PDFs): with the PAGEREF
inside the hyperlink, every entry gave two link annotations, the hyperlink's without
`/Contents` and the PAGEREF's outside any Link structure element (two failures on every
protocol). LibreOffice makes every reference field a link of its own (also without `\\h`),
tagged as a Link with the bookmark name as `/Contents`; a hyperlink that has a `w:tooltip`
makes no annotation of its own (measured, also with the PAGEREF inside it). So the PAGEREF
stands after the hyperlink, which carries the entry text as tooltip: in the PDF the page
number is the link, in Word the whole line is.

Measured with LibreOffice 25.2 (`soffice --convert-to pdf`, one conversion, 15-page protocol):
- the same entries inside a TOC field print their cached PAGEREF text ("99" stays "99"):
  LibreOffice never recomputes a TOC field's stored result, so that needed a second pass;
- standalone, every PAGEREF showed its heading's real page (25 of 25 entries, the annex and
  the appendices included), whether the cached result was empty or a wrong "99".
The rendered file sets `w:updateFields` (Word offers to update all fields when it opens the
file), but no file is written that way: with a PDF, `toc_pages.stamp_toc` puts the pages
LibreOffice laid out into a real TOC field and drops the setting; without one
(`--no-pdf`), `toc_pages.contents_field` makes the same field with empty page numbers for
Word to fill on request, also without the prompt. The PAGEREFs carry no
`w:dirty`: LibreOffice does not need it, and dirty flags on a generated contents list were
reported to make Word for Mac show page 1 for every entry (PumasAI/WriteDocx.jl#48).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lxml import etree

from pipeline.ooxml import W_NS

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

NS = {"w": W_NS}
BOOKMARK_PREFIX = "_Toc"
# Document variable holding the TOC field's heading levels between `fill_toc` and `stamp_toc`.
LEVELS_VARIABLE = "teamprotocol.inhoud"
# The cached result of each PAGEREF. LibreOffice ignores it (measured, above); readers that
# never lay the document out (docx2python, previews) show it, and an empty one is better
# than a page number we cannot know at render time.
PAGE_CACHE = ""
INDENT = 340  # twips per contents level (0.6 cm) when the template has no `toc n` styles
# python-docx's elements override `xpath` (no namespaces argument), so compile with lxml.
_TOC_INSTR = etree.XPath(".//w:instrText[starts-with(normalize-space(.), 'TOC')]", namespaces=NS)
_STYLE = etree.XPath("string(w:pPr/w:pStyle/@w:val)", namespaces=NS)
_BOOKMARK_IDS = etree.XPath(".//w:bookmarkStart/@w:id", namespaces=NS)
_PARA_STYLES = etree.XPath("w:style[@w:type='paragraph'][w:name]", namespaces=NS)
_TEXTS = etree.XPath(".//w:t/text()", namespaces=NS)
TOC_LINKS = etree.XPath("//w:hyperlink[starts-with(@w:anchor, $p)]", namespaces=NS)


# The elements that follow `w:updateFields` in CT_Settings (ECMA-376 part 1, wml.xsd):
# it goes before the first of these that the settings part has, to keep the schema order.
_AFTER_UPDATE_FIELDS = (
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr",
    "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown",
    "smartTagType", "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol",
    "listSeparator",
)


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def el(tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.Element(w(tag), {w(k): v for k, v in attrs.items()})
    if text is not None:
        element.text = text
        element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return element


def run(*children: etree._Element) -> etree._Element:
    r = el("r")
    r.extend(children)
    return r


def _levels(instruction: str) -> tuple[int, int]:
    found = re.search(r'\\o\s+"(\d)-(\d)"', instruction)
    return (int(found.group(1)), int(found.group(2))) if found else (1, 3)


def _style_ids(styles_root: etree._Element, names: dict[int, str]) -> dict[str, int]:
    """Paragraph style id -> level for the styles named in `names` (level -> name)."""
    # Straight from styles.xml: python-docx's `style.name` per style cost 45 ms a render.
    by_name = {style.find(w("name")).get(w("val")).lower(): style.get(w("styleId"))
               for style in _PARA_STYLES(styles_root)}
    return {by_name[n.lower()]: level for level, n in names.items() if n.lower() in by_name}


def _text(paragraph: etree._Element) -> str:
    return "".join(_TEXTS(paragraph)).strip()


def _insert_setting(settings: etree._Element, element: etree._Element,
                    later_names: tuple[str, ...]) -> None:
    """Put `element` into `<w:settings>` before the first child named in `later_names`."""
    later = next((c for c in settings if isinstance(c.tag, str)
                  and c.tag.startswith(f"{{{W_NS}}}")
                  and c.tag.split("}")[1] in later_names), None)
    if later is None:
        settings.append(element)
    else:
        later.addprevious(element)


def ensure_update_fields(settings: etree._Element) -> None:
    """Set `<w:updateFields w:val="true"/>` in a `<w:settings>` element, in schema order.

    Word then offers to update all fields when it opens the document, which fills in the
    contents' PAGEREF page numbers. Only for a protocol whose page numbers we do not know
    (built without PDF): `stamp_toc` removes it again.
    """
    for old in settings.findall(w("updateFields")):
        settings.remove(old)
    _insert_setting(settings, el("updateFields", val="true"), _AFTER_UPDATE_FIELDS)


def _remember_levels(settings: etree._Element, low: int, high: int) -> None:
    """Keep the TOC field's levels in a document variable (`w:docVar`) for `stamp_toc`."""
    for old in settings.findall(w("docVars")):
        settings.remove(old)
    variables = el("docVars")
    variables.append(el("docVar", name=LEVELS_VARIABLE, val=f"{low}-{high}"))
    later = _AFTER_UPDATE_FIELDS[_AFTER_UPDATE_FIELDS.index("docVars") + 1:]
    _insert_setting(settings, variables, later)


def _own_layout(level: int, right: int) -> list[etree._Element]:
    """`w:tabs` and `w:ind` for a contents line when the template has no `toc n` style."""
    tabs = el("tabs")
    tabs.append(el("tab", val="right", leader="dot", pos=str(right)))
    return [tabs, el("ind", left=str(INDENT * (level - 1)))]


def entry_paragraph(text: str, anchor: str, style_id: str | None, *, level: int = 1,
                    right: int = 9638) -> etree._Element:
    """One contents line `<w:p>`: hyperlink to `anchor` holding the text, a tab, PAGEREF.

    Without `style_id` the line gets its own right tab at `right` (twips, dot leader) and an
    indent per `level`, so the page numbers still line up.
    """
    p = el("p")
    ppr = el("pPr")
    if style_id:
        ppr.append(el("pStyle", val=style_id))
    else:
        ppr.extend(_own_layout(level, right))
    p.append(ppr)
    link = el("hyperlink", anchor=anchor, history="1", tooltip=text)
    link.extend([
        run(el("t", text)),
        run(el("tab")),
    ])
    p.append(link)
    p.extend([
        run(el("fldChar", fldCharType="begin")),
        run(el("instrText", f" PAGEREF {anchor} \\h ")),
        run(el("fldChar", fldCharType="separate")),
        run(el("t", PAGE_CACHE)),
        run(el("fldChar", fldCharType="end")),
    ])
    return p


def _paragraph(element: etree._Element) -> etree._Element:
    while element.tag != w("p"):
        element = element.getparent()
    return element


def _field_paragraphs(body: etree._Element, instr: etree._Element) -> list[etree._Element]:
    """The paragraphs from the TOC field's begin to its end (Word's own TOC spans several)."""
    depth, toc_depth, end = 0, None, None
    for element in body.iter(w("fldChar"), w("instrText")):
        if element is instr:
            toc_depth = depth
        elif element.tag == w("fldChar"):
            kind = element.get(w("fldCharType"))
            depth += {"begin": 1, "end": -1}.get(kind, 0)
            if toc_depth is not None and kind == "end" and depth < toc_depth:
                end = element
                break
    # The field's own container: the body, or Word's `docPartObj` content control around it.
    start = _paragraph(instr)
    paragraphs = list(start.getparent().iterchildren(w("p")))
    first = paragraphs.index(start)
    last = paragraphs.index(_paragraph(end)) if end is not None else first
    return paragraphs[first:last + 1]


def fill_toc(document: DocxDocument) -> int:
    """Replace the first TOC field of a python-docx Document by one entry paragraph per heading.

    Headings of the field's levels after the field get a `_Toc` bookmark. Returns the number
    of entries; a document without a TOC field is left alone.
    """
    body = document.element.body
    instr = _TOC_INSTR(body)
    if not instr:
        return 0
    field = _field_paragraphs(body, instr[0])
    low, high = _levels(instr[0].text or "")
    styles = document.styles.element
    heading_ids = _style_ids(styles, {n: f"Heading {n}" for n in range(low, high + 1)})
    toc_ids = {n: s for s, n in _style_ids(styles, {n: f"toc {n}" for n in range(1, 10)}).items()}

    last = field[-1]
    section = document.sections[0]
    width, left, margin = section.page_width, section.left_margin, section.right_margin
    right = (width.twips - left.twips - margin.twips) if width and left and margin else 9638
    everything = list(body.iter(w("p")))
    headings = [(p, heading_ids[_STYLE(p)]) for p in everything[everything.index(last) + 1:]
                if _STYLE(p) in heading_ids and _text(p)]
    ids = [int(x) for x in _BOOKMARK_IDS(body)]
    next_id = max(ids, default=0) + 1
    target = last
    for n, (heading, level) in enumerate(headings, 1):
        name = f"{BOOKMARK_PREFIX}{n:05d}"
        ppr = heading.find(w("pPr"))
        heading.insert(0 if ppr is None else heading.index(ppr) + 1,
                       el("bookmarkStart", id=str(next_id), name=name))
        heading.append(el("bookmarkEnd", id=str(next_id)))
        next_id += 1
        entry = entry_paragraph(_text(heading), name, toc_ids.get(level), level=level,
                                right=right)
        target.addnext(entry)
        target = entry
    for p in field:
        p.getparent().remove(p)
    ensure_update_fields(document.settings.element)
    _remember_levels(document.settings.element, low, high)
    return len(headings)
