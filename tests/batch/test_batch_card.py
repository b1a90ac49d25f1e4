"""The batch writes every team's alarm card as a document of its own: `kaart-<team>.docx` and
`kaart-<team>.pdf` beside the protocol, one page, in the manifest, PDF/A + PDF/UA by `page`."""

from __future__ import annotations

import shutil
from pathlib import Path

from helpers.batch import manifest
from pypdf import PdfReader

from pipeline.examples import example_teams
from pipeline.merge import CARD_HEADING
from pipeline.pdf.verify import validate_pdf


def test_every_team_has_its_card_beside_its_protocol(example_build):
    report, out = example_build
    assert report.failed == []
    recorded = manifest(out)["teams"]
    for identity, _ in example_teams():
        team = identity.team_id
        docx, pdf = f"{team}/kaart-{team}.docx", f"{team}/kaart-{team}.pdf"
        assert (out / docx).is_file()
        assert (out / pdf).is_file()
        assert {docx, pdf} <= set(recorded[team]["outputs"]), team
        reader = PdfReader(out / pdf)
        assert len(reader.pages) == 1
        text = " ".join(reader.pages[0].extract_text().split())
        assert f"{CARD_HEADING} 112 bij direct gevaar" in text
        assert str(reader.metadata.title).startswith("Alarmkaart ")


def test_page_passes_an_adopted_and_a_concept_teams_card(example_build, tmp_path):
    _, out = example_build
    # handhaving is adopted (its card was validated in the build), belastingen a concept.
    # validate_pdf sets the PDF/A level in place: a copy, so the shared build stays as the
    # manifest recorded it.
    for team in ("handhaving", "belastingen"):
        pdf = tmp_path / f"kaart-{team}.pdf"
        shutil.copyfile(Path(out) / team / f"kaart-{team}.pdf", pdf)
        assert validate_pdf(pdf) == [], team
