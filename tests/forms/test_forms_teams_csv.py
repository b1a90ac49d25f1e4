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
    assert teams[1].contact_kinds == ("huisbezoek", "digitaal", "bijeenkomsten")
    assert teams[1].team_lead == "Mehmet Yılmaz"


def test_dutch_excel_semicolons_and_bom(tmp_path):
    path = tmp_path / "teams.csv"
    text = ("team_id;team;afdeling;leidinggevende;contactvormen\r\n"
            'vergunningen;Vergunningen;Ruimte;José Kroes;"balie;digitaal"\r\n'
            "belastingen;Belastingen;Financiën;Ria Smit;digitaal\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    teams = read_teams_csv(path)
    assert [(t.team_id, t.contact_kinds) for t in teams] == [
        ("vergunningen", ("balie", "digitaal")), ("belastingen", ("digitaal",))]
    assert teams[1].department == "Financiën"


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
    path.write_text(HEADER + "eerste,T,A,L,balie\n" + row + "\n", encoding="utf-8")
    with pytest.raises(CsvError) as info:
        read_teams_csv(path)
    assert info.value.message == message
    assert info.value.file == str(path)
    assert info.value.hint


def test_team_id_hint_explains_what_to_do(tmp_path):
    path = tmp_path / "teams.csv"
    path.write_text(HEADER + "Team 1,T,A,L,balie\n", encoding="utf-8")
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


def test_every_problem_of_a_bad_row_is_named(tmp_path):
    """A row is checked as a whole (pydantic `TeamRow`): each bad column its own problem, in
    column order, with its own hint; the one line shown counts the others."""
    path = tmp_path / "teams.csv"
    path.write_text(HEADER + "goed,T,A,L,balie\nok,T,,  ,balie;kantine\n", encoding="utf-8")
    with pytest.raises(CsvError) as info:
        read_teams_csv(path)
    problems = info.value.problems
    assert [(p.field, p.message) for p in problems] == [
        ("afdeling", "regel 3: de kolom afdeling is leeg"),
        ("leidinggevende", "regel 3: de kolom leidinggevende is leeg"),
        ("contactvormen", "regel 3: onbekende contactvorm 'kantine'"),
    ]
    assert all(p.file == str(path) for p in problems)
    assert problems[0].hint == "Vul de kolom in; deze gegevens komen op de formulieren"
    assert problems[2].hint == ("Kies uit balie, huisbezoek, digitaal, bijeenkomsten, "
                                "gescheiden door ';'")
    # The one line printed names all three, so one round of corrections fixes the row.
    assert info.value.format() == (
        f"{path} — regel 3: 3 fouten: afdeling: de kolom afdeling is leeg; leidinggevende: de "
        "kolom leidinggevende is leeg; contactvormen: onbekende contactvorm 'kantine'. Verbeter "
        "de regel in de lijst met teams en voer de opdracht opnieuw uit.")


def test_a_repeated_team_id_comes_first(tmp_path):
    path = tmp_path / "teams.csv"
    path.write_text(HEADER + "een,T,A,L,balie\neen,T,A,,balie\n", encoding="utf-8")
    with pytest.raises(CsvError) as info:
        read_teams_csv(path)
    assert [p.message for p in info.value.problems] == [
        "regel 3: de team_id komt al voor op regel 2", "regel 3: de kolom leidinggevende is leeg"]


def test_contact_types_in_any_case_once_each(tmp_path):
    path = tmp_path / "teams.csv"
    path.write_text(HEADER + 'een,T,A,L,"Balie, DIGITAAL;balie ; "\n', encoding="utf-8")
    assert read_teams_csv(path)[0].contact_kinds == ("balie", "digitaal")
