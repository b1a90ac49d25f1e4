"""An unchanged rebuild makes neither the overview nor the agenda again to find them the same
(`run._unchanged_key`): while every team is unchanged and the shared inputs and the day are
as last time, the files stay as they are; anything else makes them again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from helpers.batch import TODAY, build, required_answers, write_team

from pipeline import report
from pipeline.batch import BuildOptions, build_all, run
from pipeline.report import HTML

pytestmark = pytest.mark.slow


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many teams each overview made since the fixture began was made of."""
    seen: list[int] = []
    real = report.build_overview

    def counted(results, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        seen.append(len(results))
        return real(results, *args, **kwargs)

    monkeypatch.setattr(report, "build_overview", counted)
    return seen


def test_an_unchanged_rebuild_makes_no_overview(tmp_path: Path, made: list[int],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    forms, out = tmp_path / "formulieren", tmp_path / "output"
    for team_id in ("alfa", "beta"):
        write_team(forms, team_id, required_answers())
    build(forms, out, pdf=False)
    assert made == [2]
    agenda = []
    monkeypatch.setattr(run, "agenda_key", lambda *a: agenda.append(a) or "")
    page = (out / HTML).read_bytes()

    # Nothing made, also right after the build: the same teams (built then, 'ongewijzigd'
    # now, which the overview does not show), inputs and day as last time.
    for _ in range(2):
        build(forms, out, pdf=False)
        assert made == [2]
        assert agenda == []
        assert (out / HTML).read_bytes() == page

    (out / HTML).unlink()  # a file gone is written again
    build(forms, out, pdf=False)
    assert made == [2, 2]
    assert (out / HTML).read_bytes() == page

    (out / "agenda.ics").write_text("bewerkt", encoding="utf-8")  # and so is the agenda
    build(forms, out, pdf=False)
    assert "BEGIN:VCALENDAR" in (out / "agenda.ics").read_text(encoding="utf-8")
    assert (out / HTML).read_bytes() == page

    build_all(BuildOptions(forms_dir=forms, out_dir=out, pdf=False,
                           today=TODAY + dt.timedelta(days=1)))  # another day
    assert made[-1] == 2
    assert len(made) == 4
