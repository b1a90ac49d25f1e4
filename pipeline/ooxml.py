"""Word content controls (`w:sdt`) and custom document properties: the little lxml we need.

python-docx has no API for content controls, so this module builds inline controls (plain
and multi-line text, checkbox, drop-down list, date picker), reads them back, and writes and
reads `docProps/custom.xml`. It knows nothing about our forms: see `pipeline.forms`.

Only inline controls (inside a paragraph) are built: LibreOffice 25.2 keeps their tag, alias
and content when it saves a .docx, but drops the tag of a block-level drop-down list and
moves the second paragraph of a block-level rich-text control out of it (measured with
/work/shared/probes/lo_roundtrip.py, see word-forms.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import uuid
import zipfile
from collections.abc import Mapping

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
W15_NS = "http://schemas.microsoft.com/office/word/2012/wordml"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
CUSTOM_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_PART = "docProps/custom.xml"
# The format id Word uses for every user-defined property.
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"

NS = {"w": W_NS, "w14": W14_NS, "w15": W15_NS, "vt": VT_NS, "cp": CUSTOM_NS}

CHECKED_CHAR, UNCHECKED_CHAR = "\u2612", "\u2610"  # ☒ ☐ as Word's checkbox shows them
DATE_FORMAT = "d-M-yyyy"  # Word's picture; shown text is made by `format_date`



def qn(name: str) -> str:
    """`w:tag` -> `{namespace}tag` (Clark notation) for the prefixes in `NS`."""
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def _el(name: str, parent: etree._Element | None = None, **attrs: str) -> etree._Element:
    """Make `<name attr=…>` (prefixed names), appended to `parent` when given."""
    el = etree.Element(qn(name)) if parent is None else etree.SubElement(parent, qn(name))
    for k, v in attrs.items():
        el.set(qn(k.replace("_", ":", 1)), v)
    return el


def format_date(value: dt.date) -> str:
    """A date as Word shows it with picture `d-M-yyyy` (nl-NL): `1-3-2026`."""
    return f"{value.day}-{value.month}-{value.year}"


# --- building -------------------------------------------------------------------------------

def text_runs(text: str, rpr: etree._Element | None = None) -> list[etree._Element]:
    """`<w:r>` elements for `text`: one run, `\\n` as `<w:br/>` and `\\t` as `<w:tab/>`."""
    r = _el("w:r")
    if rpr is not None:
        r.append(_copy(rpr))
    for i, line in enumerate(text.split("\n")):
        if i:
            _el("w:br", r)
        for j, piece in enumerate(line.split("\t")):
            if j:
                _el("w:tab", r)
            if piece:
                t = _el("w:t", r)
                t.text = piece
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return [r]


def _copy(el: etree._Element) -> etree._Element:
    return etree.fromstring(etree.tostring(el))


def _rpr(color: str | None = None, font: str | None = None) -> etree._Element:
    rpr = _el("w:rPr")
    if font:
        _el("w:rFonts", rpr, w_ascii=font, w_hAnsi=font, w_eastAsia=font, w_cs=font)
    if color:
        _el("w:color", rpr, w_val=color)
    return rpr


PLACEHOLDER_COLOR = "6B6B6B"  # 5.3:1 on white, where Word's own Placeholder Text is 3.9:1
PLACEHOLDER_STYLE = "PlaceholderText"  # Word's character style for placeholder text


def placeholder_name(tag: str) -> str:
    """The glossary docPart name of a control's placeholder: 32 hex digits, as Word names
    them, made from the tag so that the same form gives the same bytes."""
    return hashlib.md5(tag.encode(), usedforsecurity=False).hexdigest().upper()


def sdt(tag: str, alias: str, kind: etree._Element | None, content: str | None,
        placeholder: str, *, locked: bool = False, font: str | None = None) -> etree._Element:
    """An inline `<w:sdt>`: tag, alias, the control kind's element and its content runs.

    With `content` None the control shows `placeholder` with `w:showingPlcHdr`, the way
    Word marks an unanswered control. A control with a placeholder names its glossary
    docPart (`w:placeholder`, see `finish_package`), as Word stores it: when a user clears
    an answer, Word shows that text again instead of its own "Klik of tik om tekst in te
    voeren". The placeholder runs carry the `PlaceholderText` style, not direct grey, so
    typed text never inherits the grey.
    """
    el = _el("w:sdt")
    pr = _el("w:sdtPr", el)
    _el("w:alias", pr, w_val=alias)
    _el("w:tag", pr, w_val=tag)
    if locked:
        # Word refuses edits and deletion; LibreOffice ignores the lock, so the reader never
        # takes a locked field's text as an answer.
        _el("w:lock", pr, w_val="sdtContentLocked")
    if placeholder:
        _el("w:docPart", _el("w:placeholder", pr), w_val=placeholder_name(tag))
    if content is None:
        _el("w:showingPlcHdr", pr)
    if kind is not None:
        pr.append(kind)
    body = _el("w:sdtContent", el)
    if content is None:
        style = _el("w:rPr")
        _el("w:rStyle", style, w_val=PLACEHOLDER_STYLE)
        if font:
            style.append(_rpr(None, font)[0])
        runs = text_runs(placeholder, style)
    else:
        runs = text_runs(content, _rpr(None, font) if font else None)
    body.extend(runs)
    return el


def text_control(tag: str, alias: str, value: str | None, placeholder: str, *,
                 multiline: bool = False, locked: bool = False) -> etree._Element:
    """Inline plain-text control; multi-line keeps line breaks as `<w:br/>` inside the control."""
    kind = _el("w:text", w_multiLine="1") if multiline else _el("w:text")
    return sdt(tag, alias, kind, value if value else None, placeholder, locked=locked)


def checkbox_control(tag: str, alias: str, checked: bool) -> etree._Element:
    """Inline `w14:checkbox` control showing ☒ or ☐ (Word's own states and font)."""
    kind = _el("w14:checkbox")
    _el("w14:checked", kind, w14_val="1" if checked else "0")
    _el("w14:checkedState", kind, w14_val="2612", w14_font="MS Gothic")
    _el("w14:uncheckedState", kind, w14_val="2610", w14_font="MS Gothic")
    return sdt(tag, alias, kind, CHECKED_CHAR if checked else UNCHECKED_CHAR, "",
               font="MS Gothic")


def dropdown_control(tag: str, alias: str, choices: tuple[str, ...], value: str | None,
                     placeholder: str, *, empty_item: str | None = None) -> etree._Element:
    """Inline drop-down list control; the shown text is the chosen item's display text.

    `empty_item` is a first item with an empty value, as Word's own lists have ("Kies een
    item."): choosing it makes the answer empty again.
    """
    kind = _el("w:dropDownList")
    if empty_item:
        _el("w:listItem", kind, w_displayText=empty_item, w_value="")
    for c in choices:
        _el("w:listItem", kind, w_displayText=c, w_value=c)
    return sdt(tag, alias, kind, value if value else None, placeholder)


def date_control(tag: str, alias: str, value: dt.date | None, placeholder: str) -> etree._Element:
    """Inline date picker (nl-NL, `d-M-yyyy`); the date itself is kept in `w:fullDate`."""
    kind = _el("w:date")
    if value is not None:
        kind.set(qn("w:fullDate"), f"{value.isoformat()}T00:00:00Z")
    _el("w:dateFormat", kind, w_val=DATE_FORMAT)
    _el("w:lid", kind, w_val="nl-NL")
    _el("w:storeMappedDataAs", kind, w_val="dateTime")
    _el("w:calendar", kind, w_val="gregorian")
    return sdt(tag, alias, kind, format_date(value) if value else None, placeholder)


def repeating_section(tag: str, alias: str, rows: list[etree._Element]) -> etree._Element:
    """`w15:repeatingSection` around table rows, each a `w15:repeatingSectionItem`.

    Lets Word users add a row with the plus button. LibreOffice 25.2 drops both levels when
    it saves (measured), so readers must find rows from their cell controls, never from this.
    """
    outer = _el("w:sdt")
    pr = _el("w:sdtPr", outer)
    _el("w:alias", pr, w_val=alias)
    _el("w:tag", pr, w_val=tag)
    _el("w15:repeatingSection", pr)
    body = _el("w:sdtContent", outer)
    for row in rows:
        item = _el("w:sdt", body)
        _el("w15:repeatingSectionItem", _el("w:sdtPr", item))
        _el("w:sdtContent", item).append(row)
    return outer


# --- reading --------------------------------------------------------------------------------

def sdt_tag(el: etree._Element) -> str | None:
    """The `w:tag` value of a `<w:sdt>`, None when it has none."""
    v = el.xpath("string(w:sdtPr/w:tag/@w:val)", namespaces=NS)
    return v or None


def sdt_alias(el: etree._Element) -> str | None:
    """The `w:alias` (title) of a `<w:sdt>`."""
    v = el.xpath("string(w:sdtPr/w:alias/@w:val)", namespaces=NS)
    return v or None


def sdt_kind(el: etree._Element) -> str:
    """`checkbox`, `dropdown`, `date`, `repeating`, `repeating-item` or `text`."""
    pr = el.find(qn("w:sdtPr"))
    if pr is None:
        return "text"
    for name, kind in (("w14:checkbox", "checkbox"), ("w:dropDownList", "dropdown"),
                       ("w:comboBox", "dropdown"), ("w:date", "date"),
                       ("w15:repeatingSection", "repeating"),
                       ("w15:repeatingSectionItem", "repeating-item")):
        if pr.find(qn(name)) is not None:
            return kind
    return "text"


def showing_placeholder(el: etree._Element) -> bool:
    """Whether the control is flagged as showing its placeholder (`w:showingPlcHdr`)."""
    node = el.find("w:sdtPr/w:showingPlcHdr", NS)
    return node is not None and node.get(qn("w:val")) not in ("0", "false")


# Insert > Symbol in Word writes `<w:sym w:font="Wingdings" w:char="F0FC"/>`: a position in
# a symbol font, not a character. The symbols a form answer may plausibly hold, by font and
# position (the low byte; Word adds F000). Symbol follows the Adobe Symbol encoding.
_SYMBOL_FONT_CHARS: dict[str, dict[int, str]] = {
    "symbol": {
        **{0x41 + i: c for i, c in enumerate("ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ")},
        **{0x61 + i: c for i, c in enumerate("αβχδεφγηιϕκλμνοπθρστυϖωξψζ")},
        0x22: "∀", 0x24: "∃", 0x27: "∋", 0x2A: "∗", 0x2D: "−", 0x40: "≅", 0x5C: "∴",
        0x5E: "⊥", 0xA2: "′", 0xA3: "≤", 0xA5: "∞", 0xAB: "↔", 0xAC: "←", 0xAD: "↑",
        0xAE: "→", 0xAF: "↓", 0xB0: "°", 0xB1: "±", 0xB2: "″", 0xB3: "≥", 0xB4: "×",
        0xB7: "•", 0xB8: "÷", 0xB9: "≠", 0xBA: "≡", 0xBB: "≈", 0xBC: "…", 0xD6: "√",
        0xD7: "⋅", 0xE5: "∑", 0xF2: "∫",
    },
    "wingdings": {
        0x4A: "☺", 0x4B: "😐", 0x4C: "☹", 0x6C: "●", 0x6E: "■", 0x6F: "□", 0x71: "❑",
        0x76: "❖", 0x9F: "•", 0xA7: "▪", 0xA8: "◻", 0xD8: "➢", 0xE0: "➔", 0xE8: "➔",
        0xF0: "⇨", 0xFB: "✗", 0xFC: "✓", 0xFD: "☒", 0xFE: "☑",
    },
}
_REMOVED = (qn("w:moveFrom"), qn("w:del"))  # tracked deletions and a move's old place


def sym_text(sym: etree._Element) -> str:
    """The Unicode character of a `<w:sym>`; U+FFFD for a symbol-font position we do not know."""
    try:
        code = int(sym.get(qn("w:char"), ""), 16)
    except ValueError:
        return "\ufffd"
    font = (sym.get(qn("w:font")) or "").strip().lower()
    table = _SYMBOL_FONT_CHARS.get(font)
    if table is None:  # any other font: w:char is a Unicode code point (Segoe UI Symbol)
        return chr(code) if 0x20 <= code < 0xF000 and not 0xD800 <= code < 0xE000 \
            else "\ufffd"
    return table.get(code & 0xFF if code >= 0xF000 else code, "\ufffd")


def _removed(node: etree._Element, stop: etree._Element) -> bool:
    """Whether `node` lies in tracked-deleted or moved-away text below `stop`."""
    for ancestor in node.iterancestors():
        if ancestor is stop:
            return False
        if ancestor.tag in _REMOVED:
            return True
    return False


def _runs_text(el: etree._Element) -> str:
    parts: list[str] = []
    # A tracked move keeps its text twice: as `w:t` in `w:moveFrom` (the old place) and in
    # `w:moveTo`; only the new place is text. A tracked deletion holds `w:delText`, but
    # also tabs and breaks. Looked for once, so plain answers pay nothing.
    removed = el.find(f".//{_REMOVED[0]}") is not None or el.find(f".//{_REMOVED[1]}") is not None
    for node in el.iter(qn("w:t"), qn("w:br"), qn("w:cr"), qn("w:tab"), qn("w:noBreakHyphen"),
                        qn("w:sym")):
        if removed and _removed(node, el):
            continue
        if node.tag == qn("w:t"):
            parts.append(node.text or "")
        elif node.getparent().tag != qn("w:r"):
            continue  # a `w:tab` in `w:tabs` is a tab stop, not text
        elif node.tag == qn("w:sym"):
            parts.append(sym_text(node))
        elif node.tag == qn("w:tab"):
            parts.append("\t")
        elif node.tag == qn("w:noBreakHyphen"):
            parts.append("\u2011")
        elif node.get(qn("w:type")) in (None, "textWrapping"):
            parts.append("\n")  # page and column breaks are layout, not text
    return "".join(parts)


def content_text(el: etree._Element) -> str:
    """Text of an element as typed: `<w:br/>`/`<w:cr/>` as `\\n`, `<w:tab/>` as `\\t`.

    Paragraphs inside (a cell, an `sdtContent`) are joined with `\\n`; deleted revision text
    (`w:delText`) is not text.
    """
    paras = [] if el.tag == qn("w:p") else el.findall(".//" + qn("w:p"))
    if paras:
        return "\n".join(_runs_text(p) for p in paras)
    return _runs_text(el)


def breaks_before(el: etree._Element) -> int:
    """How many runs holding only line breaks (`<w:r><w:br/></w:r>`) directly precede a
    control in its paragraph: where LibreOffice 7.4 puts a multi-line control's breaks."""
    count = 0
    for sibling in el.itersiblings(preceding=True):
        if sibling.tag != qn("w:r"):
            break
        parts = [c for c in sibling if c.tag != qn("w:rPr")]
        if not parts or any(c.tag != qn("w:br") or c.get(qn("w:type")) not in (None,
                                                                                "textWrapping")
                            for c in parts):
            break
        count += len(parts)
    return count


def text_beside(el: etree._Element) -> str:
    """Text of the paragraph an inline control sits in, outside the control ('' if none)."""
    paragraph = el.getparent()
    if paragraph is None or paragraph.tag != qn("w:p"):
        return ""
    # Other controls in the paragraph are answers of their own, never text beside this one.
    return "".join(_runs_text(child) for child in paragraph
                   if child is not el and child.tag not in (qn("w:pPr"), qn("w:sdt")))


def sdt_text(el: etree._Element) -> str:
    """The text inside a control's `w:sdtContent`."""
    body = el.find(qn("w:sdtContent"))
    return "" if body is None else content_text(body)


def sdt_checked(el: etree._Element) -> bool | None:
    """The `w14:checked` state of a checkbox control (None when it has none)."""
    node = el.find("w:sdtPr/w14:checkbox/w14:checked", NS)
    if node is None:
        return None
    return node.get(qn("w14:val"), "1") in ("1", "true")


def sdt_full_date(el: etree._Element) -> dt.date | None:
    """The date stored in a date picker's `w:fullDate` (None when absent or unreadable)."""
    v = el.xpath("string(w:sdtPr/w:date/@w:fullDate)", namespaces=NS)
    try:
        return dt.date.fromisoformat(v[:10]) if v else None
    except ValueError:
        return None


def dropdown_items(el: etree._Element) -> list[tuple[str, str]]:
    """`(displayText, value)` of every item of a drop-down list or combo box."""
    items = el.xpath("w:sdtPr/w:dropDownList/w:listItem | w:sdtPr/w:comboBox/w:listItem",
                     namespaces=NS)
    return [(i.get(qn("w:displayText")) or i.get(qn("w:value")) or "",
             i.get(qn("w:value")) or "") for i in items]


# --- the package: custom properties and reproducible zips -----------------------------------

def custom_properties_xml(props: Mapping[str, str]) -> bytes:
    """`docProps/custom.xml` holding `props` as string (`vt:lpwstr`) properties."""
    root = etree.Element(f"{{{CUSTOM_NS}}}Properties", nsmap={None: CUSTOM_NS, "vt": VT_NS})
    for pid, (name, value) in enumerate(props.items(), start=2):  # Word starts pids at 2
        prop = etree.SubElement(root, f"{{{CUSTOM_NS}}}property", fmtid=_FMTID, pid=str(pid),
                                name=name)
        etree.SubElement(prop, f"{{{VT_NS}}}lpwstr").text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def parse_custom_properties(root: etree._Element) -> dict[str, str]:
    """Name -> text of every property in a parsed `docProps/custom.xml`."""
    out: dict[str, str] = {}
    for prop in root.findall(f"{{{CUSTOM_NS}}}property"):
        name = prop.get("name")
        if name and len(prop):
            out[name] = prop[0].text or ""
    return out


def _add_custom_part(files: dict[str, bytes], props: Mapping[str, str]) -> None:
    files[CUSTOM_PART] = custom_properties_xml(props)
    ct = etree.fromstring(files["[Content_Types].xml"])
    if not ct.xpath("ct:Override[@PartName=$p]", p="/" + CUSTOM_PART, namespaces={"ct": CT_NS}):
        etree.SubElement(ct, f"{{{CT_NS}}}Override", PartName="/" + CUSTOM_PART,
                         ContentType=CUSTOM_CT)
    files["[Content_Types].xml"] = etree.tostring(ct, xml_declaration=True, encoding="UTF-8",
                                                  standalone=True)
    rels = etree.fromstring(files["_rels/.rels"])
    if not rels.xpath("r:Relationship[@Type=$t]", t=CUSTOM_REL, namespaces={"r": PKG_REL_NS}):
        ids = {r.get("Id") for r in rels}
        n = 1
        while f"rId{n}" in ids:
            n += 1
        etree.SubElement(rels, f"{{{PKG_REL_NS}}}Relationship", Id=f"rId{n}", Type=CUSTOM_REL,
                         Target=CUSTOM_PART)
    files["_rels/.rels"] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8",
                                          standalone=True)


