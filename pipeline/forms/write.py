"""Write a team's Word forms from the catalogue: one inline content control per answer."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from pipeline import ooxml, terms
from pipeline.catalogue import (
    CONTACT_KINDS,
    FORMS,
    SCHEMA_VERSION,
    TEAM_KIND,
    Column,
    Field,
    FieldType,
    FormSpec,
    Merge,
)
from pipeline.errors import FormError
from pipeline.files import write_atomically
from pipeline.forms import layout
from pipeline.models import Answer, TeamIdentity
from pipeline.policy import Policy, resolve_logo
from pipeline.text import invalid_xml_chars, unwrap_text

PROP_KIND = "teamprotocol.kind"
PROP_SCHEMA = "teamprotocol.schema_version"
PROP_TEAM = "teamprotocol.team_id"
DEFAULT_ROWS = 3
KEEP_ROWS_TOGETHER = 10  # rows (with the header) of a table kept on one page
KEEP_LAST_FIELDS = 3  # the form's last questions kept on one page
LOCKED_DEFAULT = "Deze tekst stelt de organisatie vast; u vindt hem in het protocol."
REQUIRED_MARK = " *"
ROWS_NOTE = ("Meer rijen nodig? In Word: klik in de laatste rij op het plusteken rechtsonder. "
             "In LibreOffice: Tabel > Invoegen > Rijen eronder.")
# Placeholder text of a table cell control, by column type (the reader knows these too).
CELL_PLACEHOLDER = {FieldType.TEXT: "Vul in", FieldType.CHOICE: "Kies",
                    FieldType.DATE: "Kies een datum"}
# A drop-down's first item: choosing it takes an answer back to "not answered" (Word offers no
# other way back once an item was chosen). Word's own default list starts the same way.
CHOOSE = "Kies…"
# Shown right above an inherit or extend answer, before the organisation's text (read-only).
FRAME_NOTE = "Dit geldt al voor de hele organisatie:"
LOCKED_INSTRUCTION = ("Teksten met een grijze achtergrond stelt de organisatie vast; die kunt u "
                      "niet wijzigen.")
INSTRUCTIONS = (
    "Klik in een gekleurd invulvak en typ uw antwoord. De grijze tekst in het vak is een "
    "toelichting; die verdwijnt zodra u begint te typen.",
    "Vragen met een * zijn verplicht.",
    "Verwijder geen vakken en verander de vragen niet: het formulier wordt automatisch gelezen.",
    "Sla het formulier op als Word-document (.docx) onder dezelfde naam en stuur het terug naar "
    "de coördinator agressie en geweld.",
)


def form_file_name(kind: str) -> str:
    """`<kind>.docx`: the file name of a form in its team folder."""
    return f"{kind}.docx"


def placeholder(field: Field) -> str:
    """The placeholder text a field's control shows while unanswered: its help text."""
    return field.help


def _check_text(field: Field, text: str, column: Column | None = None) -> str:
    name = field.label if column is None else f"{field.label}, kolom {column.label}"
    if invalid_xml_chars(text):
        raise FormError("het antwoord bevat een stuurteken dat Word niet kan opslaan",
                        field=name, hint="Haal het teken weg (vaak geplakt uit een ander "
                        "programma) en probeer het opnieuw")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _choice(field: Field, value: object, choices: tuple[str, ...], name: str) -> str | None:
    if value in (None, ""):
        return None
    if value not in choices:
        raise FormError("deze keuze staat niet in de lijst", field=name,
                        hint="Kies uit: " + ", ".join(choices))
    return str(value)


