"""Merge stage: organisation policy + one team's forms -> MergedProtocol, every block knowing
its source.

Pure functions: no I/O, no printing. The completeness annex is added by `pipeline.assess`.
"""

from __future__ import annotations

import datetime as dt

from pipeline import answers
from pipeline.answers import Context
from pipeline.catalogue import (
    CHAPTERS,
    CONTACT_KINDS,
    FORMS,
    TEAM_KIND,
    Merge,
    ProtocolStatus,
    Tag,
    contact_tag,
)
from pipeline.errors import FormError
from pipeline.merge.blocks import (
    BEHAVIOUR_HEADER,
    TEAM_ADDITION,
    _behaviour_block,
    _text,
    answer_block,
    answer_of,
    field_blocks,
    gap_note,
)
from pipeline.merge.card import CARD_HEADING, has_alarm, incident_card, protocol_blocks
from pipeline.models import (
    Answer,
    Appendix,
    Block,
    ChapterContent,
    FormData,
    MergedProtocol,
    Origin,
    ProtocolMeta,
    Source,
    TeamForms,
    VersionEntry,
)
from pipeline.policy import Policy
from pipeline.policy.context import answer_context

__all__ = ["BEHAVIOUR_HEADER", "CARD_HEADING", "TEAM_ADDITION", "answer_block", "answer_of",
           "appendix_titles", "contact_kinds", "field_blocks", "gap_note", "has_alarm",
           "incident_card", "merge", "protocol_blocks"]


# Fields of the team form that feed the title page, not a chapter (sections A, B and 7).
META_SECTIONS = ("A", "B", "7")
CONTACT_SECTION = "C"


def contact_kinds(forms: TeamForms) -> list[str]:
    """Contact types of a team: ticked `team.contact_<kind>` boxes plus contact forms present."""
    team = forms.forms.get(TEAM_KIND)
    return [k for k in CONTACT_KINDS
            if k in forms.forms or answer_of(team, contact_tag(k)) is True]


def _contacts_block(policy: Policy, team: FormData | None, ctx: Context) -> Block:
    """Section C as one table: role, contact person, source. A team's own contact comes first
    and the organisation's stays listed: the team adds a contact, it does not replace one."""
    section = next(s for s in FORMS[TEAM_KIND].sections if s.number == CONTACT_SECTION)
    rows = [["Rol", "Contactpersoon", "Bron"]]
    own = False
    for field in section.fields:
        answer = answer_of(team, field.tag)
        if answers.is_given(field, answer, ctx):
            own = True
            rows.append([field.label, _text(answer), "Team"])
        rows.append([field.label, policy.text(field.policy_text or ""), "Organisatie"])
    source = Source(origin=Origin.TEAM if own else Origin.ORGANISATION, form=TEAM_KIND,
                    label="Contactpersonen", merge=Merge.INHERIT)
    return Block(title="Contactpersonen", table=rows, source=source, layout="contacts")


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
                 paragraphs=["De afspraken van het team per contactvorm, als aanvulling op de "
                             "hoofdstukken 3 en 4, staan in de bijlagen:"],
                 bullets=[titles[k] for k in kinds],
                 source=Source(origin=Origin.TEAM, form=TEAM_KIND,
                               label="Contactvormen van het team"))


def _context(policy: Policy, forms: TeamForms | None, form: FormData | None,
             today: dt.date | None) -> Context:
    return answer_context(policy, today=today, form=form.fields if form else None,
                          reviews=forms.reviews if forms else None)


def _chapter(policy: Policy, number: int, team: FormData | None, kinds: list[str],
             forms: TeamForms | None = None, today: dt.date | None = None) -> ChapterContent:
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
    ctx = _context(policy, forms, team, today)
    for section in FORMS[TEAM_KIND].sections:
        if section.chapter != number or section.number in (*META_SECTIONS, CONTACT_SECTION):
            continue
        for field in section.fields:
            blocks.extend(field_blocks(policy, TEAM_KIND, field, answer_of(team, field.tag),
                                       ctx))
    if number == 4:
        blocks.append(_contacts_block(policy, team, ctx))
    pointer = _appendix_pointer(kinds) if number == 3 else None
    if pointer:
        blocks.append(pointer)
    return ChapterContent(number=number, title=CHAPTERS[number], organisation=organisation,
                          team=blocks)


def _appendix(policy: Policy, kind: str, form: FormData | None, title: str,
              shown: dict[tuple[str, ...], str], ctx: Context) -> Appendix:
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
        for block in field_blocks(policy, kind, field, answer_of(form, field.tag), ctx):
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


def _meta(policy: Policy, forms: TeamForms, team: FormData, kinds: list[str],
          today: dt.date | None) -> ProtocolMeta:
    def text(tag: str) -> str:
        return _text(answer_of(team, tag))

    def _date(value: Answer) -> dt.date | None:
        # An implausible date (1999, 2099) is no date: never on the title page or the card.
        return answers.plausible_date(value, today)

    status = (ProtocolStatus.ADOPTED if text(Tag.STATUS).lower() == ProtocolStatus.ADOPTED
              else ProtocolStatus.CONCEPT)
    adopted_by = text(Tag.ADOPTED_BY) or None
    adopted_on = _date(answer_of(team, Tag.ADOPTED_ON))
    meeting = _date(answer_of(team, Tag.TEAM_MEETING))
    if status is ProtocolStatus.ADOPTED:
        note = "Vastgesteld" + (f" door {adopted_by}" if adopted_by else "")
    else:
        note = "Concept op basis van de teamformulieren"
    version = text(Tag.VERSION)
    return ProtocolMeta(
        organisation=policy.branding.organisation,
        team_id=forms.team_id,
        team=text(Tag.TEAM_NAME) or forms.team_id,
        department=text(Tag.DEPARTMENT),
        team_lead=text(Tag.TEAM_LEAD),
        staff=text(Tag.STAFF) or None,
        version=version,
        status=status,
        adopted_by=adopted_by,
        adopted_on=adopted_on,
        team_meeting=meeting,
        next_evaluation=_date(answer_of(team, Tag.NEXT_EVALUATION)),
        contact_kinds=kinds,
        previous_team_id=team.previous_team_id,
        history=[VersionEntry(version=version, date=adopted_on or meeting, status=status,
                              note=note)],
    )


def merge(policy: Policy, forms: TeamForms, *, today: dt.date | None = None) -> MergedProtocol:
    """Policy + one team's forms -> MergedProtocol (the protocol without its annex): title
    page, incident card, chapters 1-6, appendices.

    Raises FormError when the general team form is missing: without it there is no team.
    """
    team = forms.forms.get(TEAM_KIND)
    if team is None:
        raise FormError("Het teamformulier ontbreekt", file=f"{forms.team_id}/{TEAM_KIND}.docx",
                        hint="Lever het ingevulde teamformulier in; zonder dat formulier kan er "
                             "geen protocol worden gemaakt")
    kinds = contact_kinds(forms)
    chapters = [_chapter(policy, n, team, kinds, forms, today) for n in CHAPTERS]
    shown = _shown_texts(chapters)
    titles = appendix_titles(kinds)
    return MergedProtocol(
        meta=_meta(policy, forms, team, kinds, today),
        chapters=chapters,
        appendices=[_appendix(policy, k, forms.forms.get(k), titles[k], shown,
                              _context(policy, forms, forms.forms.get(k), today))
                    for k in kinds],
        card=incident_card(policy, forms, kinds),
    )
