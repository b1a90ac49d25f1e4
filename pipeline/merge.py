"""Merge stage: organisation policy + one team's forms -> Protocol, every block knowing its source.

Pure functions: no I/O, no printing. The completeness annex is added by `pipeline.assess`.
"""

from __future__ import annotations

import datetime as dt
from itertools import zip_longest

from pipeline import answers
from pipeline.answers import AnswerState
from pipeline.catalogue import (
    ALARM_FIELDS,
    CHAPTERS,
    CONTACT_KINDS,
    FIELDS_BY_TAG,
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
    CardNumber,
    CardSection,
    ChapterContent,
    FormData,
    IncidentCard,
    Origin,
    Protocol,
    ProtocolMeta,
    Source,
    TeamForms,
    VersionEntry,
)
from pipeline.policy import Policy
from pipeline.text import BULLET_MARKERS, dutch_date, unwrap_text

BEHAVIOUR_HEADER = ["(Non-)verbale agressie", "Persoonlijke bedreiging", "Fysiek geweld"]
# Fields of the team form that feed the title page, not a chapter (sections A, B and 7).
META_SECTIONS = ("A", "B", "7")
CONTACT_SECTION = "C"
TEAM_ADDITION = "Aanvulling van het team"


def gap_note(field: Field, answer: Answer) -> str:
    """The visible gap marker for a team question that is not (usefully) answered.

    Shown in a box of its own under the team's words (if any); names the checklist items
    whose actions in chapter 7 say who closes the gap.
    """
    items = ", ".join(field.checklist)
    see = f"; zie {'actie' if len(field.checklist) == 1 else 'acties'} {items} in hoofdstuk 7" \
        if items else ""
    st = answers.state(field, answer)
    if st is AnswerState.EMPTY:
        return f"Nog in te vullen door het team{see}."
    if st is AnswerState.PARTIAL:
        return f"Deels geregeld; nog af te ronden door het team{see}."
    if field.is_statement:
        return f"Nog te regelen door het team{see}."
    return f"Nog te regelen door het team: dit antwoord regelt niets{see}."


def answer_of(form: FormData | None, tag: str) -> Answer:
    """The answer to `tag` on `form`, None when the form or the field is absent."""
    if form is None:
        return None
    return form.fields.get(tag)


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


def _organisation_block(policy: Policy, kind: str, field: Field, title: str | None) -> Block:
    paragraphs, bullets = _split(unwrap_text(policy.text(field.policy_text or "")))
    return Block(title=title, paragraphs=paragraphs, bullets=bullets,
                 source=_source(Origin.ORGANISATION, kind, field))


def answer_block(kind: str, field: Field, answer: Answer, title: str | None = None) -> Block:
    """A team answer as a Block: text as paragraphs, a statement as itself, rows as a table.

    An answer that arranges nothing (or a statement answered nee, deels or weet ik niet) is
    shown as the team gave it, followed by the gap marker: nothing is hidden, nothing claimed.
    """
    title = field.label if title is None else title
    source = _source(Origin.TEAM, kind, field)
    st = answers.state(field, answer)
    gap = st is not AnswerState.GIVEN and field.merge is Merge.TEAM
    note = gap_note(field, answer) if gap else ""
    marks = {"gap": gap, "gap_note": note, "items": list(field.checklist) if gap else []}
    if field.type is FieldType.ROWS:
        header = [c.label for c in field.columns]
        table = answer if isinstance(answer, list) else []
        rows = [[_cell(row.get(c.name)) for c in field.columns] for row in table]
        rows = [r for r in rows if any(r)]
        return Block(title=title, table=[header, *rows] if rows else [], source=source,
                     **marks)
    if field.is_statement:
        choice = _text(answer).lower()
        if choice == "ja":  # the statement says it: no "Ja." under it
            return Block(paragraphs=[field.label.rstrip(".") + "."], source=source)
        said = f"{field.label.rstrip('.')}: {choice}."
        return Block(paragraphs=[said], source=source, **{**marks, "gap": True})
    if field.type is FieldType.CHOICE:
        text = _text(answer)  # one of the catalogue's own choices, e.g. "per kwartaal"
        return Block(title=title, paragraphs=[text[:1].upper() + text[1:]], source=source,
                     **marks)
    if field.type in (FieldType.DATE, FieldType.TEXT):
        # Verbatim: a team lead's text is never re-cased or re-worded.
        return Block(title=title, paragraphs=[_text(answer)], source=source, **marks)
    paragraphs, bullets = _split(_text(answer))
    return Block(title=title, paragraphs=paragraphs, bullets=bullets, source=source, **marks)


