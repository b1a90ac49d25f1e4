"""Helpers for archive tests (plain functions and data; the fixtures are in its conftest)."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.shared import Pt

ANNEX = "Checklist: wat is geregeld"


SUBJECT = "Teamprotocol veilige publieke dienstverlening"


AUTHOR = "Gemeente Testdorp"


def make_docx(path: Path, *, title: str, pages: int = 3, annex: bool = True) -> Path:
    """A protocol-like document: headings, `pages` pages of text, a table, Carlito, properties."""
    doc = Document()
    doc.styles["Normal"].font.name = "Carlito"
    doc.styles["Normal"].font.size = Pt(11)
    for style in ("Title", "Heading 1", "Heading 2"):
        doc.styles[style].font.name = "Carlito"
    props = doc.core_properties
    props.title, props.subject, props.author = title, SUBJECT, AUTHOR
    props.keywords = "Gemeente Testdorp; balie; 1.0; concept"
    doc.add_heading(title, 0)
    for page in range(1, pages + 1):
        doc.add_heading(f"{page}. Hoofdstuk {page}", 1)
        doc.add_heading("Afspraken van het team", 2)
        for i in range(7):
            doc.add_paragraph(f"Afspraak {page}.{i}: " + "Bij agressie aan de balie waarschuwt "
                              "de medewerker een collega en meldt het incident dezelfde dag. " * 3)
        doc.add_page_break()
    if annex:
        doc.add_heading(ANNEX, 1)
        table = doc.add_table(rows=4, cols=3)
        table.style = "Table Grid"
        for r, row in enumerate(table.rows):
            for c, cell in enumerate(row.cells):
                cell.text = ["Onderdeel", "Status", "Bron"][c] if r == 0 else f"punt {r}.{c}"
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path
