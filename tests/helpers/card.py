"""The longest realistic alarm card: a team with all four contact types, street work and
the longest answers a team lead gives for its numbers (issue 22)."""

from __future__ import annotations

from helpers.examples import example
from pipeline.models import TeamForms


def with_answers(team_id: str, kind: str, **fields: object) -> TeamForms:
    """An example team with some answers of one form replaced."""
    forms = example(team_id)
    form = forms.forms[kind]
    changed = form.model_copy(update={"fields": {**form.fields, **fields}})
    return forms.model_copy(update={"forms": {**forms.forms, kind: changed}})


LONG = {
    "team.leidinggevende_telefoon": "06 1234 5678 (werkdagen), buiten kantoortijd via de "
                                    "piketdienst Sociaal Domein 14 0123, toestel 4999",
    "team.coordinator": "Fatima el Amrani, coördinator agressie en geweld Werk en Inkomen, "
                        "14 0123, toestel 4471",
    "team.nazorg_contact": "Bedrijfsopvangteam Werkplein, Johan van der Meulen-Hoogstraten, "
                           "14 0123, toestel 4472",
    "team.vertrouwenspersoon": "Marco de Boer, interne vertrouwenspersoon Sociaal Domein",
}


def longest_forms() -> TeamForms:
    """Werk en Inkomen (all four contact types, street work) with the longest realistic
    answers: own coordinator, own aftercare contact, a two-part backup number."""
    forms = with_answers("werk-en-inkomen", "team", **LONG)
    visits = with_answers("werk-en-inkomen", "huisbezoek", **{
        "huisbezoek.achterwacht": "Teamcoördinator van dienst, 06 1234 0106; lukt dat niet, "
                                  "de meldkamer Toezicht en Handhaving, 14 0123, toestel 4480",
        "huisbezoek.soorten": "Onvrijwillig: onderzoek naar de woonsituatie; buitenwerk met de "
                              "boa's bij controles op straat."}).forms["huisbezoek"]
    return forms.model_copy(update={"forms": {**forms.forms, "huisbezoek": visits}})
