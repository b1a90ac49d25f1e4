"""The overview's record of each team: the overview and agenda it gives equal those of the
full protocols, an unchanged rebuild writes nothing, a stale record is not used."""

from __future__ import annotations

import json

import pytest
from helpers.batch import TODAY, build, mtimes, required_answers, write_team
from helpers.examples import example, example_ids

from pipeline.agenda import agenda
from pipeline.batch import assemble
from pipeline.batch.records import RECORDS_NAME, overview_protocol
from pipeline.models import BuildStatus, TeamResult
from pipeline.policy import load_policy
from pipeline.report import build_overview


def test_records_give_the_overview_and_agenda_of_the_full_protocols():
    # If the overview or the agenda starts reading a part of the protocol the record leaves
    # out, this fails: add that part to `overview_protocol` (and raise RECORDS_VERSION).
    policy = load_policy()
    full = [TeamResult(team_id=t, team=p.meta.team, status=BuildStatus.UNCHANGED, protocol=p,
                       outputs={"docx": f"{t}/teamprotocol-{t}.docx"})
            for t in example_ids() for p in [assemble(policy, example(t), today=TODAY)]]
    slim = [r.model_copy(update={"protocol": overview_protocol(r.protocol)}) for r in full]
    assert build_overview(slim, policy, TODAY) == build_overview(full, policy, TODAY)
    organisation = policy.branding.organisation
    assert agenda(slim, organisation, today=TODAY) == agenda(full, organisation, today=TODAY)
    # Small: that is the point of it.
    size = sum(len(r.protocol.model_dump_json()) for r in slim)
    assert size < sum(len(r.protocol.model_dump_json()) for r in full) / 5


@pytest.fixture
def built(tmp_path):
    forms, out = tmp_path / "formulieren", tmp_path / "uitvoer"
    for team_id in ("alfa", "beta"):
        write_team(forms, team_id, required_answers())
    build(forms, out, pdf=False)
    return forms, out


def test_unchanged_rebuild_rewrites_nothing_not_even_the_overview(built):
    forms, out = built
    assert (out / RECORDS_NAME).is_file()
    build(forms, out, pdf=False)  # the overview says "ongewijzigd" now instead of "gebouwd"
    before = mtimes(out)
    report = build(forms, out, pdf=False)
    assert {r.status for r in report.results} == {BuildStatus.UNCHANGED}
    assert mtimes(out) == before
    # Without the records the protocol.json files are read, and the records come back.
    overview = (out / "overzicht.html").read_bytes()
    (out / RECORDS_NAME).unlink()
    build(forms, out, pdf=False)
    assert (out / RECORDS_NAME).is_file()
    assert (out / "overzicht.html").read_bytes() == overview


def test_a_record_of_another_protocol_json_is_not_used(built):
    forms, out = built
    records = json.loads((out / RECORDS_NAME).read_text())
    record = records["teams"]["alfa"]
    record["brief"]["meta"]["team"] = "Verzonnen naam"
    record["full"] = record["full"].replace('"team":"Team alfa"', '"team":"Verzonnen naam"')
    assert "Verzonnen naam" in record["full"]
    record["json_hash"] = "0" * 64
    (out / RECORDS_NAME).write_text(json.dumps(records))
    report = build(forms, out, pdf=False)
    alfa = next(r for r in report.results if r.team_id == "alfa")
    assert alfa.team == "Team alfa"
    assert "Verzonnen naam" not in (out / "overzicht.html").read_text()
    # A changed overview file is written again even when its content would be the same.
    (out / "overzicht.html").write_text("bewerkt")
    build(forms, out, pdf=False)
    assert "Team alfa" in (out / "overzicht.html").read_text()
