"""verify_pdf on real LibreOffice PDFs and on PDFs broken on purpose with pypdf."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import page
import pytest
from helpers.archive import ANNEX
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
)

from pipeline.pdf.read import outline_pages
from pipeline.pdf.validate import (
    STREAM_LENGTH_RULE,
    conformance,
    stream_length_is_exact,
    validate,
    withdraw_ua_claim,
)
from pipeline.pdf.verify import settle_ua_claim, validate_pdf, verify_pdf
from pipeline.render import ANNEX_HEADING


@pytest.fixture
def good_pdf(converted: dict[str, tuple[Path, Path]]) -> Path:
    return converted["wijk"][1]


def test_wrong_annex_and_title_are_reported(good_pdf: Path) -> None:
    problems = [p.message for p in verify_pdf(good_pdf, expect_text="Bijlage die er niet is",
                                              expect_title="Ander")]
    assert len(problems) == 2
    assert any("Bijlage die er niet is" in p and "laatste" in p for p in problems)
    assert any("titel" in p for p in problems)


def test_annex_is_searched_only_in_the_last_pages(good_pdf: Path) -> None:
    # The annex heading is on the last page; the title only on page 1.
    assert verify_pdf(good_pdf, expect_text=ANNEX, max_text_pages=1) == []
    assert verify_pdf(good_pdf, expect_text="Teamprotocol Wijkteam", max_text_pages=1) != []
    assert verify_pdf(good_pdf, expect_text="Teamprotocol Wijkteam", max_text_pages=100) == []


def test_not_a_pdf_and_empty_file(tmp_path: Path) -> None:
    (tmp_path / "x.pdf").write_bytes(b"PK\x03\x04 dit is een zip")
    (tmp_path / "leeg.pdf").write_bytes(b"")
    for name in ("x.pdf", "leeg.pdf", "bestaat-niet.pdf"):
        problems = [p.message for p in verify_pdf(tmp_path / name, expect_text=ANNEX)]
        assert len(problems) == 1
        assert "kan niet worden gelezen" in problems[0]


def test_truncated_pdf_is_rejected(good_pdf: Path, tmp_path: Path) -> None:
    data = good_pdf.read_bytes()
    (tmp_path / "half.pdf").write_bytes(data[: len(data) // 2])
    assert verify_pdf(tmp_path / "half.pdf", expect_text=ANNEX) != []


def test_encrypted_pdf_is_rejected(good_pdf: Path, tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=good_pdf)
    writer.encrypt(user_password="", owner_password="geheim", algorithm="RC4-128")
    writer.write(tmp_path / "dicht.pdf")
    assert [p.message for p in verify_pdf(tmp_path / "dicht.pdf", expect_text=ANNEX)] == [
        "de PDF is versleuteld; een archief-PDF mag niet versleuteld zijn"]


def test_unembedded_font_and_no_claim(tmp_path: Path) -> None:
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    helvetica = DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                                  NameObject("/Subtype"): NameObject("/Type1"),
                                  NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
        {NameObject("/F1"): writer._add_object(helvetica)})})
    writer.write(tmp_path / "kaal.pdf")
    problems = [p.message for p in verify_pdf(tmp_path / "kaal.pdf", expect_text=ANNEX)]
    assert any("geen PDF/A-2b" in p and "geen PDF/A-claim" in p for p in problems)
    assert any("niet getagd" in p for p in problems)
    assert any(p == "niet alle lettertypen zijn ingesloten: Helvetica" for p in problems)
    assert any(ANNEX in p for p in problems)


def test_pdfa_claim_as_attribute_is_accepted(good_pdf: Path, tmp_path: Path) -> None:
    """XMP may write `pdfaid:part="2"` as an attribute instead of an element (both are RDF)."""
    writer = PdfWriter(clone_from=good_pdf)
    meta = writer.root_object["/Metadata"].get_object()
    xmp = meta.get_data().decode()
    start = xmp.index('<rdf:Description rdf:about="" xmlns:pdfaid')
    end = xmp.index("</rdf:Description>", start) + len("</rdf:Description>")
    xmp = xmp[:start] + ('<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/'
                         'pdfa/ns/id/" pdfaid:part="2" pdfaid:conformance="B"/>') + xmp[end:]
    meta.set_data(xmp.encode())
    writer.write(tmp_path / "attr.pdf")
    assert verify_pdf(tmp_path / "attr.pdf", expect_text=ANNEX) == []
    assert len(PdfReader(tmp_path / "attr.pdf").pages) > 1


def _outlined_pdf(path: Path) -> Path:
    """Five blank pages; the annex bookmarked twice (nested, and by a named destination)."""
    writer = PdfWriter()
    for _ in range(5):
        writer.add_blank_page(width=595, height=842)
    first = writer.add_outline_item(title="1. Visie", page_number=0)
    writer.add_outline_item(title=ANNEX, page_number=2, parent=first)
    writer.add_named_destination(title="bijlage", page_number=4)
    named = writer.add_outline_item(title="Bijlagen", page_number=3)
    writer.add_outline_item(title=f"{ANNEX} (vervolg)", page_number=1, parent=named)
    last = writer.add_outline_item(title=ANNEX + " op naam", page_number=0)
    last.get_object()[NameObject("/Dest")] = NameObject("/bijlage")
    writer.write(path)
    return path


def test_annex_bookmarks_are_found_last_first(tmp_path: Path) -> None:
    assert list(outline_pages(_outlined_pdf(tmp_path / "bladwijzers.pdf"), ANNEX)) == [4, 1, 2]


def test_a_bookmark_loop_ends(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=_outlined_pdf(tmp_path / "bladwijzers.pdf"))
    outlines = writer.root_object["/Outlines"].get_object()
    last = outlines.raw_get("/Last")
    last.get_object()[NameObject("/Prev")] = last  # the last bookmark follows itself
    writer.write(tmp_path / "lus.pdf")
    assert list(outline_pages(tmp_path / "lus.pdf", ANNEX)) == [4]


# --- the independent validator (page) ---------------------------------------------------------

@pytest.fixture(scope="session")
def protocol_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real rendered protocol (with logo), converted once by LibreOffice with our options."""
    from helpers.render import make_policy, make_protocol
    from PIL import Image

    from pipeline.pdf.convert import PdfConverter
    from pipeline.render import render_protocol

    base = tmp_path_factory.mktemp("protocol")
    logo = base / "logo.png"
    Image.new("RGB", (240, 80), (122, 31, 92)).save(logo)
    docx_path = base / "protocol.docx"
    docx_path.write_bytes(render_protocol(make_protocol(), make_policy(), logo=logo))
    pdf = base / "protocol.pdf"
    with PdfConverter(jobs=1) as converter:
        result = converter.convert([(docx_path, pdf)])
    assert isinstance(result[docx_path], Path), result
    return pdf


