"""verify_pdf on real LibreOffice PDFs and on PDFs broken on purpose with pypdf."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject

from pipeline.verify import _outline_pages, verify_pdf
from tests.archive.conftest import ANNEX


@pytest.fixture
def good_pdf(converted: dict[str, tuple[Path, Path]]) -> Path:
    return converted["wijk"][1]


def test_wrong_annex_and_title_are_reported(good_pdf: Path) -> None:
    problems = verify_pdf(good_pdf, expect_text="Bijlage die er niet is", expect_title="Ander")
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
        problems = verify_pdf(tmp_path / name, expect_text=ANNEX)
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
    assert verify_pdf(tmp_path / "dicht.pdf", expect_text=ANNEX) == [
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
    problems = verify_pdf(tmp_path / "kaal.pdf", expect_text=ANNEX)
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
    reader = PdfReader(_outlined_pdf(tmp_path / "bladwijzers.pdf"))
    assert list(_outline_pages(reader, ANNEX)) == [4, 1, 2]


def test_a_bookmark_loop_ends(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=_outlined_pdf(tmp_path / "bladwijzers.pdf"))
    outlines = writer.root_object["/Outlines"].get_object()
    last = outlines.raw_get("/Last")
    last.get_object()[NameObject("/Prev")] = last  # the last bookmark follows itself
    writer.write(tmp_path / "lus.pdf")
    assert list(_outline_pages(PdfReader(tmp_path / "lus.pdf"), ANNEX)) == [4]
