"""write_overview: numbers match the protocols; xlsx read back with openpyxl; html escaped."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from openpyxl import load_workbook

from pipeline.catalogue import CHAPTERS
from pipeline.models import Problem, Status, TeamResult
from pipeline.report import HTML, XLSX, failure_rows, overview_rows, write_overview
from tests.render.conftest import make_protocol

TODAY = dt.date(2027, 3, 1)


@pytest.fixture
def results() -> list[TeamResult]:
    late = make_protocol(team="Wijkteam <Noord> & Zuid", team_id="wijkteam")
    ok = make_protocol(status="vastgesteld", team_id="burgerzaken")
    ok.meta.next_evaluation = dt.date(2028, 1, 1)
    for item in ok.annex.items:
        if item.status is not Status.NVT:
            item.status = Status.GEREGELD
    failed = TeamResult(team_id="belastingen", status="mislukt", problems=[
        Problem(file="belastingen/team.docx", field="Vastgesteld op",
                message="de status is 'vastgesteld' maar dit veld is leeg",
                hint="Vul het in, of zet de status op 'concept'")])
    return [TeamResult(team_id="wijkteam", team=late.meta.team, status="gebouwd", protocol=late),
            TeamResult(team_id="burgerzaken", team=ok.meta.team, status="gebouwd", protocol=ok),
            failed]


def test_rows_match_protocols(results):
    rows = {r["team_id"]: r for r in overview_rows(results, TODAY)}
    late = results[0].protocol
    for number in CHAPTERS:
        items = [i for i in late.annex.items if i.chapter == number and i.status is not Status.NVT]
        done = sum(i.status is Status.GEREGELD for i in items)
        assert rows["wijkteam"]["chapters"][number] == pytest.approx(done / len(items))
    assert rows["wijkteam"]["open"] == sum(
        i.status in (Status.DEELS, Status.ONTBREEKT) for i in late.annex.items)
    assert rows["wijkteam"]["overdue"] is True  # 20 januari 2027 < 1 maart 2027
    assert rows["wijkteam"]["status"] == "concept"
    assert rows["burgerzaken"]["open"] == 0
    assert rows["burgerzaken"]["chapters"][1] == 1.0
    assert rows["burgerzaken"]["overdue"] is False
    assert rows["belastingen"]["build"] == "mislukt"
    assert rows["belastingen"]["open"] is None


def test_failures_name_file_field_message(results):
    [failure] = failure_rows(results)
    assert failure["file"] == "belastingen/team.docx"
    assert failure["field"] == "Vastgesteld op"
    assert failure["message"].startswith("de status is 'vastgesteld'")
    assert failure["message"].endswith("zet de status op 'concept'.")


def test_xlsx_read_back(results, tmp_path):
    paths = write_overview(results, tmp_path, today=TODAY)
    assert [p.name for p in paths] == [XLSX, HTML]
    assert not list(tmp_path.glob(".*.tmp"))
    wb = load_workbook(tmp_path / XLSX)
    ws = wb["Overzicht"]
    header = [c.value for c in ws[2]]
    assert header[4] == "1. Visie op veilige publieke dienstverlening"
    rows = {ws.cell(r, 2).value: [c.value for c in ws[r]] for r in range(3, ws.max_row + 1)}
    expected = {r["team_id"]: r for r in overview_rows(results, TODAY)}
    for team_id, values in rows.items():
        assert values[3] == expected[team_id]["open"]
        want = [expected[team_id]["chapters"][n] for n in CHAPTERS]
        assert [v if v is None else pytest.approx(v) for v in want] == values[4:10]
    assert rows["wijkteam"][0] == "Wijkteam <Noord> & Zuid"
    assert rows["wijkteam"][-1] == "20 januari 2027 (verlopen)"
    assert rows["belastingen"][2] == "mislukt"
    assert ws.conditional_formatting  # the heatmap colour scale
    problems = wb["Problemen"]
    assert [c.value for c in problems[2]][:3] == [
        "belastingen", "belastingen/team.docx", "Vastgesteld op"]


def test_html_escaped_and_self_contained(results, tmp_path):
    write_overview(results, tmp_path, today=TODAY)
    page = (tmp_path / HTML).read_text(encoding="utf-8")
    assert html.escape("Wijkteam <Noord> & Zuid") in page
    assert "<Noord>" not in page
    assert "(verlopen)" in page
    assert "belastingen/team.docx" in page
    assert "<script" not in page
    assert "http" not in page  # nothing fetched from elsewhere
    assert 'lang="nl"' in page
    assert "Stand van 1 maart 2027" in page
