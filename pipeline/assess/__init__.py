"""Assess stage: the status of every checklist item -> the completeness annex (chapter 7).

Pure functions: no I/O, no printing. An item's status comes from its *evidence*
(`evidence.py`): the policy's own answer for the item, and every form field the catalogue
maps to it, each judged by the one answer rule (`pipeline.answers`). Here the evidence
becomes statuses, the gap's action, chapter scores and the inspectorate's topics.
"""

from __future__ import annotations

import datetime as dt

from pipeline import answers
from pipeline.answers import AnswerState
from pipeline.assess.evidence import (
    Evidence,
    arranged_by,
    counted,
    form_context,
    form_evidence,
    open_items,
    policy_evidence,
    team_actions,
)
from pipeline.catalogue import (
    CHAPTERS,
    CHECKLIST,
    FIELDS_BY_TAG,
    FORMS,
    INSPECTION_TOPICS,
    TEAM_KIND,
    ChecklistItem,
    Field,
    Merge,
    Tag,
)
from pipeline.errors import Problem
from pipeline.models import (
    Action,
    ActionOrigin,
    Annex,
    ChapterScore,
    Decision,
    ItemAssessment,
    MissingPart,
    Review,
    ReviewItem,
    Status,
    TeamForms,
    TopicAssessment,
)
from pipeline.policy import Policy

# How far along an item is; used to combine and to compare statuses.
RANK = {Status.ONTBREEKT: 0, Status.DEELS: 1, Status.TE_BEOORDELEN: 2, Status.GEREGELD: 3}
_LEVEL = {AnswerState.EMPTY: 0, AnswerState.NOTHING: 0, AnswerState.PARTIAL: 1,
          AnswerState.REVIEW: 1, AnswerState.GIVEN: 2}


def _status(evidence: list[Evidence]) -> Status:
    """Geregeld when every source arranges its part; te beoordelen when the only parts left
    wait for the coordinator's review; else deels or ontbreekt. Te beoordelen is never
    counted as arranged."""
    levels = [_LEVEL[e.state] for e in evidence]
    if levels and min(levels) == 2:
        return Status.GEREGELD
    if all(e.state in (AnswerState.GIVEN, AnswerState.REVIEW) for e in evidence):
        return Status.TE_BEOORDELEN
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
                      origin=ActionOrigin.ORGANISATION)
    what = "Afspraak maken over: " + "; ".join(labels) if labels else item.text
    return Action(item=item.id, what=what, owner=lead, origin=ActionOrigin.OPEN)


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
        form = forms.forms.get(kind)
        ctx = form_context(policy, form, today=today, reviews=forms.reviews)
        evidence += form_evidence(kind, form, item.id, ctx=ctx, arranged=arranged)
    evidence = counted(evidence)
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
        lead = str(team.fields.get(Tag.TEAM_LEAD) or "").strip() or None if team else None
        action = _gap_action(policy, item, labels, own, lead)
        if status is Status.TE_BEOORDELEN and action.origin is ActionOrigin.OPEN:
            # What is left is the coordinator's judgement, not a team task.
            action = Action(item=item.id, what="De coördinator beoordeelt het antwoord van "
                            "het team", owner=policy.contacts.coordinator.name,
                            origin=ActionOrigin.ORGANISATION)
        if action.due is not None:
            action = action.model_copy(update={"overdue": action.due < today})
    conflicts = [e.conflict for e in evidence if e.conflict]
    reviewed = [e.verdict.review for e in evidence
                if e.verdict is not None and e.verdict.review is not None]
    return ItemAssessment(**base, status=status, sources=[e.source for e in evidence],
                          missing=missing, action=action, conflicts=conflicts,
                          given=[e.source for e in evidence if e.state is AnswerState.GIVEN],
                          reviews=list(dict.fromkeys(reviewed)))


def combine(statuses: list[Status]) -> Status:
    """Combined status of items: all geregeld or n.v.t. -> geregeld; none filled -> ontbreekt;
    only reviews left -> te beoordelen."""
    if all(s is Status.NVT for s in statuses):
        return Status.NVT
    applicable = [s for s in statuses if s is not Status.NVT]
    if all(s is Status.GEREGELD for s in applicable):
        return Status.GEREGELD
    if all(s in (Status.GEREGELD, Status.TE_BEOORDELEN) for s in applicable):
        return Status.TE_BEOORDELEN
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
    return Annex(items=items, chapters=chapters, topics=topics, actions=actions,
                 reviews=review_items(policy, forms, contact_kinds, today=today))


def review_items(policy: Policy, forms: TeamForms, contact_kinds: list[str], *,
                 today: dt.date) -> list[ReviewItem]:
    """Every answer of the team that the answer rule sends to the coordinator, with the
    coordinator's decision on its exact text (if any), in form and question order."""
    out = []
    for kind in (TEAM_KIND, *contact_kinds):
        form = forms.forms.get(kind)
        if form is None:
            continue
        ctx = form_context(policy, form, today=today, reviews=forms.reviews)
        for field in FORMS[kind].fields:
            answer = form.fields.get(field.tag)
            v = answers.verdict(field, answer, ctx)
            if not v.key:
                continue
            out.append(ReviewItem(form=kind, tag=field.tag, question=field.label,
                                  text=str(answer).strip(), reason=v.review_reason, key=v.key,
                                  review=v.review))
    return out


def review_warning(file: str, field: Field, reason: str, review: Review | None) -> Problem | None:
    """The warning about an answer the rule sent to the coordinator (`reason`), as its review
    stands: still to be reviewed, or not accepted (with the coordinator's note); none once
    accepted. Made here, in context, because the review and the organisation's text decide
    it: reading the form alone knows neither."""
    if review is not None and review.decision is Decision.ACCEPTED:
        return None
    # Only an addition to the organisation's text can weaken it; a team question is the
    # team's alone.
    addition = ("" if field.merge is Merge.TEAM else
                "; een aanvulling mag de afspraak van de organisatie niet afzwakken")
    message = (f"de coördinator beoordeelt dit antwoord nog: {reason}" if review is None
               else answers.rejection(review))
    return Problem(file=file, field=field.label, tag=field.tag, message=message,
                   hint=f"Beschrijf concreet wie wat doet en wanneer{addition}")


def review_warnings(forms: TeamForms, reviews: list[ReviewItem]) -> list[Problem]:
    """`review_warning` for each of the annex's review items (`Annex.reviews`)."""
    found = (review_warning(forms.forms[r.form].path, FIELDS_BY_TAG[r.tag], r.reason, r.review)
             for r in reviews if r.form in forms.forms)
    return [p for p in found if p is not None]


# What the batch, `check` and the tests use; the evidence functions live in evidence.py.
__all__ = ["RANK", "arranged_by", "assess", "assess_item", "combine", "form_evidence",
           "open_items", "review_warning", "review_warnings", "team_actions"]
