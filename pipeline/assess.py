"""Assess stage: the status of every checklist item -> the completeness annex (chapter 7).

Pure functions: no I/O, no printing. An item's status comes from its *evidence*: the
policy's own answer for the item, and every form field the catalogue maps to it, each judged
by the one answer rule (`pipeline.answers`). `teamprotocol check` calls `form_evidence` and
`open_items` on a single form, the annex calls them on all of a team's forms: the two cannot
disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pipeline import answers
from pipeline.answers import AnswerState
from pipeline.catalogue import (
    CHAPTERS,
    CHECKLIST,
    CHECKLIST_BY_ID,
    FORMS,
    INSPECTION_TOPICS,
    TEAM_KIND,
    ChecklistItem,
    Field,
    Merge,
)
from pipeline.models import (
    Action,
    Annex,
    Answer,
    ChapterScore,
    FormData,
    ItemAssessment,
    MissingPart,
    Origin,
    Source,
    Status,
    TeamForms,
    TopicAssessment,
)
from pipeline.policy import Policy
from pipeline.text import form_name

ACTIONS_TAG = "team.acties"
LEAD_TAG = "team.leidinggevende"
ADOPTED_ON_TAG = "team.vastgesteld_op"
# Dates that must lie ahead (a plan) or behind (a meeting that was held).
FUTURE_DATES = ("team.volgende_evaluatie",)
PAST_DATES = ("team.teamoverleg", "team.inventarisatie")
# How far along an item is; used to combine and to compare statuses.
RANK = {Status.ONTBREEKT: 0, Status.DEELS: 1, Status.GEREGELD: 2}
_LEVEL = {AnswerState.EMPTY: 0, AnswerState.NOTHING: 0, AnswerState.PARTIAL: 1,
          AnswerState.GIVEN: 2}


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


def _status(evidence: list[Evidence]) -> Status:
    levels = [_LEVEL[e.state] for e in evidence]
    if levels and min(levels) == 2:
        return Status.GEREGELD
    return Status.DEELS if any(levels) else Status.ONTBREEKT


def _due_key(action: Action) -> tuple[bool, dt.date, int]:
    order = [i.id for i in CHECKLIST]
    return (action.due is None, action.due or dt.date.max,
            order.index(action.item) if action.item in order else len(order))


def _gap_action(policy: Policy, item: ChecklistItem, labels: list[str], own: list[Action],
                lead: str | None) -> Action:
    mine = sorted((a for a in own if a.item == item.id), key=_due_key)
    if mine:
        return mine[0]
    answer = policy.checklist.get(item.id)
    if answer is not None and not answer.arranged and answer.action:
        return Action(item=item.id, what=answer.action, owner=answer.owner, due=answer.due,
                      origin="organisatie")
    what = "Afspraak maken over: " + "; ".join(labels) if labels else item.text
    return Action(item=item.id, what=what, owner=lead, origin="open")


def assess_item(policy: Policy, forms: TeamForms, kinds: list[str], item: ChecklistItem, *,
                today: dt.date, own: list[Action] | None = None,
                arranged: frozenset[str] | None = None) -> ItemAssessment:
    """One checklist item: status, the sources it relied on, what is missing, the gap's action."""
    base = {"id": item.id, "chapter": item.chapter, "text": item.text}
    if item.contact_kinds and not set(item.contact_kinds) & set(kinds):
        return ItemAssessment(**base, status=Status.NVT, sources=[])
    arranged = arranged_by(policy) if arranged is None else arranged
    team = forms.forms.get(TEAM_KIND)
    own = team_actions(team, today=today) if own is None else own
    evidence = policy_evidence(policy, item)
    for kind in (TEAM_KIND, *kinds):
        evidence += form_evidence(kind, forms.forms.get(kind), item.id, today=today,
                                  arranged=arranged)
    status = _status(evidence)
    missing = list(dict.fromkeys(e.missing for e in evidence
                                 if e.state is not AnswerState.GIVEN and e.missing))
    planned = [a for a in own if a.item == item.id]
    if status is Status.GEREGELD and planned:
        # The team itself says something is still to be done here: not arranged yet.
        status = Status.DEELS
    missing += [MissingPart(party="team", reason=f"openstaande actie van het team: {a.what}")
                for a in planned]
    if not evidence:
        missing = [MissingPart(party="team",
                               reason="geen organisatietekst of teamvraag voor dit onderdeel")]
        status = Status.ONTBREEKT
    action = None
    if status is not Status.GEREGELD:
        labels = [e.source.label for e in evidence
                  if e.state is not AnswerState.GIVEN and e.source.label]
        lead = str(team.fields.get(LEAD_TAG) or "").strip() or None if team else None
        action = _gap_action(policy, item, labels, own, lead)
        if action.due is not None:
            action = action.model_copy(update={"overdue": action.due < today})
    conflicts = [e.conflict for e in evidence if e.conflict]
    return ItemAssessment(**base, status=status, sources=[e.source for e in evidence],
                          missing=missing, action=action, conflicts=conflicts,
                          given=[e.source for e in evidence if e.state is AnswerState.GIVEN])


def combine(statuses: list[Status]) -> Status:
    """Combined status of items: all geregeld or n.v.t. -> geregeld; none filled -> ontbreekt."""
    if all(s is Status.NVT for s in statuses):
        return Status.NVT
    applicable = [s for s in statuses if s is not Status.NVT]
    if all(s is Status.GEREGELD for s in applicable):
        return Status.GEREGELD
    if all(s is Status.ONTBREEKT for s in applicable):
        return Status.ONTBREEKT
    return Status.DEELS


def assess(policy: Policy, forms: TeamForms, contact_kinds: list[str], *,
           today: dt.date) -> Annex:
    """Every checklist item's status, a score per chapter, the 11 inspection topics and actions."""
    own = team_actions(forms.forms.get(TEAM_KIND), today=today)
    arranged = arranged_by(policy)  # once per team, not once per item
    items = [assess_item(policy, forms, contact_kinds, i, today=today, own=own,
                         arranged=arranged)
             for i in CHECKLIST]
    chapters = []
    for number, title in CHAPTERS.items():
        counts = {s: 0 for s in Status}
        for a in items:
            if a.chapter == number:
                counts[a.status] += 1
        chapters.append(ChapterScore(chapter=number, title=title, counts=counts))
    by_id = {a.id: a for a in items}
    topics = [TopicAssessment(title=t, items=list(ids), status=combine([by_id[i].status
                                                                         for i in ids]))
              for t, ids in INSPECTION_TOPICS]
    chosen = [a.action for a in items if a.action is not None]
    # Team actions not used for a gap (other rows for the same item, rows without an item)
    # still belong in the actions table: the team planned them.
    rest = [a for a in own if not any(a == c for c in chosen)]
    actions = sorted([*chosen, *rest], key=_due_key)
    return Annex(items=items, chapters=chapters, topics=topics, actions=actions)
