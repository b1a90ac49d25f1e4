"""The teams CSV: good files in the ways Excel writes them, bad rows with their line number."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import CsvError
from pipeline.forms.teams_csv import read_teams_csv

REPO = Path(__file__).resolve().parents[2]

HEADER = "team_id,team,afdeling,leidinggevende,contactvormen\n"


def test_example_csv():
    teams = read_teams_csv(REPO / "tests" / "data" / "teams.csv")
    assert [t.team_id for t in teams] == ["burgerzaken", "wijkteam-noord", "handhaving"]
    assert teams[1].contactvormen == ("huisbezoek", "digitaal", "bijeenkomsten")
    assert teams[1].leidinggevende == "Mehmet Yılmaz"


def test_dutch_excel_semicolons_and_bom(tmp_path):
    path = tmp_path / "teams.csv"
    text = ("team_id;team;afdeling;leidinggevende;contactvormen\r\n"
            'vergunningen;Vergunningen;Ruimte;José Kroes;"balie;digitaal"\r\n'
            "belastingen;Belastingen;Financiën;Ria Smit;\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    teams = read_teams_csv(path)
    assert [(t.team_id, t.contactvormen) for t in teams] == [
        ("vergunningen", ("balie", "digitaal")), ("belastingen", ())]
    assert teams[1].afdeling == "Financiën"


@pytest.mark.parametrize(("row", "message"), [
    ("../etc,T,A,L,balie", "regel 3: de team_id bevat tekens die niet in een mapnaam passen"),
    ("Burgerzaken,T,A,L,balie", "regel 3: de team_id bevat tekens die niet in een mapnaam passen"),
    ("a/b,T,A,L,balie", "regel 3: de team_id bevat tekens die niet in een mapnaam passen"),
    ("con,T,A,L,balie", "regel 3: de team_id is een naam die Windows niet toestaat voor een map"),
    ("com1,T,A,L,balie", "regel 3: de team_id is een naam die Windows niet toestaat voor een map"),
    ("x" * 41 + ",T,A,L,balie", "regel 3: de team_id is langer dan 40 tekens"),
    (",T,A,L,balie", "regel 3: de team_id is leeg"),
    ("ok,T,A,L,balie;kantine", "regel 3: onbekende contactvorm 'kantine'"),
    ("ok,T,,L,balie", "regel 3: de kolom afdeling is leeg"),
    ("ok,T,A", "regel 3: 3 kolommen in plaats van 5"),
    ("eerste,T,A,L,balie", "regel 3: de team_id komt al voor op regel 2"),
])
def test_bad_rows_name_their_line(tmp_path, row, message):
    path = tmp_path / "teams.csv"
    path.write_text(HEADER + "eerste,T,A,L,\n" + row + "\n", encoding="utf-8")
    with pytest.raises(CsvError) as info:
        read_teams_csv(path)
    assert info.value.message == message
    assert info.value.file == str(path)
    assert info.value.hint


def test_team_id_hint_explains_what_to_do(tmp_path):
    path = tmp_path / "teams.csv"
    path.write_text(HEADER + "Team 1,T,A,L,\n", encoding="utf-8")
    with pytest.raises(CsvError) as info:
        read_teams_csv(path)
    assert "kleine letters, cijfers" in info.value.hint


def test_missing_columns_and_empty_file(tmp_path):
    path = tmp_path / "teams.csv"
    path.write_text("team_id,team\nx,y\n", encoding="utf-8")
    with pytest.raises(CsvError, match="afdeling, leidinggevende, contactvormen ontbreken"):
        read_teams_csv(path)
    path.write_text("", encoding="utf-8")
    with pytest.raises(CsvError, match="leeg"):
        read_teams_csv(path)
    path.write_text(HEADER, encoding="utf-8")
    with pytest.raises(CsvError, match="geen teams"):
        read_teams_csv(path)
