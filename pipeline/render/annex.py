"""Chapter 7 as template data: the score per chapter with its bar, every item with what is
missing and who acts by when, the planned actions, the inspectorate's topics (pure)."""

from __future__ import annotations

from typing import Any

from docxtpl import RichText

from pipeline import terms
from pipeline.answers import missing_text
from pipeline.catalogue import FIELDS_BY_TAG, FORMS, Merge
from pipeline.models import (
    Action,
    ActionOrigin,
    ItemAssessment,
    MissingPart,
    Origin,
    Protocol,
    Review,
    Source,
    Status,
    score_line,
)
from pipeline.render.common import EMPTY, SYMBOL_FONT, clean, status_view
from pipeline.render.palette import PALETTE, legend
from pipeline.text import capital, dutch_date, form_name, plural

ANNEX_HEADING = "Checklist: wat is geregeld"


ORIGIN_LABEL = {ActionOrigin.TEAM: "team", ActionOrigin.ORGANISATION: "organisatie",
                ActionOrigin.OPEN: "nog te bepalen"}

# 7.2's one cell across "Wat ontbreekt" and "Actie" for an item with nothing to show there:
# two "–" cells in 27 of handhaving's 30 rows hid the three that ask for something (issue 23).
SETTLED_LINE = "Niets ontbreekt; geen actie nodig"


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


def _due(action: Action) -> str:
    """An action's due date in Dutch, *verlopen* when it lies before the build date."""
    if action.due is None:
        return "nog te bepalen"
    return dutch_date(action.due) + (" (verlopen)" if action.overdue else "")


def _bar(items: list[ItemAssessment]) -> RichText:
    """A chapter's items at a glance: one status symbol per item in its status colour, in
    the palette's order, the shape telling the status in grey, the colour on screen; under
    it the same in words ("2 geregeld, 1 deels"), what a listener hears instead of symbol
    names and what a reader who does not know the symbols reads."""
    bar = RichText()
    words = []
    for status, look in PALETTE.items():
        n = sum(1 for i in items if i.status is status)
        if n:
            bar.add(look.symbol * n + " ", color=look.colour, font=SYMBOL_FONT)
            words.append(f"{n} {status.value}")
    if words:
        bar.add("\n" + ", ".join(words), size=16)
    return bar


def _action_lines(action: Action | None) -> list[str]:
    """7.2's action column: what, then "door <owner>, uiterlijk <date>"; an item without a
    planned action says so in one line (its owner until then is named once, under 7.3)."""
    if action is None:
        return [EMPTY]
    if action.origin is ActionOrigin.OPEN:
        return ["nog niet gepland"]
    owner = clean(action.owner) if action.owner else "eigenaar nog te bepalen"
    return [clean(action.what), f"door {owner}, uiterlijk {_due(action)}"]


def missing_lines(parts: list[MissingPart]) -> list[str]:
    """What an item lacks, one line per form: "Teamformulier: A; B (‘n.v.t.’ regelt niets)".

    A question left empty is named without "(niet ingevuld)": the column says *Wat
    ontbreekt*. An answer that arranges nothing keeps its reason. Other parts (the
    organisation's, a missing form, a team's own open action) are a line of their own.
    """
    lines: list[str] = []
    forms: dict[str, int] = {}
    for part in parts:
        if part.form is None or part.question is None:
            lines.append(capital(missing_text(part)))
            continue
        label = part.question + ("" if part.empty else f" ({part.reason})")
        if part.form in forms:
            lines[forms[part.form]] += "; " + label
        else:
            forms[part.form] = len(lines)
            lines.append(f"{capital(form_name(part.form))}: {label}")
    return lines


def review_line(review: Review) -> str:
    """The coordinator's decision on an answer, as the annex shows it: "Beoordeeld door Renske
    de Vries op 3 maart 2027: akkoord" (with the note for niet akkoord)."""
    who = f" door {review.by}" if review.by else ""
    when = f" op {dutch_date(review.on)}" if review.on else ""
    note = f" ({review.note})" if review.note else ""
    label = FIELDS_BY_TAG[review.tag].label if review.tag in FIELDS_BY_TAG else review.tag
    return f"{label}: beoordeeld{who}{when}: {review.decision.value}{note}"


