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

from pathlib import Path

import pypdfium2
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from pipeline.errors import Problem
from pipeline.pdf import validate as pdf_validate
from pipeline.pdf.read import MAX_TEXT_PAGES, PdfFile, opened, outline_pages, squash


def _pdfa_claim(reader: PdfReader) -> tuple[str | None, str | None]:
    """(part, conformance) from the XMP `pdfaid:` properties, as element or attribute.

    pypdf's XMP reader finds both forms and refuses entity declarations (no XXE).
    """
    try:
        xmp = reader.xmp_metadata
        if xmp is None:
            return None, None
        part, conformance = xmp.pdfaid_part, xmp.pdfaid_conformance
    except (PyPdfError, ValueError, KeyError, AttributeError, TypeError):
        return None, None
    return (part.strip() if part is not None else None,
            conformance.strip() if conformance is not None else None)


_REPORT_HINT = "Meld dit aan de beheerder"


_UA_HINT = "De PDF is gemaakt, maar niet toegankelijk volgens PDF/UA-1; meld dit aan de beheerder"


def _found(messages: list[str], path: Path, name: str | None, hint: str) -> list[Problem]:
    return [Problem(file=name or str(path), message=m, hint=hint) for m in messages]


def verify_pdf(source: Path | PdfFile, *, expect_text: str, expect_title: str | None = None,
               max_text_pages: int = MAX_TEXT_PAGES, validate: bool = False,
               name: str | None = None) -> list[Problem]:
    """Problems with the PDF at `path` as an archival PDF/A-2b; empty when it is fine.

    With `validate` (every PDF that goes to the archive) the independent validator must also
    pass it as PDF/A-2b and PDF/UA-1 (it costs about as much CPU as converting,
    `pdf_validate`). Reads only; for a PDF that is not archived see `settle_ua_claim`.
    `name` is how the problems name the file (default: its path). `source` may be a file
    already open for other checks (`read.PdfFile`).
    """
    with opened(source) as pdf:
        problems = _verify(pdf, expect_text, expect_title, max_text_pages)
    if not problems and validate:
        problems = pdf_validate.validate(pdf.path)
    return _found(problems, pdf.path, name, _REPORT_HINT)


def validate_pdf(path: Path, name: str | None = None) -> list[Problem]:
    """Claim PDF/A-2a and validate it with PDF/UA-1; where 2a fails, claim 2b again and
    validate that: what the validator then finds (empty when it passes).

    For the PDFs that go to the archive: PDF/A-2a is the accessible archival level (tagged,
    with text alternatives), which LibreOffice's tagged PDF/A-2b export meets (measured with
    `page` on every example protocol). The claim is changed in place (`claim_conformance`).
    """
    try:
        pdf_validate.claim_conformance(path, "A")
    except (OSError, ValueError):
        return _found(pdf_validate.validate(path), path, name, _REPORT_HINT)
    problems = pdf_validate.validate(path, ("2a", "ua1"))
    if any(pdf_validate.PROFILES["2a"] in p for p in problems):
        pdf_validate.claim_conformance(path, "B")
        problems = pdf_validate.validate(path, ("2b", "ua1"))
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


def _verify(pdf: PdfFile, expect_text: str, expect_title: str | None,
            max_text_pages: int) -> list[str]:
    try:
        reader = pdf.reader
        if reader.is_encrypted:
            return ["de PDF is versleuteld; een archief-PDF mag niet versleuteld zijn"]
        pages = len(reader.pages)
    except (OSError, PyPdfError, ValueError, KeyError) as e:
        return [f"de PDF kan niet worden gelezen ({type(e).__name__})"]
    if pages == 0:
        return ["de PDF heeft geen pagina's"]
    problems: list[str] = []
    try:
        problems.extend(_check_structure(pdf, expect_title))
        problems.extend(_check_text(pdf, expect_text, max_text_pages))
    except (PyPdfError, pypdfium2.PdfiumError, ValueError, KeyError, AttributeError,
            TypeError) as e:
        problems.append(f"de PDF is beschadigd en kan niet volledig worden gecontroleerd "
                        f"({type(e).__name__})")
    return problems


def _check_structure(pdf: PdfFile, expect_title: str | None) -> list[str]:
    reader = pdf.reader
    problems = []
    part, conformance = _pdfa_claim(reader)
    # LibreOffice exports level B; an archived PDF claims A once the validator passed it.
    if part != "2" or (conformance or "").upper() not in ("A", "B"):
        claim = f"deel {part}, niveau {conformance}" if part else "geen PDF/A-claim"
        problems.append(f"de PDF is geen PDF/A-2b (of -2a) volgens de XMP-metadata "
                        f"({claim})")
    root = reader.root_object
    mark_info = root.get("/MarkInfo")
    marked = mark_info.get_object().get("/Marked") if mark_info is not None else None
    # pypdf gives a BooleanObject, not a bool; a hostile /Marked may be any object.
    if getattr(marked, "value", marked) is not True or "/StructTreeRoot" not in root:
        problems.append("de PDF is niet getagd (MarkInfo/StructTreeRoot ontbreekt), "
                        "dus niet toegankelijk voor schermlezers")
    missing = pdf.fonts.unembedded
    if missing:
        problems.append("niet alle lettertypen zijn ingesloten: " + ", ".join(sorted(missing)))
    if expect_title is not None:
        info = reader.metadata
        title = info.get("/Title") if info is not None else None
        if squash(str(title or "")) != squash(expect_title):
            problems.append("de titel in de PDF-eigenschappen klopt niet"
                            if title else "de PDF heeft geen titel in de eigenschappen")
    return problems


def _check_text(pdf: PdfFile, expect_text: str, max_text_pages: int) -> list[str]:
    """Find `expect_text` on the page its bookmark points to, else in the last pages.

    The annex is followed by the 11-topic view and can start 12+ pages before the end of a
    team with many open actions (measured: page 16 of 28), so the bookmark LibreOffice
    writes for the heading is followed first; the text of that page must then contain it.
    """
    wanted = squash(expect_text)
    for index in outline_pages(pdf, wanted):
        if wanted in squash(pdf.text(index)):
            return []
    pages = len(pdf.reader.pages)
    for index in range(pages - 1, max(-1, pages - 1 - max_text_pages), -1):
        if wanted in squash(pdf.text(index)):
            return []
    return [f"de bijlage '{expect_text}' staat niet in de tekst van de PDF "
            f"(gezocht in de laatste {min(pages, max_text_pages)} pagina's)"]
