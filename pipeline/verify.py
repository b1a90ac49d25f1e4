"""Read a produced PDF back: PDF/A-2b claim, tags, embedded fonts, pages, annex text.

The PDF/A-2b and PDF/UA-1 rules themselves are checked by an independent validator
(`pdf_validate`, for what goes to the archive); these checks stay where it does not look: the
annex present, the title, and they run on every PDF, also the concepts.

pypdf reads the structure (XMP claim, MarkInfo and structure tree, fonts, title, bookmarks);
the text of the annex page comes from PDFium (pypdfium2). pypdf's text extraction is pure
Python and took 2/3 of each verification (measured on 40 protocols: ~45 of ~65 ms, for the
~1,400 text operators of the annex page); PDFium reads the same page in ~3 ms. So two
independent readers now open every PDF, and a file only one of them can read is reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pypdfium2
from lxml import etree
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from pipeline import pdf_validate
from pipeline.errors import Problem

PDFAID_NS = "http://www.aiim.org/pdfa/ns/id/"
# Without a bookmark to the annex, text is read from the last pages only, so a huge document
# costs bounded time.
MAX_TEXT_PAGES = 12
# Form XObjects can nest; LibreOffice's never go deeper than 2, hostile ones could loop.
_MAX_XOBJECT_DEPTH = 8
_MAX_OUTLINE_ITEMS = 10_000  # bookmarks read at most while looking for the annex heading
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


def page_fonts(path: Path) -> set[str]:
    """The base font names on the PDF's pages, subset prefix dropped (`Carlito-Bold`)."""
    reader = PdfReader(str(path))
    names = set()
    for page in reader.pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources is not None else None
        for ref in (fonts.get_object().values() if fonts is not None else []):
            base = ref.get_object().get("/BaseFont")
            if base is not None:
                names.add(str(base).lstrip("/").split("+", 1)[-1])
    return names


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


_REPORT_HINT = "Meld dit aan de beheerder"
_UA_HINT = "De PDF is gemaakt, maar niet toegankelijk volgens PDF/UA-1; meld dit aan de beheerder"


def _found(messages: list[str], path: Path, name: str | None, hint: str) -> list[Problem]:
    return [Problem(file=name or str(path), message=m, hint=hint) for m in messages]


def verify_pdf(path: Path, *, expect_text: str, expect_title: str | None = None,
               max_text_pages: int = MAX_TEXT_PAGES, validate: bool = False,
               name: str | None = None) -> list[Problem]:
    """Problems with the PDF at `path` as an archival PDF/A-2b; empty when it is fine.

    With `validate` (every PDF that goes to the archive) the independent validator must also
    pass it as PDF/A-2b and PDF/UA-1 (it costs about as much CPU as converting,
    `pdf_validate`). Reads only; for a PDF that is not archived see `settle_ua_claim`.
    `name` is how the problems name the file (default: `path`).
    """
    problems = _verify(path, expect_text, expect_title, max_text_pages)
    if not problems and validate:
        problems = pdf_validate.validate(path)
    return _found(problems, path, name, _REPORT_HINT)


def settle_ua_claim(path: Path, name: str | None = None) -> list[Problem]:
    """Keep a PDF's PDF/UA-1 claim only when the validator passes it; else withdraw it.

    For PDFs that are published but not archived (concepts): PDF/UA-1 alone is validated
    (one profile, about half the cost of both), and a failure is not a reason to withhold a
    concept, so the claim goes and the Dutch problems come back as warnings.
    """
    problems = pdf_validate.validate(path, ("ua1",))
    if problems:
        try:
            pdf_validate.withdraw_ua_claim(path)
        except (OSError, ValueError) as e:
            problems.append(f"de PDF/UA-claim kan niet uit de PDF worden gehaald "
                            f"({type(e).__name__})")
    return _found(problems, path, name, _UA_HINT)


def _verify(path: Path, expect_text: str, expect_title: str | None,
            max_text_pages: int) -> list[str]:
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
        with _PageTexts(path) as texts:
            problems.extend(_check_text(reader, texts, expect_text, max_text_pages))
    except (PyPdfError, pypdfium2.PdfiumError, ValueError, KeyError, AttributeError,
            TypeError) as e:
        problems.append(f"de PDF is beschadigd en kan niet volledig worden gecontroleerd "
                        f"({type(e).__name__})")
    return problems


def toc_link_pages(path: Path, max_pages: int = 8) -> dict[str, int]:
    """Link descriptions (`/Contents`) on the first pages -> the page number they point to.

    LibreOffice 25.2 makes each contents line's PAGEREF a link whose `/Contents` is the
    bookmark name (`_Toc00001`) and whose `/Dest` is the heading's page (measured), so these
    are the page numbers of our own layout, for the contents in the .docx (`stamp_toc`).
    """
    try:
        reader = PdfReader(path)
        index = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages)
                 if p.indirect_reference is not None}
        found: dict[str, int] = {}
        for page in reader.pages[:max_pages]:
            for ref in page.get("/Annots") or []:
                annot = ref.get_object()
                dest = annot.get("/Dest")
                dest = dest.get_object() if dest is not None else None
                name = str(annot.get("/Contents", ""))
                if (annot.get("/Subtype") == "/Link" and name and isinstance(dest, ArrayObject)
                        and dest and isinstance(dest[0], IndirectObject)
                        and dest[0].idnum in index):
                    found.setdefault(name, index[dest[0].idnum] + 1)
        return found
    except (OSError, PyPdfError, ValueError, KeyError, AttributeError, TypeError):
        return {}


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


