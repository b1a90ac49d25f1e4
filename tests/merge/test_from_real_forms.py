"""Merge and assess on real Word forms: written by `forms`, read back, then assembled."""

from __future__ import annotations

import datetime as dt

from pipeline.batch import assemble
from pipeline.forms.folder import read_team_folder
from pipeline.forms.write import write_team_forms
from pipeline.models import Origin, Status, TeamIdentity

TRICKY = "Schelden & dreigen <aan de balie>\n{{ 7*7 }} en {% if x %} letterlijk"


def test_answers_from_real_forms_reach_protocol_and_annex(tmp_path, policy):
    identity = TeamIdentity(team_id="wijkteam", team="Wijkteam Noord", department="Sociaal domein",
                            team_lead="P. Jansen", contact_kinds=("balie", "huisbezoek"))
    answers = {
        "team": {
            "team.versie": "1.0",
            "team.norm_voorbeelden": TRICKY,
            "team.teamoverleg": dt.date(2026, 3, 3),
            "team.intervisie": "maandelijks",
            "team.orde": "Aan de telefoon spreekt de medewerker de burger zelf aan.",
            "team.acties": [{"wat": "Competenties bespreken", "onderdeel": "K4",
                             "eigenaar": "Teamleider", "datum": dt.date(2026, 5, 1)}],
        },
        "balie": {"balie.alarmknop": "ja", "balie.ordebewaking": "Gastvrouw en beveiliging."},
    }
    write_team_forms(identity, tmp_path, answers)
    forms, _warnings = read_team_folder(tmp_path / "wijkteam")

    protocol = assemble(policy, forms)

    meta = protocol.meta
    assert (meta.team, meta.department, meta.team_lead) == ("Wijkteam Noord", "Sociaal domein",
                                                            "P. Jansen")
    assert meta.contact_kinds == ["balie", "huisbezoek"]
    assert meta.team_meeting == dt.date(2026, 3, 3)
    chapter4 = protocol.chapters[3]
    [norm] = [b for b in chapter4.team if b.source.tag == "team.norm_voorbeelden"]
    assert norm.paragraphs == TRICKY.splitlines()
    assert norm.source.origin is Origin.TEAM
    [overleg] = [b for c in protocol.chapters for b in c.team
                 if b.source.tag == "team.teamoverleg"]
    assert overleg.paragraphs == ["3 maart 2026"]
    # The locked organisation norm is the policy's text, whatever the form showed.
    [locked] = [b for b in chapter4.team if b.source.tag == "team.organisatienorm"]
    assert locked.paragraphs == [policy.text("norm")]

    items = {i.id: i for i in protocol.annex.items}
    assert items["O2"].status is Status.DEELS  # home visits: only the organisation parts
    assert items["K4"].status is Status.ONTBREEKT
    assert (items["K4"].action.what, items["K4"].action.origin) == ("Competenties bespreken",
                                                                     "team")
    # Counter: order kept by host and security; the team says who does it elsewhere.
    assert items["O5"].status is Status.GEREGELD
    assert items["N4"].status is Status.GEREGELD
