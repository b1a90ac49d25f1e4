"""The adoption gates: what status `vastgesteld` requires before a protocol may be archived.

Adoption is a decision (Werkwijzer, stap 3) after real meetings, not a paper plan: a Stap 1
conversation with the coordinator and a Stap 2 team meeting with plausible dates in order (for
a re-adoption after the previous adoption), a next evaluation after the adoption and within
two years, a real version, an action for every gap with a real description, a named owner and
a due date within two years after the adoption, no answer left *te beoordelen* without the
coordinator's decision, and an adopter who is not the team lead (unless the policy says team
leads adopt: the organisation's rule, not the Werkwijzer's). `build` fails a team that does
not pass (nothing is archived) and `teamprotocol check` shows the same problems on the team
form before it is sent. Pure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from pipeline import answers
from pipeline.catalogue import FIELDS_BY_TAG, Field, FieldType, Merge, ProtocolStatus, Tag
from pipeline.errors import Problem
from pipeline.models import Action, ActionOrigin, FormData
from pipeline.text import dutch_date, parse_version

MAX_EVALUATION_GAP = dt.timedelta(days=2 * 366)  # "at most two years later"
MAX_ACTION_GAP = dt.timedelta(days=2 * 366)
_CONCEPT_HINT = "of zet de status op 'concept' zolang dit niet klopt"
# How an action's description and owner are judged: by the one answer rule, as a short
# text that must say something ("?" , "iemand", "wij", "team" and "iedereen" say nothing).
_ACTION_TEXT = Field(tag=f"{Tag.ACTIONS}.wat", label="Actie", help="", type=FieldType.TEXT,
                     merge=Merge.TEAM, checklist=("B3",))
_ACTION_OWNER = _ACTION_TEXT.model_copy(update={"tag": f"{Tag.ACTIONS}.eigenaar",
                                                "label": "Eigenaar"})


@dataclass(frozen=True)
class Gap:
    """A checklist item that is not geregeld, with the action that closes it (None: none)."""

    item: str
    action: Action | None


def _label(tag: str) -> str:
    return FIELDS_BY_TAG[tag].label


def _date(fields: Mapping[str, object], tag: str, today: dt.date) -> dt.date | None:
    """A date answer that the answer rule accepts as a real date (`answers.plausible_date`)."""
    return answers.plausible_date(fields.get(tag), today)


def adoption_problems(team: FormData, gaps: Iterable[Gap], *, today: dt.date,
                      pending_reviews: Iterable[str] = (),
                      previous_adoption: dt.date | None = None,
                      team_lead_may_adopt: bool = False) -> tuple[list[Problem], list[Problem]]:
    """Errors and warnings of the team form's adoption; none unless the status is vastgesteld.

    `pending_reviews` names the questions whose answers still wait for the coordinator;
    `previous_adoption` is the date of the last adopted version in the archive.
    """
    fields = team.fields
    if str(fields.get(Tag.STATUS) or "").strip().lower() != ProtocolStatus.ADOPTED:
        return [], _concept_with_adoption(team)
    errors: list[Problem] = []

    def error(tag: str | None, message: str, hint: str) -> None:
        label = _label(tag) if tag in FIELDS_BY_TAG else None
        errors.append(Problem(file=team.path, field=label, tag=tag,
                              message=message, hint=f"{hint}, {_CONCEPT_HINT}"))

    by = str(fields.get(Tag.ADOPTED_BY) or "").strip()
    on = _date(fields, Tag.ADOPTED_ON, today)
    stap1 = _date(fields, Tag.STEP_ONE, today)
    meeting = _date(fields, Tag.TEAM_MEETING, today)
    nxt = _date(fields, Tag.NEXT_EVALUATION, today)
    for tag in (Tag.ADOPTED_ON, Tag.STEP_ONE, Tag.TEAM_MEETING, Tag.NEXT_EVALUATION):
        value = fields.get(tag)
        if isinstance(value, dt.date) and _date(fields, tag, today) is None:
            why = answers.date_issue(tag, value, today) or "dit is geen echte datum"
            error(tag, why, "Vul de juiste datum in")
    if not by:
        error(Tag.ADOPTED_BY, "de status is 'vastgesteld' maar dit veld is leeg",
              "Vul in wie het protocol heeft vastgesteld")
    if on is None and fields.get(Tag.ADOPTED_ON) is None:
        error(Tag.ADOPTED_ON, "de status is 'vastgesteld' maar dit veld is leeg",
              "Vul de datum van de vaststelling in")
    elif on is not None and on > today:
        error(Tag.ADOPTED_ON, "de datum van vaststelling ligt in de toekomst",
              "Zet de status pas op 'vastgesteld' als het protocol is vastgesteld")
    if stap1 is None and fields.get(Tag.STEP_ONE) is None:
        error(Tag.STEP_ONE, "een protocol wordt vastgesteld na het gesprek met de "
              "coördinator (stap 1), maar de datum daarvan is leeg",
              "Vul de datum van het gesprek van stap 1 in")
    if meeting is None and fields.get(Tag.TEAM_MEETING) is None:
        error(Tag.TEAM_MEETING, "een protocol wordt vastgesteld na het teamoverleg (stap 2), "
              "maar de datum daarvan is leeg", "Vul de datum van het teamoverleg in")
    if stap1 is not None and meeting is not None and stap1 > meeting:
        error(Tag.TEAM_MEETING, "het teamoverleg (stap 2) ligt vóór het gesprek met de "
              "coördinator (stap 1)", "Controleer beide datums: eerst stap 1, dan stap 2")
    if meeting is not None and on is not None and meeting > on:
        error(Tag.TEAM_MEETING, "het teamoverleg (stap 2) ligt na de vaststelling",
              "Stel het protocol vast na het teamoverleg")
    if meeting is not None and previous_adoption is not None and meeting <= previous_adoption:
        error(Tag.TEAM_MEETING, "het teamoverleg (stap 2) ligt niet na de vorige vaststelling "
              f"({dutch_date(previous_adoption)}); voor een nieuwe versie is een nieuw "
              "teamoverleg nodig", "Houd het teamoverleg van deze ronde en vul die datum in")
    if nxt is None and fields.get(Tag.NEXT_EVALUATION) is None:
        error(Tag.NEXT_EVALUATION, "bij een vastgesteld protocol hoort een datum voor de "
              "volgende evaluatie", "Kies de datum van de volgende evaluatie")
    elif nxt is not None and on is not None and not on < nxt <= on + MAX_EVALUATION_GAP:
        error(Tag.NEXT_EVALUATION, "de volgende evaluatie moet na de vaststelling liggen "
              "en hooguit twee jaar later", "Kies een datum binnen twee jaar na de vaststelling")
    version = parse_version(fields.get(Tag.VERSION))
    if version is None and fields.get(Tag.VERSION):
        error(Tag.VERSION, "de versie is geen versienummer; een vastgesteld protocol heeft "
              "versie 1.0 of hoger", "Schrijf de versie als 1.0, 2.1 of v1.0; een woord "
              "erachter (1.0 definitief) mag")
    elif version is None or version < (1, 0):
        error(Tag.VERSION, "een vastgesteld protocol heeft versie 1.0 of hoger",
              "Geef het protocol bij de vaststelling versie 1.0 (of hoger)")
    if previous_adoption is not None:
        _evaluation_problems(fields, today, previous_adoption, on, error)
    _gap_problems(list(gaps), error)
    _action_problems(team, on, error)
    pending = list(dict.fromkeys(pending_reviews))
    if pending:
        error(None, "de coördinator heeft deze antwoorden nog niet beoordeeld: "
              + "; ".join(pending), "De coördinator beoordeelt ze in beoordelingen.xlsx "
              "(akkoord of niet akkoord) en bouwt opnieuw")
    lead = str(fields.get(Tag.TEAM_LEAD) or "").strip()
    if by and lead and lead.lower() in by.lower() and not team_lead_may_adopt:
        error(Tag.ADOPTED_BY, "de leidinggevende van het team stelt het eigen protocol "
              "vast; volgens de regels van de organisatie (het beleid) stelt de leidinggevende "
              "daarboven het protocol vast, na advies van de coördinator",
              "Laat de leidinggevende daarboven het protocol vaststellen (of zet in het beleid "
              "adoption: team_lead_may_adopt: true als uw organisatie dat anders regelt)")
    return errors, []


ErrorSink = Callable[[str | None, str, str], None]


def _evaluation_problems(fields: Mapping[str, object], today: dt.date, previous: dt.date,
                         on: dt.date | None, error: ErrorSink) -> None:
    """A new version after an adopted one rests on the evaluation of that one (Werkwijzer,
    chapter 6): its date, after the previous adoption and not after this one, and whether
    the agreements were kept."""
    held = _date(fields, Tag.EVALUATION_DATE, today)
    if held is None:
        error(Tag.EVALUATION_DATE, "een nieuwe versie na de vastgestelde versie van "
              f"{dutch_date(previous)} rust op de evaluatie daarvan, maar de datum van de "
              "evaluatie is leeg", "Evalueer de vorige versie met het team en vul de datum en "
              "de uitkomsten in")
    elif held <= previous:
        error(Tag.EVALUATION_DATE, "de evaluatie ligt niet na de vorige vaststelling "
              f"({dutch_date(previous)})", "Vul de datum van de evaluatie van deze ronde in")
    elif on is not None and held > on:
        error(Tag.EVALUATION_DATE, "de evaluatie ligt na de vaststelling van deze versie",
              "Stel de nieuwe versie vast na de evaluatie")
    if not str(fields.get(Tag.EVALUATION_COMPLIANCE) or "").strip():
        error(Tag.EVALUATION_COMPLIANCE, "een nieuwe versie na een vastgestelde versie rust op "
              "de evaluatie daarvan, maar niet is ingevuld of de afspraken zijn nageleefd",
              "Beschrijf of de afspraken zijn nageleefd, waar het team afweek en wat het "
              "ervan leerde")


def _concept_with_adoption(team: FormData) -> list[Problem]:
    """A concept that still holds adoption facts (a form set back to concept for the next
    version): the protocol leaves them out, and says so, so nobody reads an old adoption as
    this version's."""
    filled = [tag for tag in (Tag.ADOPTED_BY, Tag.ADOPTED_ON)
              if str(team.fields.get(tag) or "").strip()]
    if not filled:
        return []
    names = " en ".join(f"‘{_label(tag)}’" for tag in filled)
    return [Problem(file=team.path, field=_label(filled[0]), tag=filled[0], message=(
        f"de status is concept, maar {names} {'is' if len(filled) == 1 else 'zijn'} ingevuld; "
        "het protocol noemt die gegevens pas bij de status vastgesteld"),
        hint="Maak deze velden leeg tot de nieuwe versie is vastgesteld, of zet de status op "
             "'vastgesteld' als deze versie is vastgesteld")]


