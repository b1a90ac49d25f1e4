"""Adoption gates (pipeline/adoption.py): vastgesteld means a decision, checked for sense."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.adoption import Gap, adoption_problems
from pipeline.models import Action
from pipeline.text import next_minor, parse_version

TODAY = dt.date(2026, 12, 1)
GOOD = {"status": "vastgesteld", "vastgesteld_door": "K. Smits, afdelingshoofd",
        "vastgesteld_op": dt.date(2026, 11, 1), "teamoverleg": dt.date(2026, 10, 1),
        "inventarisatie": dt.date(2026, 9, 15),
        "volgende_evaluatie": dt.date(2027, 10, 1), "versie": "1.0"}
ACTION = Action(item="K4", what="Afspraken maken", owner="L. Eiding", due=dt.date(2027, 1, 1),
                origin="team")


def problems(team_form, gaps=(), *, pending=(), previous=None, lead_may_adopt=False,
             **answers):
    return adoption_problems(team_form(**{**GOOD, **answers}), list(gaps), today=TODAY,
                             pending_reviews=pending, previous_adoption=previous,
                             team_lead_may_adopt=lead_may_adopt)


def test_a_complete_adoption_passes(team_form):
    assert problems(team_form, [Gap("K4", ACTION)]) == ([], [])


def test_a_concept_is_never_gated(team_form):
    assert problems(team_form, [Gap("K4", None)], status="concept", versie="0.1",
                    volgende_evaluatie=None, vastgesteld_door=None,
                    vastgesteld_op=None) == ([], [])


def test_a_concept_still_holding_adoption_facts_is_warned(team_form):
    """A form set back to concept for the next version: not gated, but told that the
    adoption facts are left out until it is adopted (the same warning in check and build)."""
    errors, warnings = problems(team_form, status="concept", versie="1.1")
    assert errors == []
    [warning] = warnings
    assert warning.tag == "team.vastgesteld_door"
    assert "‘Vastgesteld door’ en ‘Vastgesteld op’ zijn ingevuld" in warning.message
    assert "status op 'vastgesteld'" in warning.hint
    _, [one] = problems(team_form, status="concept", versie="1.1", vastgesteld_door=None)
    assert "‘Vastgesteld op’ is ingevuld" in one.message


@pytest.mark.parametrize(("answers", "tag", "message"), [
    ({"vastgesteld_door": None}, "team.vastgesteld_door", "dit veld is leeg"),
    ({"vastgesteld_op": None}, "team.vastgesteld_op", "dit veld is leeg"),
    ({"vastgesteld_op": dt.date(2027, 1, 1)}, "team.vastgesteld_op", "in de toekomst"),
    ({"teamoverleg": None}, "team.teamoverleg", "stap 2"),
    ({"teamoverleg": dt.date(2026, 11, 2)}, "team.teamoverleg", "na de vaststelling"),
    ({"volgende_evaluatie": None}, "team.volgende_evaluatie", "volgende evaluatie"),
    ({"volgende_evaluatie": dt.date(2021, 1, 1)}, "team.volgende_evaluatie", "twee jaar"),
    ({"volgende_evaluatie": dt.date(2029, 1, 1)}, "team.volgende_evaluatie", "twee jaar"),
    ({"versie": "0.1"}, "team.versie", "1.0 of hoger"),
    ({"versie": "concept"}, "team.versie", "1.0 of hoger"),
    ({"inventarisatie": None}, "team.inventarisatie", "stap 1"),
    ({"inventarisatie": dt.date(2026, 10, 2)}, "team.teamoverleg", "vóór het gesprek"),
    ({"teamoverleg": dt.date(1999, 1, 1)}, "team.teamoverleg", "vóór de Werkwijzer"),
    ({"volgende_evaluatie": dt.date(2099, 1, 1)}, "team.volgende_evaluatie",
     "meer dan 3 jaar vooruit"),
])
def test_each_gate(team_form, answers, tag, message):
    errors, _ = problems(team_form, **answers)
    assert [e.tag for e in errors] == [tag]
    assert message in errors[0].message
    assert "concept" in errors[0].hint
    assert errors[0].file == "t1/team.docx"
    assert errors[0].field  # the question's label, as the team lead sees it


def test_every_gap_needs_an_action_with_owner_and_date(team_form):
    undated = ACTION.model_copy(update={"item": "L1", "due": None})
    errors, _ = problems(team_form, [Gap("K4", None), Gap("L1", undated), Gap("N6", ACTION)])
    assert [e.tag for e in errors] == ["team.acties", "team.acties"]
    assert errors[0].message.endswith(": K4")
    assert "L1" in errors[1].message


def test_a_team_lead_adopting_their_own_protocol_is_refused_by_the_organisations_rule(
        team_form):
    errors, _ = problems(team_form, vastgesteld_door="L. Eiding, teamleider")
    assert [e.tag for e in errors] == ["team.vastgesteld_door"]
    assert "regels van de organisatie" in errors[0].message
    assert "Werkwijzer" not in errors[0].message + errors[0].hint
    assert "team_lead_may_adopt" in errors[0].hint
    assert problems(team_form, vastgesteld_door="L. Eiding, teamleider",
                    lead_may_adopt=True) == ([], [])


EVALUATED = {"evaluatie_datum": dt.date(2026, 9, 1),
             "evaluatie_naleving": "Grotendeels; de nazorg kwam twee keer te laat op gang."}


def test_a_re_adoption_needs_a_new_team_meeting(team_form):
    errors, _ = problems(team_form, previous=dt.date(2026, 10, 1), **EVALUATED)
    assert [e.tag for e in errors] == ["team.teamoverleg", "team.evaluatie_datum"]
    assert "1 oktober 2026" in errors[0].message
    assert problems(team_form, previous=dt.date(2025, 10, 1), **EVALUATED) == ([], [])


def test_a_re_adoption_rests_on_the_evaluation_of_the_previous_version(team_form):
    """Werkwijzer chapter 6: the version in force is evaluated before the next is adopted;
    a first adoption needs no evaluation."""
    assert problems(team_form) == ([], [])
    errors, _ = problems(team_form, previous=dt.date(2025, 10, 1))
    assert [e.tag for e in errors] == ["team.evaluatie_datum", "team.evaluatie_naleving"]
    assert "1 oktober 2025" in errors[0].message
    errors, _ = problems(team_form, previous=dt.date(2025, 10, 1), evaluatie_naleving="Ja.",
                         evaluatie_datum=dt.date(2025, 9, 1))
    assert [e.message for e in errors] == [
        "de evaluatie ligt niet na de vorige vaststelling (1 oktober 2025)"]
    errors, _ = problems(team_form, previous=dt.date(2025, 10, 1), evaluatie_naleving="Ja.",
                         evaluatie_datum=dt.date(2026, 11, 20))
    assert [e.message for e in errors] == [
        "de evaluatie ligt na de vaststelling van deze versie"]


def test_answers_waiting_for_the_coordinator_stop_adoption(team_form):
    errors, _ = problems(team_form, pending=["Melden van incidenten"])
    assert len(errors) == 1
    assert "Melden van incidenten" in errors[0].message
    assert "beoordelingen.xlsx" in errors[0].hint


@pytest.mark.parametrize(("row", "message"), [
    ({"wat": "?", "eigenaar": "Renske de Vries", "datum": dt.date(2027, 3, 1)},
     "beschrijft niet wat er gebeurt"),
    ({"wat": "Tweede uitgang spreekkamer 3", "eigenaar": "iemand",
      "datum": dt.date(2027, 3, 1)}, "geen eigenaar"),
    ({"wat": "Tweede uitgang spreekkamer 3", "eigenaar": "wij", "datum": dt.date(2027, 3, 1)},
     "geen eigenaar"),
    ({"wat": "Tweede uitgang spreekkamer 3", "eigenaar": "Facilitair bedrijf",
      "datum": dt.date(2020, 1, 1)}, "niet na de vaststelling"),
    ({"wat": "Tweede uitgang spreekkamer 3", "eigenaar": "Facilitair bedrijf",
      "datum": dt.date(2029, 6, 1)}, "meer dan twee jaar"),
])
def test_a_paper_plan_is_not_adopted(team_form, row, message):
    errors, _ = problems(team_form, acties=[row])
    assert [e.tag for e in errors] == ["team.acties"]
    assert message in errors[0].message
    assert "rij 1" in errors[0].message
    good = {"wat": "Tweede uitgang spreekkamer 3", "eigenaar": "Facilitair bedrijf",
            "datum": dt.date(2027, 3, 1)}
    assert problems(team_form, acties=[good]) == ([], [])


@pytest.mark.parametrize(("text", "expected"), [
    ("1.0", (1, 0)), ("2.1", (2, 1)), ("1", (1, 0)), ("0,9", (0, 9)), ("v1", (1, 0)),
    ("v1.0", (1, 0)), ("1,0", (1, 0)), ("1.0 definitief", (1, 0)), ("2.1 (concept)", (2, 1)),
    ("versie 2", (2, 0)), ("1.0.1", (1, 0, 1)), ("", None), ("concept", None), ("1.0a", None),
    ("1.0.1.2", None), (None, None)])
def test_version_number(text, expected):
    assert parse_version(text) == expected


@pytest.mark.parametrize(("text", "parsed"), [("2,1", (2, 1)), ("v2.1", (2, 1)),
                                               ("2.1.0", (2, 1, 0))])
def test_one_version_parser_for_adoption_prefill_and_history(team_form, text, parsed):
    """Three ways to write version 2.1, read by the one parser (text.parse_version) that the
    adoption check, the next round's prefilled form (next_minor) and the archive's order of
    versions (history) use: the adoption accepts each, and the next form gets 2.2."""
    assert parse_version(text) == parsed
    assert problems(team_form, versie=text) == ([], [])
    assert next_minor(text) == "2.2"
