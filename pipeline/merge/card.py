"""The aggression protocol per contact type and the alarm card, with the steps the team's own
answers allow (pure).

The alarm card ("Wat te doen bij agressie") is read in ten seconds: 112 and the team's internal
alarm number on top, per contact type three levels (schelden, bedreiging, geweld) of at most
three steps, the bystander's step, melden / aangifte / nazorg in a line each, then the other
numbers, each label once. Nothing on it is silent: a number the team did not give is a visible
mark naming the form question. `fit` keeps it on one A4 page by a written rule.
"""

from __future__ import annotations

import math
import re

from pipeline import answers
from pipeline.catalogue import (
    ALARM_FIELDS,
    CONTACT_KINDS,
    FIELDS_BY_TAG,
    TEAM_KIND,
    Merge,
    Tag,
)
from pipeline.merge.blocks import _text, answer_of
from pipeline.models import (
    Answer,
    Block,
    CardLevel,
    CardNumber,
    CardSection,
    FormData,
    IncidentCard,
    Origin,
    Source,
    TeamForms,
)
from pipeline.policy import Policy
from pipeline.policy.model import STREET_WORK, ProtocolSteps
from pipeline.text import form_name

CARD_HEADING = "Wat te doen bij agressie"
STREET_TITLE = "Op straat en bij toezicht"
# The card's three levels, in the Werkwijzer's order of the behaviour forms.
LEVELS = (("verbaal", "Schelden of kleineren"), ("bedreiging", "Bedreiging"),
          ("geweld", "Geweld"))
# Words in the team's kinds of visits that say it works in the street: boa's, surveillance,
# the public space. The home-visit variant ("je bent te gast") does not fit them. Not
# "handhaving" or "controle" alone: the form's own help calls involuntary home visits that.
# A form question would be better than words (issue 22, item 5); until then these words.
_STREET_WORDS = re.compile(
    r"\b(boa'?s?|buitenwerk|buiten werk|openbare ruimte|op straat|straatwerk|surveillance|"
    r"surveilleren|straattoezicht)\b", re.IGNORECASE)
# A quoted closing sentence in the team's answer on ending a phone call.
_QUOTED = re.compile(r"[‘'\"“]([^‘’'\"“”]{8,120}[.!?]?)[’'\"”]")
CLOSING_DEFAULT = "een korte afsluitende zin"
# The alarm means of the street variant is the field workers' own (persoonsalarm, alarm app).
_STREET_ALARM = Tag.PERSONAL_ALARM


def _claimed(policy: Policy, tag: str) -> bool:
    """Whether the policy says the thing a statement asks about exists (its `policy_claim`)."""
    claim = FIELDS_BY_TAG[tag].policy_claim
    answer = policy.checklist.get(claim) if claim else None
    return bool(answer and answer.arranged)


def _alarm_answer(policy: Policy, form: FormData | None, tag: str) -> bool:
    """The team has the alarm means: its answer says so, or it left the question open and the
    organisation's frame says every such place has it (the frame is the default)."""
    field = FIELDS_BY_TAG[tag]
    answer = answer_of(form, tag)
    if answers.is_given(field, answer):
        return True
    return answers.is_empty(field, answer) and _claimed(policy, tag)


def has_alarm(forms: TeamForms, kind: str, policy: Policy | None = None) -> bool:
    """Whether the team has the alarm means of this contact type (see `_alarm_answer`);
    without a policy only the team's own answer counts."""
    tag = _STREET_ALARM if kind == STREET_WORK else ALARM_FIELDS.get(kind)
    if tag is None:
        return False
    form = forms.forms.get("huisbezoek" if kind == STREET_WORK else kind)
    if policy is None:
        return answers.is_given(FIELDS_BY_TAG[tag], answer_of(form, tag))
    return _alarm_answer(policy, form, tag)


def works_in_street(forms: TeamForms) -> bool:
    """Whether the team works in the street (boa's, toezicht), by its kinds of visits."""
    visits = forms.forms.get("huisbezoek")
    if visits is None:
        return False
    field = FIELDS_BY_TAG[Tag.VISIT_KINDS]
    answer = answer_of(visits, Tag.VISIT_KINDS)
    return answers.is_given(field, answer) and bool(_STREET_WORDS.search(_text(answer)))


