"""No false hand-edit alarms after an interrupted build (issue 21, item 8): a `teamprotocol
build` killed (-9) after writing some teams' .docx leaves files the manifest does not know; the
next build must not call them "met de hand gewijzigd" nor keep backup copies of them."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from helpers.batch import TEAMPROTOCOL, VENV_BIN, required_answers, run_cli, write_team

pytestmark = pytest.mark.slow  # `teamprotocol build --no-pdf` subprocesses

TEAMS = [f"team-{i}" for i in range(8)]


def _write(forms: Path, text: str) -> None:
    for team in TEAMS:
        write_team(forms, team, required_answers(**{"team.competenties": text}))


def test_a_killed_build_causes_no_hand_edit_alarm(tmp_path):
    forms, out = tmp_path / "formulieren", tmp_path / "uit"
    args = ("build", forms, "--policy", "voorbeeld", "--out", out, "--no-pdf")
    _write(forms, "Eerste ronde.")
    assert run_cli(*args, cwd=tmp_path).returncode == 0
    manifest = (out / "manifest.json").read_bytes()
    first = (out / TEAMS[0] / f"teamprotocol-{TEAMS[0]}.docx").read_bytes()

    # Every team changes; the build is killed once the first new .docx is in place.
    _write(forms, "Tweede ronde, onderbroken.")
    env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    proc = subprocess.Popen([str(TEAMPROTOCOL), *map(str, args)], cwd=tmp_path, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    docx = out / TEAMS[0] / f"teamprotocol-{TEAMS[0]}.docx"
    deadline = time.monotonic() + 120
    while docx.read_bytes() == first and time.monotonic() < deadline:
        time.sleep(0.002)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert docx.read_bytes() != first
    # The run really was cut short: the manifest is still the first run's.
    assert (out / "manifest.json").read_bytes() == manifest

    _write(forms, "Derde ronde.")
    again = run_cli(*args, cwd=tmp_path)
    text = again.stdout + again.stderr
    assert again.returncode == 0, text
    assert "met de hand gewijzigd" not in text
    assert not list(out.glob("*/*handmatig*"))
    assert not (out / ".teamprotocol-geschreven").exists()  # the manifest knows them now

    # A real hand edit is still caught.
    docx.write_bytes(docx.read_bytes() + b"met de hand")
    _write(forms, "Vierde ronde.")
    edited = run_cli(*args, cwd=tmp_path)
    assert "met de hand gewijzigd" in edited.stdout + edited.stderr
    assert len(list(out.glob("*/*handmatig*"))) == 1
