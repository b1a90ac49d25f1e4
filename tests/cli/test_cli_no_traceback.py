"""No traceback anywhere (issue 21, item 11): the inputs that crashed 0.3.1 give one Dutch line
and exit 1 through the real command, and anything unforeseen gives one Dutch line with the path
of a log file holding the traceback."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.procs import ctrl_c_as_at_a_terminal
from PIL import Image

from pipeline.policy import dump_default_policy

pytestmark = pytest.mark.slow  # `teamprotocol` subprocesses

EXE = Path(sys.executable).with_name("teamprotocol")
HEADER = "team_id,team,afdeling,leidinggevende,contactvormen\n"


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(EXE), *map(str, args)], capture_output=True, text=True,
                          timeout=120, check=False, cwd=cwd)


def one_error_line(proc: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.startswith("Fout: ")]
    assert len(lines) == 1, proc.stderr
    return lines[0]


@pytest.fixture
def teams(tmp_path: Path) -> Path:
    csv = tmp_path / "teams.csv"
    csv.write_text(HEADER + "burgerzaken,Burgerzaken,Publiekszaken,Anja de Vries,balie\n",
                   encoding="utf-8")
    return csv


@pytest.mark.parametrize("date", ["2027-02-30", "2027-13-01"])
def test_an_impossible_policy_date_is_a_policy_error_naming_the_key(tmp_path, teams, date):
    policy = tmp_path / "beleid.yaml"
    dump_default_policy(policy)
    text = policy.read_text(encoding="utf-8")
    assert "due: 2027-02-28" in text
    policy.write_text(text.replace("due: 2027-02-28", f"due: {date}", 1), encoding="utf-8")
    for args in (("forms", teams, "--out", tmp_path / "formulieren"),
                 ("build", "--no-pdf", "--out", tmp_path / "uit")):
        proc = run(*args, "--policy", policy, cwd=tmp_path)
        assert proc.returncode == 1, proc.stderr
        line = one_error_line(proc)
        assert line.startswith(f"Fout: {policy} — regel "), line
        assert f"bij 'due' de datum '{date}' bestaat niet" in line
    assert not (tmp_path / "formulieren").exists()
    assert not (tmp_path / "uit").exists()


def test_a_cmyk_jpeg_logo_word_cannot_hold_is_refused_before_anything_is_written(
        tmp_path, teams):
    """Pillow opens an Adobe (CMYK) JPEG; python-docx knows a JPEG only by JFIF or Exif."""
    policy = tmp_path / "beleid.yaml"
    dump_default_policy(policy)
    Image.new("CMYK", (300, 100), (0, 100, 100, 0)).save(tmp_path / "logo.jpg", "JPEG")
    assert (tmp_path / "logo.jpg").read_bytes()[:4] == b"\xff\xd8\xff\xee"  # no JFIF header
    text = policy.read_text(encoding="utf-8")
    policy.write_text(text.replace("logo: logo.png", "logo: logo.jpg", 1), encoding="utf-8")
    for args in (("forms", teams, "--out", tmp_path / "formulieren"),
                 ("build", "--no-pdf", "--out", tmp_path / "uit")):
        proc = run(*args, "--policy", policy, cwd=tmp_path)
        assert proc.returncode == 1, proc.stderr
        line = one_error_line(proc)
        assert "branding.logo" in line
        assert "logo.jpg" in line
        assert "PNG" in line
    assert not (tmp_path / "formulieren").exists()
    assert not (tmp_path / "uit").exists()


@pytest.mark.parametrize(("row", "words"), [
    ("lang," + "Heel lang team " * 15 + ",Afd,Piet,balie", ["team", "langer dan 120 tekens"]),
    ("leeg,Leeg,Afd,Piet,", ["contactvormen", "de kolom contactvormen is leeg"]),
])
def test_a_long_team_name_or_an_empty_contact_type_cell_is_a_row_error(tmp_path, row, words):
    csv = tmp_path / "teams.csv"
    csv.write_text(HEADER + "burgerzaken,Burgerzaken,Publiekszaken,Anja,balie\n" + row + "\n",
                   encoding="utf-8")
    proc = run("forms", csv, "--out", tmp_path / "formulieren", cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    line = one_error_line(proc)
    assert "regel 3" in line
    for word in words:
        assert word in line, line
    assert not (tmp_path / "formulieren").exists()


def _catalogue_with(tmp_path: Path, stage: str) -> subprocess.CompletedProcess[str]:
    """`teamprotocol catalogue` through the real entry point, its stage replaced by the
    function `stage` that the Python code `stage` defines (breaking it from the outside)."""
    code = (f"{stage}"
            "import sys\n"
            "import pipeline.cli.catalogue as c\n"
            "c.catalogue_json = stage\n"
            "sys.argv = ['teamprotocol', 'catalogue']\n"
            "from pipeline.cli import main\nmain()\n")
    env = {"PATH": "/usr/bin:/bin", "TMPDIR": str(tmp_path), "HOME": str(tmp_path)}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=False, env=env, cwd=tmp_path,
                          preexec_fn=ctrl_c_as_at_a_terminal)


def test_an_unforeseen_error_is_one_dutch_line_and_a_log_file(tmp_path):
    """A bug of ours, provoked by breaking a stage from the outside: the user sees one line
    naming a log file; the traceback is in that file, not on the screen."""
    proc = _catalogue_with(tmp_path, "def stage():\n    raise RuntimeError('kapot')\n")
    assert proc.returncode == 70, proc.stderr
    line = one_error_line(proc)
    assert "er ging iets onverwachts mis" in line, line
    assert "(RuntimeError)" in line, line
    logs = list(tmp_path.glob("teamprotocol-fout-*.log"))
    assert len(logs) == 1
    assert str(logs[0]) in line
    log = logs[0].read_text(encoding="utf-8")
    assert "Traceback" in log
    assert "RuntimeError: kapot" in log
    assert logs[0].stat().st_mode & 0o077 == 0  # private: a traceback may quote a form


@pytest.mark.parametrize(("signum", "returncode"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_inside_a_library_that_wraps_it_is_still_an_interruption(tmp_path, signum,
                                                                          returncode):
    """Ctrl-C or SIGTERM that arrives while pydantic writes JSON comes out of it as a
    PydanticSerializationError (CI saw it in an interrupted build): still "Afgebroken." with
    the signal's exit code, not a crash log. The signal is sent from inside the serializer, so
    it lands there every time."""
    proc = _catalogue_with(tmp_path, (
        "import os\n"
        "from pydantic import BaseModel, field_serializer\n"
        "class Record(BaseModel):\n    x: int = 0\n"
        "    @field_serializer('x')\n    def _x(self, value):\n"
        f"        os.kill(os.getpid(), {int(signum)})\n        return value\n"
        "def stage():\n    return Record().model_dump_json()\n"))
    assert proc.returncode == returncode, proc.stderr
    assert proc.stderr.strip() == "Afgebroken.", proc.stderr
    assert list(tmp_path.glob("teamprotocol-fout-*.log")) == []
