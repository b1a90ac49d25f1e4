"""Next cycle's forms prefilled with last cycle's answers (`teamprotocol forms --from`).

Last cycle's forms are read by the normal reader (an older schema's first brought to the
current one, `migrate`), answers keyed by tag, so whatever the catalogue asks is carried
over without code here knowing the questions. What the new cycle must decide again is reset:
the status back to concept, the adoption fields empty, the version raised to the next minor
version (2.0 -> 2.1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline.catalogue import (
    CONTACT_KINDS,
    CONTACT_TAGS,
    FORMS,
    TEAM_KIND,
    Migration,
    ProtocolStatus,
    Tag,
    contact_tag,
)
from pipeline.errors import FormError, Problem
from pipeline.files import is_backup_folder
from pipeline.forms import common
from pipeline.forms.folder import form_files, misfiled
from pipeline.forms.migrate import read_previous_form
from pipeline.models import Answer, FormData, TeamIdentity
from pipeline.text import next_minor

STATUS, VERSION = Tag.STATUS, Tag.VERSION
# Decided again each round: the adoption, and the meetings and evaluation date it rests on
# (last year's Stap 2 is no meeting about this year's protocol).
ADOPTION = (Tag.ADOPTED_BY, Tag.ADOPTED_ON, Tag.STEP_ONE, Tag.TEAM_MEETING, Tag.NEXT_EVALUATION,
            Tag.EVALUATION_DATE, Tag.EVALUATION_PARTICIPANTS, Tag.EVALUATION_COMPLIANCE,
            Tag.EVALUATION_FIGURES, Tag.EVALUATION_SATISFACTION, Tag.EVALUATION_DEVELOPMENTS)

NOTE = ("Dit formulier bevat de antwoorden van de vorige ronde (versie {version}). Controleer "
        "elk antwoord en pas aan wat veranderd is. De status staat weer op concept. De datums "
        "van het gesprek met de coördinator (stap 1), het teamoverleg (stap 2) en de volgende "
        "evaluatie zijn leeg: voor deze ronde is een nieuw gesprek en een nieuw teamoverleg "
        "nodig. Evalueer eerst de vorige versie met het team en vul de evaluatie in hoofdstuk 6 "
        "in: een nieuwe versie wordt pas vastgesteld met die evaluatie. Vul de vaststelling pas "
        "in als het nieuwe protocol is vastgesteld.")


@dataclass
class Prefill:
    """What `forms --from` writes: per team the answers by form kind, and what it found."""

    answers: dict[str, dict[str, dict[str, Answer]]] = field(default_factory=dict)
    notes: dict[str, dict[str, str]] = field(default_factory=dict)
    new_teams: list[str] = field(default_factory=list)  # in the CSV, no previous forms
    gone: list[str] = field(default_factory=list)  # previous teams missing from the CSV
    errors: dict[str, list[Problem]] = field(default_factory=dict)  # unreadable: not written
    warnings: dict[str, list[Problem]] = field(default_factory=dict)


def carry_over(kind: str, fields: dict[str, Answer]) -> dict[str, Answer]:
    """Last cycle's answers of one form as this cycle's: reset what must be decided again.

    Team name, department, lead and contact types come from the teams CSV (they may have
    changed), so they are not carried over; nor are the organisation's locked texts.
    """
    spec = FORMS[kind]
    carried = {}
    for f in spec.fields:
        if f.tag not in fields or f.prefill or f.tag in CONTACT_TAGS:
            continue
        carried[f.tag] = fields[f.tag]
    if kind == TEAM_KIND:
        carried[STATUS] = ProtocolStatus.CONCEPT.value
        for tag in ADOPTION:
            carried[tag] = None
        carried[VERSION] = next_minor(_text(fields.get(VERSION)))
    return carried


def _text(value: Answer) -> str | None:
    return value if isinstance(value, str) else None


def _read_team(folder: Path, migrations: dict[str, Migration] | None
               ) -> tuple[dict[str, FormData], list[Problem]]:
    forms: dict[str, FormData] = {}
    errors: list[Problem] = []
    for path in form_files(folder):
        try:
            data = read_previous_form(path, migrations)
        except FormError as e:
            # Every problem of the form, each naming it: the error's summary line would keep
            # only the first.
            errors += [p if p.file else p.model_copy(update={"file": str(path)})
                       for p in e.problems]
            continue
        if (problem := misfiled(folder, path, data, forms)) is not None:
            errors.append(problem)
        else:
            forms[data.kind] = data
    return forms, errors


def plan(teams: list[TeamIdentity], last_dir: Path,
         migrations: dict[str, Migration] | None = None) -> Prefill:
    """Read last cycle's forms below `last_dir` for every team of the CSV."""
    last_dir = Path(last_dir)
    if not last_dir.is_dir():
        raise FormError("de map met de formulieren van de vorige ronde bestaat niet",
                        file=last_dir, hint="Geef bij --from de map die 'teamprotocol forms' "
                                            "vorig jaar maakte, met per team een map")
    result = Prefill()
    wanted = {t.team_id for t in teams} | {t.previous_team_id for t in teams}
    result.gone = sorted(p.name for p in last_dir.iterdir()
                         if p.is_dir() and not p.name.startswith(".") and p.name not in wanted
                         and not is_backup_folder(p) and any(form_files(p)))
    for team in teams:
        # A renamed team (the CSV's vorige_team_id) takes its answers from its old folder.
        folder = last_dir / (team.previous_team_id or team.team_id)
        if not folder.is_dir() or not any(form_files(folder)):
            result.new_teams.append(team.team_id)
            if team.previous_team_id:
                result.warnings[team.team_id] = [Problem(
                    file=str(folder), field="vorige_team_id", message=(
                        f"de vorige_team_id '{team.previous_team_id}' heeft geen map met "
                        "formulieren in de vorige ronde, dus het team krijgt lege formulieren"),
                    hint="Controleer de vorige_team_id in de lijst met teams: de naam van de "
                         "map van het team in de vorige ronde")]
            continue
        forms, errors = _read_team(folder, migrations)
        if TEAM_KIND not in forms and not errors:
            errors.append(Problem(file=str(folder / common.form_file_name(TEAM_KIND)),
                                  message="het teamformulier van de vorige ronde ontbreekt",
                                  hint="Zet het teamformulier (team.docx) van vorig jaar in de "
                                       "map, of haal de map weg voor lege formulieren"))
        if errors:
            result.errors[team.team_id] = errors
            continue
        version = _text(forms[TEAM_KIND].fields.get(VERSION)) or "onbekend"
        result.answers[team.team_id] = {k: carry_over(k, d.fields) for k, d in forms.items()}
        result.notes[team.team_id] = {k: NOTE.format(version=version) for k in forms}
        result.warnings[team.team_id] = [p for d in forms.values() for p in d.errors]
        if forms[TEAM_KIND].fields.get(VERSION) and \
                result.answers[team.team_id][TEAM_KIND].get(VERSION) is None:
            result.warnings[team.team_id].append(Problem(
                file=forms[TEAM_KIND].path, field=FORMS[TEAM_KIND].field(VERSION).label,
                message="de versie van de vorige ronde is geen versienummer, dus het nieuwe "
                        "formulier heeft geen versie", hint="Vul de nieuwe versie zelf in, "
                        "bijvoorbeeld 2.0"))
    return result


