"""Assess stage: the status of every checklist item -> the completeness annex (chapter 7).

Pure functions: no I/O, no printing. `assess` takes the policy, the forms and the team's
contact kinds (from `merge.contact_kinds` or `Protocol.meta.contact_kinds`) rather than the
Protocol, because the status depends on the raw answers (an empty inherit field is filled by
the organisation; a locked field ignores what the team typed), not on the rendered text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pipeline.catalogue import (
    CHAPTERS,
    CHECKLIST,
    CHECKLIST_BY_ID,
    FORMS,
    INSPECTION_TOPICS,
    TEAM_KIND,
    ChecklistItem,
    Field,
    FieldType,
    Merge,
)
from pipeline.merge import answer_of, form_name, is_filled, merge
from pipeline.models import (
    Action,
    Annex,
    ChapterScore,
    ItemAssessment,
    Origin,
    Protocol,
    Source,
    Status,
    TeamForms,
    TopicAssessment,
)
from pipeline.policy import Policy

ACTIONS_TAG = "team.acties"
UNDECIDED = "Nog te bepalen: wie dit regelt en wanneer "
# How far along an item is; used to combine and to compare statuses.
RANK = {Status.ONTBREEKT: 0, Status.DEELS: 1, Status.GEREGELD: 2}


@dataclass(frozen=True)
class _Evidence:
    source: Source
    filled: bool
    missing: str | None = None  # Dutch description when not filled


def _parse_due(value: object) -> dt.date | None:
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


def _item_id(value: object) -> str | None:
    words = str(value or "").replace("—", " ").split()
    return words[0].upper() if words and words[0].upper() in CHECKLIST_BY_ID else None


def team_actions(forms: TeamForms) -> list[Action]:
    """The team's open actions (`team.acties` rows) as Actions with origin `team`."""
    rows = answer_of(forms.forms.get(TEAM_KIND), ACTIONS_TAG)
    actions = []
    for row in rows if isinstance(rows, list) else []:
        what = str(row.get("wat") or "").strip()
        owner = str(row.get("eigenaar") or "").strip() or None
        item = _item_id(row.get("onderdeel"))
        due = _parse_due(row.get("datum"))
        if not (what or owner or item or due):
            continue  # an empty row the team lead left in the table
        actions.append(Action(item=item, what=what or "(geen omschrijving ingevuld)", owner=owner,
                              due=due, origin="team"))
    return actions


def _organisation_evidence(policy: Policy, item: ChecklistItem) -> list[_Evidence]:
    answer = policy.checklist.get(item.id)
    if answer is None:
        return []
    if answer.arranged:
        label = ", ".join(p for p in (answer.document, answer.date) if p)
        return [_Evidence(Source(origin=Origin.ORGANISATION, label=label), True)]
    return [_Evidence(Source(origin=Origin.ORGANISATION), False, f"organisatie: {answer.action}")]


def _field_evidence(kind: str, field: Field, forms: TeamForms) -> _Evidence:
    form = forms.forms.get(kind)
    if form is None:
        return _Evidence(Source(origin=Origin.TEAM, form=kind, tag=field.tag, label=field.label,
                                merge=field.merge), False, f"{form_name(kind)} ontbreekt")
    answer = answer_of(form, field.tag)
    own = field.merge is not Merge.LOCKED and is_filled(field, answer)
    # Origin says whose text applies: for inherit/extend, `team` means the team overrode or added.
    source = Source(origin=Origin.TEAM if own or field.merge is Merge.TEAM else
                    Origin.ORGANISATION, form=kind, tag=field.tag, label=field.label,
                    merge=field.merge)
    if field.merge is not Merge.TEAM:
        return _Evidence(source, True)  # the organisation text applies
    if own:
        return _Evidence(source, True)
    note = f"{form_name(kind)}: {field.label}"
    if field.type is FieldType.CHOICE and isinstance(answer, str) and answer.strip():
        # e.g. intervision frequency "niet": answered, but it says the thing is not done.
        note += f" (ingevuld: ‘{answer.strip()}’)"
    return _Evidence(source, False, note)


def _evidence(policy: Policy, forms: TeamForms, kinds: list[str],
              item: ChecklistItem) -> list[_Evidence]:
    found = _organisation_evidence(policy, item)
    for kind in (TEAM_KIND, *kinds):
        found += [_field_evidence(kind, f, forms) for f in FORMS[kind].fields
                  if item.id in f.checklist]
    return found


def _status(evidence: list[_Evidence]) -> Status:
    filled = sum(e.filled for e in evidence)
    if evidence and filled == len(evidence):
        return Status.GEREGELD
    return Status.DEELS if filled else Status.ONTBREEKT


def _gap_action(policy: Policy, item: ChecklistItem, missing: list[str],
                own: list[Action]) -> Action:
    mine = sorted((a for a in own if a.item == item.id), key=_due_key)
    if mine:
        return mine[0]
    answer = policy.checklist.get(item.id)
    if answer is not None and not answer.arranged and answer.action:
        return Action(item=item.id, what=answer.action, owner=answer.owner, due=answer.due,
                      origin="organisatie")
    return Action(item=item.id, what=f"{UNDECIDED}({'; '.join(missing)})", origin="open")


def assess_item(policy: Policy, forms: TeamForms, kinds: list[str], item: ChecklistItem,
                own: list[Action] | None = None) -> ItemAssessment:
    """One checklist item: status, the sources it relied on, what is missing, the gap's action."""
    base = {"id": item.id, "chapter": item.chapter, "text": item.text}
    if item.contact_kinds and not set(item.contact_kinds) & set(kinds):
        return ItemAssessment(**base, status=Status.NVT, sources=[])
    evidence = _evidence(policy, forms, kinds, item)
    status = _status(evidence)
    missing = list(dict.fromkeys(e.missing for e in evidence if not e.filled and e.missing))
    if not evidence:
        missing = ["geen organisatietekst of teamvraag voor dit onderdeel"]
    action = None
    if status is not Status.GEREGELD:
        action = _gap_action(policy, item, missing,
                             team_actions(forms) if own is None else own)
    return ItemAssessment(**base, status=status, sources=[e.source for e in evidence],
                          missing=missing, action=action)


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


def _due_key(action: Action) -> tuple[bool, dt.date, int]:
    order = [i.id for i in CHECKLIST]
    return (action.due is None, action.due or dt.date.max,
            order.index(action.item) if action.item in order else len(order))


def assess(policy: Policy, forms: TeamForms, contact_kinds: list[str]) -> Annex:
    """Every checklist item's status, a score per chapter, the 11 inspection topics and actions."""
    own = team_actions(forms)
    items = [assess_item(policy, forms, contact_kinds, i, own) for i in CHECKLIST]
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
    # Team actions not used for a gap (other rows for the same item, items already arranged,
    # rows without an item) still belong in the actions table: the team planned them.
    rest = [a for a in own if not any(a is c for c in chosen)]
    actions = sorted([*chosen, *rest], key=_due_key)
    return Annex(items=items, chapters=chapters, topics=topics, actions=actions)


def assemble(policy: Policy, forms: TeamForms) -> Protocol:
    """Merge then assess: the complete Protocol of one team, annex included."""
    protocol = merge(policy, forms)
    annex = assess(policy, forms, protocol.meta.contact_kinds)
    return protocol.model_copy(update={"annex": annex})
