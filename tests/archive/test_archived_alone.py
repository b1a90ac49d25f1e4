"""A PDF of this program alone in the archive, without its protocol.json: a run stopped
between copying the adopted PDF and writing its records. The archive index reads its version
number from the title page ("1.2, 15 september 2026" since 0.3), so the next run sees the
version it is building, not a previous adoption that would ask for a new team meeting and
an evaluation (a test run that interrupted a batch failed the team that way)."""

from __future__ import annotations

import shutil
from pathlib import Path

from pipeline.history import legacy_versions, lone_pdfs
from pipeline.text import parse_version

# A protocol LibreOffice made of a 0.4 .docx (tests/data/lost-row): its title page says
# "Versie 1.2, 15 september 2026" and "Vastgesteld op 15 september 2026".
PDF = Path(__file__).parents[1] / "data" / "lost-row" / "teamprotocol-burgerzaken-0049.pdf"


def test_a_pdf_archived_without_its_records_is_read_as_its_own_version(tmp_path: Path) -> None:
    archived = tmp_path / "lindenhoven_burgerzaken-0049_teamprotocol_1.2_2026-09-15.pdf"
    shutil.copy(PDF, archived)
    assert lone_pdfs(tmp_path) == [archived]
    (version,) = legacy_versions(lone_pdfs(tmp_path), "burgerzaken-0049")
    assert version.meta.version == "1.2"
    assert parse_version(version.meta.version) == parse_version("1.2")
    assert version.meta.adopted_on.isoformat() == "2026-09-15"
