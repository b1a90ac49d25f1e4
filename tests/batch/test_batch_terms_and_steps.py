"""The policy's word for burger everywhere, and the aggression protocol per contact type,
through real forms, the real batch (docx) and an independent reader (docx2python)."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
import yaml
from docx2python import docx2python
from helpers.batch import TODAY, required_answers

from pipeline.batch import BuildOptions, build_all
from pipeline.forms.folder import read_team_folder
from pipeline.forms.write import locked_texts_of, write_team_forms
from pipeline.models import TeamIdentity
from pipeline.policy import default_policy_path, load_policy

pytestmark = pytest.mark.slow  # every test builds protocols (without PDFs)

BURGER = re.compile(r"\bburgers?\b", re.IGNORECASE)


def _policy(tmp_path: Path, terminology: str) -> Path:
    data = yaml.safe_load(default_policy_path().read_text(encoding="utf-8"))
    data["terminology"] = terminology
    data["branding"]["logo"] = None
    path = tmp_path / f"beleid-{terminology}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _build(tmp_path: Path, policy_path: Path, kinds: tuple[str, ...],
           other: dict | None = None) -> str:
    """Write a team's real forms with the policy, build its docx, return the body text."""
    policy = load_policy(policy_path)
    forms = tmp_path / "formulieren"
    identity = TeamIdentity(team_id="wijk", team="Team Wijk", department="Sociaal Domein",
                            team_lead="L. Eiding", contact_kinds=kinds)
    write_team_forms(identity, forms, {"team": required_answers(), **(other or {})},
                     locked_texts_of(policy), terminology=policy.terminology)
    out = tmp_path / "uit"
    report = build_all(BuildOptions(forms_dir=forms, out_dir=out, policy_path=policy_path,
                                    pdf=False, today=TODAY))
    assert report.failed == [], [p.format() for r in report.failed for p in r.problems]
    with docx2python(str(out / "wijk" / "teamprotocol-wijk.docx")) as doc:
        return doc.text


@pytest.mark.parametrize("term", ["inwoner", "klant"])
def test_the_policys_word_is_used_in_protocol_forms_and_annex(tmp_path, term):
    text = _build(tmp_path, _policy(tmp_path, term), ("balie", "huisbezoek", "digitaal",
                                                      "bijeenkomsten"))
    # No "burger" of ours anywhere: frame texts, questions, checklist items, protocol steps.
    assert BURGER.findall(text) == []
    assert text.count(term) > 20
    # The forms were written in the word too, and read back without a problem.
    forms, problems = read_team_folder(tmp_path / "formulieren" / "wijk")
    assert [p for p in problems if p.message != "nog niet ingevuld"] == []
    with docx2python(str(tmp_path / "formulieren" / "wijk" / "huisbezoek.docx")) as doc:
        form_text = doc.text
    assert BURGER.findall(form_text) == []
    assert f"Hoe de {term} de voorwaarden vooraf krijgt" in form_text
    # And the coordinator's overview: the checklist items it names are in the word too.
    html = (tmp_path / "uit" / "overzicht.html").read_text(encoding="utf-8")
    assert BURGER.findall(html) == []
    assert term in html
    workbook = openpyxl.load_workbook(tmp_path / "uit" / "overzicht.xlsx")
    cells = [str(c.value) for ws in workbook for row in ws.iter_rows() for c in row if c.value]
    assert not [c for c in cells if BURGER.search(c)]


def test_own_text_of_an_organisation_stays_as_written(tmp_path):
    data = yaml.safe_load(default_policy_path().read_text(encoding="utf-8"))
    data["terminology"] = "klant"
    data["texts"]["melden"] = "Elke burger die scheldt, melden we. Ook een {burger} die dreigt."
    path = tmp_path / "beleid.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert load_policy(path).texts["melden"] == ("Elke burger die scheldt, melden we. Ook een "
                                                 "klant die dreigt.")


def test_steps_follow_the_teams_contact_types_and_alarm(tmp_path):
    policy_path = _policy(tmp_path, "burger")
    text = _build(tmp_path, policy_path, ("huisbezoek",),
                  {"huisbezoek": {"huisbezoek.persoonsalarm": "nee"}})
    assert "Agressieprotocol bij huis- en bedrijfsbezoek" in text
    assert "Agressieprotocol aan de balie" not in text
    # No alarm button for a team without a counter; no persoonsalarm when it says nee.
    assert "Druk op de alarmknop" not in text
    assert "Gebruik je persoonsalarm" not in text
    assert "Bel je achterwacht of je leidinggevende zodra je veilig bent" in text
    # A home visitor leaves; it does not ask the burger to leave their own home.
    assert "vraag de burger te vertrekken" not in text.lower()
    assert "dus jij gaat weg" in text


def test_alarm_step_with_the_means(tmp_path):
    text = _build(tmp_path, _policy(tmp_path, "burger"), ("balie",),
                  {"balie": {"balie.alarmknop": "ja"}})
    assert "Druk op de alarmknop; bel bij direct gevaar 112." in text
    assert "Agressieprotocol bij huis- en bedrijfsbezoek" not in text
