"""The aggression protocol per contact type and the incident card, with the alarm step the
team's own answers allow (pure)."""

from __future__ import annotations

from pipeline import answers
from pipeline.catalogue import (
    ALARM_FIELDS,
    CONTACT_KINDS,
    FIELDS_BY_TAG,
    TEAM_KIND,
    Merge,
)
from pipeline.merge.blocks import _text, answer_of
from pipeline.models import (
    Block,
    CardNumber,
    CardSection,
    IncidentCard,
    Origin,
    Source,
    TeamForms,
)
from pipeline.policy import Policy


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
