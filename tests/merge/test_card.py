"""The alarm card ("Wat te doen bij agressie"): right for the team's contact types, three
levels of steps from the team's own answers, nothing silent, and always one page."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers.card import longest_forms, with_answers
from helpers.examples import example, example_ids

from pipeline.batch import assemble
from pipeline.merge import CARD_HEADING, merge
from pipeline.merge.card import BUDGET, MORE_NUMBERS, card_height, incident_card
from pipeline.models import FormData, TeamForms
from pipeline.policy import load_policy

TODAY = dt.date(2026, 12, 1)
LEVELS = ["Schelden of kleineren", "Bedreiging", "Geweld"]


def _card(team_id: str):
    return assemble(load_policy(), example(team_id), today=TODAY).card


def _steps(section) -> str:
    return " ".join(s for level in section.levels for s in level.steps)


@pytest.mark.parametrize(("team_id", "kinds"), [
    ("handhaving", ["Huis- en bedrijfsbezoek", "Op straat en bij toezicht",
                    "Telefoon, e-mail, post en sociale media", "Publieksbijeenkomsten"]),
    ("wijkteam-zorg", ["Huis- en bedrijfsbezoek", "Telefoon, e-mail, post en sociale media"]),
    ("klantcontactcentrum", ["Telefoon, e-mail, post en sociale media"]),
])
def test_the_card_has_the_teams_contact_types_in_three_levels(team_id, kinds):
    card = _card(team_id)
    assert card.heading == CARD_HEADING == "Wat te doen bij agressie"
    assert [s.title for s in card.sections] == kinds
    for section in card.sections:
        assert [lv.title for lv in section.levels] == LEVELS
        assert all(1 <= len(lv.steps) <= 3 for lv in section.levels)
    # 112 first and large; then the team's internal alarm numbers.
    assert (card.alarm[0].label, card.alarm[0].value) == ("Direct gevaar", "112")
    text = " ".join(_steps(s) for s in card.sections)
    assert "alarmknop" not in text  # none of these teams has a counter
    # After the incident: melden, aangifte, nazorg, one line each.
    assert [r.split(":")[0] for r in card.report] == ["Melden", "Aangifte", "Nazorg"]
    report = " ".join(card.report)
    for words in ("dezelfde dag", "GIR", "VPT-code", "adres van je werkgever",
                  "vier tot zes weken"):
        assert words in report
    assert "Slaat een collega alarm?" in card.bystander
    assert card.code_word == "het dossier van mevrouw Rood"


@pytest.mark.parametrize("team_id", example_ids())
def test_every_label_once_and_every_number_present_or_marked(team_id):
    card = _card(team_id)
    labels = [n.label for n in card.alarm + card.numbers]
    assert len(labels) == len(set(labels)), labels
    for number in card.alarm + card.numbers:
        assert any(c.isdigit() for c in number.value) or number.missing, number
    assert card_height(card) <= BUDGET


def test_street_work_gets_its_own_variant_not_the_home_visit_one():
    card = _card("handhaving")
    street = next(s for s in card.sections if s.title == "Op straat en bij toezicht")
    assert "te gast" not in _steps(street)
    assert "portofoon" in _steps(street)
    # The home visits of the same team keep theirs.
    visit = next(s for s in card.sections if s.title == "Huis- en bedrijfsbezoek")
    assert "je bent te gast, dus jij gaat weg" in _steps(visit)
    values = {n.label: n.value for n in card.alarm}
    assert values["Achterwacht"].startswith("Meldkamer Toezicht en Handhaving")
    # A team without street work gets no street variant, also when its involuntary home
    # visits are called handhaving or controle (the form's own help says so).
    assert "Op straat en bij toezicht" not in [s.title for s in _card("wijkteam-zorg").sections]
    forms = with_answers("werk-en-inkomen", "huisbezoek", **{
        "huisbezoek.soorten": "Onvrijwillig: controle en handhaving bij twijfel over de "
                              "rechtmatigheid van een uitkering."})
    card = incident_card(load_policy(), forms, ["huisbezoek"])
    assert [s.title for s in card.sections] == ["Huis- en bedrijfsbezoek"]


def test_the_wijkteam_has_no_alarm_to_press_and_calls_its_backup():
    card = _card("wijkteam-zorg")
    [visit, _] = card.sections
    threat = visit.levels[1].steps
    # The wijkteam answered nee to persoonsalarm: the card does not tell them to use one.
    assert "persoonsalarm" not in " ".join(threat)
    assert any("Bel je achterwacht" in s for s in threat)
    values = {n.label: n.value for n in card.alarm}
    assert values["Achterwacht"].startswith("Dienstdoende teamleider")


def test_a_counter_with_an_alarm_button_says_press_it():
    card = merge(load_policy(), example("burgerzaken")).card
    counter = next(s for s in card.sections if s.title == "Balie en spreekkamer")
    assert any(s.startswith("Druk op de alarmknop") for s in counter.levels[1].steps)


def test_an_unanswered_alarm_question_takes_the_organisations_frame():
    """Belastingen left the alarm-button question open; the policy says every counter has
    one (N7 arranged), so the card says press it, not 'warn a colleague'."""
    counter = next(s for s in _card("belastingen").sections if s.title == "Balie en spreekkamer")
    text = _steps(counter)
    assert "Druk op de alarmknop" in text
    assert "Waarschuw direct een collega" not in text


def test_a_counter_without_an_alarm_button_is_told_to_warn_a_colleague():
    counter = next(s for s in _card("vergunningen").sections
                   if s.title == "Balie en spreekkamer")
    text = _steps(counter)
    assert "alarmknop" not in text
    assert "Waarschuw direct een collega" in text


def test_missing_numbers_are_visible_marks_naming_the_question():
    card = _card("belastingen")
    lead = next(n for n in card.numbers if n.label == "Leidinggevende")
    assert lead.value == "Hans Verbeek"
    assert lead.missing == "teamformulier, vraag ‘Telefoon van de leidinggevende bij een incident’"
    # A team contact given without a number keeps its name and is marked.
    adviser = next(n for n in _card("werk-en-inkomen").numbers
                   if n.label == "Vertrouwenspersoon (team)")
    assert adviser.value.startswith("Marco de Boer")
    assert adviser.missing == "teamformulier, vraag ‘Vertrouwenspersoon’"


def test_weet_ik_niet_is_not_printed_as_a_phone_number_and_a_missing_backup_is_marked():
    forms = with_answers("wijkteam-zorg", "team",
                         **{"team.leidinggevende_telefoon": "weet ik niet"})
    forms = forms.model_copy(update={"forms": {**forms.forms, "huisbezoek": with_answers(
        "wijkteam-zorg", "huisbezoek", **{"huisbezoek.achterwacht": None}).forms["huisbezoek"]}})
    card = incident_card(load_policy(), forms, ["huisbezoek", "digitaal"])
    lead = next(n for n in card.numbers if n.label == "Leidinggevende")
    assert "weet ik niet" not in lead.value
    assert lead.missing
    backup = next(n for n in card.alarm if n.label == "Achterwacht")
    assert backup.value == ""
    assert backup.missing == ("bijlage huis- en bedrijfsbezoek, vraag ‘Achterwacht bij bezoeken "
                              "en buitenwerk’")


def test_the_teams_closing_sentence_is_on_the_card():
    [calls] = _card("klantcontactcentrum").sections
    assert "‘Ik beëindig dit gesprek nu. U kunt later opnieuw bellen.’" in _steps(calls)
    [_, calls] = _card("wijkteam-zorg").sections
    assert "een korte afsluitende zin" in _steps(calls)


def test_a_teams_own_contact_comes_before_the_organisations_each_label_once():
    forms = with_answers("wijkteam-zorg", "team", **{
        "team.nazorg_contact": "Bureau Opvang Wijkteams, 14 0123, toestel 4420"})
    card = incident_card(load_policy(), forms, ["huisbezoek", "digitaal"])
    labels = [n.label for n in card.numbers]
    own = labels.index("Opvang en nazorg (team)")
    assert labels[own + 1] == "Opvang en nazorg (gemeente)"
    assert card.numbers[own].value.startswith("Bureau Opvang Wijkteams")


def test_a_full_card_keeps_its_steps_before_its_less_urgent_numbers():
    """Handhaving has four sections: the fit rule moves numbers off before any step."""
    card = _card("handhaving")
    assert all(len(lv.steps) >= 2 for s in card.sections for lv in s.levels)
    assert card.more.startswith(MORE_NUMBERS)
    assert [n.label for n in card.numbers] == ["Leidinggevende"]


def test_the_longest_card_is_fitted_by_the_rule_and_keeps_what_must_stay():
    card = incident_card(load_policy(), longest_forms(),
                         ["balie", "huisbezoek", "digitaal", "bijeenkomsten"])
    assert len(card.sections) == 5  # four contact types and the street variant
    assert card_height(card) <= BUDGET
    assert card.more.startswith(MORE_NUMBERS)
    # What always stays: the alarm numbers, every level, every mark, the bystander, the report.
    assert [n.label for n in card.alarm] == ["Direct gevaar", "Beveiliging en meldkamer",
                                             "Achterwacht"]
    assert all(len(s.levels) == 3 and all(lv.steps for lv in s.levels) for s in card.sections)
    assert any(n.missing for n in card.numbers)
    assert card.bystander
    assert len(card.report) == 3


def test_a_team_without_forms_gets_every_contact_type_and_the_policy_numbers():
    card = incident_card(load_policy(), TeamForms(team_id="x", forms={
        "team": FormData(path="x/team.docx", kind="team", team_id="x", schema_version="2",
                         fields={})}), [])
    assert [s.title for s in card.sections][0] == "Balie en spreekkamer"
    assert card_height(card) <= BUDGET
