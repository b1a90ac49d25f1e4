"""What `teamprotocol check` says about one form, from the stages' own rules: open checklist
items (the annex's evidence), the adoption gates, contradictions with the policy, and the Dutch
report or JSON of it. Above the stages like the batch (it uses read, assess and adoption);
the command line only prints what this returns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline import answers, terms
from pipeline.adoption import Gap, adoption_problems
from pipeline.answers import AnswerState, Verdict
from pipeline.assess import (
    arranged_by,
    form_evidence,
    open_items,
    review_warning,
    team_actions,
)
from pipeline.assess.evidence import form_context
from pipeline.catalogue import (
    CHECKLIST,
    CHECKLIST_BY_ID,
    FIELDS_BY_TAG,
    FORMS,
    TEAM_KIND,
    Field,
    FieldType,
    Merge,
)
from pipeline.errors import Problem, TeamprotocolError
from pipeline.forms.checks import NOT_FILLED
from pipeline.forms.teams_csv import team_id_problem
from pipeline.models import Answer, FormData
from pipeline.policy import load_policy
from pipeline.text import plural, printable


@dataclass(frozen=True)
class Checked:
    """What `teamprotocol check` found on one form, computed by the stages' own functions."""

    data: FormData
    open_items: list[tuple[str, list[str]]]
    adoption_errors: list[Problem]
    adoption_warnings: list[Problem]
    verdicts: dict[str, Verdict]
    # The policy's word for burger (`terms`): our questions and checklist items are shown in it.
    terminology: str = terms.DEFAULT


def assess_form(data: FormData, policy_path: Path | None, today: dt.date) -> Checked:
    """Open items (the annex's own evidence rule) and the adoption gates of one form."""
    policy = load_policy(policy_path) if policy_path else None
    arranged = arranged_by(policy) if policy else frozenset()
    items = open_items(data, today=today, arranged=arranged, policy=policy)
    errors: list[Problem] = []
    warnings: list[Problem] = []
    ctx = form_context(policy, data, today=today)
    verdicts = {f.tag: answers.verdict(f, data.fields.get(f.tag), ctx)
                for f in FORMS[data.kind].fields if f.merge is not Merge.LOCKED}
    if data.kind == TEAM_KIND:
        actions = team_actions(data, today=today)
        pending = [FIELDS_BY_TAG[t].label for t, v in verdicts.items()
                   if v.state is AnswerState.REVIEW]
        # An item that only waits for the coordinator is the pending-review gate's.
        waiting = {i for i, _ in items
                   if all(e.state in (AnswerState.GIVEN, AnswerState.REVIEW)
                          for e in form_evidence(data.kind, data, i, ctx=ctx,
                                                 arranged=arranged))
                   and not any(a.item == i for a in actions)}
        gaps = [Gap(i, next((a for a in actions if a.item == i), None))
                for i, _ in items if i not in waiting]
        errors, warnings = adoption_problems(
            data, gaps, today=today, pending_reviews=pending,
            team_lead_may_adopt=bool(policy and policy.adoption.team_lead_may_adopt))
    warnings += [p for tag, v in verdicts.items() if v.key and (p := review_warning(
        data.path, FIELDS_BY_TAG[tag], v.review_reason, v.review)) is not None]
    if policy_path:
        warnings += [Problem(file=data.path, message=e.conflict, hint=None)
                     for i in CHECKLIST
                     for e in form_evidence(data.kind, data, i.id, ctx=ctx,
                                            arranged=arranged) if e.conflict]
    terminology = policy.terminology if policy else terms.DEFAULT
    return Checked(data, items, errors, warnings, verdicts, terminology)


def _shown(field: Field, value: Answer, verdict: Verdict) -> str:
    st = verdict.state
    if field.type is FieldType.CHECKBOX:
        return "aangevinkt" if value else "niet aangevinkt"
    if field.type is FieldType.ROWS:
        table = value if isinstance(value, list) else []
        rows = sum(1 for r in table if any(v not in (None, "") for v in r.values()))
        return plural(rows, "rij", "rijen")
    if field.type is FieldType.CHOICE and st is not AnswerState.EMPTY:
        return str(value)
    if st is AnswerState.GIVEN:
        return "ingevuld"
    if st is AnswerState.REVIEW:
        return f"te beoordelen door de coördinator ({verdict.reason})"
    if st is AnswerState.EMPTY:
        return answers.describe(field, value)
    return verdict.reason or answers.describe(field, value)


