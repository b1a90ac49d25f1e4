"""Every path checked before anything moves (issue 21, item 4), through `teamprotocol build`: a
team folder in `--out` that is a symbolic link is refused with its own message, and nothing
outside `--out` is renamed, written or removed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers.batch import required_answers, run_cli, write_team

from pipeline.errors import OutputError
from pipeline.files import ensure_inside

pytestmark = pytest.mark.slow  # `teamprotocol build --no-pdf` subprocesses


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_symlinked_team_folder_is_refused_and_nothing_outside_moves(tmp_path):
    forms, out = tmp_path / "formulieren", tmp_path / "uit"
    write_team(forms, "balie", required_answers())
    args = ("build", forms, "--policy", "voorbeeld", "--out", out, "--no-pdf")
    first = run_cli(*args, cwd=tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr

    # Someone replaced the team's output folder by a link to a folder elsewhere, holding a
    # .docx that differs from the one the manifest knows (what a hand edit looks like).
    elsewhere = tmp_path / "elders"
    shutil.copytree(out / "balie", elsewhere)
    (elsewhere / "teamprotocol-balie.docx").write_bytes(b"iemands eigen document")
    shutil.rmtree(out / "balie")
    (out / "balie").symlink_to(elsewhere, target_is_directory=True)
    before = _tree(elsewhere)

    proc = run_cli(*args, "--force", cwd=tmp_path)
    text = proc.stdout + proc.stderr
    assert proc.returncode == 1, text
    assert "Traceback" not in text
    assert "is een snelkoppeling (symbolische link)" in text
    assert "'..'" not in text  # not blamed on the team id
    assert _tree(elsewhere) == before  # nothing renamed, written or removed outside --out


def test_ensure_inside_names_a_symlink_on_the_way(tmp_path):
    out, elsewhere = tmp_path / "uit", tmp_path / "elders"
    out.mkdir()
    elsewhere.mkdir()
    (out / "archief").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(OutputError, match="via een snelkoppeling") as info:
        ensure_inside(out, Path("archief/x.pdf"))
    assert "'..'" not in str(info.value)
    with pytest.raises(OutputError, match="valt buiten de uitvoermap"):
        ensure_inside(out, Path("../x.pdf"))


def test_forms_never_write_through_a_symlinked_team_folder(tmp_path):
    csv = tmp_path / "teams.csv"
    csv.write_text("team_id,team,afdeling,leidinggevende,contactvormen\n"
                   "balie,Balie,Publiekszaken,L. Eiding,balie\n", encoding="utf-8")
    out, elsewhere = tmp_path / "formulieren", tmp_path / "elders"
    out.mkdir()
    elsewhere.mkdir()
    (out / "balie").symlink_to(elsewhere, target_is_directory=True)
    proc = run_cli("forms", csv, "--out", out, cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert "via een snelkoppeling (symbolische link)" in proc.stderr
    assert list(elsewhere.iterdir()) == []  # nothing written outside --out