def shown_kinds(policy: Policy, forms: TeamForms, kinds: list[str]) -> list[str]:
    """The protocol variants a team gets: its contact types (all for a team that named none),
    and the street variant after home visits when the team works in the street."""
    shown = [k for k in kinds if k in policy.protocol_steps] or [
        k for k in policy.protocol_steps if k != STREET_WORK]
    if "huisbezoek" in shown and STREET_WORK in policy.protocol_steps and works_in_street(forms):
        shown.insert(shown.index("huisbezoek") + 1, STREET_WORK)
    return shown


def _fill(text: str, alarm: str, closing: str) -> str:
    return text.replace("{alarm}", alarm).replace("{afsluitzin}", closing)


def _closing_sentence(forms: TeamForms) -> str:
    """The team's own closing sentence for a call, when its answer quotes one."""
    answer = _text(answer_of(forms.forms.get("digitaal"), Tag.AGGRESSIVE_CALLER))
    found = _QUOTED.search(answer)
    return f"jullie vaste zin: ‘{found.group(1).strip()}’" if found else CLOSING_DEFAULT


def _title(kind: str) -> str:
    return STREET_TITLE if kind == STREET_WORK else CONTACT_KINDS[kind]


def protocol_blocks(policy: Policy, forms: TeamForms, kinds: list[str]) -> list[Block]:
    """The aggression protocol for each of the team's contact types (all, for a team that
    named none), with the alarm step as the team's own answers allow."""
    blocks = []
    for kind in shown_kinds(policy, forms, kinds):
        steps = policy.protocol_steps[kind]
        alarm = steps.alarm if has_alarm(forms, kind, policy) else steps.alarm_without
        lines = [_fill(s, alarm, CLOSING_DEFAULT) for s in steps.steps]
        form = "huisbezoek" if kind == STREET_WORK else kind
        blocks.append(Block(title=steps.title, bullets=lines, numbered=True,
                            source=Source(origin=Origin.ORGANISATION, form=form,
                                          merge=Merge.LOCKED)))
    return blocks


# A policy written before the card had levels: its first steps, under the three levels.
_VERBAL_DEFAULT = ("Benoem het gedrag en zeg wat je grens is.",
                   "Houdt het niet op? Beëindig het contact.")
_VIOLENCE_DEFAULT = "Breng jezelf en anderen in veiligheid."


def _levels(steps: ProtocolSteps, alarm: str, closing: str) -> list[CardLevel]:
    """The card's three levels of one contact type; a policy without `card` texts gets a
    plain first level, its protocol's first three steps for threat and safety plus the
    alarm step for violence."""
    if steps.card is None:
        texts = {"verbaal": list(_VERBAL_DEFAULT), "bedreiging": steps.steps[:3],
                 "geweld": [_VIOLENCE_DEFAULT, "{alarm}"]}
    else:
        texts = {key: getattr(steps.card, key) for key, _ in LEVELS}
    return [CardLevel(title=title, steps=[_fill(s, alarm, closing) for s in texts[key]])
            for key, title in LEVELS]


# --- numbers ---------------------------------------------------------------------------------

# A contact typed as free text ("Marco de Boer, interne vertrouwenspersoon") holds a number to
# call when it has at least a run of digits; what counts as a valid phone number is the answer
# rule's (answers.py), this only asks whether there is anything to dial on a card.
_DIGITS = re.compile(r"\d[\d\s-]{2,}\d")


def _mark(kind: str, tag: str) -> str:
    """The form question whose answer fills a missing number."""
    return f"{form_name(kind)}, vraag ‘{FIELDS_BY_TAG[tag].label}’"


def _team_number(label: str, kind: str, tag: str, answer: Answer) -> CardNumber:
    """A number the team gives as free text: printed when it names one, else a visible mark
    (with the name, when the team gave a name without a number)."""
    given = answers.is_given(FIELDS_BY_TAG[tag], answer)
    text = _text(answer) if given else ""
    if _DIGITS.search(text):
        return CardNumber(label=label, value=text)
    return CardNumber(label=label, value=text, missing=_mark(kind, tag))


