"""Last cycle's forms of an older schema read as current ones (`teamprotocol forms --from`).

The catalogue's migration steps (`catalogue.SCHEMA_MIGRATIONS`) rename or split tags and
turn checkboxes that became drop-downs into drop-downs, in the form's `word/document.xml` as
the package reader parsed it; the normal reader then reads those parts, like a current form's.
All in memory: the file is opened once, nothing is written, and the writer is never loaded.
"""

from __future__ import annotations

import copy
from pathlib import Path

from lxml import etree

from pipeline import ooxml
from pipeline.catalogue import (
    FIELDS_BY_TAG,
    SCHEMA_VERSION,
    FieldType,
    Migration,
    migration_path,
)
from pipeline.errors import FormError, Problem
from pipeline.forms import common
from pipeline.forms.package import Package, open_package
from pipeline.forms.read import read_package
from pipeline.models import FormData
from pipeline.text import printable

qn = ooxml.qn


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


def _migrated(package: Package, steps: list[Migration]) -> Package:
    """The form's parts as a current-schema form's: its document migrated step by step (in
    place), its schema property the current one."""
    for step in steps:
        _migrate(package.document, step)
    custom = {**(package.custom or {}), common.PROP_SCHEMA: SCHEMA_VERSION}
    return Package(document=package.document, custom=custom, application=package.application)


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
        return read_package(path, package)  # current, or not ours: the reader says which
    steps = migration_path(version, migrations)
    if steps is None:
        shown = printable(version, 20)
        raise FormError(f"dit formulier heeft schemaversie '{shown}', die dit programma niet "
                        f"kan omzetten naar schemaversie {SCHEMA_VERSION}", file=path,
                        hint="Neem de antwoorden met de hand over in het nieuwe formulier, of "
                             "gebruik de versie van teamprotocol die het formulier maakte")
    migrated = _migrated(package, steps)
    present = {ooxml.sdt_tag(s) for s in migrated.document.iter(qn("w:sdt"))}
    data = read_package(path, migrated)
    # Questions the old form did not have: no answer, and no complaint about their absence.
    kept = {t: v for t, v in data.fields.items()
            if t in present or any(p and p.startswith(t + ".") for p in present)}

    def own(problems: list[Problem]) -> list[Problem]:
        return [p for p in problems if p.tag is None or p.tag in kept]

    return data.model_copy(update={"schema_version": version, "fields": kept,
                                   "errors": own(data.errors), "warnings": own(data.warnings)})
