"""The incident card ("Wat te doen bij agressie"): right for the team's contact types."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers.examples import example

from pipeline.batch import assemble
from pipeline.merge import CARD_HEADING, merge
from pipeline.policy import load_policy

TODAY = dt.date(2026, 12, 1)


@pytest.mark.parametrize(("team_id", "kinds"), [
    ("handhaving", ["Huis- en bedrijfsbezoek", "Telefoon, e-mail, post en sociale media",
                    "Publieksbijeenkomsten"]),
    ("wijkteam-zorg", ["Huis- en bedrijfsbezoek", "Telefoon, e-mail, post en sociale media"]),
    ("klantcontactcentrum", ["Telefoon, e-mail, post en sociale media"]),
])
def test_the_card_has_the_teams_contact_types_only(team_id, kinds):
    card = assemble(load_policy(), example(team_id), today=TODAY).card
    assert card.heading == CARD_HEADING == "Wat te doen bij agressie"
    assert [s.title for s in card.sections] == kinds
    assert all(len(s.steps) == 3 for s in card.sections)
    assert len(card.after) == 2  # melden and opvang: the same for every contact type
    text = " ".join(t for s in card.sections for t in s.steps)
    # Safety first: the first step of every contact type stops the conversation or leaves.
    assert all("dreiging" in s.steps[0] for s in card.sections)
    assert "alarmknop" not in text  # none of these teams has a counter
    labels = [n.label for n in card.numbers]
    for label in ("Direct gevaar", "Politie, geen spoed", "Leidinggevende",
                  "Coördinator agressie en geweld", "Opvang en nazorg", "Vertrouwenspersoon",
                  "Bedrijfsarts", "Slachtofferhulp Nederland"):
        assert label in labels, label
    values = {n.label: n.value for n in card.numbers}
    assert values["Direct gevaar"] == "bel 112"
    assert values["Politie, geen spoed"] == "0900-8844"
    assert values["Slachtofferhulp Nederland"] == "0900-0101"
    report = " ".join(card.report)
    assert "dezelfde dag" in report
    assert "GIR" in report
    assert "VPT-code" in report
    assert "binnen twee werkdagen" in report
    assert "niet je eigen adres" in report


def test_field_work_names_the_backup_and_the_wijkteam_has_no_alarm_to_press():
    card = assemble(load_policy(), example("wijkteam-zorg"), today=TODAY).card
    values = {n.label: n.value for n in card.numbers}
    assert values["Achterwacht"].startswith("Dienstdoende teamleider")
    [visit, _] = card.sections
    # The wijkteam answered nee to persoonsalarm: the card does not tell them to use one.
    assert "persoonsalarm" not in visit.steps[1]
    assert "Bel je buddy" in visit.steps[1]
    assert "vertrek" in visit.steps[0]


def test_a_counter_with_an_alarm_button_says_press_it():
    card = merge(load_policy(), example("burgerzaken")).card
    counter = next(s for s in card.sections if s.title == "Balie en spreekkamer")
    assert counter.steps[1].startswith("Druk op de alarmknop")


def test_a_teams_own_contact_comes_before_the_organisations():
    card = merge(load_policy(), example("handhaving")).card
    aftercare = [n.value for n in card.numbers if n.label == "Opvang en nazorg"]
    assert aftercare[0].startswith("Bureau Opvang Boa's")
    assert aftercare[1].startswith("Joke Hoogendoorn")
