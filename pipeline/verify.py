"""Read a produced PDF back with pypdf: PDF/A-2b claim, tags, embedded fonts, pages, annex text."""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import DictionaryObject, IndirectObject

PDFAID_NS = "http://www.aiim.org/pdfa/ns/id/"
# Without a bookmark to the annex, text is extracted from the last pages only, so a huge
# document costs bounded time (pypdf extracts ~20-40 ms per protocol page, measured).
MAX_TEXT_PAGES = 12
# Form XObjects can nest; LibreOffice's never go deeper than 2, hostile ones could loop.
_MAX_XOBJECT_DEPTH = 8
_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _pdfa_claim(reader: PdfReader) -> tuple[str | None, str | None]:
    """(part, conformance) from the XMP `pdfaid:` properties, as element or attribute."""
    meta = reader.trailer["/Root"].get("/Metadata")
    if meta is None:
        return None, None
    try:
        root = etree.fromstring(meta.get_object().get_data(), _SAFE_XML)
    except (etree.XMLSyntaxError, ValueError, PyPdfError):
        return None, None
    found: dict[str, str] = {}
    for name in ("part", "conformance"):
        qname = f"{{{PDFAID_NS}}}{name}"
        for el in root.iter(qname):
            found[name] = (el.text or "").strip()
        for el in root.iter():
            if qname in el.attrib:
                found[name] = el.attrib[qname].strip()
    return found.get("part"), found.get("conformance")


def _font_problems(font: DictionaryObject) -> str | None:
    """The font's name when no font program is embedded (FontFile, FontFile2 or FontFile3)."""
    subtype = font.get("/Subtype")
    if subtype == "/Type3":  # glyphs are drawn by content streams inside the PDF itself
        return None
    target = font
    if subtype == "/Type0":
        descendants = font.get("/DescendantFonts")
        if not descendants:
            return str(font.get("/BaseFont", "?")).lstrip("/")
        target = descendants[0].get_object()
    descriptor = target.get("/FontDescriptor")
    descriptor = descriptor.get_object() if descriptor is not None else None
    if descriptor is None or not any(k in descriptor for k in
                                     ("/FontFile", "/FontFile2", "/FontFile3")):
        return str(font.get("/BaseFont", "?")).lstrip("/")
    return None


def _unembedded_fonts(reader: PdfReader) -> set[str]:
    """Names of fonts used on any page (or in its form XObjects) that are not embedded."""
    missing: set[str] = set()
    seen: set[int] = set()

    def walk(resources: object, depth: int) -> None:
        if isinstance(resources, IndirectObject):
            if resources.idnum in seen:
                return
            seen.add(resources.idnum)
            resources = resources.get_object()
        if not isinstance(resources, DictionaryObject) or depth > _MAX_XOBJECT_DEPTH:
            return
        fonts = resources.get("/Font")
        fonts = fonts.get_object() if fonts is not None else {}
        for ref in fonts.values():
            if isinstance(ref, IndirectObject):
                if ref.idnum in seen:
                    continue
                seen.add(ref.idnum)
            name = _font_problems(ref.get_object())
            if name:
                missing.add(name)
        xobjects = resources.get("/XObject")
        xobjects = xobjects.get_object() if xobjects is not None else {}
        for ref in xobjects.values():
            xobj = ref.get_object()
            if xobj.get("/Subtype") == "/Form" and "/Resources" in xobj:
                walk(xobj.raw_get("/Resources"), depth + 1)

    for page in reader.pages:
        if "/Resources" in page:
            walk(page.raw_get("/Resources"), 0)
    return missing


def verify_pdf(path: Path, *, expect_text: str, expect_title: str | None = None,
               max_text_pages: int = MAX_TEXT_PAGES) -> list[str]:
    """Dutch problems with the PDF at `path` as an archival PDF/A-2b; empty when it is fine."""
    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            return ["de PDF is versleuteld; een archief-PDF mag niet versleuteld zijn"]
        pages = len(reader.pages)
    except (OSError, PyPdfError, ValueError, KeyError) as e:
        return [f"de PDF kan niet worden gelezen ({type(e).__name__})"]
    if pages == 0:
        return ["de PDF heeft geen pagina's"]
    problems: list[str] = []
    try:
        problems.extend(_check_structure(reader, expect_title))
        problems.extend(_check_text(reader, expect_text, max_text_pages))
    except (PyPdfError, ValueError, KeyError, AttributeError, TypeError) as e:
        problems.append(f"de PDF is beschadigd en kan niet volledig worden gecontroleerd "
                        f"({type(e).__name__})")
    return problems


def _check_structure(reader: PdfReader, expect_title: str | None) -> list[str]:
    problems = []
    part, conformance = _pdfa_claim(reader)
    if part != "2" or (conformance or "").upper() != "B":
        claim = f"deel {part}, niveau {conformance}" if part else "geen PDF/A-claim"
        problems.append(f"de PDF is geen PDF/A-2b volgens de XMP-metadata ({claim})")
    root = reader.trailer["/Root"]
    mark_info = root.get("/MarkInfo")
    marked = mark_info.get_object().get("/Marked") if mark_info is not None else None
    # pypdf gives a BooleanObject, not a bool; a hostile /Marked may be any object.
    if getattr(marked, "value", marked) is not True or "/StructTreeRoot" not in root:
        problems.append("de PDF is niet getagd (MarkInfo/StructTreeRoot ontbreekt), "
                        "dus niet toegankelijk voor schermlezers")
    missing = _unembedded_fonts(reader)
    if missing:
        problems.append("niet alle lettertypen zijn ingesloten: " + ", ".join(sorted(missing)))
    if expect_title is not None:
        title = (reader.metadata or {}).get("/Title")
        if _squash(str(title or "")) != _squash(expect_title):
            problems.append("de titel in de PDF-eigenschappen klopt niet"
                            if title else "de PDF heeft geen titel in de eigenschappen")
    return problems


def _outline_pages(reader: PdfReader, wanted: str) -> list[int]:
    """Page indexes of the bookmarks (`/Outlines`) whose title contains `wanted`."""
    found: list[int] = []
    stack = list(reader.outline)
    while stack and len(found) < 4:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif wanted in _squash(str(getattr(item, "title", "") or "")):
            page = reader.get_destination_page_number(item)
            if page is not None and 0 <= page < len(reader.pages):
                found.append(page)
    return found


def _check_text(reader: PdfReader, expect_text: str, max_text_pages: int) -> list[str]:
    """Find `expect_text` on the page its bookmark points to, else in the last pages.

    The annex is followed by the 11-topic view and can start 12+ pages before the end of a
    team with many open actions (measured: page 16 of 28), so the bookmark LibreOffice
    writes for the heading is followed first; the text of that page must then contain it.
    """
    wanted = _squash(expect_text)
    for index in _outline_pages(reader, wanted):
        if wanted in _squash(reader.pages[index].extract_text() or ""):
            return []
    pages = len(reader.pages)
    for index in range(pages - 1, max(-1, pages - 1 - max_text_pages), -1):
        if wanted in _squash(reader.pages[index].extract_text() or ""):
            return []
    return [f"de bijlage '{expect_text}' staat niet in de tekst van de PDF "
            f"(gezocht in de laatste {min(pages, max_text_pages)} pagina's)"]
