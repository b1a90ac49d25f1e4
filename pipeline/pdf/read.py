"""Reading a produced PDF: the text of single pages (PDFium), the bookmarks (lazily, from the
end), the contents' link targets, the fonts on its pages (and whether they are embedded), a
digest of its text."""

from __future__ import annotations

import contextlib
import functools
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdfium2
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from pipeline.pdf.links import link_targets

# Without a bookmark to the annex, text is read from the last pages only, so a huge document
# costs bounded time.
MAX_TEXT_PAGES = 12


_MAX_OUTLINE_ITEMS = 10_000  # bookmarks read at most while looking for the annex heading


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# Form XObjects can nest; LibreOffice's never go deeper than 2, hostile ones could loop.
_MAX_XOBJECT_DEPTH = 8


@dataclass(frozen=True)
class Fonts:
    """The fonts a PDF's pages use, their form XObjects' included."""

    used: frozenset[str]  # their base names, subset prefix dropped (`Carlito-Bold`)
    unembedded: frozenset[str]  # base names of those without a font program in the file


def _unembedded(font: DictionaryObject) -> bool:
    """True when no font program is embedded (FontFile, FontFile2 or FontFile3)."""
    subtype = font.get("/Subtype")
    if subtype == "/Type3":  # glyphs are drawn by content streams inside the PDF itself
        return False
    target = font
    if subtype == "/Type0":
        descendants = font.get("/DescendantFonts")
        if not descendants:
            return True
        target = descendants[0].get_object()
    descriptor = target.get("/FontDescriptor")
    descriptor = descriptor.get_object() if descriptor is not None else None
    return descriptor is None or not any(k in descriptor for k in
                                         ("/FontFile", "/FontFile2", "/FontFile3"))


def _fonts(reader: PdfReader) -> Fonts:
    used: set[str] = set()
    unembedded: set[str] = set()
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
            font = ref.get_object()
            name = str(font.get("/BaseFont", "?")).lstrip("/")
            if "/BaseFont" in font:
                used.add(name.split("+", 1)[-1])
            if _unembedded(font):
                unembedded.add(name)
        xobjects = resources.get("/XObject")
        xobjects = xobjects.get_object() if xobjects is not None else {}
        for ref in xobjects.values():
            xobj = ref.get_object()
            if xobj.get("/Subtype") == "/Form" and "/Resources" in xobj:
                walk(xobj.raw_get("/Resources"), depth + 1)

    for page in reader.pages:
        if "/Resources" in page:
            walk(page.raw_get("/Resources"), 0)
    return Fonts(used=frozenset(used), unembedded=frozenset(unembedded))


def toc_link_pages(source: Path | PdfFile, max_pages: int = 8) -> dict[str, int]:
    """Link descriptions (`/Contents`) on the first pages -> the page number they point to.

    LibreOffice 25.2 makes each contents line's PAGEREF a link whose `/Contents` is the
    bookmark name (`_Toc00001`) and whose `/Dest` is the heading's page (measured), so these
    are the page numbers of our own layout, for the contents in the .docx (`stamp_toc`).
    Read before `links.name_contents_links` gives those links their headings' text.
    """
    try:
        with opened(source) as pdf:
            return _toc_link_pages(pdf, max_pages)
    except (OSError, PyPdfError, ValueError, KeyError, AttributeError, TypeError):
        return {}


def _toc_link_pages(pdf: PdfFile, max_pages: int) -> dict[str, int]:
    reader, index = pdf.reader, pdf.page_index
    targets = link_targets(pdf.data)
    found: dict[str, int] = {}
    for page in reader.pages[:max_pages]:
        annots = page.get("/Annots")
        annots = annots.get_object() if annots is not None else None
        for ref in annots if isinstance(annots, ArrayObject) else []:
            if not isinstance(ref, IndirectObject) or ref.idnum not in targets:
                continue
            name, target = targets[ref.idnum]
            if name and target in index:
                found.setdefault(name, index[target] + 1)
    return found


def _outline_backwards(reader: PdfReader) -> Iterator[DictionaryObject]:
    """Bookmark (`/Outlines`) items in reverse document order, each read only when reached."""
    root = reader.root_object.get("/Outlines")
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


def outline_pages(source: Path | PdfFile, wanted: str) -> Iterator[int]:
    """Page indexes of (at most 4) bookmarks whose title contains `wanted`, the last first.

    Lazy, reading bookmarks from the end where the annex is and resolving only matching ones:
    pypdf's `reader.outline` decodes every item first (measured: 12 ms of a 57 ms verification
    for a protocol's ~90 bookmarks).
    """
    with opened(source) as pdf:
        yield from _outline_pages(pdf, wanted)


