"""A team named like a spreadsheet formula, through the real `teamprotocol forms` and `build`.

openpyxl stores a string that starts with `=` as a formula unless told otherwise, so a team
lead (or a CSV) could put a live `=HYPERLINK(…)` into the coordinator's workbook.
"""

from __future__ import annotations

import csv
import html
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.slow  # `teamprotocol forms` and `build` as subprocesses

BIN = Path(sys.executable).parent
NAME = '=HYPERLINK("http://x","y")'


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run([str(BIN / "teamprotocol"), *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def test_a_team_named_like_a_formula_stays_text(tmp_path):
    with (tmp_path / "teams.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["team_id", "team", "afdeling", "leidinggevende", "contactvormen"])
        writer.writerow(["formule", NAME, "@Afdeling", "+31 6 1234", "balie"])
    forms = run("forms", "teams.csv", "--out", "formulieren", cwd=tmp_path)
    assert forms.returncode == 0, forms.stdout + forms.stderr
    built = run("build", "formulieren", "--policy", "voorbeeld", "--out", "uit", "--no-pdf",
                cwd=tmp_path)
    assert built.returncode == 0, built.stdout + built.stderr

    book = load_workbook(tmp_path / "uit" / "overzicht.xlsx")
    cells = [c for ws in book for row in ws.iter_rows() for c in row if c.value == NAME]
    assert {c.parent.title for c in cells} >= {"Overzicht", "Open acties"}
    assert all(c.data_type == "s" for c in cells)
    with zipfile.ZipFile(tmp_path / "uit" / "overzicht.xlsx") as zf:
        sheets = [n for n in zf.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)]
        assert len(sheets) == len(book.sheetnames)
        for name in sheets:
            assert b"<f>" not in zf.read(name), name  # no formula anywhere
    page = (tmp_path / "uit" / "overzicht.html").read_text(encoding="utf-8")
    assert NAME not in page  # its quotes are escaped ...
    assert NAME in html.unescape(page)  # ... and it reads as typed