def report_lines(checked: Checked) -> list[str]:
    """The Dutch lines of `teamprotocol check` for one readable form (no answer contents)."""

    data = checked.data
    spec = FORMS[data.kind]
    asked = [f for f in spec.fields if f.merge is not Merge.LOCKED]
    given = sum(checked.verdicts[f.tag].given for f in asked)
    lines = [f"{spec.title} ({data.kind}) van team {data.team_id}, schemaversie "
             f"{data.schema_version}"]
    if data.application:  # an old LibreOffice loses line breaks: say who saved it last
        lines.append(f"Laatst opgeslagen met: {data.application}")
    lines += ["", f"Beantwoord: {given} van {len(asked)} vragen."]
    lines += [f"  {f.label}: {_shown(f, data.fields.get(f.tag), checked.verdicts[f.tag])}"
              for f in asked]
    missing = [f.label for f in asked
               if f.required and answers.is_empty(f, data.fields.get(f.tag))]
    if missing:
        lines += ["", "Verplichte vragen die nog niet zijn ingevuld:"]
        lines += [f"  - {label}" for label in missing]
    review = [f.label for f in asked if checked.verdicts[f.tag].state is AnswerState.REVIEW]
    if review:
        lines += ["", "Antwoorden die de coördinator nog beoordeelt (ze tellen pas mee na "
                  "akkoord):"]
        lines += [f"  - {label}" for label in review]
    if checked.open_items:
        lines += ["", "Checklistonderdelen die dit formulier nog openlaat (hoofdstuk 7 van het "
                  "protocol):"]
        # Why on a line of its own, under the item's text.
        for i, reasons in checked.open_items:
            lines += [f"  - {i} {CHECKLIST_BY_ID[i].text}", f"      {'; '.join(reasons)}"]
    # Missing required answers are listed above; the other warnings follow here (also about
    # a missing answer, such as why a date picker's text was not read as a date).
    warnings = [p for p in [*data.warnings, *checked.adoption_warnings]
                if not (p.field in missing and p.message == NOT_FILLED)]
    errors = [*data.errors, *checked.adoption_errors]
    for title, problems in (("Fouten", data.errors), ("Vaststelling", checked.adoption_errors),
                            ("Waarschuwingen", warnings)):
        if problems:
            lines += ["", f"{title}:"] + [f"  - {p.format()}" for p in problems]
    lines.append("")
    if errors:
        lines.append(f"Het formulier bevat {plural(len(errors), 'fout', 'fouten')}; herstel "
                     f"{'die' if len(errors) == 1 else 'ze'} en controleer opnieuw.")
    elif missing:
        lines.append("Het formulier is leesbaar, maar nog niet compleet.")
    elif checked.open_items:
        lines.append("Het formulier is leesbaar en alle verplichte vragen zijn beantwoord; de "
                     "onderdelen hierboven staan in het protocol nog open.")
    else:
        lines.append("Het formulier is leesbaar en alle verplichte vragen zijn ingevuld.")
    # Our questions and checklist items say "burger"; the user reads the policy's word.
    return [terms.ours(line, checked.terminology) for line in lines]


def check_team_id(data: FormData) -> None:
    """A team id property that `build` would refuse as a folder name is an error here too."""

    if why := team_id_problem(data.team_id or ""):
        # Shortened and printable: the value comes from the file (README, personal data).
        shown = printable(data.team_id or "", 40)
        data.errors.append(Problem(
            file=str(data.path), field="team-id (documenteigenschap)",
            message=f"de team-id '{shown}' is geen geldige team-id: {why}",
            hint="Maak het formulier opnieuw met 'teamprotocol forms' of vraag de coördinator "
                 "om het formulier van uw team"))


def as_json(checked: Checked) -> dict[str, Any]:
    """`check --json` of a readable form: fields, open items, adoption, errors, warnings."""
    data = checked.data
    read = data.model_dump(mode="json")  # dates as ISO text, rows as lists of objects
    return {
        **{key: read[key] for key in ("kind", "team_id", "schema_version", "application",
                                      "fields")},
        "open_items": [i for i, _ in checked.open_items],
        # The answer rule's verdict on every question: state (leeg, regelt niets,
        # te beoordelen, deels, gegeven) and why.
        "verdicts": {tag: {"state": v.state.value, "reason": v.reason}
                     for tag, v in checked.verdicts.items()},
        "adoption": [p.model_dump(mode="json") for p in checked.adoption_errors],
        "errors": read["errors"],
        "warnings": [p.model_dump(mode="json")
                     for p in [*data.warnings, *checked.adoption_warnings]],
    }


def unreadable_json(error: TeamprotocolError) -> dict[str, Any]:
    """`check --json` of a form that cannot be read: its one problem, nothing else."""
    problem = {**error.problems[0].model_dump(), "file": error.file}
    return {"kind": None, "team_id": None, "schema_version": None, "application": None,
            "fields": {}, "open_items": [], "verdicts": {}, "adoption": [], "errors": [problem],
            "warnings": []}
