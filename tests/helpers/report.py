"""Helpers for report tests (plain functions and data; the fixtures are in its conftest)."""

from __future__ import annotations

import datetime as dt

from pipeline.models import Action, MissingPart, Status
from pipeline.policy import ChecklistAnswer

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
    item.missing = [MissingPart(party="organisatie", reason="nog niet geregeld in het beleid")]
    if team_part_missing:
        item.missing.append(MissingPart(party="team", form="team",
                                        question="Hoe het team de visie uitdraagt",
                                        reason="niet ingevuld", empty=True))
    item.action = Action(item=item_id, what=ORG_ACTION.action, owner=ORG_ACTION.owner,
                         due=ORG_ACTION.due, origin="organisatie")
    # assess takes the team's own action for an item first: here the team has none.
    protocol.annex.actions = [a for a in protocol.annex.actions if a.item != item_id]
    protocol.annex.actions.append(item.action)
