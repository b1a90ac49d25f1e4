"""Synthetic teams for the benchmark: the example teams cycled with new ids and varied answers."""

from __future__ import annotations

import copy
import datetime as dt
import random
from pathlib import Path

from pipeline.adoption import _ACTION_OWNER, MAX_ACTION_GAP
from pipeline.answers import is_given
from pipeline.assess import open_items
from pipeline.catalogue import (
    CHECKLIST,
    CONTACT_KINDS,
    FORMS,
    SCHEMA_VERSION,
    TEAM_KIND,
    FieldType,
    Merge,
)
from pipeline.examples import check_answers, example_teams
from pipeline.forms.many import Common, TeamJob, write_many
from pipeline.forms.write import locked_texts_of
from pipeline.models import Answer, Cell, FormData, TeamIdentity
from pipeline.policy import load_policy

Answers = dict[str, dict[str, Answer]]

# Sentences a team might add, so that documents differ in length and content.
EXTRA_LINES = (
    "Nieuwe collega's krijgen dit in hun eerste week uitgelegd door een vaste buddy.",
    "We bespreken dit punt opnieuw in het werkoverleg na de zomer.",
    "Bij twijfel overlegt de medewerker eerst met de teamleider of de coördinator.",
    "De afspraken hangen ook in de teamruimte en staan op het intranet.",
    "Uitzendkrachten en stagiairs volgen dezelfde afspraken als vaste medewerkers.",
)
EXTRA_ACTIONS = (
    "Alarmknoppen in alle spreekkamers testen en registreren",
    "Opfristraining de-escaleren inplannen voor nieuwe collega's",
    "Huisregels vertalen naar eenvoudig Nederlands en Engels",
    "Nazorgregeling bespreken in het werkoverleg",
    "Incidentcijfers per kwartaal agenderen in het MT",
    "Werkplek bij de ingang anders inrichten met vrije vluchtweg",
)
DROP_CHANCE = 0.15  # an optional answer left empty, so completeness varies per team
EXTEND_CHANCE = 0.3  # a multi-line answer gets an extra sentence


def _optional_tags(kind: str) -> set[str]:
    """Tags a team lead may leave empty without the form becoming invalid."""
    return {f.tag for f in FORMS[kind].fields
            if not f.required and f.merge is not Merge.LOCKED and not f.prefill
            # What an adoption rests on (adoption gates): Stap 1 and Stap 2 and their dates.
            and f.tag not in ("team.vastgesteld_door", "team.vastgesteld_op",
                              "team.inventarisatie", "team.teamoverleg")}


def _multiline_tags(kind: str) -> set[str]:
    return {f.tag for f in FORMS[kind].fields if f.type is FieldType.MULTILINE}


def _vary_form(kind: str, answers: dict[str, Answer], rng: random.Random) -> dict[str, Answer]:
    """Drop some optional answers and lengthen some multi-line ones."""
    optional, multiline = _optional_tags(kind), _multiline_tags(kind)
    varied: dict[str, Answer] = {}
    for tag, value in answers.items():
        if tag in optional and rng.random() < DROP_CHANCE:
            continue
        if tag in multiline and isinstance(value, str) and rng.random() < EXTEND_CHANCE:
            value = value + "\n" + rng.choice(EXTRA_LINES)
        varied[tag] = value
    return varied


def _vary_team_form(answers: dict[str, Answer], rng: random.Random) -> None:
    """Team size, version, status, dates and open actions differ per team."""
    answers["team.aantal_medewerkers"] = str(rng.randint(4, 60))
    answers["team.versie"] = f"{rng.randint(1, 3)}.{rng.randint(0, 9)}"
    if answers.get("team.status") == "vastgesteld" and rng.random() < 0.3:
        answers["team.status"] = "concept"
    # Never into the future: an adoption dated after the build is refused (adoption gates).
    shift = dt.timedelta(days=rng.randint(-60, 0))
    for tag in ("team.inventarisatie", "team.teamoverleg", "team.volgende_evaluatie",
                "team.vastgesteld_op"):
        value = answers.get(tag)
        if isinstance(value, dt.date):
            answers[tag] = value + shift
    rows = _rows(answers.get("team.acties"))
    for _ in range(rng.randint(0, 4)):
        rows.append({"wat": rng.choice(EXTRA_ACTIONS), "onderdeel": rng.choice(CHECKLIST).id,
                     "eigenaar": rng.choice(("Teamleider", "Facilitaire Zaken", "HR")),
                     "datum": dt.date(2027, rng.randint(1, 12), rng.randint(1, 28))})
    answers["team.acties"] = rows


