"""LibreOffice itself: finding soffice, the PDF/A export options it is given, and the fonts
it will lay a document out with (fontconfig)."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Mapping

from pipeline.errors import ConversionError

# PDF/A-2b and tagged PDF (structure tree, for screen readers). 2b does not itself require
# tags, so both are asked for; LibreOffice 7.4+ takes these as JSON on --convert-to.
# PDFUACompliance adds the PDF/UA-1 identification to the XMP and LibreOffice's own PDF/UA
# rules (alternative texts on links); DisplayPDFDocumentTitle shows the title, not the file
# name, in the viewer's title bar (PDF/UA-1 7.1). Whether the result is PDF/UA-1 is decided
# by the validator in pdf/verify.py, not by this claim.
# UseLosslessCompression and no ReduceImageResolution keep the logo as the organisation
# gave it: by default the PNG logo came out as a 760x200 JPEG (DCTDecode, measured).
PDFA_OPTIONS: Mapping[str, bool | int | str] = {
    "SelectPdfVersion": 2, "UseTaggedPDF": True, "PDFUACompliance": True,
    "DisplayPDFDocumentTitle": True, "UseLosslessCompression": True,
    "ReduceImageResolution": False,
}


def filter_argument(options: Mapping[str, bool | int | str]) -> str:
    """The `--convert-to` value: `pdf:writer_pdf_Export:{JSON}` with typed filter options."""
    typed = {}
    for name, value in options.items():
        if isinstance(value, bool):
            typed[name] = {"type": "boolean", "value": "true" if value else "false"}
        elif isinstance(value, int):
            typed[name] = {"type": "long", "value": str(value)}
        else:
            typed[name] = {"type": "string", "value": str(value)}
    return "pdf:writer_pdf_Export:" + json.dumps(typed, separators=(",", ":"))


def find_soffice() -> str:
    """Path of the soffice program, or ConversionError saying how to install it."""
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        raise ConversionError("LibreOffice (soffice) is niet gevonden, dus er komt geen PDF",
                              hint="Voer 'make setup' uit om LibreOffice te installeren, of "
                                   "bouw alleen de Word-bestanden met --no-pdf")
    return path


# Fonts Word documents name that fontconfig replaces by a metric-compatible open font (same
# widths, so the same line breaks): the PDF then looks as the .docx does in Word. Measured
# with fc-match here: Calibri -> Carlito, Cambria -> Caladea; Arial, Verdana and Comic Sans
# MS -> DejaVu Sans, which has other widths.
_METRIC_TWINS = {"calibri": "carlito", "cambria": "caladea", "arial": "liberation sans",
                 "helvetica": "liberation sans", "times new roman": "liberation serif",
                 "courier new": "liberation mono"}


def metric_twin(family: str) -> str:
    """The open font LibreOffice lays `family` out with when it has the twin ('' if none)."""
    return _METRIC_TWINS.get(family.strip().lower(), "")


def font_substitute(family: str) -> str | None:
    """The font LibreOffice would use instead of `family` (fontconfig), or None when it has it.

    None also when fontconfig's `fc-match` is not there to ask: then nothing is known.
    """
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    try:
        found = subprocess.run([fc_match, "-f", "%{family[0]}", family], capture_output=True,
                               text=True, timeout=10, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    wanted = family.strip().lower()
    if not found or found.lower() in (wanted, _METRIC_TWINS.get(wanted)):
        return None
    return found
