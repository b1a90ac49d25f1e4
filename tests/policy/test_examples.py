"""The example teams: valid against the catalogue, varied, and written as real Word forms."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from pipeline.catalogue import FIELDS_BY_TAG, FORMS, TEAM_KIND, FieldType
from pipeline.errors import FormError
from pipeline.examples import (
    check_answers,
    example_teams,
    example_teams_path,
    load_example_teams,
    write_example_forms,
)
from pipeline.forms.folder import read_team_folder
from pipeline.models import TeamIdentity

TEAMS = example_teams()
IDENTITY = TeamIdentity(team_id="t", team="T", department="A", team_lead="L",
                        contact_kinds=("balie",))


def required_empty(answers: dict[str, dict]) -> int:
    """How many required fields of a team's forms have no answer (identity fields excluded)."""
    return sum(1 for kind, spec in FORMS.items() if kind == TEAM_KIND or kind in answers
               for f in spec.fields if f.required and not f.prefill
               and answers.get(kind, {}).get(f.tag) in (None, "", []))


def test_at_least_six_teams_with_different_contact_mixes():
    assert len(TEAMS) >= 6
    mixes = {frozenset(identity.contact_kinds) for identity, _ in TEAMS}
    assert len(mixes) >= 5
    assert all(k in {k for m in mixes for k in m}
               for k in ("balie", "huisbezoek", "digitaal", "bijeenkomsten"))


def test_every_answer_has_the_catalogue_type():
    for identity, by_kind in TEAMS:
        for kind, answers in by_kind.items():
            assert kind == TEAM_KIND or kind in identity.contact_kinds
            for tag, value in answers.items():
                field = FIELDS_BY_TAG[tag]
                expected = {FieldType.TEXT: str, FieldType.MULTILINE: str, FieldType.CHOICE: str,
                            FieldType.CHECKBOX: bool, FieldType.DATE: dt.date,
                            FieldType.ROWS: list}[field.type]
                assert isinstance(value, expected), (identity.team_id, tag)
                if field.type is FieldType.CHOICE:
                    assert value in field.choices


def test_an_adopted_team_and_a_clearly_incomplete_one():
    adopted = [a[TEAM_KIND] for _, a in TEAMS if a[TEAM_KIND].get("team.status") == "vastgesteld"]
    assert adopted
    for team in adopted:
        assert team["team.vastgesteld_door"]
        assert isinstance(team["team.vastgesteld_op"], dt.date)
    incomplete = [(i, a) for i, a in TEAMS if required_empty(a) >= 8]
    assert incomplete
    for _, answers in incomplete:
        assert answers[TEAM_KIND]["team.status"] == "concept"


def test_special_characters_appear_naturally():
    texts = [identity.team for identity, _ in TEAMS]
    texts += [str(v) for _, a in TEAMS for answers in a.values() for v in answers.values()]
    assert any("&" in t for t in texts)
    assert any("<" in t for t in texts)


@pytest.mark.parametrize(("answers", "where", "message"), [
    ({"balie.kleur": "x"}, "", "onbekend veld"),
    ({"team.status": "klaar"}, "", "een van deze waarden zijn: concept, vastgesteld"),
    ({"balie.camera": True}, "", "een van deze waarden zijn: ja, nee, deels, weet ik niet"),
    ({"balie.locaties": "Stadskantoor"}, "", "moet een lijst zijn"),
    ({"balie.locaties": [{"naam": "A", "plaats": "B"}]}, "[1].plaats",
     "onbekende sleutel.*toegestaan zijn: adres, naam, openingstijden"),
    ({"balie.locaties": [{"naam": 3}]}, "[1].naam", "moet een tekst zijn"),
    ({"balie.alarmopvolging": 5}, "", "tekst"),
])
def test_wrong_answers_are_refused(answers, where, message):
    """Each refused in Dutch by the catalogue's model, naming team, tag and row/column."""
    kind = next(iter(answers)).split(".")[0]
    with pytest.raises(FormError, match=message) as info:
        check_answers(kind, answers, file="x.yaml", identity=IDENTITY)
    assert info.value.field == f"t: {next(iter(answers))}{where}"
    assert info.value.file == "x.yaml"
    assert info.value.hint


def test_date_must_be_a_date():
    with pytest.raises(FormError, match="datum"):
        check_answers("team", {"team.teamoverleg": "1 maart"}, file="x.yaml", identity=IDENTITY)


def test_locked_and_identity_fields_are_refused():
    with pytest.raises(FormError, match="vastgestelde organisatietekst"):
        check_answers("team", {"team.organisatienorm": "x"}, file="x.yaml", identity=IDENTITY)
    with pytest.raises(FormError, match="teamgegevens"):
        check_answers("team", {"team.team": "x"}, file="x.yaml", identity=IDENTITY)


def test_answers_for_a_contact_type_the_team_lacks():
    with pytest.raises(FormError, match="die contactvorm heeft het team niet"):
        check_answers("huisbezoek", {}, file="x.yaml", identity=IDENTITY)


def test_bad_team_id_in_examples_file(tmp_path):
    data = yaml.safe_load(example_teams_path().read_text(encoding="utf-8"))
    data["teams"][0]["team_id"] = "../buiten"
    path = tmp_path / "teams.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(FormError, match="mapnaam"):
        load_example_teams(path)