def _rows(answer: Answer) -> list[dict[str, Cell]]:
    """The rows of a table answer (a copy); none for any other answer."""
    return list(answer) if isinstance(answer, list) else []


def synthetic_team(n: int, base: tuple[TeamIdentity, Answers], rng: random.Random
                   ) -> tuple[TeamIdentity, Answers]:
    """Team number `n`: a copy of an example team with a new id and varied answers."""
    identity, answers = base
    kinds = list(identity.contact_kinds)
    if len(kinds) > 1 and rng.random() < 0.25:  # some teams lack one of the contact types
        kinds.remove(rng.choice(kinds))
    new = TeamIdentity(**{**identity.model_dump(), "team_id": f"{identity.team_id}-{n:04d}",
                          "team": f"{identity.team} {n}", "contact_kinds": tuple(kinds)})
    varied: Answers = {}
    for kind, form in copy.deepcopy(answers).items():
        if kind != TEAM_KIND and kind not in kinds:
            continue
        if kind == TEAM_KIND:
            _vary_team_form(form, rng)
        # Checked against the catalogue, as the example teams are: a bad variation fails here.
        varied[kind] = check_answers(kind, _vary_form(kind, form, rng), file="synthetisch",
                                     identity=new)
    if varied[TEAM_KIND].get("team.status") == "vastgesteld":
        _plan_every_gap(new, varied)
    return new, varied


def _plan_every_gap(identity: TeamIdentity, answers: Answers) -> None:
    """An adopted team needs an action with owner and date for every open item (adoption
    gates): add one per item its forms leave open, as a coordinator would ask for."""
    fields = {f.tag: None for f in FORMS[TEAM_KIND].fields}
    team = {**fields, **answers[TEAM_KIND],
            **{f"team.contact_{k}": k in identity.contact_kinds for k in CONTACT_KINDS}}
    forms = [FormData(path="synthetisch", kind=TEAM_KIND, team_id=identity.team_id,
                      schema_version=SCHEMA_VERSION, fields=team)]
    forms += [FormData(path="synthetisch", kind=k, team_id=identity.team_id,
                       schema_version=SCHEMA_VERSION,
                       fields={**{f.tag: None for f in FORMS[k].fields}, **answers.get(k, {})})
              for k in identity.contact_kinds]
    today = dt.date.today()
    open_ids = sorted({i for f in forms for i, _ in open_items(f, today=today)})
    rows = _rows(answers[TEAM_KIND].get("team.acties"))
    planned = {r.get("onderdeel") for r in rows}
    rows += [{"wat": f"Afspraken maken over {i}", "onderdeel": i, "eigenaar": "Teamleider",
              "datum": today + dt.timedelta(days=120)} for i in open_ids if i not in planned]
    # Every action of an adopted protocol has a named owner and a date after the adoption
    # (adoption gates): the example teams' vaguer rows are made concrete, as a coordinator
    # would ask before the adoption.
    adopted = answers[TEAM_KIND].get("team.vastgesteld_op")
    for row in rows:
        if not is_given(_ACTION_OWNER, row.get("eigenaar")):
            row["eigenaar"] = "Teamleider"
        due = row.get("datum")
        if isinstance(adopted, dt.date) and isinstance(due, dt.date) and not (
                adopted < due <= adopted + MAX_ACTION_GAP):
            row["datum"] = adopted + dt.timedelta(days=120)
    answers[TEAM_KIND]["team.acties"] = rows


def write_synthetic_forms(dest: Path, count: int, seed: int = 2026) -> list[TeamIdentity]:
    """Write the filled forms of `count` synthetic teams to `dest/<team_id>/`."""
    rng = random.Random(seed)
    bases = example_teams()
    locked = locked_texts_of(load_policy())
    jobs = []
    for n in range(count):
        identity, answers = synthetic_team(n, bases[n % len(bases)], rng)
        jobs.append(TeamJob(identity, answers))
    # As `teamprotocol forms` writes them: a worker process per core.
    write_many(jobs, Common(dest, locked), done=lambda: None)
    return [job.identity for job in jobs]
