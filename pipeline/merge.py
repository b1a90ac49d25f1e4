"""Merge stage: organisation policy + one team's forms -> Protocol, every block knowing its source.

Pure functions: no I/O, no printing. The completeness annex is added by `pipeline.assess`.
"""

from __future__ import annotations

import datetime as dt
from itertools import zip_longest

from pipeline.catalogue import (
    CHAPTERS,
    CONTACT_KINDS,
    FORMS,
    TEAM_KIND,
    Field,
    FieldType,
    Merge,
)
from pipeline.errors import FormError
from pipeline.models import (
    Answer,
    Appendix,
    Block,
    ChapterContent,
    FormData,
    Origin,
    Protocol,
    ProtocolMeta,
    Source,
    TeamForms,
    VersionEntry,
)
from pipeline.policy import BULLET_MARKERS, Policy, unwrap_text

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")
BEHAVIOUR_HEADER = ["(Non-)verbale agressie", "Persoonlijke bedreiging", "Fysiek geweld"]
# Fields of the team form that feed the title page, not a chapter (sections A, B and 7).
META_SECTIONS = ("A", "B", "7")
CONTACT_SECTION = "C"
# A frequency answer of "niet" is an answer, but it says the thing is not done.
NOT_DONE = "niet"

NOTE_INHERITED = ("Het team heeft hier niets eigens ingevuld; daarom geldt de standaard van de "
                  "organisatie:")
NOTE_GAP = "Het team heeft dit (nog) niet ingevuld."
TEAM_ADDITION = "Aanvulling van het team"


