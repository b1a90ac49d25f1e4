"""Write a team's Word forms from the catalogue: the document of one form (title, how to fill
it in, its sections of questions, the custom properties naming it, the glossary of
placeholders), and every form a team gets, in the policy's look and word for burger."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

from docx import Document
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from pipeline import ooxml, terms
from pipeline.catalogue import (
    CHECKLIST,
    CONTACT_KINDS,
    FORMS,
    SCHEMA_VERSION,
    TEAM_KIND,
    Field,
    FieldType,
    FormSpec,
    Merge,
    Tag,
    contact_tag,
)
from pipeline.errors import FormError
from pipeline.files import write_atomically
from pipeline.forms import layout
from pipeline.forms.common import (
    CELL_PLACEHOLDER,
    INSTRUCTIONS,
    LOCKED_INSTRUCTION,
    PROP_KIND,
    PROP_PREVIOUS,
    PROP_SCHEMA,
    PROP_TEAM,
    form_file_name,
    placeholder,
    section_headings,
)
from pipeline.forms.fields import add_field, para
from pipeline.models import Answer, TeamIdentity
from pipeline.policy import Policy, resolve_logo
from pipeline.text import dutch_date, unwrap_text

KEEP_LAST_FIELDS = 3  # the form's last questions kept on one page


def _initial_answers(spec: FormSpec, identity: TeamIdentity,
                     answers: Mapping[str, Answer] | None) -> dict[str, Answer]:
    """Pre-filled identity fields and contact-type boxes, overridden by given answers."""
    values: dict[str, Answer] = {}
    for f in spec.fields:
        if f.prefill:
            values[f.tag] = getattr(identity, f.prefill)
    if spec.kind == TEAM_KIND:
        for kind in CONTACT_KINDS:
            values[contact_tag(kind)] = kind in identity.contact_kinds
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


def _named(word: str, name: str) -> str:
    """`Team Proef` for a team called Proef, and for one called Team Proef (not `Team Team
    Proef`); the same for `Afdeling`."""
    return name if name.lower().startswith(word.lower() + " ") else f"{word} {name}"


@lru_cache(maxsize=4)
def _styled(look: layout.Look) -> bytes:
    """An empty document with the look's styles: made once per look, not once per form
    (issue 26: the styles were ~15 % of a form's CPU, 2,000 teams write 6,886 forms); the
    forms' bytes are the same as with the styles set up on each document."""
    doc = Document()
    layout.setup_styles(doc, look)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def write_form(kind: str, identity: TeamIdentity, answers: Mapping[str, Answer] | None = None,
               locked_texts: Mapping[str, str] | None = None, note: str | None = None, *,
               terminology: str = terms.DEFAULT, look: layout.Look | None = None,
               arranged: Sequence[str] = ()) -> bytes:
    """The .docx bytes of one form (`team` or a contact kind) for `identity`.

    `answers` pre-fills fields by tag; `locked_texts` maps a `policy_text` key to the
    organisation text shown read-only; `note` is shown in a box under the title (the
    prefilled forms of a new cycle say so there); `terminology` is the policy's word for
    burger (the reader recognises the form's texts in any of the three); `look` is the
    organisation's colour, font and logo (`look_of`), a neutral look without it; `arranged`
    is what the organisation already arranges per checklist item (`arranged_lines`), shown on
    the team form above the Stap 1 questions. Same inputs give byte-identical output.
    """
    spec = FORMS.get(kind)
    if spec is None:
        raise FormError(f"onbekend soort formulier '{kind}'",
                        hint="Kies uit " + ", ".join(FORMS))
    spec = in_terms(spec, terminology)
    values = _initial_answers(spec, identity, answers)
    look = look or layout.Look()
    doc = Document(io.BytesIO(_styled(look)))
    # The schema version is for the reader, in the custom properties; not the user's business.
    layout.setup_page(doc, f"{identity.team}  ·  {spec.title}", look)
    layout.set_core_properties(doc, f"{spec.title} – {identity.team}",
                               "Teamprotocol veilige publieke dienstverlening")
    para(doc, spec.title, "Title")
    sub = doc.add_paragraph()
    sub_run = sub.add_run(f"{_named('Team', identity.team)}  ·  "
                          f"{_named('Afdeling', identity.department)}  ·  "
                          f"Leidinggevende {identity.team_lead}")
    sub_run.font.color.rgb, sub_run.font.size = layout.GREY, Pt(10)
    if note:
        para(doc, note, layout.LOCKED)
    para(doc, "Zo vult u dit formulier in", "Heading2")
    doc.add_paragraph(spec.intro)
    # Every form says how the organisation's text looks: each shows some (locked fields, or
    # the frame above an inherit or extend answer), and the lead reads one form's way for all.
    lines = list(INSTRUCTIONS)
    lines.insert(2, LOCKED_INSTRUCTION)
    for line in lines:
        para(doc, line, "ListBullet")
    # The last fields travel together: the form never ends on a page with one question.
    together = {f.tag for f in spec.fields[-KEEP_LAST_FIELDS:-1]}
    body = doc.element.body
    for section, heading in zip(spec.sections, section_headings(spec), strict=True):
        para(doc, heading, "Heading1")
        for f in section.fields:
            if f.tag == Tag.STEP_ONE and arranged:
                para(doc, STEP_ONE_HEADING, "Heading2")
                doc.add_paragraph(STEP_ONE_INTRO)
                for line in arranged:
                    para(doc, line, layout.LOCKED)
            before = len(body)
            add_field(doc, f, values.get(f.tag), locked_texts or {}, look)
            if f.tag in together:
                for el in body[before:]:
                    # A long answer's box is a paragraph inside its block-level control.
                    box = el.find(f"{ooxml.qn('w:sdtContent')}/{ooxml.qn('w:p')}") \
                        if el.tag == ooxml.qn("w:sdt") else el
                    if box is not None and box.tag == ooxml.qn("w:p"):
                        Paragraph(box, doc).paragraph_format.keep_with_next = True
    out = io.BytesIO()
    doc.save(out)
    props = {PROP_KIND: spec.kind, PROP_SCHEMA: SCHEMA_VERSION, PROP_TEAM: identity.team_id}
    if identity.previous_team_id:
        props[PROP_PREVIOUS] = identity.previous_team_id
    return ooxml.finish_package(out.getvalue(), props, _placeholders(spec))


# Stap 1 of the Werkwijzer: the team lead and the coordinator see what the organisation
# already arranges and what still needs an action; the team form shows it above that step's
# questions (`Tag.STEP_ONE`).
STEP_ONE_HEADING = "Wat de organisatie al regelt (stap 1)"
STEP_ONE_INTRO = ("Zo regelt de organisatie de onderdelen van de checklist voor alle teams: "
                  "met het document waarin het staat, of met de actie die nog loopt. Bespreek "
                  "in het gesprek van stap 1 wat dit voor uw team betekent en wat het team zelf "
                  "nog moet regelen.")


def arranged_lines(policy: Policy) -> list[str]:
    """What the organisation arranges per checklist item, one line each: the document and its
    date, or the action still planned; then the items only the team arranges."""
    lines = []
    for item in CHECKLIST:
        answer = policy.checklist.get(item.id)
        if answer is None:
            continue
        if answer.arranged:
            when = f" ({answer.date})" if answer.date else ""
            lines.append(f"{item.choice}: {answer.document}{when}.")
        else:
            due = f", uiterlijk {dutch_date(answer.due)}" if answer.due else ""
            lines.append(f"{item.choice}: nog niet geregeld. Actie: {answer.action} (door "
                         f"{answer.owner}{due}).")
    own = [i.id for i in CHECKLIST if i.id not in policy.checklist]
    if own:
        lines.append(f"De onderdelen {', '.join(own[:-1])} en {own[-1]} regelt het team zelf, "
                     "op dit formulier." if len(own) > 1 else
                     f"Onderdeel {own[0]} regelt het team zelf, op dit formulier.")
    return lines


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
    return [TEAM_KIND, *(k for k in CONTACT_KINDS if k in identity.contact_kinds)]


def write_team_forms(identity: TeamIdentity, out_dir: Path,
                     answers_by_kind: Mapping[str, Mapping[str, Answer]] | None = None,
                     locked_texts: Mapping[str, str] | None = None,
                     notes: Mapping[str, str] | None = None, *,
                     terminology: str = terms.DEFAULT,
                     look: layout.Look | None = None,
                     arranged: Sequence[str] = ()) -> list[Path]:
    """Write `<out_dir>/<team_id>/<kind>.docx` for every form of the team (atomic per file).

    `notes` maps a form kind to the note shown under its title, `arranged` is the team form's
    Stap 1 overview (see `write_form`).
    """
    folder = Path(out_dir) / identity.team_id
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in team_form_kinds(identity):
        data = write_form(kind, identity, (answers_by_kind or {}).get(kind), locked_texts,
                          (notes or {}).get(kind), terminology=terminology, look=look,
                          arranged=arranged if kind == TEAM_KIND else ())
        target = folder / form_file_name(kind)
        write_atomically(target, data)
        written.append(target)
    return written


def locked_texts_of(policy: Policy) -> dict[str, str]:
    """`policy_text` key -> organisation text (`Policy.text`), for every field that has one.

    Locked fields show it as their read-only content; inherit and extend fields show it
    read-only right above the answer, as what the team's answer adds to.
    """
    keys = {f.policy_text for spec in FORMS.values() for f in spec.fields if f.policy_text}
    # Shown as one paragraph per line in the form: the YAML's wrapping is undone first.
    return {k: unwrap_text(policy.text(k)) for k in sorted(keys)}


def look_of(policy: Policy, policy_path: Path | None = None) -> layout.Look:
    """The policy's house colour, font and logo (checked, relative to `policy_path`; None: the
    embedded default policy) as the look of its forms, the same as its protocols'."""
    branding = policy.branding
    logo = resolve_logo(policy, policy_path)
    return layout.Look(colour=branding.colour.lstrip("#").upper(), font=branding.font,
                       logo=logo.read_bytes() if logo else None,
                       logo_alt=branding.logo_text(),
                       organisation=branding.organisation)
