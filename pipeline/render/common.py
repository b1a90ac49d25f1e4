"""What every part of the rendered text shares: text safe for a Word run, the empty mark, and
the status look (symbol, colours) that the annex and its tables use."""

from __future__ import annotations

import re
from typing import Any

from docxtpl import RichText

from pipeline.models import Status

EMPTY = "–"


# Status -> (symbol, text colour, light cell shading). Symbol and word together, so the
# status is readable without colour (printed in grey, or colour-blind readers). Every text
# colour has a contrast of at least 4.5:1 on its shading (WCAG 2 relative luminance, PDF/UA
# via WCAG 1.4.3): 5.5, 6.1, 6.3 and 6.0:1; deels's yellow is lighter in grey than
# ontbreekt's red, so the two differ in a grey print too.
STATUS_LOOK: dict[Status, tuple[str, str, str]] = {
    Status.GEREGELD: ("✓", "1E6B24", "E2EFDA"),
    # Waits for the coordinator: a question mark, in blue, never the green of geregeld.
    Status.TE_BEOORDELEN: ("?", "1F4E79", "DDEBF7"),
    Status.DEELS: ("◐", "8A4B00", "FFF2CC"),
    Status.ONTBREEKT: ("✗", "A00000", "F8D7DA"),
    Status.NVT: ("–", "595959", "EDEDED"),
}


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
