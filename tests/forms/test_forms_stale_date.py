"""A date picker's visible text decides, never its stale hidden date (issue 21, item 5).

LibreOffice 25.2 keeps a date control's `w:fullDate` when text is typed over the date
(measured: "nog niet gepland" over 18-11-2028 was read as 2028-11-18). The forms here are our
own writer's, with the text typed over the control as Word and LibreOffice store it, and the
same forms as LibreOffice 7.4 saved them (`tests/data/lo74/`); read through
`teamprotocol check --json` and `check`."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.batch import adopted_answers, required_answers, write_team
from helpers.forms_wordfill import edit_docx, fill_text

pytestmark = pytest.mark.slow  # `teamprotocol check` subprocesses

EXE = Path(sys.executable).with_name("teamprotocol")
TAG = "team.volgende_evaluatie"
HIDDEN = dt.date(2028, 11, 18)


def _check(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(EXE), "check", *args, str(path)], capture_output=True,
                          text=True, timeout=60, check=False)


@pytest.fixture
def team_form(tmp_path) -> Path:
    write_team(tmp_path / "formulieren", "balie", required_answers(**{TAG: HIDDEN}))
    return tmp_path / "formulieren" / "balie" / "team.docx"


@pytest.mark.parametrize(("typed", "expected", "warned"), [
    ("nog niet gepland", None, True),      # not a date: no answer, and a warning why
    ("1-2-2029", "2029-02-01", False),      # another date typed: the text decides
    ("18 november 2028", "2028-11-18", False),
    ("November 18, 2028", "2028-11-18", False),  # the same date in a format we do not parse
])
def test_the_visible_text_of_a_date_picker_decides(team_form, tmp_path, typed, expected,
                                                   warned):
    form = edit_docx(team_form, tmp_path / "team.docx", lambda r: fill_text(r, TAG, typed))
    proc = _check(form, "--json")
    assert "Traceback" not in proc.stderr
    data = json.loads(proc.stdout)
    assert data["fields"][TAG] == expected
    stale = [w for w in data["warnings"] if w["tag"] == TAG and "datumkiezer" in w["message"]]
    assert bool(stale) == warned
    if warned:
        text = _check(form).stdout  # the plain report shows the reason too
        assert "in de datumkiezer staat tekst die geen datum is" in text


LO74 = Path(__file__).parent.parent / "data" / "lo74"


@pytest.mark.parametrize(("name", "expected", "warned"), [
    ("stale-tekst", None, True),
    ("stale-andere-datum", "2029-02-01", False),
    ("stale-zelfde-datum", "2028-11-18", False),
])
def test_the_visible_text_decides_in_a_form_saved_by_libreoffice_7_4(name, expected, warned):
    """7.4 keeps the stale hidden date too (and loses some controls' tags, which the reader
    recovers with a warning): the text still decides."""
    data = json.loads(_check(LO74 / f"{name}.docx", "--json").stdout)
    assert "LibreOffice 7.4" in data["application"]
    assert data["fields"][TAG] == expected
    stale = [w for w in data["warnings"] if w["tag"] == TAG and "datumkiezer" in w["message"]]
    assert bool(stale) == warned


def test_a_stale_adoption_date_saved_by_libreoffice_7_4_is_no_adoption_date():
    data = json.loads(_check(LO74 / "stale-vastgesteld.docx", "--json").stdout)
    assert data["fields"]["team.vastgesteld_op"] is None
    assert any(e["tag"] == "team.vastgesteld_op" for e in data["adoption"]), data


def test_a_stale_adoption_date_does_not_pass_the_adoption_gates(tmp_path):
    write_team(tmp_path / "formulieren", "balie", adopted_answers())
    form = edit_docx(tmp_path / "formulieren" / "balie" / "team.docx", tmp_path / "team.docx",
                     lambda r: fill_text(r, "team.vastgesteld_op", "nog niet"))
    data = json.loads(_check(form, "--json").stdout)
    assert data["fields"]["team.vastgesteld_op"] is None
    assert any(e["tag"] == "team.vastgesteld_op" for e in data["adoption"]), data
