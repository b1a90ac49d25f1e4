"""Reading content controls (`w:sdt`) back: tag, alias, kind, shown text (tracked deletions
left out), checkbox, date and drop-down items."""

from __future__ import annotations

import datetime as dt

from lxml import etree

from pipeline.ooxml.names import NS, qn


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


def _paragraph_style(p: etree._Element) -> str | None:
    return p.xpath("string(w:pPr/w:pStyle/@w:val)", namespaces=NS) or None


def paragraphs_below(el: etree._Element) -> list[etree._Element]:
    """The paragraphs right after a control's box that share the box's paragraph style.

    The box is the paragraph an inline control sits in, or the first paragraph of a
    block-level control. Word gives a paragraph typed after Enter at the end of a box the
    box's style, and LibreOffice 25.2 moves a block-level control's second paragraph out of
    it keeping its style (measured): both look like the same box, so they are the answer's.
    A paragraph holding a control of its own ends the run of paragraphs.
    """
    parent = el.getparent()
    inline = parent is not None and parent.tag == qn("w:p")
    box = parent if inline else el.find(f"{qn('w:sdtContent')}/{qn('w:p')}")
    style = _paragraph_style(box) if box is not None else None
    if style is None:
        return []
    anchor = parent if inline else el
    out: list[etree._Element] = []
    for sibling in anchor.itersiblings():
        if sibling.tag != qn("w:p") or _paragraph_style(sibling) != style or \
                sibling.find(".//" + qn("w:sdt")) is not None:
            break
        out.append(sibling)
    return out


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
