"""Next cycle's forms prefilled with last cycle's answers (`teamprotocol forms --from`).

Last cycle's forms are read by the normal reader, answers keyed by tag, so whatever the
catalogue asks is carried over without code here knowing the questions. A form of an older
schema is first brought to the current one by the catalogue's migration steps
(`catalogue.SCHEMA_MIGRATIONS`): tags renamed or split, checkboxes that became drop-downs
converted, in the form's own XML, after which it reads like a current form. What the new
cycle must decide again is reset: the status back to concept, the adoption fields empty,
the version raised to the next minor version (2.0 -> 2.1).
"""

from __future__ import annotations

import copy
import io
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from pipeline import ooxml
from pipeline.catalogue import (
    FIELDS_BY_TAG,
    FORMS,
    SCHEMA_VERSION,
    TEAM_KIND,
    FieldType,
    Migration,
    migration_path,
)
from pipeline.errors import FormError, Problem
from pipeline.forms import common
from pipeline.forms.folder import form_files, misfiled
from pipeline.forms.package import _read_member, open_package
from pipeline.forms.read import read_form
from pipeline.models import Answer, FormData, TeamIdentity
from pipeline.text import printable

STATUS, VERSION = "team.status", "team.versie"
ADOPTION = ("team.vastgesteld_door", "team.vastgesteld_op")
CONCEPT = "concept"
NOTE = ("Dit formulier bevat de antwoorden van de vorige ronde (versie {version}). Controleer "
        "elk antwoord en pas aan wat veranderd is. De status staat weer op concept en de "
        "vaststelling is leeg: vul die pas in als het nieuwe protocol is vastgesteld.")
_VERSION = re.compile(r"^\s*(\d+)(?:\.(\d+))?\s*$")
qn = ooxml.qn


def next_minor(version: str | None) -> str | None:
    """`2.0` -> `2.1`, `1.9` -> `1.10`, `3` -> `3.1`; None when the version is not a number."""
    m = _VERSION.match(version or "")
    if not m:
        return None
    return f"{int(m[1])}.{int(m[2] or 0) + 1}"


# --- older schemas -----------------------------------------------------------------------------

def _migrate(document: etree._Element, step: Migration) -> None:
    """Apply one migration step to a form's `word/document.xml`, in place."""
    for sdt in list(document.iter(qn("w:sdt"))):
        tag = ooxml.sdt_tag(sdt)
        if tag is None:
            continue
        new = _renamed(tag, step)
        if new != tag:
            _set_tag(sdt, new)
        for extra in step.split.get(tag, ())[1:]:
            twin = copy.deepcopy(sdt)
            _set_tag(twin, extra)
            sdt.addnext(twin)
        if new in step.checkbox_to_choice and ooxml.sdt_kind(sdt) == "checkbox":
            _checkbox_to_choice(sdt, new, step.checkbox_to_choice[new])


def _renamed(tag: str, step: Migration) -> str:
    if tag in step.split:
        return step.split[tag][0]
    if tag in step.renamed:
        return step.renamed[tag]
    field_tag, _, column = tag.rpartition(".")
    if column and field_tag in step.renamed:  # a table cell `<field>.<column>`
        return f"{step.renamed[field_tag]}.{column}"
    return tag


def _set_tag(sdt: etree._Element, tag: str) -> None:
    el = sdt.find(f"{qn('w:sdtPr')}/{qn('w:tag')}")
    if el is not None:
        el.set(qn("w:val"), tag)


def _checkbox_to_choice(sdt: etree._Element, tag: str, ticked: str) -> None:
    """Replace a checkbox control with the drop-down the catalogue now has for `tag`."""
    target = FIELDS_BY_TAG.get(tag)
    if target is None or target.type is not FieldType.CHOICE:
        return
    value = ticked if ooxml.sdt_checked(sdt) else None
    alias = ooxml.sdt_alias(sdt) or target.label
    control = ooxml.dropdown_control(tag, alias, target.choices, value, common.placeholder(target))
    sdt.getparent().replace(sdt, control)


