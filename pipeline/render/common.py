"""What every part of the rendered text shares: text safe for a Word run, the empty mark, and
the status look (symbol, colours) that the annex and its tables use."""

from __future__ import annotations

import re
from typing import Any

from docxtpl import RichText

from pipeline.models import Status
from pipeline.render.palette import PALETTE

EMPTY = "–"


# Status -> (symbol, text colour, light cell shading), from the one palette (`palette.py`).
STATUS_LOOK: dict[Status, tuple[str, str, str]] = {
    status: (look.symbol, look.colour, look.fill) for status, look in PALETTE.items()}


# The status symbols come from one font that has all of ✓ ◐ ✗: Carlito and Calibri have none
# of them, and LibreOffice's per-glyph fallback mixed fonts into one table (measured: ✓ ✗
# from DejaVuSans-Bold, ◐ from DejaVuSerif-Bold). Naming "Segoe UI Symbol" (Windows) made it
# worse (DejaVu Sans, DejaVu Serif and DejaVu Math TeX Gyre); naming DejaVu Sans, installed
# with LibreOffice, puts all 40 status symbols of a protocol in that one font (pdffonts).
# Word on Windows, which lacks it, substitutes its own symbol font for the three characters.
SYMBOL_FONT = "DejaVu Sans"


# Characters that cannot appear in XML 1.0, and those docxtpl turns into layout (tab, bell,
# form feed become tabs, paragraphs and page breaks in `resolve_listing`).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: object) -> str:
    """Text safe for a Word run: control characters become spaces; line breaks are kept."""
    if text is None:
        return ""
    return _CONTROL.sub(" ", str(text).replace("\r\n", "\n").replace("\t", " "))


def status_view(status: Status) -> dict[str, Any]:
    """A status as template data: word, symbol, colours and a coloured RichText label."""
    symbol, colour, fill = STATUS_LOOK[status]
    label = RichText()
    label.add(symbol, color=colour, font=SYMBOL_FONT)
    label.add(" " + status.value, color=colour)
    return {"status": status.value, "symbol": symbol, "colour": colour, "fill": fill,
            "label": label}