def _outline_pages(pdf: PdfFile, wanted: str) -> Iterator[int]:
    reader = pdf.reader
    found = 0
    for item in _outline_backwards(reader):
        if wanted not in squash(str(item.get("/Title", "") or "")):
            continue
        page = _item_page(reader, item, pdf.page_index)
        if page is not None and 0 <= page < len(reader.pages):
            yield page
            found += 1
            if found >= 4:
                return


class PdfFile:
    """One PDF opened once for every check that reads it: pypdf for its objects and PDFium for
    its text, each opened on first use, each page's text read once; closed after `with`.

    A check of a protocol used to open it three times with pypdf and twice with PDFium
    (verification, text comparison, contents' links, fonts): ~19 ms a pypdf open of a
    protocol, ~3 ms a PDFium page (measured on the bench's protocols). A file rewritten after
    (`links.name_contents_links`) is read by a new one.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._data: bytes | None = None
        self._reader: PdfReader | None = None
        self._document: pypdfium2.PdfDocument | None = None
        self._texts: dict[int, str] = {}

    def __enter__(self) -> PdfFile:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._document is not None:
            self._document.close()
            self._document = None
        self._reader = None
        self._data = None
        self._texts.clear()

    @property
    def data(self) -> bytes:
        """The file's bytes, read once."""
        if self._data is None:
            self._data = self.path.read_bytes()
        return self._data

    @property
    def reader(self) -> PdfReader:
        """pypdf's reader of the file (its errors are the caller's to handle).

        Strict first: a lenient reader reads the header of every object the xref table names
        to repair broken tables (~3,600 per protocol: 19 ms of a 25 ms open, measured), which
        LibreOffice's PDFs do not need; a file the strict reader refuses is read leniently,
        as before.
        """
        if self._reader is None:
            try:
                self._reader = PdfReader(io.BytesIO(self.data), strict=True)
            except PyPdfError:
                self._reader = PdfReader(io.BytesIO(self.data))
        return self._reader

    @functools.cached_property
    def page_index(self) -> dict[int, int]:
        """Page object number -> page index, for links and bookmarks that point to a page."""
        return {p.indirect_reference.idnum: i for i, p in enumerate(self.reader.pages)
                if p.indirect_reference is not None}

    @functools.cached_property
    def fonts(self) -> Fonts:
        """The fonts on the pages (one walk for the verification and the font warning)."""
        return _fonts(self.reader)

    def _pdfium(self) -> pypdfium2.PdfDocument:
        if self._document is None:
            self._document = pypdfium2.PdfDocument(self.data)
        return self._document

    def page_count(self) -> int:
        """The number of pages, as PDFium reads them."""
        return len(self._pdfium())

    def text(self, index: int) -> str:
        """The text of page `index` as PDFium extracts it (lines as it finds them)."""
        if index not in self._texts:
            page = self._pdfium()[index]
            try:
                textpage = page.get_textpage()
                try:
                    self._texts[index] = textpage.get_text_range()
                finally:
                    textpage.close()
            finally:
                page.close()
        return self._texts[index]

    def all_text(self) -> str:
        """The text of every page, pages separated by a line."""
        return "\n".join(self.text(i) for i in range(self.page_count()))


@contextlib.contextmanager
def opened(source: Path | PdfFile) -> Iterator[PdfFile]:
    """`source` itself when already open (its owner closes it), else the file opened here."""
    if isinstance(source, PdfFile):
        yield source
        return
    with PdfFile(source) as pdf:
        yield pdf


def text_digest(path: Path) -> str | None:
    """SHA-256 of the text of every page, read by PDFium; None when the PDF cannot be read.

    Two conversions of one .docx differ in CreationDate, /ID, the checksum and a few
    compressed bytes (95 of 431 KB, measured), never in their text: this says whether two
    PDFs hold the same protocol when no .docx hash was recorded for an archived one.
    """
    import hashlib

    h = hashlib.sha256()
    try:
        with PdfFile(path) as pdf:
            for index in range(pdf.page_count()):
                h.update(squash(pdf.text(index)).encode("utf-8") + b"\f")
    except (OSError, pypdfium2.PdfiumError, ValueError):
        return None
    return h.hexdigest()
