"""The committed `forms/` folder is what `scripts/make_example_forms.py` writes, and `build`
reads it as the embedded example teams."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "make_example_forms.py"
EXE = Path(sys.executable).with_name("teamprotocol")
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
    assert stale == [], f"verouderd: {', '.join(stale)}; {REGENERATE}"


def test_build_of_the_forms_folder_equals_the_embedded_examples(tmp_path):
    folder = subprocess.run([str(EXE), "build", "forms", "--policy", "voorbeeld", "--no-pdf",
                             "--out", str(tmp_path / "map")], cwd=REPO, capture_output=True,
                            text=True, timeout=300, check=False)
    embedded = subprocess.run([str(EXE), "build", "--no-pdf", "--out",
                               str(tmp_path / "ingebouwd")], cwd=REPO, capture_output=True,
                              text=True, timeout=300, check=False)
    assert folder.returncode == embedded.returncode == 0, folder.stdout + folder.stderr
    docx = {p.relative_to(tmp_path / "map").as_posix(): p.read_bytes()
            for p in (tmp_path / "map").glob("*/*.docx")}
    assert len(docx) == 7
    assert docx == {p.relative_to(tmp_path / "ingebouwd").as_posix(): p.read_bytes()
                    for p in (tmp_path / "ingebouwd").glob("*/*.docx")}