RAISED_NOTE = ("Het beleid van de organisatie is veranderd, dus dit protocol moet opnieuw worden "
               "vastgesteld. De antwoorden van versie {version} staan er nog in; de versie is "
               "een stap hoger, de status weer concept. De datums van stap 1, stap 2 en de "
               "volgende evaluatie zijn leeg: bespreek de wijziging in het team. Vul de "
               "vaststelling pas in als de nieuwe versie is vastgesteld.")


@dataclass
class Raised(Prefill):
    """What `teamprotocol versie` writes: the adopted teams' identities (read from their
    team forms), their answers with the version raised, and the teams left as they are."""

    teams: list[TeamIdentity] = field(default_factory=list)
    versions: dict[str, tuple[str, str]] = field(default_factory=dict)  # team: (old, new)
    not_adopted: list[str] = field(default_factory=list)


def _identity(team_id: str, team: FormData) -> TeamIdentity:
    """The team as its own team form names it (the fields `forms` prefilled from the CSV)."""
    values = {f.prefill: team.fields.get(f.tag) for f in FORMS[TEAM_KIND].fields if f.prefill}
    kinds = tuple(k for k in CONTACT_KINDS if team.fields.get(contact_tag(k)) is True)
    return TeamIdentity(team_id=team_id, contact_kinds=kinds,
                        previous_team_id=team.previous_team_id,  # its archived history
                        **{k: v if isinstance(v, str) else "" for k, v in values.items()})


def raise_versions(forms_dir: Path, only: list[str] | None = None) -> Raised:
    """Every adopted team below `forms_dir` (or the teams `only` names) as a new concept
    version: its answers kept, the version a minor step up, the adoption to be done again.

    After a change of the policy every adopted protocol's text changes, and an adopted
    version's archived text may not (issue 21, item 12): 200 teams' forms were edited by
    hand. Teams whose form is not adopted are listed in `not_adopted` and left as they are.
    """
    forms_dir = Path(forms_dir)
    result = Raised()
    folders = sorted(p for p in forms_dir.iterdir()
                     if p.is_dir() and not p.name.startswith(".") and not is_backup_folder(p)
                     and (only is None or p.name in only) and any(form_files(p)))
    for folder in folders:
        forms, errors = _read_team(folder, None)
        if TEAM_KIND not in forms and not errors:
            errors.append(Problem(file=str(folder / common.form_file_name(TEAM_KIND)),
                                  message="het teamformulier ontbreekt",
                                  hint="Zet het teamformulier (team.docx) in de map"))
        if errors:
            result.errors[folder.name] = errors
            continue
        team = forms[TEAM_KIND]
        if team.fields.get(STATUS) != ProtocolStatus.ADOPTED:
            result.not_adopted.append(folder.name)
            continue
        old = _text(team.fields.get(VERSION)) or ""
        answers = {k: carry_over(k, d.fields) for k, d in forms.items()}
        new = _text(answers[TEAM_KIND].get(VERSION))
        if not new:
            result.errors[folder.name] = [Problem(
                file=team.path, field=FORMS[TEAM_KIND].field(VERSION).label,
                message=f"de versie '{old}' is geen versienummer, dus er is geen volgende "
                        "versie", hint="Vul een versienummer in, bijvoorbeeld 1.0, en probeer "
                                       "het opnieuw")]
            continue
        result.teams.append(_identity(folder.name, team))
        result.answers[folder.name] = answers
        result.notes[folder.name] = {k: RAISED_NOTE.format(version=old) for k in forms}
        result.versions[folder.name] = (old, new)
        result.warnings[folder.name] = [p for d in forms.values() for p in d.errors]
    return result
