"""Fixtures for the merge and assess tests: a small Policy and TeamForms built in Python."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from pipeline.catalogue import FIELDS_BY_TAG, FORMS, POLICY_CHECKLIST, FieldType
from pipeline.models import Answer, FormData, TeamForms
from pipeline.policy import (
    BehaviourForms,
    Branding,
    ChecklistAnswer,
    Contact,
    Contacts,
    FrameSection,
    Policy,
)

ORG = "Gemeente Testdorp"


def policy_texts() -> dict[str, str]:
    """One recognisable organisation text per catalogue `policy_text` key."""
    keys = {f.policy_text for f in FIELDS_BY_TAG.values() if f.policy_text}
    return {k: f"Organisatietekst {k}." for k in keys if not k.startswith("contact.")}


def make_policy(*, not_arranged: tuple[str, ...] = (), texts: dict[str, str] | None = None,
                **checklist: ChecklistAnswer) -> Policy:
    """A valid Policy; items in `not_arranged` get a planned action instead of a document."""
    answers = {
        i: ChecklistAnswer(arranged=False, action=f"Organisatie regelt {i}", owner="HR",
                           due=dt.date(2026, 6, 1))
        if i in not_arranged else ChecklistAnswer(arranged=True, document=f"Document {i}",
                                                  date="2024-03")
        for i in POLICY_CHECKLIST
    }
    answers.update(checklist)
    return Policy(
        branding=Branding(organisation=ORG, short_name="testdorp"),
        contacts=Contacts(
            coordinator=Contact(name="A. Coördinator", role="coördinator"),
            vertrouwenspersoon=Contact(name="V. Persoon", role="vertrouwenspersoon"),
            nazorg=Contact(name="N. Zorg", role="nazorg", phone="0123-456789"),
        ),
        chapters={n: [FrameSection(title=f"Kader {n}", paragraphs=[f"Kadertekst {n}."],
                                   bullets=[f"Punt {n}"])] for n in range(1, 7)},
        texts={**policy_texts(), **(texts or {})},
        behaviour_forms=BehaviourForms(verbaal=["schelden", "discrimineren", "treiteren"],
                                       bedreiging=["stalken"], fysiek=["slaan", "spugen"]),
        checklist=answers,
    )


def filled_value(tag: str) -> Answer:
    """A non-empty answer of the right type for any catalogue field."""
    field = FIELDS_BY_TAG[tag]
    if field.type is FieldType.CHECKBOX:
        return True
    if tag == "team.volgende_evaluatie":  # a plan: after the adoption, within two years
        return dt.date(2027, 3, 1)
    if field.type is FieldType.DATE:
        return dt.date(2026, 3, 3)
    if field.type is FieldType.CHOICE:
        return field.choices[0]
    if field.type is FieldType.ROWS:
        return [{c.name: f"waarde {c.name}" for c in field.columns}]
    # A real arrangement (the answer rule judges what a text says), unique per field.
    return (f"De teamleider en twee collega's regelen dit elke maand samen "
            f"(afspraak {tag.replace('.', ' ').replace('_', ' ').replace('niet', 'no')}).")


def empty_value(tag: str) -> Answer:
    """What the reader returns for an unanswered field of this type."""
    field = FIELDS_BY_TAG[tag]
    if field.type is FieldType.CHECKBOX:
        return False
    return [] if field.type is FieldType.ROWS else None


def make_form(kind: str, team_id: str = "t1", *, fill: bool = False,
              **answers: Answer) -> FormData:
    """A FormData of `kind`: all fields empty (or all filled), then `answers` by tag suffix.

    Keyword names are tags without the kind prefix, e.g. `competenties="…"` on the team form.
    """
    fields = {f.tag: (filled_value(f.tag) if fill else empty_value(f.tag))
              for f in FORMS[kind].fields}
    for name, value in answers.items():
        tag = f"{kind}.{name}"
        assert tag in fields, tag
        fields[tag] = value
    return FormData(path=f"{team_id}/{kind}.docx", kind=kind, team_id=team_id,
                    schema_version="1", fields=fields)


def make_team_form(**answers: Answer) -> FormData:
    """A team form with identity filled in and everything else empty unless given."""
    base: dict[str, Answer] = {"team": "Team Burgerzaken", "afdeling": "Publiekszaken",
                               "leidinggevende": "L. Eiding", "versie": "1.0"}
    return make_form("team", **{**base, **answers})


def make_forms(*forms: FormData, team_id: str = "t1") -> TeamForms:
    """TeamForms from FormData values, keyed by their kind."""
    return TeamForms(team_id=team_id, forms={f.kind: f for f in forms})


# Factories are session-scoped (they hold no state), so hypothesis tests can use them too.
@pytest.fixture(scope="session")
def policy() -> Policy:
    return make_policy()


@pytest.fixture(scope="session")
def policy_factory() -> Callable[..., Policy]:
    return make_policy


@pytest.fixture(scope="session")
def form() -> Callable[..., FormData]:
    return make_form


@pytest.fixture(scope="session")
def team_form() -> Callable[..., FormData]:
    return make_team_form


@pytest.fixture(scope="session")
def team_forms() -> Callable[..., TeamForms]:
    return make_forms


@pytest.fixture(scope="session")
def filled() -> Callable[[str], Answer]:
    return filled_value