def _date(value: object, name: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    raise FormError("dit antwoord is geen datum", field=name)


def _control(field: Field, value: Answer) -> object:
    """The inline control for one (non-rows) field holding `value`."""
    ph = placeholder(field)
    if field.type is FieldType.CHECKBOX:
        return ooxml.checkbox_control(field.tag, field.label, value is True)
    if field.type is FieldType.CHOICE:
        chosen = _choice(field, value, field.choices, field.label)
        return ooxml.dropdown_control(field.tag, field.label, field.choices, chosen, ph,
                                      empty_item=CHOOSE)
    if field.type is FieldType.DATE:
        return ooxml.date_control(field.tag, field.label, _date(value, field.label), ph)
    text = _check_text(field, str(value)) if value not in (None, "") else None
    return ooxml.text_control(field.tag, field.label, text, ph,
                              multiline=field.type is FieldType.MULTILINE)


def _cell_control(field: Field, col: Column, value: object) -> object:
    tag, ph = f"{field.tag}.{col.name}", CELL_PLACEHOLDER[col.type]
    name = f"{field.label}, kolom {col.label}"
    if col.type is FieldType.CHOICE:
        return ooxml.dropdown_control(tag, col.label, col.choices,
                                      _choice(field, value, col.choices, name), ph)
    if col.type is FieldType.DATE:
        return ooxml.date_control(tag, col.label, _date(value, name), ph)
    text = _check_text(field, str(value), col) if value not in (None, "") else None
    return ooxml.text_control(tag, col.label, text, ph)


def _rows_table(doc: DocxDocument, field: Field, rows: list[dict], look: layout.Look) -> None:
    """Header row plus one row per answer (at least DEFAULT_ROWS), each cell one control."""
    n = max(len(rows), DEFAULT_ROWS)
    table = doc.add_table(rows=1 + n, cols=len(field.columns))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, col in zip(table.rows[0].cells, field.columns, strict=True):
        cell.paragraphs[0].add_run(col.label).bold = True
        layout.shade_cell(cell, look.header_fill)
    header_tr = table.rows[0]._tr
    trpr = header_tr.get_or_add_trPr()
    trpr.append(ooxml._el("w:tblHeader"))  # repeat the header on a new page
    for i, row in enumerate(table.rows[1:]):
        data = rows[i] if i < len(rows) else {}
        for cell, col in zip(row.cells, field.columns, strict=True):
            cell.paragraphs[0]._p.append(_cell_control(field, col, data.get(col.name)))
    # A short table stays on one page with its question above and its note below, so the
    # form never ends on a page holding one row and the note; a long one may break.
    keep = table.rows if len(table.rows) <= KEEP_ROWS_TOGETHER else table.rows[-1:]
    for row in keep:
        for cell in row.cells:
            cell.paragraphs[0].paragraph_format.keep_with_next = True
    layout.table_borders(table, look.answer_border)
    data_rows = [r._tr for r in table.rows[1:]]
    for tr in data_rows:
        table._tbl.remove(tr)
    table._tbl.append(ooxml.repeating_section(field.tag, field.label, data_rows))


def _para(doc: DocxDocument, text: str = "", style_id: str | None = None) -> Paragraph:
    """Add a paragraph by style id: python-docx's lookup by style name costs ~2 ms each."""
    p = doc.add_paragraph(text)
    if style_id:
        p._p.style = style_id
    return p


def _question(doc: DocxDocument, field: Field) -> None:
    _para(doc, field.label + (REQUIRED_MARK if field.required else ""), layout.QUESTION)


def _add_field(doc: DocxDocument, field: Field, value: Answer,
               locked_texts: Mapping[str, str], look: layout.Look) -> None:
    _question(doc, field)
    if field.merge is Merge.LOCKED:
        _para(doc, field.help.rstrip(".") + "; deze tekst kunt u niet wijzigen.", layout.NOTE)
        text = locked_texts.get(field.policy_text or "", "") or LOCKED_DEFAULT
        p = _para(doc, "", layout.LOCKED)
        p._p.append(ooxml.text_control(field.tag, field.label, _check_text(field, text), "",
                                       multiline=True, locked=True))
        return
    if field.type is FieldType.ROWS:
        _para(doc, field.help, layout.NOTE)
        _rows_table(doc, field, list(value) if isinstance(value, list) else [], look)
        _para(doc, ROWS_NOTE, layout.NOTE)
        return
    frame = locked_texts.get(field.policy_text or "") if field.merge in (
        Merge.INHERIT, Merge.EXTEND) else None
    if frame:
        # The text the team's answer adds to, read-only above the answer box: the team lead
        # sees what already applies before writing (the reader skips these paragraphs).
        _para(doc, FRAME_NOTE, layout.NOTE)
        lines = [line for line in _check_text(field, frame).split("\n") if line.strip()]
        for line in lines:
            last = _para(doc, line, layout.LOCKED)
        # The frame's last paragraph stays with the answer box: no box alone atop a page.
        last.paragraph_format.keep_with_next = True
    p = _para(doc, "", layout.ANSWER)
    p._p.append(_control(field, value))
    if field.type is FieldType.MULTILINE and value in (None, ""):
        # An empty long answer's box is a few lines tall, as on a paper form (the breaks
        # stand after the control: the reader ignores blank text beside it).
        run = p.add_run()
        for _ in range(layout.LONG_ANSWER_LINES):
            run.add_break()
    if field.type is FieldType.CHECKBOX:
        run = p.add_run("  " + field.help)
        run.font.color.rgb = layout.GREY


def _initial_answers(spec: FormSpec, identity: TeamIdentity,
                     answers: Mapping[str, Answer] | None) -> dict[str, Answer]:
    """Pre-filled identity fields and contact-type boxes, overridden by given answers."""
    values: dict[str, Answer] = {}
    for f in spec.fields:
        if f.prefill:
            values[f.tag] = getattr(identity, f.prefill)
    if spec.kind == TEAM_KIND:
        for kind in CONTACT_KINDS:
            values[f"team.contact_{kind}"] = kind in identity.contactvormen
    values.update(answers or {})
    unknown = sorted(set(values) - {f.tag for f in spec.fields})
    if unknown:
        raise FormError(f"onbekende velden voor formulier '{spec.kind}': {', '.join(unknown)}")
    return values


def in_terms(spec: FormSpec, terminology: str) -> FormSpec:
    """The form's own texts (intro, questions, help) in the policy's word for burger."""
    if terminology == terms.DEFAULT:
        return spec

    def field(f: Field) -> Field:
        return f.model_copy(update={"label": terms.ours(f.label, terminology),
                                    "help": terms.ours(f.help, terminology)})

    sections = tuple(s.model_copy(update={"fields": tuple(field(f) for f in s.fields)})
                     for s in spec.sections)
    return spec.model_copy(update={"intro": terms.ours(spec.intro, terminology),
                                   "sections": sections})


def section_headings(spec: FormSpec) -> list[str]:
    """The headings of a form's sections, numbered 1, 2, … as they stand on the form.

    The catalogue's section numbers are ids (merge finds the contact persons by "C") and
    follow the protocol's chapters, so a contact form started at 3; the form counts its own.
    """
    return [f"{n}. {s.title}" for n, s in enumerate(spec.sections, 1)]


def write_form(kind: str, identity: TeamIdentity, answers: Mapping[str, Answer] | None = None,
               locked_texts: Mapping[str, str] | None = None, note: str | None = None, *,
               terminology: str = terms.DEFAULT, look: layout.Look | None = None) -> bytes:
    """The .docx bytes of one form (`team` or a contact kind) for `identity`.

    `answers` pre-fills fields by tag; `locked_texts` maps a `policy_text` key to the
    organisation text shown read-only; `note` is shown in a box under the title (the
    prefilled forms of a new cycle say so there); `terminology` is the policy's word for
    burger (the reader recognises the form's texts in any of the three); `look` is the
    organisation's colour, font and logo (`look_of`), a neutral look without it. Same inputs
    give byte-identical output.
    """
    spec = FORMS.get(kind)
    if spec is None:
        raise FormError(f"onbekend soort formulier '{kind}'",
                        hint="Kies uit " + ", ".join(FORMS))
    spec = in_terms(spec, terminology)
    values = _initial_answers(spec, identity, answers)
    look = look or layout.Look()
    doc = Document()
    layout.setup_styles(doc, look)
    # The schema version is for the reader, in the custom properties; not the user's business.
    layout.setup_page(doc, f"{identity.team}  ·  {spec.title}", look)
    layout.set_core_properties(doc, f"{spec.title} – {identity.team}",
                               "Teamprotocol veilige publieke dienstverlening")
    _para(doc, spec.title, "Title")
    sub = doc.add_paragraph()
    sub_run = sub.add_run(f"Team {identity.team}  ·  Afdeling {identity.afdeling}  ·  "
                          f"Leidinggevende {identity.leidinggevende}")
    sub_run.font.color.rgb, sub_run.font.size = layout.GREY, Pt(10)
    if note:
        _para(doc, note, layout.LOCKED)
    _para(doc, "Zo vult u dit formulier in", "Heading2")
    doc.add_paragraph(spec.intro)
    lines = list(INSTRUCTIONS)
    if any(f.merge is Merge.LOCKED for f in spec.fields):
        lines.insert(2, LOCKED_INSTRUCTION)
    for line in lines:
        _para(doc, line, "ListBullet")
    # The last fields travel together: the form never ends on a page with one question.
    together = {f.tag for f in spec.fields[-KEEP_LAST_FIELDS:-1]}
    body = doc.element.body
    for section, heading in zip(spec.sections, section_headings(spec), strict=True):
        _para(doc, heading, "Heading1")
        for f in section.fields:
            before = len(body)
            _add_field(doc, f, values.get(f.tag), locked_texts or {}, look)
            if f.tag in together:
                for el in body[before:]:
                    if el.tag == ooxml.qn("w:p"):
                        Paragraph(el, doc).paragraph_format.keep_with_next = True
    out = io.BytesIO()
    doc.save(out)
    props = {PROP_KIND: spec.kind, PROP_SCHEMA: SCHEMA_VERSION, PROP_TEAM: identity.team_id}
    return ooxml.finish_package(out.getvalue(), props, _placeholders(spec))


def _placeholders(spec: FormSpec) -> dict[str, str]:
    """Control tag -> placeholder text of every answer control of a form (the glossary)."""
    out: dict[str, str] = {}
    for field in spec.fields:
        if field.merge is Merge.LOCKED or field.type is FieldType.CHECKBOX:
            continue
        if field.type is FieldType.ROWS:
            out.update({f"{field.tag}.{c.name}": CELL_PLACEHOLDER[c.type]
                        for c in field.columns})
        else:
            out[field.tag] = placeholder(field)
    return out


def team_form_kinds(identity: TeamIdentity) -> list[str]:
    """The forms a team gets: the general form and one per contact type, in catalogue order."""
    return [TEAM_KIND, *(k for k in CONTACT_KINDS if k in identity.contactvormen)]


def write_team_forms(identity: TeamIdentity, out_dir: Path,
                     answers_by_kind: Mapping[str, Mapping[str, Answer]] | None = None,
                     locked_texts: Mapping[str, str] | None = None,
                     notes: Mapping[str, str] | None = None, *,
                     terminology: str = terms.DEFAULT,
                     look: layout.Look | None = None) -> list[Path]:
    """Write `<out_dir>/<team_id>/<kind>.docx` for every form of the team (atomic per file).

    `notes` maps a form kind to the note shown under its title (see `write_form`).
    """
    folder = Path(out_dir) / identity.team_id
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in team_form_kinds(identity):
        data = write_form(kind, identity, (answers_by_kind or {}).get(kind), locked_texts,
                          (notes or {}).get(kind), terminology=terminology, look=look)
        target = folder / form_file_name(kind)
        write_atomically(target, data)
        written.append(target)
    return written


def locked_texts_of(policy: object) -> dict[str, str]:
    """`policy_text` key -> organisation text (`Policy.text`), for every field that has one.

    Locked fields show it as their read-only content; inherit and extend fields show it
    read-only right above the answer, as what the team's answer adds to.
    """
    keys = {f.policy_text for spec in FORMS.values() for f in spec.fields if f.policy_text}
    # Shown as one paragraph per line in the form: the YAML's wrapping is undone first.
    return {k: unwrap_text(policy.text(k)) for k in sorted(keys)}  # type: ignore[attr-defined]


def look_of(policy: Policy, policy_path: Path | None = None) -> layout.Look:
    """The policy's house colour, font and logo (checked, relative to `policy_path`; None: the
    embedded default policy) as the look of its forms, the same as its protocols'."""
    branding = policy.branding
    logo = resolve_logo(policy, policy_path)
    return layout.Look(colour=branding.colour.lstrip("#").upper(), font=branding.font,
                       logo=logo.read_bytes() if logo else None,
                       logo_alt=branding.logo_text(),
                       organisation=branding.organisation)
