"""Fixtures for the archive tests: protocol-like .docx files made with python-docx."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.archive import (
    make_docx,
)
from helpers.shared import once


@pytest.fixture(scope="session")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """Three documents converted once with the default PDF/A options: name -> (docx, pdf).

    Two of them share the file name `teamprotocol.docx` in different folders: soffice names its
    output after the input, so the converter must not let one overwrite the other.
    """
    return once(tmp_path_factory, "converted", _convert)


def _convert(base: Path) -> dict[str, tuple[Path, Path]]:
    from pipeline.pdf.convert import PdfConverter

    docs = {
        "balie": make_docx(base / "balie" / "teamprotocol.docx", title="Teamprotocol Balie"),
        "wijk": make_docx(base / "wijk" / "teamprotocol.docx", title="Teamprotocol Wijkteam",
                          pages=5),
        "kcc": make_docx(base / "kcc" / "kcc.docx", title="Teamprotocol KCC"),
    }
    pairs = [(d, base / "uit" / f"{name}.pdf") for name, d in docs.items()]
    with PdfConverter(jobs=2) as converter:
        results = converter.convert(pairs)
    assert all(isinstance(r, Path) for r in results.values()), results
    return {name: (docx, pdf) for (name, docx), (_, pdf) in zip(docs.items(), pairs, strict=True)}
