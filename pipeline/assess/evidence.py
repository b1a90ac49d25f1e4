"""The evidence for checklist items: what one form field, one form or the policy contributes
to an item, judged by the one answer rule (`pipeline.answers`), and the team's own actions.

`teamprotocol check` calls `form_evidence` and `open_items` on a single form, the annex
(`assess`) calls them on all of a team's forms: the two cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pipeline import answers
from pipeline.answers import AnswerState
from pipeline.catalogue import (
    CHECKLIST,
    CHECKLIST_BY_ID,
    FORMS,
    TEAM_KIND,
    ChecklistItem,
    Field,
    Merge,
)
from pipeline.models import (
    Action,
    Answer,
    FormData,
    MissingPart,
    Origin,
    Source,
)
from pipeline.policy import Policy
from pipeline.text import form_name

ACTIONS_TAG = "team.acties"
LEAD_TAG = "team.leidinggevende"
ADOPTED_ON_TAG = "team.vastgesteld_op"
# Dates that must lie ahead (a plan) or behind (a meeting that was held).
FUTURE_DATES = ("team.volgende_evaluatie",)
PAST_DATES = ("team.teamoverleg", "team.inventarisatie")


@dataclass(frozen=True)
class Evidence:
    """One source an item needs, and whether it arranges its part."""

    source: Source
    state: AnswerState
    missing: MissingPart | None = None  # which source, and why it does not arrange its part
    conflict: str | None = None  # Dutch: a statement contradicting the policy


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    for parse in (dt.date.fromisoformat,
                  lambda t: dt.datetime.strptime(t, "%d-%m-%Y").date()):
        try:
            return parse(text)
        except ValueError:
            continue
    return None


def date_issue(tag: str, value: Answer, today: dt.date,
               adopted_on: dt.date | None = None) -> str | None:
    """Why a date answer is no answer at all (a next evaluation in the past), or None."""
    if not isinstance(value, dt.date):
        return None
    if tag in FUTURE_DATES:
        if adopted_on is not None and value <= adopted_on:
            return "de datum ligt niet na de vaststelling"
        if value < today:
            return "de datum ligt in het verleden"
    if tag in PAST_DATES and value > today:
        return "de datum ligt in de toekomst"
    return None


def _field_source(kind: str, field: Field, own: bool) -> Source:
    # Origin says whose text applies: for inherit/extend, `team` means the team added to it.
    origin = Origin.TEAM if own or field.merge is Merge.TEAM else Origin.ORGANISATION
    return Source(origin=origin, form=kind, tag=field.tag, label=field.label, merge=field.merge)


def field_evidence(kind: str, field: Field, form: FormData | None, *, today: dt.date,
                   arranged: frozenset[str] = frozenset()) -> Evidence:
    """What one field contributes to its items: the answer rule plus the date sense checks.

    Inherit, extend and locked fields are arranged by the organisation's text, which always
    applies; a team answer there adds to it and can never undo it. `arranged` holds the
    checklist ids the policy arranges, to notice a statement that contradicts it.
    """
    if form is None:
        return Evidence(_field_source(kind, field, False), AnswerState.EMPTY,
                        MissingPart(party="team", form=kind, reason="ontbreekt"))
    answer = form.fields.get(field.tag)
    st = answers.state(field, answer)
    source = _field_source(kind, field, answers.team_text_applies(field, answer))
    if field.merge is not Merge.TEAM:
        return Evidence(source, AnswerState.GIVEN)
    adopted = _as_date(form.fields.get(ADOPTED_ON_TAG))
    if st is AnswerState.GIVEN and (issue := date_issue(field.tag, answer, today, adopted)):
        return Evidence(source, AnswerState.NOTHING,
                        MissingPart(party="team", form=kind, question=field.label, reason=issue))
    conflict = None
    if answers.contradicts_policy(field, answer, set(arranged)):
        conflict = (f"{form_name(kind)}: ‘{field.label}’ is beantwoord met ‘nee’, maar het beleid "
                    "zegt dat dit geregeld is; laat iemand kijken wat klopt")
    if st is AnswerState.GIVEN:
        return Evidence(source, st)
    return Evidence(source, st, MissingPart(
        party="team", form=kind, question=field.label, reason=answers.describe(field, answer),
        empty=st is AnswerState.EMPTY), conflict)


def fields_for(kind: str, item_id: str) -> list[Field]:
    """The fields of form `kind` that the catalogue maps to checklist item `item_id`."""
    return [f for f in FORMS[kind].fields if item_id in f.checklist]


def form_evidence(kind: str, form: FormData | None, item_id: str, *, today: dt.date,
                  arranged: frozenset[str] = frozenset()) -> list[Evidence]:
    """The evidence one form (or its absence) gives for one item."""
    return [field_evidence(kind, f, form, today=today, arranged=arranged)
            for f in fields_for(kind, item_id)]


def policy_evidence(policy: Policy, item: ChecklistItem) -> list[Evidence]:
    """The organisation's own answer for an item: a document that arranges it, or an action."""
    answer = policy.checklist.get(item.id)
    if answer is None:
        return []
    if answer.arranged:
        label = ", ".join(p for p in (answer.document, answer.date) if p)
        return [Evidence(Source(origin=Origin.ORGANISATION, label=label), AnswerState.GIVEN)]
    return [Evidence(Source(origin=Origin.ORGANISATION), AnswerState.EMPTY,
                     MissingPart(party="organisatie", reason="nog niet geregeld in het beleid"))]


def arranged_by(policy: Policy) -> frozenset[str]:
    """The checklist ids the policy arranges with a document."""
    return frozenset(i for i, a in policy.checklist.items() if a.arranged)


def team_actions(team: FormData | None, *, today: dt.date) -> list[Action]:
    """The team's open actions (`team.acties` rows); an action without an owner gets the
    team lead, whom the Werkwijzer makes owner of the team's plan."""
    if team is None:
        return []
    rows = team.fields.get(ACTIONS_TAG)
    lead = str(team.fields.get(LEAD_TAG) or "").strip() or None
    actions = []
    for row in rows if isinstance(rows, list) else []:
        what = str(row.get("wat") or "").strip()
        owner = str(row.get("eigenaar") or "").strip() or None
        item = _item_id(row.get("onderdeel"))
        due = _as_date(row.get("datum"))
        if not (what or owner or item or due):
            continue  # an empty row the team lead left in the table
        actions.append(Action(item=item, what=what or "(geen omschrijving ingevuld)",
                              owner=owner or lead, due=due, origin="team",
                              overdue=due is not None and due < today))
    return actions


def _item_id(value: object) -> str | None:
    words = str(value or "").replace("—", " ").split()
    return words[0].upper() if words and words[0].upper() in CHECKLIST_BY_ID else None


def open_items(form: FormData, *, today: dt.date,
               arranged: frozenset[str] = frozenset()) -> list[tuple[str, list[str]]]:
    """The checklist ids this one form leaves open, with why: `(id, [reasons])`.

    An item is open on a form when one of the form's fields it needs is not *given*, or (team
    form) when the team lists an open action for it. The annex uses the same evidence.
    """
    out = []
    actions = team_actions(form, today=today) if form.kind == TEAM_KIND else []
    for item in CHECKLIST:
        reasons = [answers.missing_text(e.missing)
                   for e in form_evidence(form.kind, form, item.id, today=today,
                                          arranged=arranged)
                   if e.state is not AnswerState.GIVEN and e.missing]
        reasons += [f"openstaande actie: {a.what}" for a in actions if a.item == item.id]
        if reasons:
            out.append((item.id, reasons))
    return out
