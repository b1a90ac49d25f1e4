"""What a warning asks the team lead to do fits the question (real forms written and read
back): a date that is no real date asks for the right date, not for a description; rows that
arrange nothing ask for the rows; a text asks what the team arranges."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from helpers.batch import required_answers, write_team

from pipeline.forms.read import read_form


def _warnings(tmp_path, team: dict, balie: dict) -> Iterator[tuple[str | None, str]]:
    """Each warned question's tag -> the line the user reads."""
    for path in write_team(tmp_path, "t1", required_answers(**team), other={"balie": balie}):
        for problem in read_form(path).warnings:
            yield problem.tag, problem.format()


def test_each_warning_asks_what_its_question_needs(tmp_path):
    junk_rows = [{"naam": "bla", "adres": "bla", "openingstijden": "bla"}]
    found = dict(_warnings(tmp_path, {"team.teamoverleg": dt.date(1999, 5, 1),
                                      "team.dilemmas": "Komt later",
                                      "team.melden": "Wij melden niet in het GIR."},
                           {"balie.locaties": junk_rows}))
    date = found["team.teamoverleg"]
    assert "de datum 1 mei 1999 ligt vóór de Werkwijzer van maart 2019" in date, date
    assert date.endswith("is geen echte datum. Kies de juiste datum in het datumvak."), date
    assert found["team.dilemmas"].endswith(
        "stelt de afspraak uit; nog geen afspraak. Beschrijf wat het team hierover afspreekt, "
        "of zet een actie met eigenaar en datum bij de openstaande acties."), found
    assert found["balie.locaties"].endswith(
        "de rijen regelen niets. Vul de rijen in met wat er geregeld is, of zet een actie met "
        "eigenaar en datum bij de openstaande acties."), found
    # An answer for the coordinator is not warned about on reading: the organisation's text
    # and the coordinator's review decide it (tests/batch/test_batch_review.py).
    assert "team.melden" not in found