def _migrated_copy(path: Path, props: dict[str, str], steps: list[Migration],
                   document: etree._Element, folder: Path) -> Path:
    """The form rewritten as a current-schema form in `folder`, for the normal reader."""
    for step in steps:
        _migrate(document, step)
    with zipfile.ZipFile(path) as zf:  # open_package has checked the file and its limits
        files = {n: _read_member(path, zf, n) for n in zf.namelist()}
    main = "word/document.xml"
    if main not in files:
        raise FormError("het formulier kan niet worden omgezet naar de nieuwe schemaversie",
                        file=path, hint=common.INSTRUCTIONS[-1])
    files[main] = etree.tostring(document, xml_declaration=True, encoding="UTF-8",
                                 standalone=True)
    raw = _zip(files)
    props = {**props, common.PROP_SCHEMA: SCHEMA_VERSION}
    out = folder / path.name
    out.write_bytes(ooxml.finish_package(raw, props))
    return out


def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


def read_previous_form(path: Path,
                       migrations: dict[str, Migration] | None = None) -> FormData:
    """Read one of last cycle's forms, of this schema or an older one the catalogue knows.

    The answers of an older form are those of the current schema's questions it had;
    questions added since are not in `fields` (they start empty). FormError when the file
    cannot be read or its schema version is unknown.
    """
    path = Path(path)
    package = open_package(path)
    props = package.custom or {}
    version = props.get(common.PROP_SCHEMA, "")
    if version == SCHEMA_VERSION or common.PROP_KIND not in props:
        return read_form(path)  # current, or not ours at all: the reader says which
    steps = migration_path(version, migrations)
    if steps is None:
        shown = printable(version, 20)
        raise FormError(f"dit formulier heeft schemaversie '{shown}', die dit programma niet "
                        f"kan omzetten naar schemaversie {SCHEMA_VERSION}", file=path,
                        hint="Neem de antwoorden met de hand over in het nieuwe formulier, of "
                             "gebruik de versie van teamprotocol die het formulier maakte")
    with tempfile.TemporaryDirectory(prefix="teamprotocol-migratie-") as tmp:
        copy_path = _migrated_copy(path, props, steps, package.document, Path(tmp))
        present = {ooxml.sdt_tag(s) for s in package.document.iter(qn("w:sdt"))}
        data = read_form(copy_path)
    # Questions the old form did not have: no answer, and no complaint about their absence.
    kept = {t: v for t, v in data.fields.items()
            if t in present or any(p and p.startswith(t + ".") for p in present)}

    def own(problems: list[Problem]) -> list[Problem]:
        return [p.model_copy(update={"file": str(path)}) for p in problems
                if p.tag is None or p.tag in kept]

    return data.model_copy(update={"path": str(path), "schema_version": version, "fields": kept,
                                   "errors": own(data.errors), "warnings": own(data.warnings)})


# --- a whole cycle -----------------------------------------------------------------------------

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
        if f.tag not in fields or f.prefill or f.tag.startswith(f"{TEAM_KIND}.contact_"):
            continue
        carried[f.tag] = fields[f.tag]
    if kind == TEAM_KIND:
        carried[STATUS] = CONCEPT
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
        if path.name.startswith(("~$", ".")):
            continue
        try:
            data = read_previous_form(path, migrations)
        except FormError as e:
            errors.append(Problem(file=str(path), field=e.field, message=e.message, hint=e.hint))
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
    wanted = {t.team_id for t in teams}
    result.gone = sorted(p.name for p in last_dir.iterdir()
                         if p.is_dir() and not p.name.startswith(".") and p.name not in wanted
                         and any(form_files(p)))
    for team in teams:
        folder = last_dir / team.team_id
        if not folder.is_dir() or not any(form_files(folder)):
            result.new_teams.append(team.team_id)
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
    return result