def _ua_claim(path: Path) -> str | None:
    meta = PdfReader(path).trailer["/Root"]["/Metadata"].get_object().get_data()
    found = re.search(rb"<pdfuaid:part>(\d)</pdfuaid:part>", meta)
    return found.group(1).decode() if found else None


def test_rendered_protocol_passes_pdfa2b_and_pdfua1(protocol_pdf: Path) -> None:
    """Zero failures from page for both profiles, and the PDF keeps its PDF/UA-1 claim."""
    for profile in ("2b", "ua1"):
        report = page.validate_pdf(protocol_pdf, profile=profile)
        assert [f.rule_id for f in report.failures] == [], profile
    assert verify_pdf(protocol_pdf, expect_text=ANNEX_HEADING, validate=True) == []
    assert _ua_claim(protocol_pdf) == "1"


def test_pdfua_claim_only_when_validated(protocol_pdf: Path, tmp_path: Path) -> None:
    """A passing PDF keeps its claim; a withdrawn claim keeps the size and PDF/A-2b; a PDF
    without the claim fails PDF/UA-1, in Dutch, and `settle_ua_claim` reports that."""
    pdf = tmp_path / "concept.pdf"
    shutil.copy(protocol_pdf, pdf)
    assert verify_pdf(pdf, expect_text=ANNEX_HEADING) == []
    assert _ua_claim(pdf) == "1"  # verifying reads only
    assert settle_ua_claim(pdf) == []  # it passes PDF/UA-1: the claim stays
    assert _ua_claim(pdf) == "1"
    assert withdraw_ua_claim(pdf) is True
    assert _ua_claim(pdf) is None
    assert pdf.stat().st_size == protocol_pdf.stat().st_size
    assert page.validate_pdf(pdf, profile="2b").failures == []
    assert withdraw_ua_claim(pdf) is False  # nothing left to withdraw
    # Validated now, it fails PDF/UA-1 on the missing identification, in Dutch.
    problems = [p.message for p in verify_pdf(pdf, expect_text=ANNEX_HEADING, validate=True)]
    assert len(problems) == 1
    assert "voldoet niet aan PDF/UA-1" in problems[0]
    assert "PDFUA1-ID-" in problems[0]
    assert [p.message for p in settle_ua_claim(pdf)] == problems


