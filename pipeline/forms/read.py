"""Read a filled form back: answers by content-control tag, and by question label as a fallback.

The steps, one module each: `package` opens the file as untrusted input; this module checks
the form's custom properties (our form, its schema, its kind) and walks the catalogue's
fields; `document` indexes the document; `values` reads one answer from its control,
`recover` finds it below its question label when the tag is gone, `rows` reads a table;
`checks` looks at the answers read. A file that cannot be read at all raises FormError.
Problems with single answers do not raise: they are collected in `FormData.errors` (the
answer is wrong) and `.warnings` (the answer is missing, or was found by the second route),
each naming the field, never its value.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from pipeline import ooxml
from pipeline.catalogue import FORMS, SCHEMA_VERSION, FieldType, Merge, Tag
from pipeline.errors import FormError, Problem
from pipeline.forms.checks import check_answer, check_total
from pipeline.forms.common import PROP_KIND, PROP_PREVIOUS, PROP_SCHEMA, PROP_TEAM
from pipeline.forms.document import NEW_FORM, FormDocument
from pipeline.forms.package import Package, open_package
from pipeline.forms.recover import recover
from pipeline.forms.rows import rows
from pipeline.forms.teams_csv import team_id_problem
from pipeline.forms.values import from_control, with_text_beside
from pipeline.models import Answer, FormData
from pipeline.text import printable

qn = ooxml.qn
_SHOWN = 40  # characters of a value from the file shown in a message (never an answer)


def shown_value(value: str) -> str:
    """A form property (kind, version, team id) for a message: no control characters, short.

    These values are ours, not answers, but a hostile file can put newlines (forged output
    lines), direction overrides or megabytes in them.
    """
    return printable(value, _SHOWN, mark="…")


def read_form(path: Path) -> FormData:
    """Read one filled form; FormError when it is not one of our forms or cannot be read."""
    path = Path(path)
    return read_package(path, open_package(path))


def read_package(path: Path, package: Package) -> FormData:
    """Read a form from its opened parts (`open_package`, or a migrated copy of them in
    memory); `path` is the file they came from, named in every problem."""
    props = package.custom or {}
    kind = props.get(PROP_KIND)
    if not kind or PROP_TEAM not in props:
        return _read_without_properties(path, package)
    version = props.get(PROP_SCHEMA, "")
    if version != SCHEMA_VERSION:
        raise FormError(f"dit formulier heeft schemaversie '{shown_value(version)}', verwacht is "
                        f"'{SCHEMA_VERSION}'", file=path,
                        hint="Vraag de coördinator om nieuwe formulieren: 'teamprotocol forms "
                        "--from' neemt de antwoorden van dit formulier daarin over")
    if kind not in FORMS:
        raise FormError(f"onbekend soort formulier '{shown_value(kind)}'", file=path,
                        hint=NEW_FORM)
    doc = FormDocument(str(path), kind, package.document, package.application)
    fields = _read_fields(doc)
    previous = props.get(PROP_PREVIOUS, "")
    if previous and (previous == props[PROP_TEAM] or team_id_problem(previous)):
        previous = ""  # not a team id: no history to continue
    return FormData(path=str(path), kind=kind, team_id=props[PROP_TEAM],
                    schema_version=version, fields=fields, errors=doc.errors,
                    warnings=doc.warnings, application=package.application,
                    previous_team_id=previous)


NOT_OURS = "dit is geen formulier van teamprotocol (de formuliergegevens ontbreken)"
NOT_OURS_HINT = ("Vul het formulier in dat de coördinator voor uw team heeft gemaakt met "
                 "'teamprotocol forms', en stuur dat terug")
# A form is recognised by its controls only when this many of its tags are found, and more
# than of any other form: a letter with one pasted control is still no form.
MIN_TAGS = 3


def recognised_kind(document: etree._Element) -> str | None:
    """The form kind whose catalogue tags the document's controls carry (most, at least
    `MIN_TAGS`, and more than any other kind); None when no form is clearly recognised."""
    tags = {ooxml.sdt_tag(el) for el in document.iter(qn("w:sdt"))} - {None}
    scores = sorted(((len(tags & _tags(spec.kind)), spec.kind) for spec in FORMS.values()),
                    reverse=True)
    (best, kind), (second, _) = scores[0], scores[1]
    return kind if best >= MIN_TAGS and best > second else None


def _tags(kind: str) -> set[str]:
    spec = FORMS[kind]
    return {f.tag for f in spec.fields} | {f"{f.tag}.{c.name}" for f in spec.fields
                                          for c in f.columns}


def _read_without_properties(path: Path, package: Package) -> FormData:
    """A form whose custom properties are gone (Word's Document Inspector removes
    `docProps/custom.xml` with "Documenteigenschappen en persoonlijke gegevens"): its kind
    recognised by the catalogue's tags on its controls, its team by the folder it is in,
    read as the current schema, with a warning that says so."""
    kind = recognised_kind(package.document)
    if kind is None:
        raise FormError(NOT_OURS, file=path, hint=NOT_OURS_HINT)
    doc = FormDocument(str(path), kind, package.document, package.application)
    team_id, source = path.resolve().parent.name, "de map waarin het staat"
    if team_id_problem(team_id) and (named := _team_id_from_name(doc)) is not None:
        team_id, source = named, "de teamnaam op het formulier"
    if team_id_problem(team_id):
        raise FormError("de formuliergegevens van dit formulier zijn verwijderd en de map "
                        "waarin het staat heeft geen geldige team-id, dus het team is onbekend",
                        file=path, hint="Zet het formulier in de map van het eigen team "
                        "(de team_id, zoals 'teamprotocol forms' de mappen noemt)")
    doc.problem(False, None, f"de formuliergegevens (documenteigenschappen) zijn uit het "
                f"formulier verwijderd, bijvoorbeeld met 'Document controleren' in Word; het "
                f"is herkend aan zijn invulvakken als '{FORMS[kind].title}' van team "
                f"'{shown_value(team_id)}' ({source})",
                "Controleer dat het formulier in de juiste teammap staat; de volgende keer dat "
                "de coördinator 'teamprotocol forms' draait, krijgen de formulieren hun "
                "gegevens terug")
    fields = _read_fields(doc)
    return FormData(path=str(path), kind=kind, team_id=team_id, schema_version=SCHEMA_VERSION,
                    fields=fields, errors=doc.errors, warnings=doc.warnings,
                    application=package.application)


def _team_id_from_name(doc: FormDocument) -> str | None:
    """A team id made of the team form's team name ("Burgerzaken & Balie" ->
    `burgerzaken-balie`), for a form outside a team folder (`check` on one file)."""
    found = doc.by_tag.get(Tag.TEAM_NAME, [])
    if len(found) != 1 or ooxml.showing_placeholder(found[0]):
        return None
    slug = re.sub(r"[^a-z0-9]+", "-", ooxml.sdt_text(found[0]).strip().lower()).strip("-")
    return slug or None


def _read_fields(doc: FormDocument) -> dict[str, Answer]:
    """Every answerable field of the form by tag; controls that are not ours are named."""
    fields: dict[str, Answer] = {}
    known = {f.tag for f in doc.spec.fields}
    known |= {f"{f.tag}.{c.name}" for f in doc.spec.fields for c in f.columns}
    for tag in sorted(set(doc.by_tag) - known):
        alias = ooxml.sdt_alias(doc.by_tag[tag][0])
        doc.warnings.append(Problem(
            file=doc.file, field=shown_value(alias) if alias else None, tag=shown_value(tag),
            message="dit invulvak hoort niet bij dit formulier en is overgeslagen"))
    for f in doc.spec.fields:
        if f.merge is Merge.LOCKED:
            continue  # organisation text: never read back as an answer
        if f.type is FieldType.ROWS:
            value: Answer = rows(doc, f)
        elif len(found := doc.by_tag.get(f.tag, [])) > 1:
            doc.problem(True, f, f"het invulvak staat {len(found)} keer in het formulier",
                        "Laat één invulvak staan en verwijder de kopieën")
            value = None
        elif found and (outer := _outer_control(doc, found[0], known)) is not None:
            doc.problem(True, f, f"het invulvak staat binnen het invulvak '{outer}'",
                        "Zet elk antwoord in een eigen invulvak, of gebruik een nieuw "
                        "formulier van de coördinator")
            value = None
        elif found:
            value = with_text_beside(doc, f, found[0], from_control(doc, f, found[0]))
        else:
            value = recover(doc, f)
        fields[f.tag] = value
        check_answer(doc, f, value)
    check_total(doc, fields)
    return fields


def _outer_control(doc: FormDocument, sdt: etree._Element, known: set[str]) -> str | None:
    """The label of a form control that `sdt` sits inside (our forms never nest them)."""
    for outer in sdt.iterancestors(qn("w:sdt")):
        tag = ooxml.sdt_tag(outer)
        if tag in known:
            field = next((f for f in doc.spec.fields if f.tag == tag), None)
            return field.label if field else tag
    return None