def _gap_block(kind: str, field: Field) -> Block:
    """A team question left empty: a visible gap, never a sentence pretending an answer."""
    if field.is_statement:
        return Block(paragraphs=[f"{field.label.rstrip('.')}: niet beantwoord."],
                     source=_source(Origin.TEAM, kind, field), gap=True,
                     gap_note=gap_note(field, None), items=list(field.checklist))
    return Block(title=field.label, source=_source(Origin.TEAM, kind, field), gap=True,
                 gap_note=gap_note(field, None), items=list(field.checklist))


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
    """The blocks one field contributes, by its merge rule (locked, inherit, extend, team).

    The organisation's text of a locked, inherit or extend field is always in the protocol;
    the team's own text follows it (`pipeline.answers`): a team adds, it never removes.
    """
    if field.merge is Merge.LOCKED:
        # The organisation decides; anything a team typed here is ignored on purpose.
        return [_organisation_block(policy, kind, field, field.label)]
    if field.merge in (Merge.INHERIT, Merge.EXTEND):
        org_title, team_title = _extend_titles(field.label)
        blocks = [_organisation_block(policy, kind, field, org_title)]
        # An addition that arranges nothing ("n.v.t.") adds nothing: the frame applies.
        if answers.is_given(field, answer):
            blocks.append(answer_block(kind, field, answer, team_title))
        return blocks
    if answers.team_text_applies(field, answer):
        return [answer_block(kind, field, answer)]
    return [_gap_block(kind, field)]


def _contacts_block(policy: Policy, team: FormData | None) -> Block:
    """Section C as one table: role, contact person, source. A team's own contact comes first
    and the organisation's stays listed: the team adds a contact, it does not replace one."""
    section = next(s for s in FORMS[TEAM_KIND].sections if s.number == CONTACT_SECTION)
    rows = [["Rol", "Contactpersoon", "Bron"]]
    own = False
    for field in section.fields:
        answer = answer_of(team, field.tag)
        if answers.is_given(field, answer):
            own = True
            rows.append([field.label, _text(answer), "Team"])
        rows.append([field.label, policy.text(field.policy_text or ""), "Organisatie"])
    source = Source(origin=Origin.TEAM if own else Origin.ORGANISATION, form=TEAM_KIND,
                    label="Contactpersonen", merge=Merge.INHERIT)
    return Block(title="Contactpersonen", table=rows, source=source, layout="contacts")


def _behaviour_block(policy: Policy) -> Block:
    forms = policy.behaviour_forms
    rows = [list(r) for r in zip_longest(forms.verbaal, forms.bedreiging, forms.fysiek,
                                         fillvalue="")]
    return Block(title="Vormen van normoverschrijdend gedrag", table=[BEHAVIOUR_HEADER, *rows],
                 source=Source(origin=Origin.ORGANISATION, merge=Merge.LOCKED),
                 layout="behaviour")


def appendix_titles(kinds: list[str]) -> dict[str, str]:
    """The numbered title of each contact type's appendix ("Bijlage 1: Balie en spreekkamer"),
    in one place for the appendices and the pointers to them."""
    return {k: f"Bijlage {n}: {CONTACT_KINDS[k]}" for n, k in enumerate(kinds, 1)}


def _appendix_pointer(kinds: list[str]) -> Block | None:
    """Where the contact-type forms' answers are (they feed chapters 3 and 4): said once, in
    chapter 3, the first chapter they add to."""
    if not kinds:
        return None
    titles = appendix_titles(kinds)
    return Block(title="Afspraken per contactvorm",
                 paragraphs=["De afspraken van het team per contactvorm, bij de hoofdstukken 3 "
                             "en 4, staan in de bijlagen:"],
                 bullets=[titles[k] for k in kinds],
                 source=Source(origin=Origin.TEAM, form=TEAM_KIND,
                               label="Contactvormen van het team"))


