"""Helpers for render tests (plain functions and data; the fixtures are in its conftest)."""

from __future__ import annotations

import datetime as dt

from pipeline.catalogue import (
    CHAPTERS,
    CHECKLIST,
    INSPECTION_TOPICS,
    POLICY_CHECKLIST,
    Merge,
)
from pipeline.models import (
    Action,
    Annex,
    Appendix,
    Block,
    ChapterContent,
    ChapterScore,
    Decision,
    ItemAssessment,
    MissingPart,
    Origin,
    Protocol,
    ProtocolMeta,
    Review,
    Source,
    Status,
    TopicAssessment,
    VersionEntry,
)
from pipeline.policy import (
    BehaviourForms,
    Branding,
    ChecklistAnswer,
    Contact,
    Contacts,
    FrameSection,
    Policy,
)

ORG = "Gemeente Voorbeeldstad"


COLOUR = "#7A1F5C"


# Team text a team lead might type: it must reach the document literally, never as code.
TRICKY = [
    "Wij & de wijk: samen <sterk> tegen agressie.",
    "Formule {{ 7*7 }} blijft tekst.",
    "Voorwaarde {% if x %}ja{% endif %} is geen code.",
]


ORG_TEXT = "Emotie mag, agressie niet: de organisatie stelt grenzen aan gedrag."


STATUS_CYCLE = (Status.GEREGELD, Status.DEELS, Status.ONTBREEKT, Status.NVT,
                Status.TE_BEOORDELEN)


def make_policy(colour: str = COLOUR, font: str = "Calibri") -> Policy:
    """A valid Policy with recognisable texts; every policy checklist item arranged."""
    from pipeline.catalogue import FIELDS_BY_TAG

    keys = {f.policy_text for f in FIELDS_BY_TAG.values() if f.policy_text}
    return Policy(
        branding=Branding(organisation=ORG, short_name="voorbeeldstad", colour=colour,
                          font=font),
        contacts=Contacts(
            coordinator=Contact(name="A. de Vries", role="coördinator agressie en geweld"),
            vertrouwenspersoon=Contact(name="B. Jansen", role="vertrouwenspersoon"),
            nazorg=Contact(name="C. Bakker", role="opvang en nazorg", phone="010-1234567"),
        ),
        chapters={n: [FrameSection(title=f"Kader {n}", paragraphs=[ORG_TEXT])]
                  for n in range(1, 7)},
        texts={k: f"Organisatietekst {k}." for k in keys if not k.startswith("contact.")},
        behaviour_forms=BehaviourForms(verbaal=["schelden"], bedreiging=["stalken"],
                                       fysiek=["slaan"]),
        checklist={i: ChecklistAnswer(arranged=True, document="Agressieprotocol",
                                      date="2024-03") for i in POLICY_CHECKLIST},
    )


ORG_SOURCE = Source(origin=Origin.ORGANISATION)


def _team_source(label: str, form: str = "team") -> Source:
    return Source(origin=Origin.TEAM, form=form, tag=f"{form}.x", label=label, merge=Merge.TEAM)


def _chapter(number: int) -> ChapterContent:
    organisation = [Block(title=f"Kader {number}", paragraphs=[ORG_TEXT, "Tweede alinea."],
                          bullets=["Eerste punt", "Tweede punt"], source=ORG_SOURCE)]
    if number == 4:
        organisation.append(Block(
            title="Vormen van normoverschrijdend gedrag",
            table=[["(Non-)verbale agressie", "Persoonlijke bedreiging", "Fysiek geweld"],
                   ["schelden", "stalken", "slaan"], ["discrimineren", "", "spugen"]],
            source=Source(origin=Origin.ORGANISATION, merge=Merge.LOCKED)))
    team = [Block(title="Wat in ons werk over de grens gaat", paragraphs=list(TRICKY),
                  source=_team_source("Wat in ons werk over de grens gaat"))]
    if number == 3:
        team = []  # a chapter where the team has nothing of its own
    return ChapterContent(number=number, title=CHAPTERS[number], organisation=organisation,
                          team=team)


