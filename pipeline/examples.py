"""The example teams (`defaults/voorbeeldteams.yaml`), checked by pydantic models: the file's
(each team a row of the teams list, `TeamRow`, with its answers), and per form kind one made
from the field catalogue (each answerable field with its type, choices and table columns)."""

from __future__ import annotations

import copy
import datetime as dt
import functools
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Strict,
    StrictBool,
    StrictStr,
    ValidationError,
    create_model,
)
from pydantic import Field as ModelField

from pipeline.catalogue import CONTACT_TAGS, FORMS, TEAM_KIND, Field, FieldType, FormSpec, Merge
from pipeline.errors import FormError, Problem
from pipeline.forms.teams_csv import TeamRow
from pipeline.models import Answer, TeamIdentity
from pipeline.policy import read_yaml, validation_problems

_HINT = "Vergelijk met 'teamprotocol catalogue' en pas het voorbeeldbestand aan"
_FORBID = ConfigDict(extra="forbid")


def example_teams_path() -> Path:
    """The embedded example teams file (`pipeline/defaults/voorbeeldteams.yaml`)."""
    return Path(str(resources.files("pipeline") / "defaults" / "voorbeeldteams.yaml"))


class ExampleTeam(TeamRow):
    """One example team: its row of the teams list, and its answers by form kind (each kind
    checked by `check_answers`)."""

    # `antwoorden:` in the file; left empty: none
    answers: dict[str, Any] | None = ModelField(default=None, alias="antwoorden")


class ExampleTeams(BaseModel):
    """The example teams file: a list `teams`, nothing else."""

    model_config = _FORBID

    teams: list[ExampleTeam] = ModelField(min_length=1)


def _value_type(type_: FieldType, choices: tuple[str, ...]) -> Any:
    """The type of one answer (or cell) of `type_`, as YAML gives it; None is no answer."""
    if type_ is FieldType.CHOICE:
        literal: Any = Literal  # the choices are the catalogue's, known at run time only
        return literal[choices] | None
    if type_ is FieldType.CHECKBOX:
        return StrictBool | None
    if type_ is FieldType.DATE:  # a date, not a text that looks like one, nor a date-time
        return Annotated[dt.date, Strict()] | None
    return StrictStr | None


def _answerable(spec: FormSpec) -> list[Field]:
    """The fields an example answers: not the organisation's locked texts, not the identity
    fields and contact-type boxes the teams list fills in."""
    return [f for f in spec.fields if f.merge is not Merge.LOCKED and not f.prefill
            and f.tag not in CONTACT_TAGS]


@functools.cache
def answers_model(kind: str) -> type[BaseModel]:
    """The pydantic model of one form kind's answers, made from the catalogue: a field per
    tag, a table field a list of rows whose keys are its columns."""
    fields: dict[str, Any] = {}
    for f in _answerable(FORMS[kind]):
        if f.type is FieldType.ROWS:
            columns: dict[str, Any] = {c.name: (_value_type(c.type, c.choices), None)
                                       for c in f.columns}
            row: Any = create_model(f"Row_{f.tag}", __config__=_FORBID, **columns)
            fields[f.tag] = (list[row] | None, None)
        else:
            fields[f.tag] = (_value_type(f.type, f.choices), None)
    return create_model(f"Answers_{kind}", __config__=_FORBID, **fields)


def _key_problem(kind: str, tag: str) -> tuple[str, str] | None:
    """Why `tag` is no key of `kind`'s answers: (what is wrong, what to do), or None."""
    field = next((f for f in FORMS[kind].fields if f.tag == tag), None)
    if field is None:
        return f"onbekend veld voor formulier '{kind}'", _HINT
    if field.merge is Merge.LOCKED:
        return ("dit veld is een vastgestelde organisatietekst; een team vult het niet in",
                "Verwijder het antwoord")
    if field.prefill or tag in CONTACT_TAGS:
        return ("dit veld komt uit de teamgegevens",
                "Vul het in bij team, afdeling, leidinggevende of contactvormen")
    return None


