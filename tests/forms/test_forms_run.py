"""`forms.run.make_forms`: the whole forms run as one function (the command only prints)."""

from __future__ import annotations

from pipeline.forms.run import make_forms

CSV = ("team_id,team,afdeling,leidinggevende,contactvormen\n"
       "burgerzaken,Burgerzaken,Publiekszaken,Anja de Vries,balie\n")


def test_the_forms_run_writes_every_teams_forms_and_keeps_existing_ones(tmp_path):
    teams_csv = tmp_path / "teams.csv"
    teams_csv.write_text(CSV, encoding="utf-8")
    out = tmp_path / "formulieren"
    seen: list[object] = []

    def progress(total: int):
        seen.append(total)
        return lambda: seen.append("team")

    run = make_forms(teams_csv, out, progress=progress)
    assert [t.team_id for t in run.teams] == ["burgerzaken"]
    assert run.found is None
    assert sorted(p.name for p in run.done.written) == ["balie.docx", "team.docx"]
    assert all(p.parent == out / "burgerzaken" and p.is_file() for p in run.done.written)
    assert seen == [1, "team"]

    again = make_forms(teams_csv, out)  # forms that exist may hold answers: kept
    assert again.done.written == again.done.replaced == []
    assert sorted(p.name for p in again.done.skipped) == ["balie.docx", "team.docx"]
