"""The template's data: a Protocol and its Policy as plain dicts, lists and strings (pure).

Every variable the protocol template receives comes from `template_context`; the README
lists them. No docx here: that is `engine` (docxtpl) and `word` (what Word and LibreOffice
need besides the text).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from docxtpl import RichText

from pipeline import terms
from pipeline.catalogue import CONTACT_KINDS, FORMS, Merge
from pipeline.errors import TemplateError
from pipeline.models import Action, Block, ItemAssessment, Origin, Protocol, Source, Status
from pipeline.policy import Policy
from pipeline.text import dutch_date, form_name, plural

ANNEX_HEADING = "Checklist: wat is geregeld"
SUBJECT = "Veilige publieke dienstverlening"
DOC_TITLE = "Teamprotocol veilige publieke dienstverlening"
EMPTY = "–"


# Status -> (symbol, text colour, light cell shading). Symbol and word together, so the
# status is readable without colour (printed in grey, or colour-blind readers). Every text
# colour has a contrast of at least 4.5:1 on its shading (WCAG 2 relative luminance, PDF/UA
# via WCAG 1.4.3): 5.5, 6.1, 6.3 and 6.0:1. The earlier orange on salmon was 3.55:1 and its
# fill had the same grey as ontbreekt's; deels is now yellow, lighter in grey than ontbreekt.
STATUS_LOOK: dict[Status, tuple[str, str, str]] = {
    Status.GEREGELD: ("✓", "1E6B24", "E2EFDA"),
    Status.DEELS: ("◐", "8A4B00", "FFF2CC"),
    Status.ONTBREEKT: ("✗", "A00000", "F8D7DA"),
    Status.NVT: ("–", "595959", "EDEDED"),
}


# The 7.1 bar: one square per item. Stronger than the text colours, told apart in grey too
# (green, orange, red, grey); the numbers beside the bar say the same in words.
BAR_COLOUR: dict[Status, str] = {Status.GEREGELD: "2E7D32", Status.DEELS: "C55A11",
                                 Status.ONTBREEKT: "A00000", Status.NVT: "A6A6A6"}


# The status symbols come from one font that has all of ✓ ◐ ✗: Carlito and Calibri have none
# of them, and LibreOffice's per-glyph fallback mixed fonts into one table (measured: ✓ ✗
# from DejaVuSans-Bold, ◐ from DejaVuSerif-Bold). Naming "Segoe UI Symbol" (Windows) made it
# worse (DejaVu Sans, DejaVu Serif and DejaVu Math TeX Gyre); naming DejaVu Sans, installed
# with LibreOffice, puts all 40 status symbols of a protocol in that one font (pdffonts).
# Word on Windows, which lacks it, substitutes its own symbol font for the three characters.
SYMBOL_FONT = "DejaVu Sans"
ORIGIN_LABEL = {"team": "team", "organisatie": "organisatie", "open": "nog te bepalen"}


# Characters that cannot appear in XML 1.0, and those docxtpl turns into layout (tab, bell,
# form feed become tabs, paragraphs and page breaks in `resolve_listing`).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: object) -> str:
    """Text safe for a Word run: control characters become spaces; line breaks are kept."""
    if text is None:
        return ""
    return _CONTROL.sub(" ", str(text).replace("\r\n", "\n").replace("\t", " "))


def _date(value: dt.date | None, empty: str = EMPTY) -> str:
    return dutch_date(value) if value else empty


# A list item that carries its own step number: "1. Begrenzen: ...", "2) Melden". A list of
# such items is a numbered list: as bullets they showed a bullet before each number.
_NUMBERED = re.compile(r"\d{1,2}[.)]\s+")


def short_reference(sources: list[Source]) -> str:
    """The sources an annex item rests on, once each: `Bron: beleid, teamformulier`."""
    names = []
    for source in sources:
        if source.origin is Origin.ORGANISATION and (source.form is None
                                                     or source.merge is not Merge.TEAM):
            names.append("beleid")
        else:
            names.append(form_name(source.form) if source.form in FORMS else "teamformulier")
    return "Bron: " + ", ".join(dict.fromkeys(names)) if names else ""


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


def status_view(status: Status) -> dict[str, Any]:
    """A status as template data: word, symbol, colours and a coloured RichText label."""
    symbol, colour, fill = STATUS_LOOK[status]
    label = RichText()
    label.add(symbol, color=colour, font=SYMBOL_FONT)
    label.add(" " + status.value, color=colour)
    return {"status": status.value, "symbol": symbol, "colour": colour, "fill": fill,
            "label": label}


def _due(action: Action) -> str:
    """An action's due date in Dutch, *verlopen* when it lies before the build date."""
    if action.due is None:
        return "nog te bepalen"
    return dutch_date(action.due) + (" (verlopen)" if action.overdue else "")


