"""How heavy .docx files are for LibreOffice's layout: paragraphs and table cells on average."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

_PARAGRAPH = re.compile(rb"<w:p[ >]")
_CELL = re.compile(rb"<w:tc[ >]")


@dataclass
class DocSize:
    """Paragraphs (table cells' included) and table cells per document, on average."""

    paragraphs: float
    cells: float


def doc_size(docx: list[Path]) -> DocSize:
    """Averages over the main document part of each file in `docx`."""
    paragraphs = cells = 0
    for path in docx:
        with zipfile.ZipFile(path) as z:
            body = z.read("word/document.xml")
        paragraphs += len(_PARAGRAPH.findall(body))
        cells += len(_CELL.findall(body))
    n = max(1, len(docx))
    return DocSize(paragraphs=paragraphs / n, cells=cells / n)
