"""The template's data: a Protocol and its Policy as plain dicts, lists and strings (pure).

Every variable the protocol template receives comes from `template_context`; the README
lists them. No docx here: that is `engine` (docxtpl) and `word` (what Word and LibreOffice
need besides the text).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pipeline import terms
from pipeline.catalogue import CHECKLIST, CONTACT_KINDS, FORMS, ProtocolStatus
from pipeline.models import Block, Origin, Protocol
from pipeline.policy import Policy
from pipeline.render.annex import annex_view
from pipeline.render.common import EMPTY, clean
from pipeline.text import dutch_date

SUBJECT = "Veilige publieke dienstverlening"
DOC_TITLE = "Teamprotocol veilige publieke dienstverlening"


def _date(value: dt.date | None, empty: str = EMPTY) -> str:
    return dutch_date(value) if value else empty


# A list item that carries its own step number: "1. Begrenzen: ...", "2) Melden". A list of
# such items is a numbered list: as bullets they showed a bullet before each number.
_NUMBERED = re.compile(r"\d{1,2}[.)]\s+")


def block_view(block: Block, terminology: str = terms.DEFAULT, *,
               frame: Origin = Origin.ORGANISATION, kind: str = "organisatie") -> dict[str, Any]:
    """One block as template data: title, label, paragraphs, bullets or steps, table, gap box.

    `frame` is whose section the block stands in: an organisation text in the team's part (the
    frame of an inherit or extend question) gets the small label "Afspraak van de gemeente"
    instead of a source line under every block.
    """
    table = None
    if block.table:
        header, *rows = [[clean(c) for c in row] for row in block.table]
        table = {"header": header, "rows": rows}
    bullets = [clean(b) for b in block.bullets]
    numbered = block.numbered
    if bullets and not numbered and all(_NUMBERED.match(b) for b in bullets):
        bullets, numbered = [_NUMBERED.sub("", b, count=1) for b in bullets], True
    label = ""
    if block.source.origin is Origin.ORGANISATION and frame is not Origin.ORGANISATION:
        label = f"Afspraak van de {kind}"
    return {
        # Titles are ours (form questions, policy headings), never a team's words.
        "title": clean(terms.ours(block.title, terminology)) if block.title else "",
        "label": label,
        "paragraphs": [clean(p) for p in block.paragraphs],
        "bullets": [] if numbered else bullets,
        "steps": bullets if numbered else [],
        "table": table,
        "layout": block.layout,
        "gap": block.gap,
        "gap_note": clean(terms.ours(block.gap_note, terminology)),
    }


UNANSWERED_TITLE = "Nog niet ingevuld"
UNANSWERED_INTRO = ("Hierover heeft het team op het formulier nog niets ingevuld (tussen "
                    "haakjes de onderdelen in hoofdstuk 7):")


def team_views(blocks: list[Block], terminology: str = terms.DEFAULT,
               kind: str = "organisatie") -> list[dict[str, Any]]:
    """A section's team blocks as template data, a run of unanswered questions as one box.

    Eight questions left empty one after the other were eight headings over eight identical
    boxes ("Nog niet ingevuld; zie onderdeel …"): the run becomes one heading and one box
    naming each question with its checklist items, read at a glance and heard once.
    """
    views: list[dict[str, Any]] = []
    run: list[Block] = []

    def flush() -> None:
        if len(run) == 1:
            views.append(block_view(run[0], terminology, frame=Origin.TEAM, kind=kind))
        elif run:
            lines = [f"• {b.unanswered} ({', '.join(b.items)})" if b.items else
                     f"• {b.unanswered}" for b in run]
            # A heading of its own: without it the box read as part of the block above.
            note = "\n".join([UNANSWERED_INTRO, *lines])
            views.append(block_view(Block(title=UNANSWERED_TITLE, source=run[0].source,
                                          gap=True, gap_note=note),
                                    terminology, frame=Origin.TEAM, kind=kind))
        run.clear()

    for block in blocks:
        if block.unanswered:
            run.append(block)
            continue
        flush()
        views.append(block_view(block, terminology, frame=Origin.TEAM, kind=kind))
    flush()
    return views


def _number_view(number: Any, ours: Any) -> dict[str, str]:
    return {"label": ours(number.label), "value": clean(number.value),
            "missing": f"nog in te vullen: {clean(number.missing)}" if number.missing else ""}


CARD_LEVELS = 3  # verbal aggression, threat, violence: the template's three places


def card_view(protocol: Protocol, terminology: str) -> dict[str, Any]:
    """The alarm card as template data (all texts ours or the policy's, so in its word).

    The other numbers come in `number_rows`, two to a row (the card's two columns; an odd last
    row gets an empty second half).
    """
    card = protocol.card
    if card is None:
        return {"heading": "", "emergency": {}, "alarm": [], "sections": [], "bystander": "",
                "code_word": "",
                "report": [], "number_rows": [], "more": ""}

    def ours(text: str) -> str:
        return clean(terms.ours(text, terminology))

    numbers = [_number_view(n, ours) for n in card.numbers]
    if len(numbers) % 2:
        numbers.append({"label": "", "value": "", "missing": ""})
    emergency, *alarm = [_number_view(n, ours) for n in card.alarm] or [
        {"label": "Direct gevaar", "value": "112", "missing": ""}]
    return {
        "heading": card.heading,
        "emergency": emergency,
        "alarm": alarm,
        # The template has a place for each of the three levels; a card archived by 0.3 (one
        # untitled level) fills the others with nothing.
        "sections": [{"title": ours(s.title),
                      "levels": [{"title": ours(lv.title), "steps": [ours(t) for t in lv.steps]}
                                 for lv in s.levels]
                      + [{"title": "", "steps": []}] * max(0, CARD_LEVELS - len(s.levels))}
                     for s in card.sections],
        "bystander": ours(card.bystander),
        "code_word": clean(card.code_word),
        "report": [dict(zip(("label", "text"), (ours(p) for p in r.split(": ", 1)),
                            strict=False)) for r in card.report],
        "number_rows": [numbers[i:i + 2] for i in range(0, len(numbers), 2)],
        "more": ours(card.more),
    }


def _version_line(version: str, date: dt.date | None, concept: bool) -> str:
    """The title page's version: "1.1, 9 juni 2026"; a concept says so: "0.1 (concept)",
    with the date of the team meeting it rests on when there is one."""
    number = clean(version) or EMPTY
    if concept:
        number = f"{number} (concept)"
    return f"{number}, {dutch_date(date)}" if date is not None else number


def in_sentence(policy: Policy) -> str:
    """The organisation's name inside a sentence: "de gemeente Lindenhoven" for "Gemeente
    Lindenhoven" (its kind starts the name), else the name as written."""
    name, kind = clean(policy.branding.organisation), policy.branding.kind
    if name.lower().startswith(kind.lower() + " "):
        return f"de {kind}{name[len(kind):]}"
    return name


def chapter_sources(policy: Policy, number: int) -> list[str]:
    """The documents behind a chapter's organisation frame, with their dates: the policy's
    answers to the chapter's checklist items ("RI&E gemeente Lindenhoven, deel
    publieksagressie (2024-11)"), each once, in checklist order."""
    found: list[str] = []
    for item in CHECKLIST:
        answer = policy.checklist.get(item.id)
        if item.chapter != number or answer is None or not answer.document:
            continue
        source = clean(answer.document) + (f" ({clean(answer.date)})" if answer.date else "")
        if source not in found:
            found.append(source)
    return found


def _organisation_source(policy: Policy, number: int) -> str:
    sources = chapter_sources(policy, number)
    line = f"Bron: het beleid van {in_sentence(policy)}; dit geldt voor alle teams."
    return f"{line} Vastgelegd in: {'; '.join(sources)}." if sources else line


EXAMPLE_POLICY_NOTE = ("Gemaakt met (deels) het voorbeeldbeleid van de verzonnen Gemeente "
                       "Lindenhoven; zo kan dit protocol niet worden vastgesteld.")


def template_context(protocol: Protocol, policy: Policy, *,
                     example_policy: bool = False) -> dict[str, Any]:
    """Every variable the protocol template receives (plain dicts, lists and strings).

    `example_policy`: the policy file is still (partly) the invented example's
    (`policy.example.example_markers`); a concept then says so on its title page and in
    its header (`meta.example_policy`, the title page's sentence, "" otherwise).

    `logo` is added by `render_protocol` (an image needs the template); see the README for
    the full list.
    """
    meta = protocol.meta
    term = policy.terminology
    kind = policy.branding.kind
    concept = meta.status is not ProtocolStatus.ADOPTED
    # The date of this version: its adoption, else (a concept) the team meeting it rests on.
    day = meta.team_meeting if concept else (meta.adopted_on or meta.team_meeting)
    organisation = clean(policy.branding.organisation)
    chapters = []
    for ch in protocol.chapters:
        chapters.append({
            "number": ch.number, "title": clean(ch.title),
            "organisation": [block_view(b, term, kind=kind) for b in ch.organisation],
            "organisation_source": _organisation_source(policy, ch.number),
            "team": team_views(ch.team, term, kind),
            "team_source": f"Bron: het teamformulier, ingevuld door {clean(meta.team)}."
            if ch.team else "",
            "team_note": "" if ch.team else
            "Het team heeft voor dit hoofdstuk geen eigen afspraken vastgelegd.",
        })
    return {
        "org": {
            "name": organisation,
            # The logo shows the name already: the title page does not repeat it.
            "name_on_title": "" if policy.branding.logo and policy.branding.logo_shows_name
            else organisation,
            "short_name": policy.branding.short_name,
            "colour": policy.branding.colour,
            "font": policy.branding.font,
            "terminology": policy.terminology,
            "incident_system": clean(policy.incident_system),
        },
        "team": {
            "id": meta.team_id,
            "name": clean(meta.team),
            "department": clean(meta.department) or EMPTY,
            "lead": clean(meta.team_lead) or EMPTY,
            "staff": clean(meta.staff) if meta.staff else EMPTY,
            "contact_kinds": [CONTACT_KINDS.get(k, k) for k in meta.contact_kinds],
        },
        "meta": {
            "title": DOC_TITLE,
            "version": clean(meta.version) or EMPTY,
            "status": meta.status,
            "is_concept": concept,
            "example_policy": EXAMPLE_POLICY_NOTE if example_policy and concept else "",
            # Adoption facts only for an adopted version: a concept that still holds last
            # version's (set back for the next cycle) does not print them (check warns).
            "adopted_by": "nog niet vastgesteld" if concept else
            (clean(meta.adopted_by) if meta.adopted_by else EMPTY),
            "adopted_on": "nog niet vastgesteld" if concept else _date(meta.adopted_on, EMPTY),
            "date": _date(day, "nog niet vastgesteld"),
            # "1.1, 9 juni 2026"; a concept "0.1 (concept)", never "0.1 van nog niet
            # vastgesteld" (a review of version 0.3.1).
            "version_line": _version_line(meta.version, day, concept),
            "team_meeting": _date(meta.team_meeting),
            "next_evaluation": _date(meta.next_evaluation, "nog niet gepland"),
        },
        "history": [{"version": clean(v.version) or EMPTY, "date": _date(v.date),
                     "status": clean(v.status), "note": clean(v.note)} for v in meta.history],
        "chapters": chapters,
        "appendices": [{
            "kind": ap.kind, "title": clean(ap.title),
            # The numbered title merge gave it ("Bijlage 1: Balie en spreekkamer"), the same
            # words as the pointer in chapter 3.
            "heading": clean(ap.title),
            "intro": f"Bron: het formulier ‘{clean(FORMS[ap.kind].title)}’, ingevuld door "
                     f"{clean(meta.team)}; deze afspraken vullen de hoofdstukken 3 en 4 aan."
            if ap.kind in FORMS else "",
            "blocks": team_views(ap.blocks, term, kind),
        } for ap in protocol.appendices],
        "annex": annex_view(protocol, term),
        "card": card_view(protocol, term),
    }
