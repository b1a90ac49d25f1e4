"""After the PDF: the contents lines of a rendered .docx get the pages LibreOffice laid their
headings out on, inside a real TOC field (`toc.py` wrote the lines at render time)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping

from lxml import etree

from pipeline.ooxml import write_zip
from pipeline.render.toc import BOOKMARK_PREFIX, LEVELS_VARIABLE, NS, TOC_LINKS, el, run, w


def toc_pages_from_links(links: Mapping[str, int]) -> dict[str, int]:
    """The `_Toc` bookmark names among link descriptions -> page numbers (1-based)."""
    return {name: page for name, page in links.items() if name.startswith(BOOKMARK_PREFIX)}


def stamp_toc(docx: bytes, pages: Mapping[str, int]) -> bytes | None:
    """The .docx with its contents lines inside a real TOC field showing `pages`; None if
    it has no contents lines or a line's page is unknown.

    `pages` maps each entry's `_Toc` bookmark to the page LibreOffice laid its heading out
    on. The entries become the stored result of `TOC \\o "a-b" \\h \\z` (Word's own
    instruction), every PAGEREF's cached result holds its page, and `w:updateFields` goes:
    Word, its previews and Protected View show the contents with page numbers without
    asking to update fields; updating the field in Word rebuilds it from the headings.
    """
    return _in_toc_field(docx, pages)


def contents_field(docx: bytes) -> bytes:
    """The .docx (built without a PDF) with its contents lines inside a real TOC field whose
    page numbers are left empty for Word to fill when the user updates the field, and no
    `w:updateFields`: Word opens it without asking to update fields. Unchanged when it has
    no contents lines."""
    return _in_toc_field(docx, None) or docx


def _in_toc_field(docx: bytes, pages: Mapping[str, int] | None) -> bytes | None:
    """`stamp_toc`, or with `pages` None the cached page numbers kept as rendered (empty)."""
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        infos = z.infolist()
        files = {i.filename: z.read(i.filename) for i in infos}
    root = etree.fromstring(files["word/document.xml"])
    links = TOC_LINKS(root, p=BOOKMARK_PREFIX)
    if not links or (pages is not None and
                     any(link.get(w("anchor")) not in pages for link in links)):
        return None
    settings = etree.fromstring(files["word/settings.xml"])
    variable = settings.find(f"{w('docVars')}/{w('docVar')}[@{w('name')}='{LEVELS_VARIABLE}']")
    levels = variable.get(w("val")) if variable is not None else "1-2"
    for link in links:
        if pages is None:
            break
        paragraph = link.getparent()
        cached = paragraph.xpath("w:r[w:fldChar/@w:fldCharType='separate']"
                                 "/following-sibling::w:r[1]/w:t", namespaces=NS)
        for t in cached[:1]:
            t.text = str(pages[link.get(w("anchor"))])
    first, last = links[0].getparent(), links[-1].getparent()
    ppr = first.find(w("pPr"))
    begin = [run(el("fldChar", fldCharType="begin")),
             run(el("instrText", f' TOC \\o "{levels}" \\h \\z ')),
             run(el("fldChar", fldCharType="separate"))]
    for offset, begin_run in enumerate(begin):
        first.insert((0 if ppr is None else first.index(ppr) + 1) + offset, begin_run)
    last.append(run(el("fldChar", fldCharType="end")))
    for old in settings.findall(w("updateFields")):
        settings.remove(old)
    if variable is not None:
        holder = variable.getparent()
        holder.remove(variable)
        if len(holder) == 0:
            settings.remove(holder)
    files["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                                standalone=True)
    files["word/settings.xml"] = etree.tostring(settings, xml_declaration=True,
                                                encoding="UTF-8", standalone=True)
    # The rendered .docx has one date on every member (`normalise_zip`): keep it.
    return write_zip(files, infos[0].date_time)


def toc_entries(docx: bytes) -> list[tuple[str, str]]:
    """(bookmark name, entry text) of every contents line of a rendered .docx, in order."""
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    return [(link.get(w("anchor")), "".join(link.xpath("w:r[1]/w:t/text()", namespaces=NS)))
            for link in TOC_LINKS(root, p=BOOKMARK_PREFIX)]
