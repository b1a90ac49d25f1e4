"""An emoji in an answer never garbles the PDF (issue 21, item 1), through `teamprotocol build`
with LibreOffice: the emoji becomes Dutch words in brackets in the .docx and the PDF alike,
the emergency number after it stays intact, BMP symbols (✓ ✗ ☎) stay, and the build warns,
naming the field and the character. The PDF's text is extracted and compared."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.batch import docx_paragraphs, required_answers, run_cli, squash, write_team
from pypdf import PdfReader

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]

ANSWER = "Alarm 🚨; bij nood 📞 112 bellen. Afgevinkt ✓ of niet ✗. Agent 👮‍♀️ komt."
SHOWN = ("Alarm (alarm); bij nood (telefoon) 112 bellen. Afgevinkt ✓ of niet ✗. Agent (agente) "
         "komt.")


def test_an_emoji_becomes_words_in_docx_and_pdf_and_the_build_names_it(tmp_path):
    forms, out = tmp_path / "formulieren", tmp_path / "uit"
    write_team(forms, "balie", required_answers(**{"team.competenties": ANSWER}), kinds=())
    proc = run_cli("build", forms, "--policy", "voorbeeld", "--out", out, "--jobs", "1",
                   cwd=tmp_path)
    text = proc.stdout + proc.stderr
    assert proc.returncode == 0, text
    warning = next(line for line in text.splitlines() if "U+1F6A8" in line)
    assert "Competenties bij de werkverdeling" in warning
    assert "🚨 (U+1F6A8), 📞 (U+1F4DE), 👮\u200d♀ (U+1F46E)" in warning

    docx = squash(" ".join(docx_paragraphs(out / "balie" / "teamprotocol-balie.docx")))
    assert SHOWN in docx
    pdf = Path(out / "balie" / "teamprotocol-balie.pdf")
    extracted = squash(" ".join(p.extract_text() or "" for p in PdfReader(pdf).pages))
    # pypdf lists a run in another font (DejaVu's ✓ ✗) apart; the words and digits around
    # the emoji are what was garbled, and they come out exactly.
    assert "Alarm (alarm); bij nood (telefoon) 112 bellen." in extracted
    assert "Agent (agente) komt." in extracted
    assert not any(ord(c) > 0xFFFF for c in extracted)