def _bar(items: list[ItemAssessment]) -> RichText:
    """A chapter's items at a glance: one square per item in its status colour, in the order
    geregeld, deels, ontbreekt, n.v.t. (the numbers beside it say the same in words)."""
    bar = RichText()
    for status in Status:
        n = sum(1 for i in items if i.status is status)
        if n:
            bar.add("■" * n, color=BAR_COLOUR[status], font=SYMBOL_FONT)
    return bar


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


# A missing source as assess words it: "<form>: <question> (<why>)".
_MISSING = re.compile(r"(?P<form>[^:]+): (?P<label>.+) \((?P<why>[^()]+)\)")
_EMPTY_REASONS = ("niet ingevuld", "niet beantwoord")


def missing_lines(missing: list[str]) -> list[str]:
    """What an item lacks, one line per form: "Teamformulier: A; B (‘n.v.t.’ regelt niets)".

    A question left empty is named without "(niet ingevuld)": the column says *Wat
    ontbreekt*. An answer that arranges nothing keeps its reason. Other texts (the
    organisation's part, a team's own open action) stay as they are.
    """
    lines: list[str] = []
    forms: dict[str, int] = {}
    for text in missing:
        found = _MISSING.fullmatch(text)
        if found is None:
            lines.append(_capital(text))
            continue
        label = found["label"] + ("" if found["why"] in _EMPTY_REASONS else f" ({found['why']})")
        form = _capital(found["form"])
        if form in forms:
            lines[forms[form]] += "; " + label
        else:
            forms[form] = len(lines)
            lines.append(f"{form}: {label}")
    return lines


def _open_by(items: list[ItemAssessment], origin: str) -> int:
    """Items not arranged whose action lies with the organisation (or, else, with the team)."""
    open_items = [i for i in items if i.status in (Status.DEELS, Status.ONTBREEKT)]
    by_org = sum(1 for i in open_items if i.action and i.action.origin == "organisatie")
    return by_org if origin == "organisatie" else len(open_items) - by_org


def _annex_view(protocol: Protocol, terminology: str = terms.DEFAULT) -> dict[str, Any]:
    def ours(text: str) -> str:
        return clean(terms.ours(text, terminology))

    annex = protocol.annex
    if annex is None:
        raise TemplateError("Het protocol heeft nog geen checklist (hoofdstuk 7)",
                            field="annex", hint="Laat eerst de beoordeling (assess) draaien")
    items: dict[int, list[dict[str, Any]]] = {}
    for item in annex.items:
        action = item.action
        items.setdefault(item.chapter, []).append({
            "id": item.id, "text": ours(item.text), **status_view(item.status),
            "reference": short_reference(item.given),
            # Only what does not arrange its part; a filled source is in the reference.
            "missing": missing_lines([ours(m) for m in item.missing])
            + [ours("Let op: " + c) for c in item.conflicts] or [EMPTY],
            "action": EMPTY if action is None else
            ("nog niet gepland" if action.origin == "open" else clean(action.what)),
            "owner": clean(action.owner or "nog te bepalen") if action is not None else EMPTY,
            "due": _due(action) if action is not None else EMPTY,
        })
    by_chapter = {c.chapter: [i for i in annex.items if i.chapter == c.chapter]
                  for c in annex.chapters}
    scores = [{"number": s.chapter, "title": s.title, "line": s.line(),
               "bar": _bar(by_chapter[s.chapter]),
               "geregeld": s.counts.get(Status.GEREGELD, 0), "applicable": s.applicable,
               "team": _open_by(by_chapter[s.chapter], "team"),
               "organisation": _open_by(by_chapter[s.chapter], "organisatie")}
              for s in annex.chapters]
    counts = {s: sum(c.counts.get(s, 0) for c in annex.chapters) for s in Status}
    applicable = sum(n for s, n in counts.items() if s is not Status.NVT)
    total = f"{counts[Status.GEREGELD]} van {applicable} geregeld"
    for s in (Status.DEELS, Status.ONTBREEKT, Status.NVT):
        if counts[s]:
            total += f", {counts[s]} {s.value}"
    planned = [a for a in annex.actions if a.origin != "open"]
    unplanned = [a.item for a in annex.actions if a.origin == "open" and a.item]
    owners = sorted({clean(a.owner) for a in annex.actions if a.origin == "open" and a.owner})
    return {
        "heading": ANNEX_HEADING,
        "intro": ("Dit hoofdstuk volgt de checklist van de Werkwijzer. Per onderdeel staat of "
                  "het geregeld is, wat er nog ontbreekt en welke actie volgt, door wie en "
                  "wanneer."),
        "legend": ("✓ geregeld: vastgelegd · ◐ deels: nog niet alles vastgelegd · ✗ "
                   "ontbreekt: nog niets vastgelegd · – n.v.t.: het team heeft deze "
                   "contactvorm niet. Een antwoord als ‘n.v.t.’, ‘geen’ of ‘nog niet’ regelt "
                   "niets; een onderdeel waarvoor het team zelf nog een actie heeft staan, is "
                   "hooguit deels geregeld."),
        "scores": scores,
        "total": total,
        "geregeld": counts[Status.GEREGELD],
        "applicable": applicable,
        "total_open_team": sum(s["team"] for s in scores),
        "total_open_organisation": sum(s["organisation"] for s in scores),
        "groups": [{**s, "checks": items.get(s["number"], [])} for s in scores],
        "checks": [i for s in scores for i in items.get(s["number"], [])],
        "actions": [{"item": a.item or EMPTY, "what": clean(a.what),
                     "owner": clean(a.owner) if a.owner else "nog te bepalen",
                     "due": _due(a), "origin": ORIGIN_LABEL[a.origin]}
                    for a in planned],
        "unplanned": (f"Voor {plural(len(unplanned), 'onderdeel', 'onderdelen')} is nog geen "
                      f"actie gepland: {', '.join(unplanned)}. "
                      + (f"Eigenaar tot er een actie is: {', '.join(owners)}; zet voor elk "
                         "onderdeel een actie met eigenaar en datum op het teamformulier."
                         if owners else "Zet voor elk onderdeel een actie met eigenaar en "
                         "datum op het teamformulier.")) if unplanned else "",
        "topics_intro": ("De Nederlandse Arbeidsinspectie (voorheen Inspectie SZW) kijkt bij "
                         "het beleid tegen agressie en geweld naar elf onderwerpen. Hieronder "
                         "staan dezelfde onderdelen, geordend naar die onderwerpen."),
        "topics": [{"number": n, "title": t.title, "ids": ", ".join(t.items),
                    **status_view(t.status)} for n, t in enumerate(annex.topics, 1)],
    }


