"""The forms of many teams written by worker processes (forms/many.py): the same bytes as
written in one process, and a team that cannot be written raises its own error."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.forms.many import WORKERS_FROM, Common, TeamJob, write_many
from pipeline.models import TeamIdentity

pytestmark = pytest.mark.slow  # 40 forms, twice


def _teams(n: int) -> list[TeamJob]:
    return [TeamJob(TeamIdentity(team_id=f"team-{i:02d}", team=f"Team {i}",
                                 department=f"Afdeling {i % 3}", team_lead="L. de Vries",
                                 contact_kinds=("balie", "digitaal") if i % 2 else ("balie",)))
            for i in range(n)]


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.docx"))}


def test_workers_write_the_same_bytes_as_one_process(tmp_path):
    jobs = _teams(WORKERS_FROM + 4)
    counted: list[int] = []
    write_many(jobs, Common(tmp_path / "workers", None), done=lambda: counted.append(1),
               workers=2)
    write_many(jobs, Common(tmp_path / "one", None), done=lambda: None, workers=1)
    assert len(counted) == len(jobs)  # the progress bar's count
    workers, one = _files(tmp_path / "workers"), _files(tmp_path / "one")
    assert len(one) == sum(1 + len(j.identity.contact_kinds) for j in jobs)
    assert workers == one


def test_a_team_that_cannot_be_written_raises_its_own_error(tmp_path):
    jobs = _teams(WORKERS_FROM)
    out = tmp_path / "uit"
    out.mkdir()
    (out / jobs[3].identity.team_id).write_text("een bestand waar de map moet komen")
    with pytest.raises(FileExistsError):
        write_many(jobs, Common(out, None), done=lambda: None, workers=2)