def make_annex() -> Annex:
    """30 items cycling through all five statuses, scores, topics and actions; a te
    beoordelen item waits for the coordinator, the first geregeld item was reviewed."""
    items = []
    for n, item in enumerate(CHECKLIST):
        status = STATUS_CYCLE[n % len(STATUS_CYCLE)]
        action = None
        if status in (Status.DEELS, Status.ONTBREEKT):
            action = Action(item=item.id, what=f"Regel {item.id} & zorg <dat> het klopt",
                            owner="Teamleider", due=dt.date(2026, 9, 1), origin="team")
        sources = [Source(origin=Origin.ORGANISATION, label="Agressieprotocol, 2024-03"),
                   _team_source("Locaties", "balie")]
        missing = [MissingPart(party="team", form="balie", question="Locaties",
                               reason="niet ingevuld", empty=True)] if action else []
        if status is Status.TE_BEOORDELEN:
            missing = [MissingPart(party="team", form="team", question="Melden van incidenten",
                                   reason="ontkent mogelijk de tekst van de organisatie")]
        reviews = [Review(team_id="t1", form="team", tag="team.melden", key="0" * 16,
                          decision=Decision.ACCEPTED, by="R. de Vries",
                          on=dt.date(2026, 3, 1))] if n == 0 else []
        items.append(ItemAssessment(id=item.id, chapter=item.chapter, text=item.text,
                                    status=status, sources=sources if status is not Status.NVT
                                    else [], action=action, missing=missing,
                                    reviews=reviews))
    chapters = []
    for number, title in CHAPTERS.items():
        counts = {s: sum(1 for i in items if i.chapter == number and i.status is s)
                  for s in Status}
        chapters.append(ChapterScore(chapter=number, title=title, counts=counts))
    by_id = {i.id: i for i in items}
    topics = [TopicAssessment(title=t, items=list(ids), status=by_id[ids[0]].status)
              for t, ids in INSPECTION_TOPICS]
    actions = [i.action for i in items if i.action is not None]
    actions.append(Action(item=None, what="Evaluatie plannen", owner=None, due=None,
                          origin="open"))
    return Annex(items=items, chapters=chapters, topics=topics, actions=actions)


def make_protocol(*, status: str = "concept", team: str = "Burgerzaken & Publiek",
                  team_id: str = "burgerzaken") -> Protocol:
    """A complete Protocol: title facts, 6 chapters, 2 appendices and the annex."""
    adopted = status == "vastgesteld"
    meta = ProtocolMeta(
        organisation=ORG, team_id=team_id, team=team, department="Publiekszaken",
        team_lead="D. Smit", staff="14", version="1.2", status=status,
        adopted_by="Directeur Publiekszaken" if adopted else None,
        adopted_on=dt.date(2026, 2, 10) if adopted else None,
        team_meeting=dt.date(2026, 1, 20), next_evaluation=dt.date(2027, 1, 20),
        contact_kinds=["balie", "digitaal"],
        history=[VersionEntry(version="1.0", date=dt.date(2025, 1, 15), status="vastgesteld",
                              note="Eerste versie"),
                 VersionEntry(version="1.2", date=dt.date(2026, 1, 20), status=status,
                              note="Herzien na teamoverleg")],
    )
    appendices = [
        Appendix(kind="balie", title="Bijlage 1: Balie en spreekkamer", blocks=[
            Block(title="Locaties", table=[["Locatie", "Adres", "Openingstijden"],
                                           ["Stadskantoor", "Markt 1 & 2", "9-17 uur"]],
                  source=_team_source("Locaties", "balie")),
            Block(title="Alarmknop", paragraphs=["Ja."],
                  source=_team_source("Alarmknop", "balie"))]),
        Appendix(kind="digitaal", title="Bijlage 2: Telefoon, e-mail, post en sociale media",
                 blocks=[Block(title="Kanalen", bullets=["telefoon", "e-mail <info@x.nl>"],
                               source=_team_source("Kanalen", "digitaal"))]),
    ]
    return Protocol(meta=meta, chapters=[_chapter(n) for n in range(1, 7)],
                    appendices=appendices, annex=make_annex())