def _alarm_numbers(policy: Policy, forms: TeamForms, kinds: list[str]) -> list[CardNumber]:
    """112, then the team's internal alarm numbers: the security desk or meldkamer for a team
    with counters, meetings or callers, the backup of field work for a team that goes out."""
    numbers = [CardNumber(label="Direct gevaar", value=policy.national.alarm)]
    inside = [k for k in kinds if k in ("balie", "bijeenkomsten", "digitaal")] or not kinds
    if inside:
        security = policy.contacts.beveiliging
        if security is not None and security.phone:
            numbers.append(CardNumber(label="Beveiliging en meldkamer", value=security.short()))
        else:
            numbers.append(CardNumber(label="Beveiliging en meldkamer", value="",
                                      missing="beleid van de organisatie, "
                                              "contactpersoon ‘beveiliging’"))
    if "huisbezoek" in kinds:
        tag = Tag.VISIT_BACKUP
        numbers.append(_team_number("Achterwacht", "huisbezoek", tag,
                                    answer_of(forms.forms.get("huisbezoek"), tag)))
    return numbers


def _other_numbers(policy: Policy, forms: TeamForms) -> list[CardNumber]:
    """The other numbers, each label once: the police, the team lead, the contacts (the
    team's own first, then the organisation's), company doctor, Slachtofferhulp."""
    team = forms.forms.get(TEAM_KIND)
    national, contacts = policy.national, policy.contacts
    numbers = [CardNumber(label="Politie, geen spoed", value=national.politie)]
    lead = _text(answer_of(team, Tag.TEAM_LEAD))
    phone_tag = Tag.TEAM_LEAD_PHONE
    phone = answer_of(team, phone_tag)
    if answers.is_given(FIELDS_BY_TAG[phone_tag], phone):
        numbers.append(CardNumber(label="Leidinggevende",
                                  value=", ".join(p for p in (lead, _text(phone)) if p)))
    else:
        numbers.append(CardNumber(label="Leidinggevende", value=lead,
                                  missing=_mark(TEAM_KIND, phone_tag)))
    kind = policy.branding.kind
    for label, key, tag in (("Opvang en nazorg", "nazorg", Tag.AFTERCARE_CONTACT),
                            ("Vertrouwenspersoon", "vertrouwenspersoon", Tag.CONFIDANT),
                            ("Coördinator agressie", "coordinator", Tag.COORDINATOR)):
        own = answer_of(team, tag)
        organisation = getattr(contacts, key).short()
        if answers.is_given(FIELDS_BY_TAG[tag], own):
            numbers.append(_team_number(f"{label} (team)", TEAM_KIND, tag, own))
            numbers.append(CardNumber(label=f"{label} ({kind})", value=organisation))
        else:
            numbers.append(CardNumber(label=label, value=organisation))
    if contacts.bedrijfsarts:
        numbers.append(CardNumber(label="Bedrijfsarts", value=contacts.bedrijfsarts.short()))
    numbers.append(CardNumber(label="Slachtofferhulp", value=national.slachtofferhulp))
    return numbers


# --- fit -------------------------------------------------------------------------------------

# The card's height in points, estimated from its text (Calibri/Carlito; measured on the
# rendered card: a step cell holds about 30 characters a line at 9 pt, a full-width line about
# 100, a number cell about 40). One A4 page with the template's margins holds 700 pt of body;
# the budget keeps a margin for the estimate's error.
BUDGET = 700.0
_LINE, _CELL_CHARS, _WIDE_CHARS, _NUMBER_CHARS = 10.5, 33, 105, 40


def _lines(text: str, chars: int) -> int:
    return max(1, math.ceil(len(text) / chars))


def card_height(card: IncidentCard) -> float:
    """The estimated height of the card in points (see BUDGET)."""
    height = 34.0 + 32.0  # title; 112
    height += sum(20.0 * _lines(f"{n.label} {n.value} {n.missing}", 60) for n in card.alarm[1:])
    for section in card.sections:
        cells = [sum(_lines(s, _CELL_CHARS) for s in level.steps) for level in section.levels]
        height += 18.0 + 15.0 + _LINE * max(cells, default=0) + 4.0
    height += 18.0 + _LINE * _lines(card.bystander, _WIDE_CHARS)
    # The code word's line adds about 100 characters of its own ("Codewoord: ‘…’. Noem je het…").
    height += _LINE * _lines(card.code_word + " " * 100, _WIDE_CHARS) if card.code_word else 0.0
    height += 18.0 + sum(_LINE * _lines(r, _WIDE_CHARS) for r in card.report)
    pairs = [card.numbers[i:i + 2] for i in range(0, len(card.numbers), 2)]
    height += 18.0 + sum(_LINE * max(_lines(f"{n.value} {n.missing}", _NUMBER_CHARS) + 1
                                     for n in pair) for pair in pairs)
    return height + (_LINE if card.more else 0.0)


