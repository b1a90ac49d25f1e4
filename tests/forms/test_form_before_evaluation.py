"""A team form made before the evaluation questions (issue 24) still reads: teams that got
their forms from an earlier version are not failed for boxes their form never had."""

from __future__ import annotations

import shutil
from pathlib import Path

from pipeline.catalogue import FORMS
from pipeline.forms.read import read_form

OLD_FORM = Path(__file__).resolve().parents[1] / "data" / "klantcontactcentrum-team-by-0.3.docx"
ADDED = [f for f in FORMS["team"].fields if f.added_in is not None]


def test_a_form_without_the_evaluation_reads_without_problems(tmp_path):
    assert {f.tag for f in ADDED} >= {"team.evaluatie_datum", "team.evaluatie_naleving"}
    folder = tmp_path / "klantcontactcentrum"
    folder.mkdir()
    path = shutil.copy(OLD_FORM, folder / "team.docx")
    form = read_form(Path(path))
    for f in ADDED:
        assert form.fields.get(f.tag) is None
    added = {f.label for f in ADDED}
    assert not [p for p in form.errors + form.warnings if p.field in added]
    assert form.errors == []
    # A question that was always there is still missed when its box is gone.
    assert all(f.added_in is None for f in FORMS["team"].fields if f.required)
