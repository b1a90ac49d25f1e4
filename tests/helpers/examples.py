"""The embedded example teams as TeamForms, without writing or reading a Word file."""

from __future__ import annotations

from pipeline.catalogue import CONTACT_KINDS
from pipeline.examples import example_teams
from pipeline.models import FormData, TeamForms


def example(team_id: str) -> TeamForms:
    identity, by_kind = next((i, a) for i, a in example_teams() if i.team_id == team_id)
    forms = {}
    for kind in ("team", *identity.contact_kinds):
        fields = dict(by_kind.get(kind, {}))
        if kind == "team":
            fields |= {"team.leidinggevende": identity.team_lead,
                       **{f"team.contact_{k}": k in identity.contact_kinds
                          for k in CONTACT_KINDS}}
        forms[kind] = FormData(path=f"{team_id}/{kind}.docx", kind=kind, team_id=team_id,
                               schema_version="2", fields=fields)
    return TeamForms(team_id=team_id, forms=forms)


def example_ids() -> list[str]:
    return [identity.team_id for identity, _ in example_teams()]