def dutch_date(value: dt.date) -> str:
    """A date written out in Dutch, e.g. `3 maart 2026` (independent of the OS locale)."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def form_name(kind: str) -> str:
    """Short Dutch name of a form for notes: `teamformulier`, `bijlage balie en spreekkamer`."""
    if kind == TEAM_KIND:
        return "teamformulier"
    return "bijlage " + CONTACT_KINDS[kind][0].lower() + CONTACT_KINDS[kind][1:]


def answer_of(form: FormData | None, tag: str) -> Answer:
    """The answer to `tag` on `form`, None when the form or the field is absent."""
    if form is None:
        return None
    return form.fields.get(tag)


def is_filled(field: Field, answer: Answer) -> bool:
    """Whether a team answer counts as given: checkbox ticked, rows present, text not blank.

    A frequency of "niet" is answered but means the thing is not done, so it is not filled.
    """
    if answer is None:
        return False
    if isinstance(answer, bool):
        return answer
    if isinstance(answer, dt.date):
        return True
    if isinstance(answer, list):
        return any(_cell(v) for row in answer for v in row.values())
    text = str(answer).strip()
    if field.type is FieldType.CHOICE and text.lower() == NOT_DONE:
        return False
    return bool(text)


def contact_kinds(forms: TeamForms) -> list[str]:
    """Contact types of a team: ticked `team.contact_<kind>` boxes plus contact forms present."""
    team = forms.forms.get(TEAM_KIND)
    return [k for k in CONTACT_KINDS
            if k in forms.forms or answer_of(team, f"team.contact_{k}") is True]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return dutch_date(value)
    return str(value).strip()


def _text(value: Answer) -> str:
    return "" if value is None else _cell(value)


def _split(text: str) -> tuple[list[str], list[str]]:
    """Paragraphs and bullets of a text, one per line; lines starting with `- ` or `• ` are
    bullets. Team answers come from Word, where every line break was typed on purpose; policy
    texts are unwrapped first (`policy.unwrap_text`), since YAML authors wrap their lines."""
    paragraphs: list[str] = []
    bullets: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        marker = next((m for m in BULLET_MARKERS if line.startswith(m)), None)
        if marker:
            bullets.append(line[len(marker):].strip())
        elif line:
            paragraphs.append(line)
    return paragraphs, bullets


def _source(origin: Origin, kind: str, field: Field) -> Source:
    return Source(origin=origin, form=kind, tag=field.tag, label=field.label, merge=field.merge)


def _organisation_block(policy: Policy, kind: str, field: Field, title: str | None,
                        note: str | None = None) -> Block:
    paragraphs, bullets = _split(unwrap_text(policy.text(field.policy_text or "")))
    if note:
        # The note leads the organisation text: a renderer shows paragraphs before bullets,
        # so a trailing note would land between a text's paragraphs and its bullets.
        paragraphs = [note, *paragraphs]
    return Block(title=title, paragraphs=paragraphs, bullets=bullets,
                 source=_source(Origin.ORGANISATION, kind, field))


def answer_block(kind: str, field: Field, answer: Answer, title: str | None = None) -> Block:
    """A team answer as a Block: text as paragraphs, a checkbox as Ja/Nee, rows as a table."""
    title = field.label if title is None else title
    source = _source(Origin.TEAM, kind, field)
    if field.type is FieldType.ROWS:
        header = [c.label for c in field.columns]
        rows = [[_cell(row.get(c.name)) for c in field.columns] for row in answer or []]
        rows = [r for r in rows if any(r)]
        return Block(title=title, table=[header, *rows], source=source)
    if field.type is FieldType.CHECKBOX:
        text = "Ja." if answer else "Nee (niet aangevinkt)."
        return Block(title=title, paragraphs=[text], source=source)
    if field.type is FieldType.CHOICE:
        text = _text(answer)  # one of the catalogue's own choices, e.g. "per kwartaal"
        return Block(title=title, paragraphs=[text[:1].upper() + text[1:]], source=source)
    if field.type in (FieldType.DATE, FieldType.TEXT):
        # Verbatim: a team lead's text is never re-cased or re-worded.
        return Block(title=title, paragraphs=[_text(answer)], source=source)
    paragraphs, bullets = _split(_text(answer))
    return Block(title=title, paragraphs=paragraphs, bullets=bullets, source=source)


def _answered(field: Field, answer: Answer) -> bool:
    """Whether there is an answer to show: an unticked box says "Nee", a choice "niet" is shown."""
    if field.type is FieldType.CHECKBOX:
        return isinstance(answer, bool)
    if field.type is FieldType.CHOICE:
        return bool(_text(answer))
    return is_filled(field, answer)


def _extend_titles(label: str) -> tuple[str, str]:
    """Titles of the organisation block and the team's addition for an extend field.

    Labels like "Aanvullende huisregels voor deze locaties" name the team's part; the
    organisation part is then "Huisregels voor deze locaties".
    """
    prefix = "Aanvullende "
    if label.startswith(prefix):
        rest = label[len(prefix):].removesuffix(" van het team")
        return rest[:1].upper() + rest[1:], label
    return label, TEAM_ADDITION


def field_blocks(policy: Policy, kind: str, field: Field, answer: Answer) -> list[Block]:
    """The blocks one field contributes, by its merge rule (locked, inherit, extend, team)."""
    filled = _answered(field, answer)
    if field.merge is Merge.LOCKED:
        # The organisation decides; anything a team typed here is ignored on purpose.
        return [_organisation_block(policy, kind, field, field.label)]
    if field.merge is Merge.INHERIT:
        if filled:
            return [answer_block(kind, field, answer)]
        return [_organisation_block(policy, kind, field, field.label, NOTE_INHERITED)]
    if field.merge is Merge.EXTEND:
        org_title, team_title = _extend_titles(field.label)
        blocks = [_organisation_block(policy, kind, field, org_title)]
        if filled:
            blocks.append(answer_block(kind, field, answer, team_title))
        return blocks
    if filled:
        return [answer_block(kind, field, answer)]
    return [Block(title=field.label, paragraphs=[NOTE_GAP],
                  source=_source(Origin.TEAM, kind, field))]


def _contacts_block(policy: Policy, team: FormData | None) -> Block:
    """Section C as one table: role, contact person, and whether the team or organisation set it."""
    section = next(s for s in FORMS[TEAM_KIND].sections if s.number == CONTACT_SECTION)
    rows = [["Rol", "Contactpersoon", "Bron"]]
    own = False
    for field in section.fields:
        answer = answer_of(team, field.tag)
        if is_filled(field, answer):
            own = True
            rows.append([field.label, _text(answer), "Team"])
        else:
            rows.append([field.label, policy.text(field.policy_text or ""), "Organisatie"])
    source = Source(origin=Origin.TEAM if own else Origin.ORGANISATION, form=TEAM_KIND,
                    label="Contactpersonen", merge=Merge.INHERIT)
    return Block(title="Contactpersonen", table=rows, source=source)


def _behaviour_block(policy: Policy) -> Block:
    forms = policy.behaviour_forms
    rows = [list(r) for r in zip_longest(forms.verbaal, forms.bedreiging, forms.fysiek,
                                         fillvalue="")]
    return Block(title="Vormen van normoverschrijdend gedrag", table=[BEHAVIOUR_HEADER, *rows],
                 source=Source(origin=Origin.ORGANISATION, merge=Merge.LOCKED))


def _appendix_pointer(number: int, kinds: list[str]) -> Block | None:
    """Chapters 3 and 4: where the contact-type forms' answers are (they feed the appendices)."""
    used = [k for k in kinds if any(s.chapter == number for s in FORMS[k].sections)]
    if not used:
        return None
    return Block(title="Afspraken per contactvorm",
                 paragraphs=["De afspraken van het team per contactvorm staan in de bijlagen:"],
                 bullets=["Bijlage: " + CONTACT_KINDS[k] for k in used],
                 source=Source(origin=Origin.TEAM, form=TEAM_KIND,
                               label="Contactvormen van het team"))


