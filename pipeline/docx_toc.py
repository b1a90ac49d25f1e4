"""The table of contents field (`w:fldChar` TOC) of a rendered .docx: entries filled in advance.

Word rebuilds a TOC field when it opens a document whose field is dirty (`w:dirty`, plus
`w:updateFields` in settings.xml). LibreOffice does not: measured with 25.2, `soffice
--convert-to pdf` prints a TOC field's cached result as it is, so an empty TOC stays empty
(also with `w:updateFields`, inside a `docPartGallery` sdt, or as `w:fldSimple`). So we
write the result ourselves: one hyperlinked entry per heading, with a PAGEREF field to a
bookmark on the heading. Inside a TOC field LibreOffice keeps a PAGEREF's cached text as is
(measured), so the page numbers are filled in a second pass from the PDF's outline
(`set_toc_pages`), which needs the PDF that LibreOffice made of the first pass.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from pathlib import Path

from lxml import etree
from pypdf import PdfReader

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W_NS}
BOOKMARK_PREFIX = "_Toc"
# python-docx's elements override `xpath` (no namespaces argument), so compile with lxml.
_TOC_INSTR = etree.XPath(".//w:instrText[starts-with(normalize-space(.), 'TOC')]", namespaces=NS)
_STYLE = etree.XPath("string(w:pPr/w:pStyle/@w:val)", namespaces=NS)
_BOOKMARK_IDS = etree.XPath(".//w:bookmarkStart/@w:id", namespaces=NS)
_TEXTS = etree.XPath(".//w:t/text()", namespaces=NS)
_TOC_LINKS = etree.XPath("//w:hyperlink[starts-with(@w:anchor, $p)]", namespaces=NS)
# The entry's title: the text runs before its PAGEREF field.
_LINK_TEXT = etree.XPath("w:r[following-sibling::w:r/w:fldChar]/w:t/text()", namespaces=NS)


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def _el(tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.Element(_w(tag), {_w(k): v for k, v in attrs.items()})
    if text is not None:
        element.text = text
        element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return element


def _run(*children: etree._Element) -> etree._Element:
    run = _el("r")
    run.extend(children)
    return run


def _levels(instruction: str) -> tuple[int, int]:
    found = re.search(r'\\o\s+"(\d)-(\d)"', instruction)
    return (int(found.group(1)), int(found.group(2))) if found else (1, 3)


def _style_ids(styles, names: dict[int, str]) -> dict[str, int]:
    ids = {}
    for level, name in names.items():
        style = next((s for s in styles if s.name == name), None)
        if style is not None:
            ids[style.style_id] = level
    return ids


def _text(paragraph: etree._Element) -> str:
    return "".join(_TEXTS(paragraph)).strip()


def _entry_runs(text: str, anchor: str, page: str) -> etree._Element:
    link = _el("hyperlink", anchor=anchor, history="1")
    link.extend([
        _run(_el("t", text)),
        _run(_el("tab")),
        _run(_el("fldChar", fldCharType="begin")),
        _run(_el("instrText", f" PAGEREF {anchor} \\h ")),
        _run(_el("fldChar", fldCharType="separate")),
        _run(_el("t", page)),
        _run(_el("fldChar", fldCharType="end")),
    ])
    return link


def _entry_paragraph_props(style_id: str | None) -> etree._Element:
    ppr = _el("pPr")
    if style_id:
        ppr.append(_el("pStyle", val=style_id))
    return ppr


def fill_toc(document) -> int:
    """Fill the first TOC field of a python-docx Document with one entry per heading.

    Returns the number of entries. A document without a TOC field is left alone.
    """
    body = document.element.body
    instr = _TOC_INSTR(body)
    if not instr:
        return 0
    field_p = instr[0].getparent().getparent()
    low, high = _levels(instr[0].text or "")
    styles = document.styles
    heading_ids = _style_ids(styles, {n: f"Heading {n}" for n in range(low, high + 1)})
    toc_ids = {n: s for s, n in _style_ids(styles, {n: f"toc {n}" for n in range(1, 10)}).items()}

    runs = field_p.findall(_w("r"))
    kinds = [r.find(_w("fldChar")) for r in runs]
    separate = next(i for i, k in enumerate(kinds)
                    if k is not None and k.get(_w("fldCharType")) == "separate")
    end = next(i for i, k in enumerate(kinds)
               if i > separate and k is not None and k.get(_w("fldCharType")) == "end")
    for run in runs[separate + 1:end]:
        field_p.remove(run)
    end_run = runs[end]
    field_p.remove(end_run)

    headings = []
    after = False
    for p in body.iter(_w("p")):
        if p is field_p:
            after = True
            continue
        style = _STYLE(p)
        if after and style in heading_ids and _text(p):
            headings.append((p, heading_ids[style]))

    ids = [int(x) for x in _BOOKMARK_IDS(body)]
    next_id = max(ids, default=0) + 1
    target = field_p
    for n, (heading, level) in enumerate(headings, 1):
        name = f"{BOOKMARK_PREFIX}{n:05d}"
        start = _el("bookmarkStart", id=str(next_id), name=name)
        ppr = heading.find(_w("pPr"))
        heading.insert(0 if ppr is None else heading.index(ppr) + 1, start)
        heading.append(_el("bookmarkEnd", id=str(next_id)))
        next_id += 1
        link = _entry_runs(_text(heading), name, "")
        if n == 1:
            old = field_p.find(_w("pPr"))
            if old is not None:
                field_p.remove(old)
            field_p.insert(0, _entry_paragraph_props(toc_ids.get(level)))
            field_p.append(link)
        else:
            p = _el("p")
            p.append(_entry_paragraph_props(toc_ids.get(level)))
            p.append(link)
            target.addnext(p)
            target = p
    target.append(end_run)
    return len(headings)


def toc_entries(docx: bytes) -> list[str]:
    """The bookmark names of the TOC entries in a rendered .docx, in order."""
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    return [link.get(_w("anchor")) for link in _TOC_LINKS(root, p=BOOKMARK_PREFIX)]


def _entry_texts(docx: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    return {link.get(_w("anchor")): "".join(_LINK_TEXT(link)).strip()
            for link in _TOC_LINKS(root, p=BOOKMARK_PREFIX)}


def toc_pages(docx: bytes, pdf: Path) -> dict[str, int]:
    """Bookmark name -> page of its heading, found in the outline of a PDF made from `docx`.

    LibreOffice exports every heading as a PDF outline entry with its text as title.
    """
    reader = PdfReader(pdf)
    found: dict[str, int] = {}

    def walk(entries) -> None:
        for entry in entries:
            if isinstance(entry, list):
                walk(entry)
            else:
                found.setdefault(entry.title.strip(), reader.get_destination_page_number(entry) + 1)

    walk(reader.outline)
    return {anchor: found[text] for anchor, text in _entry_texts(docx).items() if text in found}


def number_toc(docx: bytes, pdf: Path) -> bytes:
    """Second pass: the same .docx with the TOC page numbers taken from a PDF made of it."""
    return set_toc_pages(docx, toc_pages(docx, pdf))


def set_toc_pages(docx: bytes, pages: dict[str, int]) -> bytes:
    """The same .docx with each TOC entry's cached page number (bookmark name -> page) set."""
    src = zipfile.ZipFile(io.BytesIO(docx))
    root = etree.fromstring(src.read("word/document.xml"))
    for link in _TOC_LINKS(root, p=BOOKMARK_PREFIX):
        page = pages.get(link.get(_w("anchor")))
        texts = link.xpath("w:r[w:fldChar/@w:fldCharType='separate']/following-sibling::w:r"
                           "[1]/w:t", namespaces=NS)
        if texts and page is not None:
            texts[0].text = str(page)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)
            dst.writestr(copy.copy(info), data)
    return out.getvalue()