@pytest.mark.slow
def test_example_forms_are_written_and_read_back(tmp_path: Path):
    written = write_example_forms(tmp_path)
    expected = {(i.team_id, k) for i, a in TEAMS for k in (TEAM_KIND, *i.contact_kinds)}
    assert {(p.parent.name, p.stem) for p in written} == expected
    for identity, by_kind in TEAMS:
        forms, problems = read_team_folder(tmp_path / identity.team_id)
        # Only the required questions the (partly incomplete) examples leave open, and the
        # answers that arrange nothing, which the examples show on purpose.
        from pipeline import answers as rule
        from pipeline.catalogue import FIELDS_BY_TAG

        arranges_nothing = {rule.verdict(FIELDS_BY_TAG[p.tag], forms.forms[p.tag.split(".")[0]]
                                         .fields.get(p.tag)).reason
                            for p in problems if p.tag in FIELDS_BY_TAG}
        assert all(p.message == "nog niet ingevuld" or p.message in arranges_nothing
                   for p in problems), [p.message for p in problems]
        for kind, answers in by_kind.items():
            data = forms.forms[kind]
            assert data.errors == []
            for tag, value in answers.items():
                got = data.fields[tag]
                if FIELDS_BY_TAG[tag].type is FieldType.ROWS:
                    got = [r for r in got if any(r.values())]  # blank rows the form adds
                    value = [{k: r.get(k) for k in got[0]} for r in value] if got else value
                assert got == value, (identity.team_id, tag)


def _examples_file(tmp_path: Path, edit) -> Path:
    """The embedded example teams file with `edit(data)` applied, written to `tmp_path`."""
    data = yaml.safe_load(example_teams_path().read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "teams.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_examples_file_refused_in_dutch_with_every_problem(tmp_path):
    """The file is one pydantic model (`ExampleTeams`): every bad key is named at once, by
    its path in the file, with what to do."""
    def edit(data):
        data["teams"][0]["kleur"] = "blauw"
        del data["teams"][1]["afdeling"]
        data["teams"][2]["contactvormen"] = ["balie", "kantine"]
        data["teams"][3]["team"] = ""
    path = _examples_file(tmp_path, edit)
    with pytest.raises(FormError) as info:
        load_example_teams(path)
    found = [(p.field, p.message) for p in info.value.problems]
    assert found == [
        ("teams[1].kleur", "onbekende sleutel"),
        ("teams[2].afdeling", "verplicht veld ontbreekt"),
        ("teams[3].contactvormen", "onbekende contactvorm 'kantine'"),
        ("teams[4].team", "de kolom team is leeg"),
    ]
    assert all(p.file == str(path) for p in info.value.problems)
    hints = [p.hint for p in info.value.problems]
    assert "toegestaan zijn: afdeling, antwoorden, contactvormen" in hints[0]
    assert hints[2].startswith("Kies uit balie, huisbezoek, digitaal, bijeenkomsten")
    assert "gescheiden" not in hints[2]  # a YAML list, not a CSV cell


def test_examples_file_without_teams_or_with_other_keys(tmp_path):
    path = _examples_file(tmp_path, lambda data: data.update(teams=[]))
    with pytest.raises(FormError, match="minstens 1 onderdeel") as info:
        load_example_teams(path)
    assert info.value.field == "teams"
    path = _examples_file(tmp_path, lambda data: data.update(versie=2))
    with pytest.raises(FormError, match="onbekende sleutel") as info:
        load_example_teams(path)
    assert info.value.field == "versie"


def test_every_wrong_answer_of_a_form_is_named():
    answers = {"team.kleur": "x", "team.status": "klaar", "team.teamoverleg": "2026-10-01",
               "team.acties": [{"wat": "X", "datum": "morgen"}], "team.versie": "2.0"}
    with pytest.raises(FormError) as info:
        check_answers("team", answers, file="x.yaml", identity=IDENTITY)
    assert [(p.field, p.message.split(":")[0]) for p in info.value.problems] == [
        ("t: team.kleur", "onbekend veld voor formulier 'team'"),
        ("t: team.status", "moet een van deze waarden zijn"),
        # A date is a YAML date: text that looks like one is refused, as before.
        ("t: team.teamoverleg", "moet een datum zijn als 2027-06-30"),
        ("t: team.acties[1].datum", "moet een datum zijn als 2027-06-30"),
    ]


def test_valid_answers_come_back_as_given():
    rows = [{"wat": "X", "eigenaar": None}]
    answers = {"team.acties": rows, "team.vastgesteld_op": dt.date(2026, 10, 1),
               "team.status": None}
    assert check_answers("team", answers, file="x.yaml", identity=IDENTITY) == answers


def test_a_team_without_answers(tmp_path):
    def edit(data):
        data["teams"] = data["teams"][:1]
        data["teams"][0]["antwoorden"] = None
        data["teams"][0]["contactvormen"] = []
    [(identity, answers)] = load_example_teams(_examples_file(tmp_path, edit))
    assert identity.contact_kinds == ()
    assert answers == {}