def _chapter(policy: Policy, number: int, team: FormData | None,
             kinds: list[str]) -> ChapterContent:
    organisation = [
        Block(title=s.title, paragraphs=list(s.paragraphs), bullets=list(s.bullets),
              source=Source(origin=Origin.ORGANISATION))
        for s in policy.chapters[number]
    ]
    if number == 4:
        # Right after the chapter's first block, which defines the norm and points to "de
        # tabel hieronder" (it came after the aggression protocol and the alarm, pages on).
        organisation.insert(min(1, len(organisation)), _behaviour_block(policy))
    blocks: list[Block] = []
    for section in FORMS[TEAM_KIND].sections:
        if section.chapter != number or section.number in (*META_SECTIONS, CONTACT_SECTION):
            continue
        for field in section.fields:
            blocks.extend(field_blocks(policy, TEAM_KIND, field, answer_of(team, field.tag)))
    if number == 4:
        blocks.append(_contacts_block(policy, team))
    pointer = _appendix_pointer(number, kinds)
    if pointer:
        blocks.append(pointer)
    return ChapterContent(number=number, title=CHAPTERS[number], organisation=organisation,
                          team=blocks)


def _appendix(policy: Policy, kind: str, form: FormData | None) -> Appendix:
    title = "Bijlage: " + CONTACT_KINDS[kind]
    if form is None:
        text = (f"Het team werkt met deze contactvorm, maar het formulier ‘{FORMS[kind].title}’ is "
                "(nog) niet ingeleverd.")
        return Appendix(kind=kind, title=title, blocks=[
            Block(paragraphs=[text], source=Source(origin=Origin.TEAM, form=kind))])
    blocks = [b for f in FORMS[kind].fields
              for b in field_blocks(policy, kind, f, answer_of(form, f.tag))]
    return Appendix(kind=kind, title=title, blocks=blocks)


def _date(value: Answer) -> dt.date | None:
    return value if isinstance(value, dt.date) else None


def _meta(policy: Policy, forms: TeamForms, team: FormData, kinds: list[str]) -> ProtocolMeta:
    def text(tag: str) -> str:
        return _text(answer_of(team, tag))

    status = "vastgesteld" if text("team.status").lower() == "vastgesteld" else "concept"
    adopted_by = text("team.vastgesteld_door") or None
    adopted_on = _date(answer_of(team, "team.vastgesteld_op"))
    meeting = _date(answer_of(team, "team.teamoverleg"))
    if status == "vastgesteld":
        note = "Vastgesteld" + (f" door {adopted_by}" if adopted_by else "")
    else:
        note = "Concept op basis van de teamformulieren"
    version = text("team.versie")
    return ProtocolMeta(
        organisation=policy.branding.organisation,
        team_id=forms.team_id,
        team=text("team.team") or forms.team_id,
        department=text("team.afdeling"),
        team_lead=text("team.leidinggevende"),
        staff=text("team.aantal_medewerkers") or None,
        version=version,
        status=status,
        adopted_by=adopted_by,
        adopted_on=adopted_on,
        team_meeting=meeting,
        next_evaluation=_date(answer_of(team, "team.volgende_evaluatie")),
        contact_kinds=kinds,
        history=[VersionEntry(version=version, date=adopted_on or meeting, status=status,
                              note=note)],
    )


def merge(policy: Policy, forms: TeamForms) -> Protocol:
    """Policy + one team's forms -> Protocol (without annex): title page, chapters 1-6, appendices.

    Raises FormError when the general team form is missing: without it there is no team.
    """
    team = forms.forms.get(TEAM_KIND)
    if team is None:
        raise FormError("Het teamformulier ontbreekt", file=f"{forms.team_id}/{TEAM_KIND}.docx",
                        hint="Lever het ingevulde teamformulier in; zonder dat formulier kan er "
                             "geen protocol worden gemaakt")
    kinds = contact_kinds(forms)
    return Protocol(
        meta=_meta(policy, forms, team, kinds),
        chapters=[_chapter(policy, n, team, kinds) for n in CHAPTERS],
        appendices=[_appendix(policy, k, forms.forms.get(k)) for k in kinds],
    )