def _card_view(protocol: Protocol, terminology: str) -> dict[str, Any]:
    """The incident card as template data (all texts ours or the policy's, so in its word)."""
    card = protocol.card
    if card is None:
        return {"heading": "", "sections": [], "after": [], "numbers": [], "report": []}

    def ours(text: str) -> str:
        return clean(terms.ours(text, terminology))

    first = len(card.sections[0].steps) if card.sections else 0
    return {
        "heading": card.heading,
        "sections": [{"title": ours(s.title),
                      "steps": [{"number": n, "text": ours(t)} for n, t in enumerate(s.steps, 1)]}
                     for s in card.sections],
        "after": [{"number": n, "text": ours(t)} for n, t in enumerate(card.after, first + 1)],
        "numbers": [{"label": ours(n.label), "value": clean(n.value)} for n in card.numbers],
        "report": [ours(r) for r in card.report],
    }


def template_context(protocol: Protocol, policy: Policy) -> dict[str, Any]:
    """Every variable the protocol template receives (plain dicts, lists and strings).

    `logo` is added by `render_protocol` (an image needs the template); see the README for
    the full list.
    """
    meta = protocol.meta
    term = policy.terminology
    kind = policy.branding.kind
    concept = meta.status != "vastgesteld"
    organisation = clean(policy.branding.organisation)
    chapters = []
    for ch in protocol.chapters:
        chapters.append({
            "number": ch.number, "title": clean(ch.title),
            "organisation": [block_view(b, term, kind=kind) for b in ch.organisation],
            "organisation_source": f"Bron: het beleid van {organisation}; dit geldt voor "
                                   "alle teams.",
            "team": [block_view(b, term, frame=Origin.TEAM, kind=kind) for b in ch.team],
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
            "adopted_by": clean(meta.adopted_by) if meta.adopted_by else
            ("nog niet vastgesteld" if concept else EMPTY),
            "adopted_on": _date(meta.adopted_on, "nog niet vastgesteld" if concept else EMPTY),
            # The date of this version: its adoption, else the team meeting it rests on.
            "date": _date(meta.adopted_on or meta.team_meeting, "nog niet vastgesteld"),
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
            "blocks": [block_view(b, term, frame=Origin.TEAM, kind=kind) for b in ap.blocks],
        } for ap in protocol.appendices],
        "annex": _annex_view(protocol, term),
        "card": _card_view(protocol, term),
    }