def _declare_word_namespaces(document_xml: bytes) -> bytes:
    """Declare `w14`/`w15` once on `<w:document>` and list them in `mc:Ignorable`.

    lxml would otherwise declare them on every control; Word expects the prefixes of
    `mc:Ignorable` to be declared on the root element.
    """
    root = etree.fromstring(document_xml)
    nsmap = dict(root.nsmap)
    nsmap.update({"w14": W14_NS, "w15": W15_NS, "mc": MC_NS})
    new = etree.Element(root.tag, nsmap=nsmap)
    for k, v in root.attrib.items():
        new.set(k, v)
    ignorable = set(new.get(f"{{{MC_NS}}}Ignorable", "").split()) | {"w14", "w15"}
    new.set(f"{{{MC_NS}}}Ignorable", " ".join(sorted(ignorable)))
    new.extend(list(root))
    etree.cleanup_namespaces(new, top_nsmap=nsmap, keep_ns_prefixes=sorted(ignorable))
    return etree.tostring(new, xml_declaration=True, encoding="UTF-8", standalone=True)


# Our own extended properties: python-docx's template says "Microsoft Macintosh Word" 14.0
# with the statistics of an empty page.
APP_XML = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
           b'extended-properties"><Application>teamprotocol</Application>'
           b'<DocSecurity>0</DocSecurity></Properties>')