# The fit rule, in order, until the card fits one page: (1) the numbers stand in two columns
# (always); (2) the least urgent numbers (company doctor, Slachtofferhulp, the confidential
# adviser, the coordinator) go to chapter 4, named in one line; (3) the other numbers keep
# only the team lead and what the team must still fill in (a step counts more than a number
# 112 already covers); (4) each level keeps its first two steps (all steps stay in the
# protocol's chapter 4); (5) each level keeps its first step. The
# alarm numbers, the three levels, the bystander, melden/aangifte/nazorg and every mark of a
# missing number always stay.
_LEAST_URGENT = ("Bedrijfsarts", "Slachtofferhulp", "Vertrouwenspersoon", "Coördinator agressie")
MORE_NUMBERS = "Meer nummers: hoofdstuk 4 van het teamprotocol (contactpersonen)."
MORE_STEPS = "Alle stappen: hoofdstuk 4 van het teamprotocol."


def _keep_steps(card: IncidentCard, keep: int) -> IncidentCard:
    sections = [s.model_copy(update={"levels": [
        lv.model_copy(update={"steps": lv.steps[:keep]}) for lv in s.levels]})
        for s in card.sections]
    return card.model_copy(update={"sections": sections, "more": f"{MORE_NUMBERS} {MORE_STEPS}"})


def _keep_numbers(card: IncidentCard, *prefixes_out: str, only_lead: bool = False) -> IncidentCard:
    kept = [n for n in card.numbers if n.missing or (
        n.label == "Leidinggevende" if only_lead else not n.label.startswith(prefixes_out))]
    return card.model_copy(update={"numbers": kept,
                                   "more": card.more or MORE_NUMBERS})


def fit_stages(card: IncidentCard) -> list[IncidentCard]:
    """The card as it is, then after each step of the fit rule above, in order."""
    stages = [card]
    for shorten in (lambda c: _keep_numbers(c, *_LEAST_URGENT),
                    lambda c: _keep_numbers(c, only_lead=True),
                    lambda c: _keep_steps(c, 2), lambda c: _keep_steps(c, 1)):
        stages.append(shorten(stages[-1]))
    return stages


def fit(card: IncidentCard, budget: float = BUDGET) -> IncidentCard:
    """The card shortened by the fit rule above until `card_height` is within `budget` (the
    last stage when none is)."""
    stages = fit_stages(card)
    return next((c for c in stages if card_height(c) <= budget), stages[-1])


def incident_card(policy: Policy, forms: TeamForms, kinds: list[str], *,
                  budget: float = BUDGET) -> IncidentCard:
    """The alarm card of one team (see the module docstring), fitted to one page (`budget`:
    an infinite one gives the card before the fit rule)."""
    closing = _closing_sentence(forms)
    sections = []
    for kind in shown_kinds(policy, forms, kinds):
        steps = policy.protocol_steps[kind]
        alarm = steps.alarm if has_alarm(forms, kind, policy) else steps.alarm_without
        sections.append(CardSection(title=_title(kind), levels=_levels(steps, alarm, closing)))
    texts = policy.alarm_card
    report = [f"Melden: {texts.melden.replace('{system}', policy.incident_system)}",
              f"Aangifte: {texts.aangifte}", f"Nazorg: {texts.nazorg}"]
    # Each line starts with its label ("Melden:"), so the texts continue in lower case.
    card = IncidentCard(heading=CARD_HEADING, alarm=_alarm_numbers(policy, forms, kinds),
                        sections=sections, bystander=texts.bystander,
                        code_word=texts.code_word, report=report,
                        numbers=_other_numbers(policy, forms))
    return fit(card, budget)


__all__ = ["CARD_HEADING", "fit", "fit_stages", "has_alarm", "incident_card",
           "protocol_blocks"]
