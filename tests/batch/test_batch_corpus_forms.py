"""The answer corpus through real Word forms (issue 20): every answer of
tests/data/answers_corpus.yaml written into a real form by the forms writer, read back from
the .docx, judged as `check` judges it, and built: what the build sends to the coordinator is
exactly the corpus's *te beoordelen* answers, and no answer of the junk set counts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
from helpers.batch import build, protocol_json, required_answers, write_team
from helpers.corpus import load, verdicts

from pipeline.catalogue import FIELDS_BY_TAG
from pipeline.form_check import assess_form
from pipeline.forms.read import read_form

pytestmark = pytest.mark.slow


def _teams() -> list[dict[str, dict[str, str]]]:
    """The corpus spread over teams, one answer per question per team: team -> kind -> tag."""
    teams: list[dict[str, dict[str, str]]] = []
    for rows in load("answers_corpus.yaml").values():
        for tag, text in rows:
            kind = tag.split(".")[0]
            team = next((t for t in teams if tag not in t.get(kind, {})), None)
            if team is None:
                teams.append(team := {})
            team.setdefault(kind, {})[tag] = text
    return teams


def test_the_corpus_read_back_from_real_forms_is_judged_the_same(tmp_path):
    forms = tmp_path / "forms"
    expected = {(tag, text): v.state.value
                for group, judged in verdicts("answers_corpus.yaml").items()
                for (tag, text), v in zip(load("answers_corpus.yaml")[group], judged,
                                          strict=True)}
    review_by_team: dict[str, set[str]] = defaultdict(set)
    for n, team in enumerate(_teams()):
        team_id = f"corpus-{n}"
        kinds = tuple(k for k in team if k != "team")
        write_team(forms, team_id, required_answers(**team.get("team", {})), kinds=kinds,
                   other={k: team[k] for k in kinds})
        for kind, answers in team.items():
            data = read_form(forms / team_id / f"{kind}.docx")
            checked = assess_form(data, None, dt.date(2026, 12, 1))
            for tag, text in answers.items():
                if text == FIELDS_BY_TAG[tag].help:
                    # The placeholder typed over itself: the reader sees an empty box.
                    assert data.fields[tag] is None
                    assert checked.verdicts[tag].state.value == "leeg"
                    continue
                assert data.fields[tag] == text  # the .docx gives the answer back exactly
                state = checked.verdicts[tag].state.value
                assert state == expected[(tag, text)] or (
                    # check knows no policy: an addition is judged against its question only
                    tag in ("team.melden", "team.opvang", "digitaal.bewijs") and
                    state != "gegeven"), (tag, text, state)
                if expected[(tag, text)] == "te beoordelen":
                    review_by_team[team_id].add(tag)
    report = build(forms, tmp_path / "out", pdf=False)
    assert not report.failed
    for n in range(len(_teams())):
        team_id = f"corpus-{n}"
        sent = {r["tag"] for r in protocol_json(tmp_path / "out", team_id)["annex"]["reviews"]}
        assert sent == review_by_team[team_id], team_id