# Word 2013 and later: python-docx's template declares 14 (Word 2010), so Word 2013+ opened
# our files as "[Compatibiliteitsmodus]", which may disable newer features (the repeating
# section's + button among them).
COMPATIBILITY_MODE = "15"
_COMPAT_MODE = etree.XPath("w:compat/w:compatSetting[@w:name='compatibilityMode']",
                           namespaces=NS)


def set_compatibility_mode(settings: etree._Element) -> None:
    """`w:compatSetting compatibilityMode` of a `<w:settings>` element set to Word 2013's 15."""
    found = _COMPAT_MODE(settings)
    if found:
        for setting in found:
            setting.set(qn("w:val"), COMPATIBILITY_MODE)
        return
    compat = settings.find(qn("w:compat"))
    if compat is None:  # python-docx's template always has one; a foreign file may not
        return
    _el("w:compatSetting", compat, w_name="compatibilityMode",
        w_uri="http://schemas.microsoft.com/office/word", w_val=COMPATIBILITY_MODE)


FIXED_ZIP_TIME = (2000, 1, 1, 0, 0, 0)


GLOSSARY_REL = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                "glossaryDocument")
GLOSSARY_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.glossary+xml"
STYLES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
STYLES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"
GLOSSARY_PART, GLOSSARY_STYLES = "word/glossary/document.xml", "word/glossary/styles.xml"
DOC_RELS = "word/_rels/document.xml.rels"
_PLACEHOLDER_STYLE_XML = (
    f'<w:style xmlns:w="{W_NS}" w:type="character" w:styleId="{PLACEHOLDER_STYLE}">'
    '<w:name w:val="Placeholder Text"/><w:basedOn w:val="DefaultParagraphFont"/>'
    '<w:uiPriority w:val="99"/><w:semiHidden/>'
    f'<w:rPr><w:color w:val="{PLACEHOLDER_COLOR}"/></w:rPr></w:style>')


