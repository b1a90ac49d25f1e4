"""Last cycle's forms of an older schema read as current ones (`teamprotocol forms --from`).

The catalogue's migration steps (`catalogue.SCHEMA_MIGRATIONS`) rename or split tags and
turn checkboxes that became drop-downs into drop-downs, in a copy of the form's own XML;
the copy is then read by the normal reader, like a current form.
"""

from __future__ import annotations

import copy
import tempfile
import zipfile
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
from pipeline.forms.package import _read_member, open_package
from pipeline.forms.read import read_form
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
    raw = ooxml.write_zip(files)
    props = {**props, common.PROP_SCHEMA: SCHEMA_VERSION}
    out = folder / path.name
    out.write_bytes(ooxml.finish_package(raw, props))
    return out


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