def check_answers(kind: str, answers: object, *, file: Path | str,
                  identity: TeamIdentity) -> dict[str, Answer]:
    """Answers of one form kind, validated against the catalogue; FormError names the tag."""
    if kind not in FORMS:
        raise FormError(f"onbekend soort formulier '{kind}'", file=file, field=identity.team_id,
                        hint="Kies uit " + ", ".join(FORMS))
    if kind != TEAM_KIND and kind not in identity.contact_kinds:
        raise FormError(f"antwoorden voor '{kind}', maar die contactvorm heeft het team niet",
                        file=file, field=identity.team_id, hint="Voeg de contactvorm toe")
    if not isinstance(answers, dict):
        raise FormError(f"de antwoorden voor '{kind}' moeten een groep sleutels zijn", file=file,
                        field=identity.team_id, hint=_HINT)
    answers = {str(tag): value for tag, value in answers.items()}
    problems: list[Problem] = []
    for tag in list(answers):
        if (why := _key_problem(kind, tag)) is not None:
            problems.append(Problem(file=str(file), field=f"{identity.team_id}: {tag}",
                                    message=why[0], hint=why[1]))
            del answers[tag]
    try:
        answers_model(kind).model_validate(answers)
    except ValidationError as e:
        problems += [Problem(file=str(file), field=f"{identity.team_id}: {key}", message=message,
                             hint=hint)
                     for key, message, hint in validation_problems(e, answers_model(kind),
                                                                   fix_hint=_HINT)]
    if problems:
        raise FormError(*problems)
    return answers  # valid as they are: the model's copy would add the rows' empty columns


def load_example_teams(path: Path) -> list[tuple[TeamIdentity, dict[str, dict[str, Answer]]]]:
    """Read and check a file of example teams (identity + answers by form kind)."""
    path = Path(path)
    data = read_yaml(path, error=FormError)
    try:
        teams = ExampleTeams.model_validate(data).teams
    except ValidationError as e:
        source = path.read_text(encoding="utf-8-sig")  # read_yaml has read it as UTF-8
        raise FormError(*(Problem(file=str(path), field=key or None, message=message, hint=hint)
                          for key, message, hint in validation_problems(
                              e, ExampleTeams, source=source, fix_hint=_HINT))) from None
    result = []
    seen: set[str] = set()
    for n, team in enumerate(teams, 1):
        if team.team_id in seen:
            raise FormError(f"team {n}: de team_id komt twee keer voor", file=path,
                            field=team.team_id, hint=_HINT)
        seen.add(team.team_id)
        identity = TeamIdentity(**team.model_dump(exclude={"answers"}))
        by_kind = {str(kind): check_answers(str(kind), a, file=path, identity=identity)
                   for kind, a in (team.answers or {}).items()}
        result.append((identity, by_kind))
    return result


def example_teams() -> list[tuple[TeamIdentity, dict[str, dict[str, Answer]]]]:
    """The embedded example teams of Gemeente Lindenhoven, checked against the catalogue."""
    # Read and checked once per process, keyed on the file's stamp; each caller gets its own
    # copy (~0.4 ms), since identities and answers are mutable.
    path = example_teams_path()
    stat = path.stat()
    return copy.deepcopy(_example_teams(path, stat.st_mtime_ns, stat.st_size))


@functools.cache
def _example_teams(path: Path, mtime_ns: int,
                   size: int) -> list[tuple[TeamIdentity, dict[str, dict[str, Answer]]]]:
    return load_example_teams(path)


def write_example_forms(dest: Path) -> list[Path]:
    """Write every example team's filled Word forms to `dest/<team_id>/<kind>.docx`."""
    # Imported here: the forms writer pulls in python-docx, which `example_teams` does not need.
    from pipeline.forms.write import arranged_lines, locked_texts_of, look_of, write_team_forms
    from pipeline.policy import load_policy

    policy = load_policy()
    locked, look = locked_texts_of(policy), look_of(policy)
    written: list[Path] = []
    for identity, answers in example_teams():
        written += write_team_forms(identity, Path(dest), answers, locked, look=look,
                                    arranged=arranged_lines(policy))
    return written


def write_example_setup(dest: Path) -> tuple[Path, Path]:
    """What `init` writes: `dest/beleid.yaml` with its logo, and `dest/formulieren/`.

    Plain writes: `dest` is a staging folder (forms/publish.py), and an OSError names the file.
    """
    from pipeline.policy import DEFAULT_LOGO, default_policy_path

    policy_file, forms_dir = Path(dest) / "beleid.yaml", Path(dest) / "formulieren"
    source = default_policy_path()
    policy_file.write_bytes(source.read_bytes())
    (Path(dest) / DEFAULT_LOGO).write_bytes((source.parent / DEFAULT_LOGO).read_bytes())
    write_example_forms(forms_dir)
    return policy_file, forms_dir
