"""The adoption gates: what status `vastgesteld` requires before a protocol may be archived.

Adoption is a decision (Werkwijzer, stap 3): it needs the Stap 2 team meeting, a next
evaluation after the adoption and within two years, a real version, and an owner and a due
date for every gap. `build` fails a team that does not pass (nothing is archived) and
`teamprotocol check` shows the same problems on the team form before it is sent. Pure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.catalogue import FIELDS_BY_TAG
from pipeline.errors import Problem
from pipeline.models import Action, FormData
from pipeline.text import parse_version

ADOPTED = "vastgesteld"
MAX_EVALUATION_GAP = dt.timedelta(days=2 * 366)  # "at most two years later"
_CONCEPT_HINT = "of zet de status op 'concept' zolang dit niet klopt"


@dataclass(frozen=True)
class Gap:
    """A checklist item that is not geregeld, with the action that closes it (None: none)."""

    item: str
    action: Action | None


def _label(tag: str) -> str:
    return FIELDS_BY_TAG[tag].label


def adoption_problems(team: FormData, gaps: Iterable[Gap], *,
                      today: dt.date) -> tuple[list[Problem], list[Problem]]:
    """Errors and warnings of the team form's adoption; none unless the status is vastgesteld."""
    fields = team.fields
    if str(fields.get("team.status") or "").strip().lower() != ADOPTED:
        return [], []
    errors: list[Problem] = []
    warnings: list[Problem] = []

    def error(tag: str | None, message: str, hint: str) -> None:
        errors.append(Problem(file=team.path, field=_label(tag) if tag else None, tag=tag,
                              message=message, hint=f"{hint}, {_CONCEPT_HINT}"))

    by = str(fields.get("team.vastgesteld_door") or "").strip()
    on = fields.get("team.vastgesteld_op")
    on = on if isinstance(on, dt.date) else None
    meeting = fields.get("team.teamoverleg")
    meeting = meeting if isinstance(meeting, dt.date) else None
    nxt = fields.get("team.volgende_evaluatie")
    nxt = nxt if isinstance(nxt, dt.date) else None
    if not by:
        error("team.vastgesteld_door", "de status is 'vastgesteld' maar dit veld is leeg",
              "Vul in wie het protocol heeft vastgesteld")
    if on is None:
        error("team.vastgesteld_op", "de status is 'vastgesteld' maar dit veld is leeg",
              "Vul de datum van de vaststelling in")
    elif on > today:
        error("team.vastgesteld_op", "de datum van vaststelling ligt in de toekomst",
              "Zet de status pas op 'vastgesteld' als het protocol is vastgesteld")
    if meeting is None:
        error("team.teamoverleg", "een protocol wordt vastgesteld na het teamoverleg (stap 2), "
              "maar de datum daarvan is leeg", "Vul de datum van het teamoverleg in")
    elif on is not None and meeting > on:
        error("team.teamoverleg", "het teamoverleg (stap 2) ligt na de vaststelling",
              "Stel het protocol vast na het teamoverleg")
    if nxt is None:
        error("team.volgende_evaluatie", "bij een vastgesteld protocol hoort een datum voor de "
              "volgende evaluatie", "Kies de datum van de volgende evaluatie")
    elif on is not None and not on < nxt <= on + MAX_EVALUATION_GAP:
        error("team.volgende_evaluatie", "de volgende evaluatie moet na de vaststelling liggen "
              "en hooguit twee jaar later", "Kies een datum binnen twee jaar na de vaststelling")
    version = parse_version(fields.get("team.versie"))
    if version is None and fields.get("team.versie"):
        error("team.versie", "de versie is geen versienummer; een vastgesteld protocol heeft "
              "versie 1.0 of hoger", "Schrijf de versie als 1.0, 2.1 of v1.0; een woord "
              "erachter (1.0 definitief) mag")
    elif version is None or version < (1, 0):
        error("team.versie", "een vastgesteld protocol heeft versie 1.0 of hoger",
              "Geef het protocol bij de vaststelling versie 1.0 (of hoger)")
    no_action = [g.item for g in gaps if g.action is None or g.action.origin == "open"]
    no_date = [g.item for g in gaps if g.action is not None and g.action.origin != "open"
               and (g.action.due is None or not g.action.owner)]
    if no_action:
        error("team.acties", "voor deze onderdelen die nog niet geregeld zijn, staat geen actie: "
              + ", ".join(no_action), "Zet per onderdeel een rij bij de openstaande acties, met "
              "wat er gebeurt, de eigenaar en de datum")
    if no_date:
        error("team.acties", "bij de acties voor " + ", ".join(no_date) + " ontbreekt een "
              "eigenaar of een datum", "Vul bij elke actie de eigenaar en de datum in")
    lead = str(fields.get("team.leidinggevende") or "").strip()
    if by and lead and lead.lower() in by.lower():
        warnings.append(Problem(
            file=team.path, field=_label("team.vastgesteld_door"), tag="team.vastgesteld_door",
            message="de leidinggevende van het team stelt het eigen protocol vast",
            hint="De Werkwijzer verwacht dat de leidinggevende daarboven het protocol vaststelt, "
                 "na advies van de coördinator"))
    return errors, warnings
