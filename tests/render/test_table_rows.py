"""Tables LibreOffice prints whole: the first body row of a table that repeats its header row
may break across pages, every other row stays in one piece (render/word.py)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from pipeline.models import Protocol
from pipeline.ooxml import W_NS, write_zip
from pipeline.pdf.compare import compare
from pipeline.pdf.convert import PdfConverter
from pipeline.policy import Policy
from pipeline.render import render_protocol
from pipeline.render.word import let_first_rows_break

LOST_ROW = Path(__file__).parents[1] / "data" / "lost-row" / "teamprotocol-burgerzaken-0049.docx"
W = f"{{{W_NS}}}"


def _tables(docx: bytes) -> list[etree._Element]:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        body = etree.fromstring(z.read("word/document.xml")).find(f"{W}body")
    return list(body.iter(f"{W}tbl"))


def _split(row: etree._Element) -> bool:
    return row.find(f"{W}trPr/{W}cantSplit") is None


def _fixed(docx: bytes) -> bytes:
    """`docx` with `let_first_rows_break` applied, as the renderer applies it."""
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        files = {i.filename: z.read(i) for i in z.infolist()}
    root = etree.fromstring(files["word/document.xml"])
    assert let_first_rows_break(root.find(f"{W}body")) > 0
    files["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                                standalone=True)
    return write_zip(files)


def test_only_the_first_body_row_under_a_repeated_header_may_break(protocol: Protocol,
                                                                   policy: Policy):
    tables = _tables(render_protocol(protocol, policy))
    headed = [t for t in tables if t.find(f"{W}tr/{W}trPr/{W}tblHeader") is not None]
    assert headed
    for table in headed:
        rows = table.findall(f"{W}tr")
        if len(rows) > 1:
            assert _split(rows[1])
        assert not any(_split(r) for r in rows[2:])  # the rest stay whole
        assert not _split(rows[0])


@pytest.mark.libreoffice
def test_libreoffice_prints_the_row_it_left_out(tmp_path: Path):
    """The bench's team that lost a *Locaties* row (tests/data/lost-row): as it was built,
    LibreOffice still leaves the row out; with its first body rows free to break, the PDF
    holds every word and number of the .docx."""
    original = LOST_ROW.read_bytes()
    (tmp_path / "zoals-gebouwd.docx").write_bytes(original)
    (tmp_path / "eerste-rij-breekt.docx").write_bytes(_fixed(original))
    items = [(tmp_path / f"{n}.docx", tmp_path / f"{n}.pdf")
             for n in ("zoals-gebouwd", "eerste-rij-breekt")]
    with PdfConverter(jobs=1) as converter:
        made = converter.convert(items)
    assert all(isinstance(made[docx], Path) for docx, _ in items), made
    lost = compare(original, tmp_path / "zoals-gebouwd.pdf").differences
    assert {d.text for d in lost} >= {"40"}  # LibreOffice 25.2 still has the fault
    docx, pdf = items[1]
    assert compare(docx.read_bytes(), pdf).differences == []
