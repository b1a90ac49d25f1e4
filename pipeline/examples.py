"""The example teams (`defaults/voorbeeldteams.yaml`), checked against the field catalogue."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from pipeline.catalogue import CONTACT_KINDS, FORMS, TEAM_KIND, Field, FieldType, Merge
from pipeline.errors import FormError
from pipeline.forms.teams_csv import team_id_problem
from pipeline.models import Answer, TeamIdentity
from pipeline.policy import read_yaml

_TEAM_KEYS = {"team_id", "team", "afdeling", "leidinggevende", "contactvormen", "antwoorden"}
_HINT = "Vergelijk met 'teamprotocol catalogue' en pas het voorbeeldbestand aan"


def example_teams_path() -> Path:
    """The embedded example teams file (`pipeline/defaults/voorbeeldteams.yaml`)."""
    return Path(str(resources.files("pipeline") / "defaults" / "voorbeeldteams.yaml"))


def _type_problem(field: Field, value: object) -> str | None:
    """Why `value` is not a valid answer for `field`, or None when it is."""
    t = field.type
    if value is None:
        return None
    if t in (FieldType.TEXT, FieldType.MULTILINE):
        return None if isinstance(value, str) else "moet een tekst zijn"
    if t is FieldType.CHOICE:
        if not isinstance(value, str) or value not in field.choices:
            return "moet een van deze keuzes zijn: " + ", ".join(field.choices)
        return None
    if t is FieldType.CHECKBOX:
        return None if isinstance(value, bool) else "moet true of false zijn"
    if t is FieldType.DATE:
        ok = isinstance(value, dt.date) and not isinstance(value, dt.datetime)
        return None if ok else "moet een datum zijn als 2026-10-01"
    if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
        return "moet een lijst rijen zijn"
    columns = {c.name: c for c in field.columns}
    for n, row in enumerate(value, 1):
        unknown = sorted(str(k) for k in set(row) - set(columns))
        if unknown:
            return f"rij {n}: onbekende kolom {', '.join(unknown)} (kolommen: {', '.join(columns)})"
        for name, cell in row.items():
            col = columns[name]
            if cell is None:
                continue
            if col.type is FieldType.DATE:
                bad = not isinstance(cell, dt.date)
            elif col.type is FieldType.CHOICE:
                bad = cell not in col.choices
            else:
                bad = not isinstance(cell, str)
            if bad:
                return f"rij {n}, kolom {name}: ongeldige waarde"
    return None


def check_answers(kind: str, answers: object, *, file: Path | str,
                  identity: TeamIdentity) -> dict[str, Answer]:
    """Answers of one form kind, validated against the catalogue; FormError names the tag."""
    if kind not in FORMS:
        raise FormError(f"onbekend soort formulier '{kind}'", file=file, field=identity.team_id,
                        hint="Kies uit " + ", ".join(FORMS))
    if kind != TEAM_KIND and kind not in identity.contactvormen:
        raise FormError(f"antwoorden voor '{kind}', maar die contactvorm heeft het team niet",
                        file=file, field=identity.team_id, hint="Voeg de contactvorm toe")
    if not isinstance(answers, dict):
        raise FormError(f"de antwoorden voor '{kind}' moeten een groep sleutels zijn", file=file,
                        field=identity.team_id, hint=_HINT)
    spec = FORMS[kind]
    tags = {f.tag: f for f in spec.fields}
    result: dict[str, Answer] = {}
    for tag, value in answers.items():
        field = tags.get(str(tag))
        where = f"{identity.team_id}: {tag}"
        if field is None:
            raise FormError(f"onbekend veld voor formulier '{kind}'", file=file, field=where,
                            hint=_HINT)
        if field.merge is Merge.LOCKED:
            raise FormError("dit veld is een vastgestelde organisatietekst; een team vult het "
                            "niet in", file=file, field=where, hint="Verwijder het antwoord")
        if field.prefill or tag.startswith(f"{TEAM_KIND}.contact_"):
            raise FormError("dit veld komt uit de teamgegevens", file=file, field=where,
                            hint="Vul het in bij team, afdeling, leidinggevende of contactvormen")
        problem = _type_problem(field, value)
        if problem:
            raise FormError(problem, file=file, field=where, hint=_HINT)
        result[field.tag] = value  # checked just above
    return result


def load_example_teams(path: Path) -> list[tuple[TeamIdentity, dict[str, dict[str, Answer]]]]:
    """Read and check a file of example teams (identity + answers by form kind)."""
    data = read_yaml(path, error=FormError)
    teams = data.get("teams") if isinstance(data, dict) else None
    if not isinstance(teams, list) or not teams:
        raise FormError("het bestand moet een lijst 'teams' bevatten", file=path, hint=_HINT)
    result = []
    seen: set[str] = set()
    for n, entry in enumerate(teams, 1):
        if not isinstance(entry, dict) or set(entry) - _TEAM_KEYS:
            extra = sorted(str(k) for k in set(entry) - _TEAM_KEYS) if isinstance(entry,
                                                                                 dict) else []
            raise FormError(f"team {n}: onbekende sleutels {', '.join(extra)}" if extra else
                            f"team {n} moet een groep sleutels zijn", file=path,
                            hint="Toegestaan: " + ", ".join(sorted(_TEAM_KEYS)))
        try:
            identity = TeamIdentity(**{k: v for k, v in entry.items() if k != "antwoorden"})
        except (ValidationError, TypeError) as e:
            raise FormError(f"team {n}: team_id, team, afdeling, leidinggevende en "
                            "contactvormen moeten alle vijf zijn ingevuld", file=path,
                            hint=_HINT) from e
        unknown = [k for k in identity.contactvormen if k not in CONTACT_KINDS]
        why = (f"onbekende contactvorm {', '.join(unknown)}" if unknown
               else "de team_id komt twee keer voor" if identity.team_id in seen
               else team_id_problem(identity.team_id))
        if why:
            raise FormError(f"team {n}: {why}", file=path, field=identity.team_id, hint=_HINT)
        seen.add(identity.team_id)
        answers = entry.get("antwoorden") or {}
        if not isinstance(answers, dict):
            raise FormError(f"team {n}: antwoorden moet een groep per formulier zijn", file=path,
                            field=identity.team_id, hint=_HINT)
        by_kind = {str(kind): check_answers(str(kind), a, file=path, identity=identity)
                   for kind, a in answers.items()}
        result.append((identity, by_kind))
    return result


def example_teams() -> list[tuple[TeamIdentity, dict[str, dict[str, Answer]]]]:
    """The embedded example teams of Gemeente Lindenhoven, checked against the catalogue."""
    return load_example_teams(example_teams_path())


def write_example_forms(dest: Path) -> list[Path]:
    """Write every example team's filled Word forms to `dest/<team_id>/<kind>.docx`."""
    # Imported here: the forms writer pulls in python-docx, which `example_teams` does not need.
    from pipeline.forms.write import locked_texts_of, look_of, write_team_forms
    from pipeline.policy import load_policy

    policy = load_policy()
    locked, look = locked_texts_of(policy), look_of(policy)
    written: list[Path] = []
    for identity, answers in example_teams():
        written += write_team_forms(identity, Path(dest), answers, locked, look=look)
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
