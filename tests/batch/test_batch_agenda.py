"""Calendar events keep their identity (issue 21, item 9), through `teamprotocol build`: an
action's UID comes from the team and the action, not its date; a moved date is the same event
with a higher SEQUENCE; a done action is cancelled; a failed team keeps its events. Every file
is parsed back with `icalendar`."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from helpers.batch import required_answers, run_cli, write_team
from icalendar import Calendar

pytestmark = pytest.mark.slow  # `teamprotocol build --no-pdf` subprocesses

ACTION = "Alarmknop testen"


def _build(root: Path, due: dt.date | None, *, broken: bool = False) -> dict[str, dict]:
    """Write the team's forms (one action due on `due`, none when None), build, and return
    the agenda's events by summary."""
    forms = root / "formulieren"
    shutil.rmtree(forms, ignore_errors=True)
    actions = [] if due is None else [{"wat": ACTION, "onderdeel": "N7",
                                       "eigenaar": "L. Eiding", "datum": due}]
    write_team(forms, "balie", required_answers(**{"team.acties": actions}))
    if broken:
        (forms / "balie" / "team.docx").write_bytes(b"geen Word-bestand")
    proc = run_cli("build", forms, "--policy", "voorbeeld", "--out", root / "uit", "--no-pdf",
                   cwd=root)
    assert proc.returncode == (1 if broken else 0), proc.stdout + proc.stderr
    cal = Calendar.from_ical((root / "uit" / "agenda.ics").read_bytes())
    assert str(cal["METHOD"]) == "PUBLISH"
    events = {}
    for e in cal.walk("VEVENT"):
        summary = str(e["SUMMARY"])
        assert summary not in events, f"{summary} twice"
        events[summary] = {"uid": str(e["UID"]), "start": e.decoded("DTSTART"),
                           "sequence": int(e["SEQUENCE"]), "status": str(e["STATUS"])}
    return events


def test_a_moved_action_is_updated_and_a_done_one_cancelled(tmp_path):
    summary = f"Team balie: N7 – {ACTION}"
    first = _build(tmp_path, dt.date(2027, 6, 1))[summary]
    assert first["sequence"] == 0
    assert first["status"] == "CONFIRMED"
    assert _build(tmp_path, dt.date(2027, 6, 1))[summary] == first  # unchanged: same event

    moved = _build(tmp_path, dt.date(2027, 7, 1))
    assert moved[summary] == {**first, "start": dt.date(2027, 7, 1), "sequence": 1}
    assert [s for s in moved if ACTION in s] == [summary]  # the old date is gone, not doubled

    # The team's own build fails: its events stay as they were, nothing is cancelled.
    failed = _build(tmp_path, dt.date(2027, 7, 1), broken=True)
    assert failed[summary] == moved[summary]

    done = _build(tmp_path, None)[summary]  # the action is done: no longer in the annex
    assert done == {**moved[summary], "sequence": 2, "status": "CANCELLED"}
    again = _build(tmp_path, None)[summary]
    assert again == done  # a cancellation is not raised again by every run
