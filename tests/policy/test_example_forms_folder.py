"""The committed `forms/` folder is what `scripts/make_example_forms.py` writes, and `build`
reads it as the embedded example teams."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.golden import assert_same_files, difference

from pipeline.batch import BuildOptions, build_all
from pipeline.examples import write_example_forms

pytestmark = pytest.mark.slow  # writes and builds every example team twice

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "make_example_forms.py"
REGENERATE = "voer '.venv/bin/python scripts/make_example_forms.py' uit en commit forms/"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_forms_folder_is_up_to_date(tmp_path):
    fresh = tmp_path / "forms"
    proc = subprocess.run([sys.executable, str(SCRIPT), str(fresh)], capture_output=True,
                          text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    committed, made = _files(REPO / "forms"), _files(fresh)
    assert sorted(committed) == sorted(made), REGENERATE
    stale = [name for name in made if committed[name] != made[name]]
    assert stale == [], (f"verouderd: {', '.join(stale)}; {REGENERATE}\n"
                         + str(difference(made[stale[0]], committed[stale[0]], stale[0])))


def test_build_of_the_forms_folder_equals_the_embedded_examples(tmp_path):
    """The committed forms and the embedded examples (`write_example_forms`, what `build`
    without a folder writes) give the same documents; built in this process, without PDFs
    (the command line's own path is `tests/batch`'s `cli_demo`)."""
    today = dt.date(2027, 1, 1)
    embedded = tmp_path / "voorbeelden"
    write_example_forms(embedded)
    for forms, out in ((REPO / "forms", tmp_path / "map"), (embedded, tmp_path / "ingebouwd")):
        report = build_all(BuildOptions(forms_dir=forms, out_dir=out, pdf=False, today=today))
        assert report.failed == [], [p.format() for r in report.failed for p in r.problems]
    docx = {p.relative_to(tmp_path / "map").as_posix(): p.read_bytes()
            for p in (tmp_path / "map").glob("*/*.docx")}
    assert len(docx) == 14  # per team the protocol and its alarm card (kaart-<team>.docx)
    assert_same_files(docx, {p.relative_to(tmp_path / "ingebouwd").as_posix(): p.read_bytes()
                             for p in (tmp_path / "ingebouwd").glob("*/*.docx")})