def _with_stream(src: Path, dst: Path, data: bytes) -> int:
    """`src` rewritten by pypdf with an extra unused Form XObject holding `data`; its number."""
    writer = PdfWriter(clone_from=src)
    stream = DecodedStreamObject()
    stream.set_data(data)
    stream.update({NameObject("/Type"): NameObject("/XObject"),
                   NameObject("/Subtype"): NameObject("/Form"),
                   NameObject("/BBox"): ArrayObject([NumberObject(v) for v in (0, 0, 1, 1)])})
    ref = writer._add_object(stream)
    resources = writer.pages[0]["/Resources"].get_object()
    if "/XObject" not in resources:
        resources[NameObject("/XObject")] = DictionaryObject()
    resources["/XObject"].get_object()[NameObject("/Fx0")] = ref
    writer.write(dst)
    return ref.idnum


def test_stream_ending_in_cr_is_checked_byte_by_byte(protocol_pdf: Path, tmp_path: Path) -> None:
    """page reports PDFA2B-STREAM-LENGTH-001 for data ending in 0x0D before EOL + endstream;
    the bytes show /Length is right, so the report is dropped; a wrong /Length still fails."""
    pdf = tmp_path / "cr.pdf"
    number = _with_stream(protocol_pdf, pdf, b"q Q\r")
    data = pdf.read_bytes()
    assert b"/Length 4\n>>\nstream\nq Q\r\nendstream" in data
    rules = [(f.rule_id, f.object_id.object_number)
             for f in page.validate_pdf(pdf, profile="2b").failures]
    assert rules == [(STREAM_LENGTH_RULE, number)]  # the validator's known false report
    assert stream_length_is_exact(data, number)
    assert validate(pdf) == []
    for wrong in (2, 5):  # /Length short of or past the data: a real fault, still reported
        bad = tmp_path / f"lengte-{wrong}.pdf"
        bad.write_bytes(data.replace(b"/Length 4\n>>\nstream\nq Q\r",
                                     b"/Length %d\n>>\nstream\nq Q\r" % wrong))
        assert not stream_length_is_exact(bad.read_bytes(), number)
        assert validate(bad, ["2b"]) == [
            f"de PDF voldoet niet aan PDF/A-2b volgens de validator: {STREAM_LENGTH_RULE}"]


def test_archived_pdfs_claim_pdfa2a_when_the_validator_passes_it(protocol_pdf: Path,
                                                                 tmp_path: Path) -> None:
    """LibreOffice exports PDF/A-2b with a full structure tree; `validate_pdf` (every PDF that
    goes to the archive) claims level A in place and keeps it when page passes PDF/A-2a and
    PDF/UA-1 (measured: every example protocol does). The file keeps its size."""
    pdf = tmp_path / "archief.pdf"
    shutil.copy(protocol_pdf, pdf)
    assert conformance(pdf.read_bytes()) == "B"
    assert validate_pdf(pdf) == []
    assert conformance(pdf.read_bytes()) == "A"
    assert pdf.stat().st_size == protocol_pdf.stat().st_size
    for profile in ("2a", "ua1"):
        assert page.validate_pdf(pdf, profile=profile).failures == [], profile
    assert verify_pdf(pdf, expect_text=ANNEX_HEADING, validate=True) == []


