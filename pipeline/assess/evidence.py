"""The evidence for checklist items: what one form field, one form or the policy contributes
to an item, judged by the one answer rule (`pipeline.answers`), and the team's own actions.

`teamprotocol check` calls `form_evidence` and `open_items` on a single form, the annex
(`assess`) calls them on all of a team's forms: the two cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from pipeline import answers
from pipeline.answers import AnswerState, Applies, Context, Verdict
from pipeline.catalogue import (
    CHECKLIST,
    CHECKLIST_BY_ID,
    FIELDS_BY_TAG,
    FORMS,
    TEAM_KIND,
    ChecklistItem,
    Field,
    Merge,
    Tag,
)
from pipeline.models import (
    Action,
    ActionOrigin,
    FormData,
    MissingPart,
    Origin,
    Review,
    Source,
)
from pipeline.policy import Policy
from pipeline.policy.context import answer_context
from pipeline.text import form_name


@dataclass(frozen=True)
class Evidence:
    """One source an item needs, and whether it arranges its part."""

    source: Source
    state: AnswerState
    missing: MissingPart | None = None  # which source, and why it does not arrange its part
    conflict: str | None = None  # Dutch: a statement contradicting the policy
    verdict: Verdict | None = None  # the answer rule's verdict, for a form field


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


def _field_source(kind: str, field: Field, applies: Applies) -> Source:
    # Origin says whose text applies: for inherit/extend, `team` means the team added to it.
    own = applies in (Applies.TEAM, Applies.BOTH)
    origin = Origin.TEAM if own or field.merge is Merge.TEAM else Origin.ORGANISATION
    return Source(origin=origin, form=kind, tag=field.tag, label=field.label, merge=field.merge)


def field_evidence(kind: str, field: Field, form: FormData | None, *, ctx: Context,
                   arranged: frozenset[str] = frozenset()) -> Evidence:
    """What one field contributes to its items: the answer rule's verdict (`answers.verdict`),
    nothing else. Inherit, extend and locked fields are arranged by the organisation's text,
    which always applies; a team addition there can never undo it, but one that may weaken it
    waits for the coordinator (*te beoordelen*). `arranged` holds the checklist ids the policy
    arranges, to notice a statement that contradicts it.
    """
    if form is None:
        return Evidence(_field_source(kind, field, Applies.NONE), AnswerState.EMPTY,
                        MissingPart(party="team", form=kind, reason="ontbreekt"))
    answer = form.fields.get(field.tag)
    v = answers.verdict(field, answer, ctx)
    source = _field_source(kind, field, v.applies)
    if field.merge is not Merge.TEAM and v.state is not AnswerState.REVIEW:
        return Evidence(source, AnswerState.GIVEN, verdict=v)
    conflict = None
    if answers.contradicts_policy(field, answer, set(arranged)):
        conflict = (f"{form_name(kind)}: ‘{field.label}’ is beantwoord met ‘nee’, maar het beleid "
                    "zegt dat dit geregeld is; de coördinator zoekt uit wat juist is")
    if v.state is AnswerState.GIVEN:
        return Evidence(source, v.state, verdict=v)
    return Evidence(source, v.state, MissingPart(
        party="team", form=kind, question=field.label, reason=answers.reason_of(field, v),
        empty=v.state is AnswerState.EMPTY), conflict, v)


@lru_cache(maxsize=1024)
def fields_for(kind: str, item_id: str) -> tuple[Field, ...]:
    """The fields of form `kind` that the catalogue maps to checklist item `item_id`."""
    return tuple(f for f in FORMS[kind].fields if item_id in f.checklist)


def form_evidence(kind: str, form: FormData | None, item_id: str, *, ctx: Context,
                  arranged: frozenset[str] = frozenset()) -> list[Evidence]:
    """The evidence one form (or its absence) gives for one item."""
    return [field_evidence(kind, f, form, ctx=ctx, arranged=arranged)
            for f in fields_for(kind, item_id)]


def _optional_gap(e: Evidence) -> bool:
    """An optional open question of an appendix (a contact form) the team left empty: not a
    yes/no statement (one left unanswered is a visible gap, "niet beantwoord"), and not a
    question of a form that is missing altogether."""
    field = FIELDS_BY_TAG.get(e.source.tag or "")
    return (e.state is AnswerState.EMPTY and field is not None and not field.required
            and not field.is_statement and field.merge is Merge.TEAM
            and e.source.form not in (None, TEAM_KIND)
            and e.missing is not None and e.missing.question is not None)


def counted(evidence: list[Evidence]) -> list[Evidence]:
    """The evidence an item's status rests on. An optional appendix question left empty asks
    nothing of the team: it is optional, so it never makes an item *deels* (werk-en-inkomen's
    alarm and aftercare, arranged in its forms, were deels for the empty meeting-alarm and
    visit-debrief questions). The annex and `check` count the same way."""
    return [e for e in evidence if not _optional_gap(e)]


def form_context(policy: Policy | None, form: FormData | None, *, today: dt.date,
                 reviews: dict[str, Review] | None = None) -> Context:
    """The answer rule's context for one form (`policy.context.answer_context`)."""
    return answer_context(policy, today=today, form=form.fields if form else None,
                          reviews=reviews)


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
    rows = team.fields.get(Tag.ACTIONS)
    lead = str(team.fields.get(Tag.TEAM_LEAD) or "").strip() or None
    actions = []
    for row in rows if isinstance(rows, list) else []:
        what = str(row.get("wat") or "").strip()
        owner = str(row.get("eigenaar") or "").strip() or None
        item = _item_id(row.get("onderdeel"))
        # A date before the Werkwijzer or years ahead is no date: never in the annex or the
        # agenda (the adoption gates name it).
        due = answers.plausible_date(_as_date(row.get("datum")), today)
        if not (what or owner or item or due):
            continue  # an empty row the team lead left in the table
        actions.append(Action(item=item, what=what or "(geen omschrijving ingevuld)",
                              owner=owner or lead, due=due, origin=ActionOrigin.TEAM,
                              overdue=due is not None and due < today))
    return actions


def _item_id(value: object) -> str | None:
    words = str(value or "").replace("—", " ").split()
    return words[0].upper() if words and words[0].upper() in CHECKLIST_BY_ID else None


def open_items(form: FormData, *, today: dt.date, arranged: frozenset[str] = frozenset(),
               policy: Policy | None = None) -> list[tuple[str, list[str]]]:
    """The checklist ids this one form leaves open, with why: `(id, [reasons])`, each reason
    a question of this form and why, as `check` lists the answers ("Kanalen van het team:
    niet ingevuld"; the form is known to who asks), or an open action.

    An item is open on a form when one of the form's fields it needs is not *given*, or (team
    form) when the team lists an open action for it. The annex uses the same evidence.
    """
    out = []
    actions = team_actions(form, today=today) if form.kind == TEAM_KIND else []
    ctx = form_context(policy, form, today=today)
    for item in CHECKLIST:
        reasons = [answers.missing_text(e.missing, form_known=True)
                   for e in counted(form_evidence(form.kind, form, item.id, ctx=ctx,
                                                  arranged=arranged))
                   if e.state is not AnswerState.GIVEN and e.missing]
        reasons += [f"openstaande actie: {a.what}" for a in actions if a.item == item.id]
        if reasons:
            out.append((item.id, reasons))
    return out
