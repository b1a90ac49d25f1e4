"""Fill a form the way Word stores answers, with plain lxml (independent of pipeline.ooxml)."""

from __future__ import annotations

import copy
import datetime as dt
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
NS = {"w": W, "w14": W14, "w15": W15}
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def w(local: str) -> str:
    return f"{{{W}}}{local}"


def edit_docx(src: Path, dst: Path, edit: Callable[[etree._Element], None],
              part: str = "word/document.xml") -> Path:
    """Copy a .docx, applying `edit` to one parsed XML part."""
    with zipfile.ZipFile(src) as zin:
        items = [(i, zin.read(i.filename)) for i in zin.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in items:
            if info.filename == part:
                root = etree.fromstring(data)
                edit(root)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)
            zout.writestr(info, data)
    dst.write_bytes(out.getvalue())
    return dst


def controls(root: etree._Element, tag: str) -> list[etree._Element]:
    return root.xpath("//w:sdt[w:sdtPr/w:tag/@w:val=$t]", t=tag, namespaces=NS)


def control(root: etree._Element, tag: str, index: int = 0) -> etree._Element:
    return controls(root, tag)[index]


def _runs(text: str) -> etree._Element:
    """One run the way Word writes typed text: `w:t` pieces split by `w:br`/`w:tab`."""
    r = etree.Element(w("r"))
    for i, line in enumerate(text.split("\n")):
        if i:
            etree.SubElement(r, w("br"))
        for j, piece in enumerate(line.split("\t")):
            if j:
                etree.SubElement(r, w("tab"))
            if piece:
                t = etree.SubElement(r, w("t"))
                t.text = piece
                t.set(XML_SPACE, "preserve")
    return r


def is_block(sdt: etree._Element) -> bool:
    """Whether a control is block-level (its content holds paragraphs, not runs)."""
    return sdt.getparent().tag != w("p")


def run_holder(sdt: etree._Element) -> etree._Element:
    """Where a control's runs are: its content, or the box paragraph of a block-level one."""
    content = sdt.find("w:sdtContent", NS)
    return content.find("w:p", NS) if is_block(sdt) else content


def box_of(sdt: etree._Element) -> etree._Element:
    """The body-level element of a control's answer box: the block-level control itself, or
    the paragraph an inline one sits in."""
    return sdt if is_block(sdt) else next(sdt.iterancestors(w("p")))


def type_text(sdt: etree._Element, text: str) -> None:
    """What Word does on typing into a control: placeholder flag gone, runs replaced.

    In a block-level control (a long answer's box) each line is typed after Enter: a
    paragraph of its own with the box's paragraph properties, as Word writes it.
    """
    pr = sdt.find("w:sdtPr", NS)
    for flag in pr.findall("w:showingPlcHdr", NS):
        pr.remove(flag)
    content = sdt.find("w:sdtContent", NS)
    if is_block(sdt):
        first = content.find("w:p", NS)
        ppr = first.find("w:pPr", NS)
        for child in list(content):
            content.remove(child)
        for line in text.split("\n"):
            p = etree.SubElement(content, w("p"))
            if ppr is not None:
                p.append(copy.deepcopy(ppr))
            p.append(_runs(line))
        return
    for child in list(content):
        content.remove(child)
    content.append(_runs(text))


def as_inline(root: etree._Element, tag: str) -> etree._Element:
    """A block-level control made inline in its (first) paragraph, the way LibreOffice 25.2
    saves one (measured): further paragraphs follow the control's paragraph. Returns it."""
    sdt = control(root, tag)
    if not is_block(sdt):
        return sdt
    content = sdt.find("w:sdtContent", NS)
    paras = content.findall("w:p", NS)
    first = paras[0]
    runs = [c for c in first if c.tag != w("pPr")]
    for r in runs:
        first.remove(r)
    for p in paras:
        content.remove(p)
    content.extend(runs)
    sdt.getparent().replace(sdt, first)
    first.append(sdt)
    for p in reversed(paras[1:]):
        first.addnext(p)
    return sdt


def fill_text(root: etree._Element, tag: str, text: str, index: int = 0) -> None:
    type_text(control(root, tag, index), text)


def set_checkbox(root: etree._Element, tag: str, checked: bool) -> None:
    sdt = control(root, tag)
    sdt.find("w:sdtPr/w14:checkbox/w14:checked", NS).set(f"{{{W14}}}val", "1" if checked else "0")
    sdt.find(".//w:t", NS).text = "\u2612" if checked else "\u2610"


def set_date(root: etree._Element, tag: str, value: dt.date, index: int = 0) -> None:
    sdt = control(root, tag, index)
    sdt.find("w:sdtPr/w:date", NS).set(w("fullDate"), f"{value.isoformat()}T00:00:00Z")
    type_text(sdt, f"{value.day}-{value.month}-{value.year}")


def add_row(root: etree._Element, cell_tag: str) -> None:
    """Word's plus button: copy the last repeating item (or row) holding `cell_tag`."""
    last = controls(root, cell_tag)[-1]
    item = next((a for a in last.iterancestors(w("sdt"))
                 if a.find("w:sdtPr/w15:repeatingSectionItem", NS) is not None), None)
    if item is None:
        item = next(last.iterancestors(w("tr")))
    new = copy.deepcopy(item)
    item.addnext(new)
    for sdt in new.iter(w("sdt")):
        content = sdt.find("w:sdtContent", NS)
        if content is not None and sdt.find("w:sdtPr/w15:repeatingSectionItem", NS) is None:
            for t in sdt.iterfind(".//w:t", NS):
                t.text = "Vul in"


def remove_tag(root: etree._Element, tag: str) -> None:
    sdt = control(root, tag)
    pr = sdt.find("w:sdtPr", NS)
    pr.remove(pr.find("w:tag", NS))


def replace_control_with_text(root: etree._Element, tag: str, text: str) -> None:
    """A user deleted the control and typed in its paragraph (a block-level control's
    box paragraph stays when the control is removed, as Word's "Inhoudsbesturingselement
    verwijderen" leaves it)."""
    sdt = control(root, tag)
    if is_block(sdt):
        p = sdt.find("w:sdtContent/w:p", NS)
        for child in [c for c in p if c.tag != w("pPr")]:
            p.remove(child)
        p.append(_runs(text))
        sdt.getparent().replace(sdt, p)
        return
    sdt.addprevious(_runs(text))
    sdt.getparent().remove(sdt)


def strip_controls_from_row(root: etree._Element, cell_tag: str, texts: list[str]) -> None:
    """A row as LibreOffice inserts it: cells with plain text, no controls."""
    tr = next(control(root, cell_tag).iterancestors(w("tr")))
    for tc, text in zip(tr.findall("w:tc", NS), texts, strict=True):
        for sdt in tc.findall(".//w:sdt", NS):
            sdt.addprevious(_runs(text))
            sdt.getparent().remove(sdt)