def has_alarm(forms: TeamForms, kind: str) -> bool:
    """Whether the team's own answer says it has the alarm means of this contact type."""
    tag = ALARM_FIELDS.get(kind)
    if tag is None:
        return False
    return answers.is_given(FIELDS_BY_TAG[tag], answer_of(forms.forms.get(kind), tag))


def protocol_blocks(policy: Policy, forms: TeamForms, kinds: list[str]) -> list[Block]:
    """The aggression protocol for each of the team's contact types (all, for a team that
    named none), with the alarm step as the team's own answers allow."""
    shown = [k for k in kinds if k in policy.protocol_steps] or list(policy.protocol_steps)
    blocks = []
    for kind in shown:
        steps = policy.protocol_steps[kind]
        alarm = steps.alarm if has_alarm(forms, kind) else steps.alarm_without
        lines = [s.replace("{alarm}", alarm) for s in steps.steps]
        blocks.append(Block(title=steps.title, bullets=lines, numbered=True,
                            source=Source(origin=Origin.ORGANISATION, form=kind,
                                          merge=Merge.LOCKED)))
    return blocks


CARD_HEADING = "Wat te doen bij agressie"
# Steps 1-3 of a contact type's protocol are its own (safety, alarm, taking over); the card
# shows the rest once, for all contact types.
CARD_OWN_STEPS = 3


def incident_card(policy: Policy, forms: TeamForms, kinds: list[str]) -> IncidentCard:
    """The one-page card a team can print: per contact type what to do first, then the steps
    for every incident, the numbers, and melden, aangifte and nazorg in one line each."""
    team = forms.forms.get(TEAM_KIND)
    shown = [k for k in kinds if k in policy.protocol_steps] or list(policy.protocol_steps)
    sections: list[CardSection] = []
    after: list[str] = []
    for kind in shown:
        steps = policy.protocol_steps[kind]
        alarm = steps.alarm if has_alarm(forms, kind) else steps.alarm_without
        lines = [s.replace("{alarm}", alarm) for s in steps.steps]
        sections.append(CardSection(title=CONTACT_KINDS[kind], steps=lines[:CARD_OWN_STEPS]))
        after = after or lines[CARD_OWN_STEPS:]
    national, contacts = policy.national, policy.contacts
    lead = _text(answer_of(team, "team.leidinggevende"))
    phone = _text(answer_of(team, "team.leidinggevende_telefoon"))
    numbers = [CardNumber(label="Direct gevaar", value=f"bel {national.alarm}"),
               CardNumber(label="Politie, geen spoed", value=national.politie)]
    if lead:
        numbers.append(CardNumber(label="Leidinggevende",
                                  value=", ".join(p for p in (lead, phone) if p)))
    backup = answer_of(forms.forms.get("huisbezoek"), "huisbezoek.achterwacht")
    if "huisbezoek" in kinds and answers.is_given(FIELDS_BY_TAG["huisbezoek.achterwacht"],
                                                  backup):
        numbers.append(CardNumber(label="Achterwacht", value=_text(backup)))
    if contacts.beveiliging:
        numbers.append(CardNumber(label="Beveiliging en meldkamer",
                                  value=contacts.beveiliging.short()))
    own = {"vertrouwenspersoon": "team.vertrouwenspersoon", "nazorg": "team.nazorg_contact",
           "coordinator": "team.coordinator"}
    for label, key in (("Coördinator agressie en geweld", "coordinator"),
                       ("Opvang en nazorg", "nazorg"), ("Vertrouwenspersoon",
                                                        "vertrouwenspersoon")):
        mine = _text(answer_of(team, own[key]))
        if answers.is_given(FIELDS_BY_TAG[own[key]], mine):
            numbers.append(CardNumber(label=label, value=mine))
        numbers.append(CardNumber(label=label, value=getattr(contacts, key).short()))
    if contacts.bedrijfsarts:
        numbers.append(CardNumber(label="Bedrijfsarts", value=contacts.bedrijfsarts.short()))
    numbers.append(CardNumber(label="Slachtofferhulp Nederland",
                              value=national.slachtofferhulp))
    report = [
        f"Melden: dezelfde dag in het registratiesysteem {policy.incident_system}, ook als "
        "het meeviel.",
        "Aangifte: je werkgever doet aangifte, liefst binnen twee werkdagen, en vraagt de "
        "politie om de VPT-code (Veilige Publieke Taak). Je geeft het adres van je werkgever "
        "op, niet je eigen adres.",
        "Nazorg: je leidinggevende zorgt dezelfde dag voor opvang en vraagt na vier tot zes "
        "weken opnieuw hoe het gaat.",
    ]
    return IncidentCard(heading=CARD_HEADING, sections=sections, after=after, numbers=numbers,
                        report=report)