def _gap_problems(gaps: list[Gap], error: ErrorSink) -> None:
    no_action = [g.item for g in gaps if g.action is None or g.action.origin is ActionOrigin.OPEN]
    no_date = [g.item for g in gaps
               if g.action is not None and g.action.origin is not ActionOrigin.OPEN
               and (g.action.due is None or not g.action.owner)]
    if no_action:
        error(Tag.ACTIONS, "voor deze onderdelen die nog niet geregeld zijn, staat geen actie: "
              + ", ".join(no_action), "Zet per onderdeel een rij bij de openstaande acties, met "
              "wat er gebeurt, de eigenaar en de datum")
    if no_date:
        error(Tag.ACTIONS, "bij de acties voor " + ", ".join(no_date) + " ontbreekt een "
              "eigenaar of een datum", "Vul bij elke actie de eigenaar en de datum in")


def _action_problems(team: FormData, adopted_on: dt.date | None, error: ErrorSink) -> None:
    """Every action row: a real description, a named owner, a due date after the adoption and
    at most two years after it. One message per kind of problem, naming the rows."""
    rows = team.fields.get(Tag.ACTIONS)
    vague: list[int] = []
    nobody: list[int] = []
    late: list[int] = []
    for n, row in enumerate(rows if isinstance(rows, list) else [], 1):
        if not any(v not in (None, "") for v in row.values()):
            continue
        what, owner, due = row.get("wat"), row.get("eigenaar"), row.get("datum")
        if not answers.is_given(_ACTION_TEXT, what):
            vague.append(n)
        if not answers.is_given(_ACTION_OWNER, owner):
            nobody.append(n)
        if adopted_on is not None and isinstance(due, dt.date) and not (
                adopted_on < due <= adopted_on + MAX_ACTION_GAP):
            late.append(n)

    def rows_text(numbers: list[int]) -> str:
        return ", ".join(str(n) for n in numbers)

    if vague:
        error(Tag.ACTIONS, f"actie in rij {rows_text(vague)} beschrijft niet wat er gebeurt",
              "Schrijf bij elke actie concreet wat er gebeurt")
    if nobody:
        error(Tag.ACTIONS, f"actie in rij {rows_text(nobody)} heeft geen eigenaar met naam "
              "of functie (‘iemand’, ‘wij’ of ‘team’ is geen eigenaar)",
              "Vul bij elke actie de naam of functie van de eigenaar in")
    if late:
        error(Tag.ACTIONS, f"de datum van de actie in rij {rows_text(late)} ligt niet na de "
              "vaststelling, of meer dan twee jaar erna", "Kies per actie een datum na de "
              "vaststelling en binnen twee jaar")