def annex_view(protocol: Protocol, terminology: str = terms.DEFAULT) -> dict[str, Any]:
    def ours(text: str) -> str:
        return clean(terms.ours(text, terminology))

    annex = protocol.annex
    items: dict[int, list[dict[str, Any]]] = {}
    for item in annex.items:
        action = item.action
        # Only what does not arrange its part; a filled source is in the reference.
        lines = ([ours(m) for m in missing_lines(item.missing)]
                 + [ours("Let op: " + c) for c in item.conflicts]
                 + [clean(review_line(r)) for r in item.reviews])
        items.setdefault(item.chapter, []).append({
            "id": item.id, "text": ours(item.text), **status_view(item.status),
            "reference": short_reference(item.given),
            "missing": lines or [EMPTY],
            # Nothing to name and nothing to do: one cell saying so across both columns.
            "settled": not lines and action is None,
            "action": EMPTY if action is None else
            ("nog niet gepland" if action.origin is ActionOrigin.OPEN else clean(action.what)),
            "owner": clean(action.owner or "nog te bepalen") if action is not None else EMPTY,
            "due": _due(action) if action is not None else EMPTY,
            "action_lines": _action_lines(action),
        })
    by_chapter = {c.chapter: [i for i in annex.items if i.chapter == c.chapter]
                  for c in annex.chapters}
    scores = [{"number": s.chapter, "title": s.title, "line": s.line(),
               "bar": _bar(by_chapter[s.chapter]),
               "geregeld": s.counts.get(Status.GEREGELD, 0), "applicable": s.applicable,
               # An item whose team part and organisation part are both open counts in both.
               "team": sum(i.open_for_team for i in by_chapter[s.chapter]),
               "organisation": sum(i.open_for_organisation for i in by_chapter[s.chapter])}
              for s in annex.chapters]
    counts = {s: sum(c.counts.get(s, 0) for c in annex.chapters) for s in Status}
    applicable = sum(n for s, n in counts.items() if s is not Status.NVT)
    planned = [a for a in annex.actions if a.origin is not ActionOrigin.OPEN]
    unplanned = [a.item for a in annex.actions if a.origin is ActionOrigin.OPEN and a.item]
    owners = sorted({clean(a.owner) for a in annex.actions
                     if a.origin is ActionOrigin.OPEN and a.owner})
    return {
        "heading": ANNEX_HEADING,
        "intro": ("Dit hoofdstuk volgt de checklist van de Werkwijzer. Per onderdeel staat of "
                  "het geregeld is, wat er nog ontbreekt en welke actie volgt, door wie en "
                  "wanneer."),
        # legend() ends in "n.v.t.": no second full stop after it.
        "bar_legend": ("Elk teken is een onderdeel van de checklist: "
                       f"{legend().removesuffix('.')}. Een "
                       "onderdeel waarvoor zowel het team als de organisatie nog iets moet "
                       "regelen, telt in beide laatste kolommen mee."),
        "legend": ("✓ geregeld: vastgelegd · ? te beoordelen: de coördinator beoordeelt "
                   "een antwoord nog · ◐ deels: nog niet alles vastgelegd · ✗ ontbreekt: nog "
                   "niets vastgelegd · – n.v.t.: het team heeft deze contactvorm niet. Een "
                   "antwoord als ‘n.v.t.’, ‘geen’ of ‘nog niet’ telt niet als afspraak; een "
                   "antwoord dat de coördinator nog beoordeelt, telt pas mee na akkoord; een "
                   "onderdeel waarvoor het team zelf nog een actie heeft staan, is hooguit "
                   "deels geregeld."),
        "settled_line": SETTLED_LINE,
        "scores": scores,
        "total": score_line(counts),
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
                      # Who owns them, not an instruction to the form's filler: that
                      # does not belong in the protocol (a review of version 0.3.1).
                      + (f"Tot er een actie is, is de eigenaar: {', '.join(owners)}."
                         if owners else "")).strip() if unplanned else "",
        # The Werkwijzer's list (2019) of what the Inspectie SZW then tested; not a claim
        # about how today's Nederlandse Arbeidsinspectie works.
        "topics_intro": ("Deze elf onderwerpen volgen de lijst in de Werkwijzer Veilige "
                         "Publieke Dienstverlening (2019): de onderwerpen waarop de toenmalige "
                         "Inspectie SZW het beleid tegen agressie en geweld toetste. Hieronder "
                         "staan dezelfde onderdelen als in 7.2, geordend naar die onderwerpen."),
        "topics": [{"number": n, "title": t.title, "ids": ", ".join(t.items),
                    **status_view(t.status)} for n, t in enumerate(annex.topics, 1)],
    }