def _chapter(policy: Policy, number: int, team: FormData | None, kinds: list[str],
             forms: TeamForms | None = None) -> ChapterContent:
    organisation = [
        Block(title=s.title, paragraphs=list(s.paragraphs), bullets=list(s.bullets),
              source=Source(origin=Origin.ORGANISATION))
        for s in policy.chapters[number]
    ]
    if number == 4:
        # Right after the chapter's first block, which defines the norm and points to "de
        # tabel hieronder" (it came after the aggression protocol and the alarm, pages on).
        organisation.insert(min(1, len(organisation)), _behaviour_block(policy))
        # The protocol for the team's contact types follows "what happens then" (block 3).
        steps = protocol_blocks(policy, forms or TeamForms(team_id="", forms={}), kinds)
        organisation[min(3, len(organisation)):min(3, len(organisation))] = steps
    blocks: list[Block] = []
    for section in FORMS[TEAM_KIND].sections:
        if section.chapter != number or section.number in (*META_SECTIONS, CONTACT_SECTION):
            continue
        for field in section.fields:
            blocks.extend(field_blocks(policy, TEAM_KIND, field, answer_of(team, field.tag)))
    if number == 4:
        blocks.append(_contacts_block(policy, team))
    pointer = _appendix_pointer(kinds) if number == 3 else None
    if pointer:
        blocks.append(pointer)
    return ChapterContent(number=number, title=CHAPTERS[number], organisation=organisation,
                          team=blocks)


def _appendix(policy: Policy, kind: str, form: FormData | None, title: str,
              shown: dict[tuple[str, ...], str]) -> Appendix:
    """One contact type's appendix. An organisation text the chapters already show (the
    aftercare, the sanctions) is not printed twice: the appendix refers to it."""
    if form is None:
        text = (f"Het team werkt met deze contactvorm, maar het formulier ‘{FORMS[kind].title}’ is "
                "(nog) niet ingeleverd.")
        return Appendix(kind=kind, title=title, blocks=[
            Block(paragraphs=[text], source=Source(origin=Origin.TEAM, form=kind),
                  gap=True, gap_note="Nog in te leveren door het team.")])
    blocks = []
    for field in FORMS[kind].fields:
        for block in field_blocks(policy, kind, field, answer_of(form, field.tag)):
            where = shown.get(_content(block)) if block.source.origin is Origin.ORGANISATION \
                else None
            if where:
                block = block.model_copy(update={
                    "paragraphs": [f"Hiervoor geldt wat in {where} staat."], "bullets": []})
            blocks.append(block)
    return Appendix(kind=kind, title=title, blocks=blocks)


def _content(block: Block) -> tuple[str, ...]:
    return (*block.paragraphs, *block.bullets)


def _shown_texts(chapters: list[ChapterContent]) -> dict[tuple[str, ...], str]:
    """Every organisation text of the chapters, with where it stands ("hoofdstuk 4, ‘Opvang
    en nazorg’"), so that an appendix can refer to it instead of repeating it."""
    shown: dict[tuple[str, ...], str] = {}
    for chapter in chapters:
        for block in (*chapter.organisation, *chapter.team):
            content = _content(block)
            if block.source.origin is Origin.ORGANISATION and len(content) > 1 and block.title:
                shown.setdefault(content, f"hoofdstuk {chapter.number} onder ‘{block.title}’")
    return shown


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
    chapters = [_chapter(policy, n, team, kinds, forms) for n in CHAPTERS]
    shown = _shown_texts(chapters)
    titles = appendix_titles(kinds)
    return Protocol(
        meta=_meta(policy, forms, team, kinds),
        chapters=chapters,
        appendices=[_appendix(policy, k, forms.forms.get(k), titles[k], shown) for k in kinds],
        card=incident_card(policy, forms, kinds),
    )
