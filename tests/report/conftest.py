"""Fixtures for the overview tests: three teams (behind, complete, failed) and a policy
whose organisation still has one checklist item to arrange."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.models import Action, Problem, Status, TeamResult
from pipeline.policy import ChecklistAnswer
from tests.render.conftest import logo, make_policy, make_protocol  # noqa: F401 (fixture)

TODAY = dt.date(2027, 3, 1)
ORG_ACTION = ChecklistAnswer(arranged=False, action="Visie afstemmen met de ketenpartners",
                             owner="Coördinator", due=dt.date(2027, 6, 30))


def outputs(team_id: str) -> dict[str, str]:
    stem = f"{team_id}/teamprotocol-{team_id}"
    return {"docx": f"{stem}.docx", "pdf": f"{stem}.pdf", "json": f"{team_id}/protocol.json"}


def org_gap(protocol, item_id: str, team_part_missing: bool = False) -> None:
    """Make `item_id` open on the organisation's side (and on the team's, if asked)."""
    [item] = [i for i in protocol.annex.items if i.id == item_id]
    item.status = Status.DEELS
    item.missing = ["organisatie: Visie afstemmen met de ketenpartners"]
    if team_part_missing:
        item.missing.append("teamformulier: Hoe het team de visie uitdraagt")
    item.action = Action(item=item_id, what=ORG_ACTION.action, owner=ORG_ACTION.owner,
                         due=ORG_ACTION.due, origin="organisatie")
    # assess takes the team's own action for an item first: here the team has none.
    protocol.annex.actions = [a for a in protocol.annex.actions if a.item != item_id]
    protocol.annex.actions.append(item.action)


@pytest.fixture
def report_policy():
    policy = make_policy()
    policy.checklist["V2"] = ORG_ACTION
    return policy


@pytest.fixture
def results() -> list[TeamResult]:
    """Three teams: one behind (overdue evaluation), one complete, one failed."""
    late = make_protocol(team="Wijkteam <Noord> & Zuid", team_id="wijkteam")
    org_gap(late, "V2", team_part_missing=True)
    ok = make_protocol(status="vastgesteld", team_id="burgerzaken")
    ok.meta.next_evaluation = dt.date(2028, 1, 1)
    for item in ok.annex.items:
        if item.status is not Status.NVT:
            item.status, item.action, item.missing = Status.GEREGELD, None, []
    org_gap(ok, "V2")
    ok.annex.actions = [a for a in ok.annex.actions if a.origin == "organisatie"]
    failed = TeamResult(team_id="belastingen", status="mislukt", problems=[
        Problem(file="belastingen/team.docx", field="Vastgesteld op",
                message="de status is 'vastgesteld' maar dit veld is leeg",
                hint="Vul het in, of zet de status op 'concept'")])
    return [TeamResult(team_id="wijkteam", team=late.meta.team, status="gebouwd", protocol=late,
                       outputs=outputs("wijkteam")),
            TeamResult(team_id="burgerzaken", team=ok.meta.team, status="ongewijzigd",
                       protocol=ok, outputs=outputs("burgerzaken")),
            failed]