def test_a_pdf_that_fails_pdfa2a_keeps_its_pdfa2b_claim(protocol_pdf: Path,
                                                       tmp_path: Path) -> None:
    """Without its structure tree a PDF cannot be PDF/A-2a: the claim goes back to B, and
    what is still wrong (here PDF/UA-1) is reported."""
    writer = PdfWriter(clone_from=protocol_pdf)
    del writer.root_object["/StructTreeRoot"]
    pdf = tmp_path / "zonder-tags.pdf"
    writer.write(pdf)
    assert conformance(pdf.read_bytes()) == "B"
    problems = [p.message for p in validate_pdf(pdf)]
    assert conformance(pdf.read_bytes()) == "B"
    assert problems
    assert all("PDF/A-2a" not in p for p in problems)


def test_contents_links_are_named_by_their_headings(protocol_pdf: Path, tmp_path: Path) -> None:
    """LibreOffice names each contents link `_Toc00001`; an incremental update gives it its
    heading's text. LibreOffice's bytes stay as they were, and page passes the result."""
    from pipeline.pdf.links import name_contents_links
    from pipeline.pdf.read import toc_link_pages
    from pipeline.render.toc_pages import toc_entries

    entries = dict(toc_entries(protocol_pdf.with_name("protocol.docx").read_bytes()))
    pdf = tmp_path / "links.pdf"
    shutil.copy(protocol_pdf, pdf)
    before = toc_link_pages(pdf)
    assert set(entries) <= set(before)
    assert name_contents_links(pdf, entries) == len(entries)
    assert pdf.read_bytes().startswith(protocol_pdf.read_bytes().rstrip(b"\n"))
    after = toc_link_pages(pdf)
    assert {entries[name]: page_number for name, page_number in before.items()
            if name in entries}.items() <= after.items()
    assert not [name for name in after if name.startswith("_Toc")]
    for profile in ("2b", "ua1"):
        assert page.validate_pdf(pdf, profile=profile).failures == [], profile
    assert verify_pdf(pdf, expect_text=ANNEX_HEADING) == []
    assert name_contents_links(pdf, entries) == 0  # nothing left to name
    # The byte-by-byte check of page's false stream-length report follows /Prev: it still
    # finds every object, the named links at their new place.
    from pipeline.pdf.validate import _xref_offsets

    old, new = _xref_offsets(protocol_pdf.read_bytes()), _xref_offsets(pdf.read_bytes())
    assert set(new) == set(old)
    assert 0 < sum(new[k] != old[k] for k in old) <= len(entries)


def test_a_pdf_the_strict_reader_refuses_is_read_leniently(tmp_path: Path) -> None:
    # PdfFile reads strictly first (LibreOffice's PDFs need no repair, and the lenient
    # reader's repair scan was most of each open); a damaged xref pointer is repaired as before.
    # LibreOffice's plain PDF export: no PDF/A claim, which both copies must report alike.
    original = (Path(__file__).parents[1] / "data" / "lost-row"
                / "teamprotocol-burgerzaken-0049.pdf")
    data = original.read_bytes()
    found = re.search(rb"startxref\s+(\d+)", data[-64:])
    assert found is not None
    at = len(data) - 64 + found.start(1)
    wrong = str(int(found[1]) + 7).encode()
    (tmp_path / "scheef.pdf").write_bytes(data[:at] + wrong + data[at + len(found[1]):])
    with pytest.raises(PdfReadError):
        PdfReader(tmp_path / "scheef.pdf", strict=True)
    found_here = [p.message
                  for p in verify_pdf(tmp_path / "scheef.pdf", expect_text=ANNEX_HEADING)]
    assert found_here == [p.message for p in verify_pdf(original, expect_text=ANNEX_HEADING)]
    assert len(found_here) == 1
    assert "geen PDF/A-claim" in found_here[0]