def _xml(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _with_placeholder_style(styles_xml: bytes) -> bytes:
    """styles.xml with Word's `PlaceholderText` character style (added once)."""
    root = etree.fromstring(styles_xml)
    if root.find(f"w:style[@w:styleId='{PLACEHOLDER_STYLE}']", NS) is None:
        root.append(etree.fromstring(_PLACEHOLDER_STYLE_XML))
    return _xml(root)


def glossary_xml(placeholders: Mapping[str, str]) -> bytes:
    """`<w:glossaryDocument>` with one placeholder docPart (`bbPlcHdr`) per control tag."""
    root = etree.Element(qn("w:glossaryDocument"), nsmap={"w": W_NS})
    parts = _el("w:docParts", root)
    for tag in sorted(placeholders):
        name = placeholder_name(tag)
        part = _el("w:docPart", parts)
        pr = _el("w:docPartPr", part)
        _el("w:name", pr, w_val=name)
        category = _el("w:category", pr)
        _el("w:name", category, w_val="Algemeen")  # Dutch Word's "General"
        _el("w:gallery", category, w_val="placeholder")
        _el("w:type", _el("w:types", pr), w_val="bbPlcHdr")
        _el("w:behavior", _el("w:behaviors", pr), w_val="content")
        _el("w:guid", pr, w_val="{" + str(uuid.UUID(name)).upper() + "}")
        paragraph = _el("w:p", _el("w:docPartBody", part))
        style = _el("w:rPr")
        _el("w:rStyle", style, w_val=PLACEHOLDER_STYLE)
        paragraph.extend(text_runs(placeholders[tag], style))
    return _xml(root)


def _add_glossary(files: dict[str, bytes], names: list[str],
                  placeholders: Mapping[str, str]) -> None:
    """The glossary part (with its own copy of the styles, as Word writes it) and its rels."""
    files["word/styles.xml"] = _with_placeholder_style(files["word/styles.xml"])
    files[GLOSSARY_PART] = glossary_xml(placeholders)
    files[GLOSSARY_STYLES] = files["word/styles.xml"]
    files["word/glossary/_rels/document.xml.rels"] = _xml(_rels({"rId1": (STYLES_REL,
                                                                          "styles.xml")}))
    rels = etree.fromstring(files[DOC_RELS])
    ids = {r.get("Id") for r in rels}
    n = 1
    while f"rId{n}" in ids:
        n += 1
    etree.SubElement(rels, f"{{{PKG_REL_NS}}}Relationship", Id=f"rId{n}", Type=GLOSSARY_REL,
                     Target="glossary/document.xml")
    files[DOC_RELS] = _xml(rels)
    ct = etree.fromstring(files["[Content_Types].xml"])
    for part, content_type in ((GLOSSARY_PART, GLOSSARY_CT), (GLOSSARY_STYLES, STYLES_CT)):
        etree.SubElement(ct, f"{{{CT_NS}}}Override", PartName="/" + part,
                         ContentType=content_type)
    files["[Content_Types].xml"] = _xml(ct)
    names += [GLOSSARY_PART, GLOSSARY_STYLES, "word/glossary/_rels/document.xml.rels"]


def _rels(targets: Mapping[str, tuple[str, str]]) -> etree._Element:
    root = etree.Element(f"{{{PKG_REL_NS}}}Relationships", nsmap={None: PKG_REL_NS})
    for rid, (type_, target) in targets.items():
        etree.SubElement(root, f"{{{PKG_REL_NS}}}Relationship", Id=rid, Type=type_,
                         Target=target)
    return root


def finish_package(docx: bytes, props: Mapping[str, str],
                   placeholders: Mapping[str, str] | None = None) -> bytes:
    """Add custom properties and rewrite the zip with fixed member dates and order.

    `placeholders` (control tag -> placeholder text) become the glossary's docParts.

    python-docx stamps every zip member with the current time (measured with 1.2.0), so two
    runs over the same input would differ; fixed dates make the output byte-identical.
    """
    with zipfile.ZipFile(io.BytesIO(docx)) as zin:
        names = zin.namelist()
        files = {n: zin.read(n) for n in names}
    files["word/document.xml"] = _declare_word_namespaces(files["word/document.xml"])
    settings = etree.fromstring(files["word/settings.xml"])
    set_compatibility_mode(settings)
    files["word/settings.xml"] = etree.tostring(settings, xml_declaration=True,
                                                encoding="UTF-8", standalone=True)
    if "docProps/app.xml" in files:
        files["docProps/app.xml"] = APP_XML
    _add_custom_part(files, props)
    if CUSTOM_PART not in names:
        names.append(CUSTOM_PART)
    if placeholders and GLOSSARY_PART not in names:
        _add_glossary(files, names, placeholders)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, files[name])
    return out.getvalue()