def _outline_backwards(reader: PdfReader) -> Iterator[DictionaryObject]:
    """Bookmark (`/Outlines`) items in reverse document order, each read only when reached."""
    root = reader.trailer["/Root"].get("/Outlines")
    root = root.get_object() if root is not None else None
    if not isinstance(root, DictionaryObject):
        return
    seen: set[int] = set()
    # ("tree", ref): an item with its children and the siblings before it; ("item", node).
    stack: list[tuple[str, object]] = [("tree", root.get("/Last"))]
    visited = 0
    while stack and visited < _MAX_OUTLINE_ITEMS:
        kind, obj = stack.pop()
        if kind == "item":
            yield obj  # type: ignore[misc]  # only dictionaries are pushed as items
            continue
        if isinstance(obj, IndirectObject):
            if obj.idnum in seen:  # a hostile outline may link back to itself
                continue
            seen.add(obj.idnum)
            obj = obj.get_object()
        if not isinstance(obj, DictionaryObject):
            continue
        visited += 1
        # Popped last to first: the children, then the item, then the siblings before it.
        stack += [("tree", obj.get("/Prev")), ("item", obj), ("tree", obj.get("/Last"))]


def _item_page(reader: PdfReader, item: DictionaryObject, pages: dict[int, int]) -> int | None:
    """Page index a bookmark item points to: its `/Dest` or GoTo action, explicit or named."""
    dest = item.get("/Dest")
    if dest is None:
        action = item.get("/A")
        action = action.get_object() if action is not None else None
        if isinstance(action, DictionaryObject) and action.get("/S") == "/GoTo":
            dest = action.get("/D")
    dest = dest.get_object() if dest is not None else None
    if isinstance(dest, str):  # a named destination (NameObject or string)
        names = reader.named_destinations
        named = names.get(str(dest)) or names.get(str(dest).lstrip("/"))
        return reader.get_destination_page_number(named) if named is not None else None
    if isinstance(dest, ArrayObject) and dest and isinstance(dest[0], IndirectObject):
        return pages.get(dest[0].idnum)
    return None


def _outline_pages(reader: PdfReader, wanted: str) -> Iterator[int]:
    """Page indexes of (at most 4) bookmarks whose title contains `wanted`, the last first.

    Lazy, reading bookmarks from the end where the annex is and resolving only matching ones:
    pypdf's `reader.outline` decodes every item first (measured: 12 ms of a 57 ms verification
    for a protocol's ~90 bookmarks).
    """
    found = 0
    pages: dict[int, int] | None = None
    for item in _outline_backwards(reader):
        if wanted not in _squash(str(item.get("/Title", "") or "")):
            continue
        if pages is None:
            pages = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages)
                     if p.indirect_reference is not None}
        page = _item_page(reader, item, pages)
        if page is not None and 0 <= page < len(reader.pages):
            yield page
            found += 1
            if found >= 4:
                return


class _PageTexts:
    """The text of single pages of a PDF, read by PDFium; the file is open only inside `with`."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._document: pypdfium2.PdfDocument | None = None

    def __enter__(self) -> _PageTexts:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._document is not None:
            self._document.close()
            self._document = None

    def __getitem__(self, index: int) -> str:
        if self._document is None:
            self._document = pypdfium2.PdfDocument(self._path)
        page = self._document[index]
        try:
            textpage = page.get_textpage()
            try:
                return _squash(textpage.get_text_range())
            finally:
                textpage.close()
        finally:
            page.close()


def _check_text(reader: PdfReader, texts: _PageTexts, expect_text: str,
                max_text_pages: int) -> list[str]:
    """Find `expect_text` on the page its bookmark points to, else in the last pages.

    The annex is followed by the 11-topic view and can start 12+ pages before the end of a
    team with many open actions (measured: page 16 of 28), so the bookmark LibreOffice
    writes for the heading is followed first; the text of that page must then contain it.
    """
    wanted = _squash(expect_text)
    for index in _outline_pages(reader, wanted):
        if wanted in texts[index]:
            return []
    pages = len(reader.pages)
    for index in range(pages - 1, max(-1, pages - 1 - max_text_pages), -1):
        if wanted in texts[index]:
            return []
    return [f"de bijlage '{expect_text}' staat niet in de tekst van de PDF "
            f"(gezocht in de laatste {min(pages, max_text_pages)} pagina's)"]


def text_digest(path: Path) -> str | None:
    """SHA-256 of the text of every page, read by PDFium; None when the PDF cannot be read.

    Two conversions of one .docx differ in CreationDate, /ID, the checksum and a few
    compressed bytes (95 of 431 KB, measured), never in their text: this says whether two
    PDFs hold the same protocol when no .docx hash was recorded for an archived one.
    """
    import hashlib

    h = hashlib.sha256()
    try:
        with _PageTexts(path) as texts:
            document = pypdfium2.PdfDocument(path)
            try:
                count = len(document)
            finally:
                document.close()
            for index in range(count):
                h.update(texts[index].encode("utf-8") + b"\f")
    except (OSError, pypdfium2.PdfiumError, ValueError):
        return None
    return h.hexdigest()
